package examples

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"testing"
	"time"

	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/bake"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/keys"
)

var update = flag.Bool("update", false, "write the example files again")

// demoSeed is the published, insecure seed of the demonstration issuer's key.
var demoSeed = bytes.Repeat([]byte{0xC0}, ed25519.SeedSize)

var demoTime = time.Date(2026, 9, 15, 14, 0, 0, 0, time.UTC)

func demoCredential(t *testing.T) map[string]any {
	t.Helper()
	kp, err := keys.NewKeyPair(ed25519.NewKeyFromSeed(demoSeed))
	if err != nil {
		t.Fatal(err)
	}
	credits := 3.0
	c, err := vc.NewOpenBadge(vc.Badge{
		ID: "urn:uuid:4b0a1d7e-5f2c-4c7e-9a51-6d1f3a8e2c90",
		Issuer: vc.Profile{
			ID:          kp.DIDKey(),
			Name:        vc.Plain("Centre de démonstration"),
			URL:         "https://communs.example/",
			Description: vc.Plain("Partenaire de démonstration du réseau Communs."),
		},
		Achievement: vc.Achievement{
			ID:          "https://communs.example/achievements/cua-niveau-1",
			Name:        vc.Plain("Conception universelle de l'apprentissage — niveau 1"),
			Description: vc.Plain("Reconnaît la capacité à planifier une situation d'apprentissage selon les principes de la CUA."),
			Criteria:    &vc.Criteria{Narrative: vc.Plain("Suivre l'autoformation et déposer une planification commentée (PDF).")},
			// The English edition of the achievement (OB 3.0 links language editions with related).
			Related: []vc.Related{{
				ID:         "https://communs.example/achievements/udl-level-1",
				Type:       vc.Many("Related"),
				InLanguage: "en",
			}},
			AchievementType:  "Competency",
			CreditsAvailable: &credits,
			Tag:              []string{"CUA", "DevProf", "inclusion"},
			InLanguage:       "fr",
			Alignment: []vc.Alignment{{
				Type:            vc.Many("Alignment"),
				TargetName:      vc.Plain("Compétence 4 — Mettre en œuvre des situations d'enseignement-apprentissage"),
				TargetFramework: "Référentiel de compétences professionnelles de la profession enseignante (Québec, 2020)",
				TargetURL:       "https://communs.example/referentiel/competence-4",
			}},
		},
		RecipientEmail: "enseignante@example.org",
		Salt:           "demo-salt-6f1c",
		ValidFrom:      demoTime,
		CreditsEarned:  &credits,
		Evidence: []vc.Evidence{{
			ID:          "https://communs.example/evidence/bafkreidemo",
			Type:        vc.Many("Evidence"),
			Name:        vc.Plain("Planification commentée"),
			Description: vc.Plain("Planification d'une situation d'apprentissage selon la CUA."),
			Genre:       "Planification",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dataintegrity.Sign(context.Background(), doc, dataintegrity.Options{
		VerificationMethod: kp.VerificationMethodID(),
		Created:            demoTime,
	}, kp.Signer())
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// badgeImage draws the badge: a coloured disc with a ring.
func badgeImage() []byte {
	const size = 256
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size) / 2
	for y := range size {
		for x := range size {
			d := math.Hypot(float64(x)-c+0.5, float64(y)-c+0.5)
			switch {
			case d < 96:
				img.Set(x, y, color.NRGBA{0x1f, 0x6f, 0xb2, 0xff})
			case d < 112:
				img.Set(x, y, color.NRGBA{0xf2, 0xb1, 0x34, 0xff})
			case d < 120:
				img.Set(x, y, color.NRGBA{0x1f, 0x6f, 0xb2, 0xff})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

const badgeSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <circle cx="128" cy="128" r="120" fill="#1f6fb2"/>
  <circle cx="128" cy="128" r="108" fill="#f2b134"/>
  <circle cx="128" cy="128" r="96" fill="#1f6fb2"/>
  <text x="128" y="140" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">CUA 1</text>
</svg>
`

func TestExamplesAreCurrentAndVerify(t *testing.T) {
	signed := demoCredential(t)
	js, err := json.MarshalIndent(signed, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	js = append(js, '\n')
	pngData, err := bake.BakePNG(badgeImage(), js)
	if err != nil {
		t.Fatal(err)
	}
	svgData, err := bake.BakeSVG([]byte(badgeSVG), js)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"badge-cua-niveau-1.json": js,
		"badge-cua-niveau-1.png":  pngData,
		"badge-cua-niveau-1.svg":  svgData,
	}
	for name, want := range files {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(name+" is what the demo key makes and it verifies", func(t *testing.T) {
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from what the demo key makes; run go test ./examples -update", name)
			}
			rep, err := vc.Verify(context.Background(), got, vc.Options{Now: demoTime.Add(24 * time.Hour)})
			if err != nil || !rep.Verified {
				t.Fatalf("does not verify: %v %+v", err, rep.Checks)
			}
		})
	}
}
