// Command hooktime times sess-hook on every event the journal records, as
// Claude Code starts it: a new process with the event's JSON on stdin, on a
// generated store, each event run many times; it prints the median and the
// slowest run of each and checks them against the bounds of the journal
// (median at most 15 ms and no run over 100 ms; the throttled Stop at most
// 2 ms). Run by bench/hooks.sh.
//
//	hooktime -hook ./sess-hook [-n 10000] [-runs 50]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sess-dev/sess/internal/benchstore"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hooktime:", err)
		os.Exit(1)
	}
}

// event is one kind of hook call: its payload for run i, and what must be
// done (untimed) before that run.
type event struct {
	name    string
	payload func(i int) map[string]any
	prepare func(i int) error
	bound   time.Duration // the median's bound
	args    []string      // sess-hook's arguments
	env     []string      // besides the bench's environment
	// measured only: shown, never over its bound (the archive's append
	// inside the hook, which the hook does not do by default)
	measured bool
}

func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hooktime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hook := fs.String("hook", "", "the sess-hook binary (required)")
	n := fs.Int("n", 10000, "sessions in the generated store")
	runs := fs.Int("runs", 50, "timed runs per event")
	par := fs.Int("parallel", 0, "instead of the runs: start this many hooks at once, twice (new conversations, then a prompt in each)")
	shell := fs.Bool("shell", false, "start each hook through sh -c, as Claude Code does, and take sh's own start-up off the figures")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *hook == "" {
		return errors.New("give -hook")
	}
	tmp, err := os.MkdirTemp("", "hooktime-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &bench{hook: *hook, store: filepath.Join(tmp, "dashboard"), repo: filepath.Join(tmp, "repo"), errPath: filepath.Join(tmp, "stderr"), shell: *shell}
	b.env = append(os.Environ(), "SESS_DASHBOARD_DIR="+b.store)
	fmt.Fprintf(stderr, "generating a store of %d sessions\n", *n)
	if err := b.setup(*n); err != nil {
		return err
	}
	if *par > 0 {
		fmt.Fprintf(stdout, "sess-hook on a store of %d sessions, %d cores. ", *n, runtime.NumCPU())
		return b.parallel(stdout, *par)
	}
	fmt.Fprintf(stdout, "sess-hook on a store of %d sessions, %d runs per event (after 3 untimed):\n\n", *n, *runs)
	if b.shell {
		if err := b.measureSpawn(*runs); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Each hook started through sh -c, as Claude Code starts it; sh's own %.1f ms taken off.\n\n", ms(b.spawn))
	}
	fmt.Fprintln(stdout, "| event | median ms | slowest ms | bound (median) |\n|---|---:|---:|---:|")
	failed := false
	for _, ev := range b.events() {
		median, slowest, err := b.measure(ev, *runs)
		if err != nil {
			return fmt.Errorf("%s: %w", ev.name, err)
		}
		mark := ""
		if !ev.measured && (median > ev.bound || slowest > 100*time.Millisecond) {
			mark, failed = " **over**", true
		}
		fmt.Fprintf(stdout, "| %s | %.1f | %.1f | %.0f ms%s |\n", ev.name, ms(median), ms(slowest), ms(ev.bound), mark)
	}
	if err := checkThread(b.store, "conv-clear", *runs); err != nil {
		return err
	}
	if err := checkThread(b.store, "conv-resumed", *runs); err != nil {
		return err
	}
	if failed {
		return errors.New("an event is over its bound")
	}
	return nil
}

// bench is one run of the benchmark: the hook, the store and repository it
// works on.
type bench struct {
	hook, store, repo, errPath string
	env                        []string
	shell                      bool          // through sh -c
	spawn                      time.Duration // sh -c's own median, taken off
	projects                   string        // Claude Code's transcripts of the repository
}

// setup generates the store and the repository, and starts conv-A, the
// conversation most events belong to.
func (b *bench) setup(n int) error {
	if err := benchstore.Generate(b.store, benchstore.Options{Sessions: n, Seed: 1, LockFiles: true}); err != nil {
		return err
	}
	if err := git(b.repo, "init", "-q", "-b", "main", b.repo); err != nil {
		return err
	}
	if err := commit(b.repo, "first"); err != nil {
		return err
	}
	if err := b.transcripts(); err != nil {
		return err
	}
	_, err := b.fire(payload("SessionStart", b.repo, "conv-A", map[string]any{"source": "startup"}), nil)
	return err
}

