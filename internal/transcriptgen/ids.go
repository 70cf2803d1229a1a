package transcriptgen

import "fmt"

// The ids Claude Code and the API write, in their shapes.

// uuid is a random version 4 UUID: conversation ids and row uuids.
func (d dice) uuid() string {
	a, b := d.Uint64(), d.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, 0x8000|b>>48&0x3fff, b&0xffffffffffff)
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// token is prefix and n random base62 characters.
func (d dice) token(prefix string, n int) string {
	b := make([]byte, len(prefix), len(prefix)+n)
	copy(b, prefix)
	for range n {
		b = append(b, base62[d.IntN(len(base62))])
	}
	return string(b)
}

func (d dice) messageID() string { return d.token("msg_01", 22) }
func (d dice) requestID() string { return d.token("req_011C", 21) }
func (d dice) toolUseID() string { return d.token("toolu_01", 22) }

// agentID names a subagent's transcript: seven hex digits in the newer
// layout, eight in the older.
func (d dice) agentID(folder bool) string {
	if folder {
		return fmt.Sprintf("%07x", d.Uint32()&0xfffffff)
	}
	return fmt.Sprintf("%08x", d.Uint32())
}
