package syncthingtest

import (
	"strings"
	"testing"
)

// TestSetElement: an element is set inside its parent only, its value
// escaped and taken literally; a layout it does not know is an error,
// not a config left as it was.
func TestSetElement(t *testing.T) {
	t.Parallel()
	const doc = `<configuration>
    <device id="X"><address>dynamic</address></device>
    <gui enabled="true"><address>127.0.0.1:8384</address></gui>
    <options><listenAddress>default</listenAddress><urAccepted>0</urAccepted><urAccepted>0</urAccepted></options>
</configuration>`
	for _, tc := range []struct {
		parent, name, value string
		old, new            string // the one change to doc, or "" for an error
	}{
		{"gui", "address", "127.0.0.1:1234", "127.0.0.1:8384", "127.0.0.1:1234"},
		{"device", "address", "$1", ">dynamic<", ">$1<"},
		{"options", "listenAddress", "tcp://x&<y>", ">default<", ">tcp://x&amp;&lt;y&gt;<"},
		{"options", "natEnabled", "false", "", ""}, // missing
		{"options", "urAccepted", "-1", "", ""},    // twice
		{"ldap", "address", "x", "", ""},           // no parent
	} {
		have, err := setElement([]byte(doc), tc.parent, tc.name, tc.value)
		if tc.old == "" {
			if err == nil {
				t.Errorf("set <%s> in <%s>: want an error, have none", tc.name, tc.parent)
			}
			continue
		}
		if err != nil {
			t.Errorf("set <%s> in <%s>: %v", tc.name, tc.parent, err)
			continue
		}
		if want := strings.Replace(doc, tc.old, tc.new, 1); want != string(have) {
			t.Errorf("set <%s> in <%s>: want\n%s\nhave\n%s", tc.name, tc.parent, want, have)
		}
	}
}
