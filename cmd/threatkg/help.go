package main

import (
	"embed"
	"strings"
)

// The commands' help is text, kept in help/COMMAND.txt (a subcommand:
// PARENT-SUB.txt) and embedded: easy to read and review as prose, and
// printed by --help as it is written. A file holds the long help, then,
// after a line "--- examples", the examples.
//
//go:embed help/*.txt
var helpFiles embed.FS

const examplesLine = "\n--- examples\n"

// help returns a command's long help; a missing file is a bug that
// TestEveryCommandHasHelp catches.
func help(name string) string {
	long, _, _ := strings.Cut(helpFile(name), examplesLine)
	return strings.TrimRight(long, "\n")
}

// examples returns a command's examples ("" when it has none).
func examples(name string) string {
	_, ex, _ := strings.Cut(helpFile(name), examplesLine)
	return strings.TrimRight(ex, "\n")
}

func helpFile(name string) string {
	data, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic("no help/" + name + ".txt")
	}
	return string(data)
}
