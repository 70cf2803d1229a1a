// The sess dashboard. Every value from the store is untrusted text: it is
// only ever put into the page as textContent (or an encoded URL path), never
// as markup. Updates arrive over Server-Sent Events, with polling as the
// fallback.
//
// Three lists: the overview (every project with its open sessions and its
// newest completed ones), a project's whole history, paged from
// /api/sessions, and a search of the whole store through /api/search. The
// URL says which session is open (#/session/<id>) and which project is
// chosen (#/project/<slug>), so that Back and links work.
//
// One journal across machines: with a folder shared with the user's other
// machines, the server's answers carry their sessions too, each marked
// with its machine's name ("machine"), and the overview names the other
// machines ("machines"). The page marks each such session "on <name>"
// wherever it shows it, and a machine silent for a week as such; another
// machine's session can be read and exported here, not changed (nothing on
// the page changes a session). One machine alone sees no mark.
'use strict';

const PAGE = 25; // sessions per page of a history or a search

const state = {
  overview: null, // GET /api/overview: the registered projects
  others: [], // GET /api/unregistered: the projects config.json does not list, in the overview's shape
  projects: [], // GET /api/projects: every project's counts, archive included
  etags: {},
  filter: 'all',
  search: '',
  project: '',
  expanded: new Set(),
  detail: null, // session id shown in the detail view
  conversation: null, // {id, next, loading}: the conversation shown, and its next page's offset
  listed: null, // {key, sessions, total, counts}: the server's answer for the project or search list
  activity: null,
  usage: null, // GET /api/usage: what the conversations cost
  unit: kept('sess-unit') === 'dollars' ? 'dollars' : 'hours', // what the activity picture's bars show
  cost: null, // {id, body}: GET /api/session/:id/cost of the session shown
  scroll: 0, // the list's scroll position when the detail view opened
};

const $ = (sel) => document.querySelector(sel);

// str is a value as text: nothing for null and undefined.
const str = (v) => (v === null || v === undefined ? '' : String(v));
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const list = (v) => (Array.isArray(v) ? v : []);

// intentOf is what a session is about, in words: its intent, else (while
// the intent is a launch placeholder) Claude Code's title of the
// conversation, else that it has none yet.
const placeholders = new Set(['(launch — sessie-start volgt)', '(launched — intent not set yet)']);
function intentOf(s) {
  if (s.intent && !placeholders.has(s.intent)) return s.intent;
  return s.title || (s.intent ? '(no intent yet: waiting for the first prompt)' : '(no intent)');
}

// el makes an element: el('div', {class: 'x', text: 'y', title: 'z'}, child...).
// Null, undefined and false children are left out.
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = str(v);
    else if (k === 'data') for (const [dk, dv] of Object.entries(v)) e.dataset[dk] = str(dv);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else e.setAttribute(k, str(v));
  }
  fill(e, children, true);
  return e;
}

// fill puts children into e (after what it has, or instead of it).
function fill(e, children, append) {
  const kept = children.flat().filter((c) => c !== null && c !== undefined && c !== false);
  if (append) e.append(...kept);
  else e.replaceChildren(...kept);
  return e;
}

// ---- time ----------------------------------------------------------------

const MINUTE = 60000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => String(n).padStart(2, '0');

// parseTime reads a stored timestamp; naive ones are UTC in the store.
function parseTime(s) {
  if (!s || typeof s !== 'string') return null;
  let iso = s.trim().replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\d$/.test(iso)) iso += 'T00:00:00';
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

// clock is a stored time in local time: "Tue 14:05" within a week of now,
// "Tue 3 Feb 14:05" further away, with the year when it is not this one.
// What does not parse shows as it is.
function clock(s) {
  const t = parseTime(s);
  if (t === null) return str(s);
  const d = new Date(t), now = new Date();
  let out = DAYS[d.getDay()];
  if (Math.abs(now - d) > 6 * DAY) {
    out += ' ' + d.getDate() + ' ' + MONTHS[d.getMonth()];
    if (d.getFullYear() !== now.getFullYear()) out += ' ' + d.getFullYear();
  }
  return out + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

// duration: "under a minute", "45 min", "2 h 10 min", "3 d 4 h"; '' when
// not known.
function duration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const min = Math.floor(ms / MINUTE);
  if (min < 1) return 'under a minute';
  if (min < 60) return min + ' min';
  const h = Math.floor(min / 60), m = min % 60;
  if (h < 48) return h + ' h' + (m ? ' ' + m + ' min' : '');
  const d = Math.floor(h / 24), hh = h % 24;
  return d + ' d' + (hh ? ' ' + hh + ' h' : '');
}

// between is the duration from stored time a to stored time b, or ''.
function between(a, b) {
  const ta = parseTime(a), tb = parseTime(b);
  return ta === null || tb === null ? '' : duration(tb - ta);
}

function relative(s) {
  const t = parseTime(s);
  if (t === null) return '';
  const sec = Math.round((Date.now() - t) / 1000);
  if (sec < 45) return 'just now';
  const min = Math.round(sec / 60);
  if (min < 60) return min + 'm ago';
  const h = Math.round(min / 60);
  if (h < 48) return h + 'h ago';
  return Math.round(h / 24) + 'd ago';
}

function timeEl(s) {
  const t = el('time', {class: 'card-time', text: relative(s), title: clock(s)});
  t.dataset.ts = str(s);
  return t;
}

// tick keeps the relative times true.
function tick() {
  for (const t of document.querySelectorAll('time.card-time[data-ts]')) {
    if (t.dataset.ts) t.textContent = relative(t.dataset.ts);
  }
  for (const t of document.querySelectorAll('time.state-for[data-since]')) t.textContent = sinceText(t.dataset.since);
}

// ---- data ----------------------------------------------------------------

async function fetchJSON(url, etag, signal) {
  const headers = etag ? {'If-None-Match': etag} : {};
  const r = await fetch(url, {headers, cache: 'no-cache', signal});
  if (r.status === 304) return {notModified: true};
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
  return {body, etag: r.headers.get('ETag')};
}

// fetchKept fetches url with the ETag of its last answer; it returns the
// new body, or null when the answer has not changed.
async function fetchKept(url) {
  const res = await fetchJSON(url, state.etags[url]);
  if (res.notModified) return null;
  state.etags[url] = res.etag;
  return res.body;
}

// errors are what went wrong, by what was asked for (the dashboard, the
// list, the session); the banner shows them until that is asked for again.
const errors = {dashboard: '', list: '', session: ''};

function showError(src, msg) {
  errors[src] = msg ? str(msg) : '';
  const b = $('#error-banner');
  const text = [errors.dashboard && 'Could not load the dashboard: ' + errors.dashboard,
    errors.list && 'Could not load the list: ' + errors.list,
    errors.session && 'Could not open the session: ' + errors.session].filter(Boolean).join(' · ');
  b.textContent = text;
  b.hidden = !text;
}

let loading = false;
let again = false;

async function refresh() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const [ov, others, projects] = await Promise.all(
      ['/api/overview', '/api/unregistered', '/api/projects'].map(fetchKept));
    showError('dashboard', null);
    if (ov) state.overview = ov;
    if (others) state.others = list(others.projects);
    if (projects) state.projects = list(projects.projects);
    if (ov || others || projects) {
      render();
      loadActivity();
      loadUsage();
      if (mode() !== 'overview') loadList(false);
      if (state.detail && !state.conversation) showDetail(state.detail, true);
    }
    $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    showError('dashboard', e.message);
  } finally {
    loading = false;
    if (again) { again = false; refresh(); }
  }
}

// ---- the lists -------------------------------------------------------------

