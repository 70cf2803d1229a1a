package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/sess-dev/sess/internal/journal/hook"

	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/sess-dev/sess/internal/cli"
	"github.com/sess-dev/sess/internal/hookio"
	"github.com/sess-dev/sess/internal/journal"
	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store"
)

// commands builds every command of sess-manage, in the order its usage
// lists them.
func (a *app) commands() []*ffcli.Command {
	return []*ffcli.Command{
		a.registerProject(), a.listProjects(),
		a.createSession(), a.registerLaunch(), a.getSession(), a.updateSession(),
		a.addEvent(), a.addCommit(), a.addDecision(), a.captureCommits(),
		a.requestAction(), a.clearAction(),
		a.addTask(), a.addTasks(), a.updateTask(),
		a.heartbeat(), a.heartbeatProject(),
		a.parkSession(), a.resumeSession(), a.completeSession(),
		a.listByStatus("active-sessions", session.StatusActive), a.listByStatus("parked-sessions", session.StatusParked),
		a.staleSessions(), a.cleanupStale(), a.cleanupLocks(), a.archive(),
		a.listSessions(), a.launchPlan(), a.freshSessions(), a.thread(), a.brief(), a.search(),
		a.projectState(), a.updateProjectState(),
		a.export(), a.exportAll(), a.exportPrune(), a.importConversations(), a.transcripts(), a.usage(), a.machine(), a.syncCmd(), a.serve(), a.setup(), a.hooks(), a.checkNotify(), a.rebuildIndex(), a.overview(), a.version(),
	}
}

func (a *app) version() *ffcli.Command {
	return a.command(spec{
		name: "version", help: "print the version of sess-manage",
		run: func(ctx context.Context, _ []string) (any, error) {
			return map[string]string{"version": cli.Version(version)}, nil
		},
	})
}

func (a *app) registerProject() *ffcli.Command {
	var name, path string
	return a.command(spec{
		name: "register-project", usage: "--name NAME --path PATH",
		help:     "register a project (idempotent); its slug is the folder name",
		required: []string{"name", "path"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&name, "name", "", "display name")
			fs.StringVar(&path, "path", "", "absolute path of the project")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			slug, err := a.store().RegisterProject(name, path)
			if err != nil {
				return nil, err
			}
			return map[string]string{"slug": slug, "status": "registered"}, nil
		},
	})
}

func (a *app) listProjects() *ffcli.Command {
	return a.command(spec{
		name: "list-projects", help: "list registered projects",
		run: func(ctx context.Context, _ []string) (any, error) {
			return store.ProjectList(a.store().View().Config().Projects), nil
		},
	})
}

func (a *app) createSession() *ffcli.Command {
	var project, intent, branch string
	var roadmap, worktree optString
	return a.command(spec{
		name: "create-session", usage: "--project SLUG --intent TEXT [--roadmap-ref REF] [--git-branch main] [--worktree-root DIR]",
		help:     "create an active session",
		required: []string{"project", "intent"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&project, "project", "", "project slug")
			fs.StringVar(&intent, "intent", "", "what this session will do")
			fs.Var(&roadmap, "roadmap-ref", "roadmap reference (e.g. 'FASE D.3')")
			fs.StringVar(&branch, "git-branch", "main", "git branch")
			fs.Var(&worktree, "worktree-root", "absolute git work-tree root")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			return a.store().CreateSession(store.NewSession{
				Project: project, Intent: intent, RoadmapRef: roadmap.ptr(),
				GitBranch: branch, WorktreeRoot: worktree.ptr(),
			})
		},
	})
}

