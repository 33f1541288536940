// Command threatkg builds a threat-actor knowledge graph in Neo4j and answers
// analysts' questions about it. This package holds the command-line wiring;
// the work is done in graph/, loaders/ and queries/.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], systemStreams(), os.Getenv)
	stop()
	os.Exit(code)
}