// mode is the list shown: a search of the store, a project's history, or
// the overview.
function mode() {
  if (state.search.trim()) return 'search';
  return state.project ? 'project' : 'overview';
}

// listKey names what the server list must answer; an answer for another
// key is out of date.
function listKey() {
  const m = mode();
  if (m === 'search') return ['search', state.search.trim().toLowerCase(), state.project, state.filter].join('\n');
  if (m === 'project') return ['project', state.project, state.filter].join('\n');
  return '';
}

function listURL(offset, limit) {
  const q = new URLSearchParams();
  if (mode() === 'search') q.set('q', state.search.trim());
  if (state.project) q.set('project', state.project);
  q.set('status', state.filter);
  q.set('offset', String(offset));
  q.set('limit', String(limit));
  return (mode() === 'search' ? '/api/search?' : '/api/sessions?') + q.toString();
}

let listCtl = null;

// loadList asks the server for the project or search list: the next page
// (more), or again as many sessions as are shown.
async function loadList(more) {
  const key = listKey();
  if (!key) { state.listed = null; return; }
  const cur = state.listed && state.listed.key === key ? state.listed : null;
  const from = more && cur ? cur.sessions.length : 0;
  const want = more || !cur ? PAGE : Math.max(PAGE, cur.sessions.length);
  if (listCtl) listCtl.abort();
  const ctl = listCtl = new AbortController();
  try {
    let got = [], body = null;
    for (let off = from; ;) {
      const limit = Math.min(100, want - (off - from));
      body = (await fetchJSON(listURL(off, limit), null, ctl.signal)).body;
      const page = list(body.sessions);
      got = got.concat(page);
      off += page.length;
      if (off - from >= want || page.length < limit || off >= num(body.total)) break;
    }
    if (key !== listKey()) return;
    const seen = new Set();
    const sessions = (more && cur ? cur.sessions.concat(got) : got).filter((s) => !seen.has(s.session_id) && seen.add(s.session_id));
    state.listed = {key, sessions, total: num(body.total), counts: body.counts || {}};
    showError('list', null);
    render();
  } catch (e) {
    if (e.name !== 'AbortError') showError('list', e.message);
  } finally {
    if (listCtl === ctl) listCtl = null;
  }
}

let searchTimer = null;
function searchSoon() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => loadList(false), 200);
}

// row is a session as the list shows it, from the overview or the server
// list: its status is stale for a stale active one.
function row(s, status) {
  const st = status || s.status;
  return {...s, status: (st === 'active' && s.is_stale) ? 'stale' : st};
}

// sessionsOf flattens an overview project's sessions with their status.
function sessionsOf(p) {
  return [
    ...list(p.active_sessions).map((s) => row(s, 'active')),
    ...list(p.parked_sessions).map((s) => row(s, 'parked')),
    ...list(p.completed_sessions).map((s) => row(s, 'completed')),
  ];
}

function matchesFilter(s, f) {
  if (f === 'all') return true;
  if (f === 'active') return s.status === 'active' || s.status === 'stale';
  return s.status === f;
}

// allProjects is the overview's projects and the unregistered ones,
// waiting and active work first (see rank), then the most recently active;
// made again only when either list is new.
let sorted = {overview: null, others: null, projects: []};
function allProjects() {
  if (sorted.overview === state.overview && sorted.others === state.others) return sorted.projects;
  const out = list(state.overview && state.overview.projects).slice();
  const have = new Set(out.map((p) => p.slug));
  for (const p of state.others) if (!have.has(p.slug)) out.push({...p, unregistered: true});
  const r = new Map(out.map((p) => [p, rank(p)]));
  out.sort((a, b) => r.get(a) - r.get(b) || (parseTime(b.last_activity) || 0) - (parseTime(a.last_activity) || 0) ||
    str(a.name || a.slug).localeCompare(str(b.name || b.slug)));
  sorted = {overview: state.overview, others: state.others, projects: out};
  return out;
}

// rank orders projects: 0 a session waits for you, 1 a session is at
// work, 2 open but idle (parked or stale), 3 nothing open.
function rank(p) {
  const rows = sessionsOf(p).filter((s) => s.status !== 'completed');
  if (rows.some((s) => s.awaiting_action)) return 0;
  if (rows.some((s) => s.status === 'active')) return 1;
  return rows.length ? 2 : 3;
}

// countsOf is the counts of /api/projects for slug, if it is there.
function countsOf(slug) {
  const p = state.projects.find((x) => x.slug === slug);
  return p ? p.counts || null : null;
}

function projectName(slug) {
  const p = allProjects().find((x) => x.slug === slug) || state.projects.find((x) => x.slug === slug);
  return p ? str(p.name || p.slug) : str(slug);
}

// overviewGroups is the overview's projects with the sessions that pass the
// project choice and the tab, and the counts per tab of what passes the
// first.
function overviewGroups() {
  const counts = {all: 0, active: 0, parked: 0, completed: 0, stale: 0};
  const groups = [];
  for (const p of allProjects()) {
    if (state.project && p.slug !== state.project) continue;
    const rows = [];
    for (const s of sessionsOf(p)) {
      counts.all++;
      if (s.status === 'stale') { counts.stale++; counts.active++; } else counts[s.status]++;
      if (matchesFilter(s, state.filter)) rows.push(s);
    }
    groups.push({p, rows});
  }
  return {groups, counts};
}

// listedGroups groups the server list's sessions by project in the order
// the list has them: each run of one project's sessions is a group, so that
// a search's hits stay best first, as sess-manage search lists them (a
// project shows again where its hits do).
function listedGroups(listed) {
  const groups = [];
  for (const s of listed.sessions) {
    const slug = str(s.project_slug);
    let g = groups[groups.length - 1];
    if (!g || g.slug !== slug) {
      const p = allProjects().find((x) => x.slug === slug) || {slug, name: slug, unregistered: true};
      g = {slug, p, rows: []};
      groups.push(g);
    }
    g.rows.push(row(s));
  }
  return groups;
}

// totals sums /api/projects' counts: every session, archive included.
function totals() {
  if (!state.projects.length) return null;
  const t = {all: 0, active: 0, parked: 0, completed: 0, stale: 0};
  for (const p of state.projects) for (const k of Object.keys(t)) t[k] += num(p.counts && p.counts[k]);
  return t;
}

function renderSelect() {
  const sel = $('#project-select');
  const seen = new Set();
  const opts = [el('option', {value: '', text: 'All projects'})];
  const add = (slug, name, unregistered) => {
    if (seen.has(slug)) return;
    seen.add(slug);
    opts.push(el('option', {value: slug, text: str(name || slug) + (unregistered ? ' (not registered)' : '')}));
  };
  // In a steady order (registered ones as config.json lists them, then the
  // others by slug), not the list's, which moves with the work.
  for (const p of state.projects) add(p.slug, p.name, !p.registered);
  for (const p of allProjects()) add(p.slug, p.name, p.unregistered);
  if (state.project) add(state.project, state.project, true);
  sel.replaceChildren(...opts);
  sel.value = state.project;
}

// searching is the search list shown while the server answers a new
// search: the last search's answer, if any, since only the server knows
// what the words find (the page does not guess from the rows it holds).
function searching() {
  return state.listed && state.listed.key.startsWith('search\n') ? state.listed : {sessions: [], counts: null};
}