// transcripts writes the transcript folder of the repository as a busy
// user has it: 40 conversations of 1 MB, conv-A's among them (not the
// newest), for a resume under a new id to find by its rows' uuids.
func (b *bench) transcripts() error {
	b.projects = filepath.Join(filepath.Dir(b.store), "projects", "-repo")
	if err := os.MkdirAll(b.projects, 0o700); err != nil {
		return err
	}
	filler := strings.Repeat("lorem ipsum ", 80)
	for i := range 40 {
		id := fmt.Sprintf("conv-old-%d", i)
		if i == 20 {
			id = "conv-A"
		}
		var rows strings.Builder
		for j := 0; rows.Len() < 1<<20; j++ {
			fmt.Fprintf(&rows, `{"type":"user","uuid":"%s-row-%d","sessionId":"%s","message":{"role":"user","content":"%s"}}`+"\n", id, j, id, filler)
		}
		path := filepath.Join(b.projects, id+".jsonl")
		if err := os.WriteFile(path, []byte(rows.String()), 0o600); err != nil {
			return err
		}
		at := time.Now().Add(time.Duration(i-50) * time.Minute)
		if err := os.Chtimes(path, at, at); err != nil {
			return err
		}
	}
	return nil
}

// resumedCopy writes the transcript of conversation id, resumed from conv-A
// under its new id: conv-A's first rows, stamped with id (Claude Code 2.1).
func (b *bench) resumedCopy(id string) error {
	var rows strings.Builder
	for j := range 3 {
		fmt.Fprintf(&rows, `{"type":"user","uuid":"conv-A-row-%d","sessionId":"%s","message":{"role":"user","content":"copied"}}`+"\n", j, id)
	}
	return os.WriteFile(filepath.Join(b.projects, id+".jsonl"), []byte(rows.String()), 0o600)
}

// measure runs an event 3 times untimed, then runs times, and returns the
// median and the slowest run.
func (b *bench) measure(ev event, runs int) (median, slowest time.Duration, err error) {
	var times []time.Duration
	for i := -3; i < runs; i++ {
		if ev.prepare != nil {
			if err := ev.prepare(i); err != nil {
				return 0, 0, fmt.Errorf("prepare: %w", err)
			}
		}
		took, err := b.fire(ev.payload(i), ev.env, ev.args...)
		if err != nil {
			return 0, 0, err
		}
		if i >= 0 {
			times = append(times, took)
		}
	}
	slices.Sort(times)
	return times[len(times)/2], times[len(times)-1], nil
}

func (b *bench) fire(payload map[string]any, env []string, args ...string) (time.Duration, error) {
	env = append(slices.Clip(b.env), env...)
	if !b.shell {
		return fireHook(b.hook, args, b.repo, env, payload, b.errPath)
	}
	cmd := b.hook
	for _, a := range args {
		cmd += " " + a
	}
	took, err := fireHook("/bin/sh", []string{"-c", cmd}, b.repo, env, payload, b.errPath)
	if msg, _ := os.ReadFile(b.errPath); err == nil && len(msg) > 0 && len(args) == 0 {
		err = errors.New(string(msg)) // a hook that warned did not do its work
	}
	return took - b.spawn, err
}

// measureSpawn is the median of sh -c true: what starting a hook through
// a shell costs before the hook runs.
func (b *bench) measureSpawn(runs int) error {
	var times []time.Duration
	for range runs {
		took, err := fireHook("/bin/sh", []string{"-c", "true"}, b.repo, b.env, nil, b.errPath)
		if err != nil {
			return err
		}
		times = append(times, took)
	}
	slices.Sort(times)
	b.spawn = times[len(times)/2]
	return nil
}

// ageHeartbeat makes conv-A's heartbeat two minutes old, so that the next
// hook moves it, as one does once a minute.
func (b *bench) ageHeartbeat() error {
	st := store.Open(b.store, store.Options{})
	id := st.Derived().Pointed("conv-A")
	if id == "" {
		return errors.New("conv-A has no session")
	}
	old := session.FormatTime(time.Now().Add(-2 * time.Minute))
	return st.Update([]string{id}, func(tx *store.Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		sess.LastHeartbeat = old
		return tx.Put(sess)
	})
}

