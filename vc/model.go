package vc

import (
	"bytes"
	"encoding/json"
)

// Context URLs and types used by the credentials Communs issues (DESIGN §3).
const (
	ContextV2       = "https://www.w3.org/ns/credentials/v2"
	ContextV1       = "https://www.w3.org/2018/credentials/v1"
	ContextOB       = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	ContextOBExt    = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
	TypeVC          = "VerifiableCredential"
	TypeVP          = "VerifiablePresentation"
	TypeOBC         = "OpenBadgeCredential"
	TypeAchCred     = "AchievementCredential"
	TypeEndorseCred = "EndorsementCredential"
)

// Credential is a VC Data Model 2.0 credential (also read from 1.1) with the members of an OB 3.0
// AchievementCredential (alias OpenBadgeCredential) or EndorsementCredential.
type Credential struct {
	Context           OneOrMany[json.RawMessage]  `json:"@context,omitzero"`
	ID                string                      `json:"id,omitempty"`
	Type              OneOrMany[string]           `json:"type,omitzero"`
	Name              Text                        `json:"name,omitzero"`
	Description       Text                        `json:"description,omitzero"`
	Image             *Image                      `json:"image,omitempty"`
	Issuer            *Profile                    `json:"issuer,omitempty"`
	ValidFrom         string                      `json:"validFrom,omitempty"`
	ValidUntil        string                      `json:"validUntil,omitempty"`
	IssuanceDate      string                      `json:"issuanceDate,omitempty"`   // VC DM 1.1
	ExpirationDate    string                      `json:"expirationDate,omitempty"` // VC DM 1.1
	AwardedDate       string                      `json:"awardedDate,omitempty"`
	CredentialSubject *Subject                    `json:"credentialSubject,omitempty"`
	Endorsement       []Credential                `json:"endorsement,omitzero"`
	EndorsementJwt    []string                    `json:"endorsementJwt,omitzero"`
	Evidence          OneOrMany[Evidence]         `json:"evidence,omitzero"`
	CredentialSchema  OneOrMany[CredentialSchema] `json:"credentialSchema,omitzero"`
	CredentialStatus  OneOrMany[Status]           `json:"credentialStatus,omitzero"`
	RefreshService    json.RawMessage             `json:"refreshService,omitempty"`
	TermsOfUse        json.RawMessage             `json:"termsOfUse,omitempty"`
	RelatedResource   OneOrMany[RelatedResource]  `json:"relatedResource,omitzero"`
	Proof             OneOrMany[Proof]            `json:"proof,omitzero"`
	Extra             Extra                       `json:"-"`
}

// Subject is the credentialSubject: an OB 3.0 AchievementSubject or EndorsementSubject.
type Subject struct {
	ID                 string            `json:"id,omitempty"`
	Type               OneOrMany[string] `json:"type,omitzero"`
	Achievement        *Achievement      `json:"achievement,omitempty"`
	Identifier         []IdentityObject  `json:"identifier,omitzero"`
	ActivityStartDate  string            `json:"activityStartDate,omitempty"`
	ActivityEndDate    string            `json:"activityEndDate,omitempty"`
	CreditsEarned      *float64          `json:"creditsEarned,omitempty"`
	Image              *Image            `json:"image,omitempty"`
	LicenseNumber      string            `json:"licenseNumber,omitempty"`
	Narrative          Text              `json:"narrative,omitzero"`
	Result             []Result          `json:"result,omitzero"`
	Role               string            `json:"role,omitempty"`
	Source             *Profile          `json:"source,omitempty"`
	Term               string            `json:"term,omitempty"`
	EndorsementComment Text              `json:"endorsementComment,omitzero"`
	Extra              Extra             `json:"-"`
}

// Achievement is an OB 3.0 Achievement: what the badge says was accomplished.
type Achievement struct {
	ID                string              `json:"id,omitempty"`
	Type              OneOrMany[string]   `json:"type,omitzero"`
	Name              Text                `json:"name,omitzero"`
	Description       Text                `json:"description,omitzero"`
	Criteria          *Criteria           `json:"criteria,omitempty"`
	Image             *Image              `json:"image,omitempty"`
	AchievementType   string              `json:"achievementType,omitempty"`
	Alignment         []Alignment         `json:"alignment,omitzero"`
	Creator           *Profile            `json:"creator,omitempty"`
	CreditsAvailable  *float64            `json:"creditsAvailable,omitempty"`
	Endorsement       []Credential        `json:"endorsement,omitzero"`
	EndorsementJwt    []string            `json:"endorsementJwt,omitzero"`
	FieldOfStudy      string              `json:"fieldOfStudy,omitempty"`
	HumanCode         string              `json:"humanCode,omitempty"`
	InLanguage        string              `json:"inLanguage,omitempty"`
	OtherIdentifier   []IdentifierEntry   `json:"otherIdentifier,omitzero"`
	Related           []Related           `json:"related,omitzero"`
	ResultDescription []ResultDescription `json:"resultDescription,omitzero"`
	Specialization    string              `json:"specialization,omitempty"`
	Tag               []string            `json:"tag,omitzero"`
	Version           string              `json:"version,omitempty"`
	Extra             Extra               `json:"-"`
}

