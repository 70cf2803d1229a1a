package web

import "embed"

// Assets holds static/: index.html, app.js, app.css, favicon.svg.
//
//go:embed static
var Assets embed.FS
