package wallet

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/bake"
)

func TestKeepAssets(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(t)
	pic := testPNG(t, 64, 64)
	evPNG := testPNG(t, 16, 16)
	srv := newAssetServer(t, map[string]servedFile{
		"/image.png":     {body: pic, contentType: "application/octet-stream"},
		"/image.svg":     {body: []byte(testSVG), contentType: "image/svg+xml"},
		"/big.png":       {body: append(bytes.Clone(pic), make([]byte, 3<<20)...), contentType: "image/png"},
		"/page.html":     {body: []byte("<!doctype html><html><body>Bonjour</body></html>"), contentType: "image/png"},
		"/ev/rapport":    {body: testPDF, contentType: "application/pdf", disposition: `attachment; filename="rapport-stage.pdf"`},
		"/ev/photo":      {body: evPNG, contentType: "image/png", disposition: `attachment; filename*=UTF-8''photo-%C3%A9t%C3%A9.png`},
		"/ev/changed":    {body: []byte("%PDF-1.4 a different file"), contentType: "application/pdf"},
		"/ev/portfolio":  {body: []byte("<html><head><title>Portfolio</title></head></html>"), contentType: "text/html"},
		"/ev/huge":       {body: append([]byte("%PDF-1.4\n"), make([]byte, 21<<20)...), contentType: "application/pdf"},
		"/ev/notes.txt":  {body: []byte("Notes de l'évaluateur : très bien.\n"), contentType: "text/plain"},
		"/ev/second.pdf": {body: testPDF, contentType: "application/pdf"},
	})
	u := srv.URL
	changedDigest := digestMultibaseOf(testPDF) // the digest of another file

	w, holder := openAssetWallet(t, &now)
	cred := is.signRich(t, richBadge{
		ID: "https://node.example/credentials/rich", SubjectDID: holder, Image: u + "/image.png",
		Evidence: []vc.Evidence{
			{ID: u + "/ev/rapport", Name: vc.Plain("Rapport de stage")},
			{ID: u + "/ev/photo"},
			{ID: u + "/ev/changed", Name: vc.Plain("Compte rendu")},
			{ID: u + "/ev/portfolio", Name: vc.Plain("Portfolio")},
			{Narrative: vc.Plain("A tenu le poste de secours pendant la fête du village.")},
			{ID: "urn:uuid:6f1e0c3a-8f7e-4f5e-9a55-1d2c3b4a5e6f"},
			{ID: u + "/ev/notes.txt"},
		},
		Related: []vc.RelatedResource{
			{ID: u + "/ev/rapport", DigestMultibase: digestMultibaseOf(testPDF), MediaType: "application/pdf"},
			{ID: u + "/ev/photo", DigestSRI: sri384(evPNG)},
			{ID: u + "/ev/changed", DigestMultibase: changedDigest},
		},
	})
	b, err := w.Import(ctx, cred, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.KeepAssets(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kept %d evidence files; skipped: %+v", len(a.Evidence), a.Skipped)

	t.Run("the image at its https URL is kept, its type sniffed from the bytes", func(t *testing.T) {
		if a.Picture == nil || a.Picture.MediaType != "image/png" || a.Picture.Source != u+"/image.png" || a.Picture.Size != int64(len(pic)) {
			t.Fatalf("picture %+v", a.Picture)
		}
		mt, data, err := w.Picture(ctx, b.CredentialID)
		if err != nil || mt != "image/png" || !bytes.Equal(data, pic) {
			t.Fatalf("Picture: %q %d bytes %v", mt, len(data), err)
		}
	})
	t.Run("evidence files matching their digests are kept and marked checked", func(t *testing.T) {
		if len(a.Evidence) != 3 {
			t.Fatalf("kept %+v", a.Evidence)
		}
		r, p, n := a.Evidence[0], a.Evidence[1], a.Evidence[2]
		if r.N != 0 || r.Name != "Rapport de stage.pdf" || r.MediaType != "application/pdf" || !r.Checked || r.Digest != digestMultibaseOf(testPDF) || r.URL != u+"/ev/rapport" {
			t.Fatalf("rapport %+v", r)
		}
		if p.N != 1 || p.Name != "photo-été.png" || p.MediaType != "image/png" || !p.Checked {
			t.Fatalf("photo %+v", p)
		}
		if n.N != 6 || n.MediaType != "text/plain" || n.Checked || n.Name != "evidence-7.txt" {
			t.Fatalf("notes %+v", n)
		}
		list, err := w.Evidence(ctx, b.ID)
		if err != nil || len(list) != 3 || list[1] != p {
			t.Fatalf("Evidence: %+v %v", list, err)
		}
		f, data, err := w.EvidenceFile(ctx, b.ID, 1)
		if err != nil || f != p || !bytes.Equal(data, evPNG) {
			t.Fatalf("EvidenceFile: %+v %v", f, err)
		}
		if _, _, err := w.EvidenceFile(ctx, b.ID, 2); !errors.Is(err, ErrNoEvidence) {
			t.Fatalf("a skipped file: %v", err)
		}
	})
	t.Run("a file that does not match its digest is not kept, and the report says it changed", func(t *testing.T) {
		if !skippedWith(a, "evidence", 2, "does not match the digest") {
			t.Fatalf("%+v", a.Skipped)
		}
	})
	t.Run("a web page and a non-http evidence id are reported, not kept", func(t *testing.T) {
		if !skippedWith(a, "evidence", 3, "web page") || !skippedWith(a, "evidence", 5, "not an http(s) address") {
			t.Fatalf("%+v", a.Skipped)
		}
		if skippedWith(a, "evidence", 4, "") {
			t.Fatal("narrative evidence (no id) is reported as skipped")
		}
	})
	t.Run("keeping again fetches only what is missing", func(t *testing.T) {
		before := srv.count("/ev/rapport") + srv.count("/image.png")
		again, err := w.KeepAssets(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after := srv.count("/ev/rapport") + srv.count("/image.png"); after != before {
			t.Fatalf("kept files fetched again: %d -> %d", before, after)
		}
		if len(again.Evidence) != 3 || again.Picture == nil || srv.count("/ev/changed") != 2 {
			t.Fatalf("%+v, /ev/changed fetched %d times", again, srv.count("/ev/changed"))
		}
	})
	t.Run("the archive lists the evidence files and holds their bytes", func(t *testing.T) {
		var buf bytes.Buffer
		if err := w.ExportZIP(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		files := unzip(t, buf.Bytes())
		var idx Index
		if err := json.Unmarshal(files["index.json"], &idx); err != nil || len(idx.Badges) != 1 {
			t.Fatalf("index: %v %s", err, files["index.json"])
		}
		e := idx.Badges[0]
		if e.Picture != "pictures/"+b.ID+".png" || !bytes.Equal(files[e.Picture], pic) {
			t.Fatalf("picture %q", e.Picture)
		}
		if len(e.Evidence) != 3 || e.Evidence[0].File != "evidence/"+b.ID+"/0-Rapport de stage.pdf" || !e.Evidence[0].Checked {
			t.Fatalf("evidence %+v", e.Evidence)
		}
		if !bytes.Equal(files[e.Evidence[1].File], evPNG) || !bytes.Equal(files[e.Evidence[0].File], testPDF) {
			t.Fatal("evidence bytes differ in the archive")
		}
	})
	t.Run("deleting the badge deletes its picture and evidence files", func(t *testing.T) {
		if err := w.Delete(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		err := w.db.Scan(w.space.Prefix(), nil, func(k, _ []byte) error {
			if strings.Contains(string(k), b.ID) {
				t.Errorf("key %q left after deletion", k)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("an oversized image and evidence file are reported, not kept", func(t *testing.T) {
		w, holder := openAssetWallet(t, &now)
		b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/big", SubjectDID: holder,
			Image: u + "/big.png", Evidence: []vc.Evidence{{ID: u + "/ev/huge"}, {ID: u + "/ev/second.pdf"}}}), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.KeepAssets(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Picture != nil || !skippedWith(a, "picture", -1, "2097152 bytes the wallet keeps") || !skippedWith(a, "evidence", 0, "20971520") {
			t.Fatalf("%+v", a)
		}
		if len(a.Evidence) != 1 || a.Evidence[0].N != 1 || a.Evidence[0].Name != "evidence-2.pdf" {
			t.Fatalf("the small file after the large one is not kept: %+v", a.Evidence)
		}
		if _, _, err := w.Picture(ctx, b.ID); !errors.Is(err, ErrNoImage) {
			t.Fatalf("Picture: %v", err)
		}
	})
	t.Run("an image that is a web page is refused by its bytes, whatever its declared type", func(t *testing.T) {
		w, holder := openAssetWallet(t, &now)
		b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/html", SubjectDID: holder,
			Image: u + "/page.html"}), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.KeepAssets(ctx, b.ID)
		if err != nil || a.Picture != nil || !skippedWith(a, "picture", -1, "text/html, not a PNG, JPEG, GIF, WebP or SVG") {
			t.Fatalf("%+v %v", a, err)
		}
	})
	t.Run("an SVG image is kept as image/svg+xml", func(t *testing.T) {
		w, holder := openAssetWallet(t, &now)
		b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/svg", SubjectDID: holder,
			Image: u + "/image.svg"}), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.KeepAssets(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		mt, data, err := w.Picture(ctx, b.ID)
		if err != nil || mt != "image/svg+xml" || string(data) != testSVG {
			t.Fatalf("%q %v", mt, err)
		}
		svg, err := w.ExportBaked(ctx, b.ID, "svg")
		if err != nil {
			t.Fatal(err)
		}
		if got, kind, err := bake.Unbake(svg); err != nil || kind != bake.KindSVG || !bytes.Contains(got, []byte(b.CredentialID)) {
			t.Fatalf("baked SVG: %v", err)
		}
	})
	t.Run("a data: URL image is kept without a request", func(t *testing.T) {
		w, holder := openAssetWallet(t, &now)
		dataURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pic)
		b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/data", SubjectDID: holder,
			Image: dataURL}), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.KeepAssets(ctx, b.ID)
		if err != nil || a.Picture == nil || a.Picture.Source != "data" || len(a.Skipped) != 0 {
			t.Fatalf("%+v %v", a, err)
		}
	})
	t.Run("a baked badge keeps the image it came in", func(t *testing.T) {
		w, _ := openAssetWallet(t, &now)
		b, err := w.Import(ctx, readFile(t, "../examples/badge-cua-niveau-1.png"), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.KeepAssets(ctx, b.ID)
		if err != nil || a.Picture == nil || a.Picture.Source != "baked" || a.Picture.MediaType != "image/png" {
			t.Fatalf("%+v %v", a, err)
		}
	})
}

func TestKeepAssetsWhenTheServerIsDown(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(t)
	srv := newAssetServer(t, map[string]servedFile{})
	u := srv.URL
	srv.Close()
	w, holder := openAssetWallet(t, &now)
	b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/down", SubjectDID: holder,
		Image: u + "/image.png", Evidence: []vc.Evidence{{ID: u + "/ev/rapport"}}}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.KeepAssets(ctx, b.ID)
	t.Run("the badge is kept and each file is reported skipped with a reason to try again", func(t *testing.T) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Picture != nil || len(a.Evidence) != 0 || !skippedWith(a, "picture", -1, "try keeping the badge's files again later") ||
			!skippedWith(a, "evidence", 0, "could not be fetched") {
			t.Fatalf("%+v", a)
		}
		if count(t, w) != 1 {
			t.Fatal("the badge was lost")
		}
	})
	t.Run("a baked PNG cannot be made and the error says why", func(t *testing.T) {
		if _, err := w.ExportBaked(ctx, b.ID, "png"); !errors.Is(err, ErrNoImage) || !strings.Contains(err.Error(), "could not be fetched") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("an unknown badge is ErrNotFound", func(t *testing.T) {
		if _, err := w.KeepAssets(ctx, "urn:nothing"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v", err)
		}
	})
}

func TestExportBakedFromAnHTTPSImage(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(t)
	pic := testPNG(t, 32, 32)
	srv := newAssetServer(t, map[string]servedFile{"/image.png": {body: pic, contentType: "image/png"}})
	w, holder := openAssetWallet(t, &now)
	b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/url-image", SubjectDID: holder,
		Image: srv.URL + "/image.png"}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) {
		png, err := w.ExportBaked(ctx, b.ID, "png")
		if err != nil {
			t.Fatal(err)
		}
		got, kind, err := bake.Unbake(png)
		if err != nil || kind != bake.KindPNG || !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(b.Raw())) {
			t.Fatalf("unbake: %v", err)
		}
		if _, err := w.ExportBaked(ctx, b.ID, "svg"); !errors.Is(err, ErrNoImage) {
			t.Fatalf("an SVG from a PNG image: %v", err)
		}
	}
	t.Run("an image not kept is fetched and baked", check)
	t.Run("a kept image is baked after its server is gone", func(t *testing.T) {
		if _, err := w.KeepAssets(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		srv.Close()
		check(t)
	})
}

func TestKeepAssetsWithTheProductionBodyLimit(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(t)
	srv := newAssetServer(t, map[string]servedFile{"/ev/big.pdf": {body: append([]byte("%PDF-1.4\n"), make([]byte, 2<<20)...)}})
	cfg := testConfig(t, &now)
	cfg.HTTPClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true}) // 1 MiB bodies
	w, err := Open(t.TempDir(), testPassphrase, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	holder, _ := w.Init(ctx)
	b, err := w.Import(ctx, is.signRich(t, richBadge{ID: "https://node.example/credentials/limit", SubjectDID: holder,
		Evidence: []vc.Evidence{{ID: srv.URL + "/ev/big.pdf"}}}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a file over the client's limit is reported as such", func(t *testing.T) {
		a, err := w.KeepAssets(ctx, b.ID)
		if err != nil || !skippedWith(a, "evidence", 0, "larger than the wallet's HTTP client accepts") {
			t.Fatalf("%+v %v", a, err)
		}
	})
}