// Profile is an OB 3.0 Profile (issuer, creator, source). An issuer given as a bare URI is read
// into ID with URIOnly set, and written back as a string.
type Profile struct {
	ID              string            `json:"id,omitempty"`
	Type            OneOrMany[string] `json:"type,omitzero"`
	Name            Text              `json:"name,omitzero"`
	URL             string            `json:"url,omitempty"`
	Phone           string            `json:"phone,omitempty"`
	Description     Text              `json:"description,omitzero"`
	Image           *Image            `json:"image,omitempty"`
	Email           string            `json:"email,omitempty"`
	Address         *Address          `json:"address,omitempty"`
	OtherIdentifier []IdentifierEntry `json:"otherIdentifier,omitzero"`
	Official        string            `json:"official,omitempty"`
	ParentOrg       *Profile          `json:"parentOrg,omitempty"`
	Endorsement     []Credential      `json:"endorsement,omitzero"`
	FamilyName      string            `json:"familyName,omitempty"`
	GivenName       string            `json:"givenName,omitempty"`
	URIOnly         bool              `json:"-"`
	Extra           Extra             `json:"-"`
}

// Image is an OB 3.0 Image: a URI (often a data: URI) with an optional caption. A bare URI is
// read into ID with URIOnly set.
type Image struct {
	ID      string `json:"id"`
	Type    string `json:"type,omitempty"`
	Caption Text   `json:"caption,omitzero"`
	URIOnly bool   `json:"-"`
	Extra   Extra  `json:"-"`
}

// Criteria says how the achievement is earned: a narrative (Markdown) and/or a URL.
type Criteria struct {
	ID        string `json:"id,omitempty"`
	Narrative Text   `json:"narrative,omitzero"`
	Extra     Extra  `json:"-"`
}

// Evidence describes work that supports the award (often a PDF the learner submitted).
type Evidence struct {
	ID          string            `json:"id,omitempty"`
	Type        OneOrMany[string] `json:"type,omitzero"`
	Name        Text              `json:"name,omitzero"`
	Description Text              `json:"description,omitzero"`
	Narrative   Text              `json:"narrative,omitzero"`
	Genre       string            `json:"genre,omitempty"`
	Audience    string            `json:"audience,omitempty"`
	Extra       Extra             `json:"-"`
}

// Alignment links an achievement or result to a framework item (competency, standard).
type Alignment struct {
	Type              OneOrMany[string] `json:"type,omitzero"`
	TargetCode        string            `json:"targetCode,omitempty"`
	TargetDescription Text              `json:"targetDescription,omitzero"`
	TargetName        Text              `json:"targetName,omitzero"`
	TargetFramework   string            `json:"targetFramework,omitempty"`
	TargetType        string            `json:"targetType,omitempty"`
	TargetURL         string            `json:"targetUrl,omitempty"`
	Extra             Extra             `json:"-"`
}

// IdentityObject identifies the recipient without a DID: an e-mail, possibly salted and hashed.
type IdentityObject struct {
	Type         string `json:"type,omitempty"`
	Hashed       bool   `json:"hashed"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType,omitempty"`
	Salt         string `json:"salt,omitempty"`
	Extra        Extra  `json:"-"`
}

// IdentifierEntry is another identifier of an achievement or profile.
type IdentifierEntry struct {
	Type           string `json:"type,omitempty"`
	Identifier     string `json:"identifier"`
	IdentifierType string `json:"identifierType"`
	Extra          Extra  `json:"-"`
}

// Related links editions of an achievement (e.g. the French and English editions).
type Related struct {
	ID         string            `json:"id"`
	Type       OneOrMany[string] `json:"type,omitzero"`
	InLanguage string            `json:"inLanguage,omitempty"`
	Version    string            `json:"version,omitempty"`
	Extra      Extra             `json:"-"`
}

