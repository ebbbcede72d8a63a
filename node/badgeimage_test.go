package node

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/vc/bake"
)

// get fetches path from the node and returns status, Content-Type and body.
func (tn *testNode) get(t testing.TB, path string, header ...string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", tn.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func TestDefaultBadgeImage(t *testing.T) {
	t.Run("the default PNG is a 256-pixel square with a transparent corner and an opaque centre", func(t *testing.T) {
		img, err := png.Decode(bytes.NewReader(DefaultBadgePNG("q4ht2mzbrqn3pmx7yh6dhzzaqa")))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != DefaultBadgeSize || b.Dy() != DefaultBadgeSize {
			t.Fatalf("bounds %v", b)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("corner alpha %d, want transparent", a)
		}
		if _, _, _, a := img.At(128, 128).RGBA(); a != 0xffff {
			t.Errorf("centre alpha %d, want opaque", a)
		}
	})
	t.Run("the same achievement always gets the same image and another one a different image", func(t *testing.T) {
		a1, a2, b := DefaultBadgePNG("a"), DefaultBadgePNG("a"), DefaultBadgePNG("b")
		if !bytes.Equal(a1, a2) || bytes.Equal(a1, b) {
			t.Fatal("the image is not a function of the achievement id")
		}
		if bytes.Equal(DefaultBadgeSVG("a"), DefaultBadgeSVG("b")) {
			t.Fatal("the SVG is not a function of the achievement id")
		}
	})
	t.Run("the default SVG can carry a baked credential", func(t *testing.T) {
		baked, err := bake.BakeSVG(DefaultBadgeSVG("a"), []byte(`{"id":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := bake.UnbakeSVG(baked); err != nil || string(got) != `{"id":"x"}` {
			t.Fatalf("unbaked %q, %v", got, err)
		}
	})
}

func TestBadgeImagesOfAwards(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ctx := context.Background()
	ach := setUpIssuerA(t, tn)
	award := func(t *testing.T, achID, did string) *AwardResult {
		t.Helper()
		res, err := tn.Award(ctx, "a", AwardRequest{AchievementID: achID, Recipient: Recipient{DID: did}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	plain := award(t, ach, "did:example:plain")

	t.Run("an achievement without image serves the default PNG", func(t *testing.T) {
		st, ct, body := tn.get(t, "/achievements/"+ach+"/image")
		if st != 200 || ct != "image/png" || !bytes.Equal(body, DefaultBadgePNG(ach)) {
			t.Fatalf("= %d %s (%d bytes)", st, ct, len(body))
		}
		if st, _, _ := tn.get(t, "/achievements/zzzzzzzzzzzzzzzzzzzzzzzzzz/image"); st != 404 {
			t.Fatalf("unknown achievement = %d", st)
		}
	})
	t.Run("a badge without achievement image still has a baked PNG holding its credential", func(t *testing.T) {
		st, ct, body := tn.get(t, "/credentials/"+plain.ID+".png")
		if st != 200 || ct != "image/png" {
			t.Fatalf("= %d %s", st, ct)
		}
		cred, err := bake.UnbakePNG(body)
		if err != nil || !bytes.Equal(cred, plain.Credential) {
			t.Fatalf("unbaked %d bytes, %v", len(cred), err)
		}
		if _, err := png.Decode(bytes.NewReader(body)); err != nil {
			t.Fatalf("the baked PNG does not decode: %v", err)
		}
	})
	t.Run("and a baked SVG in the same colours", func(t *testing.T) {
		st, ct, body := tn.get(t, "/credentials/"+plain.ID+".svg")
		def := DefaultBadgeSVG(ach)
		circles := def[bytes.Index(def, []byte("<circle")):][:150]
		if st != 200 || ct != "image/svg+xml" || !bytes.Contains(body, circles) {
			t.Fatalf("= %d %s %.200s", st, ct, body)
		}
		if cred, err := bake.UnbakeSVG(body); err != nil || !bytes.Equal(cred, plain.Credential) {
			t.Fatalf("unbaked %v", err)
		}
	})
	t.Run("the badge page shows the image and offers the PNG, SVG and JSON downloads", func(t *testing.T) {
		_, _, page := tn.get(t, "/credentials/"+plain.ID+"?lang=en")
		for _, want := range []string{`class="badge-image" src="` + tn.srv.URL + "/achievements/" + ach + `/image"`, plain.ID + `.png" download`, plain.ID + `.svg" download`, plain.ID + `.json" download`} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("page lacks %s", want)
			}
		}
	})
	t.Run("an SVG achievement image keeps the SVG bake and the PNG bake uses the default image", func(t *testing.T) {
		svgAch, _ := tn.CreateAchievement(ctx, "a", mustAchievement(t))
		svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect id="own" width="10" height="10"/></svg>`
		if _, err := tn.SetAchievementImage(ctx, "a", svgAch.ID, []byte(svg)); err != nil {
			t.Fatal(err)
		}
		res := award(t, svgAch.ID, "did:example:svg")
		_, _, s := tn.get(t, "/credentials/"+res.ID+".svg")
		if !bytes.Contains(s, []byte(`id="own"`)) {
			t.Fatalf("the SVG bake is not the achievement's SVG: %.300s", s)
		}
		st, ct, p := tn.get(t, "/credentials/"+res.ID+".png")
		if st != 200 || ct != "image/png" {
			t.Fatalf("= %d %s", st, ct)
		}
		if cred, err := bake.UnbakePNG(p); err != nil || !bytes.Equal(cred, res.Credential) {
			t.Fatalf("unbaked: %v", err)
		}
		if _, _, page := tn.get(t, "/credentials/"+res.ID); !bytes.Contains(page, []byte(res.ID+`.png" download`)) {
			t.Fatal("the page does not offer the PNG")
		}
	})
	t.Run("a PNG achievement image is the one baked", func(t *testing.T) {
		pngAch, _ := tn.CreateAchievement(ctx, "a", mustAchievement(t))
		own := DefaultBadgePNG("my own image")
		if _, err := tn.SetAchievementImage(ctx, "a", pngAch.ID, own); err != nil {
			t.Fatal(err)
		}
		res := award(t, pngAch.ID, "did:example:png")
		_, _, p := tn.get(t, "/credentials/"+res.ID+".png")
		if !bytes.HasPrefix(p, own[:33]) || len(p) < len(own) {
			t.Fatal("the baked PNG is not the achievement's image")
		}
		if _, _, img := tn.get(t, "/achievements/"+pngAch.ID+"/image"); !bytes.Equal(img, own) {
			t.Fatal("the achievement image route does not serve the stored image")
		}
	})
	t.Run("the issuer page shows an image for every achievement", func(t *testing.T) {
		_, _, page := tn.get(t, "/issuers/a?lang=fr")
		if n := strings.Count(string(page), "/image\""); n < 3 {
			t.Fatalf("%d images on the issuer page", n)
		}
	})
}

func BenchmarkDefaultBadgePNG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		DefaultBadgePNG("q4ht2mzbrqn3pmx7yh6dhzzaqa")
	}
}

func BenchmarkBakedPNGOfDefaultImage(b *testing.B) {
	tn := startNode(b, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(b, tn)
	res, err := tn.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{DID: "did:example:b"}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if st, _, _ := tn.get(b, "/credentials/"+res.ID+".png"); st != 200 {
			b.Fatal(st)
		}
	}
}
