package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestPages(t *testing.T) {
	fsys := fstest.MapFS{
		"hello.html": {Data: []byte(`{{define "nav"}}<a class="extra" href="/x">{{t .Lang "own.nav"}}</a>{{end}}{{define "content"}}<h1>{{t .Lang "own.hello" .Who}}</h1>{{template "part" .}}{{end}}`)},
		"part.tmpl":  {Data: []byte(`{{define "part"}}<p>{{t .Lang "nav.home"}}</p>{{end}}`)},
	}
	cat := Catalog{"fr": {"own.hello": "Bonjour %s", "own.nav": "Mon sac"}, "en": {"own.hello": "Hello %s"}}
	p, err := NewPages(fsys, cat, "*.tmpl", "hello")
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Page
		Who string
	}
	render := func(lang string) string {
		var b strings.Builder
		v := view{Page: Page{Lang: lang}, Who: "<Ana>"}
		FixPage(&v.Page, "Titre")
		if err := p.Render(&b, "hello", v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	t.Run("own messages, shared messages and the layout are all used", func(t *testing.T) {
		fr := render("fr")
		for _, want := range []string{"<h1>Bonjour &lt;Ana&gt;</h1>", "<p>Accueil</p>", `class="extra"`, "Mon sac", `<html lang="fr">`, "<title>Titre"} {
			if !strings.Contains(fr, want) {
				t.Errorf("French page lacks %q", want)
			}
		}
		en := render("en")
		if !strings.Contains(en, "Hello &lt;Ana&gt;") || !strings.Contains(en, "<p>Home</p>") {
			t.Errorf("English page wrong:\n%s", en)
		}
		if !strings.Contains(en, "Mon sac") {
			t.Error("a message missing in English does not fall back to French")
		}
	})
	t.Run("an unknown page is an error", func(t *testing.T) {
		if err := p.Render(&strings.Builder{}, "nope", nil); err == nil {
			t.Fatal("no error")
		}
	})
}
