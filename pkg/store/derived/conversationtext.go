package derived

import (
	"fmt"
	"os"
	"syscall"
	"unicode/utf8"

	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// conversationTextDir holds, for the search, what was said in each
// archived conversation (prompts and answers, redacted, no tool calls),
// a file per conversation (<cid>.txt), appended to as the archive grows:
// the search finds a word said only in a conversation even after Claude
// Code deleted its transcript. It is not in .search, which can be deleted
// at any time: once the transcript is gone, this text is made again only
// from the archive.
const conversationTextDir = ".conversation-text"

// MaxConversationText bounds a conversation's searchable text: past it,
// nothing more is added (a conversation's first 256 KiB of words say
// what it is about; the index and every search read all of it).
const MaxConversationText = 256 << 10

// maxConversationRead bounds what is read of one: appends of one
// conversation racing each other may each add up to the bound.
const maxConversationRead = 4 * MaxConversationText

// AppendConversationText adds text (already redacted) to the searchable
// text of conversation cid, up to MaxConversationText in all, cut at a
// character's boundary. It does not note the change: the caller knows
// the conversation's session (see NoteChanged). A FIFO or other
// non-regular file at its place is refused, never waited on.
func (f *Files) AppendConversationText(cid, text string) error {
	p := f.conversationTextPath(cid)
	if p == "" {
		return fmt.Errorf("conversation text: %q is not a conversation id", cid)
	}
	if text == "" {
		return nil
	}
	if err := os.MkdirAll(f.path(conversationTextDir), 0o700); err != nil {
		return fmt.Errorf("conversation text of %s: %w", cid, err)
	}
	fd, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return fmt.Errorf("conversation text of %s: %w", cid, err)
	}
	defer fd.Close()
	fi, err := fd.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", p)
	}
	if err != nil {
		return fmt.Errorf("conversation text of %s: %w", cid, err)
	}
	room := MaxConversationText - fi.Size()
	if room <= 0 {
		return nil
	}
	if int64(len(text)) > room {
		text = cutAt(text, int(room))
	}
	if fi.Size() > 0 {
		text = "\n" + text
	}
	if _, err := fd.WriteString(text); err != nil {
		return fmt.Errorf("conversation text of %s: %w", cid, err)
	}
	return nil
}

// ConversationText is the searchable text of conversation cid; "" when
// there is none (or it cannot be read: a bad id, not a regular file, past
// its bound).
func (f *Files) ConversationText(cid string) string {
	p := f.conversationTextPath(cid)
	if p == "" {
		return ""
	}
	data, err := disk.ReadFile(p, maxConversationRead)
	if err != nil {
		return ""
	}
	return string(data)
}

// cutAt is text's first n bytes or fewer, not cutting a character.
func cutAt(text string, n int) string {
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}

// conversationTextPath is a conversation's text file; "" for an id that is
// not a safe file name.
func (f *Files) conversationTextPath(cid string) string {
	if !SafeName(cid) {
		return ""
	}
	return f.path(conversationTextDir, cid+".txt")
}

// RemoveConversationText takes a conversation's searchable text out, when
// its archive is pruned: what is no longer kept is no longer found.
func (f *Files) RemoveConversationText(cid string) error {
	p := f.conversationTextPath(cid)
	if p == "" {
		return nil
	}
	return disk.Remove(p)
}
