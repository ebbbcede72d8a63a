package backpack

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/wallet"
)

// Public pages: what a learner shares. They show no e-mail, are gone as soon as the link (or
// the account) is, and carry "noindex" unless they are the portfolio she published.

// shared resolves a share token of kind to its owner's wallet.
func (b *Backpack) shared(r *http.Request, kind string) (*Share, *wallet.Wallet, error) {
	s, err := b.Share(r.PathValue("token"))
	if err != nil {
		return nil, nil, err
	}
	if s.Kind != kind {
		return nil, nil, ErrNotFound
	}
	w, err := b.wallet(s.Account)
	return s, w, err
}

// sharedBadge resolves a badge share link to its wallet and badge; when it cannot, it has
// answered 404 and ok is false.
func (b *Backpack) sharedBadge(w http.ResponseWriter, r *http.Request) (*Share, *wallet.Wallet, *wallet.Badge, bool) {
	s, wal, err := b.shared(r, ShareBadge)
	if err != nil {
		b.publicFail(w, r, err)
		return nil, nil, nil, false
	}
	bd, err := wal.Get(r.Context(), s.Target)
	if err != nil {
		b.publicFail(w, r, ErrNotFound)
		return nil, nil, nil, false
	}
	return s, wal, bd, true
}

func (b *Backpack) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	lang := web.PickLang(r)
	w.Header().Set("Cache-Control", "no-store")
	b.fail(w, r, lang, err)
}

func (b *Backpack) getSharedBadge(w http.ResponseWriter, r *http.Request) {
	s, wal, bd, ok := b.sharedBadge(w, r)
	if !ok {
		return
	}
	if wantsJSON(r) {
		serveDownload(w, r, wal, bd.ID, "credential", func(err error) { b.publicFail(w, r, err) })
		return
	}
	bd = b.fresh(r.Context(), wal, []*wallet.Badge{bd})[0]
	lang := web.PickLang(r)
	shareURL := b.cfg.base() + "/s/" + s.Token
	bv := badgeView{Item: item(bd, "/s/"+s.Token+"/image", lang), CredentialID: bd.CredentialID}
	b.describe(&bv, bd, lang)
	v := web.BadgeView{
		Page:            web.Page{Lang: lang, Path: r.URL.RequestURI(), NodeName: b.cfg.NodeName},
		CredentialURL:   shareURL,
		ImageURL:        "/s/" + s.Token + "/image",
		AchievementName: bv.Item.Name, AchievementDescription: bv.Description,
		Criteria: bv.Criteria, CriteriaURL: bv.CriteriaURL,
		IssuerName: bv.Item.IssuerName, IssuerURL: bv.IssuerURL, IssuerDID: bv.IssuerDID,
		IssuedOn: bv.Item.IssuedOn, ExpiresOn: bv.ExpiresOn, Status: bv.Item.Status,
		Alignments: bv.Alignments, CreditsEarned: bv.CreditsEarned,
		Downloads: web.Downloads{JSON: "/s/" + s.Token + "/credential"},
		QRURL:     "/s/" + s.Token + "/qr.png",
	}
	if v.Status == "invalid" {
		v.Status = web.StatusUnknown
	}
	if c, err := credentialOf(bd); err == nil {
		for _, e := range c.Evidence.Items {
			if strings.HasPrefix(e.ID, "https://") || strings.HasPrefix(e.ID, "http://") {
				v.Evidence = append(v.Evidence, web.EvidenceView{Name: e.Name.String(), Description: e.Description.String(), URL: e.ID, Genre: e.Genre})
			}
		}
	}
	if rep := bd.Report; rep != nil {
		vv := &web.VerificationView{Verified: rep.Verified, Reason: web.ReportReason(lang, rep)}
		for _, ch := range rep.Checks {
			vv.Checks = append(vv.Checks, web.CheckView{Name: ch.Name, Status: string(ch.Status), Detail: ch.Detail})
		}
		v.Verification = vv
	}
	v.OpenGraph = &web.OpenGraph{Title: v.AchievementName, Description: v.AchievementDescription, Image: b.cfg.base() + v.ImageURL, URL: shareURL}
	var buf bytes.Buffer
	if err := web.RenderBadge(&buf, v); err != nil {
		b.publicFail(w, r, err)
		return
	}
	publicHeaders(w)
	w.Header().Set("Content-Type", web.ContentType)
	w.Write(buf.Bytes())
}

