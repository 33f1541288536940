package loaders

import (
	"fmt"
	"sort"
)

// Problem is one thing wrong with an input file, at a position.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem is about the whole file
	Col  int // 1-based; 0 when unknown
	Msg  string
}

func (p Problem) String() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Col == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// InputError lists every problem found in an input, sorted by position.
// Nothing is written when a loader returns one; the command line exits 2.
type InputError struct {
	Problems []Problem
}

func (e *InputError) Error() string {
	if len(e.Problems) == 0 {
		return "invalid input"
	}
	first := e.Problems[0].String()
	if n := len(e.Problems) - 1; n > 0 {
		return fmt.Sprintf("%s (and %d more problems)", first, n)
	}
	return first
}

// Lines returns one line per problem.
func (e *InputError) Lines() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.String()
	}
	return out
}

// problems collects Problems while a loader reads a file.
type problems struct {
	file string
	list []Problem
}

func (ps *problems) at(line, col int, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sort.SliceStable(ps.list, func(i, j int) bool {
		a, b := ps.list[i], ps.list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return &InputError{Problems: ps.list}
}
