package federation

import "errors"

// Sentinel errors of the trust anchor, its statements and the node façade.
var (
	// ErrStatementExpired: an entity statement is past its exp (or issued
	// in the future).
	ErrStatementExpired = errors.New("entity statement is expired or not yet valid")
	// ErrUnknownPartner: the anchor holds no record of that partner.
	ErrUnknownPartner = errors.New("no such partner")
	// ErrExpelled: the partner is expelled; the anchor no longer vouches
	// for it.
	ErrExpelled = errors.New("partner is expelled")
	// ErrWrongRole: the operation belongs to the other role (vouching to
	// partners, partner records to the anchor).
	ErrWrongRole = errors.New("operation not available in this node's role")
	// ErrNotAttested: the node holds no valid anchor statement about
	// itself, so it does not know the scope it may vouch in.
	ErrNotAttested = errors.New("this node is not attested by the trust anchor (yet)")
	// ErrNotVouched: the node's log has no entry about that DID.
	ErrNotVouched = errors.New("this node does not vouch for that DID")
)
