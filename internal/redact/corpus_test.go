package redact

// A corpus for Text: fake secrets that gitleaks' rules must catch, personal
// data that must go, and a file of ordinary developer text that must come
// through untouched.
//
// The secrets are made up at test time from random characters of each
// rule's shape (a fixed seed keeps them the same from run to run), so no
// real credential is ever written down here. Each one is checked against the
// rule it is meant for in gen/gitleaks.toml: its regular expression, its
// entropy threshold, and its allowlists (no "EXAMPLE", no stopwords).

import (
	"encoding/base64"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// Character sets for the fake secrets.
const (
	csDigits   = "0123456789"
	csHex      = "0123456789abcdef"
	csUpper    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	csLower    = "abcdefghijklmnopqrstuvwxyz"
	csAlnum    = csUpper + csLower + csDigits
	csLowerNum = csLower + csDigits
	csUpperNum = csUpper + csDigits
	csBase32   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	csB64URL   = csAlnum + "-_"
	csB64      = csAlnum + "+/"
	// The generic-api-key rule lets a value through when it contains one of
	// ~1,400 stopwords ("java", "demo", "html", ...). Nearly all of them
	// hold a vowel, so its values are made of consonants and digits; fakeGen
	// rules out the few without one.
	csConsonants = "BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz" + csDigits
	// age's bech32 alphabet, upper case.
	csBech32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
)

// fakeGen makes random strings of a given shape.
type fakeGen struct{ r *rand.Rand }

func newFakeGen() *fakeGen { return &fakeGen{rand.New(rand.NewPCG(1, 2))} }

// str is n characters drawn from set.
func (g *fakeGen) str(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

// word is like str but begins and ends with a letter or digit, for rules
// whose expression ends in \b or whose value must start with [a-z0-9].
func (g *fakeGen) word(set string, n int) string {
	return g.str(csAlnum, 1) + g.str(set, n-2) + g.str(csAlnum, 1)
}

// generic is a value the generic-api-key rule takes: random enough, with a
// digit (an all-letter value is allowlisted), and free of its stopwords.
func (g *fakeGen) generic(n int) string {
	for {
		s := g.str(csConsonants, n)
		l := strings.ToLower(s)
		if strings.ContainsAny(s, csDigits) && !corpusHasAny(l, "000000", "html", "http", "md5", "mqtt", "smtp", "vpn", "xmpp", "xxxxxx") {
			return s
		}
	}
}

// uuid is a random lower-case UUID.
func (g *fakeGen) uuid() string {
	return g.str(csHex, 8) + "-" + g.str(csHex, 4) + "-" + g.str(csHex, 4) + "-" + g.str(csHex, 4) + "-" + g.str(csHex, 12)
}

// jwt is a token of three base64url parts; the first two are JSON objects,
// so they start "eyJ" as the jwt rule wants.
func (g *fakeGen) jwt() string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(`{"sub":"` + g.str(csDigits, 10) + `","uid":"` + g.str(csLowerNum, 12) + `","iat":17` + g.str(csDigits, 8) + `}`))
	return header + "." + payload + "." + g.word(csB64URL, 43)
}

// pemBody is n lines of width base64 characters (64 in PEM, 70 in an
// OpenSSH key), the first starting with prefix, joined by sep (a newline,
// or `\n` for JSON-escaped text).
func (g *fakeGen) pemBody(prefix string, n, width int, sep string) string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = g.str(csB64, width)
	}
	lines[0] = prefix + lines[0][len(prefix):]
	lines[n-1] = lines[n-1][:40] + "=="
	return strings.Join(lines, sep)
}

func corpusHasAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// corpusSecret is a fake secret in a line of text.
type corpusSecret struct {
	name   string
	rule   string   // the gitleaks rule that should catch it
	secret string   // what must not survive (each line of it, if several)
	line   string   // the text; {S} stands for the secret
	keep   []string // what is not secret and must survive
}

