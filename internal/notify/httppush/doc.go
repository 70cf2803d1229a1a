// Package httppush sends the pushes of check-notify over HTTP: a wait to an
// ntfy topic (the message as the body, Title, Tags and Priority headers, as
// docs.ntfy.sh/publish has it) and to a webhook (a JSON POST). Each push
// has a short timeout, redirects are not followed, and no error repeats an
// endpoint's path.
//
// It is a package of its own so that only the programs that send
// (sess-cleanup) link net/http and crypto/tls; sess-manage hands its pushes
// over (notify.Handoff, Serve), and its dependency test keeps this package
// out. It owns no state and no file: what is due and what was sent is
// internal/notify's, which it imports for the Push and Batch types.
package httppush
