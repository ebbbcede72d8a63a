package wallet

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/vc"
)

func TestPresentation(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	w, holder := openWallet(t, &now)
	is := newIssuer(t)
	ctx := context.Background()
	var ids []string
	for _, id := range []string{"urn:uuid:0b1c2d3e-0000-4000-8000-000000000010", "urn:uuid:0b1c2d3e-0000-4000-8000-000000000011"} {
		b, err := w.Import(ctx, is.badge(t, id, holder, now.Add(-time.Hour), time.Time{}), ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	vp, rep, err := w.Present(ctx, ids, "c-123", "https://verifier.example")
	if err != nil {
		t.Fatal(err)
	}
	opts := vc.Options{Now: now, Challenge: "c-123", Domain: "https://verifier.example"}
	t.Run("the presentation verifies with its holder proof and both credentials", func(t *testing.T) {
		if !rep.Verified || len(rep.Credentials) != 2 {
			t.Fatalf("%s", rep.Reason())
		}
		again, _ := vc.Verify(ctx, vp, opts)
		if !again.Verified {
			t.Fatal(again.Reason())
		}
		var m map[string]any
		_ = json.Unmarshal(vp, &m)
		if m["holder"] != holder {
			t.Fatalf("holder %v", m["holder"])
		}
	})
	t.Run("a tampered presentation does not verify", func(t *testing.T) {
		tampered := bytes.Replace(vp, []byte("Premiers secours"), []byte("Derniers secours"), 1)
		if bytes.Equal(tampered, vp) {
			t.Fatal("nothing tampered")
		}
		if rep, _ := vc.Verify(ctx, tampered, opts); rep.Verified {
			t.Fatal("tampered presentation verified")
		}
	})
	t.Run("another challenge does not verify", func(t *testing.T) {
		o := opts
		o.Challenge = "other"
		if rep, _ := vc.Verify(ctx, vp, o); rep.Verified {
			t.Fatal("verified with another challenge")
		}
	})
}

func TestExportArchive(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	w, holder := openWallet(t, &now)
	ctx := context.Background()
	png, err := w.Import(ctx, readFile(t, "../examples/badge-cua-niveau-1.png"), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	is := newIssuer(t)
	other, err := w.Import(ctx, is.badge(t, "urn:uuid:0b1c2d3e-0000-4000-8000-000000000020", holder, now.Add(-time.Hour), time.Time{}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.ExportZIP(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, buf.Bytes())
	var idx Index
	if err := json.Unmarshal(files["index.json"], &idx); err != nil {
		t.Fatal(err)
	}
	t.Run("the index lists both badges and every file it names is in the archive", func(t *testing.T) {
		if len(idx.Badges) != 2 || idx.Holder != holder {
			t.Fatalf("index %+v", idx)
		}
		for _, e := range idx.Badges {
			for _, name := range []string{e.File, e.Report, e.Image} {
				if name != "" && len(files[name]) == 0 {
					t.Fatalf("%s missing", name)
				}
			}
		}
	})
	t.Run("the exported credentials verify again", func(t *testing.T) {
		for _, id := range []string{png.ID, other.ID} {
			rep, _ := vc.Verify(ctx, files["credentials/"+id+".json"], vc.Options{Now: now})
			if !rep.Verified {
				t.Fatalf("%s: %s", id, rep.Reason())
			}
		}
		rep, _ := vc.Verify(ctx, files["images/"+png.ID+".png"], vc.Options{Now: now})
		if !rep.Verified || !strings.HasPrefix(rep.Format, "png") {
			t.Fatalf("baked image: %s %s", rep.Format, rep.Reason())
		}
	})
	t.Run("a badge without an image cannot be baked", func(t *testing.T) {
		if _, err := w.ExportBaked(ctx, other.ID, "png"); err == nil {
			t.Fatal("baked without an image")
		}
	})
}
