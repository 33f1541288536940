package main

// End-to-end tests in a real browser: headless Chromium (Debian's chromium
// package; .ci/run installs it) drives Neo4j Browser on the local test
// server, driven from Go with chromedp. They skip when Chromium is missing,
// and fail instead when CI=true.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/threatkg/threatkg/graph"
	"github.com/threatkg/threatkg/graph/graphtest"
	"github.com/threatkg/threatkg/graph/model"
	"github.com/threatkg/threatkg/queries"
)

func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the browser tests need Chromium (Debian: apt-get install chromium), and CI=true")
	}
	t.Skip("Chromium not installed (Debian: apt-get install chromium); set CHROMIUM to its path")
	return ""
}

// browserSession starts headless Chromium and logs in to the test server's
// Neo4j Browser. It returns the chromedp context and the Browser's address.
func browserSession(t *testing.T) (context.Context, string) {
	t.Helper()
	exe := chromiumPath(t)
	srv := graphtest.Get(t)
	if srv.HTTPURL == "" {
		t.Fatal("the test server's HTTP address is unknown (NEO4J_HTTP_URL)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.WindowSize(1400, 1000),
		// This machine's network is closed: no background traffic.
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.HTTPURL+"/browser/")); err != nil {
		t.Fatal(err)
	}
	ensureConnected(t, ctx, srv.Config)
	// Browser stores the connection asynchronously; a page load too soon
	// after it would start disconnected.
	if err := chromedp.Do(ctx, chromedp.Sleep(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	return ctx, srv.HTTPURL
}

// connectedJS is true once Browser is connected: no connection form or
// banner shows, and the server's post-connect command (threatkg's :style,
// which the local server sets) has run, which it does only on a connection.
const connectedJS = `(() => {
  const form = document.querySelector('[data-testid="password"]');
  const banner = document.querySelector('[data-testid="disconnectedBanner"]');
  const styled = Array.from(document.querySelectorAll('[data-testid="frameCommand"]')).some(c => c.innerText.includes(':style http'));
  return !form && !banner && styled;
})()`

// ensureConnected waits until Browser is connected, logging in when it
// shows its connection form.
func ensureConnected(t *testing.T, ctx context.Context, cfg graph.Config) {
	t.Helper()
	state, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
	  if (`+connectedJS+`) return 'connected';
	  if (document.querySelector('[data-testid="password"]')) return 'form';
	  return false;
	})()`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		dump, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({text: document.body.innerText.slice(0, 1500), ids: Array.from(document.querySelectorAll('[data-testid]')).map(e => e.getAttribute('data-testid')).join(' ')})`))
		t.Fatalf("waiting for Browser to connect or show its form: %v\npage: %s", err, dump)
	}
	if state == "connected" {
		return
	}
	user, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="username"]').value`))
	if err != nil {
		t.Fatal(err)
	}
	var steps []chromedp.Action[chromedp.Void]
	if user == "" {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`[data-testid="username"]`), cfg.Username))
	} else if user != cfg.Username {
		t.Fatalf("Browser's connection form holds user %q, want %q", user, cfg.Username)
	}
	steps = append(steps, chromedp.SendKeys(chromedp.CSS(`[data-testid="password"]`), cfg.Password))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("log in to Neo4j Browser: %v", err)
	}
	// Under load a click can land while the form re-renders: click again
	// if no connection follows.
	for attempt := 1; ; attempt++ {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`))); err != nil {
			t.Fatalf("log in to Neo4j Browser: %v", err)
		}
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](connectedJS, chromedp.WithPollingTimeout(20*time.Second)))
		if err == nil {
			return
		}
		if attempt == 3 {
			break
		}
		if form, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="connect"]') !== null`)); !form {
			break
		}
	}
	waitFor(t, ctx, "Browser is connected", connectedJS, 30*time.Second)
}

// browserOnSeedAndATTACK loads the seed article and ATT&CK's menuPass into
// the test database and logs a browser in to the test server's Neo4j
// Browser. It returns the CLI environment (with NEO4J_HTTP_URL), the
// browser context and Browser's address.
func browserOnSeedAndATTACK(t *testing.T) (map[string]string, context.Context, string) {
	t.Helper()
	env := loadSeed(t)
	if code, _, errOut := runCLI(t, env, "", "load", menupassBundle); code != exitOK {
		t.Fatalf("load menupass: %s", errOut)
	}
	ctx, httpURL := browserSession(t)
	env["NEO4J_HTTP_URL"] = httpURL
	return env, ctx, httpURL
}