function render() {
  if (!state.overview) return;
  renderSelect();
  const m = mode();
  const listed = m !== 'overview' && state.listed && state.listed.key === listKey() ? state.listed : null;
  let groups, counts;
  if (listed) {
    groups = listedGroups(listed);
    counts = listed.counts;
  } else if (m === 'search') {
    const prev = searching();
    groups = listedGroups(prev);
    counts = prev.counts;
  } else {
    ({groups, counts} = overviewGroups());
    if (m === 'overview') counts = totals() || counts;
  }
  for (const tab of document.querySelectorAll('.tab')) {
    tab.classList.toggle('active', tab.dataset.filter === state.filter);
    tab.querySelector('.count').textContent = counts ? '(' + num(counts[tab.dataset.filter]) + ')' : '(…)';
  }
  const boxes = groups.map((g) => group(g, m, listed)).filter(Boolean);
  if (!boxes.length && (listed || m !== 'search')) {
    const none = !allProjects().length && !state.project ? 'No projects yet: run /session-start in a project, or sess-manage register-project.'
      : m === 'search' ? 'No sessions match.' : 'No sessions here.';
    boxes.push(el('div', {class: 'empty-msg', text: none}));
  }
  fill($('#projects'), [
    m === 'search' ? el('div', {class: 'list-note', text: listed ? searchNote(listed) : 'Searching every session…'}) : null,
    m === 'overview' && (state.filter === 'all' || state.filter === 'active') ? inbox() : null,
    boxes,
    listed && listed.sessions.length < listed.total ? pager(listed) : null,
  ]);
}

// ---- machines ----------------------------------------------------------------

// machineOf is what the overview says of the machine named name: its last
// publish and whether it is silent; null when it does not know it.
function machineOf(name) {
  return list(state.overview && state.overview.machines).find((m) => m.name === name) || null;
}

// machineBadge marks a session of another machine: "on laptop", and how
// long it has been silent when that machine is stale. Nothing for this
// machine's sessions.
function machineBadge(name) {
  if (!name) return null;
  const m = machineOf(name);
  const stale = !!(m && m.stale);
  // A week and more: in days.
  const silent = stale && parseTime(m.published_at) !== null ? Math.floor((Date.now() - parseTime(m.published_at)) / DAY) + ' d' : '';
  return el('span', {class: 'tag machine' + (stale ? ' stale' : ''), text: 'on ' + name + (stale ? (silent ? ' · silent ' + silent : ' · silent') : ''),
    title: stale ? `${name} has published nothing${m.published_at ? ' since ' + clock(m.published_at) : ''}: its sessions are shown as they were then`
      : `a session of ${name}: read-only here, change it there`});
}

// ---- attention inbox ------------------------------------------------------

// The inbox heads the overview: every open conversation that the hooks
// report on, those that wait for you first (longest waiting first), then
// those a rate limit or an error stopped, then those at work, then idle
// ones. Silent and ended ones are left to their projects' boxes.
const inboxOrder = {waiting: 0, rate_limited: 1, failed: 1, working: 2, idle: 3};
const stateWords = {waiting: 'waiting', rate_limited: 'rate-limited', failed: 'failed', working: 'working', idle: 'idle', ended: 'ended', silent: 'silent'};

// failureWords says what stopped a turn, for Claude Code's error kinds.
const failureWords = {
  rate_limit: 'Rate limit reached: it goes on when you prompt again', overloaded: 'The API was overloaded',
  authentication_failed: 'Authentication failed', billing_error: 'Billing error', invalid_request: 'Invalid request',
  model_not_found: 'Model not found', server_error: 'Server error', max_output_tokens: 'The answer hit the output limit',
};

// liveOf is a session's live state: the server's, else what its flag and
// heartbeat say (sessions no hook reports on).
function liveOf(s) {
  if (s.live && s.live.state) return s.live;
  if (s.status !== 'active') return null;
  if (s.is_stale) return {state: 'silent', since: s.last_heartbeat};
  if (s.awaiting_action) return {state: 'waiting', since: s.last_heartbeat, reason: s.awaiting_action};
  return null;
}

function inbox() {
  const rows = [];
  for (const p of allProjects()) {
    if (state.project && p.slug !== state.project) continue;
    for (const s of list(p.active_sessions)) {
      // The overview's active sessions carry no status, so liveOf falls
      // back on the flag of none of them; another machine's session that
      // no hook reports on (request-action there) is placed by its flag,
      // and this machine's are shown as they always were.
      const live = liveOf(s.machine ? {...s, status: 'active'} : s);
      if (live && live.state in inboxOrder) rows.push({s, p, live});
    }
  }
  if (!rows.length) return null;
  const since = (r) => parseTime(r.live.since) || 0;
  rows.sort((a, b) => inboxOrder[a.live.state] - inboxOrder[b.live.state] || since(a) - since(b));
  const waiting = rows.filter((r) => r.live.state === 'waiting').length;
  const head = el('div', {class: 'project-head'}, el('span', {class: 'project-name', text: 'Now'}),
    el('span', {class: 'project-meta', text: waiting ? (waiting === 1 ? '1 conversation waits for you' : waiting + ' conversations wait for you') : 'nothing waits for you'}));
  return el('div', {class: 'project inbox', id: 'inbox'}, head, rows.map(inboxRow));
}

function inboxRow({s, p, live}) {
  const intent = el('a', {class: 'card-intent', href: '#/session/' + encodeURIComponent(str(s.session_id)),
    text: intentOf(s), on: {click: (e) => { e.preventDefault(); openDetail(s.session_id); }}});
  const forEl = el('time', {class: 'card-time state-for', title: clock(live.since), text: sinceText(live.since)});
  forEl.dataset.since = str(live.since);
  const c = el('div', {class: 'session-card inbox-row', data: {id: s.session_id, state: live.state}},
    el('div', {class: 'card-row'},
      el('span', {class: 'state ' + live.state, text: stateWords[live.state] || live.state}),
      intent,
      el('span', {class: 'card-meta'}, machineBadge(s.machine), el('span', {class: 'tag', text: str(p.name || p.slug)}), forEl)));
  const why = live.state === 'working' || live.state === 'idle' ? s.current_activity
    : live.state === 'waiting' ? live.reason : failureWords[live.reason] || live.reason;
  if (why) c.append(el('div', {class: live.state === 'waiting' ? 'awaiting' : 'card-activity', text: why}));
  return c;
}

// sinceText says for how long a state has held.
function sinceText(since) {
  const t = parseTime(since);
  return t === null ? '' : 'for ' + duration(Date.now() - t);
}

function searchNote(listed) {
  const n = listed.total;
  const where = state.project ? ' in ' + projectName(state.project) : '';
  return (n === 1 ? '1 session matches' : n + ' sessions match') + ' “' + state.search.trim() + '”' + where + ', archived ones included';
}

function pager(listed) {
  return el('div', {class: 'pager'},
    el('span', {text: 'Showing ' + listed.sessions.length + ' of ' + listed.total}),
    el('button', {class: 'more-btn', text: 'Show ' + Math.min(PAGE, listed.total - listed.sessions.length) + ' more',
      on: {click: (e) => { e.currentTarget.disabled = true; loadList(true); }}}));
}

