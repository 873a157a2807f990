// tokenpool operator console: one plain ES module, no libraries, no build step.
//
// The page is served under a strict CSP (no inline script or style, no eval), so every listener
// is attached here and all data reaches the DOM through textContent, never innerHTML.
// Tables are updated in place, keyed by job name, pool name, run fireInstanceId and node id, so a
// refresh every few seconds changes only what changed and nothing flickers.

const VIEWS = ['pool', 'pools', 'jobs', 'runs', 'cluster'];
// The WAR may be deployed under a context path (/admin-it/console/): the API sits beside it.
const BASE = location.pathname.includes('/console/')
  ? location.pathname.substring(0, location.pathname.lastIndexOf('/console/'))
  : '';
const REFRESH_MS = refreshSeconds(new URLSearchParams(location.search).get('refresh')) * 1000;
const HISTORY_MS = 10 * 60 * 1000;     // the utilisation chart covers the last 10 minutes
const REQUEST_TIMEOUT_MS = 15000;      // a hung request must not block refreshing forever
const RUNS_LIMIT = 50;
const POOLS_LIMIT = 1000;              // the pools table and the picker list this many at most
const DEFAULT_POOL = 'default';
const MAX_POOL_SIZE = 1000000;
const POOL_NAME = /^[a-z0-9_-]{1,64}$/;
const READ_ONLY_TITLE = 'Read-only login: admins only';
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

const state = {
  session: null,        // {user}; the login itself is an HttpOnly cookie the page cannot read
  role: null,           // 'ADMIN' | 'MONITOR'; null until /api/admin/me answered
  generation: 0,        // bumped at login and logout: answers for an older login are dropped
  inFlight: false,      // one refresh at a time
  pending: false,       // a refresh was asked for while one was in flight
  timer: 0,
  lastSuccess: null,
  jobs: [],
  pool: DEFAULT_POOL,   // the pool the Pool view shows; kept in memory across refreshes
  pools: [],            // the pools as last listed
  poolsNextAfter: null, // set when there are more pools than the console lists
  busyPools: new Set(), // pools with a resize under way
  samples: [],          // {t, ratio, active, size}: utilisation as polled by this page
  busyJobs: new Set(),  // jobs with an action under way, to ignore double clicks
  actions: 0,           // actions answered so far: a refresh older than one drops its jobs and pools
  refreshFailed: false, // whether the last refresh failed, announced only when it changes
};

function refreshSeconds(param) {
  const value = Number.parseFloat(param ?? '');
  return Number.isFinite(value) ? Math.max(1, value) : 5;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;   // 0 when the node did not answer at all
    this.detail = detail;
  }
}

// The service's JSON names are snake_case (ApiObjectMapper); this page reads camelCase.
// Accept both, so the console does not depend on which one an endpoint uses.
function camelize(value) {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    out[key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())] = camelize(v);
  }
  return out;
}

