package graph

import (
	"fmt"
	"io"
	"strings"

	"github.com/threatkg/threatkg/graph/model"
)

// WriteExplanations prints why the entity called name is one entity of
// several nodes, as `threatkg resolve --explain` shows it.
func WriteExplanations(w io.Writer, name string, explanations []Explanation) error {
	for i, e := range explanations {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%q is one entity of %d node(s):\n", name, len(e.Members))
		for _, m := range e.Members {
			fmt.Fprintf(w, "  %s %q (%s)\n      aliases: %s\n      sources: %s\n", m.Label, m.Name, m.UID,
				strings.Join(m.Aliases, ", "), strings.Join(m.Sources, "; "))
		}
		for _, l := range e.Links {
			var err error
			if l.Kind == model.SameAsType {
				_, err = fmt.Fprintf(w, "  linked: %q = %q, because both are called %q (%s; sources: %s)\n", l.From, l.To, l.Matched, l.Method, strings.Join(l.Sources, ", "))
			} else {
				_, err = fmt.Fprintf(w, "  kept apart: %q and %q (%s)\n", l.From, l.To, l.Method)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteUnlinked prints the links `threatkg resolve --undo` removed.
func WriteUnlinked(w io.Writer, links []ResolutionLink) error {
	for _, l := range links {
		if _, err := fmt.Fprintf(w, "unlinked %s (%s) and %s (%s), which shared %q; recorded NOT_SAME_AS\n", l.From, l.FromUID, l.To, l.ToUID, l.Matched); err != nil {
			return err
		}
	}
	return nil
}
