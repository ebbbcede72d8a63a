package web

import (
	"html/template"
	"time"
)

// Page is what every page shares: its language ("fr" or "en"), title, request path (with its
// query, used by the language switch), the node's name for the header, and Open Graph data
// for link previews (nil: derived from the view where the page knows how).
type Page struct {
	Lang, Title, Path, NodeName string
	OpenGraph                   *OpenGraph
}

// OpenGraph is the link-preview data of a page (Open Graph and Twitter card meta tags).
// Image and URL should be absolute URLs.
type OpenGraph struct {
	Title, Description, Image, URL string
}

// Badge statuses a BadgeView shows in its banner.
const (
	StatusValid     = "valid"
	StatusRevoked   = "revoked"
	StatusExpired   = "expired"
	StatusSuspended = "suspended"
	StatusUnknown   = "unknown"
)

// BadgeView is the public page of one awarded badge.
type BadgeView struct {
	Page
	CredentialURL, ImageURL, AchievementName, AchievementDescription string
	// Criteria is the rendered criteria narrative (see Markdown); CriteriaURL links the full
	// criteria when the achievement has them elsewhere.
	Criteria                         template.HTML
	CriteriaURL                      string
	IssuerName, IssuerURL, IssuerDID string
	// RecipientName is shown only when not empty (the learner chose to show it).
	RecipientName string
	IssuedOn      time.Time
	ExpiresOn     *time.Time
	// Status is one of StatusValid, StatusRevoked, StatusExpired, StatusSuspended,
	// StatusUnknown; anything else is shown as unknown.
	Status       string
	StatusReason string
	Evidence     []EvidenceView
	Alignments   []AlignmentView
	Tags         []string
	// CreditsEarned is shown when not nil.
	CreditsEarned *float64
	Downloads     Downloads
	// QRURL is the address of a QR code image of CredentialURL (shown when not empty).
	QRURL        string
	Verification *VerificationView
}

// Downloads are the addresses of the badge's files; an empty one is not offered.
type Downloads struct{ JSON, PNG, SVG string }

// EvidenceView is one piece of evidence. A PDF (MediaType application/pdf) opens in the browser.
type EvidenceView struct {
	Name, Description, URL, MediaType, Genre string
}

// AlignmentView is one alignment of the achievement to an external framework.
type AlignmentView struct {
	Name, URL, Framework, Code string
}

// VerificationView is the outcome of verifying the credential, as shown in the verification
// box. Verdict and Reason are optional sentences; without a Verdict the page says whether the
// credential verified.
type VerificationView struct {
	Verified        bool
	Verdict, Reason string
	Checks          []CheckView
}

// CheckView is one check of the verification: Name is a check name of the verification
// report ("proof", "status", …; known names are translated), Status its outcome ("ok",
// "failed", "warning", "skipped"), Detail the sentence explaining it.
type CheckView struct {
	Name, Status, Detail string
}

// IssuerView is the public profile page of an issuer.
type IssuerView struct {
	Page
	Name, Description, URL, Email, ImageURL, DID string
	Achievements                                 []AchievementCard
}

// AchievementCard is one achievement in a list: URL is where it links (empty: no link).
type AchievementCard struct {
	Name, Description, ImageURL, URL string
}

// HomeView is the home page of a node.
type HomeView struct {
	Page
	Issuers      []IssuerCard
	RecentBadges []BadgeCard
}

// IssuerCard is one issuer in a list.
type IssuerCard struct {
	Name, Description, ImageURL, URL string
}

// BadgeCard is one awarded badge in a list.
type BadgeCard struct {
	AchievementName, IssuerName, ImageURL, URL string
	IssuedOn                                   time.Time
}

// ErrorView is an error page. Message defaults to the standard sentence for Status.
type ErrorView struct {
	Page
	Status  int
	Message string
}

// ClaimView is the page a recipient opens from the private claim link of a badge: which
// badge they received and from whom, its public page and its downloads, and what comes next
// (adding it to a wallet).
type ClaimView struct {
	Page
	AchievementName, AchievementDescription, ImageURL string
	IssuerName, IssuerURL                             string
	// BadgeURL is the badge's public page.
	BadgeURL string
	IssuedOn time.Time
	// Revoked says the issuer revoked the badge since (the page says so first).
	Revoked   bool
	Downloads Downloads
	// OfferURI is the OpenID4VCI credential offer link (openid-credential-offer://…) and
	// OfferQR the URL of its QR code image; both empty when the badge cannot be claimed.
	OfferURI template.URL
	OfferQR  string
	// TxCode says the wallet will ask for a transaction code (given separately by the issuer).
	TxCode bool
	// Claimed says the badge was already issued to a wallet.
	Claimed bool
	// BackpackURL, when set, is where the learner claims the badge into this node's hosted
	// backpack (a page of the backpack that receives the offer).
	BackpackURL string
}
