package syncthingtest

import (
	"encoding/xml"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// options are the settings that keep a daemon on 127.0.0.1 and quick to
// reconnect, as the REST API shows them (/rest/config/options).
type options struct {
	ListenAddresses       []string `json:"listenAddresses"`
	GlobalAnnounceEnabled bool     `json:"globalAnnounceEnabled"`
	LocalAnnounceEnabled  bool     `json:"localAnnounceEnabled"`
	RelaysEnabled         bool     `json:"relaysEnabled"`
	NATEnabled            bool     `json:"natEnabled"`
	URAccepted            int      `json:"urAccepted"`
	CrashReportingEnabled bool     `json:"crashReportingEnabled"`
	AutoUpgradeIntervalH  int      `json:"autoUpgradeIntervalH"`
	StartBrowser          bool     `json:"startBrowser"`
	ReconnectIntervalS    int      `json:"reconnectionIntervalS"`
	SetLowPriority        bool     `json:"setLowPriority"`
}

// offline are the options a daemon runs with: it listens on listen only,
// announces itself nowhere, dials no relay, maps no port, reports nothing
// and never upgrades. It keeps its priority (by default it lowers it,
// and a busy test machine would starve it). It retries a connection every 5 seconds, not every
// minute (devices are introduced to each other after they start); 5 is
// the least syncthing 1.19 takes, a smaller value is raised to it.
func offline(listen string) options {
	return options{ListenAddresses: []string{listen}, URAccepted: -1, ReconnectIntervalS: 5}
}

// isolate writes the offline options, the GUI's address and its API key
// into the config.xml syncthing generate made, before the daemon first
// starts: set through the REST API they would take effect only after it
// had begun announcing itself on the LAN and dialing the discovery servers.
func isolate(path string, d *Daemon) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	o := offline(d.Listen)
	for _, e := range []struct{ parent, name, value string }{
		{"gui", "address", d.API[len("http://"):]},
		{"gui", "apikey", d.apiKey},
		{"options", "listenAddress", o.ListenAddresses[0]},
		{"options", "globalAnnounceEnabled", strconv.FormatBool(o.GlobalAnnounceEnabled)},
		{"options", "localAnnounceEnabled", strconv.FormatBool(o.LocalAnnounceEnabled)},
		{"options", "relaysEnabled", strconv.FormatBool(o.RelaysEnabled)},
		{"options", "natEnabled", strconv.FormatBool(o.NATEnabled)},
		{"options", "urAccepted", strconv.Itoa(o.URAccepted)},
		{"options", "crashReportingEnabled", strconv.FormatBool(o.CrashReportingEnabled)},
		{"options", "autoUpgradeIntervalH", strconv.Itoa(o.AutoUpgradeIntervalH)},
		{"options", "startBrowser", strconv.FormatBool(o.StartBrowser)},
		{"options", "reconnectionIntervalS", strconv.Itoa(o.ReconnectIntervalS)},
		{"options", "setLowPriority", strconv.FormatBool(o.SetLowPriority)},
	} {
		if data, err = setElement(data, e.parent, e.name, e.value); err != nil {
			return err
		}
	}
	return os.WriteFile(path, data, 0o600)
}

// setElement sets the text of the one <name> element inside the one
// <parent> element of a syncthing config.xml. It edits the text rather
// than decoding the XML, which would drop every element a struct here
// does not name; it fails when the layout is not the one it knows.
func setElement(doc []byte, parent, name, value string) ([]byte, error) {
	block := regexp.MustCompile(`(?s)<` + parent + `[ >].*?</` + parent + `>`)
	blocks := block.FindAllIndex(doc, -1)
	if len(blocks) != 1 {
		return nil, fmt.Errorf("config.xml has %d <%s> elements, want 1", len(blocks), parent)
	}
	lo, hi := blocks[0][0], blocks[0][1]
	elem := regexp.MustCompile(`<` + name + `>[^<]*</` + name + `>`)
	if n := len(elem.FindAllIndex(doc[lo:hi], -1)); n != 1 {
		return nil, fmt.Errorf("config.xml's <%s> has %d <%s> elements, want 1", parent, n, name)
	}
	inner := elem.ReplaceAllLiteral(doc[lo:hi], []byte("<"+name+">"+xmlText(value)+"</"+name+">"))
	return append(append(append([]byte{}, doc[:lo]...), inner...), doc[hi:]...), nil
}

// xmlText escapes a value for an element's text.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