// group is a project's box: its head, its sessions, and in the overview a
// way to all of its sessions when it has more than it shows.
function group({p, rows}, m, listed) {
  if (!rows.length && (m !== 'overview' || state.filter !== 'all' || listed)) return null;
  const c = countsOf(p.slug);
  const total = c ? num(c.all) : num(p.total_sessions);
  const meta = [];
  if (p.current_phase) meta.push(el('span', {class: 'project-meta', text: 'Phase: ' + p.current_phase}));
  if (p.unregistered) meta.push(el('span', {class: 'project-meta tag', text: 'not registered', title: 'sessions launched in a folder that is not a registered project'}));
  const active = c ? num(c.active) : num(p.active_count), parked = c ? num(c.parked) : num(p.parked_count);
  meta.push(el('span', {class: 'project-meta', text: `${active} active · ${parked} parked · ${total} total` + (c && num(c.archived) ? ` (${num(c.archived)} archived)` : '')}));
  if (list(p.next_steps).length) meta.push(el('span', {class: 'project-meta', text: 'Next: ' + list(p.next_steps).join('; ')}));
  const head = el('div', {class: 'project-head'}, el('span', {class: 'project-name', text: p.name || p.slug}), meta);
  const box = el('div', {class: 'project', data: {slug: p.slug}}, head);
  for (const s of rows) box.append(card(s));
  if (!rows.length) box.append(el('div', {class: 'empty-msg', text: 'No sessions yet.'}));
  if (m === 'overview') {
    const n = c ? num(c[state.filter]) : 0;
    if (n > rows.length) {
      const what = state.filter === 'all' ? 'sessions' : state.filter + ' sessions';
      box.append(el('button', {class: 'project-all', text: `All ${n} ${what} of ${str(p.name || p.slug)} →`,
        on: {click: () => chooseProject(p.slug)}}));
    }
  }
  return box;
}

function card(s) {
  const tasks = s.task_summary || {};
  const total = num(tasks.total), done = num(tasks.completed) + num(tasks.skipped);
  const open = state.expanded.has(s.session_id);
  const chevron = el('button', {class: 'card-chevron', title: open ? 'show less' : 'show more', text: open ? '▾' : '▸', 'aria-expanded': open ? 'true' : 'false',
    on: {click: () => { if (state.expanded.has(s.session_id)) state.expanded.delete(s.session_id); else state.expanded.add(s.session_id); render(); }}});
  const when = s.status === 'completed' || s.status === 'parked' ? (s.ended_at || s.started_at) : (s.last_heartbeat || s.started_at);
  let progress = null;
  if (total) {
    const bar = el('div', {class: 'progress-bar'});
    bar.style.width = Math.round(100 * done / total) + '%';
    progress = [el('div', {class: 'progress', title: `${num(tasks.completed)}/${total} tasks done`}, bar),
      el('span', {class: 'progress-label', text: `${num(tasks.completed)}/${total}`})];
  }
  const intent = el('a', {class: 'card-intent' + (s.intent ? '' : ' none'), href: '#/session/' + encodeURIComponent(str(s.session_id)),
    text: intentOf(s), on: {click: (e) => { e.preventDefault(); openDetail(s.session_id); }}});
  const rowEl = el('div', {class: 'card-row'},
    chevron,
    el('span', {class: 'status ' + s.status, text: s.status}),
    intent,
    el('span', {class: 'card-meta'},
      machineBadge(s.machine),
      s.archived ? el('span', {class: 'tag', text: 'archived'}) : null,
      s.live && (s.live.state === 'ended' || s.live.state === 'silent') ? el('span', {class: 'tag', text: stateWords[s.live.state], title: s.live.reason || ''}) : null,
      s.git_branch ? el('span', {class: 'card-branch', text: s.git_branch, title: s.git_branch}) : null,
      progress,
      timeEl(when)));
  const c = el('div', {class: 'session-card', data: {id: s.session_id}}, rowEl);
  if (s.awaiting_action) c.append(el('div', {class: 'awaiting', text: '⚑ ' + s.awaiting_action, title: 'waiting for you'}));
  const sub = s.current_activity || s.parked_reason || s.outcome;
  if (sub) c.append(el('div', {class: 'card-activity', text: sub}));
  // The words around the match, as sess-manage search shows them; not
  // when they are the intent already shown above them.
  if (s.match && s.match.text && s.match.text !== intentOf(s)) {
    // A word said in the conversation opens it at the turn that says it.
    const words = s.match.field === 'conversation' && state.search.trim() && !s.machine
      ? el('a', {href: '#/session/' + encodeURIComponent(s.session_id) + '/conversation?find=' + encodeURIComponent(state.search.trim()), text: s.match.text})
      : el('span', {text: s.match.text});
    c.append(el('div', {class: 'card-match'}, el('span', {class: 'match-field', text: s.match.field + ': '}), words));
  }
  if (open) {
    const ul = el('ul', {class: 'card-more'});
    for (const e of list(s.events)) if (e && e.message) ul.append(el('li', {text: e.message}));
    for (const n of list(s.next_steps)) if (n) ul.append(el('li', {text: '→ ' + n}));
    if (!ul.children.length) ul.append(el('li', {text: 'No events yet.'}));
    c.append(ul);
  }
  return c;
}

// ---- navigation ------------------------------------------------------------

const base = () => location.pathname + location.search;
const listHash = () => (state.project ? '#/project/' + encodeURIComponent(state.project) : '');

function decode(s) {
  try { return decodeURIComponent(s); } catch (e) { return ''; }
}

// route shows what the URL says: a session, a project, or everything.
function route() {
  showError('session', null);
  const h = location.hash;
  let m = /^#\/session\/([^/?]+)\/conversation(?:\?find=(.*))?$/.exec(h);
  if (m) { showConversation(decode(m[1]), m[2] ? decode(m[2]) : ''); return; }
  m = /^#\/session\/([^/]+)$/.exec(h);
  if (m) { showDetail(decode(m[1])); return; }
  hideDetail();
  m = /^#\/project\/([^/]+)$/.exec(h);
  const p = m ? decode(m[1]) : '';
  if (p !== state.project) { state.project = p; listChanged(); }
}

function chooseProject(slug) {
  state.project = slug;
  history.pushState(null, '', base() + listHash());
  listChanged();
  window.scrollTo(0, 0);
}

// listChanged shows what is known at once and asks the server for the rest.
function listChanged() {
  render();
  loadList(false);
  activityChanged();
}

function openDetail(id) {
  state.scroll = window.scrollY;
  history.pushState({fromList: true}, '', base() + '#/session/' + encodeURIComponent(id));
  showDetail(id);
}

function closeDetail() {
  if (history.state && history.state.fromList) { history.back(); return; }
  history.replaceState(null, '', base() + listHash());
  hideDetail();
}

function hideDetail() {
  if (state.detail === null) return;
  state.detail = null;
  state.conversation = null;
  $('#detail-view').hidden = true;
  $('#detail-view').replaceChildren();
  $('#list-view').hidden = false;
  window.scrollTo(0, state.scroll);
  activityChanged();
}

// ---- detail ----------------------------------------------------------------

async function showDetail(id, quiet) {
  if (!quiet && state.detail === id && !state.conversation && !$('#detail-view').hidden) return;
  state.detail = id;
  state.conversation = null;
  let s;
  try {
    s = (await fetchJSON('/api/session/' + encodeURIComponent(id))).body;
    showError('session', null);
  } catch (e) {
    if (state.detail !== id) return;
    if (!quiet) {
      showError('session', e.message);
      if (location.hash.startsWith('#/session/')) history.replaceState(null, '', base() + listHash());
      hideDetail();
    }
    return;
  }
  if (state.detail !== id || !s) return;
  $('#detail-view').replaceChildren(...detail(s));
  $('#list-view').hidden = true;
  $('#detail-view').hidden = false;
  loadThread(id);
  loadCost(id);
  if (!quiet) window.scrollTo(0, 0);
}

// knownRow is the list's row of session id, if a list has it.
function knownRow(id) {
  const rows = allProjects().flatMap(sessionsOf).concat(state.listed ? state.listed.sessions.map((s) => row(s)) : []);
  return rows.find((r) => r.session_id === id) || null;
}

