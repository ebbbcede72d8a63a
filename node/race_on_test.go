//go:build race

package node

// raceEnabled reports whether the tests run under the race detector (which slows signing
// tenfold and makes heap figures meaningless).
const raceEnabled = true
