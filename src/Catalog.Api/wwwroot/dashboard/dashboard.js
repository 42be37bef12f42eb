import { lineChart, barChart } from '/dashboard/charts.js';

const KEY = 'catalog.readKey';
const REFRESH_MS = 30_000;
const $ = id => document.getElementById(id);
let range = { preset: '7d' };
let timer;

// ---- API ------------------------------------------------------------------------------------
class AuthError extends Error {}

/** Parses JSON keeping money (*_usd) as the exact decimal text the API sent. */
function parseExact(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && /_usd$/.test(key) && context && context.source ? context.source : value);
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new AuthError(response.status === 401
      ? 'That key was not accepted (401). Check it and try again.'
      : 'That key does not have the read scope (403). Ask an admin for a key with the read scope.');
  }
  const body = text ? parseExact(text) : null;
  if (!response.ok) throw new Error((body && (body.detail || body.title)) || `HTTP ${response.status}`);
  return body;
}

// ---- Formatting -----------------------------------------------------------------------------
const int = new Intl.NumberFormat('en-US');
const usd = raw => raw === null || raw === undefined ? '–' : `$${raw}`;
const usdShort = v => `$${Number(v) >= 100 ? Number(v).toFixed(0) : Number(v).toPrecision(3)}`;
const pct = v => `${(v * 100).toFixed(1)}%`;
const isoDay = d => d.toISOString().slice(0, 10);

function rangeBounds() {
  const now = new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (range.preset === 'custom') {
    return { from: `${range.from}T00:00:00Z`, to: new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString() };
  }
  const days = range.preset === 'today' ? 0 : range.preset === '30d' ? 29 : 6;
  return { from: new Date(today.getTime() - days * 86_400_000).toISOString(), to: new Date(today.getTime() + 86_400_000).toISOString() };
}

const query = params => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null)).toString();