// staleFor says how long an active session has gone without a heartbeat
// when the server calls it stale (else by the store's threshold), or ''.
function staleFor(s) {
  if (s.status !== 'active') return '';
  const hb = parseTime(s.last_heartbeat);
  const known = knownRow(s.session_id);
  const hours = num(state.overview && state.overview.settings && state.overview.settings.stale_threshold_hours) || 24;
  const stale = known ? known.status === 'stale' : hb !== null && Date.now() - hb > hours * HOUR;
  if (!stale) return '';
  return hb === null ? 'stale' : 'stale: no heartbeat for ' + duration(Date.now() - hb);
}

function detail(s) {
  const path = '/api/export/session/' + encodeURIComponent(str(s.session_id));
  const fields = el('dl', {class: 'fields'});
  const field = (k, v, title) => { if (v) fields.append(el('dt', {text: k}), el('dd', {text: v, title})); };
  const when = (ts, extra) => (ts ? clock(ts) + (extra ? ' (' + extra + ')' : '') : '');
  const ended = s.status !== 'active' && s.ended_at;
  field('Session', s.session_id);
  if (s.machine) {
    const m = machineOf(s.machine);
    field('Machine', s.machine + (m && m.stale ? ' · silent since ' + clock(m.published_at) + ': shown as it was then' : '') + ' · read-only here: change it there');
  }
  field('Title', s.title);
  const live = s.status === 'active' && s.state ? {state: s.state, since: s.state_since, reason: s.state_reason || s.awaiting_action} : null;
  if (live) field('State', [stateWords[live.state] || live.state, sinceText(live.since), live.reason].filter(Boolean).join(' · '), clock(live.since));
  field('Project', projectName(s.project_slug) + (projectName(s.project_slug) !== str(s.project_slug) ? ' (' + s.project_slug + ')' : ''));
  field('Status', [s.status, staleFor(s)].filter(Boolean).join(' · '));
  field('Branch', s.git_branch);
  field('Started', when(s.started_at), s.started_at);
  if (s.status === 'active') {
    const ago = parseTime(s.last_heartbeat) === null ? '' : duration(Date.now() - parseTime(s.last_heartbeat)) + ' ago';
    field('Last heartbeat', when(s.last_heartbeat, ago), s.last_heartbeat);
    field('Running', between(s.started_at, s.last_heartbeat));
  }
  if (ended) field(s.status === 'parked' ? 'Parked' : 'Ended', when(s.ended_at, between(s.started_at, s.ended_at)), s.ended_at);
  field('Roadmap', s.roadmap_ref);
  field('Activity', s.current_activity);
  field('Asked', s.last_question);
  field('Awaiting', s.awaiting_action);
  field('Parked because', s.parked_reason);
  field('Outcome', s.outcome);
  field('Work tree', s.worktree_root);
  const section = (title, items, fn, tag) => {
    items = list(items);
    if (!items.length) return null;
    return el('div', {class: 'section'}, el('h3', {text: title}), el(tag || 'ul', {class: tag === 'ol' ? 'timeline' : ''}, items.map(fn)));
  };
  // Another machine publishes its sessions, not its transcripts: the
  // conversation is read on that machine.
  const conversation = !s.claude_session_id ? null
    : s.machine ? el('span', {class: 'conv-elsewhere muted', text: 'Conversation on ' + s.machine})
      : el('a', {class: 'conv-link', href: '#/session/' + encodeURIComponent(str(s.session_id)) + '/conversation', text: 'Conversation'});
  return [
    el('button', {class: 'detail-back', text: '← Back', on: {click: closeDetail}}),
    el('h2', {text: intentOf(s)}, s.machine ? [' ', machineBadge(s.machine)] : null),
    el('div', {class: 'detail-actions'},
      el('a', {href: path + '?format=json', download: str(s.session_id) + '.json', text: 'Download JSON'}),
      el('a', {href: path + '?format=markdown', download: str(s.session_id) + '.md', text: 'Download Markdown'}),
      conversation),
    fields,
    costBox(s.session_id),
    section(`Timeline (${list(s.events).length})`, s.events, (e) =>
      el('li', {}, el('time', {text: clock(e.timestamp), title: str(e.timestamp)}),
        e.message ? el('span', {text: e.message}) : el('span', {class: 'none', text: '(no message)'})), 'ol'),
    section('Tasks', s.tasks, (t) => el('li', {class: t.status === 'completed' || t.status === 'skipped' ? 'task-done' : null, text: `[${str(t.status)}] ${str(t.subject)}`})),
    section('Commits', s.commits, (c) => el('li', {}, el('span', {class: 'mono', text: str(c.sha).slice(0, 7) + ' '}), el('span', {text: c.message}))),
    section('Decisions', s.decisions, (d) => el('li', {class: 'plain', text: d})),
    section('Files changed', s.files_changed, (f) => el('li', {class: 'mono', text: f})),
    section('Open questions', s.open_questions, (q) => el('li', {class: 'plain', text: q})),
    section('Next steps', s.next_steps, (n) => el('li', {class: 'plain', text: n})),
    s.continues || s.continued_by ? el('div', {class: 'section thread', id: 'thread'}, el('h3', {text: 'Thread'}), el('p', {class: 'none', text: 'Loading…'})) : null,
  ].filter(Boolean);
}

// loadThread fills the detail view's thread: the sessions that carry each
// other on, this one marked.
async function loadThread(id) {
  const box = $('#thread');
  if (!box) return;
  let t;
  try { t = (await fetchJSON('/api/thread/' + encodeURIComponent(id))).body; } catch (e) { box.lastChild.textContent = 'Could not load the thread.'; return; }
  if (state.detail !== id || !t) return;
  const machines = t.machines && typeof t.machines === 'object' ? t.machines : {};
  const machineOfSession = (sid) => (Object.prototype.hasOwnProperty.call(machines, sid) ? str(machines[sid]) : '');
  const items = list(t.sessions).map((x) => el('li', {class: x.session_id === id ? 'this' : null, data: {id: x.session_id}},
    el('span', {class: 'status ' + str(x.status), text: str(x.status)}), ' ',
    x.session_id === id ? el('span', {text: intentOf(x)})
      : el('a', {href: '#/session/' + encodeURIComponent(str(x.session_id)), text: intentOf(x),
        on: {click: (e) => { e.preventDefault(); openDetail(x.session_id); }}}),
    machineOfSession(x.session_id) ? [' ', machineBadge(machineOfSession(x.session_id))] : null,
    el('span', {class: 'muted', text: ' · ' + clock(x.started_at) + (x.outcome ? ' · ' + x.outcome : '')})));
  const open = list(t.tasks).filter((x) => x.status === 'pending' || x.status === 'in_progress');
  const sub = (title, rows, fn) => rows.length ? [el('h4', {text: title}), el('ul', {}, rows.map(fn))] : [];
  fill(box, [el('h3', {text: `Thread (${items.length} sessions)`}), el('ol', {class: 'thread-list'}, items),
    // The whole thread's work, seen together.
    sub(`Open tasks of the thread (${open.length})`, open, (x) => el('li', {text: `[${str(x.status)}] ${str(x.subject)}`})),
    sub(`Commits of the thread (${list(t.commits).length})`, list(t.commits), (c) => el('li', {}, el('span', {class: 'mono', text: str(c.sha).slice(0, 7) + ' '}), el('span', {text: c.message}))),
    sub(`Decisions of the thread (${list(t.decisions).length})`, list(t.decisions), (d) => el('li', {class: 'plain', text: d.text}))], false);
  threadCosts();
}

// ---- a session's cost --------------------------------------------------------

// costBox is the detail view's Cost section: what the session's
// conversation cost and what its thread's did, with the tokens and the
// models by cost; empty (hidden) until known, and when nothing was used.
// The last answer for the session is shown at once when the view is
// drawn again, so that a refresh does not blink it.
function costBox(id) {
  const box = el('div', {class: 'section cost', id: 'cost', hidden: ''});
  if (state.cost && state.cost.id === id) fillCost(box, state.cost.body);
  return box;
}

