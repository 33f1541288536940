package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/threatkg/threatkg/graph/graphtest"
)

// TestInterruptDuringLoad sends SIGINT (Ctrl-C) to a running `threatkg
// load` of the ATT&CK subset: it stops within seconds, says so on one
// line, exits 1, and leaves the graph as it was; loading again converges.
func TestInterruptDuringLoad(t *testing.T) {
	env := loadSeed(t)
	c := graphtest.Open(t)
	before := graphtest.Fingerprint(t, c, "loaded_at")

	bin := filepath.Join(t.TempDir(), "threatkg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	subset := "../../testdata/stix/attack/enterprise-attack-subset.json.gz"
	cmd := exec.Command(bin, "load", subset)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the load's write transaction is open on the server.
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		rows, err := c.Read(context.Background(), "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'UNWIND $' + 'rows AS row' AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n", nil)
		if err == nil && rows.Records[0][0] != int64(0) {
			break
		}
		select {
		case err := <-ended:
			t.Fatalf("the load ended (%v) before its write transaction was seen", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the load's write transaction never showed up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-ended
	stopped := time.Since(sent)
	if cmd.ProcessState == nil {
		t.Fatal("no exit status")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitError || !strings.Contains(stderr.String(), "interrupted; nothing more was written") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if stopped > 10*time.Second {
		t.Errorf("stopped %v after SIGINT", stopped)
	}
	time.Sleep(time.Second)
	if after := graphtest.Fingerprint(t, c, "loaded_at"); after != before {
		t.Errorf("the interrupted load left data: %s -> %s", before, after)
	}
	if code, _, errOut := runCLI(t, env, "", "load", subset); code != exitOK {
		t.Errorf("loading again: exit %d: %s", code, errOut)
	}
}