func (a *app) registerLaunch() *ffcli.Command {
	var claudeID, project optString
	var worktree, intent optString
	var fromHook bool
	return a.command(spec{
		name: "register-launch", usage: "(--claude-session-id ID --project SLUG | --from-hook) [--worktree-root DIR] [--intent TEXT]",
		help: "register a Claude Code session by its id (idempotent); prints the session id",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&claudeID, "claude-session-id", "Claude Code's session id")
			fs.Var(&project, "project", "project slug or folder name")
			fs.Var(&worktree, "worktree-root", "absolute git work-tree root")
			fs.Var(&intent, "intent", "placeholder intent")
			fs.BoolVar(&fromHook, "from-hook", false, "read the SessionStart hook's JSON from stdin; never fail the hook")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			if fromHook {
				return a.launchFromHook(project.ptr(), worktree.ptr(), intent.ptr()), nil
			}
			if !claudeID.set || !project.set {
				return nil, cli.Usagef("give --claude-session-id and --project, or --from-hook")
			}
			sess, _, err := journal.RegisterLaunch(a.store(), journal.Launch{ClaudeSessionID: claudeID.v, Project: project.v, WorktreeRoot: worktree.ptr(), Intent: intent.ptr()})
			if err != nil {
				return nil, err
			}
			return raw(sess.SessionID), nil
		},
	})
}

// launchFromHook registers the session of a SessionStart hook from its
// stdin JSON. Claude Code adds the hook's stdout to the model's context, so
// it prints one short line naming the session; it never fails the hook:
// anything wrong is one line on stderr, and exit status 0.
func (a *app) launchFromHook(project, worktree, intent *string) raw {
	h := hook.New(a.store(), a.getenv, a.stderr, "sess-manage register-launch")
	return raw(h.Launch(hookio.Read(a.stdin), project, worktree, intent))
}

func (a *app) getSession() *ffcli.Command {
	return a.command(spec{
		name: "get-session", usage: "<session-id>", args: []string{"session-id"},
		help: "print a session (archived ones too), with what its conversation cost",
		run: func(ctx context.Context, args []string) (any, error) {
			s, _, err := a.journal().Session(args[0])
			if err != nil {
				return nil, err
			}
			return a.withCost(s)
		},
	})
}

func (a *app) updateSession() *ffcli.Command {
	var intent, activity, roadmap optString
	return a.command(spec{
		name: "update-session", writes: true, usage: "<session-id> [--intent TEXT] [--current-activity TEXT] [--roadmap-ref REF]",
		args: []string{"session-id"},
		help: "set intent, current activity or roadmap ref (the heartbeat is left alone)",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&intent, "intent", "new intent")
			fs.Var(&activity, "current-activity", "what the session is doing now")
			fs.Var(&roadmap, "roadmap-ref", "roadmap reference")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().UpdateSession(args[0], store.SessionPatch{
				Intent: intent.ptr(), CurrentActivity: activity.ptr(), RoadmapRef: roadmap.ptr(),
			})
		},
	})
}

func (a *app) addEvent() *ffcli.Command {
	var message string
	return a.command(spec{
		name: "add-event", writes: true, usage: "<session-id> --message TEXT", args: []string{"session-id"},
		help: "append an event to the session's log", required: []string{"message"},
		flags: func(fs *flag.FlagSet) { fs.StringVar(&message, "message", "", "event message") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().AddEvent(args[0], message)
		},
	})
}

func (a *app) addCommit() *ffcli.Command {
	var sha, message string
	return a.command(spec{
		name: "add-commit", writes: true, usage: "<session-id> --sha SHA --message TEXT", args: []string{"session-id"},
		help: "record a commit (once per sha)", required: []string{"sha", "message"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&sha, "sha", "", "commit sha (4 to 40 hex digits)")
			fs.StringVar(&message, "message", "", "commit message")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().AddCommit(args[0], sha, message)
		},
	})
}

func (a *app) addDecision() *ffcli.Command {
	var decision string
	return a.command(spec{
		name: "add-decision", writes: true, usage: "<session-id> --decision TEXT", args: []string{"session-id"},
		help: "record a decision (once per text)", required: []string{"decision"},
		flags: func(fs *flag.FlagSet) { fs.StringVar(&decision, "decision", "", "decision text") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().AddDecision(args[0], decision)
		},
	})
}

