// Package web is the presentation layer shared by the node, the wallet and the verify page:
// embedded html/template pages over plain view structs, one stylesheet served by
// StaticHandler, a French and English message catalog (T, PickLang, FormatDate), a safe
// Markdown subset for criteria narratives, and QR codes.
//
// It imports no role package: callers map their own data into the view structs (BadgeView,
// IssuerView, HomeView, ErrorView) and call the Render functions. Templates carry no inline
// script or style, so pages work under a strict Content-Security-Policy
// (default-src 'self'; img-src 'self' https: data:).
package web