async function loadCost(id) {
  let body;
  try { body = (await fetchJSON('/api/session/' + encodeURIComponent(id) + '/cost')).body; } catch (e) { return; }
  if (state.detail !== id || !body) return;
  state.cost = {id, body};
  const box = $('#cost');
  if (box) fillCost(box, body);
  threadCosts();
}

function fillCost(box, c) {
  const total = c.total || {}, own = c.cost || {}, n = list(c.sessions).length;
  if (!num(total.total_tokens)) { box.hidden = true; box.replaceChildren(); return; }
  const figure = (x, what) => el('span', {class: 'nowrap', title: tokenLine(x)}, el('strong', {text: money(x.usd)}), ' ' + what);
  const models = num(own.total_tokens) ? own : total;
  const unpriced = list(total.unpriced_models);
  fill(box, [
    el('h3', {text: 'Cost'}),
    el('p', {class: 'cost-line'}, figure(own, 'this session'),
      n > 1 ? [' · ', figure(total, `the thread's ${n} sessions`)] : null),
    el('p', {class: 'cost-detail muted'}, num(own.total_tokens) ? tokenLine(own) : 'This session used nothing; its thread did.'),
    list(models.models).length ? el('p', {class: 'cost-detail muted'}, models === own ? 'By model: ' : 'The thread by model: ',
      list(models.models).flatMap((m, i) => [i ? ' · ' : '', el('span', {class: 'nowrap', title: str(m.model), text: modelName(m.model) + ' ' + money(m.usd)})])) : null,
    unpriced.length ? el('p', {class: 'cost-detail muted', text: `No price known for ${unpriced.join(', ')}: ${unpriced.length > 1 ? 'their' : 'its'} tokens are counted, their cost is not.`}) : null,
  ], false);
  box.hidden = false;
}

// threadCosts puts each session's part after it in the thread's list,
// once both are there.
function threadCosts() {
  const c = state.cost && state.cost.id === state.detail ? state.cost.body : null;
  if (!c || !num(c.total && c.total.total_tokens)) return;
  for (const x of list(c.sessions)) {
    const li = document.querySelector(`#thread li[data-id="${CSS.escape(str(x.session_id))}"]`);
    if (!li) continue;
    let part = li.querySelector('.thread-cost');
    if (!part) li.append(part = el('span', {class: 'thread-cost muted'}));
    part.textContent = ' · ' + money(x.cost && x.cost.usd);
    part.title = tokenLine(x.cost || {});
  }
}

// ---- conversation ----------------------------------------------------------

// The conversation of a session (#/session/<id>/conversation): its
// prompts and answers as text, each tool call one line that opens on a
// click, the journal's marks where they happened, a page at a time.
const CONV_PAGE = 50;

// find (a search's words) starts it at the first entry that says them,
// marked, with a way back to its start.
async function showConversation(id, find) {
  state.detail = id;
  state.conversation = {id, next: 0, loading: false, find: find || ''};
  const box = el('div', {class: 'conv', id: 'conv'});
  const exp = '/api/export/conversation/' + encodeURIComponent(id);
  $('#detail-view').replaceChildren(
    el('a', {class: 'detail-back', href: '#/session/' + encodeURIComponent(id), text: '← Session'}),
    el('h2', {id: 'conv-title', text: 'Conversation'}),
    el('div', {class: 'detail-actions'}, el('a', {href: exp, download: id + '-conversation.md', text: 'Export Markdown'})),
    el('p', {class: 'muted', id: 'conv-source'}),
    box,
    el('button', {class: 'more-btn conv-more', id: 'conv-more', hidden: '', text: 'Load more', on: {click: () => loadConversation(id)}}));
  $('#list-view').hidden = true;
  $('#detail-view').hidden = false;
  window.scrollTo(0, 0);
  fetchJSON('/api/session/' + encodeURIComponent(id)).then((r) => {
    if (state.detail === id && r.body) $('#conv-title').textContent = 'Conversation: ' + intentOf(r.body);
  }).catch(() => {});
  await loadConversation(id);
}

async function loadConversation(id) {
  const c = state.conversation;
  if (!c || c.id !== id || c.loading || c.next === null) return;
  c.loading = true;
  const more = $('#conv-more');
  more.disabled = true;
  let pg;
  try {
    const find = c.find && c.next === 0 ? '&find=' + encodeURIComponent(c.find) : '';
    pg = (await fetchJSON('/api/session/' + encodeURIComponent(id) + '/conversation?offset=' + c.next + '&limit=' + CONV_PAGE + find)).body;
  } catch (e) {
    if (state.conversation !== c) return;
    c.loading = false;
    more.hidden = true;
    $('#conv').append(el('p', {class: 'empty-msg', text: e.message || 'Could not load the conversation.'}));
    return;
  }
  if (state.conversation !== c) return;
  c.loading = false;
  $('#conv-source').textContent = (pg.source === 'archive' ? 'From the archive (Claude Code no longer has the transcript)' : 'From Claude Code\'s transcript') +
    (typeof pg.total === 'number' ? ' · ' + pg.total + ' entries' : '');
  const shown = list(pg.entries).map(convEntry);
  if (typeof pg.found === 'number' && shown.length) {
    if (pg.found > 0) {
      $('#conv').append(el('p', {class: 'muted'}, 'From entry ' + (pg.found + 1) + ', the first that says "' + c.find + '" · ',
        el('a', {href: '#/session/' + encodeURIComponent(id) + '/conversation', text: 'from the start'})));
    }
    shown[0].classList.add('conv-found');
  }
  $('#conv').append(...shown);
  if (typeof pg.found === 'number' && shown.length) shown[0].scrollIntoView({block: 'start'});
  if (!list(pg.entries).length && c.next === 0) $('#conv').append(el('p', {class: 'empty-msg', text: 'The conversation has nothing to show yet.'}));
  c.next = typeof pg.next === 'number' ? pg.next : null;
  more.hidden = c.next === null;
  more.disabled = false;
}

// convEntry is one entry: a prompt or answer as text, a tool call as one
// line (tool, target, outcome) whose input and result open on a click.
function convEntry(e) {
  const when = e.time ? el('time', {class: 'conv-time', text: clock(e.time), title: str(e.time)}) : null;
  const marks = list(e.marks).length ? el('ul', {class: 'conv-marks'}, list(e.marks).map(convMark)) : null;
  const kind = str(e.kind);
  if (kind === 'tool') {
    const t = e.tool || {};
    const status = str(t.status);
    const body = el('div', {class: 'conv-tool-body', hidden: ''},
      el('div', {class: 'muted', text: 'Input'}), el('pre', {text: t.input}),
      el('div', {class: 'muted', text: 'Result'}), el('pre', {text: t.result || '(none)'}));
    const line = el('button', {class: 'conv-tool-line', 'aria-expanded': 'false'},
      el('span', {class: 'conv-tool-status ' + status, text: status === 'ok' ? '✓' : status === 'failed' ? '✗' : '?', title: status}),
      el('span', {class: 'conv-tool-name', text: t.name}),
      el('span', {class: 'conv-tool-target', text: t.target}));
    line.addEventListener('click', () => {
      body.hidden = !body.hidden;
      line.setAttribute('aria-expanded', String(!body.hidden));
    });
    return el('div', {class: 'conv-entry conv-tool'}, line, body, marks);
  }
  const labels = {prompt: 'You', answer: 'Claude', command: 'Command', compaction: 'Context compacted'};
  const head = el('div', {class: 'conv-head'}, el('span', {class: 'conv-who', text: labels[kind] || kind}), when);
  const text = kind === 'command' ? el('code', {text: e.text}) : e.text ? textBlocks(e.text) : null;
  return el('div', {class: 'conv-entry conv-' + kind}, head, text,
    e.truncated ? el('p', {class: 'none', text: '(cut here: the rest is in the transcript)'}) : null, marks);
}

