package backpack

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/internal/web"
)

// saveCollectionRaw rewrites a collection as it is (used when a badge leaves it).
func (b *Backpack) saveCollectionRaw(c *Collection) (*Collection, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return c, b.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyAccountCollection(c.accountHint, c.ID)); err != nil || !ok {
			return err
		}
		return t.Set(store.KeyAccountCollection(c.accountHint, c.ID), raw)
	})
}

func (b *Backpack) getCollections(w http.ResponseWriter, r *http.Request, q *req) {
	cs, err := b.Collections(q.acct.ID)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	v := collectionsView{base: b.signedIn(r, q, b.pages.T(q.lang, "collections.title")), Collections: cs}
	b.render(w, r, http.StatusOK, "collections", v)
}

func (b *Backpack) getCollection(w http.ResponseWriter, r *http.Request, q *req) {
	c, err := b.Collection(q.acct.ID, r.PathValue("id"))
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	b.collectionPage(w, r, q, http.StatusOK, c, "")
}

func (b *Backpack) collectionPage(w http.ResponseWriter, r *http.Request, q *req, status int, c *Collection, msg string) {
	items, err := b.items(r, q)
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	in := map[string]bool{}
	for _, id := range c.Badges {
		in[id] = true
	}
	for i := range items {
		items[i].Selected = in[items[i].ID]
	}
	title := c.Name
	if title == "" {
		title = b.pages.T(q.lang, "collections.new")
	}
	v := collectionView{base: b.signedIn(r, q, title), Collection: c, Badges: items}
	if c.Share != "" {
		v.ShareURL = b.cfg.base() + "/c/" + c.Share
		if png, err := web.QRPNG(v.ShareURL, 192); err == nil {
			v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
	}
	v.Error = msg
	if n := r.URL.Query().Get("notice"); n != "" && b.pages.T(q.lang, "notice."+n) != "notice."+n {
		v.Notice = b.pages.T(q.lang, "notice."+n)
	}
	b.render(w, r, status, "collection", v)
}

// postCollection creates (POST /backpack/collections) or updates a collection.
func (b *Backpack) postCollection(w http.ResponseWriter, r *http.Request, q *req) {
	c := Collection{ID: r.PathValue("id"), Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Badges: r.PostForm["badge"]}
	saved, err := b.SaveCollection(r.Context(), q.acct.ID, c)
	if err != nil {
		if errors.Is(err, ErrBadInput) {
			b.collectionPage(w, r, q, http.StatusBadRequest, &c, b.message(q.lang, err))
			return
		}
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack/collections/"+saved.ID+"?notice=saved", http.StatusSeeOther)
}

func (b *Backpack) postShareCollection(w http.ResponseWriter, r *http.Request, q *req) {
	if _, err := b.ShareLink(r.Context(), q.acct.ID, ShareCollection, r.PathValue("id")); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack/collections/"+r.PathValue("id")+"?notice=shared", http.StatusSeeOther)
}

func (b *Backpack) postUnshareCollection(w http.ResponseWriter, r *http.Request, q *req) {
	c, err := b.Collection(q.acct.ID, r.PathValue("id"))
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	if c.Share != "" {
		if err := b.Unshare(r.Context(), q.acct.ID, c.Share); err != nil {
			b.fail(w, r, q.lang, err)
			return
		}
	}
	http.Redirect(w, r, "/backpack/collections/"+c.ID+"?notice=unshared", http.StatusSeeOther)
}

func (b *Backpack) postDeleteCollection(w http.ResponseWriter, r *http.Request, q *req) {
	if err := b.DeleteCollection(r.Context(), q.acct.ID, r.PathValue("id")); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	http.Redirect(w, r, "/backpack/collections", http.StatusSeeOther)
}
