package redact

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestJSONLine(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		in, want string
		n        int
	}{
		"clean":       {in: `{"type":"user","message":{"content":"fix the <login> & go"}}`, want: `{"type":"user","message":{"content":"fix the <login> & go"}}`},
		"token":       {in: `{"content":"deploy with ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2 <now>"}`, want: `{"content":"deploy with [REDACTED:github-pat] <now>"}`, n: 1},
		"by its key":  {in: `{"input":{"password": "Zq8vR2mK9pL4xW7nB3"}, "x": 1}`, want: `{"input":{"password": "[REDACTED]"}, "x": 1}`, n: 1},
		"header":      {in: `{"headers":{"Authorization":"Bearer Zq8vR2mK9pL4xW7nB3cD5fG"}}`, want: `{"headers":{"Authorization":"Bearer [REDACTED:auth-header]"}}`, n: 1},
		"escaped":     {in: `{"c":"mail ann@example.org\nthen \"quote\""}`, want: `{"c":"mail [REDACTED:email]\nthen \"quote\""}`, n: 1},
		"not json":    {in: `not json ann@example.org`, want: `not json [REDACTED:email]`, n: 1},
		"array":       {in: `["ann@example.org", 12, null]`, want: `["[REDACTED:email]", 12, null]`, n: 1},
		"key kept":    {in: `{"ann@example.org": 1}`, want: `{"ann@example.org": 1}`},
		"short value": {in: `{"a":"b"}`, want: `{"a":"b"}`},
	} {
		t.Run(name, func(t *testing.T) {
			out, n := JSONLine([]byte(c.in))
			if want, have := c.n, n; (want == 0) != (have == 0) {
				t.Errorf("count: want %d, have %d", want, have)
			}
			if c.n == 0 {
				if want, have := c.want, string(out); want != have {
					t.Errorf("want %s, have %s", want, have)
				}
				return
			}
			if json.Valid([]byte(c.in)) && !json.Valid(out) {
				t.Errorf("not JSON any more: %s", out)
			}
			if strings.Contains(string(out), "ann@example.org") || strings.Contains(string(out), "Zq8vR2mK9pL4xW7nB3") || strings.Contains(string(out), "ghp_") || strings.Contains(string(out), "Zq8vR2mK9pL4xW7nB3cD5fG") {
				t.Errorf("secret survives: %s", out)
			}
		})
	}
}

// TestJSONLineCorpus puts every fake secret of the corpus into a
// transcript's rows (a prompt, a tool's result, a tool's input) and checks
// that none survives JSONLine and each row stays JSON.
func TestJSONLineCorpus(t *testing.T) {
	t.Parallel()
	for _, c := range corpusSecrets() {
		text := strings.ReplaceAll(c.line, "{S}", c.secret)
		for _, row := range transcriptRows(text) {
			out, _ := JSONLine(row)
			if !json.Valid(out) {
				t.Errorf("%s: not JSON any more: %s", c.name, out)
			}
			var decoded any
			json.Unmarshal(out, &decoded)
			plain, _ := json.Marshal(decoded)
			for _, p := range corpusParts(c.secret) {
				if strings.Contains(string(out), p) || strings.Contains(string(plain), p) {
					t.Errorf("%s (rule %s): secret survives\n in: %s\nout: %s", c.name, c.rule, row, out)
					break
				}
			}
		}
	}
}

// transcriptRows is text as a Claude Code transcript holds it: in a
// prompt, in a tool's result, in a tool's input.
func transcriptRows(text string) [][]byte {
	q, _ := json.Marshal(text)
	return [][]byte{
		[]byte(`{"type":"user","message":{"role":"user","content":` + string(q) + `},"uuid":"1"}`),
		[]byte(`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":` + string(q) + `}]},"uuid":"2"}`),
		[]byte(`{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":` + string(q) + `}}]},"uuid":"3"}`),
	}
}

// TestJSONLineClean: developer text comes through JSONLine as it was.
func TestJSONLineClean(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/clean.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		for _, row := range transcriptRows(l) {
			if out, n := JSONLine(row); n != 0 && string(out) == string(row) {
				t.Errorf("count %d but no change: %s", n, row)
			}
		}
	}
}

func FuzzJSONLine(f *testing.F) {
	for _, row := range transcriptRows("deploy with ghp_Zr8Kq2Lm4Np6Qs8Tu0Vw2Xy4Za6Bc8De0Fg2, mail ann@example.org") {
		f.Add(row)
	}
	f.Add([]byte(`{"password": "Zq8vR2mK9pL4xW7nB3"}`))
	f.Add([]byte(`"unterminated \`))
	f.Fuzz(func(t *testing.T, line []byte) {
		in := string(line)
		out, n := JSONLine(line)
		if string(line) != in {
			t.Fatalf("input changed")
		}
		if n == 0 && string(out) != in {
			t.Fatalf("no redaction but changed: %q -> %q", in, out)
		}
		if json.Valid(line) && !json.Valid(out) {
			t.Fatalf("JSON broken: %q -> %q", in, out)
		}
	})
}

func BenchmarkJSONLine(b *testing.B) {
	data, err := os.ReadFile("testdata/clean.txt")
	if err != nil {
		b.Fatal(err)
	}
	rows := transcriptRows(string(data[:8000]))
	size := 0
	for _, r := range rows {
		size += len(r)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, r := range rows {
			JSONLine(r)
		}
	}
}

// BenchmarkJSONLineImage: a row with an image, as a screenshot pasted in
// a prompt is kept: a megabyte of base64.
func BenchmarkJSONLineImage(b *testing.B) {
	data := make([]byte, 750<<10)
	for i := range data {
		data[i] = byte(i * 7919 >> 3)
	}
	img := base64.StdEncoding.EncodeToString(data)
	row := []byte(`{"type":"user","message":{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + img + `"}}]}}`)
	b.SetBytes(int64(len(row)))
	for b.Loop() {
		JSONLine(row)
	}
}
