// Package pytools finds the Python tools threatkg's tests run (medallion,
// OASIS's TAXII 2.1 reference server, and stix2-validator, OASIS's STIX
// validator): 'make python-tools' installs them, pinned, into .venv-tools/
// at the repository's root.
package pytools

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Venv is the virtual environment's directory, relative to the root.
const Venv = ".venv-tools"

// RepoRoot is the directory above the working directory that holds go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Find locates a tool: the environment variable env (a path), then
// .venv-tools/bin/NAME at the repository's root, then PATH.
func Find(env, name string) (string, bool) {
	if p := os.Getenv(env); p != "" {
		return p, true
	}
	if root, err := RepoRoot(); err == nil {
		p := filepath.Join(root, Venv, "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	p, err := exec.LookPath(name)
	return p, err == nil
}