function base64(text) {
  // btoa only takes Latin-1: encode as UTF-8 first so any user name or password works.
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function request(method, path, authorization = null, json = undefined) {
  const headers = { Accept: 'application/json' };
  if (authorization) headers.Authorization = authorization;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  // The server refuses a change without it (CSRF rule of the admin API), and answers a request
  // with it that lacks a login with a challenge the browser leaves alone (no Basic dialog).
  headers['X-Requested-With'] = 'tokenpool-console';
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  let text;
  try {
    // credentials 'same-origin': the session cookie (HttpOnly, SameSite=Strict) goes along;
    // the password is sent once, to open the session, and kept nowhere.
    response = await fetch(BASE + path, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    text = await response.text();
  } catch (e) {
    throw new ApiError(0, controller.signal.aborted
      ? 'The node does not answer (no answer within 15 s)'
      : 'The node does not answer');
  } finally {
    clearTimeout(timeout);
  }
  let body = null;
  try {
    body = text ? camelize(JSON.parse(text)) : null;
  } catch {
    body = null;  // a proxy's HTML error page, for instance
  }
  if (!response.ok) throw new ApiError(response.status, problemDetail(body, response.status));
  if (method === 'GET' && (body === null || typeof body !== 'object')) {
    throw new ApiError(response.status, `The node answered ${path} with something that is not JSON`);
  }
  return body;
}

// Errors come as application/problem+json: prefer its detail, then its title.
// An internal error's detail only asks to quote its id: show the title and the id instead.
function problemDetail(body, status) {
  const errorId = body && (body.errorId ?? body.error_id);
  if (errorId) return `${body.title || `HTTP ${status}`}, error id ${errorId}`;
  if (body && typeof body.detail === 'string' && body.detail) return body.detail;
  if (body && typeof body.title === 'string' && body.title) return `${body.title} (HTTP ${status})`;
  if (status >= 500) return `The node does not answer (HTTP ${status})`;
  return `HTTP ${status}`;
}

const api = {
  me: () => request('GET', '/api/admin/me'),
  openSession: (authorization) => request('POST', '/api/admin/session', authorization),
  closeSession: () => request('DELETE', '/api/admin/session'),
  pool: (name) => request('GET', `/api/admin/pool?pool=${encodeURIComponent(name)}`),
  pools: () => request('GET', `/api/admin/pools?limit=${POOLS_LIMIT}`),
  createPool: (name, size) => request('POST', '/api/admin/pools', null, { name, size }),
  resizePool: (name, size) => request('PATCH', `/api/admin/pools/${encodeURIComponent(name)}`, null, { size }),
  jobs: () => request('GET', '/api/admin/jobs'),
  nodes: () => request('GET', '/api/admin/nodes'),
  runs: (job) => request('GET', `/api/jobs/runs?limit=${RUNS_LIMIT}${job ? `&job=${encodeURIComponent(job)}` : ''}`),
  jobAction: (name, verb) => request('POST', `/api/admin/jobs/${encodeURIComponent(name)}/${verb}`),
  setSchedule: (name, interval) => request('PUT', `/api/admin/jobs/${encodeURIComponent(name)}/schedule`, null, { interval }),
  resetSchedule: (name) => request('DELETE', `/api/admin/jobs/${encodeURIComponent(name)}/schedule`),
};

// ---------------------------------------------------------------- formatting

const pad = (n) => String(n).padStart(2, '0');
const trimNumber = (n, digits = 3) => String(Number(n.toFixed(digits)));
// Counts as the API gives them (no grouping), so the page and the API read the same.
const integer = (n) => (Number.isFinite(n) ? String(n) : '—');

function instant(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

// The API gives UTC instants; operators read local wall-clock time.
function clock(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function relative(date, now) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (seconds === 0) return 'now';
  const abs = Math.abs(seconds);
  const text = abs < 60 ? `${abs} s`
    : abs < 3600 ? `${Math.floor(abs / 60)} min`
      : abs < 86400 ? `${Math.floor(abs / 3600)} h` : `${Math.floor(abs / 86400)} d`;
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

// ISO-8601 duration as Java prints it (PT30S, PT7.5S, PT2M, PT168H) to seconds; null if unreadable.
function isoSeconds(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso ?? '');
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  return (+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0);
}

function secondsText(seconds) {
  if (seconds < 60) return `${trimNumber(seconds)} s`;
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h} h`, min && `${min} min`, s && `${trimNumber(s)} s`].filter(Boolean).join(' ');
}

function isoDurationText(iso) {
  const seconds = isoSeconds(iso);
  return seconds === null ? (iso ?? '—') : secondsText(seconds);
}

function millisText(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60000) return `${trimNumber(ms / 1000, 1)} s`;
  return secondsText(Math.round(ms / 1000));
}

// ---------------------------------------------------------------- DOM helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Write only when different: the DOM stays still and screen readers are not re-notified.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node, name, value) {
  if (value === null || value === undefined || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== String(value)) {
    node.setAttribute(name, value);
  }
}

function setClass(node, name, on) {
  if (node.classList.contains(name) !== Boolean(on)) node.classList.toggle(name, Boolean(on));
}

// One class out of a family (state-normal, state-paused, ...) on a node.
function setOneOf(node, family, chosen) {
  for (const name of family) setClass(node, name, name === chosen);
}

function setTime(node, iso) {
  const date = instant(iso);
  setText(node, date ? clock(date) : '—');
  setAttr(node, 'title', iso || null);
}

// Brings tbody's rows into the order of items, keyed by data-<attr>: existing rows are moved
// only when out of place and updated in place, new ones created, missing ones removed.
function syncRows(tbody, items, keyOf, attr, create, update) {
  const existing = new Map();
  for (const row of tbody.rows) existing.set(row.dataset[attr], row);
  const seen = new Set();
  let cursor = tbody.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    if (seen.has(key)) continue;  // a duplicate key would move one row twice
    seen.add(key);
    let row = existing.get(key);
    existing.delete(key);
    if (!row) {
      row = create(item);
      row.dataset[attr] = key;
    }
    if (row === cursor) cursor = cursor.nextElementSibling;
    else tbody.insertBefore(row, cursor);
    update(row, item);
  }
  for (const row of existing.values()) row.remove();
}

// On a phone the jobs, pools and nodes tables become stacked cards; each cell shows a short label
// through CSS (td::before { content: attr(data-label) }).
const CARD_LABELS = {
  jobs: ['', 'Schedule', 'State', 'Next fire', 'Last run', ''],
  pools: ['', 'Size', 'Tokens', 'Active', 'Available', 'Retiring', 'When full', ''],
  nodes: ['', 'Check-in', 'Interval', 'Status', 'Latest run', 'Fires'],
};

function labelCells(kind, tr) {
  [...tr.cells].forEach((cell, i) => cell.setAttribute('data-label', CARD_LABELS[kind][i] ?? ''));
  return tr;
}

// ---------------------------------------------------------------- charts (hand-drawn SVG)

const FRAME = { width: 600, left: 44, right: 10, top: 10, bottom: 22 };

function niceCeiling(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((v) => v >= value);
}

// Utilisation line over the last 10 minutes, 0 to 100 %. A gap in polling breaks the line.
function drawUtilisation(chart, samples, now) {
  const height = Number(chart.viewBox.baseVal.height) || 170;
  const { width, left, right, top, bottom } = FRAME;
  const from = now - HISTORY_MS;
  const x = (t) => left + ((t - from) / HISTORY_MS) * (width - left - right);
  const y = (ratio) => top + (1 - Math.min(1, Math.max(0, ratio))) * (height - top - bottom);
  const parts = [];
  for (const ratio of [0, 0.5, 1]) {
    parts.push(svg('line', { class: ratio ? 'grid' : 'axis', x1: left, x2: width - right, y1: y(ratio), y2: y(ratio) }));
    parts.push(svg('text', { x: left - 6, y: y(ratio) + 4, 'text-anchor': 'end' }, `${ratio * 100} %`));
  }
  parts.push(svg('text', { x: left, y: height - 6 }, '−10 min'));
  parts.push(svg('text', { x: x(now - HISTORY_MS / 2), y: height - 6, 'text-anchor': 'middle' }, '−5 min'));
  parts.push(svg('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, 'now'));

  const segments = [];
  for (const sample of samples) {
    const last = segments.at(-1);
    if (last && sample.t - last.at(-1).t <= Math.max(3 * REFRESH_MS, 20000)) last.push(sample);
    else segments.push([sample]);
  }
  for (const segment of segments) {
    const points = segment.map((s) => `${x(s.t).toFixed(1)},${y(s.ratio).toFixed(1)}`);
    const line = `M${points.join('L')}`;
    const area = `${line}L${x(segment.at(-1).t).toFixed(1)},${y(0)}L${x(segment[0].t).toFixed(1)},${y(0)}Z`;
    parts.push(svg('path', { class: 'area', d: area }));
    parts.push(svg('path', { class: 'line', d: line }));
  }
  const latest = samples.at(-1);
  if (latest) {
    parts.push(svg('circle', { class: 'dot', cx: x(latest.t), cy: y(latest.ratio), r: 3.5 }));
    chart.setAttribute('aria-label', `Pool utilisation over the last 10 minutes; now ${Math.round(latest.ratio * 100)} % `
      + `(${latest.active} of ${latest.size} tokens active)`);
  }
  chart.replaceChildren(...parts);
}

// Bars, grouped: groups = [{label, title, values: [{value, cls}]}], oldest left.
function drawBars(chart, groups, { format = String, ariaLabel }) {
  const height = Number(chart.viewBox.baseVal.height) || 150;
  const { width, left, right, top, bottom } = FRAME;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const max = niceCeiling(Math.max(0, ...groups.flatMap((g) => g.values.map((v) => v.value || 0))));
  const y = (value) => top + plotHeight - (value / max) * plotHeight;
  const parts = [
    svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(max), y2: y(max) }),
    svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(max / 2), y2: y(max / 2) }),
    svg('text', { x: left - 6, y: y(max) + 4, 'text-anchor': 'end' }, format(max)),
    svg('text', { x: left - 6, y: y(0) + 4, 'text-anchor': 'end' }, format(0)),
  ];
  if (groups.length === 0) {
    parts.push(svg('text', { class: 'empty-text', x: left + plotWidth / 2, y: top + plotHeight / 2, 'text-anchor': 'middle' }, 'no data yet'));
  }
  const slot = plotWidth / Math.max(groups.length, 1);
  const gap = Math.min(slot * 0.25, 8);
  groups.forEach((group, i) => {
    const barWidth = (slot - gap) / Math.max(group.values.length, 1);
    group.values.forEach((v, j) => {
      const value = Math.max(0, v.value || 0);
      // A non-zero value stays visible even when tiny next to the maximum.
      const barHeight = value > 0 ? Math.max(1.5, (value / max) * plotHeight) : 0;
      const rect = svg('rect', {
        class: v.cls,
        x: (left + i * slot + gap / 2 + j * barWidth).toFixed(1),
        y: (top + plotHeight - barHeight).toFixed(1),
        width: Math.max(1, barWidth - 1).toFixed(1),
        height: barHeight.toFixed(1),
      });
      rect.append(svg('title', {}, v.title ?? `${group.title}: ${format(value)}`));
      parts.push(rect);
    });
  });
  parts.push(svg('line', { class: 'axis', x1: left, x2: width - right, y1: y(0), y2: y(0) }));
  if (groups.length) {
    parts.push(svg('text', { x: left, y: height - 6 }, groups[0].label));
    if (groups.length > 1) {
      parts.push(svg('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, groups.at(-1).label));
    }
  }
  chart.setAttribute('aria-label', ariaLabel);
  chart.replaceChildren(...parts);
}

// ---------------------------------------------------------------- pool view

function renderPool(pool, now) {
  const size = Number(pool.size);
  const active = Number(pool.active);
  const ratio = size > 0 ? active / size : 0;
  setText($('pool-size'), integer(size));
  setText($('pool-active'), integer(active));
  setText($('pool-available'), integer(Number(pool.available)));
  setText($('pool-utilisation'), size > 0 ? `${Math.round(ratio * 100)} %` : '—');
  setText($('pool-waiters'), Number.isFinite(Number(pool.waiters)) ? integer(Number(pool.waiters)) : '—');
  setClass($('pool-utilisation'), 'high', ratio >= 0.9);
  setText($('pool-lifetime'), isoDurationText(pool.tokenLifetime));
  if (pool.nodeId) setText($('served-by'), `node ${pool.nodeId}`);

  if (size > 0) state.samples.push({ t: now, ratio, active, size });
  state.samples = state.samples.filter((s) => s.t >= now - HISTORY_MS);
  drawUtilisation($('pool-chart'), state.samples, now);

  const activity = pool.activity ?? {};
  const minutes = Array.isArray(activity.minutes) ? activity.minutes : [];
  $('pool-partial').hidden = activity.complete !== false;
  renderActivity(minutes);
}

function renderActivity(minutes) {
  const label = (m) => { const d = instant(m.start); return d ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : '?'; };
  const current = minutes.at(-1);
  drawBars($('pool-activity-chart'), minutes.map((m, i) => {
    const isCurrent = i === minutes.length - 1;
    const suffix = isCurrent ? ' (current minute, still counting)' : '';
    return {
      label: isCurrent ? `${label(m)} now` : label(m),
      values: [
        { value: m.expired, cls: `bar-expired${isCurrent ? ' current' : ''}`, title: `${label(m)}: ${m.expired} expired${suffix}` },
        { value: m.evicted, cls: `bar-evicted${isCurrent ? ' current' : ''}`, title: `${label(m)}: ${m.evicted} evicted${suffix}` },
      ],
    };
  }), {
    ariaLabel: current
      ? `Expired and evicted tokens per minute over the last ${minutes.length} minutes; current minute: ${current.expired} expired, ${current.evicted} evicted`
      : 'Expired and evicted per minute: no data',
  });

  // The table reads newest first, like the runs.
  const rows = [...minutes].reverse();
  syncRows($('pool-activity-body'), rows, (m) => m.start, 'minute', () => el('tr', {},
    el('th', { scope: 'row' }), ...['activations', 'renewals', 'expired', 'evicted', 'released', 'cleared']
      .map((field) => el('td', { class: `num activity-${field}` }))), (tr, m) => {
    const cells = tr.children;
    setText(cells[0], m === current ? `${label(m)} (now)` : label(m));
    setAttr(cells[0], 'title', m.start);
    setClass(tr, 'current', m === current);
    ['activations', 'renewals', 'expired', 'evicted', 'released', 'cleared']
      .forEach((field, i) => setText(cells[i + 1], integer(Number(m[field] ?? 0))));
  });
}

// Keeps a select's options (in the order of values) without resetting the selection; a selected
// value no longer among them stays, at the end, so a choice never changes by itself.
function syncOptions(select, values, labelOf) {
  const selected = select.value;
  const wanted = [...values];
  if (selected && !values.includes(selected)) wanted.push(selected);
  const options = new Map([...select.options].map((o) => [o.value, o]));
  wanted.forEach((value, i) => {
    let option = options.get(value);
    options.delete(value);
    if (!option) option = el('option', { value }, labelOf(value));
    if (select.options[i] !== option) select.insertBefore(option, select.options[i] ?? null);
  });
  for (const option of options.values()) option.remove();
  if (select.value !== selected) select.value = selected;
}

// ---------------------------------------------------------------- pools view and the picker

function createPoolRow(pool) {
  const button = (cls, label) => el('button', { type: 'button', class: cls, 'aria-label': `${label} ${pool.name}` }, label);
  return labelCells('pools', el('tr', {},
    el('td', { class: 'pool-name-cell' }, el('strong', { class: 'pool-title' }), ' ', el('small', { class: 'pool-set-by' }),
      el('span', { class: 'tag pool-shown' })),
    el('td', { class: 'num pool-size' }),
    el('td', { class: 'num pool-tokens' }),
    el('td', { class: 'num pool-active' }),
    el('td', { class: 'num pool-available' }),
    el('td', { class: 'num pool-retiring' }),
    el('td', { class: 'pool-on-full' }),
    el('td', { class: 'pool-actions' }, button('pool-show', 'Show'), button('pool-resize', 'Resize'))));
}

function updatePoolRow(tr, pool) {
  const q = (selector) => tr.querySelector(selector);
  setText(q('.pool-title'), pool.name);
  setText(q('.pool-set-by'), pool.setBy ? `set by ${pool.setBy}` : '');
  setAttr(q('.pool-name-cell'), 'title', pool.updatedAt ? `last changed ${pool.updatedAt}` : null);
  setText(q('.pool-size'), integer(Number(pool.size)));
  setText(q('.pool-tokens'), integer(Number(pool.tokens)));
  setText(q('.pool-active'), integer(Number(pool.active)));
  setText(q('.pool-available'), integer(Number(pool.available)));
  setText(q('.pool-retiring'), integer(Number(pool.retiring)));
  setText(q('.pool-on-full'), pool.onFullDefault ?? '—');
  setAttr(q('.pool-on-full'), 'title', pool.leaseDefault
    ? `lease ${pool.leaseDefault} by default, ${pool.leaseMax} at most; a holding lasts ${pool.maxHold} at most`
    : null);
  markShown(tr);

  // Monitor logins see Resize disabled, with the reason as a tooltip (and a hint under the table).
  const readOnly = state.role !== 'ADMIN';
  const resize = q('.pool-resize');
  if (resize.disabled !== readOnly) resize.disabled = readOnly;
  setAttr(resize, 'title', readOnly ? READ_ONLY_TITLE : null);
}

// inRefresh: called while a refresh renders, which then asks again at once for a changed choice.
function renderPools(answer, inRefresh = false) {
  const pools = Array.isArray(answer.pools) ? answer.pools : [];
  state.pools = pools;
  state.poolsNextAfter = answer.nextAfter ?? null;
  syncRows($('pools-body'), pools, (p) => p.name, 'pool', createPoolRow, updatePoolRow);
  $('pools-empty').hidden = pools.length > 0;
  const more = answer.nextAfter ? `More pools than the console lists: the first ${pools.length} are shown` : '';
  setText($('pools-more'), more);
  $('pools-more').hidden = !more;
  const readOnly = state.role !== 'ADMIN';
  const create = $('pool-new');
  if (create.disabled !== readOnly) create.disabled = readOnly;
  setAttr(create, 'title', readOnly ? READ_ONLY_TITLE : null);
  $('pools-readonly').hidden = state.role !== 'MONITOR';

  const names = pools.map((p) => p.name);
  // The pool shown is gone (deleted), or this login may not see it (an operator of some pools
  // only does not see the default): show one that is listed instead.
  if (names.length && !names.includes(state.pool) && !answer.nextAfter) {
    selectPool(names.includes(DEFAULT_POOL) ? DEFAULT_POOL : names[0], inRefresh);
  }
  syncOptions($('pool-picker'), names, (name) => name);
}

// Marks the row of the pool the Pool view shows, in words too.
function markShown(tr) {
  const shown = tr.dataset.pool === state.pool;
  setClass(tr, 'current', shown);
  setAttr(tr, 'aria-current', shown ? 'true' : null);
  setText(tr.querySelector('.pool-shown'), shown ? 'shown in the Pool view' : '');
}

// Shows another pool in the Pool view: its counts, its minutes and its live events.
function selectPool(name, inRefresh = false) {
  const picker = $('pool-picker');
  if (![...picker.options].some((o) => o.value === name)) picker.append(el('option', { value: name }, name));
  if (picker.value !== name) picker.value = name;
  if (name === state.pool) return;
  state.pool = name;
  clearPoolView();
  for (const tr of $('pools-body').rows) markShown(tr);
  if (state.session) {
    openLiveEvents();
    if (inRefresh) state.pending = true;
    else refreshNow();
  }
}

// The Pool view's data belongs to one pool: blank it while another one's is on its way.
function clearPoolView() {
  setText($('pool-name'), state.pool);
  state.samples = [];
  for (const id of ['pool-size', 'pool-active', 'pool-available', 'pool-utilisation', 'pool-waiters', 'pool-lifetime']) setText($(id), '—');
  setClass($('pool-utilisation'), 'high', false);
  $('pool-activity-body').replaceChildren();
  $('pool-partial').hidden = true;
  $('live-events-body').replaceChildren();
  for (const id of ['pool-chart', 'pool-activity-chart']) $(id).replaceChildren();
  $('pool-chart').setAttribute('aria-label', 'Pool utilisation: no sample yet');
  $('pool-activity-chart').setAttribute('aria-label', 'Expired and evicted per minute: no data yet');
}

function onPoolsClick(event) {
  const button = event.target.closest('button');
  const row = button?.closest('tr[data-pool]');
  if (!button || !row || button.disabled) return;
  const name = row.dataset.pool;
  if (button.classList.contains('pool-show')) {
    selectPool(name);
    location.hash = '#pool';
    $('pool-picker').focus();
  } else if (button.classList.contains('pool-resize')) {
    if (!state.busyPools.has(name)) askResize(name, button);
  }
}

// A whole number of tokens within the pools' bounds, or null.
function sizeOf(text) {
  const typed = text.trim();
  if (!/^[0-9]+$/.test(typed)) return null;
  const size = Number(typed);
  return size <= MAX_POOL_SIZE ? size : null;
}

const SIZE_ERROR = `Give a whole number of tokens from 0 to ${MAX_POOL_SIZE}`;

// The dialogs that change pools stay open until the node has answered: a refusal (a taken name,
// a size out of bounds) shows in the dialog, beside what to correct.
const poolDialog = { opener: null, name: null, busy: false };

function openPoolDialog(dialog, opener, focus) {
  poolDialog.opener = opener;
  poolDialog.busy = false;
  dialog.returnValue = '';
  dialog.showModal();
  focus.select();
}

function onPoolDialogClose() {
  const opener = poolDialog.opener;
  poolDialog.opener = null;
  if (opener?.isConnected) opener.focus();
}

// The resize dialog is its own confirmation: it says what the new size does, on every node.
function askResize(name, opener) {
  const pool = state.pools.find((p) => p.name === name);
  poolDialog.name = name;
  setText($('resize-title'), `Resize ${name}`);
  $('resize-text').textContent = pool
    ? `${name} has a size of ${pool.size} (${pool.active} of its ${pool.tokens} tokens active). `
      + 'A new size is in force on every node at once; growing adds tokens, shrinking evicts no one.'
    : `A new size for ${name} is in force on every node at once.`;
  $('resize-input').value = pool ? String(pool.size) : '';
  describeResize();
  openPoolDialog($('resize-dialog'), opener, $('resize-input'));
}

// Says, as the operator types, what the size typed would change.
function describeResize() {
  $('resize-error').textContent = '';
  const pool = state.pools.find((p) => p.name === poolDialog.name);
  const size = sizeOf($('resize-input').value);
  let text = '';
  if (pool && size !== null) {
    const from = Number(pool.size);
    if (size > from) text = `${from} → ${size}: adds ${size - from} token${size - from === 1 ? '' : 's'}.`;
    else if (size < from) {
      text = `${from} → ${size}: retires ${from - size} token${from - size === 1 ? '' : 's'}; free ones at once, `
        + 'held ones when their holding ends.';
    } else text = 'This is the size it has: nothing changes.';
  }
  setText($('resize-change'), text);
}

async function onResizeSubmit(event) {
  event.preventDefault();
  if (poolDialog.busy) return;
  const name = poolDialog.name;
  const size = sizeOf($('resize-input').value);
  if (size === null) {
    $('resize-error').textContent = SIZE_ERROR;
    $('resize-input').focus();
    return;
  }
  const answer = await sendPoolChange($('resize-dialog'), $('resize-error'), $('resize-input'), name,
    () => api.resizePool(name, size));
  if (answer) showResult($('pools-result'), `${name} has a size of ${answer.size ?? size} on every node`, false);
}

function askCreate(opener) {
  $('create-name').value = '';
  $('create-size').value = '';
  $('create-error').textContent = '';
  openPoolDialog($('create-dialog'), opener, $('create-name'));
}

async function onCreateSubmit(event) {
  event.preventDefault();
  if (poolDialog.busy) return;
  const name = $('create-name').value.trim();
  const size = sizeOf($('create-size').value);
  if (!POOL_NAME.test(name)) {
    $('create-error').textContent = 'Give a name of 1 to 64 characters of a-z, 0-9, - and _';
    $('create-name').focus();
    return;
  }
  if (size === null) {
    $('create-error').textContent = SIZE_ERROR;
    $('create-size').focus();
    return;
  }
  const answer = await sendPoolChange($('create-dialog'), $('create-error'), $('create-name'), name,
    () => api.createPool(name, size));
  if (answer) showResult($('pools-result'), `${name} created with ${answer.size ?? size} tokens: pick it in the Pool view`, false);
}

// Sends a pool change from its dialog: closes the dialog and answers the node's answer on
// success; on a refusal keeps the dialog open with the node's reason, and answers null.
async function sendPoolChange(dialog, error, field, name, send) {
  const generation = state.generation;
  const form = dialog.querySelector('form');
  poolDialog.busy = true;
  state.busyPools.add(name);
  form.setAttribute('aria-busy', 'true');
  error.textContent = '';
  try {
    const answer = await send();
    if (generation !== state.generation) return null;
    state.actions += 1;  // a refresh under way read the pools before the change: drop its answer
    if (answer && answer.name === name) {
      const known = state.pools.some((p) => p.name === name);
      const pools = known
        ? state.pools.map((p) => (p.name === name ? { ...p, ...answer } : p))
        : [...state.pools, answer].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      renderPools({ pools, nextAfter: state.poolsNextAfter });
    }
    if (dialog.open) dialog.close('ok');
    return answer ?? {};
  } catch (e) {
    if (generation !== state.generation) return null;
    if (e.status === 401) { expireLogin(); return null; }
    error.textContent = e.detail || 'The node does not answer';
    if (dialog.open) field.focus();
    return null;
  } finally {
    poolDialog.busy = false;
    state.busyPools.delete(name);
    form.removeAttribute('aria-busy');
    refreshNow();
  }
}

// ---------------------------------------------------------------- jobs view

const STATE_CLASSES = ['state-normal', 'state-paused', 'state-running', 'state-error', 'state-none'];
const OUTCOME_CLASSES = ['outcome-success', 'outcome-failed', 'outcome-running'];

function stateClass(job) {
  if (job.state === 'PAUSED') return 'state-paused';
  if (job.state === 'ERROR') return 'state-error';
  if (job.state === 'BLOCKED' || (job.runningOn ?? []).length) return 'state-running';
  if (job.state === 'NORMAL') return 'state-normal';
  return 'state-none';
}

function createJobRow(job) {
  const button = (cls, label) => el('button', { type: 'button', class: cls, 'aria-label': `${label} ${job.name}` }, label);
  return labelCells('jobs', el('tr', {},
    el('td', { class: 'job-name' }, el('strong', { class: 'job-title' }), ' ', el('small', { class: 'job-description' })),
    el('td', { class: 'job-schedule' }),
    el('td', { class: 'job-state' }, el('span', { class: 'badge job-state-word' }), el('span', { class: 'job-running' })),
    el('td', { class: 'job-next-fire' }, el('span', { class: 'abs' }), ' ', el('span', { class: 'rel' })),
    el('td', { class: 'job-last-run' }, el('span', { class: 'badge last-outcome' }), ' ', el('span', { class: 'last-detail' })),
    el('td', { class: 'job-actions' },
      button('job-pause', 'Pause'), button('job-resume', 'Resume'), button('job-trigger', 'Trigger now'),
      button('job-reschedule', 'Change schedule'))));
}

function updateJobRow(tr, job, now) {
  const q = (selector) => tr.querySelector(selector);
  setText(q('.job-title'), job.name);
  setText(q('.job-description'), job.description ?? '');
  const interval = isoSeconds(job.interval);
  const every = interval === null ? (job.interval ?? '—') : `every ${secondsText(interval)}`;
  const byOperator = job.intervalSetBy && job.intervalSetBy !== 'setting';
  setText(q('.job-schedule'), byOperator ? `${every} · set by ${job.intervalSetBy}` : every);
  setAttr(q('.job-schedule'), 'title', byOperator
    ? `${job.interval}, set by ${job.intervalSetBy}${job.intervalSetAt ? ` at ${job.intervalSetAt}` : ''}; no node's setting replaces it`
    : `${job.interval ?? ''}, from the nodes' setting`);

  const word = q('.job-state-word');
  setText(word, job.state ?? 'NONE');
  setOneOf(word, STATE_CLASSES, stateClass(job));
  const runningOn = job.runningOn ?? [];
  setText(q('.job-running'), runningOn.length ? ` · running on ${runningOn.join(', ')}` : '');

  // A paused trigger keeps its next fire time, but nothing fires until it is resumed.
  const next = job.state === 'PAUSED' ? null : instant(job.nextFireTime);
  setText(q('.job-next-fire .abs'), next ? clock(next) : job.state === 'PAUSED' ? 'paused' : '—');
  setText(q('.job-next-fire .rel'), next ? relative(next, now) : '');
  setAttr(q('.job-next-fire'), 'title', job.nextFireTime ?? null);

  const cell = q('.job-last-run');
  const outcome = job.lastRunOutcome ?? '';
  const outcomeBadge = q('.last-outcome');
  setText(outcomeBadge, outcome);
  setOneOf(outcomeBadge, OUTCOME_CLASSES, outcome && `outcome-${outcome.toLowerCase()}`);
  setClass(outcomeBadge, 'failed', outcome === 'FAILED');
  setClass(cell, 'failed', outcome === 'FAILED');
  const finished = instant(job.lastRunFinishedAt);
  const detail = outcome ? [
    job.lastRunReleased !== null && job.lastRunReleased !== undefined ? `${job.lastRunReleased} released` : null,
    Number.isFinite(job.lastRunDurationMillis) ? millisText(job.lastRunDurationMillis) : null,
    finished ? `finished ${clock(finished)}` : (outcome === 'RUNNING' ? 'running now' : null),
  ].filter(Boolean).join(' · ') : 'no run yet';
  setText(q('.last-detail'), detail);
  setAttr(cell, 'title', job.lastRunFinishedAt ?? null);

  // Monitor logins see the buttons, disabled, with the reason as a tooltip (and a visible hint).
  const readOnly = state.role !== 'ADMIN';
  const paused = job.state === 'PAUSED';
  const buttons = {
    '.job-pause': readOnly || paused,
    '.job-resume': readOnly || !paused,
    '.job-trigger': readOnly,
    '.job-reschedule': readOnly,
  };
  for (const [selector, disabled] of Object.entries(buttons)) {
    const button = q(selector);
    if (button.disabled !== disabled) button.disabled = disabled;
    setAttr(button, 'title', readOnly ? READ_ONLY_TITLE : null);
  }
}

function renderJobs(jobs, now) {
  state.jobs = jobs;
  syncRows($('jobs-body'), jobs, (j) => j.name, 'job', createJobRow, (tr, job) => updateJobRow(tr, job, now));
  $('jobs-empty').hidden = jobs.length > 0;
  $('jobs-readonly').hidden = state.role !== 'MONITOR';
  syncRunsFilter(jobs.map((j) => j.name));
}

// Keeps the filter's options (All jobs + one per job) without resetting the selection.
function syncRunsFilter(names) {
  syncOptions($('runs-filter'), ['', ...names], (value) => value || 'All jobs');
}

const ACTION_TEXT = {
  pause: (name) => `${name} paused`,
  resume: (name) => `${name} resumed`,
  trigger: (name) => `${name} triggered: the run appears in Runs as manual`,
  reschedule: (name, job) => `${name} runs every ${job ? secondsText(isoSeconds(job.interval) ?? 0) : '?'} on the whole cluster`,
  reset: (name, job) => `${name} is back on its setting: every ${job ? secondsText(isoSeconds(job.interval) ?? 0) : '?'}`,
};

function showResult(node, text, isError) {
  // Clearing first makes a repeated identical message be announced again.
  node.textContent = '';
  setClass(node, 'error', isError);
  clearTimeout(node.resultTimer);
  node.resultTimer = setTimeout(() => { node.textContent = text; }, 60);
}

async function onJobsClick(event) {
  const button = event.target.closest('button');
  const row = button?.closest('tr[data-job]');
  if (!button || !row || button.disabled) return;
  const verb = ['pause', 'resume', 'trigger', 'reschedule'].find((v) => button.classList.contains(`job-${v}`));
  if (!verb) return;
  const name = row.dataset.job;
  if (state.busyJobs.has(name)) return;
  if (verb === 'trigger' && !(await confirmTrigger(name, button))) return;
  if (verb === 'reschedule') {
    const change = await askSchedule(name, button);
    if (change) await runAction(name, change.reset ? 'reset' : 'reschedule', row, change.interval);
    return;
  }
  await runAction(name, verb, row);
}

function send(name, verb, interval) {
  if (verb === 'reschedule') return api.setSchedule(name, interval);
  if (verb === 'reset') return api.resetSchedule(name);
  return api.jobAction(name, verb);
}

async function runAction(name, verb, row, interval) {
  const generation = state.generation;
  state.busyJobs.add(name);
  try {
    const answer = await send(name, verb, interval);
    if (generation !== state.generation) return;
    showResult($('action-result'), ACTION_TEXT[verb](name, answer), false);
    // Pause and resume answer the job's new status: show it at once, before the refresh. A
    // refresh already under way read the old status: its jobs answer is dropped (actions count).
    state.actions += 1;
    if (verb !== 'trigger' && answer && answer.name === name) {
      renderJobs(state.jobs.map((j) => (j.name === name ? { ...j, ...answer } : j)), Date.now());
    }
  } catch (e) {
    if (generation !== state.generation) return;
    if (e.status === 401) { expireLogin(); return; }
    showResult($('action-result'), `Could not ${verb} ${name}: ${e.detail}`, true);
  } finally {
    state.busyJobs.delete(name);
  }
  // Pausing disables Pause: keep keyboard focus in the row, on the button that now applies.
  const focused = document.activeElement;
  if (row.isConnected && (focused === document.body || (row.contains(focused) && focused.disabled))) {
    row.querySelector('.job-actions button:not(:disabled)')?.focus();
  }
  refreshNow();
}

// "PT10S" as typed, or a whole number of seconds.
function intervalOf(text) {
  const typed = text.trim().toUpperCase();
  if (/^[0-9]+$/.test(typed)) return `PT${typed}S`;
  return isoSeconds(typed) > 0 ? typed : null;
}

// The schedule dialog is its own confirmation: it says what changes, for the whole cluster.
// Resolves { interval } or { reset: true }, or null when cancelled.
function askSchedule(name, opener) {
  const dialog = $('schedule-dialog');
  const job = state.jobs.find((j) => j.name === name);
  const byOperator = job && job.intervalSetBy && job.intervalSetBy !== 'setting';
  $('schedule-text').textContent = `${name} now runs every ${job ? job.interval : '?'}`
    + (byOperator ? `, set by ${job.intervalSetBy}.` : ', from the nodes\' setting.')
    + ' A new interval acts on every node of the cluster and outlasts restarts.';
  $('schedule-input').value = job ? job.interval : '';
  $('schedule-error').textContent = '';
  $('schedule-reset').disabled = !byOperator;
  setAttr($('schedule-reset'), 'title', byOperator ? null : 'The job already follows its setting');
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (opener.isConnected) opener.focus();
      if (dialog.returnValue === 'reset') resolve({ reset: true });
      else if (dialog.returnValue === 'ok') resolve({ interval: intervalOf($('schedule-input').value) });
      else resolve(null);
    }, { once: true });
    dialog.showModal();
    $('schedule-input').select();
  });
}

