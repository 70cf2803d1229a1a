// The sess dashboard. Every value from the store is untrusted text: it is
// only ever put into the page as textContent (or an encoded URL path), never
// as markup. Updates arrive over Server-Sent Events, with polling as the
// fallback.
'use strict';

const state = {
  overview: null,
  etag: null,
  filter: 'all',
  search: '',
  project: '',
  expanded: new Set(),
  detail: null, // session id shown in the detail view
  live: false,
};

const $ = (sel) => document.querySelector(sel);

// el makes an element: el('div', {class: 'x', text: 'y', title: 'z'}, child...)
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = String(v);
    else if (k === 'data') for (const [dk, dv] of Object.entries(v)) e.dataset[dk] = dv;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// ---- time ----------------------------------------------------------------

function parseTime(s) {
  if (!s) return null;
  // Naive timestamps are UTC in the store.
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : s + 'Z';
  const t = Date.parse(iso.replace(' ', 'T'));
  return Number.isNaN(t) ? null : t;
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
  const t = el('time', {class: 'card-time', text: relative(s), title: s || ''});
  t.dataset.ts = s || '';
  return t;
}

// tick keeps the relative times true.
function tick() {
  for (const t of document.querySelectorAll('time.card-time[data-ts]')) {
    if (t.dataset.ts) t.textContent = relative(t.dataset.ts);
  }
}

// ---- data ----------------------------------------------------------------

async function fetchJSON(url, etag) {
  const headers = etag ? {'If-None-Match': etag} : {};
  const r = await fetch(url, {headers, cache: 'no-cache'});
  if (r.status === 304) return {notModified: true};
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
  return {body, etag: r.headers.get('ETag')};
}

function showError(msg) {
  const b = $('#error-banner');
  if (msg) { b.textContent = 'Could not load the dashboard: ' + msg; b.hidden = false; }
  else { b.hidden = true; b.textContent = ''; }
}

let loading = false;
let again = false;

async function refresh() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const res = await fetchJSON('/api/overview', state.etag);
    showError(null);
    if (!res.notModified) {
      state.overview = res.body;
      state.etag = res.etag;
      render();
      loadActivity();
      if (state.detail) openDetail(state.detail, true);
    }
    $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    showError(e.message);
  } finally {
    loading = false;
    if (again) { again = false; refresh(); }
  }
}

// ---- sessions ------------------------------------------------------------

// sessionsOf flattens a project's sessions with their status.
function sessionsOf(p) {
  const out = [];
  for (const s of p.active_sessions || []) out.push({...s, status: s.is_stale ? 'stale' : 'active', project: p});
  for (const s of p.parked_sessions || []) out.push({...s, status: 'parked', project: p});
  for (const s of p.completed_sessions || []) out.push({...s, status: 'completed', project: p});
  return out;
}

function matchesFilter(s, f) {
  if (f === 'all') return true;
  if (f === 'active') return s.status === 'active' || s.status === 'stale';
  return s.status === f;
}

function haystack(s) {
  const parts = [s.intent, s.current_activity, s.awaiting_action, s.parked_reason, s.outcome, s.git_branch];
  for (const e of s.events || []) parts.push(e.message);
  for (const t of s.tasks || []) parts.push(t.subject);
  for (const d of s.decisions || []) parts.push(d);
  return parts.filter(Boolean).join('\n').toLowerCase();
}

