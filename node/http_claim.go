package node

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

// getClaim serves the page of a claim link: the badge received, its issuer, its public page,
// downloads and the OpenID4VCI credential offer (QR code and openid-credential-offer:// link). The link is private: the page is neither cached, indexed nor sent as a referrer.
func (n *Node) getClaim(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	a, err := n.ClaimAward(r.Context(), r.PathValue("token"))
	if err != nil {
		n.htmlError(w, r, err)
		return
	}
	c, err := vc.ParseCredential(a.Credential)
	if err != nil {
		n.htmlError(w, r, err)
		return
	}
	ach := c.CredentialSubject.Achievement
	v := web.ClaimView{
		Page:            n.page(r, ach.Name.String()),
		AchievementName: ach.Name.String(), AchievementDescription: ach.Description.String(),
		ImageURL:   n.achievementImageURL(a.AchievementID),
		IssuerName: c.Issuer.Name.String(), IssuerURL: n.cfg.base() + "/issuers/" + a.Issuer,
		BadgeURL:  n.CredentialURL(a.ID),
		Revoked:   a.Revoked,
		Downloads: n.downloads(a.ID),
	}
	tok := r.PathValue("token")
	if rec, err := n.claimRecord(tok); err == nil {
		v.Claimed = rec.Issued != ""
		if !a.Revoked && !v.Claimed {
			v.OfferURI = template.URL(n.OfferURI(tok)) // an openid-credential-offer:// link built by the node
			v.OfferQR = "/claim/" + tok + "/offer.png"
			v.TxCode = rec.TxCodeHash != ""
			if n.cfg.HostedBackpack {
				v.BackpackURL = "/backpack/claim?offer=" + url.QueryEscape(n.OfferURI(tok))
			}
		}
	}
	if t, err := vc.ParseDateTime(c.ValidFrom); err == nil {
		v.IssuedOn = t
	}
	var buf bytes.Buffer
	if err := web.RenderClaim(&buf, v); err != nil {
		n.htmlError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", web.ContentType)
	w.Header().Set("Vary", "Accept-Language")
	w.Write(buf.Bytes())
}