function onScheduleSubmit(event) {
  event.preventDefault();
  if (!intervalOf($('schedule-input').value)) {
    $('schedule-error').textContent = 'Give an ISO-8601 duration such as PT10S or PT5M, or a whole number of seconds';
    $('schedule-input').focus();
    return;
  }
  $('schedule-dialog').close('ok');
}

// Native modal dialog: it traps focus and Escape cancels it.
function confirmTrigger(name, opener) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent = `Run ${name} now, once, on some node of the cluster?`;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (opener.isConnected) opener.focus();
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
    dialog.showModal();
    $('confirm-ok').focus();
  });
}

// A modal dialog keeps the rest of the page inert, but Tab can still leave for the browser's
// own controls: wrap it between the dialog's first and last controls.
function trapTab(event) {
  if (event.key !== 'Tab') return;
  const buttons = [...event.currentTarget.querySelectorAll('input:not(:disabled), button:not(:disabled)')];
  const first = buttons[0];
  const last = buttons.at(-1);
  if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
  else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
}

// ---------------------------------------------------------------- runs view

function runKey(run) {
  return run.fireInstanceId ?? `${run.job}|${run.nodeId}|${run.startedAt}`;
}

function runMillis(run, now) {
  const started = instant(run.startedAt);
  if (!started) return null;
  const finished = instant(run.finishedAt);
  if (finished) return finished - started;
  return run.outcome === 'RUNNING' ? now - started : null;
}

