package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/threatkg/threatkg/graph"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; a
// plain build reports the module version or "dev".
var version = ""

func versionString() string {
	v := version
	if v == "" {
		v = "dev"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	return fmt.Sprintf("%s (%s, %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

type ioStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether stdout and stderr are terminals (table
	// cells are then cut to fit, and a progress bar shows on stderr);
	// Width is the terminal's width in columns, 0 when unknown. main sets
	// them from the process's files; tests set what they test.
	OutTTY, ErrTTY bool
	Width          int
}

// systemStreams are the process's standard streams, with what the terminal
// says of them.
func systemStreams() ioStreams {
	s := ioStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())), ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
	if s.OutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			s.Width = w
		}
	}
	return s
}

// globalOptions are the connection settings every command shares. Flags
// override the environment, which overrides the defaults. The password is
// never a flag value: it comes from NEO4J_PASSWORD or --password-stdin.
type globalOptions struct {
	io     ioStreams
	getenv func(string) string

	uri           string
	username      string
	database      string
	passwordStdin bool

	resolved *graph.Config // set by the first config call: stdin is read once
	clients  factory       // how commands get their clients (tests set fakes)
}

// config resolves the connection settings (once: stdin can be read only once).
func (g *globalOptions) config() (graph.Config, error) {
	if g.resolved != nil {
		return *g.resolved, nil
	}
	cfg := graph.ConfigFromEnv(g.getenv).With(g.uri, g.username, g.database)
	if g.passwordStdin {
		line, err := bufio.NewReader(g.io.In).ReadString('\n')
		if err != nil && err != io.EOF {
			return cfg, usageErrorf("--password-stdin: read the password from standard input: %w", err)
		}
		cfg.Password = strings.TrimRight(line, "\r\n")
		if cfg.Password == "" {
			return cfg, usageErrorf("--password-stdin: standard input is empty; pipe the password in, e.g. threatkg --password-stdin doctor < passwordfile")
		}
	}
	g.resolved = &cfg
	return cfg, nil
}

// connect opens a client with the resolved settings; the caller closes it.
func (g *globalOptions) connect(ctx context.Context) (*graph.Client, error) {
	cfg, err := g.config()
	if err != nil {
		return nil, err
	}
	return graph.Open(ctx, cfg, graph.WithUserAgent(userAgent()))
}

// userAgent is how threatkg names itself to servers: threatkg/VERSION.
func userAgent() string { return "threatkg/" + strings.Fields(versionString())[0] }

// newRootCmd builds the command tree.
func newRootCmd(streams ioStreams, getenv func(string) string) *cobra.Command {
	return newRootCmdWith(&globalOptions{io: streams, getenv: getenv})
}

// newRootCmdWith builds the command tree on the given options (tests give
// a factory of fakes).
func newRootCmdWith(g *globalOptions) *cobra.Command {
	streams := g.io
	root := &cobra.Command{
		Use:           "threatkg",
		Short:         "Build and query a threat-actor knowledge graph in Neo4j",
		Long:          help("threatkg"),
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Example:       examples("threatkg"),
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetVersionTemplate("threatkg {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErrorf("%w (see '%s --help')", err, c.CommandPath())
	})

	pf := root.PersistentFlags()
	pf.StringVar(&g.uri, "uri", "", "Neo4j URI (env NEO4J_URI, default "+graph.DefaultURI+")")
	pf.StringVar(&g.username, "username", "", "Neo4j user (env NEO4J_USERNAME, default "+graph.DefaultUsername+")")
	pf.StringVar(&g.database, "database", "", "Neo4j database (env NEO4J_DATABASE, default "+graph.DefaultDatabase+")")
	pf.BoolVar(&g.passwordStdin, "password-stdin", false, "read the password from the first line of standard input (else env NEO4J_PASSWORD)")

	root.AddCommand(newDoctorCmd(g, nil), newSchemaCmd(g, nil), newLoadCmd(g, nil), newQueryCmd(g, nil), newStatsCmd(g, nil), newResetCmd(g, nil),
		newResolveCmd(g, nil), newExportCmd(g, nil), newBrowserCmd(), newBenchCmd(g, nil), newExtractCmd(g, nil), newTaxiiCmd(g, nil))
	markCommandErrors(root)
	return root
}

// markCommandErrors wraps every RunE so that exitCode can tell the command's
// own errors from cobra's parsing errors.
func markCommandErrors(c *cobra.Command) {
	if c.RunE != nil {
		runE := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := runE(cmd, args); err != nil {
				return &commandError{err: err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markCommandErrors(sub)
	}
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, streams ioStreams, getenv func(string) string) int {
	root := newRootCmd(streams, getenv)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		printError(streams.ErrOut, err)
	}
	return exitCode(err)
}