func waitFor(t *testing.T, ctx context.Context, what, js string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(timeout))); err != nil {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			path := filepath.Join(t.TempDir(), "failure.png")
			if os.WriteFile(path, png, 0o644) == nil {
				_ = os.WriteFile(filepath.Join(os.TempDir(), "threatkg-e2e-failure.png"), png, 0o644)
				t.Logf("screenshot of the failure: %s", filepath.Join(os.TempDir(), "threatkg-e2e-failure.png"))
			}
		}
		frames, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[data-testid="frame"]')).map(f => f.textContent.slice(0, 300)).join('\n----\n')`))
		t.Fatalf("waiting until %s: %v\nframes:\n%s", what, err, frames)
	}
}

// runEditor opens a Browser URL (whose cmd=edit fills the editor), runs the
// editor's content and waits for its frame to finish.
func runEditor(t *testing.T, ctx context.Context, link string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	ensureConnected(t, ctx, graphtest.Get(t).Config)
	waitFor(t, ctx, "the editor holds the query", `document.querySelector('[data-testid="activeEditor"]') !== null && document.querySelector('[data-testid="activeEditor"]').innerText.trim().length > 0`, 30*time.Second)
	runAndWait(t, ctx)
}

// runAndWait clicks Run and waits for the new frame to finish.
func runAndWait(t *testing.T, ctx context.Context) {
	t.Helper()
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](frameCount))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="editor-Run"]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "a new frame appears", fmt.Sprintf("%s > %d", frameCount, before), 30*time.Second)
	waitFor(t, ctx, "the frame finishes", frameDone, 60*time.Second)
}

const frameCount = `document.querySelectorAll('[data-testid="frame"]').length`

// newestFrame is the frame Browser added last (it puts new frames first),
// skipping the post-connect :style frame.
const newestFrame = `(() => document.querySelector('[data-testid="frame"]'))()`

// frameDone: the newest frame has finished: every statement of a
// multi-statement run has a final status, or a single query's result shows.
const frameDone = `(() => {
  const frame = ` + newestFrame + `;
  if (!frame) return false;
  const icons = Array.from(frame.querySelectorAll('[data-testid="multi-statement-list-icon"]'));
  if (icons.length > 0) return icons.every(i => /success|error|skipped|ignored/i.test(i.getAttribute('title') || ''));
  const text = frame.textContent;
  return frame.querySelector('svg .node') !== null || /ERROR|completed after|no changes, no records|Displaying \d+ node|no records/i.test(text);
})()`

// graphDrawn: the newest frame shows a graph with nodes.
const graphDrawn = `(() => {
  const frame = ` + newestFrame + `;
  return !!frame && frame.querySelectorAll('svg .node').length > 5;
})()`

// runInEditor puts a query into Browser's editor in the current page (as
// if pasted; no page load, so Browser keeps its parameters) and runs it.
func runInEditor(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	// One line, as typed: comment lines go (a // would comment out the
	// rest of the line, that is of the whole query).
	var code []string
	for _, line := range strings.Split(query, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			code = append(code, line)
		}
	}
	text, _ := json.Marshal(strings.Join(strings.Fields(strings.Join(code, "\n")), " "))
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
	  const area = document.querySelector('[data-testid="activeEditor"] textarea');
	  area.focus();
	  // Pasted, as a user would: typing would auto-close quotes and brackets.
	  const data = new DataTransfer();
	  data.setData('text/plain', `+string(text)+`);
	  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
	  return true;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	runAndWait(t, ctx)
}

type drawnNode struct {
	Caption string `json:"caption"`
	Fill    string `json:"fill"`
}