// publicHeaders: shared pages change when the learner changes them; search engines stay out.
func publicHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Header().Add("Vary", "Accept, Accept-Language")
}

func wantsJSON(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") || strings.Contains(a, "application/ld+json") || strings.Contains(a, "application/vc")
}

func (b *Backpack) getSharedCredential(w http.ResponseWriter, r *http.Request) {
	s, wal, err := b.shared(r, ShareBadge)
	if err != nil {
		b.publicFail(w, r, err)
		return
	}
	serveDownload(w, r, wal, s.Target, "credential", func(err error) { b.publicFail(w, r, err) })
}

func (b *Backpack) getSharedImage(w http.ResponseWriter, r *http.Request) {
	s, wal, err := b.shared(r, ShareBadge)
	if err != nil {
		b.publicFail(w, r, err)
		return
	}
	b.serveImage(w, r, wal, s.Target)
}

// getEmbed is the small card other sites frame (the embeddable snippet).
func (b *Backpack) getEmbed(w http.ResponseWriter, r *http.Request) {
	s, wal, bd, ok := b.sharedBadge(w, r)
	if !ok {
		return
	}
	bd = b.fresh(r.Context(), wal, []*wallet.Badge{bd})[0]
	lang := web.PickLang(r)
	v := embedView{base: b.base(r, lang, "", nil), Item: item(bd, "/s/"+s.Token+"/image", lang), URL: b.cfg.base() + "/s/" + s.Token}
	v.Title = v.Item.Name
	publicHeaders(w)
	w.Header().Del("X-Frame-Options")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors *; base-uri 'none'")
	b.render(w, r, http.StatusOK, "embed", v)
}