// clearing ends the conversation before run i with /clear's SessionEnd, as
// Claude Code does before the new one starts.
func (b *bench) clearing(i int) error {
	prev := "conv-A"
	if i > -3 {
		prev = fmt.Sprintf("conv-clear-%d", i-1)
	}
	_, err := b.fire(payload("SessionEnd", b.repo, prev, map[string]any{"reason": "clear"}), nil)
	return err
}

// checkThread makes sure the /clear and resume runs measured what they
// claim: the last new conversation carried one on.
func checkThread(dir, prefix string, runs int) error {
	st := store.Open(dir, store.Options{})
	id := st.Derived().Pointed(fmt.Sprintf("%s-%d", prefix, runs-1))
	if id == "" {
		return fmt.Errorf("the last %s run has no session", prefix)
	}
	sess, err := st.View().Session(id)
	if err != nil {
		return err
	}
	if session.Deref(sess.Continues) == "" {
		return fmt.Errorf("the %s runs did not carry the thread on", prefix)
	}
	return nil
}

// fireHook starts the hook with the payload on stdin as a file, stdout to
// /dev/null and stderr to a file: no pipes and no copying goroutines, so
// that the time is the hook's and the kernel's, as near as can be.
func fireHook(hook string, args []string, dir string, env []string, payload map[string]any, errPath string) (time.Duration, error) {
	data, _ := json.Marshal(payload)
	in, err := os.CreateTemp("", "payload-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(in.Name())
	defer in.Close()
	if _, err := in.Write(data); err != nil {
		return 0, err
	}
	in.Seek(0, io.SeekStart)
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer null.Close()
	errf, err := os.Create(errPath)
	if err != nil {
		return 0, err
	}
	defer errf.Close()
	start := time.Now()
	p, err := os.StartProcess(hook, append([]string{hook}, args...), &os.ProcAttr{Dir: dir, Env: env, Files: []*os.File{in, null, errf}})
	if err != nil {
		return 0, err
	}
	st, err := p.Wait()
	took := time.Since(start)
	if err == nil && !st.Success() {
		err = fmt.Errorf("exit: %v", st)
	}
	if msg, _ := os.ReadFile(errPath); err == nil && len(msg) > 0 && len(args) == 0 {
		err = errors.New(string(msg))
	}
	return took, err
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// payload is a hook's input as Claude Code sends it.
func payload(name, cwd, id string, extra map[string]any) map[string]any {
	p := map[string]any{"session_id": id, "transcript_path": "/tmp/" + id + ".jsonl", "cwd": cwd, "hook_event_name": name, "permission_mode": "default"}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// events is every event the journal records, each run writing (a new
// value every time) except the throttled Stop and the subagent's call.
func (b *bench) events() []event {
	repo := b.repo
	const bound = 15 * time.Millisecond
	on := func(name string, extra func(i int) map[string]any) func(i int) map[string]any {
		return func(i int) map[string]any { return payload(name, repo, "conv-A", extra(i)) }
	}
	return []event{
		{name: "(start-up alone: sess-hook --version)", bound: 2 * time.Millisecond, args: []string{"--version"},
			payload: func(i int) map[string]any { return nil }},
		{name: "SessionStart (new conversation)", bound: bound, payload: func(i int) map[string]any {
			return payload("SessionStart", repo, fmt.Sprintf("conv-new-%d", i), map[string]any{"source": "startup"})
		}},
		{name: "SessionStart (resume)", bound: bound, payload: on("SessionStart", func(i int) map[string]any {
			return map[string]any{"source": "resume", "session_title": fmt.Sprintf("Title %d", i)}
		})},
		{name: "UserPromptSubmit", bound: bound, payload: on("UserPromptSubmit", func(i int) map[string]any {
			return map[string]any{"prompt": fmt.Sprintf("Do step %d", i)}
		})},
		{name: "UserPromptSubmit, heartbeat due (the index rewritten too)", bound: bound,
			prepare: func(int) error { return b.ageHeartbeat() },
			payload: on("UserPromptSubmit", func(i int) map[string]any {
				return map[string]any{"prompt": fmt.Sprintf("Do step %d", i)}
			})},
		{name: "PostToolUse Edit", bound: bound, payload: on("PostToolUse", func(i int) map[string]any {
			return map[string]any{"tool_name": "Edit", "tool_input": map[string]any{"file_path": filepath.Join(repo, fmt.Sprintf("src/f%d.go", i))}}
		})},
		{name: "PostToolUse Bash git commit", bound: bound, prepare: func(i int) error { return commit(repo, fmt.Sprintf("run %d", i)) },
			payload: on("PostToolUse", func(i int) map[string]any {
				return map[string]any{"tool_name": "Bash", "tool_input": map[string]any{"command": fmt.Sprintf("git commit -m 'run %d'", i)}}
			})},
		{name: "TaskCreated", bound: bound, payload: on("TaskCreated", func(i int) map[string]any {
			return map[string]any{"task_id": fmt.Sprint(i + 100), "task_subject": fmt.Sprintf("Task %d", i)}
		})},
		{name: "PostToolUse TaskUpdate", bound: bound, payload: on("PostToolUse", func(i int) map[string]any {
			return map[string]any{"tool_name": "TaskUpdate", "tool_input": map[string]any{"taskId": fmt.Sprint(i + 100), "status": "in_progress"}}
		})},
		{name: "PostToolUse TodoWrite", bound: bound, payload: on("PostToolUse", func(i int) map[string]any {
			return map[string]any{"tool_name": "TodoWrite", "tool_input": map[string]any{"todos": []map[string]any{
				{"content": "Read", "status": "completed"}, {"content": fmt.Sprintf("Write %d", i), "status": "in_progress"}}}}
		})},
		{name: "Notification (permission)", bound: bound, payload: on("Notification", func(i int) map[string]any {
			return map[string]any{"notification_type": "permission_prompt", "message": fmt.Sprintf("Claude needs your permission to use Bash (%d)", i)}
		})},
		{name: "Stop", bound: bound, payload: on("Stop", func(i int) map[string]any {
			return map[string]any{"last_assistant_message": fmt.Sprintf("Finished step %d. Next one.", i)}
		})},
		// A turn of about 30 kB (a file read, the answer), in a conversation
		// of its own each: the Stop with no archive; with the turn archived
		// by the child the hook starts and does not wait for, the default;
		// and archived in the hook, to show what the child saves it.
		{name: "Stop after a 30 kB turn, no archive (SESS_TRANSCRIPT_ARCHIVE=off)", bound: bound, prepare: b.turn("conv-T0", false),
			env: []string{"SESS_TRANSCRIPT_ARCHIVE=off"}, payload: b.turnStop("conv-T0")},
		{name: "Stop after a 30 kB turn, archived by a detached child (the default)", bound: bound, prepare: b.turn("conv-T1", true),
			payload: b.turnStop("conv-T1")},
		{name: "Stop after a 30 kB turn, archived in the hook (SESS_TRANSCRIPT_ARCHIVE=inline)", bound: bound, measured: true, prepare: b.turn("conv-T2", false),
			env: []string{"SESS_TRANSCRIPT_ARCHIVE=inline"}, payload: b.turnStop("conv-T2")},
		{name: "Stop (throttled)", bound: 2 * time.Millisecond, payload: on("Stop", func(i int) map[string]any {
			return map[string]any{"last_assistant_message": "Finished the last step. Waiting."}
		})},
		{name: "StopFailure", bound: bound, payload: on("StopFailure", func(i int) map[string]any {
			return map[string]any{"error": "rate_limit", "error_details": fmt.Sprint(i)}
		})},
		{name: "PostCompact", bound: bound, payload: on("PostCompact", func(i int) map[string]any {
			return map[string]any{"trigger": "auto", "compact_summary": fmt.Sprintf("Summary %d of the work so far.", i)}
		})},
		{name: "SessionEnd", bound: bound, payload: on("SessionEnd", func(i int) map[string]any {
			return map[string]any{"reason": fmt.Sprintf("other-%d", i)}
		})},
		{name: "PostToolUse in a subagent", bound: bound, payload: on("PostToolUse", func(i int) map[string]any {
			return map[string]any{"agent_id": "agent-1", "tool_name": "Edit", "tool_input": map[string]any{"file_path": filepath.Join(repo, "x.go")}}
		})},
		{name: "Stop, an answer of 6,000 characters", bound: bound, payload: on("Stop", func(i int) map[string]any {
			return map[string]any{"last_assistant_message": fmt.Sprintf("Finished step %d. ", i) + strings.Repeat("The handler now checks the token before it reads the body; ", 100)}
		})},
		{name: "Stop, the answer ends with a question", bound: bound, payload: on("Stop", func(i int) map[string]any {
			return map[string]any{"last_assistant_message": fmt.Sprintf("Finished step %d. Shall I go on with step %d?", i, i+1)}
		})},
		{name: "SessionStart (resume, with the brief)", bound: bound, payload: on("SessionStart", func(i int) map[string]any {
			return map[string]any{"source": "resume"}
		})},
		// Rare: a build that resumes under a new id and stamps the copies
		// with it. The folder is looked through, and the project searched
		// for a session the original's register-launch made.
		{name: "SessionStart (resume under a new id: 40 MB of transcripts looked through, with the brief)", bound: 20 * time.Millisecond,
			prepare: func(i int) error { return b.resumedCopy(fmt.Sprintf("conv-resumed-%d", i)) },
			payload: func(i int) map[string]any {
				id := fmt.Sprintf("conv-resumed-%d", i)
				p := payload("SessionStart", repo, id, map[string]any{"source": "resume"})
				p["transcript_path"] = filepath.Join(b.projects, id+".jsonl")
				return p
			}},
		{name: "SessionStart (/clear: carries the thread on, with the brief)", bound: bound,
			prepare: b.clearing,
			payload: func(i int) map[string]any {
				return payload("SessionStart", repo, fmt.Sprintf("conv-clear-%d", i), map[string]any{"source": "clear"})
			}},
	}
}

func git(dir string, args ...string) error {
	out, err := exec.Command("git", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("git %v: %v: %s", args, err, out)
	}
	return nil
}

func commit(repo, msg string) error {
	return git(repo, "-C", repo, "-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-q", "--allow-empty", "-m", msg)
}

// turn prepares a Stop of conversation id after a turn of about 30 kB: a
// prompt, a file read (one of this repository's Go files) and its result,
// the answer, added to its transcript. The first time it starts the
// conversation. settle first waits for the last Stop's archive child (an
// append of its own queues behind it, on the conversation's lock), so
// that no child of the bench's own loads the machine while a Stop is
// timed.
func (b *bench) turn(id string, settle bool) func(i int) error {
	path := filepath.Join(b.projects, id+".jsonl")
	return func(i int) error {
		if i == -3 {
			p := payload("SessionStart", b.repo, id, map[string]any{"source": "startup"})
			p["transcript_path"] = path
			if _, err := b.fire(p, nil); err != nil {
				return err
			}
		}
		if settle && i > -3 {
			manage := filepath.Join(filepath.Dir(b.hook), "sess-manage")
			cmd := exec.Command(manage, "transcripts", "append", id, "--transcript", path)
			cmd.Env = b.env
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("%s (build it beside sess-hook): %v: %s", manage, err, out)
			}
		}
		files, _ := filepath.Glob("internal/*/*.go")
		src := strings.Repeat("// a file the model read\n", 1200)
		if len(files) > 0 {
			if data, err := os.ReadFile(files[(i+len(files))%len(files)]); err == nil {
				src = string(data)
			}
		}
		result, _ := json.Marshal(src[:min(len(src), 28000)])
		rows := fmt.Sprintf(`{"type":"user","uuid":"u%[1]d","message":{"role":"user","content":"Step %[1]d: read the next file"}}
{"type":"assistant","uuid":"a%[1]d","message":{"role":"assistant","content":[{"type":"tool_use","id":"t%[1]d","name":"Read","input":{"file_path":"/src/f%[1]d.go"}}]}}
{"type":"user","uuid":"r%[1]d","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t%[1]d","content":%[2]s}]}}
{"type":"assistant","uuid":"b%[1]d","message":{"role":"assistant","content":[{"type":"text","text":"Finished step %[1]d."}]}}
`, i, result)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		_, err = f.WriteString(rows)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
}

// turnStop is the Stop of conversation id after a turn (see turn).
func (b *bench) turnStop(id string) func(i int) map[string]any {
	return func(i int) map[string]any {
		p := payload("Stop", b.repo, id, map[string]any{"last_assistant_message": fmt.Sprintf("Finished step %d.", i)})
		p["transcript_path"] = filepath.Join(b.projects, id+".jsonl")
		return p
	}
}
