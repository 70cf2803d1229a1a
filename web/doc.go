// Package web holds the dashboard page and its assets, embedded so that
// sess-serve is one file to copy. Nothing here loads from outside: no CDN,
// no font, no framework.
//
// It is the files alone (static/), served by internal/server; the page
// reads everything through the server's /api, never a file of the store.
package web
