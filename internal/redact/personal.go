package redact

import (
	"regexp"
	"strings"
	"sync"
)

// pattern is a kind of personal data or credential: what finds it, which
// group of the match is it, what it is replaced with, and what to leave
// alone: by what was found (keep), or by the match in its text (skip, given
// the text and the match's bounds, for what the words around tell). With
// keywords, it runs only on text that holds one (in lower case).
type pattern struct {
	re       *regexp.Regexp
	group    int
	with     string
	keep     func(found string) bool
	skip     func(s string, start, end int) bool
	keywords []string
}

// personal are the kinds of personal data redacted after the secrets,
// compiled on first use: the hooks link this package, and most of their
// runs redact nothing.
var personal = sync.OnceValue(func() []pattern {
	return []pattern{
		// The password of a URL with credentials (postgres://app:pw@db/x,
		// https://user:pw@host): gitleaks has no rule for these. Not a
		// placeholder ($VAR, ${VAR}, <password>, ***).
		{re: regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s/:@'"]*:([^\s/@'"]+)@[a-z0-9.-]`), group: 1, with: "[REDACTED:url-password]",
			keep: func(s string) bool {
				return strings.HasPrefix(s, "$") || strings.HasPrefix(s, "<") || strings.Trim(s, "*x") == ""
			}},
		// E-mail addresses (not git's SSH user, git@host:owner/repo).
		{re: regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b`), with: "[REDACTED:email]", keep: notAddress, skip: sshTarget},
		// International numbers: + and 8 to 15 digits in groups.
		{re: regexp.MustCompile(`\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}\b`), with: "[REDACTED:phone]",
			keep: func(s string) bool { n := digits(s); return n < 8 || n > 15 }},
		// North American numbers written as such: (555) 123-4567, 555-123-4567.
		{re: regexp.MustCompile(`(?:\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b`), with: "[REDACTED:phone]", skip: inDigitRun},
		// Dutch numbers written as such: 06-12345678, 020 123 4567; ten
		// digits, as all of them have.
		{re: regexp.MustCompile(`\b0[1-9]\d{0,2}[ -]\d{3}[ -]?\d{3,4}\b|\b06[ -]?\d{8}\b`), with: "[REDACTED:phone]",
			keep: func(s string) bool { return digits(s) != 10 }, skip: inDigitRun},
		// User names in home folders, and in Claude Code's folder names for
		// them (-home-<user>-, -Users-<user>-).
		// Only a path that begins there: not /srv/home/x, a URL's /home/ or
		// a route's /Users/42.
		{re: regexp.MustCompile(`(?:^|[\s"'=:(\[,~])(?:/home/|/Users/)([^/\s:"'\]\[]+)`), group: 1, with: "[user]", keep: systemFolder},
		// C:\Users\<user>, also as JSON writes it (C:\\Users\\<user>).
		{re: regexp.MustCompile(`(?i)[a-z]:\\{1,2}Users\\{1,2}([^\\\s:"']+)`), group: 1, with: "[user]", keep: systemFolder},
		{re: regexp.MustCompile(`-(?:home|Users)-([A-Za-z0-9._]+)-`), group: 1, with: "[user]", keep: systemFolder},
	}
})

// notAddress: what looks like an e-mail address and is not: git's SSH
// user (git@host:owner/repo), a retina image (logo@2x.png), a package at a
// version or a file name (pkg@1.2.3.tgz).
func notAddress(s string) bool {
	lower := strings.ToLower(s)
	local, domain, _ := strings.Cut(lower, "@")
	if local == "git" {
		return true
	}
	first, _, _ := strings.Cut(domain, ".")
	if strings.TrimRight(first, "0123456789") == "x" || strings.Trim(first, "0123456789") == "" {
		return true // @2x.png, @1.2.3.tgz
	}
	switch domain[strings.LastIndexByte(domain, '.')+1:] {
	case "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "avif", "tgz", "gz", "zip", "tar", "js", "mjs", "css", "json", "yaml", "yml", "toml", "lock", "txt", "html":
		return true
	}
	return false
}

// sshTarget: an address that is ssh's user at a host (ssh deploy@host,
// scp f ubuntu@host:/srv, ssh://deploy@host), not a person's mail: on a
// line where ssh, scp, sftp, rsync or mosh is the command.
func sshTarget(s string, start, _ int) bool {
	before := s[strings.LastIndexByte(s[:start], '\n')+1 : start]
	if strings.HasSuffix(before, "ssh://") || strings.HasSuffix(before, "sftp://") {
		return true
	}
	for _, f := range strings.Fields(before) {
		switch f[strings.LastIndexByte(f, '/')+1:] {
		case "ssh", "scp", "sftp", "rsync", "mosh", "autossh", "sshfs", "ssh-copy-id":
			return true
		}
	}
	return false
}

// inDigitRun: digit groups in a longer run of them (chmod 0755 644 1000,
// sizes 128 256 1024 2048) are numbers in a list, not a phone number.
func inDigitRun(s string, start, end int) bool {
	before, after := s[:start], s[end:]
	if n := len(before); n >= 2 && strings.ContainsRune(" .-", rune(before[n-1])) && isDigit(before[n-2]) {
		return true
	}
	return len(after) >= 2 && strings.ContainsRune(" .-", rune(after[0])) && isDigit(after[1])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// systemFolder: a home folder that belongs to no one in particular.
func systemFolder(name string) bool {
	switch strings.ToLower(name) {
	case "shared", "public", "default", "all users", "[user]", "user", "runner", "linuxbrew":
		return true
	}
	return false
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