function render() {
  const ov = state.overview;
  if (!ov) return;
  const projects = ov.projects || [];

  // The project dropdown keeps its choice across updates.
  const sel = $('#project-select');
  const want = state.project;
  sel.replaceChildren(el('option', {value: '', text: 'All projects'}));
  for (const p of projects) sel.append(el('option', {value: p.slug, text: p.name || p.slug}));
  sel.value = projects.some((p) => p.slug === want) ? want : '';
  state.project = sel.value;

  const q = state.search.trim().toLowerCase();
  const counts = {all: 0, active: 0, parked: 0, completed: 0, stale: 0};
  const groups = [];
  for (const p of projects) {
    if (state.project && p.slug !== state.project) continue;
    const shown = [];
    for (const s of sessionsOf(p)) {
      if (q && !haystack(s).includes(q)) continue;
      counts.all++;
      if (s.status === 'stale') { counts.stale++; counts.active++; } else counts[s.status]++;
      if (matchesFilter(s, state.filter)) shown.push(s);
    }
    groups.push({p, shown});
  }
  for (const tab of document.querySelectorAll('.tab')) {
    tab.classList.toggle('active', tab.dataset.filter === state.filter);
    tab.querySelector('.count').textContent = '(' + counts[tab.dataset.filter] + ')';
  }

  const root = $('#projects');
  const nodes = [];
  for (const {p, shown} of groups) {
    if (shown.length === 0 && (q || state.filter !== 'all')) continue;
    const head = el('div', {class: 'project-head'},
      el('span', {class: 'project-name', text: p.name || p.slug}),
      p.current_phase ? el('span', {class: 'project-meta', text: 'Phase: ' + p.current_phase}) : null,
      el('span', {class: 'project-meta', text: `${p.active_count} active · ${p.parked_count} parked · ${p.total_sessions} total`}),
      (p.next_steps || []).length ? el('span', {class: 'project-meta', text: 'Next: ' + p.next_steps.join('; ')}) : null);
    const box = el('div', {class: 'project', data: {slug: p.slug}}, head);
    for (const s of shown) box.append(card(s));
    if (shown.length === 0) box.append(el('div', {class: 'empty-msg', text: 'No sessions yet.'}));
    nodes.push(box);
  }
  if (nodes.length === 0) nodes.push(el('div', {class: 'empty-msg', text: projects.length ? 'No sessions match.' : 'No projects yet: run /session-start in a project, or sess-manage register-project.'}));
  root.replaceChildren(...nodes);
}

function card(s) {
  const tasks = s.task_summary || {total: 0, completed: 0};
  const done = tasks.completed + (tasks.skipped || 0);
  const bar = el('div', {class: 'progress-bar'});
  bar.style.width = tasks.total ? Math.round(100 * done / tasks.total) + '%' : '0';
  const open = state.expanded.has(s.session_id);
  const chevron = el('button', {class: 'card-chevron', title: 'show more', text: open ? '▾' : '▸',
    on: {click: () => { if (state.expanded.has(s.session_id)) state.expanded.delete(s.session_id); else state.expanded.add(s.session_id); render(); }}});
  const when = s.status === 'completed' || s.status === 'parked' ? (s.ended_at || s.started_at) : (s.last_heartbeat || s.started_at);
  const row = el('div', {class: 'card-row'},
    chevron,
    el('span', {class: 'status ' + s.status, text: s.status}),
    el('span', {class: 'card-intent', text: s.intent, tabindex: '0', on: {click: () => openDetail(s.session_id), keydown: (e) => { if (e.key === 'Enter') openDetail(s.session_id); }}}),
    s.awaiting_action ? el('span', {class: 'awaiting', text: '⚑ ' + s.awaiting_action, title: 'waiting for you'}) : null,
    el('span', {class: 'card-branch', text: s.git_branch}),
    tasks.total ? el('div', {class: 'progress', title: `${tasks.completed}/${tasks.total} tasks done`}, bar) : null,
    tasks.total ? el('span', {class: 'progress-label', text: `${tasks.completed}/${tasks.total}`}) : null,
    timeEl(when));
  const c = el('div', {class: 'session-card', data: {id: s.session_id}}, row);
  const sub = s.current_activity || s.parked_reason || s.outcome;
  if (sub) c.append(el('div', {class: 'card-activity', text: sub}));
  if (open) {
    const ul = el('ul', {class: 'card-more'});
    for (const e of s.events || []) ul.append(el('li', {text: e.message}));
    for (const n of s.next_steps || []) ul.append(el('li', {text: '→ ' + n}));
    if (!ul.children.length) ul.append(el('li', {text: 'No events yet.'}));
    c.append(ul);
  }
  return c;
}