func corpusSecrets() []corpusSecret {
	g := newFakeGen()
	jwt := g.jwt()
	rsaPEM := g.pemBody("MIIEpAIBAAKCAQEA", 10, 64, "\n")
	sshPEM := g.pemBody("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 7, 70, "\n")
	jsonPEM := g.pemBody("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", 6, 64, `\n`)
	return []corpusSecret{
		// Cloud providers.
		{name: "aws access key id", rule: "aws-access-token", secret: "AKIA" + g.str(csBase32, 16),
			line: "export AWS_ACCESS_KEY_ID={S}", keep: []string{"export", "AWS_ACCESS_KEY_ID="}},
		{name: "aws session key id", rule: "aws-access-token", secret: "ASIA" + g.str(csBase32, 16),
			line: "aws_access_key_id = {S}  # from sts assume-role", keep: []string{"aws_access_key_id", "# from sts assume-role"}},
		// There is no rule for the AWS secret key itself: the generic rule
		// catches it by its key word.
		{name: "aws secret access key", rule: "generic-api-key", secret: g.str(csConsonants, 1) + g.str(csConsonants+"+/", 39),
			line: "export AWS_SECRET_ACCESS_KEY={S}", keep: []string{"export", "AWS_SECRET_ACCESS_KEY="}},
		{name: "google api key", rule: "gcp-api-key", secret: "AIzaSy" + g.word(csB64URL, 33),
			line: `const firebaseConfig = { apiKey: "{S}", authDomain: "acme-prod.firebaseapp.com" };`, keep: []string{"const firebaseConfig", "authDomain"}},
		{name: "digitalocean pat", rule: "digitalocean-pat", secret: "dop_v1_" + g.str(csHex, 64),
			line: "doctl auth init --access-token {S}", keep: []string{"doctl auth init --access-token"}},
		{name: "heroku api key", rule: "heroku-api-key", secret: g.uuid(),
			line: "HEROKU_API_KEY={S}", keep: []string{"HEROKU_API_KEY="}},
		{name: "heroku api key v2", rule: "heroku-api-key-v2", secret: "HRKU-AA" + g.word(csB64URL, 58),
			line: `heroku config:set --app web HEROKU_TOKEN="{S}"`, keep: []string{"heroku config:set --app web"}},
		{name: "databricks", rule: "databricks-api-token", secret: "dapi" + g.str(csHex, 32),
			line: "databricks configure --token <<< '{S}'", keep: []string{"databricks configure --token"}},
		{name: "vault service token", rule: "vault-service-token", secret: "hvs." + g.word(csB64URL, 95),
			line: "export VAULT_TOKEN={S}", keep: []string{"export", "VAULT_TOKEN="}},
		{name: "doppler", rule: "doppler-api-token", secret: "dp.pt." + g.str(csAlnum, 43),
			line: "DOPPLER_TOKEN=\"{S}\" doppler run -- go test ./...", keep: []string{"doppler run -- go test ./..."}},

		// Source hosting.
		{name: "github pat", rule: "github-pat", secret: "ghp_" + g.str(csAlnum, 36),
			line: "export GITHUB_TOKEN={S}", keep: []string{"export", "GITHUB_TOKEN="}},
		{name: "github pat in yaml", rule: "github-pat", secret: "ghp_" + g.str(csAlnum, 36),
			line: "token: {S}", keep: []string{"token:"}},
		{name: "github fine-grained pat", rule: "github-fine-grained-pat", secret: "github_pat_" + g.str(csUpperNum, 22) + "_" + g.str(csAlnum, 59),
			line: "echo {S} | gh auth login --with-token", keep: []string{"echo", "| gh auth login --with-token"}},
		{name: "github oauth", rule: "github-oauth", secret: "gho_" + g.str(csAlnum, 36),
			line: "    oauth_token: {S}", keep: []string{"oauth_token:"}},
		{name: "github app token", rule: "github-app-token", secret: "ghs_" + g.str(csAlnum, 36),
			line: "Authorization: token {S}", keep: []string{"Authorization: token"}},
		{name: "gitlab pat", rule: "gitlab-pat", secret: "glpat-" + g.str(csB64URL, 20),
			line: "GITLAB_TOKEN={S} glab mr list", keep: []string{"GITLAB_TOKEN=", "glab mr list"}},
		{name: "atlassian api token", rule: "atlassian-api-token", secret: g.str(csLowerNum, 20) + g.str(csHex, 4),
			line: "JIRA_API_TOKEN={S}", keep: []string{"JIRA_API_TOKEN="}},
		{name: "atlassian api token v3", rule: "atlassian-api-token", secret: "ATATT3xFfGF0" + g.str(csB64URL, 180),
			line: "confluence token is {S} (rotate monthly)", keep: []string{"confluence token is", "(rotate monthly)"}},
		{name: "linear", rule: "linear-api-key", secret: "lin_api_" + g.str(csAlnum, 40),
			line: "LINEAR_API_KEY={S}", keep: []string{"LINEAR_API_KEY="}},

		// Messaging.
		{name: "slack bot token", rule: "slack-bot-token", secret: "xoxb-" + g.str(csDigits, 12) + "-" + g.str(csDigits, 13) + "-" + g.str(csAlnum, 24),
			line: `SLACK_BOT_TOKEN="{S}"`, keep: []string{"SLACK_BOT_TOKEN="}},
		{name: "slack user token", rule: "slack-user-token", secret: "xoxp-" + g.str(csDigits, 12) + "-" + g.str(csDigits, 12) + "-" + g.str(csDigits, 13) + "-" + g.str(csHex, 32),
			line: `const slackUserToken = "{S}"`, keep: []string{"const slackUserToken ="}},
		{name: "slack webhook", rule: "slack-webhook-url", secret: "T" + g.str(csUpperNum, 10) + "/B" + g.str(csUpperNum, 10) + "/" + g.str(csAlnum, 24),
			line: `"slack_webhook": "https://hooks.slack.com/services/{S}",`, keep: []string{`"slack_webhook":`}},
		{name: "discord bot token", rule: "discord-api-token", secret: g.str(csHex, 64),
			line: "DISCORD_BOT_TOKEN={S}", keep: []string{"DISCORD_BOT_TOKEN="}},
		{name: "telegram bot token", rule: "telegram-bot-api-token", secret: g.str(csDigits, 10) + ":AA" + g.str(csB64URL, 33),
			line: "TELEGRAM_BOT_TOKEN={S}", keep: []string{"TELEGRAM_BOT_TOKEN="}},
		{name: "twilio api key", rule: "twilio-api-key", secret: "SK" + g.str(csHex, 32),
			line: "TWILIO_API_KEY={S}", keep: []string{"TWILIO_API_KEY="}},
		{name: "sendgrid", rule: "sendgrid-api-token", secret: "SG." + g.str(csB64URL, 22) + "." + g.str(csB64URL, 43),
			line: "SENDGRID_API_KEY='{S}'", keep: []string{"SENDGRID_API_KEY="}},
		{name: "mailgun", rule: "mailgun-private-api-token", secret: "key-" + g.str(csHex, 32),
			line: "MAILGUN_API_KEY={S}", keep: []string{"MAILGUN_API_KEY="}},

		// Payments and shops.
		{name: "stripe secret key", rule: "stripe-access-token", secret: "sk_live_" + g.str(csAlnum, 24),
			line: `stripe.api_key = "{S}"`, keep: []string{"stripe.api_key ="}},
		{name: "stripe restricted key", rule: "stripe-access-token", secret: "rk_live_" + g.str(csAlnum, 99),
			line: "STRIPE_RESTRICTED_KEY={S}", keep: []string{"STRIPE_RESTRICTED_KEY="}},
		{name: "square access token", rule: "square-access-token", secret: "EAAA" + g.str(csAlnum, 60),
			line: "SQUARE_ACCESS_TOKEN={S}", keep: []string{"SQUARE_ACCESS_TOKEN="}},
		{name: "square oauth token", rule: "square-access-token", secret: "sq0atp-" + g.str(csAlnum, 22),
			line: "curl https://connect.squareup.com/v2/locations # token {S}", keep: []string{"curl https://connect.squareup.com/v2/locations"}},
		{name: "shopify access token", rule: "shopify-access-token", secret: "shpat_" + g.str(csHex, 32),
			line: "X-Shopify-Access-Token: {S}", keep: []string{"X-Shopify-Access-Token:"}},
		{name: "shopify shared secret", rule: "shopify-shared-secret", secret: "shpss_" + g.str(csHex, 32),
			line: "SHOPIFY_API_SECRET={S}", keep: []string{"SHOPIFY_API_SECRET="}},

		// AI services.
		{name: "openai project key", rule: "openai-api-key", secret: "sk-proj-" + g.str(csB64URL, 74) + "T3BlbkFJ" + g.word(csB64URL, 74),
			line: "OPENAI_API_KEY={S}", keep: []string{"OPENAI_API_KEY="}},
		{name: "anthropic", rule: "anthropic-api-key", secret: "sk-ant-api03-" + g.str(csB64URL, 93) + "AA",
			line: "export ANTHROPIC_API_KEY={S}", keep: []string{"export", "ANTHROPIC_API_KEY="}},
		{name: "anthropic in a transcript", rule: "anthropic-api-key", secret: "sk-ant-api03-" + g.str(csB64URL, 93) + "AA",
			line: `{"type":"tool_result","content":"ANTHROPIC_API_KEY={S}\nPATH=/usr/bin"}`, keep: []string{`{"type":"tool_result","content":"ANTHROPIC_API_KEY=`, `\nPATH=/usr/bin"}`}},
		{name: "hugging face", rule: "huggingface-access-token", secret: "hf_" + g.str(csUpper+csLower, 34),
			line: "huggingface-cli login --token {S}", keep: []string{"huggingface-cli login --token"}},
		{name: "perplexity", rule: "perplexity-api-key", secret: "pplx-" + g.str(csAlnum, 48),
			line: "PPLX_API_KEY={S}", keep: []string{"PPLX_API_KEY="}},

		// Package registries and developer tools.
		{name: "npm token", rule: "npm-access-token", secret: "npm_" + g.str(csAlnum, 36),
			line: "//registry.npmjs.org/:_authToken={S}", keep: []string{"//registry.npmjs.org/:_authToken="}},
		{name: "pypi upload token", rule: "pypi-upload-token", secret: "pypi-AgEIcHlwaS5vcmc" + g.str(csB64URL, 140),
			line: "password = {S}", keep: []string{"password ="}},
		{name: "postman", rule: "postman-api-token", secret: "PMAK-" + g.str(csHex, 24) + "-" + g.str(csHex, 34),
			line: "POSTMAN_API_KEY={S}", keep: []string{"POSTMAN_API_KEY="}},
		{name: "pulumi", rule: "pulumi-api-token", secret: "pul-" + g.str(csHex, 40),
			line: "PULUMI_ACCESS_TOKEN={S} pulumi up --yes", keep: []string{"pulumi up --yes"}},
		{name: "sentry user token", rule: "sentry-user-token", secret: "sntryu_" + g.str(csHex, 64),
			line: "SENTRY_AUTH_TOKEN={S}", keep: []string{"SENTRY_AUTH_TOKEN="}},
		{name: "grafana service account", rule: "grafana-service-account-token", secret: "glsa_" + g.str(csAlnum, 32) + "_" + g.str(csHex, 8),
			line: "GRAFANA_TOKEN={S}", keep: []string{"GRAFANA_TOKEN="}},
		{name: "dropbox short-lived", rule: "dropbox-short-lived-api-token", secret: "sl.B" + g.str(csB64URL, 134),
			line: "DROPBOX_ACCESS_TOKEN={S}", keep: []string{"DROPBOX_ACCESS_TOKEN="}},
		{name: "dropbox app secret", rule: "dropbox-api-token", secret: g.str(csLowerNum, 15),
			line: "dropbox_app_secret: {S}", keep: []string{"dropbox_app_secret:"}},
		{name: "age secret key", rule: "age-secret-key", secret: "AGE-SECRET-KEY-1" + g.str(csBech32, 58),
			line: "# created: 2026-02-10T14:30:00Z\n{S}", keep: []string{"# created: 2026-02-10T14:30:00Z"}},

		// Tokens and keys in general shapes.
		{name: "jwt", rule: "jwt", secret: jwt,
			line: "Authorization: Bearer {S}", keep: []string{"Authorization: Bearer"}},
		{name: "curl bearer header", rule: "curl-auth-header", secret: g.str(csAlnum, 40),
			line: `curl -sS -H "Authorization: Bearer {S}" https://api.acme.dev/v1/me`, keep: []string{"curl -sS -H", "https://api.acme.dev/v1/me"}},
		// No gitleaks rule covers a password in a database URL
		// (postgres://user:pass@host); these are the credentials rules that
		// come nearest.
		{name: "curl basic auth", rule: "curl-auth-user", secret: g.str(csDigits, 1) + g.str(csAlnum, 15),
			line: "curl -u deploy:{S} https://ci.acme.dev/api/json", keep: []string{"curl -u", "https://ci.acme.dev/api/json"}},
		{name: "sidekiq credentials in url", rule: "sidekiq-sensitive-url", secret: g.str(csHex, 8) + ":" + g.str(csHex, 8),
			line: `source "https://{S}@enterprise.contribsys.com/"`, keep: []string{"source"}},
		{name: "generic api key", rule: "generic-api-key", secret: g.generic(32),
			line: `api_key = "{S}"`, keep: []string{"api_key ="}},
		{name: "generic password", rule: "generic-api-key", secret: g.generic(20),
			line: "DATABASE_PASSWORD='{S}'", keep: []string{"DATABASE_PASSWORD="}},
		{name: "generic secret in json", rule: "generic-api-key", secret: g.generic(40),
			line: `{"client_secret": "{S}", "redirect_uri": "http://127.0.0.1:8085/callback"}`, keep: []string{`"client_secret":`, `"redirect_uri": "http://127.0.0.1:8085/callback"`}},

		// Private keys, as a file and inside a JSON string.
		{name: "rsa private key", rule: "private-key", secret: rsaPEM,
			line: "$ cat deploy_key.pem\n-----BEGIN RSA PRIVATE KEY-----\n{S}\n-----END RSA PRIVATE KEY-----\n$ chmod 600 deploy_key.pem",
			keep: []string{"$ cat deploy_key.pem", "$ chmod 600 deploy_key.pem"}},
		{name: "openssh private key", rule: "private-key", secret: sshPEM,
			line: "-----BEGIN OPENSSH PRIVATE KEY-----\n{S}\n-----END OPENSSH PRIVATE KEY-----\nsaved to id_ed25519",
			keep: []string{"saved to id_ed25519"}},
		{name: "private key in a transcript", rule: "private-key", secret: jsonPEM,
			line: `{"type":"tool_result","content":"-----BEGIN PRIVATE KEY-----\n{S}\n-----END PRIVATE KEY-----\n"}`,
			keep: []string{`{"type":"tool_result","content":"`}},
	}
}

// corpusParts is what of a secret must not survive: each of its lines (real
// or JSON-escaped) long enough to be telling.
func corpusParts(secret string) []string {
	var parts []string
	for _, l := range strings.Split(strings.ReplaceAll(secret, `\n`, "\n"), "\n") {
		if len(l) >= 8 {
			parts = append(parts, l)
		}
	}
	return parts
}

func TestSecrets(t *testing.T) {
	cases := corpusSecrets()
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.name] {
			t.Fatalf("case %q twice", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			in := strings.ReplaceAll(c.line, "{S}", c.secret)
			out, n := Text(in)
			for _, p := range corpusParts(c.secret) {
				if strings.Contains(out, p) {
					t.Errorf("%s (rule %s): secret survives\n in: %s\nout: %s", c.name, c.rule, in, out)
					break
				}
			}
			if n < 1 {
				t.Errorf("%s (rule %s): count %d, want >= 1", c.name, c.rule, n)
			}
			for _, k := range c.keep {
				if !strings.Contains(out, k) {
					t.Errorf("%s (rule %s): %q lost\n in: %s\nout: %s", c.name, c.rule, k, in, out)
				}
			}
			// Another rule may get there first (generic-api-key often
			// does); that is not wrong, but worth knowing.
			if want := "[REDACTED:" + c.rule + "]"; !strings.Contains(out, want) && n >= 1 {
				t.Logf("%s: redacted, but not as %s: %s", c.name, want, out)
			}
		})
	}
}

