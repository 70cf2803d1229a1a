package syncthingtest

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// shareTimeout bounds how long daemons may take to connect once they
// know each other (they retry every 5 seconds).
const shareTimeout = 30 * time.Second

// Folder settings for a test: a change is seen by the file watcher within
// a second or so, and a full rescan every few seconds catches what a
// watcher misses.
const (
	rescanIntervalS = 2
	fsWatcherDelayS = 1
)

// device is a remote device as /rest/config/devices takes it; the fields
// left out take the defaults of the config.
type device struct {
	DeviceID  string   `json:"deviceID"`
	Name      string   `json:"name"`
	Addresses []string `json:"addresses"`
}

// folder is a folder as /rest/config/folders takes it.
type folder struct {
	ID               string         `json:"id"`
	Label            string         `json:"label"`
	Path             string         `json:"path"`
	Type             string         `json:"type"`
	RescanIntervalS  int            `json:"rescanIntervalS"`
	FSWatcherEnabled bool           `json:"fsWatcherEnabled"`
	FSWatcherDelayS  int            `json:"fsWatcherDelayS"`
	Devices          []folderDevice `json:"devices"`
}

type folderDevice struct {
	DeviceID string `json:"deviceID"`
}

// Share makes every daemon know every other and share a folder with all
// of them, send and receive, with the ID folderID and daemon i's copy at
// paths[i]; it returns when each is connected to each other. The daemons
// are stopped before paths made before Share are removed.
func (c Cluster) Share(t testing.TB, folderID string, paths ...string) {
	t.Helper()
	if len(paths) != len(c) {
		t.Fatalf("share %s: %d paths for %d daemons", folderID, len(paths), len(c))
	}
	t.Cleanup(func() { c.stop(t) })
	c.introduce(t)
	var members []folderDevice
	for _, d := range c {
		members = append(members, folderDevice{d.ID})
	}
	for i, d := range c {
		f := folder{ID: folderID, Label: folderID, Path: paths[i], Type: "sendreceive",
			RescanIntervalS: rescanIntervalS, FSWatcherEnabled: true, FSWatcherDelayS: fsWatcherDelayS, Devices: members}
		if err := d.REST("POST", "/rest/config/folders", f, nil); err != nil {
			t.Fatalf("share folder %s at %s on %s: %v", folderID, paths[i], d.Name, err)
		}
		d.folders = append(d.folders, folderID)
	}
	for _, d := range c {
		for _, e := range c {
			if e != d {
				WaitFor(t, shareTimeout, fmt.Sprintf("%s to connect to %s at %s", d.Name, e.Name, e.Listen), func() bool {
					d.mustRun(t)
					return d.connected(e)
				})
			}
		}
	}
}

// introduce makes every daemon know every other, each pair connected by
// one dial: the first of two dials the other's tcp://127.0.0.1 address,
// and is told of it only once the other knows it. The second knows the
// first as "dynamic", which with discovery off is no address at all.
// Two daemons dialing each other at once (each from its listen port)
// hang in the exchange of Hello messages until its 20-second timeout.
func (c Cluster) introduce(t testing.TB) {
	t.Helper()
	for _, dial := range []bool{false, true} {
		for i, d := range c {
			for j, e := range c {
				if i == j || (i < j) != dial {
					continue
				}
				addr := "dynamic"
				if dial {
					addr = e.Listen
				}
				if err := d.REST("POST", "/rest/config/devices", device{e.ID, e.Name, []string{addr}}, nil); err != nil {
					t.Fatalf("introduce %s to %s: %v", e.Name, d.Name, err)
				}
			}
		}
	}
}

// connected reports whether d holds a connection to e.
func (d *Daemon) connected(e *Daemon) bool {
	var conns struct {
		Connections map[string]struct {
			Connected bool `json:"connected"`
		} `json:"connections"`
	}
	return d.REST("GET", "/rest/system/connections", nil, &conns) == nil && conns.Connections[e.ID].Connected
}

// stop stops the daemons at once: each takes a second or two to close
// its database.
func (c Cluster) stop(t testing.TB) {
	var wg sync.WaitGroup
	for _, d := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.stop(t)
		}()
	}
	wg.Wait()
}
