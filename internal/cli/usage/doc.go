// Package usage is how every sess tool describes itself: the one layout of
// a usage text (flags written --name VALUE, as the README shows them), the
// one wording of a bad flag value, and the version a binary was built as.
//
// It imports only what sess-heartbeat, whose throttled path must stay
// light, links anyway: the hook prints its usage with it too
// (cmd/sess-heartbeat's dependency test keeps net, regexp, templates, ff
// and os/exec out). It writes only to the writer it is given and imports
// nothing of sess.
package usage