func (a *app) requestAction() *ffcli.Command {
	var reason optString
	return a.command(spec{
		name: "request-action", writes: true, usage: "<session-id> [--reason TEXT]", args: []string{"session-id"},
		help:  "flag the session as waiting for the user",
		flags: func(fs *flag.FlagSet) { fs.Var(&reason, "reason", "why the user is needed") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().RequestAction(args[0], reason.ptr())
		},
	})
}

func (a *app) clearAction() *ffcli.Command {
	var reason optString
	return a.command(spec{
		name: "clear-action", writes: true, usage: "<session-id>", args: []string{"session-id"},
		help:  "clear the awaiting-action flag",
		flags: func(fs *flag.FlagSet) { fs.Var(&reason, "reason", "ignored") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().ClearAction(args[0])
		},
	})
}

func (a *app) addTask() *ffcli.Command {
	var subject string
	return a.command(spec{
		name: "add-task", writes: true, usage: "<session-id> --subject TEXT", args: []string{"session-id"},
		help: "add a task (once per subject)", required: []string{"subject"},
		flags: func(fs *flag.FlagSet) { fs.StringVar(&subject, "subject", "", "task description") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().AddTasks(args[0], []string{subject})
		},
	})
}

func (a *app) addTasks() *ffcli.Command {
	subjects := &cli.Strings{AtLeast: 1}
	return a.command(spec{
		name: "add-tasks", writes: true, usage: "<session-id> --subjects TEXT [TEXT ...]", args: []string{"session-id"},
		help: "add several tasks (once per subject)", required: []string{"subjects"},
		flags: func(fs *flag.FlagSet) { fs.Var(subjects, "subjects", "task descriptions") },
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().AddTasks(args[0], subjects.Values)
		},
	})
}

func (a *app) updateTask() *ffcli.Command {
	var taskID string
	status := &cli.Choice{Allowed: []string{"pending", "in_progress", "completed", "skipped"}, Name: "STATUS"}
	var subject optString
	return a.command(spec{
		name: "update-task", writes: true, usage: "<session-id> (--task-id TID | <task-id>) --status STATUS [--subject TEXT]",
		args: []string{"session-id", "task-id"}, optionalArgs: 1,
		help:     "set a task's status (pending, in_progress, completed, skipped) and optionally rename it",
		required: []string{"status"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&taskID, "task-id", "", "task id (also accepted as the second argument)")
			fs.Var(status, "status", "the task's new status")
			fs.Var(&subject, "subject", "new subject")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			tid := taskID
			switch {
			case len(args) == 2 && tid != "" && tid != args[1]:
				return nil, cli.Usagef("task id given twice: %q and --task-id %q", args[1], tid)
			case len(args) == 2:
				tid = args[1]
			case tid == "":
				return nil, cli.Usagef("missing task id: give --task-id TID or a second argument")
			}
			return a.store().UpdateTask(args[0], tid, session.TaskStatus(status.Value), subject.ptr())
		},
	})
}

func (a *app) heartbeat() *ffcli.Command {
	return a.command(spec{
		name: "heartbeat", writes: true, usage: "<session-id>", args: []string{"session-id"},
		help: "refresh an active session's heartbeat",
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().Heartbeat(args[0])
		},
	})
}

func (a *app) heartbeatProject() *ffcli.Command {
	return a.command(spec{
		name: "heartbeat-project", usage: "<project-slug>", args: []string{"project-slug"},
		help: "refresh the heartbeat of the project's most recently started active session",
		run: func(ctx context.Context, args []string) (any, error) {
			ids, err := journal.HeartbeatProject(a.store(), args[0])
			if err != nil {
				return nil, err
			}
			return struct {
				Updated    int      `json:"updated"`
				SessionIDs []string `json:"session_ids"`
			}{len(ids), ids}, nil
		},
	})
}

// nilIfEmpty treats a multi-value flag given without values as not given,
// as the original does for next steps and files changed.
func nilIfEmpty(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

func (a *app) parkSession() *ffcli.Command {
	var reason string
	steps := &cli.Strings{}
	return a.command(spec{
		name: "park-session", writes: true, usage: "<session-id> --reason TEXT [--next-steps TEXT ...]", args: []string{"session-id"},
		help: "park a session (the first three next steps are kept)", required: []string{"reason"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&reason, "reason", "", "why the session is parked")
			fs.Var(steps, "next-steps", "what to do on resume")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().ParkSession(args[0], reason, nilIfEmpty(steps.Values))
		},
	})
}