function createRunRow() {
  return el('tr', { class: 'run' },
    el('td', { class: 'run-job' }, el('span', { class: 'run-job-name' }), el('span', { class: 'tag run-recovering' })),
    el('td', { class: 'run-node' }),
    el('td', { class: 'run-scheduled' }),
    el('td', { class: 'run-started' }),
    el('td', { class: 'run-finished' }),
    el('td', { class: 'run-duration num' }),
    el('td', { class: 'run-outcome' }, el('span', { class: 'badge' })),
    el('td', { class: 'run-released num' }),
    el('td', { class: 'run-manual' }),
    el('td', { class: 'run-schedule' }),
    el('td', { class: 'run-error' }));
}

function updateRunRow(tr, run, now) {
  const q = (selector) => tr.querySelector(selector);
  setClass(tr, 'failed', run.outcome === 'FAILED');
  setClass(tr, 'running', run.outcome === 'RUNNING');
  setText(q('.run-job-name'), run.job ?? '');
  // Text only when set, so the cell reads as just the job name otherwise.
  setText(q('.run-recovering'), run.recovering ? 'recovery' : '');
  setText(q('.run-node'), run.nodeId ?? '—');
  setTime(q('.run-scheduled'), run.scheduledAt);
  setTime(q('.run-started'), run.startedAt);
  setTime(q('.run-finished'), run.finishedAt);
  const millis = runMillis(run, now);
  setText(q('.run-duration'), millis === null ? '—' : millisText(millis) + (run.finishedAt ? '' : ' so far'));
  const badge = q('.run-outcome .badge');
  setText(badge, run.outcome ?? '?');
  setOneOf(badge, OUTCOME_CLASSES, run.outcome && `outcome-${run.outcome.toLowerCase()}`);
  setText(q('.run-released'), integer(Number(run.released)));
  setText(q('.run-manual'), run.manual ? 'manual' : 'scheduled');
  const every = isoSeconds(run.schedule);
  setText(q('.run-schedule'), every === null ? (run.schedule ?? '—') : `every ${secondsText(every)}`);
  setAttr(q('.run-schedule'), 'title', run.schedule ?? 'no schedule: a direct run');
  setText(q('.run-error'), run.error ?? '');
  setAttr(q('.run-error'), 'title', run.error || null);
}

