package backpack

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/wallet"
)

// items lists the account's badges, newest first, with live status.
func (b *Backpack) items(r *http.Request, q *req) ([]badgeItem, error) {
	list, err := q.wallet.List(r.Context())
	if err != nil {
		return nil, err
	}
	list = b.fresh(r.Context(), q.wallet, list)
	slices.SortStableFunc(list, func(x, y *wallet.Badge) int { return y.ImportedAt.Compare(x.ImportedAt) })
	out := make([]badgeItem, 0, len(list))
	for _, bd := range list {
		out = append(out, item(bd, "/backpack/badges/"+bd.ID+"/image", q.lang))
	}
	return out, nil
}

func (b *Backpack) getBackpack(w http.ResponseWriter, r *http.Request, q *req) {
	items, err := b.items(r, q)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	v := backpackView{base: b.signedIn(r, q, b.pages.T(q.lang, "backpack.title")), Badges: items, HolderDID: q.acct.HolderDID}
	if n := r.URL.Query().Get("notice"); n != "" && b.pages.T(q.lang, "notice."+n) != "notice."+n {
		v.Notice = b.pages.T(q.lang, "notice."+n)
	}
	b.render(w, r, http.StatusOK, "backpack", v)
}

// postImport imports a badge from an uploaded file, a URL, or pasted text.
func (b *Backpack) postImport(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	opts := wallet.ImportOptions{KeepInvalid: formValue(r, "keepInvalid") != ""}
	var bd *wallet.Badge
	var err error
	switch {
	case r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0:
		fh := r.MultipartForm.File["file"][0]
		f, ferr := fh.Open()
		if ferr != nil {
			b.importError(w, r, q, ferr)
			return
		}
		data, rerr := io.ReadAll(io.LimitReader(f, maxForm))
		f.Close()
		if rerr != nil {
			b.importError(w, r, q, rerr)
			return
		}
		opts.Source = fh.Filename
		bd, err = q.wallet.Import(ctx, data, opts)
	case strings.TrimSpace(formValue(r, "url")) != "":
		u := strings.TrimSpace(formValue(r, "url"))
		opts.Source = u
		bd, err = q.wallet.ImportURL(ctx, u, opts)
	case strings.TrimSpace(formValue(r, "text")) != "":
		opts.Source = "pasted"
		bd, err = q.wallet.Import(ctx, []byte(strings.TrimSpace(formValue(r, "text"))), opts)
	default:
		b.importError(w, r, q, fmt.Errorf("%w: choose a file, give a URL or paste a credential", ErrBadInput))
		return
	}
	if err != nil {
		b.importError(w, r, q, err)
		return
	}
	b.keepAssets(r, q, bd.ID)
	http.Redirect(w, r, "/backpack/badges/"+bd.ID+"?notice=imported", http.StatusSeeOther)
}

// importError shows the backpack with why the badge was refused.
func (b *Backpack) importError(w http.ResponseWriter, r *http.Request, q *req, err error) {
	items, lerr := b.items(r, q)
	if lerr != nil {
		b.fail(w, r, q.lang, lerr)
		return
	}
	v := backpackView{base: b.signedIn(r, q, b.pages.T(q.lang, "backpack.title")), Badges: items, HolderDID: q.acct.HolderDID}
	v.Error = b.walletMessage(q.lang, err)
	b.render(w, r, http.StatusUnprocessableEntity, "backpack", v)
}

