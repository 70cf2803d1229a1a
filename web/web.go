// Package web holds the dashboard page and its assets, embedded so that
// sess-serve is one file to copy. Nothing here loads from outside: no CDN,
// no font, no framework.
package web

import "embed"

// Assets holds static/: index.html, app.js, app.css, favicon.svg.
//
//go:embed static
var Assets embed.FS