function convMark(m) {
  const labels = {task: 'Task', commit: 'Commit', decision: 'Decision', event: 'Event'};
  return el('li', {class: 'conv-mark mark-' + str(m.kind)},
    el('span', {class: 'conv-mark-kind', text: labels[m.kind] || str(m.kind)}),
    m.kind === 'commit' && m.ref ? el('span', {class: 'mono', text: str(m.ref).slice(0, 7) + ' '}) : null,
    el('span', {text: m.text}));
}

// textBlocks shows Markdown's code fences and inline code, and nothing
// else of it: every piece is put in as textContent, so that no text from
// a transcript is ever read as markup.
function textBlocks(text) {
  const box = el('div', {class: 'conv-text'});
  const parts = str(text).split(/^```[^\n]*$/m);
  parts.forEach((part, i) => {
    if (i % 2 === 1) { box.append(el('pre', {text: part.replace(/^\n|\n$/g, '')})); return; }
    part = part.replace(/^\n+|\n+$/g, '');
    if (!part) return;
    const p = el('p', {});
    part.split(/(`[^`\n]+`)/).forEach((bit, j) => {
      if (j % 2 === 1) p.append(el('code', {text: bit.slice(1, -1)}));
      else if (bit) p.append(document.createTextNode(bit));
    });
    box.append(p);
  });
  return box;
}

// ---- activity picture ------------------------------------------------------

const palette = ['#7aa2f7', '#4ade80', '#fbbf24', '#f472b6', '#a78bfa', '#38bdf8', '#fb923c', '#94a3b8', '#f87171', '#2dd4bf'];
const svgNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

async function loadActivity() {
  let body;
  try { body = await fetchKept('/api/activity?days=30'); } catch (e) { return; }
  if (!body) return;
  state.activity = body;
  drawActivity();
}

function activityChanged() {
  if (state.activity) drawActivity();
}

// colourOf is a project's colour, the same in hours and in dollars: by
// its place among the projects either picture shows, by slug (the
// requests of no project last).
function colourOf(slug) {
  const slugs = new Set(list(state.activity && state.activity.projects).map((p) => str(p.slug)));
  for (const p of list(state.usage && state.usage.projects)) if (list(p.usd).some((v) => num(v) > 0)) slugs.add(str(p.slug));
  const order = [...slugs].sort((a, b) => (a === '') - (b === '') || a.localeCompare(b));
  return palette[Math.max(0, order.indexOf(str(slug))) % palette.length];
}

const slugLabel = (slug) => str(slug) || 'no project';

// chartUnit is what the bars show: dollars when asked for and known.
function chartUnit() {
  return state.unit === 'dollars' && hasUsage() ? 'dollars' : 'hours';
}

// hoursChart is /api/activity's hours per day per project, and the
// sessions started as dots.
function hoursChart() {
  const a = state.activity;
  if (!a) return null;
  const projects = list(a.projects).filter((p) => !state.project || p.slug === state.project);
  const days = list(a.days);
  const hours = (p, i) => num(list(p.hours)[i]), started = (p, i) => num(list(p.sessions)[i]);
  return {
    title: 'Hours per day, last ' + days.length + ' days (dots: sessions started)',
    label: 'hours and sessions per day, last ' + days.length + ' days',
    days,
    series: projects.map((p) => ({slug: p.slug, value: (i) => hours(p, i),
      tip: (d, i) => `${str(d)} · ${str(p.slug)}: ${hours(p, i)} h, ${started(p, i)} sessions`})),
    dots: days.map((_, i) => projects.reduce((sum, p) => sum + started(p, i), 0)),
    top: (max) => Math.round(max) + 'h',
    floor: 1,
    legend: projects.map((p) => ({slug: p.slug, text: str(p.slug)})),
    note: '● sessions started',
  };
}

// dollarsChart is /api/usage's dollars per day per project: the
// projects that spent anything in the days shown.
function dollarsChart() {
  const u = state.usage;
  const days = list(u.days);
  const usd = (p, i) => num(list(p.usd)[i]);
  const projects = list(u.projects).filter((p) => (!state.project || p.slug === state.project) && days.some((_, i) => usd(p, i) > 0));
  const sum = (p) => days.reduce((t, _, i) => t + usd(p, i), 0);
  return {
    title: 'Dollars per day, last ' + days.length + ' days',
    label: 'dollars per day, last ' + days.length + ' days',
    days,
    series: projects.map((p) => ({slug: p.slug, value: (i) => usd(p, i),
      tip: (d, i) => `${str(d)} · ${slugLabel(p.slug)}: ${money(usd(p, i))}`})),
    dots: null,
    top: (max) => money(max, true),
    floor: 0.01,
    legend: projects.map((p) => ({slug: p.slug, text: slugLabel(p.slug) + ' ' + money(sum(p), true)})),
    note: projects.length ? '' : 'Nothing spent in these days' + (state.project ? ' in ' + projectName(state.project) : ''),
  };
}

// drawActivity draws the chosen picture as bars per day stacked by
// project, as wide as its box, with the switch between hours and dollars
// when there is any usage to show.
function drawActivity() {
  const box = $('#activity');
  if (box.offsetParent === null) return;
  const unit = chartUnit();
  const chart = unit === 'dollars' ? dollarsChart() : hoursChart();
  if (!chart) return;
  const refocus = box.contains(document.activeElement) && document.activeElement.dataset.unit;
  const head = el('div', {class: 'activity-head'}, el('h3', {text: chart.title}), hasUsage() ? unitSwitch(unit) : null);
  const legend = el('div', {class: 'legend'});
  for (const l of chart.legend) {
    const sw = el('i', {});
    sw.style.background = colourOf(l.slug);
    legend.append(el('span', {}, sw, document.createTextNode(l.text)));
  }
  if (chart.note) legend.append(el('span', {text: chart.note}));
  box.replaceChildren(head, bars(chart, Math.max(280, box.clientWidth - 28)), legend);
  box.dataset.unit = unit;
  if (refocus) box.querySelector(`.unit-switch [data-unit="${refocus}"]`).focus();
}

// bars is a chart's SVG, W wide.
function bars(chart, W) {
  const {days, series, dots} = chart;
  const H = 140, pad = 24, bw = (W - pad) / Math.max(days.length, 1);
  const totals = days.map((_, i) => series.reduce((sum, p) => sum + p.value(i), 0));
  const max = Math.max(chart.floor, ...totals);
  const maxDot = dots ? Math.max(1, ...dots) : 1;
  const labelEvery = W < 500 ? 14 : 7;
  const g = svg('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': chart.label});
  g.append(svg('line', {x1: pad, y1: H - 16, x2: W, y2: H - 16, stroke: '#2a2f3a'}));
  days.forEach((d, i) => {
    let y = H - 16;
    for (const p of series) {
      const h = p.value(i) / max * (H - 30);
      if (h <= 0) continue;
      y -= h;
      const r = svg('rect', {x: pad + i * bw + 1, y: y, width: Math.max(bw - 2, 1), height: h, fill: colourOf(p.slug)});
      const tip = svg('title', {});
      tip.textContent = p.tip(d, i);
      r.append(tip);
      g.append(r);
    }
    if (dots && dots[i]) g.append(svg('circle', {cx: pad + i * bw + bw / 2, cy: H - 16 - dots[i] / maxDot * (H - 30), r: 2.5, fill: '#e6e6e6'}));
    if (i % labelEvery === 0) {
      const x = pad + i * bw, last = x + 30 > W; // a label is about 30 wide: the last one ends at the edge
      const t = svg('text', {x: last ? W : x, y: H - 3, fill: '#8b93a1', 'font-size': 10, 'text-anchor': last ? 'end' : 'start'});
      t.textContent = str(d).slice(5);
      g.append(t);
    }
  });
  const top = svg('text', {x: 0, y: 10, fill: '#8b93a1', 'font-size': 10});
  top.textContent = chart.top(max);
  g.append(top);
  return g;
}