// walletMessage explains a wallet error in lang (the verification report's own reasons are
// given as they are: sentences a person can act on).
func (b *Backpack) walletMessage(lang string, err error) string {
	var inv *wallet.InvalidError
	switch {
	case errors.As(err, &inv):
		msg := b.pages.T(lang, "err.invalid")
		if inv.Report != nil {
			msg += " " + web.ReportReason(lang, inv.Report)
			for _, c := range inv.Report.Checks {
				if c.Status == vc.Failed {
					msg += " " + c.Detail
					break
				}
			}
		}
		return msg
	case errors.Is(err, wallet.ErrDuplicate):
		return b.pages.T(lang, "err.duplicate")
	case errors.Is(err, wallet.ErrNotCredential):
		return b.pages.T(lang, "err.notCredential")
	case errors.Is(err, wallet.ErrOffer):
		return b.pages.T(lang, "err.offer") + " " + lastPart(err)
	case errors.Is(err, wallet.ErrIssuer):
		return b.pages.T(lang, "err.issuer") + " " + lastPart(err)
	case errors.Is(err, wallet.ErrNotBound):
		return b.pages.T(lang, "err.notBound")
	case errors.Is(err, ErrBadInput):
		return b.pages.T(lang, "err.badInput")
	}
	return b.pages.T(lang, "err.import") + " " + lastPart(err)
}

// lastPart is the innermost explanation of a wrapped error ("import: fetch …: reason" → reason).
func lastPart(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		s = s[i+2:]
	}
	return s
}

func (b *Backpack) getClaim(w http.ResponseWriter, r *http.Request, q *req) {
	offer := r.URL.Query().Get("offer")
	ref, err := wallet.ParseOfferURI(offer)
	if err != nil {
		b.errorPage(w, r, http.StatusBadRequest, q.lang, b.walletMessage(q.lang, err))
		return
	}
	v := claimView{base: b.signedIn(r, q, b.pages.T(q.lang, "claim.title")), Offer: offer}
	if ref.Offer != nil {
		v.NeedsTxCode = ref.Offer.Grants.PreAuthorizedCode != nil && ref.Offer.Grants.PreAuthorizedCode.TxCode != nil
		if u, err := url.Parse(ref.Offer.CredentialIssuer); err == nil {
			v.IssuerHost = u.Host
		}
	} else if u, err := url.Parse(ref.URI); err == nil {
		v.IssuerHost = u.Host
	}
	b.render(w, r, http.StatusOK, "claim", v)
}

func (b *Backpack) postClaim(w http.ResponseWriter, r *http.Request, q *req) {
	offer := r.PostFormValue("offer")
	bd, err := q.wallet.Receive(r.Context(), offer, wallet.ReceiveOptions{TxCode: strings.TrimSpace(r.PostFormValue("txCode"))})
	if err != nil {
		v := claimView{base: b.signedIn(r, q, b.pages.T(q.lang, "claim.title")), Offer: offer, NeedsTxCode: r.PostFormValue("txCode") != ""}
		v.Error = b.walletMessage(q.lang, err)
		b.render(w, r, http.StatusUnprocessableEntity, "claim", v)
		return
	}
	b.keepAssets(r, q, bd.ID)
	http.Redirect(w, r, "/backpack/badges/"+bd.ID+"?notice=claimed", http.StatusSeeOther)
}

