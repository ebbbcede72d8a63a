package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
)

// Catalog holds messages per language ("fr", "en"), keyed by dotted names; values are fmt
// formats when the message takes arguments.
type Catalog map[string]map[string]string

// Pages is a set of page templates that another package (the hosted backpack, the verify
// page) embeds and renders inside the shared layout, with its own messages. Its templates see
// every helper of this package's pages; `t` looks a key up in the set's catalog first, then in
// the shared one, so the layout's messages need not be repeated. A page template defines
// "content", and may define "head" (extra tags in <head>) and "nav" (extra header links).
// It is safe for concurrent use.
type Pages struct {
	sets map[string]*template.Template
	cat  Catalog
}

// NewPages parses each named page ("backpack" reads backpack.html from fsys) with the shared
// layout, and every file matching partials (a glob, "" for none) into each of them.
func NewPages(fsys fs.FS, cat Catalog, partials string, names ...string) (*Pages, error) {
	p := &Pages{sets: map[string]*template.Template{}, cat: cat}
	fm := maps.Clone(funcs)
	fm["t"] = p.T
	base, err := template.New("layout.html").Funcs(fm).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("%w: parse layout: %v", ErrRender, err)
	}
	if partials != "" {
		if base, err = base.ParseFS(fsys, partials); err != nil {
			return nil, fmt.Errorf("%w: parse %s: %v", ErrRender, partials, err)
		}
	}
	for _, name := range names {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := c.ParseFS(fsys, name+".html"); err != nil {
			return nil, fmt.Errorf("%w: parse %s: %v", ErrRender, name, err)
		}
		p.sets[name] = c
	}
	return p, nil
}

// T is the set's message lookup: its own catalog, then the shared one (see T).
func (p *Pages) T(lang, key string, args ...any) string {
	msg, ok := p.cat[lang][key]
	if !ok {
		msg, ok = p.cat[DefaultLang][key]
	}
	if !ok {
		return T(lang, key, args...)
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Render writes page name with data (whose Page fields the layout reads: embed Page), into a
// buffer first so that a failing template writes nothing.
func (p *Pages) Render(w io.Writer, name string, data any) error {
	t, ok := p.sets[name]
	if !ok {
		return fmt.Errorf("%w %s: no such page", ErrRender, name)
	}
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("%w %s: %v", ErrRender, name, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%w %s: write: %w", ErrRender, name, err)
	}
	return nil
}

// FixPage sets p's language to DefaultLang when it is not one the pages speak, and its title
// when empty.
func FixPage(p *Page, title string) { normalPage(p, title) }
