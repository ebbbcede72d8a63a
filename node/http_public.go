package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/bake"
)

func (n *Node) getDIDDocument(w http.ResponseWriter, r *http.Request) {
	doc, err := n.DIDDocument(r.Context(), r.PathValue("slug"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "max-age=300")
	w.Header().Set("Content-Type", "application/did+json")
	json.NewEncoder(w).Encode(doc)
}

// wantsJSON reports whether the client asked for JSON rather than HTML.
func wantsJSON(r *http.Request) bool {
	acc := r.Header.Get("Accept")
	return strings.Contains(acc, "application/json") || strings.Contains(acc, "application/vc+ld+json") ||
		strings.Contains(acc, "application/ld+json")
}

func (n *Node) page(r *http.Request, title string) web.Page {
	return web.Page{Lang: web.PickLang(r), Title: title, Path: r.URL.RequestURI(), NodeName: "Communs"}
}

func (n *Node) htmlError(w http.ResponseWriter, r *http.Request, err error) {
	st := statusFor(err)
	w.Header().Set("Content-Type", web.ContentType)
	w.WriteHeader(st)
	web.RenderError(w, web.ErrorView{Page: n.page(r, http.StatusText(st)), Status: st})
}

func (n *Node) getIssuerPublic(w http.ResponseWriter, r *http.Request) {
	iss, err := n.Issuer(r.Context(), r.PathValue("slug"))
	if err != nil {
		if wantsJSON(r) {
			n.fail(w, r, err)
		} else {
			n.htmlError(w, r, err)
		}
		return
	}
	if wantsJSON(r) {
		p := iss.Profile()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(p)
		return
	}
	page := n.page(r, iss.Name)
	v := web.IssuerView{Page: page, Name: iss.Name, Description: iss.DescriptionIn(page.Lang), URL: iss.URL, Email: iss.Email, ImageURL: iss.Image, DID: iss.DID}
	achs, _ := n.Achievements(r.Context(), iss.Slug)
	for _, a := range achs {
		if a.Archived {
			continue
		}
		card := web.AchievementCard{Name: a.Achievement.Name.String(), Description: a.Achievement.Description.String(), ImageURL: n.achievementImageURL(a.ID)}
		v.Achievements = append(v.Achievements, card)
	}
	var buf bytes.Buffer
	if err := web.RenderIssuer(&buf, v); err != nil {
		n.htmlError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", web.ContentType)
	w.Write(buf.Bytes())
}

func (n *Node) getCredentialPublic(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ext := ""
	if i := strings.LastIndexByte(id, '.'); i > 0 {
		id, ext = id[:i], id[i+1:]
	}
	a, err := n.GetAward(r.Context(), id)
	if err != nil {
		if ext == "" && !wantsJSON(r) {
			n.htmlError(w, r, err)
		} else {
			n.fail(w, r, err)
		}
		return
	}
	switch {
	case ext == "json", ext == "" && wantsJSON(r):
		ct := "application/vc+ld+json"
		if strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "vc+ld+json") {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Vary", "Accept")
		w.Write(a.Credential)
	case ext == "png", ext == "svg":
		n.serveBaked(w, r, a, ext)
	case ext == "":
		w.Header().Set("Vary", "Accept, Accept-Language")
		n.badgePage(w, r, a)
	default:
		n.fail(w, r, fmt.Errorf("credential %s.%s: %w", id, ext, ErrNotFound))
	}
}

// serveBaked answers /credentials/{id}.png and .svg: the achievement's own image of that
// format, or the default badge image drawn from the achievement id, with the credential baked in.
func (n *Node) serveBaked(w http.ResponseWriter, r *http.Request, a *Award, ext string) {
	achID := shortID(a.AchievementID)
	img, mt, err := n.badgeImageOf(a.Issuer, achID)
	if err != nil {
		mt = "" // the achievement is gone: the badge still gets the default image
	}
	var out []byte
	switch {
	case ext == "png" && mt == "image/png":
		out, err = bake.BakePNG(img, a.Credential)
	case ext == "png":
		out, err = bake.BakePNG(n.defaultPNG(achID), a.Credential)
	case mt == "image/svg+xml":
		out, err = bake.BakeSVG(img, a.Credential)
	default:
		out, err = bake.BakeSVG(DefaultBadgeSVG(achID), a.Credential)
	}
	if err != nil {
		n.fail(w, r, fmt.Errorf("bake credential %s into %s: %w", a.ID, ext, err))
		return
	}
	w.Header().Set("Content-Type", map[string]string{"png": "image/png", "svg": "image/svg+xml"}[ext])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="badge-%s.%s"`, a.ID, ext))
	w.Write(out)
}

// shortID is the last path segment of an id that may be a URL.
func shortID(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// achievementImageURL is where the image of achievement id is served (its own, or the default).
func (n *Node) achievementImageURL(id string) string {
	return n.cfg.base() + "/achievements/" + shortID(id) + "/image"
}

func (n *Node) getCredentialQR(w http.ResponseWriter, r *http.Request) {
	a, err := n.GetAward(r.Context(), r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	png, err := web.QRPNG(n.CredentialURL(a.ID), 256)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(png)
}

func (n *Node) badgePage(w http.ResponseWriter, r *http.Request, a *Award) {
	ctx := r.Context()
	c, err := vc.ParseCredential(a.Credential)
	if err != nil {
		n.htmlError(w, r, err)
		return
	}
	ach := c.CredentialSubject.Achievement
	v := web.BadgeView{
		Page:            n.page(r, ach.Name.String()),
		CredentialURL:   n.CredentialURL(a.ID),
		AchievementName: ach.Name.String(), AchievementDescription: ach.Description.String(),
		IssuerName: c.Issuer.Name.String(), IssuerURL: n.cfg.base() + "/issuers/" + a.Issuer, IssuerDID: c.IssuerID(),
		Tags: ach.Tag, CreditsEarned: c.CredentialSubject.CreditsEarned,
		ImageURL:  n.achievementImageURL(a.AchievementID),
		Downloads: n.downloads(a.ID),
		QRURL:     n.CredentialURL(a.ID) + "/qr.png",
		Status:    web.StatusValid,
	}
	if ach.Criteria != nil {
		v.Criteria = web.Markdown(ach.Criteria.Narrative.String())
		v.CriteriaURL = ach.Criteria.ID
	}
	if a.ShowName {
		v.RecipientName = a.RecipientName
	}
	if t, err := vc.ParseDateTime(c.ValidFrom); err == nil {
		v.IssuedOn = t
	}
	if t, err := vc.ParseDateTime(c.ValidUntil); err == nil && c.ValidUntil != "" {
		v.ExpiresOn = &t
		if n.cfg.Now().After(t) {
			v.Status = web.StatusExpired
		}
	}
	if a.Revoked {
		v.Status, v.StatusReason = web.StatusRevoked, a.RevokeReason
	}
	for _, al := range ach.Alignment {
		v.Alignments = append(v.Alignments, web.AlignmentView{Name: al.TargetName.String(), URL: al.TargetURL, Framework: al.TargetFramework, Code: al.TargetCode})
	}
	media := map[string]string{}
	for _, rr := range c.RelatedResource.Items {
		media[rr.ID] = rr.MediaType
	}
	for _, e := range c.Evidence.Items {
		v.Evidence = append(v.Evidence, web.EvidenceView{Name: e.Name.String(), Description: e.Description.String(), URL: e.ID, MediaType: media[e.ID], Genre: e.Genre})
	}
	if rep, err := n.Verify(ctx, a.Credential); err == nil {
		vv := &web.VerificationView{Verified: rep.Verified, Reason: web.ReportReason(v.Lang, rep)}
		for _, ch := range rep.Checks {
			vv.Checks = append(vv.Checks, web.CheckView{Name: ch.Name, Status: string(ch.Status), Detail: ch.Detail})
		}
		v.Verification = vv
	}
	var buf bytes.Buffer
	if err := web.RenderBadge(&buf, v); err != nil {
		n.htmlError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", web.ContentType)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

func (n *Node) getEvidence(w http.ResponseWriter, r *http.Request) {
	data, mt, err := n.Evidence(r.Context(), r.PathValue("cid"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+r.PathValue("cid")+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func (n *Node) getStatusList(w http.ResponseWriter, r *http.Request) {
	slug, list := r.PathValue("slug"), r.PathValue("list")
	if list == "revocations" {
		body, err := n.RevocationList(r.Context(), slug)
		if err != nil {
			n.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=300")
		w.Write(body)
		return
	}
	body, etag, err := n.StatusListCredential(r.Context(), slug, list)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vc+ld+json")
	w.Header().Set("Cache-Control", "max-age=300")
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

// downloads are the credential JSON and the baked PNG and SVG of award id.
func (n *Node) downloads(id string) web.Downloads {
	u := n.CredentialURL(id)
	return web.Downloads{JSON: u + ".json", PNG: u + ".png", SVG: u + ".svg"}
}

// getAchievementImage serves the achievement's image, or the default badge image when it has none.
func (n *Node) getAchievementImage(w http.ResponseWriter, r *http.Request) {
	data, mt, err := n.BadgeImage(r.Context(), r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "max-age=300")
	w.Write(data)
}
