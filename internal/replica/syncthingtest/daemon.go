package syncthingtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeouts of a daemon's life: a start generates a key and opens a
// database, a stop flushes it.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
	callTimeout  = 10 * time.Second
)

// Daemon is one running syncthing.
type Daemon struct {
	Name   string // st0, st1, …: its device name, and how messages call it
	Home   string // its --home: keys, config.xml, database, syncthing.log
	ID     string // its device ID
	API    string // its REST API, http://127.0.0.1:PORT
	Listen string // its sync protocol address, tcp://127.0.0.1:PORT

	apiKey  string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	waitErr error         // the process's exit, once exited is closed
	stopped sync.Once
	folders []string // shared, for the report of a failed test
}

// Cluster is daemons started together, the first on the left.
type Cluster []*Daemon

// Start starts n daemons, each in a home of its own under t's temp
// folder, answering on its REST API when it returns; they are stopped
// when the test ends. Start skips the test where syncthing is missing
// (see SkipIfMissing).
func Start(t testing.TB, n int) Cluster {
	t.Helper()
	bin := SkipIfMissing(t)
	ports := freePorts(t, 2*n)
	c := make(Cluster, n)
	for i := range c {
		c[i] = start(t, bin, fmt.Sprintf("st%d", i), ports[2*i], ports[2*i+1])
	}
	for _, d := range c {
		d.waitReady(t)
	}
	return c
}

// start generates the daemon's keys and configuration, keeps it on
// 127.0.0.1, and starts it; it may not answer yet.
func start(t testing.TB, bin, name string, apiPort, listenPort int) *Daemon {
	t.Helper()
	d := &Daemon{
		Name:   name,
		Home:   filepath.Join(t.TempDir(), name),
		API:    fmt.Sprintf("http://127.0.0.1:%d", apiPort),
		Listen: fmt.Sprintf("tcp://127.0.0.1:%d", listenPort),
		apiKey: randomKey(t),
		exited: make(chan struct{}),
	}
	gen := exec.Command(bin, "generate", "--home="+d.Home, "--no-default-folder", "--skip-port-probing")
	gen.Env = d.env()
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("syncthing generate for %s: %v\n%s", name, err, out)
	}
	if err := isolate(filepath.Join(d.Home, "config.xml"), d); err != nil {
		t.Fatalf("keep %s on 127.0.0.1: %v", name, err)
	}
	log, err := os.Create(d.logPath())
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	// --no-restart keeps it one process (no monitor restarting it), so
	// stopping it is signalling one pid.
	d.cmd = exec.Command(bin, "serve", "--home="+d.Home, "--no-browser", "--no-restart", "--no-upgrade", "--logflags=3")
	d.cmd.Env = d.env()
	d.cmd.Stdout, d.cmd.Stderr = log, log
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start syncthing %s: %v", name, err)
	}
	go func() {
		d.waitErr = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() { d.stop(t) })
	return d
}

// env is all a daemon is given of the environment: its home as HOME, so
// nothing of it lands in the user's, and no STGUIADDRESS or the like
// from the shell running the tests.
func (d *Daemon) env() []string {
	return []string{"HOME=" + d.Home, "PATH=" + os.Getenv("PATH"), "STNODEFAULTFOLDER=1", "STNOUPGRADE=1"}
}

func (d *Daemon) logPath() string { return filepath.Join(d.Home, "syncthing.log") }

// waitReady waits for the REST API, then takes the device ID from it and
// checks that the daemon runs with the options isolate set.
func (d *Daemon) waitReady(t testing.TB) {
	t.Helper()
	WaitFor(t, startTimeout, d.Name+"'s REST API to answer at "+d.API, func() bool {
		d.mustRun(t)
		return d.REST("GET", "/rest/system/ping", nil, nil) == nil
	})
	var status struct {
		MyID string `json:"myID"`
	}
	if err := d.REST("GET", "/rest/system/status", nil, &status); err != nil || status.MyID == "" {
		t.Fatalf("%s's device ID: %v", d.Name, err)
	}
	d.ID = status.MyID
	var have options
	if err := d.REST("GET", "/rest/config/options", nil, &have); err != nil {
		t.Fatalf("%s's options: %v", d.Name, err)
	}
	if want := offline(d.Listen); !reflect.DeepEqual(want, have) {
		t.Fatalf("%s runs with options %+v, not the loopback-only %+v", d.Name, have, want)
	}
}

// mustRun fails the test, with the end of its log, if the daemon has
// exited.
func (d *Daemon) mustRun(t testing.TB) {
	t.Helper()
	select {
	case <-d.exited:
		t.Fatalf("syncthing %s exited (%v); the end of its log:\n%s", d.Name, d.waitErr, d.logTail())
	default:
	}
}

// stop ends the daemon, politely first; a failed test gets its state
// and the end of its log.
func (d *Daemon) stop(t testing.TB) {
	d.stopped.Do(func() {
		if t.Failed() {
			d.report(t)
		}
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
			return
		case <-time.After(stopTimeout):
		}
		d.cmd.Process.Kill()
		select {
		case <-d.exited:
		case <-time.After(stopTimeout):
			t.Errorf("syncthing %s (pid %d) did not exit when killed", d.Name, d.cmd.Process.Pid)
		}
	})
}

// report logs what the daemon says of its connections and folders, and
// the end of its log.
func (d *Daemon) report(t testing.TB) {
	var raw json.RawMessage
	if d.REST("GET", "/rest/system/connections", nil, &raw) == nil {
		t.Logf("syncthing %s (%s) connections: %s", d.Name, d.ID, compact(raw))
	}
	for _, f := range d.folders {
		if d.REST("GET", "/rest/db/status?folder="+f, nil, &raw) == nil {
			t.Logf("syncthing %s folder %s: %s", d.Name, f, compact(raw))
		}
	}
	t.Logf("syncthing %s's log (%s) ends:\n%s", d.Name, d.logPath(), d.logTail())
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// logTail is the last lines of the daemon's log.
func (d *Daemon) logTail() string {
	data, _ := os.ReadFile(d.logPath())
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}

// REST calls the daemon's REST API: in, when not nil, is sent as JSON,
// and the answer decoded into out when it is not nil.
func (d *Daemon) REST(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, d.API+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", d.apiKey)
	req.Header.Set("Content-Type", "application/json")
	client := http.Client{Timeout: callTimeout}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// freePorts are n distinct ports free on 127.0.0.1 now: all are held at
// once, so none is given twice. Another process may take one before the
// daemon does; the daemon then fails to start, and says so.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		defer l.Close()
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports
}

func randomKey(t testing.TB) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
