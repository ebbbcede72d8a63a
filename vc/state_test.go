package vc

import "testing"

func TestReportState(t *testing.T) {
	check := func(name string, o Outcome, detail string) Check { return Check{Name: name, Status: o, Detail: detail} }
	cases := []struct {
		name string
		rep  *Report
		want BadgeState
	}{
		{"a verified badge is valid", &Report{Verified: true, Checks: []Check{check(CheckProof, OK, ""), check(CheckStatus, OK, "")}}, StateValid},
		{"a failed proof wins over everything the badge says", &Report{Checks: []Check{check(CheckProof, Failed, "bad"), check(CheckStatus, Failed, "The issuer has revoked this badge.")}}, StateNotGenuine},
		{"a revoked badge", &Report{Checks: []Check{check(CheckProof, OK, ""), check(CheckDates, Failed, "The badge expired on x."), check(CheckStatus, Failed, "The issuer has revoked this badge.")}}, StateRevoked},
		{"a suspended badge", &Report{Checks: []Check{check(CheckStatus, Failed, "The issuer has suspended this badge.")}}, StateSuspended},
		{"an expired badge", &Report{Checks: []Check{check(CheckDates, Failed, "The badge expired on x.")}}, StateExpired},
		{"an expired JWT", &Report{Checks: []Check{check(CheckDates, Failed, "The JWT expired on x (exp claim).")}}, StateExpired},
		{"a badge not valid yet", &Report{Checks: []Check{check(CheckDates, Failed, "The badge is not valid yet: it is valid from x.")}}, StateNotYetValid},
		{"a JWT not valid before", &Report{Checks: []Check{check(CheckDates, Failed, "The JWT is not valid before x (nbf claim).")}}, StateNotYetValid},
		{"unreadable dates", &Report{Checks: []Check{check(CheckDates, Failed, "validFrom cannot be read.")}}, StateUnknown},
		{"an unreadable status list, even when accepted as a warning", &Report{Verified: true, Checks: []Check{check(CheckStatus, Warning, "unreachable")}}, StateUnknown},
		{"another failed check", &Report{Checks: []Check{check(CheckSchema, Failed, "missing type")}}, StateInvalid},
		{"no report", nil, StateUnknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.rep.State(); got != c.want {
				t.Fatalf("State() = %s, want %s", got, c.want)
			}
		})
	}
}