// graphNodes reads the nodes drawn in the newest graph view: their captions
// and fill colours.
func graphNodes(t *testing.T, ctx context.Context) []drawnNode {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(
	  Array.from(document.querySelector('[data-testid="frame"]').querySelectorAll('svg .node')).map(n => ({
	    caption: Array.from(n.querySelectorAll('text')).map(t => t.textContent).join(' ').trim(),
	    fill: ((n.querySelector('circle.b-outline') || n.querySelector('circle')) || {getAttribute: () => ''}).getAttribute('fill') || ''
	  })))`))
	if err != nil {
		t.Fatal(err)
	}
	var nodes []drawnNode
	if err := json.Unmarshal([]byte(out), &nodes); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return nodes
}

func screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv("THREATKG_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "threatkg-e2e")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`[data-testid="frame"]`)))
	if err != nil {
		t.Fatal(err)
	}
	path, _ := filepath.Abs(filepath.Join(dir, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	fmt.Fprintf(os.Stderr, "screenshot: %s\n", path)
	return path
}

// TestBrowserShowsAPT10 opens the deep link of actors-victims for APT10,
// runs it, and checks the graph Neo4j Browser draws: APT10 with its members
// and victims, captioned by name, in threatkg's colours. It saves a
// screenshot (docs/browser-apt10.png comes from 'make e2e').
func TestBrowserShowsAPT10(t *testing.T) {
	env, ctx, _ := browserOnSeedAndATTACK(t)

	// 1. The deep link: parameters set, then the query; both succeed.
	code, out, errOut := runCLI(t, env, "", "query", "actors-victims", "--param", "actor=APT10", "--browser")
	if code != exitOK {
		t.Fatalf("--browser: exit %d: %s", code, errOut)
	}
	link := strings.TrimSpace(out)
	runEditor(t, ctx, link)
	if failed := failedStatements(t, ctx); failed != "" {
		t.Fatalf("deep link statements failed: %s", failed)
	}

	// 2. In the same page Browser keeps the parameters: the query run on
	// its own draws the graph.
	q, err := queries.Lookup("actors-victims")
	if err != nil {
		t.Fatal(err)
	}
	runInEditor(t, ctx, q.GraphQuery())
	waitFor(t, ctx, "the graph view draws nodes", graphDrawn, 60*time.Second)
	if err := chromedp.Do(ctx, chromedp.Sleep(3*time.Second)); err != nil { // let the layout settle
		t.Fatal(err)
	}
	nodes := graphNodes(t, ctx)
	fills := map[string]string{}
	for _, n := range nodes {
		// Browser wraps long captions over several text lines.
		fills[strings.Join(strings.Fields(n.Caption), " ")] = strings.ToUpper(n.Fill)
	}
	actor, _ := model.Declared.Node("ThreatActor")
	person, _ := model.Declared.Node("Person")
	want := map[string]string{"APT10": actor.Color, "Zhu Hua": person.Color, "Zhang Shilong": person.Color}
	for caption, colour := range want {
		got, ok := fills[caption]
		if !ok {
			t.Errorf("no node captioned %q is drawn (drawn: %v)", caption, nodes)
			continue
		}
		if got != strings.ToUpper(colour) {
			t.Errorf("%q is drawn in %s, want threatkg's %s", caption, got, colour)
		}
	}
	victims := 0
	for caption := range fills {
		if strings.Contains(caption, "12") || strings.Contains(caption, "bank") || strings.Contains(caption, "Global") {
			victims++
		}
	}
	if victims == 0 {
		t.Errorf("no victim is drawn: %v", nodes)
	}
	screenshot(t, ctx, "browser-apt10.png")
}

// failedStatements describes the statements of the newest frame that did not
// succeed, or any error it shows; "" when there is none.
func failedStatements(t *testing.T, ctx context.Context) string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	  const frame = `+newestFrame+`;
	  if (!frame) return 'no frame';
	  const bad = Array.from(frame.querySelectorAll('[data-testid="multi-statement-list-icon"]'))
	    .filter(i => !/success/i.test(i.getAttribute('title') || '')).map(i => i.getAttribute('title'));
	  const text = frame.textContent;
	  if (/ERROR|Neo\.ClientError|Neo\.DatabaseError|SyntaxError|Could not parse|Database access not available|No connection found/.test(text)) bad.push(text.slice(0, 600));
	  return bad.join('; ');
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBrowserRunsEveryCannedQuery opens the deep link of every canned query
// (with the golden test's parameters) and checks that it runs without an
// error, and that its graph view link draws a graph.
func TestBrowserRunsEveryCannedQuery(t *testing.T) {
	env, ctx, httpURL := browserOnSeedAndATTACK(t)
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	// The check can fail: a broken query's frame is reported.
	runEditor(t, ctx, httpURL+"/browser/?cmd=edit&arg="+url.QueryEscape("MATCH (n RETURN n"))
	if failed := failedStatements(t, ctx); failed == "" {
		t.Fatal("a syntax error frame was not detected")
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			args := append([]string{"query", q.Name, "--browser"}, goldenParams[q.Name]...)
			code, out, errOut := runCLI(t, env, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			runEditor(t, ctx, strings.TrimSpace(out))
			if failed := failedStatements(t, ctx); failed != "" {
				t.Errorf("error frame: %s", failed)
			}
			// With its parameters set, the graph form alone draws a graph
			// (or says there is nothing to draw), without an error.
			if len(q.Params) > 0 {
				runInEditor(t, ctx, q.GraphQuery())
				if failed := failedStatements(t, ctx); failed != "" {
					t.Errorf("graph form: error frame: %s", failed)
				}
			}
		})
	}
}
