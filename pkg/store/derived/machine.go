package derived

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// This machine's identity in the store: machine.json, sess's own (the
// original neither reads nor writes it). It is not derived from the
// sessions, but, like the derived files, it sits beside them and only sess
// knows it. Its id is made once, at random, and never changes: it names
// this machine's partition of a shared journal (see internal/replica);
// the name is for people, the host name unless set.

// Machine is machine.json.
type Machine struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	SyncDir   string `json:"sync_dir,omitempty"` // the folder the journal is published to ("" for none)
	CreatedAt string `json:"created_at"`
}

// MaxMachineName bounds a machine's name.
const MaxMachineName = 64

// machineIDLen is the length of an id: 130 random bits in base32.
const machineIDLen = 26

func (f *Files) machinePath() string { return f.path("machine.json") }

// Machines is the folder where what is derived from other machines' parts
// of a shared journal (their search index) is kept, a folder per machine
// id: this machine never writes into another's part.
func (f *Files) Machines() string    { return f.path(".machines") }
func (f *Files) machineLock() string { return f.path("machine.lock") }

// Machine is this machine's identity; nil (and no error) when there is
// none yet: a read never makes one.
func (f *Files) Machine() (*Machine, error) {
	data, err := disk.ReadFile(f.machinePath(), 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read machine.json: %w", err)
	}
	var m Machine
	if err := json.Unmarshal(data, &m); err != nil || !ValidMachineID(m.ID) {
		return nil, fmt.Errorf("machine.json is corrupt: it names no machine id; move it away to make a new one")
	}
	return &m, nil
}

// UpdateMachine changes this machine's identity under its lock, making it
// first when there is none (name: the host name's); fn may change the
// name and the sync folder, not the id.
func (f *Files) UpdateMachine(hostname string, fn func(*Machine) error) (*Machine, error) {
	if err := disk.MkdirAll(f.dir, 0o700); err != nil {
		return nil, err
	}
	l, err := disk.Acquire(f.machineLock())
	if err != nil {
		return nil, err
	}
	defer l.Release()
	m, err := f.Machine()
	if err != nil {
		return nil, err
	}
	if m == nil {
		m = &Machine{ID: newMachineID(), Name: CleanMachineName(hostname), CreatedAt: f.now().UTC().Format("2006-01-02T15:04:05.000000+00:00")}
	}
	id := m.ID
	if fn != nil {
		if err := fn(m); err != nil {
			return nil, err
		}
	}
	m.ID = id
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	tmp := f.machinePath() + ".tmp"
	if err := disk.WriteSynced(tmp, append(data, '\n'), 0o600); err != nil {
		return nil, err
	}
	if err := disk.Rename(tmp, f.machinePath()); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return m, nil
}

func newMachineID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// ValidMachineID reports whether id is one a machine could have made: it
// names a folder of the shared journal, so it is checked wherever it is
// read.
func ValidMachineID(id string) bool {
	if len(id) != machineIDLen {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// CleanMachineName is a name fit to show: one line, printable, at most
// MaxMachineName characters; "unnamed" for none.
func CleanMachineName(name string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(name) {
		if n == MaxMachineName {
			break
		}
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	if s := strings.TrimSpace(b.String()); s != "" {
		return s
	}
	return "unnamed"
}