function renderRuns(runs, now) {
  syncRows($('runs-body'), runs, runKey, 'fire', createRunRow, (tr, run) => updateRunRow(tr, run, now));
  $('runs-empty').hidden = runs.length > 0;

  const oldestFirst = [...runs].reverse();
  const latest = runs[0];
  const describe = (run) => `${run.job} at ${instant(run.startedAt) ? clock(instant(run.startedAt)) : '?'} (${run.outcome})`;
  const barClass = (run, normal) => (run.outcome === 'FAILED' ? 'bar-failed' : run.outcome === 'RUNNING' ? 'bar-running' : normal);
  const label = (run) => { const d = instant(run.startedAt); return d ? clock(d) : ''; };
  drawBars($('runs-released-chart'), oldestFirst.map((run) => ({
    label: label(run),
    values: [{ value: Number(run.released) || 0, cls: barClass(run, 'bar-released'), title: `${describe(run)}: ${run.released ?? 0} released` }],
  })), {
    format: (v) => trimNumber(v, 1),
    ariaLabel: latest
      ? `Tokens released per run, ${runs.length} runs, oldest left; latest run released ${latest.released ?? 0}`
      : 'Released per run: no run yet',
  });
  drawBars($('runs-duration-chart'), oldestFirst.map((run) => {
    const millis = runMillis(run, now) ?? 0;
    return { label: label(run), values: [{ value: millis, cls: barClass(run, 'bar-duration'), title: `${describe(run)}: ${millisText(millis)}` }] };
  }), {
    format: millisText,
    ariaLabel: latest
      ? `Duration per run in milliseconds, ${runs.length} runs, oldest left; latest run ${millisText(runMillis(latest, now) ?? 0)}`
      : 'Duration per run: no run yet',
  });
}

