package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/communs/communs/internal/web"
)

func ExamplePickLang() {
	r := httptest.NewRequest("GET", "/credentials/abc", nil)
	r.Header.Set("Accept-Language", "de-DE,en;q=0.8,fr;q=0.5")
	fmt.Println(web.PickLang(r))
	r = httptest.NewRequest("GET", "/credentials/abc?lang=fr", nil)
	r.Header.Set("Accept-Language", "en")
	fmt.Println(web.PickLang(r))
	// Output:
	// en
	// fr
}

func ExampleMarkdown() {
	fmt.Println(web.Markdown("Réaliser **trois** cordons :\n- à plat\n- en angle\n\n[Grille](https://example.org/grille) <b>"))
	// Output:
	// <p>Réaliser <strong>trois</strong> cordons :</p><ul><li>à plat</li><li>en angle</li></ul><p><a href="https://example.org/grille" rel="nofollow noopener noreferrer">Grille</a> &lt;b&gt;</p>
}

func ExampleFormatDate() {
	d := time.Date(2026, time.September, 15, 0, 0, 0, 0, time.UTC)
	// French dates use no-break spaces, shown here as spaces.
	fmt.Println(strings.ReplaceAll(web.FormatDate("fr", d), "\u00a0", " "))
	fmt.Println(web.FormatDate("en", d))
	// Output:
	// 15 septembre 2026
	// September 15, 2026
}

// A node handler maps its records into a view and renders it.
func ExampleRenderBadge() {
	handler := func(w http.ResponseWriter, r *http.Request) {
		v := web.BadgeView{
			Page:            web.Page{Lang: web.PickLang(r), Path: r.URL.RequestURI(), NodeName: "Communs"},
			AchievementName: "Soudure à l’arc",
			IssuerName:      "Atelier Partagé",
			Status:          web.StatusValid,
		}
		w.Header().Set("Content-Type", web.ContentType)
		w.Header().Set("Vary", "Accept-Language")
		if err := web.RenderBadge(w, v); err != nil {
			http.Error(w, "page unavailable", http.StatusInternalServerError)
		}
	}
	rec := httptest.NewRecorder()
	handler(rec, httptest.NewRequest("GET", "/credentials/abc?lang=en", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output: 200 text/html; charset=utf-8
}
