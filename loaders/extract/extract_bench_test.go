package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus is the curated articles repeated to about size bytes.
func corpus(tb testing.TB, size int) string {
	tb.Helper()
	paths, err := filepath.Glob("../../testdata/articles/*/article.txt")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no articles: %v", err)
	}
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n\n")
	}
	unit := b.String()
	return strings.Repeat(unit, size/len(unit)+1)[:size]
}

// BenchmarkExtract measures extraction throughput (MB/s) on 1 MB of news
// and press-release text; the target is at least 1 MB/s.
func BenchmarkExtract(b *testing.B) {
	text := corpus(b, 1<<20)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(text, Options{})
	}
}

// BenchmarkExtractLarge: 8 MB, to show the work stays linear in the length.
func BenchmarkExtractLarge(b *testing.B) {
	text := corpus(b, 8<<20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Extract(text, Options{})
	}
}