// ---------------------------------------------------------------- cluster view

function createNodeRow() {
  return labelCells('nodes', el('tr', {},
    el('td', { class: 'node-id' }, el('span', { class: 'node-name' }), el('span', { class: 'node-this' })),
    el('td', { class: 'node-checkin' }, el('span', { class: 'abs' }), ' ', el('span', { class: 'rel' })),
    el('td', { class: 'node-interval' }),
    el('td', { class: 'node-alive' }),
    el('td', { class: 'node-latest' }, el('span', { class: 'latest-job' }), el('span', { class: 'badge' }), el('span', { class: 'latest-when small' })),
    el('td', { class: 'node-runs num' })));
}

function updateNodeRow(tr, node, servedBy, latestN, now) {
  const q = (selector) => tr.querySelector(selector);
  setText(q('.node-name'), node.nodeId);
  setText(q('.node-this'), node.nodeId === servedBy ? "(this page's node)" : '');
  const checkIn = instant(node.lastCheckIn);
  setText(q('.node-checkin .abs'), checkIn ? clock(checkIn) : '—');
  setText(q('.node-checkin .rel'), checkIn ? relative(checkIn, now) : '');
  setAttr(q('.node-checkin'), 'title', node.lastCheckIn ?? null);
  setText(q('.node-interval'), isoDurationText(node.checkInInterval));
  const alive = node.alive === true;
  setText(q('.node-alive'), alive ? 'alive' : 'presumed dead');
  setClass(q('.node-alive'), 'alive', alive);
  setClass(q('.node-alive'), 'dead', !alive);
  setClass(tr, 'dead', !alive);

  const run = node.latestRun;
  const started = instant(run?.startedAt);
  setText(q('.latest-job'), run ? `${run.job} ` : '—');
  const badge = q('.node-latest .badge');
  setText(badge, run?.outcome ?? '');
  setOneOf(badge, OUTCOME_CLASSES, run?.outcome && `outcome-${run.outcome.toLowerCase()}`);
  setText(q('.latest-when'), started ? ` ${clock(started)}, ${relative(started, now)}` : '');
  setAttr(q('.node-latest'), 'title', run?.startedAt ?? null);
  setText(q('.node-runs'), integer(Number(node.runsInLatest)));
  setAttr(q('.node-runs'), 'data-label', `Fires / last ${latestN}`);
}

