// Package examples holds demonstration badges that the README's quick start verifies: an Open
// Badges 3.0 credential signed with eddsa-rdfc-2022, and the same badge baked into a PNG and an
// SVG image. examples_test.go makes them from a fixed demo key (so they are reproducible) and
// checks that they still verify; run `go test ./examples -update` to write them again.
package examples