// corpusPII is a line with personal data in it.
type corpusPII struct {
	name string
	in   string
	gone []string // must not survive
	want []string // must be in the result
	n    int      // at least this many redactions
}

var corpusPIIs = []corpusPII{
	// E-mail addresses.
	{name: "email plain", in: "Contact alice@example.com for access.",
		gone: []string{"alice@example.com"}, want: []string{"Contact [REDACTED:email] for access."}, n: 1},
	{name: "email dots and plus", in: "cc: first.last+sess@mail.example.co.uk",
		gone: []string{"first.last", "mail.example.co.uk"}, want: []string{"cc: [REDACTED:email]"}, n: 1},
	{name: "email upper case", in: "Reply-To: Bob.Smith@Example.COM",
		gone: []string{"Bob.Smith@Example.COM"}, want: []string{"Reply-To: [REDACTED:email]"}, n: 1},
	{name: "email git author", in: "Author: Carol Danvers <carol.danvers@example.nl>",
		gone: []string{"carol.danvers@"}, want: []string{"Author: Carol Danvers <[REDACTED:email]>"}, n: 1},
	{name: "email in json", in: `{"email":"dev-ops_team@acme-corp.io","role":"admin"}`,
		gone: []string{"dev-ops_team", "acme-corp.io"}, want: []string{`"role":"admin"`, "[REDACTED:email]"}, n: 1},
	{name: "email mailto", in: "<a href=\"mailto:help@example.org?subject=sess\">help</a>",
		gone: []string{"help@example.org"}, want: []string{"[REDACTED:email]", "subject=sess"}, n: 1},
	{name: "two emails", in: "To: ann@example.com, piet.jansen@voorbeeld.nl",
		gone: []string{"ann@example.com", "piet.jansen@voorbeeld.nl"}, want: []string{"To: [REDACTED:email], [REDACTED:email]"}, n: 2},

	// Phone numbers.
	{name: "phone nl mobile", in: "Bel me op +31 6 12345678 als de build faalt.",
		gone: []string{"12345678"}, want: []string{"Bel me op [REDACTED:phone] als de build faalt."}, n: 1},
	{name: "phone us international", in: "Support: +1 (555) 123-4567 (weekdays)",
		gone: []string{"123-4567"}, want: []string{"Support: [REDACTED:phone]", "(weekdays)"}, n: 1},
	{name: "phone us local", in: "phone: 555-123-4567",
		gone: []string{"555-123-4567"}, want: []string{"phone: [REDACTED:phone]"}, n: 1},
	{name: "phone uk", in: "London office +44 20 7946 0958, ask for ops",
		gone: []string{"7946 0958"}, want: []string{"London office [REDACTED:phone], ask for ops"}, n: 1},
	{name: "phone e164 in json", in: `{"phone":"+31612345678","verified":true}`,
		gone: []string{"31612345678"}, want: []string{`"verified":true`, "[REDACTED:phone]"}, n: 1},

	// User names in paths.
	{name: "linux home", in: "cd /home/alice/src/x && go test ./...",
		gone: []string{"alice"}, want: []string{"cd /home/[user]/src/x && go test ./..."}, n: 1},
	{name: "linux home at end", in: "HOME=/home/frank",
		gone: []string{"frank"}, want: []string{"HOME=/home/[user]"}, n: 1},
	{name: "macos home", in: "GOCACHE=/Users/bob/Library/Caches/go-build",
		gone: []string{"bob"}, want: []string{"GOCACHE=/Users/[user]/Library/Caches/go-build"}, n: 1},
	{name: "windows home", in: `TEMP=C:\Users\carol\AppData\Local\Temp`,
		gone: []string{"carol"}, want: []string{`TEMP=C:\Users\[user]\AppData\Local\Temp`}, n: 1},
	// Transcripts are JSON, where a Windows path has doubled backslashes.
	{name: "windows home in json", in: `{"cwd":"C:\\Users\\carol\\AppData\\Roaming"}`,
		gone: []string{"carol"}, want: []string{`C:\\Users\\[user]\\AppData\\Roaming`}, n: 1},
	{name: "claude code project linux", in: "~/.claude/projects/-home-dave-src-proj/abc.jsonl",
		gone: []string{"dave"}, want: []string{"~/.claude/projects/-home-[user]-src-proj/abc.jsonl"}, n: 1},
	{name: "claude code project macos", in: "/Users/erin/.claude/projects/-Users-erin-code-app/4f1c9e2a.jsonl",
		gone: []string{"erin"}, want: []string{"/Users/[user]/.claude/projects/-Users-[user]-code-app/4f1c9e2a.jsonl"}, n: 2},

	// Several kinds at once.
	{name: "mixed", in: "From grace@example.org, tel +44 20 7946 0958, cwd /home/grace/src",
		gone: []string{"grace"}, want: []string{"From [REDACTED:email], tel [REDACTED:phone], cwd /home/[user]/src"}, n: 3},
}