function renderNodes(answer, now) {
  const nodes = Array.isArray(answer.nodes) ? answer.nodes : [];
  syncRows($('nodes-body'), nodes, (n) => n.nodeId, 'node', createNodeRow,
    (tr, node) => updateNodeRow(tr, node, answer.servedBy, answer.latestRunsConsidered ?? RUNS_LIMIT, now));
  $('nodes-empty').hidden = nodes.length > 0;
  $('nodes-wrap').hidden = nodes.length === 0;
  setText($('nodes-latest-n'), String(answer.latestRunsConsidered ?? RUNS_LIMIT));
  if (answer.servedBy) setText($('served-by'), `node ${answer.servedBy}`);
}

// ---------------------------------------------------------------- refresh

// Fetches every view's data (not only the visible one) and updates the DOM in place.
async function refresh() {
  if (!state.session) return;
  if (state.inFlight) { state.pending = true; return; }
  clearTimeout(state.timer);
  state.inFlight = true;
  state.pending = false;
  const generation = state.generation;
  const started = Date.now();
  const actionsBefore = state.actions;
  const filter = $('runs-filter').value;
  const poolName = state.pool;

  const [me, pool, pools, jobs, runs, nodes] = await Promise.allSettled([
    state.role ? Promise.resolve(null) : api.me(),  // after a reload: learn the role once
    api.pool(poolName), api.pools(), api.jobs(), api.runs(filter), api.nodes(),
  ]);
  state.inFlight = false;
  if (generation !== state.generation) {
    // Logged out (or in again) meanwhile: a new login asked for a refresh while this one ran.
    if (state.session && state.pending) refresh();
    return;
  }

  const results = [me, pool, pools, jobs, runs, nodes];
  if (results.some((r) => r.status === 'rejected' && r.reason?.status === 401)) { expireLogin(); return; }

  const problems = [];
  const now = Date.now();
  // Each view renders on its own: one bad answer must not blank the others.
  const render = (result, what, fn) => {
    if (result.status === 'rejected') { problems.push(`${what}: ${result.reason?.detail ?? String(result.reason)}`); return; }
    try { fn(result.value); } catch (e) { problems.push(`unexpected answer for ${what} (${e.message})`); }
  };
  render(me, 'the login', (value) => { if (value) { state.role = value.role; showWhoami(value.user ?? state.session.user); } });
  if (poolName === state.pool) render(pool, `the pool ${poolName}`, (value) => renderPool(value, now));
  else state.pending = true;  // another pool was picked during the request: ask again
  if (actionsBefore === state.actions) {
    render(pools, 'the pools', (value) => renderPools(value, true));
    render(jobs, 'the jobs', (value) => renderJobs(Array.isArray(value.jobs) ? value.jobs : [], now));
  } else {
    state.pending = true;  // an action changed a job or a pool during the request: ask again
  }
  if (filter === $('runs-filter').value) render(runs, 'the runs', (value) => renderRuns(Array.isArray(value.runs) ? value.runs : [], now));
  else state.pending = true;  // the filter changed during the request: ask again
  render(nodes, 'the nodes', (value) => renderNodes(value, now));
  showRefreshStatus(problems);

  const wait = state.pending ? 0 : Math.max(0, REFRESH_MS - (Date.now() - started));
  state.timer = setTimeout(refresh, wait);
}

function refreshNow() {
  if (state.inFlight) state.pending = true;
  else refresh();
}

function showRefreshStatus(problems) {
  const node = $('last-refresh');
  // Screen readers hear only a change between fresh and failed, not every "updated" time.
  const failed = problems.length > 0;
  if (failed !== state.refreshFailed) {
    state.refreshFailed = failed;
    setText($('refresh-alert'), failed ? 'Refresh failed: the data shown is old' : 'Refresh works again');
  }
  if (problems.length === 0) {
    state.lastSuccess = new Date();
    setText(node, `updated ${clock(state.lastSuccess)}`);
    setClass(node, 'stale', false);
    setAttr(node, 'title', null);
  } else {
    // Keep the last data on screen; say that it is old and why.
    setText(node, `refresh failed: ${[...new Set(problems)].join('; ')}`);
    setClass(node, 'stale', true);
    setAttr(node, 'title', state.lastSuccess ? `data from ${clock(state.lastSuccess)}` : 'no data yet');
  }
}

// ---------------------------------------------------------------- login, logout, routing

function showWhoami(user) {
  const role = state.role ? state.role.toLowerCase() : '…';
  setText($('whoami'), `${user} · ${role}${state.role === 'MONITOR' ? ' (read-only)' : ''}`);
}

function startSession(session, role) {
  state.session = session;
  state.role = role;
  state.generation += 1;
  $('login').hidden = true;
  $('console').hidden = false;
  showWhoami(session.user);
  route();
  refresh();
  openLiveEvents();
}

// ---------------------------------------------------------------- live events

const LIVE_EVENTS_SHOWN = 50;
const EVENT_TYPES = ['activated', 'renewed', 'released', 'expired', 'evicted', 'cleared'];

