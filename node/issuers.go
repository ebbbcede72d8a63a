package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// IssuerRequest is what an admin gives to create an issuer.
type IssuerRequest struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Email       string `json:"email"`
	Description string `json:"description"`
	// Descriptions holds the description per language ("fr", "en") for the profile page; the
	// OB 3.0 Profile carries Description (one string).
	Descriptions map[string]string `json:"descriptions,omitempty"`
	Image        string            `json:"image,omitempty"`
	Address      *vc.Address       `json:"address,omitempty"`
	ParentOrg    *vc.Profile       `json:"parentOrg,omitempty"`
}

// Issuer is a stored issuer (tenant).
type Issuer struct {
	V            int               `json:"v"`
	Slug         string            `json:"slug"`
	DID          string            `json:"did"`
	Name         string            `json:"name"`
	URL          string            `json:"url,omitempty"`
	Email        string            `json:"email,omitempty"`
	Description  string            `json:"description,omitempty"`
	Descriptions map[string]string `json:"descriptions,omitempty"`
	Image        string            `json:"image,omitempty"`
	Address      *vc.Address       `json:"address,omitempty"`
	ParentOrg    *vc.Profile       `json:"parentOrg,omitempty"`
	// Keys are the fragments of the issuer's keys, oldest first; the last one signs.
	Keys    []string  `json:"keys"`
	Created time.Time `json:"created"`
}

// ActiveKey is the verification method id that signs new credentials.
func (i *Issuer) ActiveKey() string { return i.DID + "#" + i.Keys[len(i.Keys)-1] }

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// IssuerDID returns the did:web of the issuer slug on this node.
func (n *Node) IssuerDID(slug string) string { return "did:web:" + n.host + ":issuers:" + slug }

// CreateIssuer creates an issuer with its first signing key. Errors: ErrInvalid, ErrExists.
func (n *Node) CreateIssuer(ctx context.Context, req IssuerRequest) (*Issuer, error) {
	switch {
	case !slugRE.MatchString(req.Slug):
		return nil, fmt.Errorf("create issuer: %w: slug %q must be 1-63 lowercase letters, digits or '-'", ErrInvalid, req.Slug)
	case req.Name == "":
		return nil, fmt.Errorf("create issuer: %w: name is required", ErrInvalid)
	}
	for lang, d := range req.Descriptions {
		if lang != "fr" && lang != "en" {
			return nil, fmt.Errorf("create issuer: %w: descriptions are given for \"fr\" and \"en\", not %q", ErrInvalid, lang)
		}
		if len(d) > 4000 {
			return nil, fmt.Errorf("create issuer: %w: the %s description is longer than 4,000 bytes", ErrInvalid, lang)
		}
	}
	now := n.cfg.Now().UTC().Truncate(time.Second)
	iss := &Issuer{
		V: 1, Slug: req.Slug, DID: n.IssuerDID(req.Slug), Name: req.Name, URL: req.URL, Email: req.Email,
		Description: req.Description, Descriptions: req.Descriptions, Image: req.Image, Address: req.Address, ParentOrg: req.ParentOrg,
		Keys: []string{"key-1"}, Created: now,
	}
	rec, err := n.keys.generate(iss.ActiveKey(), now)
	if err != nil {
		return nil, err
	}
	err = n.db.Update(func(t *store.Txn) error {
		if ok, err := t.Has(store.KeyIssuer(req.Slug)); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("%w: an issuer with slug %q", ErrExists, req.Slug)
		}
		t.Set(store.KeyIssuerKey(req.Slug, "key-1"), mustJSON(rec))
		t.Set(store.KeyIssuer(req.Slug), mustJSON(iss))
		return n.audit(t, "issuer.create", "", req.Slug, "")
	})
	if err != nil {
		return nil, fmt.Errorf("create issuer %s: %w", req.Slug, err)
	}
	return iss, nil
}

// Issuer returns the issuer slug, or ErrNotFound.
func (n *Node) Issuer(ctx context.Context, slug string) (*Issuer, error) {
	var iss Issuer
	if err := getJSON(n.db.Get, store.KeyIssuer(slug), &iss, "issuer "+slug); err != nil {
		return nil, err
	}
	return &iss, nil
}

