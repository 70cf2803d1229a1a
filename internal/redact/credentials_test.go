package redact

import (
	"strings"
	"testing"
)

// TestCredentials: credentials gitleaks' rules miss (a header, a flag, an
// assignment whose name says what it holds; a key with punctuation after
// it, or hidden by an escape or an invisible character) are taken out of
// what the journal keeps; what is around them stays.
func TestCredentials(t *testing.T) {
	t.Parallel()
	// Made here, not written out, so that no scanner flags this file.
	g := newFakeGen()
	stripe := "sk_live_" + g.str(csAlnum, 24)
	gcp := "AIzaSy" + g.word(csB64URL, 33)
	anthropic := "sk-ant-api03-" + g.str(csB64URL, 93) + "AA"
	akia := "AKIA" + g.str(csBase32, 16)
	twilioSID := "AC" + g.str(csHex, 32)
	twilioToken := g.str(csHex, 32)
	pem := g.pemBody("MIIEpAIBAAKCAQEA", 6, 64, "\n")
	for _, tc := range []struct {
		name, in string
		gone     []string // must not survive
		keep     []string // must survive
	}{
		{"bearer header", "curl it with Authorization: Bearer abc123def456", []string{"abc123def456"}, []string{"curl it with Authorization: Bearer "}},
		{"bearer header json", `{"headers": {"Authorization": "Bearer tok3nV4lue99"}}`, []string{"tok3nV4lue99"}, []string{`"headers"`}},
		{"basic header", "Authorization: Basic dXNlcjpodW50ZXIy", []string{"dXNlcjpodW50ZXIy"}, []string{"Authorization: Basic "}},
		{"curl -u", "curl -u admin:hunter2 https://ci.example.dev/api/json", []string{"hunter2"}, []string{"curl -u", "https://ci.example.dev/api/json"}},
		{"curl --user later", "curl -sS https://ci.example.dev/job --user deploy:s3cr3tpw -o out.json", []string{"s3cr3tpw"}, []string{"https://ci.example.dev/job", "-o out.json"}},
		{"env secret key", "SECRET_KEY=django-insecure-abc", []string{"django-insecure-abc"}, []string{"SECRET_KEY="}},
		{"env django secret key", "DJANGO_SECRET_KEY='x9#kq!2p'", []string{"x9#kq!2p"}, []string{"DJANGO_SECRET_KEY="}},
		{"env db password", "DB_PASSWORD=postgres123", []string{"postgres123"}, []string{"DB_PASSWORD="}},
		{"env export", "export API_TOKEN=letmein42 && ./deploy.sh", []string{"letmein42"}, []string{"export API_TOKEN=", "&& ./deploy.sh"}},
		{"env before a command", "run DB_PASSWORD=hunter2 go test ./...", []string{"hunter2"}, []string{"go test ./..."}},
		{"twilio env", "TWILIO_AUTH_TOKEN=" + twilioToken, []string{twilioToken}, []string{"TWILIO_AUTH_TOKEN="}},
		{"twilio client", `client = Client("` + twilioSID + `", "` + twilioToken + `")`, []string{twilioToken}, []string{twilioSID, "client = Client("}},
		{"twilio yaml", "twilio:\n  auth_token: " + twilioToken, []string{twilioToken}, []string{"auth_token:"}},
		{"mysql -p", "mysql -u root -pS3cretPw -h db.internal shop", []string{"S3cretPw"}, []string{"mysql -u root", "-h db.internal shop"}},
		{"mysqldump --password=", "mysqldump --password=S3cretPw shop > shop.sql", []string{"S3cretPw"}, []string{"mysqldump", "shop > shop.sql"}},
		{"pem without end", "here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n" + pem, strings.Split(pem, "\n"), []string{"here is the key:"}},
		{"pem without end in json", `{"content":"-----BEGIN PRIVATE KEY-----\n` + strings.ReplaceAll(pem, "\n", `\n`) + `"}`, strings.Split(pem, "\n"), []string{`{"content":"`}},
		{"json escaped key", `{"key":"\u0041` + akia[1:] + `"}`, []string{akia[1:]}, []string{`{"key":"`}},
		{"zero-width space", "export AWS_ACCESS_KEY_ID=" + akia[:8] + "\u200b" + akia[8:], []string{akia[8:]}, []string{"export AWS_ACCESS_KEY_ID="}},
		{"stripe then dot", "The key is " + stripe + ".", []string{stripe}, []string{"The key is "}},
		{"stripe then comma", "keys: " + stripe + ", and more", []string{stripe}, []string{", and more"}},
		{"stripe then paren", "stripe.Key(" + stripe + ")", []string{stripe}, []string{"stripe.Key("}},
		{"stripe then accent", "clé " + stripe + "é", []string{stripe}, nil},
		{"gcp then amp", "https://maps.googleapis.com/maps/api/js?key=" + gcp + "&callback=init", []string{gcp}, []string{"&callback=init"}},
		{"gcp then paren", "(" + gcp + ")", []string{gcp}, nil},
		{"anthropic then dot", "Use " + anthropic + ".", []string{anthropic}, []string{"Use "}},
		{"anthropic then comma", "keys " + anthropic + ", rotate", []string{anthropic}, []string{", rotate"}},
		{"anthropic then non-ascii", "sleutel " + anthropic + "ë", []string{anthropic}, nil},
	} {
		out, n := Text(tc.in)
		for _, s := range tc.gone {
			if s != "" && strings.Contains(out, s) {
				t.Errorf("%s: %q survives\n in: %s\nout: %s", tc.name, s, tc.in, out)
			}
		}
		for _, s := range tc.keep {
			if !strings.Contains(out, s) {
				t.Errorf("%s: %q lost\n in: %s\nout: %s", tc.name, s, tc.in, out)
			}
		}
		if n < 1 {
			t.Errorf("%s: count %d, want >= 1", tc.name, n)
		}
	}
}

// TestNotCredentials: lines that look like credentials and are not stay as
// they are: a digest named as such, ssh's user at a host, digit groups,
// placeholders and code that reads a secret from elsewhere.
func TestNotCredentials(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"checksum_key = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"CHECKSUM_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"integrity_hash: sha512-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"ssh deploy@prod.example.com",
		"ssh -i ~/.ssh/id_ed25519 -p 2222 deploy@prod.example.com 'systemctl restart app'",
		"scp build.tgz ubuntu@web-1.example.org:/srv/app/",
		"chmod 0755 644 1000",
		"chown 1000 1000 /srv/app",
		"sizes 0644 0755 1000 and 0600",
		"SECRET_KEY=$DJANGO_SECRET_KEY",
		"DB_PASSWORD=${DB_PASSWORD}",
		"API_TOKEN=<your token>",
		"MAX_TOKENS=4096",
		"SSH_KEY_PATH=~/.ssh/id_ed25519",
		"Authorization: Bearer <token>",
		"Authorization: Bearer $TOKEN",
		`req.Header.Set("Authorization", "Bearer "+token)`,
		"mysql -u root -p shop",
		"the bearer of bad news",
		"curl -u user:password https://example.com",
		"-----BEGIN PUBLIC KEY-----",
		`"caf\u00e9"`,
		"👨\u200d👩\u200d👧 family",
	} {
		if out, n := Text(in); out != in || n != 0 {
			t.Errorf("changed (%d):\n in: %s\nout: %s", n, in, out)
		}
	}
}
