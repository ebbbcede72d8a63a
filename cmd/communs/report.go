package main

import (
	"fmt"
	"io"

	"github.com/communs/communs/vc"
)

var marks = map[vc.Outcome]string{vc.OK: "ok  ", vc.Failed: "FAIL", vc.Warning: "warn", vc.Skipped: "skip"}

// printReport writes the human form of a report: the verdict, what the badge says, each check.
func printReport(w io.Writer, r *vc.Report, indent string) {
	verdict := "VERIFIED"
	if !r.Verified {
		verdict = "NOT VERIFIED"
	}
	name := r.Input
	if name == "" {
		name = r.Kind
	}
	fmt.Fprintf(w, "%s%s: %s\n", indent, name, verdict)
	fmt.Fprintf(w, "%s  %s\n", indent, r.Reason())
	if s := r.Summary; s != nil {
		line := func(label, v string) {
			if v != "" {
				fmt.Fprintf(w, "%s  %-12s %s\n", indent, label+":", v)
			}
		}
		line("Badge", s.Name)
		if s.Achievement != s.Name {
			line("Achievement", s.Achievement)
		}
		issuer := s.IssuerID
		if s.IssuerName != "" {
			issuer = s.IssuerName + " (" + s.IssuerID + ")"
		}
		line("Issuer", issuer)
		line("Recipient", s.Recipient)
		line("Valid from", s.ValidFrom)
		line("Valid until", s.ValidUntil)
	}
	fmt.Fprintf(w, "%s  Checks:\n", indent)
	for _, c := range r.Checks {
		fmt.Fprintf(w, "%s    [%s] %-12s %s\n", indent, marks[c.Status], c.Name, c.Detail)
	}
	for _, e := range r.Endorsements {
		fmt.Fprintf(w, "%s  Endorsement:\n", indent)
		printReport(w, e, indent+"    ")
	}
	for _, c := range r.Credentials {
		printReport(w, c, indent+"    ")
	}
	if indent == "" {
		fmt.Fprintln(w)
	}
}
