package backpack

import (
	"net/http"
	"strings"
)

func (b *Backpack) getPresent(w http.ResponseWriter, r *http.Request, q *req) {
	items, err := b.items(r, q)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	sel := map[string]bool{}
	for _, id := range r.URL.Query()["badge"] {
		sel[id] = true
	}
	for i := range items {
		items[i].Selected = sel[items[i].ID]
	}
	v := presentView{base: b.signedIn(r, q, b.pages.T(q.lang, "present.title")), Badges: items,
		Challenge: r.URL.Query().Get("challenge"), Domain: r.URL.Query().Get("domain")}
	b.render(w, r, http.StatusOK, "present", v)
}

// postPresent signs a presentation of the chosen badges and shows its link and QR code.
func (b *Backpack) postPresent(w http.ResponseWriter, r *http.Request, q *req) {
	ids := r.PostForm["badge"]
	challenge, domain := strings.TrimSpace(r.PostFormValue("challenge")), strings.TrimSpace(r.PostFormValue("domain"))
	if len(ids) == 0 || len(challenge) > 512 || len(domain) > 512 {
		items, _ := b.items(r, q)
		v := presentView{base: b.signedIn(r, q, b.pages.T(q.lang, "present.title")), Badges: items, Challenge: challenge, Domain: domain}
		v.Error = b.pages.T(q.lang, "err.presentNone")
		b.render(w, r, http.StatusBadRequest, "present", v)
		return
	}
	s, err := b.Present(r.Context(), q.acct.ID, ids, challenge, domain)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/p/"+s.Token, http.StatusSeeOther)
}