func (a *app) resumeSession() *ffcli.Command {
	var intent optString
	return a.command(spec{
		name: "resume-session", usage: "<session-id> [--intent TEXT]", args: []string{"session-id"},
		help:  "continue a parked session as a new active one (another machine's too: its thread goes on here); prints the new session",
		flags: func(fs *flag.FlagSet) { fs.Var(&intent, "intent", "new intent (default: the parked one's)") },
		run: func(ctx context.Context, args []string) (any, error) {
			s, err := a.store().ResumeSession(args[0], intent.ptr())
			var se *session.Error
			if errors.As(err, &se) && se.Code == session.CodeNotFound {
				if j := a.journal(); j.Owner(args[0]) != nil {
					return j.ResumeElsewhere(args[0], intent.ptr())
				}
			}
			return s, err
		},
	})
}

func (a *app) completeSession() *ffcli.Command {
	var outcome string
	var commits optString
	steps, files, decisions := &cli.Strings{}, &cli.Strings{}, &cli.Strings{}
	return a.command(spec{
		name:   "complete-session",
		writes: true,
		usage:  "<session-id> --outcome TEXT [--next-steps TEXT ...] [--commits JSON] [--files-changed FILE ...] [--decisions TEXT ...]",
		args:   []string{"session-id"}, required: []string{"outcome"},
		help: "complete a session (the first three next steps are kept)",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&outcome, "outcome", "", "what was achieved")
			fs.Var(steps, "next-steps", "what should happen next")
			fs.Var(&commits, "commits", `JSON array of {"sha", "message"} (replaces the session's commits)`)
			fs.Var(files, "files-changed", "files changed (replaces the list)")
			fs.Var(decisions, "decisions", "decisions (replaces the list)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			c := store.Completion{
				Outcome: outcome, NextSteps: nilIfEmpty(steps.Values),
				FilesChanged: nilIfEmpty(files.Values), Decisions: nilIfEmpty(decisions.Values),
			}
			if commits.set && commits.v != "" {
				list, err := parseCommits(commits.v)
				if err != nil {
					return nil, err
				}
				c.Commits = list
			}
			return a.store().CompleteSession(args[0], c)
		},
	})
}

// parseCommits reads --commits: a JSON array of objects with a string sha
// and message. Other keys are ignored.
func parseCommits(s string) ([]session.Commit, error) {
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, &session.Error{Code: session.CodeValidation, Field: "commits", Message: "want a JSON array of {\"sha\", \"message\"} objects", Err: err}
	}
	out := make([]session.Commit, 0, len(raw))
	for i, obj := range raw {
		var c session.Commit
		for key, dst := range map[string]*string{"sha": &c.SHA, "message": &c.Message} {
			v, ok := obj[key]
			if !ok || json.Unmarshal(v, dst) != nil {
				return nil, &session.Error{Code: session.CodeValidation, Field: fmt.Sprintf("commits[%d].%s", i, key), Message: "must be a string"}
			}
		}
		out = append(out, c)
	}
	return store.CleanCommits(out)
}

func (a *app) listByStatus(name string, status session.Status) *ffcli.Command {
	var project string
	return a.command(spec{
		name: name, usage: "[--project SLUG]", help: "list " + string(status) + " sessions, newest first",
		flags: func(fs *flag.FlagSet) { fs.StringVar(&project, "project", "", "only this project") },
		run: func(ctx context.Context, _ []string) (any, error) {
			if !canExist(project) {
				return []*session.Session{}, nil
			}
			return nonNil(a.journal().List(store.Filter{Project: project, Status: status}))
		},
	})
}

// canExist reports whether a --project filter can match a session: a text
// that is no valid slug names no project, so it matches nothing, and a
// listing prints [] as the original's does (it is no error).
func canExist(project string) bool {
	return project == "" || session.ValidateSlug(project) == nil
}

