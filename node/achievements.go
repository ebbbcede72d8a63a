package node

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

// AchievementRecord is a stored achievement. Achievement.ID is its public URL
// (BASE/achievements/{id}); awarded badges embed a copy, so edits never change issued badges.
type AchievementRecord struct {
	V           int            `json:"v"`
	ID          string         `json:"id"`
	Issuer      string         `json:"issuer"`
	Archived    bool           `json:"archived,omitempty"`
	ImageType   string         `json:"imageType,omitempty"`
	Achievement vc.Achievement `json:"achievement"`
	Created     time.Time      `json:"created"`
	Updated     time.Time      `json:"updated"`
}

func checkAchievement(a *vc.Achievement) error {
	switch {
	case a.Name.IsZero():
		return fmt.Errorf("%w: the achievement needs a name", ErrInvalid)
	case a.Description.IsZero():
		return fmt.Errorf("%w: the achievement needs a description", ErrInvalid)
	case a.Criteria == nil || (a.Criteria.ID == "" && a.Criteria.Narrative.IsZero()):
		return fmt.Errorf("%w: the achievement needs criteria (narrative and/or id URL)", ErrInvalid)
	case len(a.Name.Langs) > 0 || len(a.Description.Langs) > 0 || len(a.Criteria.Narrative.Langs) > 0:
		return fmt.Errorf("%w: name, description and criteria must be plain strings: create one achievement per language and link them with related", ErrInvalid)
	}
	return nil
}

// CreateAchievement stores a new achievement of issuer slug. Errors: ErrNotFound (issuer),
// ErrInvalid.
func (n *Node) CreateAchievement(ctx context.Context, slug string, a vc.Achievement) (*AchievementRecord, error) {
	if err := checkAchievement(&a); err != nil {
		return nil, fmt.Errorf("create achievement: %w", err)
	}
	iss, err := n.Issuer(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("create achievement: %w", err)
	}
	id, err := n.randomID()
	if err != nil {
		return nil, err
	}
	now := n.cfg.Now().UTC()
	a.ID = n.cfg.base() + "/achievements/" + id
	a.Type = vc.Many("Achievement")
	a.Image = nil
	p := iss.Profile()
	a.Creator = &p
	rec := &AchievementRecord{V: 1, ID: id, Issuer: slug, Achievement: a, Created: now, Updated: now}
	err = n.db.Update(func(t *store.Txn) error {
		t.Set(store.KeyAchievement(slug, id), mustJSON(rec))
		return n.audit(t, "achievement.create", actorOf(ctx), slug, id)
	})
	if err != nil {
		return nil, fmt.Errorf("create achievement: %w", err)
	}
	return rec, nil
}

// Achievement returns an achievement of issuer slug. Errors: ErrNotFound.
func (n *Node) Achievement(ctx context.Context, slug, id string) (*AchievementRecord, error) {
	if strings.ContainsRune(id, '/') || id == "" {
		return nil, fmt.Errorf("achievement %q: %w", id, ErrNotFound)
	}
	var rec AchievementRecord
	if err := getJSON(n.db.Get, store.KeyAchievement(slug, id), &rec, "achievement "+id); err != nil {
		return nil, err
	}
	return &rec, nil
}

// Achievements lists the achievements of issuer slug.
func (n *Node) Achievements(ctx context.Context, slug string) ([]*AchievementRecord, error) {
	if _, err := n.Issuer(ctx, slug); err != nil {
		return nil, err
	}
	var out []*AchievementRecord
	err := n.db.Scan(store.PrefixAchievements(slug), nil, func(_, v []byte) error {
		var rec AchievementRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("list achievements: %w", err)
		}
		out = append(out, &rec)
		return nil
	})
	return out, err
}

// UpdateAchievement replaces the achievement's fields (id, creator and image are kept).
// Badges already awarded are not changed. Errors: ErrNotFound, ErrInvalid, ErrArchived.
func (n *Node) UpdateAchievement(ctx context.Context, slug, id string, a vc.Achievement) (*AchievementRecord, error) {
	if err := checkAchievement(&a); err != nil {
		return nil, fmt.Errorf("update achievement: %w", err)
	}
	var rec AchievementRecord
	err := n.db.Update(func(t *store.Txn) error {
		if err := getJSON(t.Get, store.KeyAchievement(slug, id), &rec, "achievement "+id); err != nil {
			return err
		}
		if rec.Archived {
			return ErrArchived
		}
		old := rec.Achievement
		a.ID, a.Type, a.Creator, a.Image = old.ID, old.Type, old.Creator, old.Image
		rec.Achievement = a
		rec.Updated = n.cfg.Now().UTC()
		t.Set(store.KeyAchievement(slug, id), mustJSON(&rec))
		return n.audit(t, "achievement.update", actorOf(ctx), slug, id)
	})
	if err != nil {
		return nil, fmt.Errorf("update achievement %s: %w", id, err)
	}
	return &rec, nil
}

