package backpack

import (
	"io/fs"
	"net/http"
)

func fsSub() (fs.FS, error) { return fs.Sub(templateFS, "templates") }

// getStatic serves the backpack's style sheet.
func getStatic(w http.ResponseWriter, r *http.Request) {
	data, err := fs.ReadFile(templateFS, "static/backpack.css")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(data)
}