func (b *Backpack) getBadge(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	bd, err := q.wallet.Get(ctx, r.PathValue("id"))
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	bd = b.fresh(ctx, q.wallet, []*wallet.Badge{bd})[0]
	v := badgeView{base: b.signedIn(r, q, ""), Item: item(bd, "/backpack/badges/"+bd.ID+"/image", q.lang),
		VerifiedAt: bd.VerifiedAt, BoundToHolder: bd.BoundToHolder, Source: bd.Source, CredentialID: bd.CredentialID}
	v.Title = v.Item.Name
	b.describe(&v, bd, q.lang)
	v.Evidence = b.evidenceItems(r, q, bd)
	shares, err := b.badgeShares(q.acct.ID)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	if tok := shares[bd.ID]; tok != "" {
		v.ShareURL = b.cfg.base() + "/s/" + tok
		v.LinkedInURL = linkedInURL(v, v.ShareURL)
		v.EmbedCode = embedCode(b.cfg.base()+"/s/"+tok, v.Item.Name, v.Item.IssuerName, q.lang)
		if png, err := web.QRPNG(v.ShareURL, 192); err == nil {
			v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
	}
	if cs, err := b.Collections(q.acct.ID); err == nil {
		v.Collections = cs
	}
	if n := r.URL.Query().Get("notice"); n != "" && b.pages.T(q.lang, "notice."+n) != "notice."+n {
		v.Notice = b.pages.T(q.lang, "notice."+n)
	}
	// The evidence viewer frames the backpack's own copy of a PDF.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "+
		"frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	b.render(w, r, http.StatusOK, "badge", v)
}

// describe fills the achievement's details from the credential.
func (b *Backpack) describe(v *badgeView, bd *wallet.Badge, lang string) {
	c, err := credentialOf(bd)
	if err != nil {
		return
	}
	v.IssuerDID = c.IssuerID()
	if u := c.Issuer.URL; u != "" {
		v.IssuerURL = u
	}
	ach := c.CredentialSubject.Achievement
	v.Description = ach.Description.String()
	if ach.Criteria != nil {
		v.Criteria = web.Markdown(ach.Criteria.Narrative.String())
		v.CriteriaURL = ach.Criteria.ID
	}
	for _, al := range ach.Alignment {
		v.Alignments = append(v.Alignments, web.AlignmentView{Name: al.TargetName.String(), URL: al.TargetURL, Framework: al.TargetFramework, Code: al.TargetCode})
	}
	v.CreditsEarned = c.CredentialSubject.CreditsEarned
	if c.ValidUntil != "" {
		if t, err := vc.ParseDateTime(c.ValidUntil); err == nil {
			v.ExpiresOn = &t
		}
	}
	if bd.Report != nil {
		for _, ch := range bd.Report.Checks {
			v.Checks = append(v.Checks, checkItem{Name: ch.Name, Status: string(ch.Status), Detail: ch.Detail})
		}
		if rec := bd.Report.Recognition; rec != nil {
			v.Recognition = recognitionLine(b.pages, lang, rec)
		}
	}
}

// recognitionLine says who vouches for the issuer, in lang.
func recognitionLine(p *pageSet, lang string, rec *vc.Recognition) string {
	if !rec.Recognized || len(rec.VouchedBy) == 0 {
		return p.T(lang, "recognition.unknown")
	}
	by := rec.VouchedBy[0]
	name := firstNonEmpty(by.Name, by.EntityID)
	if by.Since.IsZero() {
		return p.T(lang, "recognition.by", name)
	}
	return p.T(lang, "recognition.since", name, web.FormatDate(lang, by.Since))
}

// linkedInURL is LinkedIn's "Add license or certification" link, prefilled.
func linkedInURL(v badgeView, shareURL string) string {
	q := url.Values{}
	q.Set("startTask", "CERTIFICATION_NAME")
	q.Set("name", v.Item.Name)
	q.Set("organizationName", v.Item.IssuerName)
	if !v.Item.IssuedOn.IsZero() {
		q.Set("issueYear", fmt.Sprint(v.Item.IssuedOn.Year()))
		q.Set("issueMonth", fmt.Sprint(int(v.Item.IssuedOn.Month())))
	}
	if v.ExpiresOn != nil {
		q.Set("expirationYear", fmt.Sprint(v.ExpiresOn.Year()))
		q.Set("expirationMonth", fmt.Sprint(int(v.ExpiresOn.Month())))
	}
	q.Set("certUrl", shareURL)
	if v.CredentialID != "" {
		q.Set("certId", v.CredentialID)
	}
	return "https://www.linkedin.com/profile/add?" + q.Encode()
}

// embedCode is the HTML a learner pastes into a site to show the badge: a small frame with a
// link as fallback.
func embedCode(shareURL, name, issuer, lang string) string {
	esc := template.HTMLEscapeString
	title := name
	if issuer != "" {
		title += " — " + issuer
	}
	return fmt.Sprintf(`<iframe src="%s/embed?lang=%s" title="%s" width="360" height="150" style="border:0" loading="lazy"></iframe>`+"\n"+
		`<noscript><a href="%s">%s</a></noscript>`, esc(shareURL), lang, esc(title), esc(shareURL), esc(title))
}

func (b *Backpack) postReverify(w http.ResponseWriter, r *http.Request, q *req) {
	if _, err := q.wallet.Reverify(r.Context(), r.PathValue("id")); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack/badges/"+r.PathValue("id")+"?notice=verified", http.StatusSeeOther)
}

func (b *Backpack) postShareBadge(w http.ResponseWriter, r *http.Request, q *req) {
	if _, err := b.ShareLink(r.Context(), q.acct.ID, ShareBadge, r.PathValue("id")); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack/badges/"+r.PathValue("id")+"?notice=shared", http.StatusSeeOther)
}

func (b *Backpack) postUnshareBadge(w http.ResponseWriter, r *http.Request, q *req) {
	shares, err := b.badgeShares(q.acct.ID)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	if tok := shares[r.PathValue("id")]; tok != "" {
		if err := b.Unshare(r.Context(), q.acct.ID, tok); err != nil {
			b.fail(w, r, q.lang, err)
			return
		}
	}
	http.Redirect(w, r, "/backpack/badges/"+r.PathValue("id")+"?notice=unshared", http.StatusSeeOther)
}

// postDeleteBadge deletes a badge, its share link, and removes it from collections and the
// portfolio.
func (b *Backpack) postDeleteBadge(w http.ResponseWriter, r *http.Request, q *req) {
	id := r.PathValue("id")
	if err := b.forgetBadge(r, q, id); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	if err := q.wallet.Delete(r.Context(), id); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack?notice=deleted", http.StatusSeeOther)
}

func (b *Backpack) forgetBadge(r *http.Request, q *req, id string) error {
	ctx := r.Context()
	shares, err := b.badgeShares(q.acct.ID)
	if err != nil {
		return err
	}
	if tok := shares[id]; tok != "" {
		if err := b.Unshare(ctx, q.acct.ID, tok); err != nil {
			return err
		}
	}
	cs, err := b.Collections(q.acct.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if i := slices.Index(c.Badges, id); i >= 0 {
			c.Badges = slices.Delete(c.Badges, i, i+1)
			if _, err := b.saveCollectionRaw(c); err != nil {
				return err
			}
		}
	}
	if p := q.acct.Portfolio; slices.Contains(p.Badges, id) {
		p.Badges = slices.DeleteFunc(slices.Clone(p.Badges), func(s string) bool { return s == id })
		if _, err := b.SetPortfolio(ctx, q.acct.ID, p); err != nil {
			return err
		}
	}
	return nil
}

// getDownload serves the badge as JSON (or JWT) or as a baked PNG/SVG.
func (b *Backpack) getDownload(w http.ResponseWriter, r *http.Request, q *req) {
	serveDownload(w, r, q.wallet, r.PathValue("id"), r.PathValue("file"), func(err error) { b.fail(w, r, q.lang, err) })
}

func serveDownload(w http.ResponseWriter, r *http.Request, wal *wallet.Wallet, id, file string, fail func(error)) {
	ctx := r.Context()
	switch file {
	case "credential":
		data, mt, ext, err := wal.ExportCredential(ctx, id)
		if err != nil {
			fail(err)
			return
		}
		w.Header().Set("Content-Type", mt)
		w.Header().Set("Content-Disposition", `attachment; filename="badge-`+id+ext+`"`)
		w.Write(data)
	case "png", "svg":
		data, err := wal.ExportBaked(ctx, id, file)
		if errors.Is(err, wallet.ErrNoImage) {
			http.Error(w, "this badge has no "+file+" image", http.StatusNotFound)
			return
		} else if err != nil {
			fail(err)
			return
		}
		w.Header().Set("Content-Type", map[string]string{"png": "image/png", "svg": "image/svg+xml"}[file])
		w.Header().Set("Content-Disposition", `attachment; filename="badge-`+id+`.`+file+`"`)
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		w.Write(data)
	default:
		fail(ErrNotFound)
	}
}

var _ = time.Now
