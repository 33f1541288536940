package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/threatkg/threatkg/graph"
)

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