// nonNil makes an empty listing print as [].
func nonNil(list []*session.Session, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*session.Session{}
	}
	return list, nil
}

func (a *app) staleSessions() *ffcli.Command {
	return a.command(spec{
		name: "stale-sessions", help: "list active sessions without a heartbeat for stale_threshold_hours",
		run: func(ctx context.Context, _ []string) (any, error) {
			return nonNil(a.store().View().Stale(0))
		},
	})
}

func (a *app) cleanupStale() *ffcli.Command {
	return a.command(spec{
		name: "cleanup-stale", help: "complete stale sessions and remove orphaned locks",
		run: func(ctx context.Context, _ []string) (any, error) {
			ids, err := a.store().CleanupStale(0, false)
			if err != nil {
				return nil, err
			}
			if _, err := a.store().CleanupLocks(false); err != nil {
				fmt.Fprintf(a.stderr, "sess: warning: could not remove orphaned locks: %v\n", err)
			}
			return struct {
				Cleaned    int      `json:"cleaned"`
				SessionIDs []string `json:"session_ids"`
			}{len(ids), ids}, nil
		},
	})
}

func (a *app) cleanupLocks() *ffcli.Command {
	return a.command(spec{
		name: "cleanup-locks", help: "remove .lock files that have no session",
		run: func(ctx context.Context, _ []string) (any, error) {
			files, err := a.store().CleanupLocks(false)
			if err != nil {
				return nil, err
			}
			return struct {
				Removed int      `json:"removed"`
				Files   []string `json:"files"`
			}{len(files), files}, nil
		},
	})
}

func (a *app) archive() *ffcli.Command {
	var days optInt
	var id optString
	return a.command(spec{
		name: "archive", usage: "[--days N] [--session-id ID]",
		help: "move completed sessions older than N days (default archive_after_days), or one by id, to the archive",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&days, "days", "age in days, 1 to 3650 (default: config archive_after_days)")
			fs.Var(&id, "session-id", "archive this completed session")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			if id.set {
				if err := a.store().ArchiveSession(id.v); err != nil {
					return nil, err
				}
				return map[string]string{"archived": id.v}, nil
			}
			n := 0 // the config's archive_after_days
			if days.set {
				// Given, it must be a day or more, as in the original:
				// --days 0 would archive every completed session.
				if err := session.ValidateDays(days.n); err != nil {
					return nil, err
				}
				n = days.n
			}
			ids, err := a.store().ArchiveOld(n, false)
			if err != nil {
				return nil, err
			}
			return struct {
				Archived   int      `json:"archived"`
				SessionIDs []string `json:"session_ids"`
			}{len(ids), ids}, nil
		},
	})
}

func (a *app) listSessions() *ffcli.Command {
	var project, since string
	status := &cli.Choice{Allowed: []string{"active", "parked", "completed"}, Name: "STATUS"}
	var limit int
	var archived bool
	return a.command(spec{
		name: "list-sessions", usage: "[--project SLUG] [--status STATUS] [--since YYYY-MM-DD] [--limit 20] [--include-archived]",
		help: "list sessions, newest started first",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&project, "project", "", "only this project")
			fs.Var(status, "status", "only sessions of this status")
			fs.StringVar(&since, "since", "", "only sessions started on or after this day")
			fs.IntVar(&limit, "limit", 20, "at most this many; 0 lists nothing")
			fs.BoolVar(&archived, "include-archived", false, "include archived sessions")
		},
		run: func(ctx context.Context, _ []string) (any, error) {
			// As the original: --limit 0 lists nothing and any larger
			// limit is taken as it is; a negative one is refused.
			if limit < 0 {
				return nil, session.Invalid("limit", "must be 0 or more (got %d)", limit)
			}
			if since != "" {
				if err := store.ValidateSince(since); err != nil {
					return nil, err
				}
			}
			if limit == 0 || !canExist(project) {
				return []*session.Session{}, nil
			}
			return nonNil(a.journal().List(store.Filter{
				Project: project, Status: session.Status(status.Value), Since: since, Limit: limit, IncludeArchived: archived,
			}))
		},
	})
}

