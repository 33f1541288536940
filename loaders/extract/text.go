package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range of the text.
type span struct{ start, end int }

// sentence is a span of the text with the paragraph (line block) it is in.
type sentence struct {
	span
	para int
}

// at is the span of bytes a to b of the sentence, in the text.
func (s sentence) at(a, b int) span { return span{s.start + a, s.start + b} }

// sentence is sentence i and its text.
func (x *extractor) sentence(i int) (sentence, string) {
	s := x.sents[i]
	return s, x.text[s.start:s.end]
}

// maxSentence bounds a sentence's length: text without punctuation must not
// make one sentence of megabytes (every rule works per sentence, so this
// bounds the work per rule).
const maxSentence = 2000

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"U.S": true, "U.K": true, "U.N": true, "D.C": true, "E.U": true, "Mr": true, "Mrs": true, "Ms": true, "Dr": true,
	"Sen": true, "Rep": true, "Gen": true, "Col": true, "Lt": true, "Adm": true, "Gov": true, "Sgt": true, "Capt": true,
	"St": true, "Jr": true, "Sr": true, "Inc": true, "Corp": true, "Co": true, "Ltd": true, "No": true, "Nos": true,
	"Jan": true, "Feb": true, "Mar": true, "Apr": true, "Jun": true, "Jul": true, "Aug": true, "Sep": true, "Sept": true,
	"Oct": true, "Nov": true, "Dec": true, "e.g": true, "i.e": true, "vs": true, "etc": false, "a.m": true, "p.m": true,
	"approx": true, "Dept": true, "Univ": true, "Prof": true,
}

// splitSentences splits text into sentences: at line breaks, and after a
// full stop, question or exclamation mark (and any closing quote) followed
// by a space and a capital letter or an opening quote, unless the word
// before the stop is an abbreviation or an initial.
func splitSentences(text string) []sentence {
	var out []sentence
	para := 0
	emit := func(start, end int) {
		for start < end && isSpaceByte(text[start]) {
			start++
		}
		for end > start && isSpaceByte(text[end-1]) {
			end--
		}
		for end-start > maxSentence {
			cut := start + maxSentence
			for cut > start && !utf8.RuneStart(text[cut]) {
				cut--
			}
			out = append(out, sentence{span{start, cut}, para})
			start = cut
		}
		if end > start {
			out = append(out, sentence{span{start, end}, para})
		}
	}
	lineStart := 0
	for lineStart < len(text) {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		if strings.TrimSpace(text[lineStart:lineEnd]) == "" {
			para++
		} else {
			start := lineStart
			for i := lineStart; i < lineEnd; i++ {
				c := text[i]
				if c != '.' && c != '?' && c != '!' {
					continue
				}
				j := i + 1
				// closing quotes and brackets
				for j < lineEnd {
					r, size := utf8.DecodeRuneInString(text[j:])
					if r == '"' || r == '”' || r == '’' || r == ')' || r == '\'' {
						j += size
						continue
					}
					break
				}
				if j >= lineEnd || text[j] != ' ' {
					continue
				}
				k := j
				for k < lineEnd && text[k] == ' ' {
					k++
				}
				if k >= lineEnd {
					continue
				}
				r, _ := utf8.DecodeRuneInString(text[k:])
				if !unicode.IsUpper(r) && r != '“' && r != '"' && !unicode.IsDigit(r) {
					continue
				}
				if c == '.' && isAbbreviation(text[start:i]) {
					continue
				}
				emit(start, j)
				start = k
			}
			emit(start, lineEnd)
			para++
		}
		lineStart = lineEnd + 1
	}
	return out
}

// isAbbreviation reports whether the word ending the text (before a full
// stop) is an abbreviation or an initial.
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " (“\"\t")
	word := before[i+1:]
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r) // an initial: "Michael R. Pompeo"
	}
	if abbreviations[word] {
		return true
	}
	// dotted initialisms: "U.S", "D.C"
	if strings.Contains(word, ".") && len(word) <= 6 {
		return true
	}
	return false
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimSpan trims spaces and punctuation that cannot end a quote.
func trimSpan(text string, s span) span {
	for s.start < s.end && isSpaceByte(text[s.start]) {
		s.start++
	}
	for s.end > s.start && (isSpaceByte(text[s.end-1]) || text[s.end-1] == ',') {
		s.end--
	}
	return s
}
