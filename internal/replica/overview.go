package replica

import (
	"net/url"
	"slices"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/overview"
)

// Overview is the dashboard overview of every machine: this machine's,
// with each other machine's sessions placed in the project they are of,
// marked with their machine. A project is one across machines when its
// git remote is the same (git@host:o/r.git and https://host/o/r are one),
// else when its slug is; one only another machine has is added.
func (j *Journal) Overview() (*overview.Overview, error) {
	ov, err := overview.Read(j.Local)
	if err != nil || len(j.Others) == 0 {
		return ov, err
	}
	var keys []string // of ov.Projects, by index
	byKey, bySlug := map[string]int{}, map[string]int{}
	add := func(p overview.Project, key string) {
		byKey[key], bySlug[p.Slug] = len(ov.Projects), len(ov.Projects)
		keys = append(keys, key)
	}
	projects := ov.Projects
	ov.Projects = []overview.Project{}
	for _, p := range projects {
		add(p, projectKey(p.Slug, gitRemote(p.Path)))
		ov.Projects = append(ov.Projects, p)
	}
	for _, m := range j.Others {
		theirs, err := overview.Of(m.Store.View())
		if err != nil {
			continue // warned of by its store
		}
		for _, p := range theirs.Projects {
			markProject(&p, m.Name)
			k := projectKey(p.Slug, m.Projects[p.Slug].GitRemote)
			i, ok := byKey[k]
			if !ok {
				// The same slug is the same project unless both know
				// their repositories and they differ.
				i, ok = bySlug[p.Slug]
				ok = ok && !(hasRemote(k) && hasRemote(keys[i]))
			}
			if ok {
				mergeProject(&ov.Projects[i], &p)
				continue
			}
			add(p, k)
			ov.Projects = append(ov.Projects, p)
		}
	}
	return ov, nil
}

// projectKey is what makes two machines' projects one: the repository,
// else the slug.
func projectKey(slug, remote string) string {
	if r := NormalizeRemote(remote); r != "" {
		return "git:" + r
	}
	return "slug:" + slug
}

func hasRemote(key string) bool { return strings.HasPrefix(key, "git:") }

// NormalizeRemote is a git remote as host/path, whatever its form (scp
// style, ssh://, https://, with or without .git or a user): "" for none.
func NormalizeRemote(remote string) string {
	r := strings.TrimSpace(remote)
	if r == "" {
		return ""
	}
	if u, err := url.Parse(r); err == nil && u.Host != "" {
		r = u.Hostname() + "/" + strings.TrimPrefix(u.Path, "/")
	} else if at := strings.Index(r, "@"); at >= 0 && strings.Contains(r[at:], ":") {
		host, path, _ := strings.Cut(r[at+1:], ":") // git@host:owner/repo.git
		r = host + "/" + strings.TrimPrefix(path, "/")
	} else if host, path, ok := strings.Cut(r, ":"); ok && !strings.Contains(host, "/") {
		r = host + "/" + strings.TrimPrefix(path, "/")
	}
	r = strings.TrimSuffix(strings.TrimSuffix(r, "/"), ".git")
	host, path, _ := strings.Cut(r, "/")
	return strings.ToLower(host) + "/" + path
}

// markProject marks every session of a project with its machine.
func markProject(p *overview.Project, name string) {
	m := &name
	for i := range p.ActiveSessions {
		p.ActiveSessions[i].Machine = m
	}
	for i := range p.ParkedSessions {
		p.ParkedSessions[i].Machine = m
	}
	for i := range p.CompletedSessions {
		p.CompletedSessions[i].Machine = m
	}
}

// mergeProject adds another machine's part of a project to this one's.
func mergeProject(p, o *overview.Project) {
	p.ActiveSessions = append(p.ActiveSessions, o.ActiveSessions...)
	p.ParkedSessions = append(p.ParkedSessions, o.ParkedSessions...)
	p.CompletedSessions = append(p.CompletedSessions, o.CompletedSessions...)
	slices.SortStableFunc(p.CompletedSessions, func(a, b overview.Completed) int {
		return strings.Compare(session.SortKey(session.Deref(b.EndedAt)), session.SortKey(session.Deref(a.EndedAt)))
	})
	if len(p.CompletedSessions) > 5 {
		p.CompletedSessions = p.CompletedSessions[:5]
	}
	p.ActiveCount, p.ParkedCount = len(p.ActiveSessions), len(p.ParkedSessions)
	p.TotalSessions += o.TotalSessions
	if session.SortKey(o.LastActivity) > session.SortKey(p.LastActivity) {
		p.LastActivity = o.LastActivity
	}
	if len(p.NextSteps) == 0 {
		p.NextSteps = o.NextSteps
	}
	if p.Path == "" {
		p.Path = o.Path
	}
}