// Result is an assessed result of the learner (a grade, a level, a status).
type Result struct {
	Type              OneOrMany[string] `json:"type,omitzero"`
	AchievedLevel     string            `json:"achievedLevel,omitempty"`
	Alignment         []Alignment       `json:"alignment,omitzero"`
	ResultDescription string            `json:"resultDescription,omitempty"`
	Status            string            `json:"status,omitempty"`
	Value             string            `json:"value,omitempty"`
	Extra             Extra             `json:"-"`
}

// ResultDescription describes a possible result of an achievement.
type ResultDescription struct {
	ID                   string            `json:"id,omitempty"`
	Type                 OneOrMany[string] `json:"type,omitzero"`
	Name                 Text              `json:"name,omitzero"`
	ResultType           string            `json:"resultType,omitempty"`
	AllowedValue         []string          `json:"allowedValue,omitzero"`
	RequiredLevel        string            `json:"requiredLevel,omitempty"`
	RequiredValue        string            `json:"requiredValue,omitempty"`
	ValueMin             string            `json:"valueMin,omitempty"`
	ValueMax             string            `json:"valueMax,omitempty"`
	Alignment            []Alignment       `json:"alignment,omitzero"`
	RubricCriterionLevel json.RawMessage   `json:"rubricCriterionLevel,omitempty"`
	Extra                Extra             `json:"-"`
}

// Address is a postal address of a profile.
type Address struct {
	Type                OneOrMany[string] `json:"type,omitzero"`
	AddressCountry      string            `json:"addressCountry,omitempty"`
	AddressCountryCode  string            `json:"addressCountryCode,omitempty"`
	AddressRegion       string            `json:"addressRegion,omitempty"`
	AddressLocality     string            `json:"addressLocality,omitempty"`
	StreetAddress       string            `json:"streetAddress,omitempty"`
	PostOfficeBoxNumber string            `json:"postOfficeBoxNumber,omitempty"`
	PostalCode          string            `json:"postalCode,omitempty"`
	Extra               Extra             `json:"-"`
}

// CredentialSchema names a schema the credential claims to follow.
type CredentialSchema struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Extra Extra  `json:"-"`
}

// Status is a credentialStatus entry (BitstringStatusListEntry, 1EdTechRevocationList, …).
type Status struct {
	ID                   string      `json:"id,omitempty"`
	Type                 string      `json:"type"`
	StatusPurpose        string      `json:"statusPurpose,omitempty"`
	StatusListIndex      IndexString `json:"statusListIndex,omitempty"`
	StatusListCredential string      `json:"statusListCredential,omitempty"`
	Extra                Extra       `json:"-"`
}

// RelatedResource binds a linked file (evidence, image) to the credential by its digest
// (VC DM 2.0 §5.3).
type RelatedResource struct {
	ID              string `json:"id"`
	DigestMultibase string `json:"digestMultibase,omitempty"`
	DigestSRI       string `json:"digestSRI,omitempty"`
	MediaType       string `json:"mediaType,omitempty"`
	Extra           Extra  `json:"-"`
}

// Proof is a Data Integrity or Linked Data proof.
type Proof struct {
	Type               string `json:"type"`
	Cryptosuite        string `json:"cryptosuite,omitempty"`
	Created            string `json:"created,omitempty"`
	VerificationMethod string `json:"verificationMethod,omitempty"`
	ProofPurpose       string `json:"proofPurpose,omitempty"`
	ProofValue         string `json:"proofValue,omitempty"`
	JWS                string `json:"jws,omitempty"`
	Challenge          string `json:"challenge,omitempty"`
	Domain             string `json:"domain,omitempty"`
	Extra              Extra  `json:"-"`
}

// Presentation is a VC Data Model 2.0 Verifiable Presentation.
type Presentation struct {
	Context              OneOrMany[json.RawMessage] `json:"@context,omitzero"`
	ID                   string                     `json:"id,omitempty"`
	Type                 OneOrMany[string]          `json:"type,omitzero"`
	Holder               string                     `json:"holder,omitempty"`
	VerifiableCredential OneOrMany[json.RawMessage] `json:"verifiableCredential,omitzero"`
	Proof                OneOrMany[Proof]           `json:"proof,omitzero"`
	Extra                Extra                      `json:"-"`
}

// isJSONString reports whether b (trimmed) is a JSON string.
func isJSONString(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '"'
}