// unitSwitch chooses what the bars show; the choice is kept for the next
// visit.
function unitSwitch(unit) {
  const button = (u, text) => el('button', {type: 'button', 'aria-pressed': String(unit === u), data: {unit: u}, text,
    on: {click: () => { state.unit = u; keep('sess-unit', u); drawActivity(); }}});
  return el('div', {class: 'unit-switch', role: 'group', 'aria-label': 'Bars show'}, button('hours', 'Hours'), button('dollars', 'Dollars'));
}

// keep and kept hold a choice in localStorage, when the browser lets the
// page have it.
function keep(k, v) {
  try { localStorage.setItem(k, v); } catch (e) { /* a private window: the choice lasts the visit */ }
}
function kept(k) {
  try { return localStorage.getItem(k); } catch (e) { return null; }
}

// ---- money -----------------------------------------------------------------

// What Claude Code's conversations cost (/api/usage), in the browser's
// time zone: today and this month in the header, dollars per day in the
// activity picture. Transcripts change without the store's events, so it
// is asked for again every minute while the page is seen, besides every
// refresh; an unchanged answer is a 304.
const USAGE_EVERY = 60000;
const dollars = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'});
const wholeDollars = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', maximumFractionDigits: 0});

// money is a dollar figure, cents shown; round leaves them off past $100.
function money(usd, round) {
  const v = num(usd);
  if (v > 0 && v < 0.005) return '<$0.01';
  return round && v >= 100 ? wholeDollars.format(v) : dollars.format(v);
}

// tokens is a count in words a person reads at a glance: 950, 12.3k, 4.1M.
function tokens(n) {
  const v = num(n);
  if (v < 1000) return String(v);
  if (v < 1e6) return (v / 1e3).toFixed(v < 1e4 ? 1 : 0) + 'k';
  return (v / 1e6).toFixed(v < 1e7 ? 1 : 0) + 'M';
}

// tokenLine says what a summary's tokens were.
function tokenLine(c) {
  return `${tokens(c.total_tokens)} tokens: ${tokens(c.input_tokens)} input, ${tokens(c.output_tokens)} output, ` +
    `${tokens(c.cache_creation_tokens)} cache writes, ${tokens(c.cache_read_tokens)} cache reads`;
}

// modelName is a model as people say it: claude-opus-4-5-20251101 is opus-4-5.
const modelName = (m) => str(m).replace(/^claude-/, '').replace(/-\d{8}$/, '');

function modelsLine(c) {
  return list(c && c.models).map((m) => modelName(m.model) + ' ' + money(m.usd)).join(' · ');
}

const hasUsage = () => !!(state.usage && list(state.usage.projects).length);

let zoneRefused = false; // the server knows not the browser's zone: its own is asked for

async function loadUsage() {
  const zone = !zoneRefused && window.Intl ? Intl.DateTimeFormat().resolvedOptions().timeZone : '';
  let body;
  try {
    body = await fetchKept('/api/usage?days=30' + (zone ? '&tz=' + encodeURIComponent(zone) : ''));
  } catch (e) {
    if (zone && /^tz: /.test(e.message)) { zoneRefused = true; loadUsage(); }
    return;
  }
  if (!body) return;
  state.usage = body;
  showSpend();
  activityChanged();
}

// showSpend puts today's and this month's spend in the header; nothing
// when no conversation cost anything.
function showSpend() {
  const box = $('#spend');
  if (!hasUsage()) { box.hidden = true; return; }
  const u = state.usage, today = u.today || {}, month = u.month || {};
  const part = (c, when) => el('span', {class: 'spend-part', title: `${when}: ${tokenLine(c)}\n${modelsLine(c)}`},
    el('strong', {text: money(c.usd)}), ' ' + when.toLowerCase());
  fill(box, [part(today, 'Today'), ' · ', part(month, 'This month')]);
  box.hidden = false;
}

// ---- live updates ----------------------------------------------------------

let pollTimer = null;
function startPolling() {
  if (!pollTimer) pollTimer = setInterval(refresh, 30000);
}

let stream = null;

// One tab holds the event stream for every tab of the page: a browser
// keeps a handful of connections per server, and a stream per tab would
// take them all (a seventh tab would wait for ever). The tab that holds
// the Web Lock "sess-events" opens the stream and passes what it hears to
// the others over a BroadcastChannel; when it closes, another takes the
// lock and the stream. Without those APIs each tab has its own stream.
const channel = window.BroadcastChannel && navigator.locks ? new BroadcastChannel('sess-events') : null;
let leading = null; // resolves the held lock: call it to let go
let asking = false;

function heard(what) {
  if (what === 'hello' || what === 'open') {
    $('#live').classList.add('on');
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  } else if (what === 'change') {
    refresh();
  } else if (what === 'down') {
    $('#live').classList.remove('on');
    startPolling(); // the stream reconnects by itself; poll meanwhile
  } else if (what === 'who' && leading && stream && stream.readyState === 1) {
    channel.postMessage('open'); // a tab that came later asks how the stream is
  }
}

// openStream opens this tab's stream, and passes on what it hears.
function openStream() {
  if (stream) stream.close();
  const es = stream = new EventSource('/api/events');
  const tell = (what) => { heard(what); if (channel && leading) channel.postMessage(what); };
  es.addEventListener('hello', () => tell('hello'));
  es.addEventListener('change', () => tell('change'));
  es.onerror = () => tell('down');
  es.onopen = () => tell('open');
}

// connect opens the event stream, or waits for the tab that holds it. A
// page that is left closes its stream and lets go of the lock (pagehide),
// so that it holds none of the browser's few connections while it waits
// in the back-forward cache, and asks again when it is shown.
function connect() {
  if (!window.EventSource) { startPolling(); return; }
  if (!channel) { openStream(); return; }
  channel.onmessage = (e) => heard(e.data);
  channel.postMessage('who');
  if (leading || asking) return;
  asking = true;
  navigator.locks.request('sess-events', () => new Promise((release) => {
    asking = false;
    leading = release;
    openStream();
  }));
}

function disconnect() {
  if (stream) { stream.close(); stream = null; }
  if (leading) { leading(); leading = null; }
}

window.addEventListener('pagehide', disconnect);
window.addEventListener('pageshow', (e) => { if (e.persisted) { connect(); refresh(); } });

// ---- wiring ------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => { state.filter = tab.dataset.filter; render(); loadList(false); });
  }
  $('#search').addEventListener('input', (e) => { state.search = e.target.value; render(); searchSoon(); });
  $('#project-select').addEventListener('change', (e) => chooseProject(e.target.value));
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && state.detail) closeDetail(); });
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', route);
  let resizing = 0;
  window.addEventListener('resize', () => { cancelAnimationFrame(resizing); resizing = requestAnimationFrame(activityChanged); });
  route();
  refresh(); // and the usage with the overview
  connect();
  setInterval(tick, 15000);
  setInterval(() => { if (document.visibilityState === 'visible') loadUsage(); }, USAGE_EVERY);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') loadUsage(); });
});
