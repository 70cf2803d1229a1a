// Package redact takes secrets and personal data out of text before sess
// keeps or writes it: secrets by gitleaks' maintained rule set (some 220
// kinds: cloud keys, tokens, private keys, webhooks, generic high-entropy
// credentials), credentials written as such that gitleaks misses
// (credentials.go), passwords in URLs (connection strings), e-mail
// addresses, phone numbers and user names in paths. Text is used on what
// the hooks record in the journal from prompts and answers, and on
// conversation highlights before an export writes them; JSONLine applies
// it to the strings of a JSON line, the rows of a transcript the archive
// keeps, leaving the JSON whole (a secret in a key is not looked for:
// keys are the rows' field names). Outbound takes
// out besides the credentials too plain for gitleaks, and is used on what a
// notification sends off this machine.
//
// The rules are gitleaks' own (gen/gitleaks.toml, turned into Go by gen),
// applied as gitleaks applies them: a rule runs only on text that holds one
// of its keywords, its secret is its capture group, it must be random
// enough (Shannon entropy over the rule's threshold), and gitleaks'
// allowlists let placeholders and examples through; a key of a shape of
// its own may also end at punctuation (looseEnd). A rule's expression is
// compiled the first time its keyword turns up, so a short prompt costs
// little.
//
// It is pure text in, text out: no I/O, and no sess package imported (its
// tests put the fake secret corpus through the transcript archive,
// pkg/store/derived/transcripts, which they alone import). Its
// only state is the expressions compiled once, on first use.
package redact