func (a *app) launchPlan() *ffcli.Command {
	var path string
	return a.command(spec{
		name: "launch-plan", usage: "--path WORKTREE", required: []string{"path"},
		help:  "print WORKTREE if a fresh active session occupies that work tree, else MAIN",
		flags: func(fs *flag.FlagSet) { fs.StringVar(&path, "path", "", "git work-tree root") },
		run: func(ctx context.Context, _ []string) (any, error) {
			fresh, err := a.store().View().FreshForWorktree(path)
			if err != nil {
				return nil, err
			}
			if len(fresh) > 0 {
				return raw("WORKTREE"), nil
			}
			return raw("MAIN"), nil
		},
	})
}

func (a *app) freshSessions() *ffcli.Command {
	var path string
	return a.command(spec{
		name: "fresh-sessions", usage: "--path WORKTREE", required: []string{"path"},
		help:  "list the fresh active sessions occupying a work tree",
		flags: func(fs *flag.FlagSet) { fs.StringVar(&path, "path", "", "git work-tree root") },
		run: func(ctx context.Context, _ []string) (any, error) {
			fresh, err := a.store().View().FreshForWorktree(path)
			if err != nil {
				return nil, err
			}
			type occupant struct {
				SessionID       string  `json:"session_id"`
				ClaudeSessionID *string `json:"claude_session_id"`
				StartedAt       string  `json:"started_at"`
			}
			out := []occupant{}
			for _, s := range fresh {
				out = append(out, occupant{s.SessionID, s.ClaudeSessionID, s.StartedAt})
			}
			return out, nil
		},
	})
}

func (a *app) projectState() *ffcli.Command {
	return a.command(spec{
		name: "project-state", usage: "<project-slug>", args: []string{"project-slug"},
		help: "print a project's state",
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().View().ProjectState(args[0])
		},
	})
}

func (a *app) updateProjectState() *ffcli.Command {
	var phase optString
	completed, inProgress, nextUp := &cli.Strings{}, &cli.Strings{}, &cli.Strings{}
	return a.command(spec{
		name:  "update-project-state",
		usage: "<project-slug> [--current-phase TEXT] [--completed ITEM ...] [--in-progress ITEM ...] [--next-up ITEM ...]",
		args:  []string{"project-slug"},
		help:  "set a project's phase and roadmap (a list flag without items clears the list)",
		flags: func(fs *flag.FlagSet) {
			fs.Var(&phase, "current-phase", "current phase")
			fs.Var(completed, "completed", "completed roadmap items")
			fs.Var(inProgress, "in-progress", "roadmap items in progress")
			fs.Var(nextUp, "next-up", "next roadmap items (first three kept)")
		},
		run: func(ctx context.Context, args []string) (any, error) {
			return a.store().UpdateProjectState(args[0], store.ProjectStatePatch{
				CurrentPhase: phase.ptr(), Completed: completed.OrNil(),
				InProgress: inProgress.OrNil(), NextUp: nextUp.OrNil(),
			})
		},
	})
}

func (a *app) rebuildIndex() *ffcli.Command {
	return a.command(spec{
		name: "rebuild-index", help: "rebuild the session index from the session files",
		run: func(ctx context.Context, _ []string) (any, error) {
			n, err := a.store().RebuildIndex()
			if err != nil {
				return nil, err
			}
			return struct {
				Status  string `json:"status"`
				Entries int    `json:"entries"`
			}{"rebuilt", n}, nil
		},
	})
}

func (a *app) overview() *ffcli.Command {
	return a.command(spec{
		name: "overview", help: "the dashboard overview (the JSON of GET /api/overview), with today's and this month's spend",
		run: func(ctx context.Context, _ []string) (any, error) {
			ov, err := a.journal().Overview()
			if err != nil {
				return nil, err
			}
			return a.withSpend(ov)
		},
	})
}
