package web

import (
	"regexp"
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty input gives nothing", "", ""},
		{"one line is one paragraph", "Réaliser trois cordons.", "<p>Réaliser trois cordons.</p>"},
		{"a blank line separates paragraphs", "Un.\n\nDeux.", "<p>Un.</p><p>Deux.</p>"},
		{"a single line break becomes <br>", "Ligne un\nligne deux", "<p>Ligne un<br>ligne deux</p>"},
		{"Windows line ends are line ends", "a\r\nb\r\n\r\nc", "<p>a<br>b</p><p>c</p>"},
		{"double stars make bold", "un **mot** fort", "<p>un <strong>mot</strong> fort</p>"},
		{"single stars make italic", "un *mot* penché", "<p>un <em>mot</em> penché</p>"},
		{"italic inside bold", "**très *fort***", "<p><strong>très <em>fort</em></strong></p>"},
		{"a lone star stays a star", "5 * 3 = 15", "<p>5 * 3 = 15</p>"},
		{"stars around spaces are not emphasis", "a ** b ** c", "<p>a ** b ** c</p>"},
		{"an unclosed bold stays text", "**ouvert", "<p>**ouvert</p>"},
		{"dashes make a bulleted list", "- un\n- deux\n* trois\n+ quatre", "<ul><li>un</li><li>deux</li><li>trois</li><li>quatre</li></ul>"},
		{"numbers make a numbered list", "1. un\n2) deux", "<ol><li>un</li><li>deux</li></ol>"},
		{"a numbered list keeps its start", "3. trois\n4. quatre", `<ol start="3"><li>trois</li><li>quatre</li></ol>`},
		{"an indented line continues the item", "- un\n  suite\n- deux", "<ul><li>un suite</li><li>deux</li></ul>"},
		{"a paragraph after a list closes it", "- un\nTexte", "<ul><li>un</li></ul><p>Texte</p>"},
		{"a list after a paragraph opens it", "Texte :\n- un", "<p>Texte :</p><ul><li>un</li></ul>"},
		{"list kinds do not mix", "- un\n1. deux", "<ul><li>un</li></ul><ol><li>deux</li></ol>"},
		{"emphasis works in list items", "- **gras**", "<ul><li><strong>gras</strong></li></ul>"},
		{"an https link is a link", "voir [le référentiel](https://example.org/ref?a=1&b=2)",
			`<p>voir <a href="https://example.org/ref?a=1&amp;b=2" rel="nofollow noopener noreferrer">le référentiel</a></p>`},
		{"an http link is a link", "[x](http://example.org)", `<p><a href="http://example.org" rel="nofollow noopener noreferrer">x</a></p>`},
		{"link text may be bold", "[**x**](https://e.org)", `<p><a href="https://e.org" rel="nofollow noopener noreferrer"><strong>x</strong></a></p>`},
		{"a javascript link stays text", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"},
		{"a data link stays text", "[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>"},
		{"a relative link stays text", "[x](/admin)", "<p>[x](/admin)</p>"},
		{"a link with a quote stays text", `[x](https://e.org/"onmouseover=x)`, `<p>[x](https://e.org/&#34;onmouseover=x)</p>`},
		{"raw HTML is escaped", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"HTML in a link text is escaped", "[<b>x</b>](https://e.org)", `<p><a href="https://e.org" rel="nofollow noopener noreferrer">&lt;b&gt;x&lt;/b&gt;</a></p>`},
		{"a backslash escapes a star", `\*pas italique\*`, "<p>*pas italique*</p>"},
		{"a backslash before a letter stays", `C:\dossier`, `<p>C:\dossier</p>`},
		{"ampersands and quotes are escaped", `R&D "x" 'y'`, "<p>R&amp;D &#34;x&#34; &#39;y&#39;</p>"},
		{"invalid UTF-8 becomes a replacement character", "a\xffb", "<p>a\uFFFDb</p>"},
		{"a NUL becomes a replacement character", "a\x00b", "<p>a\uFFFDb</p>"},
		{"headings are plain text", "# Titre", "<p># Titre</p>"},
		{"a dash without space is text", "-5 degrés", "<p>-5 degrés</p>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(Markdown(c.in)); got != c.want {
				t.Errorf("Markdown(%q)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
	t.Run("input longer than the limit is cut", func(t *testing.T) {
		got := string(Markdown(strings.Repeat("a", MaxMarkdown+100)))
		if len(got) != MaxMarkdown+len("<p></p>") {
			t.Errorf("got %d bytes", len(got))
		}
	})
	t.Run("many unclosed markers stay text", func(t *testing.T) {
		got := Markdown(strings.Repeat("[a](b **c ", MaxMarkdown/10))
		if !strings.HasPrefix(string(got), "<p>[a](b **c [a](b **c ") {
			t.Errorf("got %.40s…", got)
		}
	})
}

// allowedTag matches exactly the tags Markdown may write.
var allowedTag = regexp.MustCompile(`^<(/?(p|br|strong|em|ul|ol|li|a)|ol start="[0-9]{1,9}"|a href="https?://[^"<>]*" rel="nofollow noopener noreferrer")>$`)

// checkMarkdownOutput fails when out holds a tag Markdown never writes, raw "<script", or
// elements that do not close in order.
func checkMarkdownOutput(t *testing.T, in, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("Markdown(%q) wrote a script tag: %s", in, out)
	}
	for _, tag := range regexp.MustCompile(`<[^>]*>?`).FindAllString(out, -1) {
		if !allowedTag.MatchString(tag) {
			t.Fatalf("Markdown(%q) wrote the tag %q", in, tag)
		}
	}
	if msg := balanced(out); msg != "" {
		t.Fatalf("Markdown(%q): %s in %s", in, msg, out)
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"Réaliser **trois** cordons.\n\n- cordon à plat\n- cordon en angle",
		"1. un\n2. deux\n   suite\n\n[lien](https://example.org/a?b=c)",
		"<script>alert(1)</script>", "[x](javascript:alert(1))", "***a***", `\*x\*`,
		"[**a**](https://e.org) *b* [c](http://x)", "- [x](https://e.org/<script>)",
		"Le candidat doit :\n* présenter son projet\n* répondre aux questions du jury",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkMarkdownOutput(t, in, string(Markdown(in)))
	})
}