// ---- detail ----------------------------------------------------------------

async function openDetail(id, quiet) {
  state.detail = id;
  let s;
  try {
    s = (await fetchJSON('/api/session/' + encodeURIComponent(id))).body;
    showError(null);
  } catch (e) {
    if (!quiet) showError(e.message);
    return;
  }
  if (state.detail !== id) return;
  const view = $('#detail-view');
  const path = '/api/export/session/' + encodeURIComponent(s.session_id);
  const section = (title, items, fn) => {
    if (!items || !items.length) return null;
    const ul = el('ul', {});
    for (const it of items) ul.append(fn(it));
    return el('div', {class: 'section'}, el('h3', {text: title}), ul);
  };
  const fields = el('dl', {class: 'fields'});
  const field = (k, v) => { if (v) fields.append(el('dt', {text: k}), el('dd', {text: v})); };
  field('Session', s.session_id);
  field('Project', s.project_slug);
  field('Status', s.status);
  field('Branch', s.git_branch);
  field('Started', s.started_at);
  field('Last heartbeat', s.last_heartbeat);
  field('Ended', s.ended_at);
  field('Roadmap', s.roadmap_ref);
  field('Activity', s.current_activity);
  field('Awaiting', s.awaiting_action);
  field('Parked because', s.parked_reason);
  field('Outcome', s.outcome);
  field('Work tree', s.worktree_root);
  const timeline = el('ol', {class: 'timeline'});
  for (const e of s.events || []) {
    const t = el('time', {text: e.timestamp ? new Date(parseTime(e.timestamp)).toLocaleString() : '', title: e.timestamp || ''});
    timeline.append(el('li', {}, t, el('span', {text: e.message})));
  }
  view.replaceChildren(
    el('button', {class: 'detail-back', text: '← Back', on: {click: closeDetail}}),
    el('h2', {text: s.intent}),
    el('div', {class: 'detail-actions'},
      el('a', {href: path + '?format=json', download: s.session_id + '.json', text: 'Download JSON'}),
      el('a', {href: path + '?format=markdown', download: s.session_id + '.md', text: 'Download Markdown'})),
    fields,
    el('div', {class: 'section'}, el('h3', {text: `Timeline (${(s.events || []).length})`}),
      (s.events || []).length ? timeline : el('p', {class: 'empty-msg', text: 'No events.'})),
    section('Tasks', s.tasks, (t) => el('li', {class: t.status === 'completed' || t.status === 'skipped' ? 'task-done' : '', text: `[${t.status}] ${t.subject}`})),
    section('Commits', s.commits, (c) => el('li', {}, el('span', {class: 'mono', text: (c.sha || '').slice(0, 7) + ' '}), el('span', {text: c.message}))),
    section('Decisions', s.decisions, (d) => el('li', {class: 'plain', text: d})),
    section('Files changed', s.files_changed, (f) => el('li', {class: 'mono', text: f})),
    section('Open questions', s.open_questions, (q) => el('li', {class: 'plain', text: q})),
    section('Next steps', s.next_steps, (n) => el('li', {class: 'plain', text: n})));
  $('#list-view').hidden = true;
  view.hidden = false;
}

function closeDetail() {
  state.detail = null;
  $('#detail-view').hidden = true;
  $('#detail-view').replaceChildren();
  $('#list-view').hidden = false;
}

// ---- activity picture ------------------------------------------------------

const palette = ['#7aa2f7', '#4ade80', '#fbbf24', '#f472b6', '#a78bfa', '#38bdf8', '#fb923c', '#94a3b8', '#f87171', '#2dd4bf'];
const svgNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

