// Package notify sends the notifications of sess: on the desktop, a session
// that went stale, a session parked for long, a conversation that waits for
// the user; a wait also goes to an ntfy topic and a webhook when config.json
// names them. Its memory is the notifier's state (notify_state.json, which
// pkg/store/derived keeps and names), so a check run every few minutes
// tells of a wait once, and of a stale or parked session once per
// cooldown; it reports in its result what could not be delivered, which
// stays due. What it sends is redacted. `sess-manage check-notify` and
// `sess-cleanup` share it.
//
// It reads the store through a View and names no file of it; it changes
// no session. On the desktop it runs the system's notifier (notify-send,
// osascript) as a process; sending over HTTP is internal/notify/httppush's,
// which only sess-cleanup links, so that sess-manage carries no HTTP
// client (its pushes are handed to sess-cleanup --send-pushes).
package notify