// ArchiveAchievement stops new awards of the achievement. Errors: ErrNotFound.
func (n *Node) ArchiveAchievement(ctx context.Context, slug, id string) (*AchievementRecord, error) {
	var rec AchievementRecord
	err := n.db.Update(func(t *store.Txn) error {
		if err := getJSON(t.Get, store.KeyAchievement(slug, id), &rec, "achievement "+id); err != nil {
			return err
		}
		rec.Archived = true
		rec.Updated = n.cfg.Now().UTC()
		t.Set(store.KeyAchievement(slug, id), mustJSON(&rec))
		return n.audit(t, "achievement.archive", actorOf(ctx), slug, id)
	})
	if err != nil {
		return nil, fmt.Errorf("archive achievement %s: %w", id, err)
	}
	return &rec, nil
}

type imageRecord struct {
	V         int    `json:"v"`
	MediaType string `json:"mediaType"`
	Data      []byte `json:"data"`
}

// sniffImage returns "image/png" or "image/svg+xml", or ErrUnsupported.
func sniffImage(data []byte) (string, error) {
	if ct := http.DetectContentType(data); ct == "image/png" {
		return ct, nil
	}
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	if strings.Contains(head, "<svg") {
		return "image/svg+xml", nil
	}
	return "", fmt.Errorf("%w: the image must be PNG or SVG", ErrUnsupported)
}

// SetAchievementImage stores the achievement's image (PNG or SVG, sniffed, at most
// MaxImageBytes). Errors: ErrNotFound, ErrTooLarge, ErrUnsupported.
func (n *Node) SetAchievementImage(ctx context.Context, slug, id string, data []byte) (*AchievementRecord, error) {
	if int64(len(data)) > n.cfg.MaxImageBytes {
		return nil, fmt.Errorf("set image: %w: the image is larger than %d bytes", ErrTooLarge, n.cfg.MaxImageBytes)
	}
	mt, err := sniffImage(data)
	if err != nil {
		return nil, fmt.Errorf("set image: %w", err)
	}
	var rec AchievementRecord
	err = n.db.Update(func(t *store.Txn) error {
		if err := getJSON(t.Get, store.KeyAchievement(slug, id), &rec, "achievement "+id); err != nil {
			return err
		}
		rec.ImageType = mt
		rec.Achievement.Image = &vc.Image{ID: rec.Achievement.ID + "/image", Type: "Image"}
		rec.Updated = n.cfg.Now().UTC()
		t.Set(store.KeyAchievement(slug, id), mustJSON(&rec))
		t.Set(store.KeyAchievementImage(slug, id), mustJSON(imageRecord{V: 1, MediaType: mt, Data: data}))
		return n.audit(t, "achievement.image", actorOf(ctx), slug, id)
	})
	if err != nil {
		return nil, fmt.Errorf("set image of achievement %s: %w", id, err)
	}
	return &rec, nil
}

// AchievementImage returns the image of achievement id (any issuer) and its media type.
func (n *Node) AchievementImage(ctx context.Context, id string) ([]byte, string, error) {
	slug, err := n.achievementIssuer(id)
	if err != nil {
		return nil, "", err
	}
	return n.storedImage(slug, id)
}

// storedImage returns the image stored for achievement id of issuer slug. Errors: ErrNotFound.
func (n *Node) storedImage(slug, id string) ([]byte, string, error) {
	var img imageRecord
	if err := getJSON(n.db.Get, store.KeyAchievementImage(slug, id), &img, "image of achievement "+id); err != nil {
		return nil, "", err
	}
	return img.Data, img.MediaType, nil
}

// achievementIssuer finds the issuer of an achievement id (ids are unique node-wide).
func (n *Node) achievementIssuer(id string) (string, error) {
	if id == "" || strings.ContainsRune(id, '/') {
		return "", fmt.Errorf("achievement %q: %w", id, ErrNotFound)
	}
	var slug string
	err := n.db.Scan(store.PrefixIssuers(), nil, func(k, _ []byte) error {
		s := strings.TrimPrefix(string(k), string(store.PrefixIssuers()))
		if _, err := n.db.Get(store.KeyAchievement(s, id)); err == nil {
			slug = s
			return store.ErrStop
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if slug == "" {
		return "", fmt.Errorf("achievement %q: %w", id, ErrNotFound)
	}
	return slug, nil
}
