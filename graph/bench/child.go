package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/threatkg/threatkg/graph"
)

// ChildBulk bulk-loads the files as `threatkg load --bulk --local-server
// script` does, in its three steps, so that the peak RSS is threatkg's own
// (a child's rusage also counts its children, and the import step runs
// the server's importer, a JVM): `exe load --bulk --import-dir` writes the
// files, `script import` imports them (stopping and starting the server),
// `exe load --bulk --imported` creates the schema and resolves. The seconds
// are the three steps', end to end.
func ChildBulk(exe string, cfg graph.Config, script string) LoadFunc {
	return func(ctx context.Context, files []string) (float64, int64, error) {
		dir, err := os.MkdirTemp("", "threatkg-bench-import-")
		if err != nil {
			return 0, 0, err
		}
		defer os.RemoveAll(dir)
		importDir := filepath.Join(dir, "import")
		write, rss1, err := ChildLoad(exe, cfg, "--bulk", "--import-dir", importDir)(ctx, files)
		if err != nil {
			return 0, 0, err
		}
		start := time.Now()
		cmd := exec.CommandContext(ctx, script, "import", importDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			return 0, 0, fmt.Errorf("%s import: %v: %s", script, err, lines[len(lines)-1])
		}
		imported := time.Since(start).Seconds()
		finish, rss2, err := ChildLoad(exe, cfg, "--bulk", "--imported")(ctx, files)
		if err != nil {
			return 0, 0, err
		}
		return write + imported + finish, max(rss1, rss2), nil
	}
}

// ChildLoad loads by running `exe load` (with flags, e.g. --bulk) on the
// files as a child process with the connection settings in its
// environment, so that the peak RSS (from rusage) is the load's own.
func ChildLoad(exe string, cfg graph.Config, flags ...string) LoadFunc {
	return func(ctx context.Context, files []string) (float64, int64, error) {
		args := append(append([]string{"load", "--format", "json"}, flags...), files...)
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = append(os.Environ(),
			graph.EnvURI+"="+cfg.URI, graph.EnvUsername+"="+cfg.Username,
			graph.EnvPassword+"="+cfg.Password, graph.EnvDatabase+"="+cfg.Database)
		var errBuf strings.Builder
		cmd.Stderr = &errBuf
		start := time.Now()
		err := cmd.Run()
		seconds := time.Since(start).Seconds()
		if err != nil {
			lines := strings.Split(strings.TrimSpace(errBuf.String()), "\n")
			return 0, 0, fmt.Errorf("threatkg load failed: %s", lines[len(lines)-1])
		}
		var rss int64
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
			if runtime.GOOS == "darwin" {
				rss = int64(ru.Maxrss) // bytes on macOS
			}
		}
		return seconds, rss, nil
	}
}