let activityEtag = null;
async function loadActivity() {
  let res;
  try { res = await fetchJSON('/api/activity?days=30', activityEtag); } catch (e) { return; }
  if (res.notModified) return;
  activityEtag = res.etag;
  drawActivity(res.body);
}

// drawActivity draws hours per day as bars stacked by project and sessions
// started per day as dots, for the last 30 days.
function drawActivity(a) {
  const box = $('#activity');
  const projects = (a.projects || []).filter((p) => !state.project || p.slug === state.project);
  const days = a.days || [];
  const W = 900, H = 140, pad = 24, bw = (W - pad) / Math.max(days.length, 1);
  const totals = days.map((_, i) => projects.reduce((sum, p) => sum + (p.hours[i] || 0), 0));
  const counts = days.map((_, i) => projects.reduce((sum, p) => sum + (p.sessions[i] || 0), 0));
  const maxH = Math.max(1, ...totals), maxC = Math.max(1, ...counts);
  const g = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'hours and sessions per day, last 30 days'});
  g.append(svg('line', {x1: pad, y1: H - 16, x2: W, y2: H - 16, stroke: '#2a2f3a'}));
  days.forEach((d, i) => {
    let y = H - 16;
    projects.forEach((p, pi) => {
      const h = (p.hours[i] || 0) / maxH * (H - 30);
      if (h <= 0) return;
      y -= h;
      const r = svg('rect', {x: pad + i * bw + 1, y: y, width: Math.max(bw - 2, 1), height: h, fill: palette[pi % palette.length]});
      const tip = svg('title', {});
      tip.textContent = `${d} · ${p.slug}: ${p.hours[i]} h, ${p.sessions[i]} sessions`;
      r.append(tip);
      g.append(r);
    });
    if (counts[i]) {
      const c = svg('circle', {cx: pad + i * bw + bw / 2, cy: H - 16 - counts[i] / maxC * (H - 30), r: 2.5, fill: '#e6e6e6'});
      g.append(c);
    }
    if (i % 7 === 0 || (i === days.length - 1 && i % 7 > 3)) {
      const t = svg('text', {x: pad + i * bw, y: H - 3, fill: '#8b93a1', 'font-size': 10});
      t.textContent = d.slice(5);
      g.append(t);
    }
  });
  const top = svg('text', {x: 0, y: 10, fill: '#8b93a1', 'font-size': 10});
  top.textContent = Math.round(maxH) + 'h';
  g.append(top);
  const legend = el('div', {class: 'legend'});
  projects.forEach((p, pi) => {
    const sw = el('i', {});
    sw.style.background = palette[pi % palette.length];
    legend.append(el('span', {}, sw, document.createTextNode(p.slug)));
  });
  legend.append(el('span', {text: '● sessions started'}));
  box.replaceChildren(el('h3', {text: 'Hours per day, last 30 days (dots: sessions started)'}), g, legend);
}

// ---- live updates ----------------------------------------------------------

let pollTimer = null;
function startPolling() {
  if (!pollTimer) pollTimer = setInterval(refresh, 30000);
}

function connect() {
  if (!window.EventSource) { startPolling(); return; }
  const es = new EventSource('/api/events');
  es.addEventListener('hello', () => { state.live = true; $('#live').classList.add('on'); });
  es.addEventListener('change', () => refresh());
  es.onerror = () => {
    state.live = false;
    $('#live').classList.remove('on');
    startPolling(); // EventSource reconnects by itself; poll meanwhile
  };
  es.onopen = () => { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } };
}

// ---- wiring ------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => { state.filter = tab.dataset.filter; render(); });
  }
  $('#search').addEventListener('input', (e) => { state.search = e.target.value; render(); });
  $('#project-select').addEventListener('change', (e) => { state.project = e.target.value; render(); activityEtag = null; loadActivity(); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && state.detail) closeDetail(); });
  refresh();
  connect();
  setInterval(tick, 15000);
});
