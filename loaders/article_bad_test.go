package loaders

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

// badCase derives a broken annotation file from the seed by replacing one
// snippet, and names the problem expected at the replacement's line.
type badCase struct {
	name    string
	old     string // a snippet of the seed's annotations.yaml (first occurrence)
	new     string
	wantMsg string
	wantCol int // 0: do not check
}

var badCases = []badCase{
	{"broken YAML", "    name: Zhu Hua\n", "    name: Zhu: Hua\n", "invalid YAML: mapping values are not allowed in this context", 0},
	{"unknown type", "    type: ThreatActor\n    name: APT10", "    type: HackerGroup\n    name: APT10", `unknown type "HackerGroup"`, 11},
	{"unknown field", "    name: Zhu Hua\n", "    name: Zhu Hua\n    nickname: Zhu\n", `unknown field "nickname"`, 5},
	{"misspelt field", "    name: Zhang Shilong\n", "    nmae: Zhang Shilong\n", `unknown field "nmae" (did you mean "name"?)`, 5},
	{"dangling relation end", "{type: AFFILIATED_WITH, from: zhu-hua, to: apt10,", "{type: AFFILIATED_WITH, from: zhu-hua, to: apt11,", `'to: apt11' is not an entity id of this file (did you mean "apt10"?)`, 0},
	{"relation not allowed by the model", "{type: BROUGHT_BY, from: indictment, to: doj,", "{type: BROUGHT_BY, from: indictment, to: sector-banking,", "is not allowed by the model: BROUGHT_BY goes from LegalAction to", 0},
	{"duplicate id", "  - id: zhang-shilong\n", "  - id: zhu-hua\n", `duplicate entity id "zhu-hua"`, 0},
	{"quote not in the text", `evidence: "announced charges against Zhu Hua and Zhang Shilong"`, `evidence: "announced charges against Zhu Hua and Zhang Shilong yesterday"`, "evidence is not in the article text", 0},
	{"quote with straight quotes", "evidence: hacking group “Advanced Persistent Threat 10” (APT10)", `evidence: hacking group "Advanced Persistent Threat 10" (APT10)`, "the text has \"hacking group “Advanced Persistent Threat 10” (APT10)\"", 0},
	{"unknown relation type", "{type: DISCOVERED, from: area1", "{type: FOUND, from: area1", `unknown relation type "FOUND"`, 0},
	{"wrong property type", "properties: {kind: victim-group, count: 45}", "properties: {kind: victim-group, count: forty-five}", `property "count" must be a whole number`, 0},
	{"undeclared property", "properties: {iso2: US}", "properties: {iso3: USA}", `unknown property "iso3" (declared: iso2)`, 0},
	{"bad date", "  date: 2018-12-20\n  # No URL", "  date: 20 December 2018\n  # No URL", `source.date "20 December 2018" is not a date`, 0},
	{"wrong format version", "format: threatkg-article/1", "format: threatkg-article/9", `format "threatkg-article/9" is not supported`, 0},
	{"same entity twice under two ids", "  - id: zhang-shilong\n    type: Person\n    name: Zhang Shilong", "  - id: zhang-shilong\n    type: Person\n    name: zhu hua", `names the same Person as "zhu-hua"`, 0},
}

// writeBad writes a mutated copy of the seed article into a temporary folder
// and returns its annotations path and the line of the mutation.
func writeBad(t *testing.T, c badCase) (string, int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(seedDir, AnnotationsFile))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(seedDir, "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), c.old)
	if i < 0 {
		t.Fatalf("snippet %q not in the seed annotations", c.old)
	}
	mutated := string(src[:i]) + c.new + string(src[i+len(c.old):])
	line := strings.Count(mutated[:i], "\n") + 1
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "article.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, AnnotationsFile)
	if err := os.WriteFile(path, []byte(mutated), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, line
}

func TestBadArticlesReportPositions(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			path, line := writeBad(t, c)
			_, err := ReadArticle(path, model.Declared)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ReadArticle() = %v, want an *InputError", err)
			}
			var found *Problem
			for i, p := range ie.Problems {
				if strings.Contains(p.Msg, c.wantMsg) {
					found = &ie.Problems[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no problem mentions %q; got:\n%s", c.wantMsg, strings.Join(ie.Lines(), "\n"))
			}
			// The problem is on the mutated line or the next (a mutation may
			// start with a newline-terminated line before the culprit).
			if found.Line < line || found.Line > line+2 {
				t.Errorf("problem at line %d, want about %d: %s", found.Line, line, found)
			}
			if c.wantCol != 0 && found.Col != c.wantCol {
				t.Errorf("problem at column %d, want %d: %s", found.Col, c.wantCol, found)
			}
			if found.File != path || !strings.HasPrefix(found.String(), path+":") {
				t.Errorf("problem does not name the file: %s", found)
			}
		})
	}
}

func TestAllProblemsAreReported(t *testing.T) {
	// Three independent mistakes: all three come back, in line order.
	path, _ := writeBad(t, badCase{old: "    name: Zhu Hua\n", new: "    name: Zhu Hua\n    nickname: Zhu\n"})
	data, _ := os.ReadFile(path)
	s := strings.Replace(string(data), "{type: DISCOVERED, from: area1", "{type: FOUND, from: area1", 1)
	s = strings.Replace(s, "from: zhang-shilong, to: apt10", "from: zhang-shilong, to: apt-10", 1)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadArticle(path, model.Declared)
	var ie *InputError
	if !errors.As(err, &ie) || len(ie.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	for i := 1; i < len(ie.Problems); i++ {
		if ie.Problems[i].Line < ie.Problems[i-1].Line {
			t.Errorf("problems not in line order: %v", ie.Lines())
		}
	}
}

func TestFuzzyFind(t *testing.T) {
	text := "He said “hello  world” to the\u00a0crowd’s delight."
	tests := []struct{ q, want string }{
		{`said "hello world"`, "said “hello  world”"},
		{"the crowd's", "the\u00a0crowd’s"},
		{"goodbye", ""},
	}
	for _, tt := range tests {
		if got := fuzzyFind(text, tt.q); got != tt.want {
			t.Errorf("fuzzyFind(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestNotUTF8AndTooLarge(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("format: threatkg-article/1\nsource:\n  title: \xff\xfe\n"), 0o644)
	_, err := ReadArticle(bad, model.Declared)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:3:10: not valid UTF-8") {
		t.Errorf("invalid UTF-8: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, _ := os.Create(big)
	f.Truncate(MaxFileSize + 1)
	f.Close()
	_, err = ReadArticle(big, model.Declared)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("too large: %v", err)
	}
}