// The session cookie goes along (same origin); the browser resumes a dropped stream by itself,
// with the id of the last event it received, on whatever node the balancer picks. The stream
// follows the pool the Pool view shows: picking another pool opens another stream.
function openLiveEvents() {
  closeLiveEvents();
  $('live-events-body').replaceChildren();
  setText($('live-events-state'), '(connecting)');
  const pool = state.pool;
  const source = new EventSource(`${BASE}/api/admin/events?pool=${encodeURIComponent(pool)}`);
  state.liveEvents = source;
  source.onopen = () => setText($('live-events-state'), '(live)');
  source.onerror = () => setText($('live-events-state'), '(reconnecting)');
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (message) => {
      let event;
      try { event = camelize(JSON.parse(message.data)); } catch { return; }
      if (source !== state.liveEvents || (event.pool && event.pool !== pool)) return;
      showLiveEvent(event);
    });
  }
}

function closeLiveEvents() {
  if (state.liveEvents) state.liveEvents.close();
  state.liveEvents = null;
}

function showLiveEvent(event) {
  const body = $('live-events-body');
  const at = instant(event.at);
  const time = at ? `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` : '?';
  const tr = el('tr', { class: `event-${event.type}` },
    el('td', { title: event.at ?? '' }, time),
    el('td', { class: 'event-type' }, event.type),
    el('td', {}, event.userId ?? ''),
    el('td', { title: event.tokenId ?? '' }, String(event.tokenId ?? '').slice(0, 8)),
    el('td', { class: 'num' }, String(event.fence ?? '')));
  body.prepend(tr);
  while (body.children.length > LIVE_EVENTS_SHOWN) body.lastElementChild.remove();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  const form = $('login-form');
  if (form.getAttribute('aria-busy') === 'true') return;
  const user = $('login-user').value.trim();
  const password = $('login-password').value;
  const error = $('login-error');
  if (!user || !password) { error.textContent = 'Enter user and password'; return; }
  const authorization = `Basic ${base64(`${user}:${password}`)}`;
  form.setAttribute('aria-busy', 'true');
  error.textContent = '';
  try {
    const opened = await api.openSession(authorization);
    $('login-password').value = '';
    startSession({ user: opened.user ?? user }, opened.role ?? null);
    $(`nav-${currentView()}`).focus();
  } catch (e) {
    error.textContent = e.status === 401 ? 'Wrong user or password' : (e.detail || 'The node does not answer');
  } finally {
    form.removeAttribute('aria-busy');
  }
}

const PROVIDER_ERRORS = {
  forbidden: 'Your identity provider login does not grant the operator scope',
  denied: 'The identity provider did not log you in',
  expired: 'The login took too long or came from another browser; try again',
  unavailable: 'The identity provider cannot be reached',
  failed: 'The identity provider login failed',
};

// The node says whether it trusts an identity provider for the console; if so, offer it.
async function offerProviderLogin() {
  try {
    const response = await fetch(`${BASE}/console/login/options`, { credentials: 'omit', cache: 'no-store' });
    const options = response.ok ? await response.json() : null;
    if (options && typeof options.provider === 'string') {
      const link = $('login-provider');
      link.textContent = `Log in with ${options.provider}`;
      link.hidden = false;
    }
  } catch {
    // No provider login offered: the password login stays.
  }
}

function logout(message = '') {
  // Ends the session on the server too; a failure leaves a cookie that expires within the hour.
  if (state.session) api.closeSession().catch(() => {});
  state.session = null;
  state.role = null;
  state.generation += 1;
  closeLiveEvents();
  $('live-events-body').replaceChildren();
  clearTimeout(state.timer);
  state.refreshFailed = false;
  state.pending = false;
  state.samples = [];
  state.lastSuccess = null;
  state.jobs = [];
  state.pools = [];
  state.poolsNextAfter = null;
  for (const id of ['confirm-dialog', 'schedule-dialog', 'resize-dialog', 'create-dialog']) {
    if ($(id).open) $(id).close();
  }
  // Another login may follow in this tab: drop what the previous one saw, pools included.
  for (const node of [$('action-result'), $('pools-result')]) clearTimeout(node.resultTimer);
  state.pool = DEFAULT_POOL;
  clearPoolView();
  $('pool-picker').replaceChildren(el('option', { value: DEFAULT_POOL }, DEFAULT_POOL));
  $('pool-new').disabled = true;
  $('pools-readonly').hidden = true;
  $('pools-more').hidden = true;
  for (const id of ['jobs-body', 'runs-body', 'nodes-body', 'pools-body']) $(id).replaceChildren();
  for (const id of ['runs-released-chart', 'runs-duration-chart']) $(id).replaceChildren();
  for (const id of ['last-refresh', 'served-by', 'whoami', 'action-result', 'pools-result']) $(id).textContent = '';
  $('last-refresh').classList.remove('stale');
  $('runs-filter').value = '';
  $('console').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('login-user').focus();
}

function expireLogin() {
  logout('Your login is no longer valid');
}

function currentView() {
  const name = location.hash.slice(1);
  return VIEWS.includes(name) ? name : 'pool';
}

function route() {
  const view = currentView();
  for (const name of VIEWS) {
    $(`view-${name}`).hidden = name !== view;
    setAttr($(`nav-${name}`), 'aria-current', name === view ? 'page' : null);
  }
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · tokenpool console`;
}

function init() {
  $('login-form').addEventListener('submit', onLoginSubmit);
  $('logout').addEventListener('click', () => logout());
  $('jobs-body').addEventListener('click', onJobsClick);
  $('runs-filter').addEventListener('change', refreshNow);
  $('confirm-ok').addEventListener('click', () => $('confirm-dialog').close('ok'));
  $('confirm-cancel').addEventListener('click', () => $('confirm-dialog').close('cancel'));
  $('confirm-dialog').addEventListener('keydown', trapTab);
  $('schedule-form').addEventListener('submit', onScheduleSubmit);
  $('schedule-cancel').addEventListener('click', () => $('schedule-dialog').close('cancel'));
  $('schedule-reset').addEventListener('click', () => $('schedule-dialog').close('reset'));
  $('schedule-dialog').addEventListener('keydown', trapTab);
  $('pool-picker').addEventListener('change', () => selectPool($('pool-picker').value));
  $('pools-body').addEventListener('click', onPoolsClick);
  $('pool-new').addEventListener('click', (event) => { if (!event.currentTarget.disabled) askCreate(event.currentTarget); });
  $('resize-form').addEventListener('submit', onResizeSubmit);
  $('resize-input').addEventListener('input', describeResize);
  $('resize-cancel').addEventListener('click', () => $('resize-dialog').close('cancel'));
  $('create-form').addEventListener('submit', onCreateSubmit);
  $('create-form').addEventListener('input', () => { $('create-error').textContent = ''; });
  $('create-cancel').addEventListener('click', () => $('create-dialog').close('cancel'));
  for (const id of ['resize-dialog', 'create-dialog']) {
    $(id).addEventListener('keydown', trapTab);
    $(id).addEventListener('close', onPoolDialogClose);
  }
  window.addEventListener('hashchange', route);
  route();

  // Back from the identity provider with a refusal: say why, once, and drop it from the URL.
  const loginError = new URLSearchParams(location.search).get('login_error');
  if (loginError) {
    $('login-error').textContent = PROVIDER_ERRORS[loginError] ?? 'The identity provider login failed';
    history.replaceState(null, '', location.pathname + location.hash);
  }
  offerProviderLogin();
  // A reload keeps the session the cookie carries, if it is still open.
  api.me().then(
    (me) => startSession({ user: me.user }, me.role ?? null),
    () => {
      $('login').hidden = false;
      $('login-user').focus();
    });
}

init();
