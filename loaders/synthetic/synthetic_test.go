package synthetic

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/loaders"
)

// TestGenerateIsDeterministicAndLoadable: the same size and seed give the
// same bytes; a different seed gives different ones; every file passes the
// loader's validation, and the counts are about the size's targets.
func TestGenerateIsDeterministicAndLoadable(t *testing.T) {
	size, err := SizeNamed("s")
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	st, err := Generate(a, size, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, size, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(c, size, 2); err != nil {
		t.Fatal(err)
	}
	differs := false
	for _, f := range st.Files {
		x, _ := os.ReadFile(f)
		y, _ := os.ReadFile(filepath.Join(b, filepath.Base(f)))
		z, _ := os.ReadFile(filepath.Join(c, filepath.Base(f)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 1", filepath.Base(f))
		}
		differs = differs || !bytes.Equal(x, z)
		res, err := loaders.ReadSTIX(f, x, model.Declared)
		if err != nil {
			t.Fatalf("%s does not load: %v", filepath.Base(f), err)
		}
		for _, d := range res.Documents {
			if err := model.Declared.CheckDocument(d); err != nil {
				t.Fatal(err)
			}
			for _, cl := range d.Claims {
				if cl.Quote == "" {
					t.Fatalf("claim %s has no quote", cl.UID)
				}
			}
		}
	}
	if !differs {
		t.Error("seeds 1 and 2 gave the same corpus")
	}
	if st.Nodes < 8000 || st.Nodes > 12000 || st.Relations < 2*st.Nodes || st.Relations > 5*st.Nodes {
		t.Errorf("size S: %d nodes, %d relationships; want about 10k and 30k", st.Nodes, st.Relations)
	}
	if _, err := SizeNamed("XL"); err == nil {
		t.Error("size XL accepted")
	}
}

// TestProbesExist: the query parameters bench uses name entities of the
// corpus.
func TestProbesExist(t *testing.T) {
	size, _ := SizeNamed("S")
	dir := t.TempDir()
	st, err := Generate(dir, size, 3)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range st.Files {
		data, _ := os.ReadFile(f)
		res, err := loaders.ReadSTIX(f, data, model.Declared)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Documents {
			for _, e := range d.Entities {
				names[e.Name] = true
				if id, ok := e.Properties["external_id"].(string); ok {
					names[id] = true
				}
			}
		}
	}
	for param, v := range Probes(size, 3) {
		if !names[v] {
			t.Errorf("probe %s=%q is not in the corpus", param, v)
		}
	}
}

// BenchmarkGenerate measures writing the S corpus.
func BenchmarkGenerate(b *testing.B) {
	size, _ := SizeNamed("S")
	for b.Loop() {
		if _, err := Generate(b.TempDir(), size, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSTIX measures parsing and validating one report file of the
// S corpus (the client-side hot path of a load), in bytes per second.
func BenchmarkReadSTIX(b *testing.B) {
	size, _ := SizeNamed("S")
	dir := b.TempDir()
	st, err := Generate(dir, size, 1)
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(st.Files[1])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := loaders.ReadSTIX(st.Files[1], data, model.Declared); err != nil {
			b.Fatal(err)
		}
	}
}