// ---- Rendering ------------------------------------------------------------------------------
function table(node, headers, rows) {
  const thead = `<thead><tr>${headers.map(h => `<th scope="col" class="${h.num ? 'num' : ''}">${h.label}</th>`).join('')}</tr></thead>`;
  const caption = node.querySelector('caption');
  node.innerHTML = thead;
  if (caption) node.prepend(caption);
  const tbody = document.createElement('tbody');
  if (!rows.length) {
    tbody.innerHTML = `<tr><td colspan="${headers.length}" class="muted">Nothing in this range</td></tr>`;
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    row.forEach((cell, i) => {
      const td = document.createElement('td');
      if (headers[i].num) td.className = 'num';
      td.textContent = cell;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
  node.appendChild(tbody);
}

function renderSummary(summary, byModel, byDay) {
  $('total-requests').textContent = int.format(summary.requests);
  $('total-cost').textContent = usd(summary.total_usd);
  const tokens = summary.input_tokens + summary.output_tokens;
  $('total-tokens').textContent = int.format(tokens);
  $('token-split').textContent = `${int.format(summary.input_tokens)} in · ${int.format(summary.output_tokens)} out · ${int.format(summary.cache_read_tokens || 0)} cache read`;
  $('estimated-share').textContent = pct(summary.estimated_share || 0);

  const days = byDay.groups.slice().sort((a, b) => a.key.localeCompare(b.key));
  lineChart($('chart-cost-day'), days.map(d => d.key.slice(5)), [{ name: 'USD', values: days.map(d => Number(d.total_usd)) }], { format: usdShort, label: 'Cost per day in USD' });
  const models = byModel.groups.slice().sort((a, b) => Number(b.total_usd) - Number(a.total_usd));
  barChart($('chart-cost-model'), models.map(m => ({ label: m.key, value: Number(m.total_usd) })), { format: usdShort, label: 'Cost per model in USD' });
  const trend = (summary.trend || []).slice().sort((a, b) => a.day.localeCompare(b.day));
  lineChart($('chart-tokens'), trend.map(t => t.day.slice(5)), [
    { name: 'input tokens', values: trend.map(t => t.input_tokens) },
    { name: 'output tokens', values: trend.map(t => t.output_tokens) },
  ], { format: v => int.format(Math.round(v)), label: 'Tokens per day' });

  const fallbacks = summary.fallback_models || [];
  table($('fallback-models'), [{ label: 'Model name sent' }, { label: 'Priced by' }, { label: 'Calls', num: true }],
    fallbacks.map(f => [f.model, f.pricing_source, int.format(f.requests)]));
  const snippet = $('fallback-snippet');
  snippet.hidden = fallbacks.length === 0;
  snippet.textContent = fallbacks.length === 0 ? '' :
    '# pricing.yaml: add each model under its provider, or an alias to a model you have\naliases:\n' +
    fallbacks.map(f => `  - name: ${f.model}\n    target: <provider>/<model id>`).join('\n');
}

function renderTop(node, summary) {
  const rows = summary.groups.slice().sort((a, b) => Number(b.total_usd) - Number(a.total_usd)).slice(0, 8);
  table(node, [{ label: 'Name' }, { label: 'Calls', num: true }, { label: 'Cost', num: true }],
    rows.map(g => [g.key || '(none)', int.format(g.requests), usd(g.total_usd)]));
}

function renderAlerts(alerts) {
  const list = $('alerts');
  list.replaceChildren();
  const open = (alerts && alerts.open) || [];
  if (!open.length) {
    list.innerHTML = '<li class="muted">No open alerts</li>';
    return;
  }
  for (const a of open) {
    const li = document.createElement('li');
    li.innerHTML = `<span class="badge"></span><strong></strong><br><span class="muted"></span>`;
    li.querySelector('.badge').textContent = a.kind.replace('_', ' ');
    li.querySelector('strong').textContent = a.title;
    li.querySelector('.muted').textContent = a.message;
    list.appendChild(li);
  }
}

function renderEndpoints(costs, warnings) {
  const items = (costs && (costs.endpoints || costs.items || costs)) || [];
  table($('endpoint-costs'), [{ label: 'Endpoint' }, { label: 'Billed minutes', num: true }, { label: 'Uptime cost', num: true }, { label: 'Per million tokens', num: true }],
    (Array.isArray(items) ? items : []).map(e => [e.id || e.endpoint, int.format(e.billed_minutes || 0), usd(e.cost_usd), e.effective_usd_per_mtok ? usd(e.effective_usd_per_mtok) : '–']));
  const list = $('endpoint-warnings');
  list.replaceChildren();
  for (const w of (warnings && (warnings.warnings || warnings)) || []) {
    const li = document.createElement('li');
    li.textContent = `⚠ ${w.message || w.title}`;
    list.appendChild(li);
  }
}

let catalog = [];
function renderCatalog() {
  const text = $('catalog-search').value.trim().toLowerCase();
  const rows = catalog.filter(r => !text || r.search.includes(text)).slice(0, 200);
  table($('catalog-table'), [{ label: 'Name' }, { label: 'Kind' }, { label: 'Input $/Mtok', num: true }, { label: 'Output $/Mtok', num: true }, { label: 'Cache read', num: true }],
    rows.map(r => [r.name, r.kind, r.input, r.output, r.cache]));
}

async function loadCatalog() {
  const [models, aliases, info] = await Promise.all([api('/v1/models?page_size=500'), api('/v1/aliases'), api('/v1/catalog')]);
  $('catalog-version').textContent = `catalogue ${info.version}`;
  catalog = [
    ...models.items.map(m => ({ name: m.name, kind: m.active ? 'model' : 'model (retired)', input: String(m.prices.input_mtok), output: String(m.prices.output_mtok), cache: m.prices.cache_read_mtok === null ? '–' : String(m.prices.cache_read_mtok), search: `${m.name} ${m.display_name || ''} ${m.match_names.join(' ')}`.toLowerCase() })),
    ...aliases.map(a => ({ name: a.name, kind: `alias → ${a.resolved_model}`, input: a.prices ? String(a.prices.input_mtok) : '(target)', output: a.prices ? String(a.prices.output_mtok) : '(target)', cache: '', search: `${a.name} ${a.resolved_model}`.toLowerCase() })),
  ];
  renderCatalog();
}

async function load() {
  const bounds = rangeBounds();
  $('load-error').textContent = '';
  try {
    const q = group => `/v1/analytics/summary?${query({ ...bounds, group_by: group })}`;
    const [byModel, byDay, byUser, byTeam, byApp] = await Promise.all([q('model'), q('day'), q('user'), q('team'), q('app')].map(p => api(p)));
    renderSummary(byModel, byModel, byDay);
    renderTop($('top-users'), byUser);
    renderTop($('top-teams'), byTeam);
    renderTop($('top-apps'), byApp);
    const [alerts, costs, warnings] = await Promise.all([
      api('/v1/alerts').catch(() => null),
      api(`/v1/endpoints/costs?${query(bounds)}`).catch(() => null),
      api('/v1/endpoints/warnings').catch(() => null),
    ]);
    renderAlerts(alerts);
    renderEndpoints(costs, warnings);
    $('refreshed').textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
  } catch (error) {
    if (error instanceof AuthError) return showKeyPanel(error.message);
    $('load-error').textContent = `Could not load the dashboard: ${error.message}`;
  }
}

// ---- Calculator -----------------------------------------------------------------------------
async function priceCall(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = {
    model: form.get('model'),
    usage: { input_tokens: Number(form.get('input')), output_tokens: Number(form.get('output')), cache_read_tokens: Number(form.get('cache_read')) },
  };
  const out = $('calc-result');
  try {
    const r = await api('/v1/cost', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    out.innerHTML = '<dl></dl>';
    const dl = out.querySelector('dl');
    for (const [label, value] of [['Total', usd(r.total_usd)], ['Resolved to', r.resolved_model || '(no model: default prices)'], ['How', r.pricing_source], ['Input', usd(r.input_usd)], ['Output', usd(r.output_usd)], ['Cache read', usd(r.cache_read_usd)], ['Tokens', r.token_source]]) {
      const dt = document.createElement('dt'); dt.textContent = label;
      const dd = document.createElement('dd'); dd.textContent = value;
      if (label === 'Total') dd.dataset.testid = 'calc-total';
      dl.append(dt, dd);
    }
    for (const w of r.warnings) {
      const p = document.createElement('p'); p.className = 'muted'; p.textContent = `⚠ ${w}`; out.appendChild(p);
    }
  } catch (error) {
    out.innerHTML = '<p class="error" role="alert"></p>';
    out.querySelector('p').textContent = error.message;
  }
}

// ---- Key and range --------------------------------------------------------------------------
function showKeyPanel(message) {
  clearInterval(timer);
  sessionStorage.removeItem(KEY);
  $('main').hidden = true;
  $('sign-out').hidden = true;
  $('key-panel').hidden = false;
  $('key-error').textContent = message || '';
  $('key-input').focus();
}

async function start() {
  $('key-panel').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  await load();
  if (!$('main').hidden) {
    await loadCatalog().catch(error => { $('load-error').textContent = `Could not load the catalogue: ${error.message}`; });
    clearInterval(timer);
    timer = setInterval(load, REFRESH_MS);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('key-input').value.trim());
    start();
  });
  $('sign-out').addEventListener('click', () => showKeyPanel());
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => {
      range = { preset: button.dataset.range };
      for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b === button));
      load();
    });
  }
  $('custom-range').addEventListener('submit', event => {
    event.preventDefault();
    const from = $('range-from').value, to = $('range-to').value;
    if (!from || !to || from > to) { $('load-error').textContent = 'Pick a start date on or before the end date.'; return; }
    range = { preset: 'custom', from, to };
    for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', 'false');
    load();
  });
  $('catalog-search').addEventListener('input', renderCatalog);
  $('calculator').addEventListener('submit', priceCall);
  const today = isoDay(new Date());
  $('range-from').value = today;
  $('range-to').value = today;
  if (sessionStorage.getItem(KEY)) start(); else showKeyPanel();
});