// Issuers lists the node's issuers by slug.
func (n *Node) Issuers(ctx context.Context) ([]*Issuer, error) {
	var out []*Issuer
	err := n.db.Scan(store.PrefixIssuers(), nil, func(_, v []byte) error {
		var iss Issuer
		if err := json.Unmarshal(v, &iss); err != nil {
			return fmt.Errorf("list issuers: stored record is corrupt: %w", err)
		}
		out = append(out, &iss)
		return nil
	})
	return out, err
}

// RotateKey gives the issuer a new signing key; older keys stay in its DID document so that
// badges they signed keep verifying.
func (n *Node) RotateKey(ctx context.Context, slug string) (*Issuer, error) {
	var iss Issuer
	err := n.db.Update(func(t *store.Txn) error {
		if err := getJSON(t.Get, store.KeyIssuer(slug), &iss, "issuer "+slug); err != nil {
			return err
		}
		frag := fmt.Sprintf("key-%d", len(iss.Keys)+1)
		iss.Keys = append(iss.Keys, frag)
		rec, err := n.keys.generate(iss.ActiveKey(), n.cfg.Now())
		if err != nil {
			return err
		}
		t.Set(store.KeyIssuerKey(slug, frag), mustJSON(rec))
		t.Set(store.KeyIssuer(slug), mustJSON(&iss))
		return n.audit(t, "issuer.key.rotate", "", slug, frag)
	})
	if err != nil {
		return nil, fmt.Errorf("rotate key of %s: %w", slug, err)
	}
	n.invalidateLists(slug)
	return &iss, nil
}

// DIDDocument returns the issuer's DID document: every key as a Multikey verification method,
// all of them listed in assertionMethod, controller = the DID.
func (n *Node) DIDDocument(ctx context.Context, slug string) (*did.Document, error) {
	iss, err := n.Issuer(ctx, slug)
	if err != nil {
		return nil, err
	}
	doc := &did.Document{
		Context: json.RawMessage(`["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"]`),
		ID:      iss.DID,
	}
	for _, frag := range iss.Keys {
		id := iss.DID + "#" + frag
		rec, err := n.keys.record(id)
		if err != nil {
			return nil, fmt.Errorf("DID document of %s: %w", slug, err)
		}
		doc.VerificationMethod = append(doc.VerificationMethod, did.VerificationMethod{
			ID: id, Type: did.TypeMultikey, Controller: iss.DID, PublicKeyMultibase: rec.Public,
		})
		doc.AssertionMethod = append(doc.AssertionMethod, did.MethodRef{Ref: id})
	}
	return doc, nil
}

// Profile returns the issuer's OB 3.0 Profile (id = its DID).
func (iss *Issuer) Profile() vc.Profile {
	p := vc.Profile{
		ID: iss.DID, Type: vc.Many("Profile"), Name: vc.Plain(iss.Name), URL: iss.URL, Email: iss.Email,
		Address: iss.Address, ParentOrg: iss.ParentOrg,
	}
	if iss.Description != "" {
		p.Description = vc.Plain(iss.Description)
	}
	if iss.Image != "" {
		p.Image = &vc.Image{ID: iss.Image, Type: "Image"}
	}
	return p
}

// issuerForDID returns the issuer whose DID is id, when it is one of this node's.
func (n *Node) issuerForDID(ctx context.Context, id string) (*Issuer, error) {
	prefix := "did:web:" + n.host + ":issuers:"
	if len(id) <= len(prefix) || id[:len(prefix)] != prefix {
		return nil, fmt.Errorf("DID %s is not hosted here: %w", id, ErrNotFound)
	}
	iss, err := n.Issuer(ctx, id[len(prefix):])
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("DID %s: %w", id, ErrNotFound)
	}
	return iss, err
}

// DescriptionIn returns the issuer's description in lang, or its default description.
func (i *Issuer) DescriptionIn(lang string) string {
	if d := i.Descriptions[lang]; d != "" {
		return d
	}
	return i.Description
}