// getShareQR is a QR code of a share link (/s/, /c/ or /p/).
func (b *Backpack) getShareQR(w http.ResponseWriter, r *http.Request) {
	s, err := b.Share(r.PathValue("token"))
	prefix := map[string]string{ShareBadge: "/s/", ShareCollection: "/c/", SharePresentation: "/p/"}
	if err != nil || !strings.HasPrefix(r.URL.Path, prefix[s.Kind]) {
		b.publicFail(w, r, ErrNotFound)
		return
	}
	png, err := web.QRPNG(b.cfg.base()+prefix[s.Kind]+s.Token, 256)
	if err != nil {
		b.publicFail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(png)
}

// publicItems lists badges ids of an account's wallet for a public page, with live status;
// images and credentials are served under base.
func (b *Backpack) publicItems(r *http.Request, wal *wallet.Wallet, ids []string, base, lang string) []badgeItem {
	var list []*wallet.Badge
	for _, id := range ids {
		if bd, err := wal.Get(r.Context(), id); err == nil {
			list = append(list, bd)
		}
	}
	list = b.fresh(r.Context(), wal, list)
	out := make([]badgeItem, 0, len(list))
	for _, bd := range list {
		it := item(bd, base+"/badges/"+bd.ID+"/image", lang)
		it.URL = base + "/badges/" + bd.ID + "/credential"
		out = append(out, it)
	}
	return out
}

func (b *Backpack) getSharedCollection(w http.ResponseWriter, r *http.Request) {
	s, wal, err := b.shared(r, ShareCollection)
	if err != nil {
		b.publicFail(w, r, err)
		return
	}
	c, err := b.Collection(s.Account, s.Target)
	if err != nil {
		b.publicFail(w, r, ErrNotFound)
		return
	}
	lang := web.PickLang(r)
	acct, _ := b.Account(s.Account)
	v := sharedCollectionView{base: b.base(r, lang, c.Name, nil), Name: c.Name, Description: c.Description,
		Badges: b.publicItems(r, wal, c.Badges, "/c/"+s.Token, lang), URL: b.cfg.base() + "/c/" + s.Token}
	if acct != nil {
		v.Owner = acct.Portfolio.DisplayName
	}
	v.OpenGraph = &web.OpenGraph{Title: c.Name, Description: c.Description, URL: v.URL}
	publicHeaders(w)
	b.render(w, r, http.StatusOK, "shared-collection", v)
}

// memberBadge serves /c/{token}/badges/{id}/… and /portfolio/{handle}/badges/{id}/… only for
// badges the collection or portfolio shows.
func (b *Backpack) memberBadge(w http.ResponseWriter, r *http.Request) (*wallet.Wallet, string, bool) {
	id := r.PathValue("id")
	var account string
	var ids []string
	if tok := r.PathValue("token"); tok != "" {
		s, err := b.Share(tok)
		if err != nil || s.Kind != ShareCollection {
			b.publicFail(w, r, ErrNotFound)
			return nil, "", false
		}
		c, err := b.Collection(s.Account, s.Target)
		if err != nil {
			b.publicFail(w, r, ErrNotFound)
			return nil, "", false
		}
		account, ids = s.Account, c.Badges
	} else {
		a, err := b.PortfolioAccount(r.PathValue("handle"))
		if err != nil {
			b.publicFail(w, r, ErrNotFound)
			return nil, "", false
		}
		account, ids = a.ID, a.Portfolio.Badges
	}
	if !slices.Contains(ids, id) {
		b.publicFail(w, r, ErrNotFound)
		return nil, "", false
	}
	wal, err := b.wallet(account)
	if err != nil {
		b.publicFail(w, r, err)
		return nil, "", false
	}
	return wal, id, true
}

func (b *Backpack) getMemberImage(w http.ResponseWriter, r *http.Request) {
	if wal, id, ok := b.memberBadge(w, r); ok {
		b.serveImage(w, r, wal, id)
	}
}

func (b *Backpack) getMemberCredential(w http.ResponseWriter, r *http.Request) {
	if wal, id, ok := b.memberBadge(w, r); ok {
		serveDownload(w, r, wal, id, "credential", func(err error) { b.publicFail(w, r, err) })
	}
}

func (b *Backpack) getPortfolio(w http.ResponseWriter, r *http.Request) {
	a, err := b.PortfolioAccount(r.PathValue("handle"))
	if err != nil {
		b.publicFail(w, r, ErrNotFound)
		return
	}
	wal, err := b.wallet(a.ID)
	if err != nil {
		b.publicFail(w, r, err)
		return
	}
	lang := web.PickLang(r)
	title := firstNonEmpty(a.Portfolio.DisplayName, a.Portfolio.Handle)
	v := portfolioView{base: b.base(r, lang, b.pages.T(lang, "portfolio.title", title), nil),
		DisplayName: a.Portfolio.DisplayName, Headline: a.Portfolio.Headline, URL: b.cfg.base() + "/portfolio/" + a.Portfolio.Handle,
		Badges: b.publicItems(r, wal, a.Portfolio.Badges, "/portfolio/"+a.Portfolio.Handle, lang)}
	v.OpenGraph = &web.OpenGraph{Title: v.Title, Description: a.Portfolio.Headline, URL: v.URL}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Add("Vary", "Accept-Language")
	b.render(w, r, http.StatusOK, "portfolio", v)
}

func (b *Backpack) getPresentation(w http.ResponseWriter, r *http.Request) {
	s, err := b.Share(r.PathValue("token"))
	if err != nil || s.Kind != SharePresentation {
		b.publicFail(w, r, ErrNotFound)
		return
	}
	if wantsJSON(r) || r.URL.Query().Get("format") == "json" {
		w.Header().Set("Content-Type", "application/vp+ld+json")
		if r.URL.Query().Get("download") != "" {
			w.Header().Set("Content-Disposition", `attachment; filename="presentation-`+s.Token+`.json"`)
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(s.Data)
		return
	}
	lang := web.PickLang(r)
	v := presentationView{base: b.base(r, lang, b.pages.T(lang, "presentation.title"), nil),
		URL: b.cfg.base() + "/p/" + s.Token, JSONURL: "/p/" + s.Token + "?format=json"}
	if png, err := web.QRPNG(v.URL, 256); err == nil {
		v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	if sess, _, err := b.session(r); err == nil && sess.Account == s.Account {
		v.Mine = true
	}
	publicHeaders(w)
	b.render(w, r, http.StatusOK, "presentation", v)
}
