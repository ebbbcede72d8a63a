package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/communs/communs/node"
	"github.com/communs/communs/vc"
)

// demoAchievement is one achievement of the demonstration partner, in French with its English
// edition (OB 3.0 links language editions with related).
type demoAchievement struct {
	fr, en vc.Achievement
}

func demoAchievements() []demoAchievement {
	mk := func(lang, name, desc, criteria, typ string, tags ...string) vc.Achievement {
		return vc.Achievement{
			Name:            vc.Plain(name),
			Description:     vc.Plain(desc),
			Criteria:        &vc.Criteria{Narrative: vc.Plain(criteria)},
			AchievementType: typ,
			InLanguage:      lang,
			Tag:             tags,
		}
	}
	cua1 := demoAchievement{
		fr: mk("fr", "Conception universelle de l'apprentissage — niveau 1",
			"Reconnaît la capacité à planifier une situation d'apprentissage selon les principes de la conception universelle de l'apprentissage (CUA).",
			"Suivre l'autoformation CUA 1 et **déposer une planification commentée** (PDF) qui applique les trois principes de la CUA.",
			"Competency", "CUA", "DevProf"),
		en: mk("en", "Universal Design for Learning — level 1",
			"Recognises the ability to plan a learning situation following the principles of Universal Design for Learning (UDL).",
			"Complete the UDL 1 self-training and **submit an annotated lesson plan** (PDF) applying the three UDL principles.",
			"Competency", "UDL", "DevProf"),
	}
	cua2 := demoAchievement{
		fr: mk("fr", "Conception universelle de l'apprentissage — niveau 2 : architecte",
			"Reconnaît la capacité à concevoir et à piloter, avec son équipe, un parcours d'apprentissage entièrement conçu selon la CUA.",
			"Détenir le badge CUA niveau 1, concevoir une séquence complète avec une équipe-école et **présenter un bilan réflexif** (PDF).",
			"Competency", "CUA", "DevProf"),
		en: mk("en", "Universal Design for Learning — level 2: architect",
			"Recognises the ability to design and lead, with a team, a learning pathway fully designed with UDL.",
			"Hold the UDL level 1 badge, design a complete sequence with a school team and **present a reflective report** (PDF).",
			"Competency", "UDL", "DevProf"),
	}
	distance := demoAchievement{
		fr: mk("fr", "Enseigner à distance",
			"Reconnaît la capacité à concevoir et animer des activités d'apprentissage à distance, synchrones et asynchrones.",
			"Suivre l'autoformation « J'enseigne à distance » et **animer une activité à distance** documentée par une capsule ou un PDF.",
			"Course", "distance", "numérique"),
		en: mk("en", "Teaching remotely",
			"Recognises the ability to design and lead synchronous and asynchronous remote learning activities.",
			"Complete the “I teach remotely” self-training and **lead a remote activity** documented by a video or a PDF.",
			"Course", "remote", "digital"),
	}
	return []demoAchievement{cua1, cua2, distance}
}

// seedDemo creates, once, the demonstration partner, its achievements and a few awarded badges,
// and returns the badges' URLs. Running it again finds what it made before.
func seedDemo(ctx context.Context, n *node.Node) ([]string, []string, error) {
	const slug = "demo"
	_, err := n.CreateIssuer(ctx, node.IssuerRequest{
		Slug:        slug,
		Name:        "Centre de démonstration",
		URL:         "https://communs.example/",
		Email:       "badges@communs.example",
		Description: "Partenaire de démonstration du réseau Communs : badges de développement professionnel en éducation.",
		Descriptions: map[string]string{
			"fr": "Partenaire de démonstration du réseau Communs : badges de développement professionnel en éducation.",
			"en": "Demonstration partner of the Communs network: professional development badges in education.",
		},
	})
	if err != nil && !errors.Is(err, node.ErrExists) {
		return nil, nil, err
	}
	existing, err := n.Achievements(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]*node.AchievementRecord{}
	for _, a := range existing {
		byName[a.Achievement.Name.String()] = a
	}
	// ensure returns the record of the achievement, creating it the first time.
	ensure := func(a vc.Achievement) (*node.AchievementRecord, error) {
		if rec, ok := byName[a.Name.String()]; ok {
			return rec, nil
		}
		rec, err := n.CreateAchievement(ctx, slug, a)
		if err != nil {
			return nil, err
		}
		byName[a.Name.String()] = rec
		return rec, nil
	}
	var frIDs []string
	for _, d := range demoAchievements() {
		en, err := ensure(d.en)
		if err != nil {
			return nil, nil, err
		}
		d.fr.Related = []vc.Related{{ID: en.Achievement.ID, Type: vc.Many("Related"), InLanguage: "en"}}
		fr, err := ensure(d.fr)
		if err != nil {
			return nil, nil, err
		}
		frIDs = append(frIDs, fr.ID)
	}
	recipients := []struct {
		email, name string
		ach         int
		credits     float64
	}{
		{"marie.lemieux@example.org", "Marie Lemieux", 0, 3},
		{"marie.lemieux@example.org", "Marie Lemieux", 1, 6},
		{"jean.tremblay@example.org", "Jean Tremblay", 2, 2},
	}
	var urls, claims []string
	for i, r := range recipients {
		credits := r.credits
		res, err := n.Award(ctx, slug, node.AwardRequest{
			AchievementID: frIDs[r.ach],
			Recipient:     node.Recipient{Email: r.email, Name: r.name, ShowName: true},
			Narrative:     "Planification déposée et commentée par la conseillère pédagogique.",
			CreditsEarned: &credits,
			RowKey:        fmt.Sprintf("demo-%d", i),
		}, []node.EvidenceFile{{
			Name:        "Preuve déposée",
			Description: "Document soumis à la fin de la formation.",
			Genre:       "Portfolio",
			Data:        demoPDF(fmt.Sprintf("Preuve de %s - badge %d", r.name, r.ach+1)),
		}})
		if err != nil {
			return nil, nil, err
		}
		urls = append(urls, res.URL)
		claims = append(claims, res.ClaimURL)
	}
	return urls, claims, nil
}

// demoPDF returns a one-page PDF showing text (ASCII), with a correct cross-reference table.
func demoPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