func TestPII(t *testing.T) {
	for _, c := range corpusPIIs {
		t.Run(c.name, func(t *testing.T) {
			out, n := Text(c.in)
			for _, g := range c.gone {
				if strings.Contains(out, g) {
					t.Errorf("%s: %q survives\n in: %s\nout: %s", c.name, g, c.in, out)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: want %q\n in: %s\nout: %s", c.name, w, c.in, out)
				}
			}
			if n < c.n {
				t.Errorf("%s: count %d, want >= %d (out: %s)", c.name, n, c.n, out)
			}
		})
	}
}

// TestCleanLines runs Text over testdata/clean.txt, a line-per-line sample of
// what a coding session holds that is neither secret nor personal: hashes,
// ids, versions, timestamps, paths, URLs, commands, code, JSON, logs and
// prose. A redaction there hides what a reader needs, so few may change;
// each change is logged for tuning the rules.
func TestCleanLines(t *testing.T) {
	data, err := os.ReadFile("testdata/clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines, changed int
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		out, n := Text(line)
		if out != line || n != 0 {
			changed++
			t.Logf("clean.txt:%d: %d redaction(s)\n in: %s\nout: %s", i+1, n, line, out)
		}
	}
	if lines < 300 {
		t.Errorf("clean.txt has %d lines, want >= 300", lines)
	}
	t.Logf("%d of %d clean lines changed (%.1f%%)", changed, lines, 100*float64(changed)/float64(max(lines, 1)))
	if changed*100 > lines*5 {
		t.Errorf("%d of %d clean lines changed, more than 5%%", changed, lines)
	}
}
