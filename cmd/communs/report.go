package main

import (
	"fmt"
	"io"
	"os"

	"github.com/communs/communs/node/verifier"
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

// reportSink collects the reports of `communs verify --report csv|pdf` and writes them once
// every input is verified.
type reportSink struct {
	format, out, lang string
	stdout            io.Writer
	rows              []verifier.Row
}

// newReportSink checks the --report, --out and --lang flags; it returns nil without --report.
// A PDF goes to --out, or to standard output only when that is not a terminal.
func newReportSink(format, out, lang string, stdout io.Writer) (*reportSink, error) {
	if format == "" {
		if out != "" {
			return nil, fmt.Errorf("--out names where --report writes: give --report csv or --report pdf")
		}
		return nil, nil
	}
	if format != "csv" && format != "pdf" {
		return nil, fmt.Errorf("--report %q: give csv or pdf", format)
	}
	if lang != "fr" && lang != "en" {
		return nil, fmt.Errorf("--lang %q: give fr or en", lang)
	}
	if format == "pdf" && out == "" && isTerminal(stdout) {
		return nil, fmt.Errorf("--report pdf writes binary data: give --out FILE, or redirect standard output to a file")
	}
	return &reportSink{format: format, out: out, lang: lang, stdout: stdout}, nil
}

// add appends the rows of one input's report.
func (s *reportSink) add(input string, rep *vc.Report) {
	s.rows = append(s.rows, verifier.RowsFromReport(len(s.rows)+1, input, rep)...)
}

// write writes the report to --out (created 0644, replaced) or standard output.
func (s *reportSink) write() (err error) {
	w := s.stdout
	if s.out != "" {
		f, err := os.Create(s.out)
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("--out: %w", cerr)
			}
		}()
		w = f
	}
	if s.format == "pdf" {
		return verifier.WritePDF(w, s.rows, verifier.PDFOptions{Lang: s.lang})
	}
	return verifier.WriteCSV(w, s.rows, verifier.CSVOptions{Lang: s.lang})
}
