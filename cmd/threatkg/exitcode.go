package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/loaders"
	"github.com/threatkg/threatkg/loaders/taxii"
	"github.com/threatkg/threatkg/queries"
)

// Exit codes. They are decided here and nowhere else, and documented in
// README.md ("Exit codes").
const (
	exitOK          = 0 // success, including a query with no rows
	exitError       = 1 // runtime error: the server failed a query, a file could not be written, ...
	exitUsage       = 2 // invalid usage or invalid input: bad flags, bad files; nothing was written
	exitUnavailable = 3 // the database is unreachable, refused the credentials, or does not exist
)

// usageError marks an error as the user's to fix before anything runs.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// commandError wraps what a command's RunE returned, so that exitCode can
// tell an error of the command from one cobra raised while parsing the
// command line (which is always a usage error).
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var connErr *graph.ConnectError
	if errors.As(err, &connErr) {
		if connErr.Kind == graph.InvalidConfig {
			return exitUsage
		}
		return exitUnavailable
	}
	var feedErr *taxii.Error
	if errors.As(err, &feedErr) {
		switch {
		case feedErr.Unavailable():
			return exitUnavailable
		case feedErr.Status >= 400 && feedErr.Status < 500 || feedErr.Status == 0:
			return exitUsage // a URL that is no TAXII 2.1 collection, or an answer that is not TAXII
		}
		return exitError
	}
	var (
		usage    *usageError
		input    *loaders.InputError
		param    *queries.ParamError
		unknownQ *queries.UnknownQueryError
		notFound *graph.NotFoundError
		readOnly *graph.ReadOnlyError
		notEmpty *graph.NotEmptyError
	)
	if errors.As(err, &usage) || errors.As(err, &input) || errors.As(err, &param) || errors.As(err, &unknownQ) ||
		errors.As(err, &notFound) || errors.As(err, &readOnly) || errors.As(err, &notEmpty) {
		return exitUsage
	}
	var queryErr *graph.QueryError
	if errors.As(err, &queryErr) && queryErr.Invalid {
		return exitUsage
	}
	var cmdErr *commandError
	if !errors.As(err, &cmdErr) {
		// Raised by cobra before the command ran: unknown command or flag,
		// wrong number of arguments, a missing required flag.
		return exitUsage
	}
	return exitError
}

// printError writes the error as one line on stderr; invalid input gets one
// line per problem ("file:line:col: message") and a last line that counts them.
func printError(w io.Writer, err error) {
	var input *loaders.InputError
	if errors.As(err, &input) {
		for _, line := range input.Lines() {
			fmt.Fprintln(w, line)
		}
		fmt.Fprintf(w, "threatkg: %d problem%s found; nothing was written\n", len(input.Problems), plural(len(input.Problems)))
		return
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if errors.Is(err, context.Canceled) {
		msg = "interrupted; nothing more was written"
	}
	fmt.Fprintf(w, "threatkg: %s\n", msg)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
