package web

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
)

// MaxMarkdown is the longest narrative, in bytes, that Markdown renders; longer input is cut
// before rendering, so a hostile narrative costs bounded work.
const MaxMarkdown = 64 << 10

// Markdown renders a safe subset of Markdown for criteria narratives and returns it as
// template.HTML:
//
//   - paragraphs separated by a blank line; a single line break becomes <br>;
//   - **bold** and *italic*;
//   - bulleted lists ("- ", "* " or "+ ") and numbered lists ("1. " or "1) "); an indented
//     line continues the item above;
//   - links [text](https://…) with an http or https URL only (others stay plain text);
//   - a backslash escapes the punctuation that follows it.
//
// Everything else, raw HTML included, is escaped text. The output only ever contains the
// tags p, br, strong, em, ul, ol, li and a (with href and rel attributes).
func Markdown(src string) template.HTML {
	if len(src) > MaxMarkdown {
		src = src[:MaxMarkdown]
	}
	src = strings.ToValidUTF8(src, "\uFFFD")
	src = strings.ReplaceAll(src, "\x00", "\uFFFD")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")

	var b strings.Builder
	b.Grow(len(src) + len(src)/4 + 16)
	var (
		block   byte     // 0 none, 'p' paragraph, 'u' bulleted list, 'o' numbered list
		item    []string // lines of the open list item
		para    []string // lines of the open paragraph
		flushLi = func() {
			if item == nil {
				return
			}
			b.WriteString("<li>")
			inline(&b, strings.Join(item, " "), true)
			b.WriteString("</li>")
			item = nil
		}
		closeBlock = func() {
			switch block {
			case 'p':
				b.WriteString("<p>")
				for i, l := range para {
					if i > 0 {
						b.WriteString("<br>")
					}
					inline(&b, l, true)
				}
				b.WriteString("</p>")
				para = para[:0]
			case 'u':
				flushLi()
				b.WriteString("</ul>")
			case 'o':
				flushLi()
				b.WriteString("</ol>")
			}
			block = 0
		}
	)
	for line := range strings.SplitSeq(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			closeBlock()
			continue
		}
		if kind, start, rest, ok := listItem(line); ok {
			if block != kind {
				closeBlock()
				block = kind
				switch {
				case kind == 'u':
					b.WriteString("<ul>")
				case start != 1:
					b.WriteString(`<ol start="` + strconv.Itoa(start) + `">`)
				default:
					b.WriteString("<ol>")
				}
			}
			flushLi()
			item = []string{rest}
			continue
		}
		if (block == 'u' || block == 'o') && (line[0] == ' ' || line[0] == '\t') {
			item = append(item, trimmed)
			continue
		}
		if block != 'p' {
			closeBlock()
			block = 'p'
		}
		para = append(para, trimmed)
	}
	closeBlock()
	return template.HTML(b.String())
}

// listItem recognises a list item line: "- x", "* x", "+ x" (kind 'u') or "12. x", "12) x"
// (kind 'o', with its number), at most three spaces in.
func listItem(line string) (kind byte, start int, rest string, ok bool) {
	s := strings.TrimLeft(line, " ")
	if len(line)-len(s) > 3 || len(s) < 2 {
		return 0, 0, "", false
	}
	if (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t') {
		rest = strings.TrimSpace(s[2:])
		return 'u', 0, rest, rest != ""
	}
	n := 0
	for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n+1 >= len(s) || (s[n] != '.' && s[n] != ')') || (s[n+1] != ' ' && s[n+1] != '\t') {
		return 0, 0, "", false
	}
	start, _ = strconv.Atoi(s[:n])
	rest = strings.TrimSpace(s[n+2:])
	return 'o', start, rest, rest != ""
}

// finder returns the next index of a pattern at or after a position, remembering its last
// answer so that repeated searches over one line stay linear.
type finder struct {
	pat      string
	at       int
	searched bool
}

func (f *finder) next(s string, from int) int {
	if f.searched && (f.at < 0 || f.at >= from) {
		return f.at
	}
	f.searched = true
	if from > len(s) {
		f.at = -1
		return -1
	}
	i := strings.Index(s[from:], f.pat)
	if i < 0 {
		f.at = -1
	} else {
		f.at = from + i
	}
	return f.at
}

// inline writes the inline markup of s: emphasis, links (when links is true), backslash
// escapes, and escaped text. Emphasis content holds no delimiter of its own kind and link text
// holds no link, so recursion is at most three levels deep.
func inline(b *strings.Builder, s string, links bool) {
	strong := finder{pat: "**"}
	em := finder{pat: "*"}
	closeBracket := finder{pat: "]"}
	closeParen := finder{pat: ")"}
	text := 0 // start of pending plain text
	flush := func(end int) {
		if end > text {
			b.WriteString(html.EscapeString(s[text:end]))
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			flush(i)
			b.WriteString(html.EscapeString(s[i+1 : i+2]))
			i += 2
			text = i
		case c == '*' && strings.HasPrefix(s[i:], "**"):
			j := strong.next(s, i+2)
			for j > 0 && j+2 < len(s) && s[j+2] == '*' {
				j++ // "***" closes an inner italic first, then the bold
			}
			if j > i+2 && s[i+2] != ' ' && s[j-1] != ' ' {
				flush(i)
				b.WriteString("<strong>")
				inline(b, s[i+2:j], links)
				b.WriteString("</strong>")
				i = j + 2
				text = i
				continue
			}
			i += 2
		case c == '*':
			j := em.next(s, i+1)
			if j > i+1 && s[i+1] != ' ' && s[j-1] != ' ' {
				flush(i)
				b.WriteString("<em>")
				inline(b, s[i+1:j], links)
				b.WriteString("</em>")
				i = j + 1
				text = i
				continue
			}
			i++
		case c == '[' && links:
			k := closeBracket.next(s, i+1)
			if k > i+1 && k+1 < len(s) && s[k+1] == '(' {
				if e := closeParen.next(s, k+2); e > k+2 {
					if href, ok := safeURL(s[k+2 : e]); ok {
						flush(i)
						b.WriteString(`<a href="`)
						b.WriteString(html.EscapeString(href))
						b.WriteString(`" rel="nofollow noopener noreferrer">`)
						inline(b, s[i+1:k], false)
						b.WriteString("</a>")
						i = e + 1
						text = i
						continue
					}
				}
			}
			i++
		default:
			i++
		}
	}
	flush(len(s))
}

// safeURL accepts an absolute http or https URL with a host and returns it normalised.
func safeURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.ContainsAny(raw, " \t\n<>\"'`") {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}
