import { lineChart, barChart } from '/dashboard/charts.js';

const KEY = 'catalog.readKey';
const REFRESH_MS = 30_000;
const DAY_MS = 86_400_000;
const $ = id => document.getElementById(id);
let range = { preset: '7d' };
let timer;

// ---- API ------------------------------------------------------------------------------------
class AuthError extends Error {}

/** Parses JSON keeping money (*_usd), prices (*_mtok) and shares (*_share) as the exact decimal text the API sent. */
function parseExact(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && /_(usd|mtok|share)$/.test(key) ? (context && context.source) || String(value) : value);
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  if (response.status === 401) throw new AuthError('That key was not accepted (401): it is unknown, mistyped or revoked. Check it and try again.');
  if (response.status === 403) throw new AuthError('That key cannot read usage (403): ask an admin for a key with the read scope.');
  const body = text ? parseExact(text) : null;
  if (!response.ok) {
    const detail = body && (body.errors ? Object.values(body.errors).flat().join('; ') : body.detail || body.title);
    throw new Error(detail || `HTTP ${response.status}`);
  }
  return body;
}

// ---- Formatting (money and shares stay exact decimal text) ------------------------------------
const int = new Intl.NumberFormat('en-US');
const usd = text => text === null || text === undefined ? '–' : `$${text}`;
const usdShort = v => v === 0 ? '$0' : `$${v >= 100 ? v.toFixed(0) : Number(v.toPrecision(3))}`;
const isoDay = date => date.toISOString().slice(0, 10);
const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
const words = text => String(text).replaceAll('_', ' ');

/** "0.333333" -> "33.3333%": the decimal point moved two places on the text, so nothing is rounded. */
function percent(text) {
  const [whole, fraction = ''] = String(text).split('.');
  const shifted = (whole + fraction.padEnd(2, '0').slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2);
  return `${shifted}${rest ? `.${rest}` : ''}%`;
}

/** The chosen range as whole UTC days: from inclusive, to exclusive (the API's contract). */
function rangeDays() {
  const today = isoDay(new Date());
  if (range.preset === 'custom') return { from: range.from, to: addDays(range.to, 1) };
  const back = { today: 0, '7d': 6, '30d': 29 }[range.preset];
  return { from: addDays(today, -back), to: addDays(today, 1) };
}

const query = params => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null)).toString();

// ---- Rendering ------------------------------------------------------------------------------
function table(node, headers, rows, empty = 'Nothing in this range') {
  node.replaceChildren();
  const head = node.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h.label;
    if (h.num) th.className = 'num';
    head.appendChild(th);
  }
  const body = node.createTBody();
  if (!rows.length) {
    const td = body.insertRow().insertCell();
    td.colSpan = headers.length;
    td.className = 'muted';
    td.textContent = empty;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      if (headers[i].num) td.className = 'num';
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
    });
  }
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

/** Every day of the range, so days without calls show as zero instead of being skipped (over a year: the days with calls). */
function everyDay({ from, to }, trend) {
  if (Date.parse(to) - Date.parse(from) > 400 * DAY_MS) return trend;
  const byDay = new Map(trend.map(t => [t.day, t]));
  const days = [];
  for (let day = from; day < to; day = addDays(day, 1)) days.push(byDay.get(day) || { day, total_usd: '0', input_tokens: 0, output_tokens: 0 });
  return days;
}

function renderSummary(summary, days) {
  $('total-requests').textContent = int.format(summary.requests);
  $('errors').textContent = summary.errors ? `${int.format(summary.errors)} failed calls` : 'no failed calls';
  $('total-cost').textContent = usd(summary.total_usd);
  $('total-tokens').textContent = int.format(summary.input_tokens + summary.output_tokens);
  $('token-split').textContent = `${int.format(summary.input_tokens)} in · ${int.format(summary.output_tokens)} out · ${int.format(summary.cache_read_tokens)} cache read`;
  $('estimated-share').textContent = percent(summary.estimated_share);

  const series = everyDay(days, summary.trend);
  const labels = series.map(d => d.day.slice(5));
  lineChart($('chart-cost-day'), labels, [{ name: 'USD', values: series.map(d => Number(d.total_usd)), text: series.map(d => usd(d.total_usd)) }], { format: usdShort, label: 'Cost per day in USD' });
  barChart($('chart-cost-model'), summary.groups.map(m => ({ label: m.key, value: Number(m.total_usd), text: usd(m.total_usd) })), { format: usdShort, label: 'Cost per model in USD' });
  lineChart($('chart-tokens'), labels, [
    { name: 'input tokens', values: series.map(t => t.input_tokens) },
    { name: 'output tokens', values: series.map(t => t.output_tokens) },
  ], { format: v => int.format(Math.round(v)), label: 'Input and output tokens per day' });
  renderFallbacks(summary.fallback_models);
}

function renderFallbacks(fallbacks) {
  table($('fallback-models'), [{ label: 'Model name sent' }, { label: 'Provider' }, { label: 'Priced by' }, { label: 'Calls', num: true }, { label: 'Cost', num: true }, { label: 'Details' }],
    fallbacks.map(f => [f.model, f.provider || '–', words(f.pricing_source), int.format(f.requests), usd(f.total_usd),
      link(`/v1/models/${encodeURIComponent(f.model)}${f.provider ? `?provider=${encodeURIComponent(f.provider)}` : ''}`, 'how it resolved')]),
    'Every call in this range was priced from the catalogue');
  const snippet = $('fallback-snippet');
  snippet.hidden = fallbacks.length === 0;
  snippet.textContent = fallbacks.length === 0 ? '' : [
    '# pricing.yaml: price each name under its provider (models: is kept sorted by id) ...',
    ...fallbacks.map(f => `  - id: ${f.model}            # provider ${f.provider || '<provider>'}\n    source: <pricing page URL>\n    checked: ${isoDay(new Date())}\n    prices: { input_mtok: <USD per million>, output_mtok: <USD per million> }`),
    '# ... or, when it is another name for a model the catalogue has, an alias:',
    'aliases:',
    ...fallbacks.map(f => `  - name: ${f.model}\n    target: <provider>/<model id>`),
  ].join('\n');
}

function renderTop(node, summary) {
  table(node, [{ label: 'Name' }, { label: 'Calls', num: true }, { label: 'Cost', num: true }],
    summary.groups.slice(0, 8).map(g => [g.key || '(not set)', int.format(g.requests), usd(g.total_usd)]));
}

function renderAlerts(alerts) {
  const list = $('alerts');
  list.replaceChildren();
  for (const a of alerts.open) {
    const li = document.createElement('li');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = words(a.kind);
    const title = document.createElement('strong');
    title.textContent = a.title;
    const message = document.createElement('p');
    message.className = 'muted';
    message.textContent = a.message;
    li.append(badge, title, message);
    list.appendChild(li);
  }
  if (!alerts.open.length) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'No open alerts: spend is within the rules of pricing.yaml';
    list.appendChild(li);
  }
  const evaluated = alerts.last_evaluated_at ? `rules checked ${new Date(alerts.last_evaluated_at).toLocaleTimeString('en-GB')}` : 'rules not checked yet';
  $('alerts-status').textContent = `${evaluated} · ${alerts.past.length} past · webhook ${alerts.webhook_configured ? 'on' : 'off'}`;
}

function renderEndpoints(costs, warnings) {
  const per = new Map(warnings.warnings.map(w => [w.endpoint_id, w]));
  table($('endpoint-costs'), [{ label: 'Endpoint' }, { label: 'Now' }, { label: 'Uptime cost', num: true }],
    costs.endpoints.map(e => [
      named(e.id, e.model),
      e.status ? `${words(e.status)} × ${e.replicas}` : 'no events',
      named(usd(e.cost_usd), `${int.format(e.billed_minutes)} min billed${e.effective_usd_per_mtok === null ? '' : ` · ${usd(e.effective_usd_per_mtok)}/Mtok`}`)]),
    'No endpoint in the catalogue');
  const list = $('endpoint-warnings');
  list.replaceChildren();
  for (const w of warnings.warnings) {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = `⚠ ${w.endpoint_id}: ${usd(w.projected_weekly_waste_usd)} a week for nothing`;
    const message = document.createElement('p');
    message.className = 'muted';
    message.textContent = `${w.message}. Fix: ${w.fix}.`;
    li.append(title, message);
    list.appendChild(li);
  }
  $('endpoints-status').textContent = `${usd(costs.cost_usd)} of uptime in this range · ${per.size ? `${usd(warnings.projected_weekly_waste_usd)} a week wasted if nothing changes` : 'no endpoint running for nothing'}`;
}

// ---- Catalogue ------------------------------------------------------------------------------
let catalog = [];

function renderCatalog() {
  const text = $('catalog-search').value.trim().toLowerCase();
  const matches = catalog.filter(r => !text || r.search.includes(text));
  table($('catalog-table'), [{ label: 'Model or alias' }, { label: 'Input', num: true }, { label: 'Output', num: true }, { label: 'Cache read', num: true }],
    matches.map(r => [named(r.name, r.kind), r.input, r.output, r.cache]), 'No model or alias matches');
  $('catalog-count').textContent = `${matches.length} of ${catalog.length} models and aliases`;
}

/** A name (a narrow screen may break it after a provider's slash) with a detail beneath. */
function named(name, kind) {
  const cell = document.createElement('span');
  const slash = name.indexOf('/') + 1;
  const detail = document.createElement('span');
  detail.className = 'muted kind';
  detail.textContent = kind;
  cell.append(name.slice(0, slash), document.createElement('wbr'), name.slice(slash), detail);
  return cell;
}

async function allModels() {
  const models = [];
  for (let page = 1; ; page++) {
    const body = await api(`/v1/models?page_size=500&page=${page}`);
    models.push(...body.items);
    if (models.length >= body.total || !body.items.length) return models;
  }
}

async function loadCatalog() {
  const [models, aliases, info] = await Promise.all([allModels(), api('/v1/aliases'), api('/v1/catalog')]);
  $('catalog-version').textContent = `catalogue ${info.version}`;
  const price = (prices, field) => prices && prices[field] !== null ? prices[field] : '–';
  catalog = [
    ...models.map(m => ({ name: m.name, kind: m.active ? 'model' : 'model (retired)', input: price(m.prices, 'input_mtok'), output: price(m.prices, 'output_mtok'), cache: price(m.prices, 'cache_read_mtok'), search: `${m.name} ${m.display_name || ''} ${m.match_names.join(' ')}`.toLowerCase() })),
    ...aliases.map(a => ({ name: a.name, kind: `alias → ${a.resolved_model}`, input: a.prices ? a.prices.input_mtok : 'as target', output: a.prices ? a.prices.output_mtok : 'as target', cache: a.prices ? price(a.prices, 'cache_read_mtok') : 'as target', search: `${a.name} ${a.resolved_model}`.toLowerCase() })),
  ];
  renderCatalog();
}

// ---- Loading --------------------------------------------------------------------------------
async function load() {
  const days = rangeDays();
  $('range-label').textContent = `${days.from} to ${addDays(days.to, -1)} (UTC days)`;
  try {
    const summary = group => api(`/v1/analytics/summary?${query({ ...days, group_by: group })}`);
    const uptime = query({ from: `${days.from}T00:00:00Z`, to: `${days.to}T00:00:00Z` });
    const [byModel, byUser, byTeam, byApp, alerts, costs, warnings] = await Promise.all([
      summary('model'), summary('user'), summary('team'), summary('app'), api('/v1/alerts'), api(`/v1/endpoints/costs?${uptime}`), api('/v1/endpoints/warnings')]);
    renderSummary(byModel, days);
    renderTop($('top-users'), byUser);
    renderTop($('top-teams'), byTeam);
    renderTop($('top-apps'), byApp);
    renderAlerts(alerts);
    renderEndpoints(costs, warnings);
    $('load-error').textContent = '';
    $('refreshed').textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
    document.body.dataset.loaded = String(Date.now());
  } catch (error) {
    if (error instanceof AuthError) return showKeyPanel(error.message);
    $('load-error').textContent = `Could not load the dashboard: ${error.message}`;
  }
}

// ---- Calculator -----------------------------------------------------------------------------
function definitions(node, pairs) {
  const dl = document.createElement('dl');
  for (const [label, value, testid] of pairs) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (testid) dd.dataset.testid = testid;
    dl.append(dt, dd);
  }
  node.appendChild(dl);
}

async function priceCall(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const model = String(form.get('model')).trim();
  const provider = String(form.get('provider')).trim() || undefined;
  const count = name => Number(form.get(name) || 0);
  const body = { model, provider, usage: { input_tokens: count('input'), output_tokens: count('output'), cache_read_tokens: count('cache_read') } };
  const out = $('calc-result');
  try {
    const [cost, explained] = await Promise.all([
      api('/v1/cost', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
      api(`/v1/models/${encodeURIComponent(model)}?${query({ provider })}`),
    ]);
    out.replaceChildren();
    definitions(out, [
      ['Total', usd(cost.total_usd), 'calc-total'],
      ['Resolved to', cost.resolved_model || 'no catalogue model', 'calc-resolved'],
      ['How', words(cost.pricing_source), 'calc-source'],
      ['Input', usd(cost.input_usd)],
      ['Output', usd(cost.output_usd)],
      ['Cache read', usd(cost.cache_read_usd)],
      ['Prices', `${cost.prices.input_mtok} in / ${cost.prices.output_mtok} out USD per million tokens`],
    ]);
    const steps = document.createElement('ol');
    steps.className = 'steps';
    steps.setAttribute('aria-label', 'Resolution steps tried');
    for (const s of explained.steps) {
      const li = document.createElement('li');
      li.textContent = `${s.matched ? '✔' : '✗'} ${words(s.step)} '${s.tried}'${s.detail ? `: ${s.detail}` : ''}`;
      if (s.matched) li.className = 'matched';
      steps.appendChild(li);
    }
    out.appendChild(steps);
    for (const w of cost.warnings) {
      const p = document.createElement('p');
      p.className = 'warning';
      p.textContent = `⚠ ${w}`;
      out.appendChild(p);
    }
  } catch (error) {
    out.replaceChildren();
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = error.message;
    out.appendChild(p);
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
  $('key-input').value = '';
  $('key-input').focus();
}

async function start() {
  $('key-panel').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  await load();
  if ($('main').hidden) return;
  $('main').focus();
  await loadCatalog().catch(error => { $('load-error').textContent = `Could not load the catalogue: ${error.message}`; });
  clearInterval(timer);
  timer = setInterval(load, REFRESH_MS);
}

function choose(next, pressed) {
  range = next;
  for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b === pressed));
  load();
}

document.addEventListener('DOMContentLoaded', () => {
  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('key-input').value.trim());
    start();
  });
  $('sign-out').addEventListener('click', () => showKeyPanel());
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => choose({ preset: button.dataset.range }, button));
  }
  $('custom-range').addEventListener('submit', event => {
    event.preventDefault();
    const from = $('range-from').value, to = $('range-to').value;
    if (!from || !to || from > to) {
      $('load-error').textContent = 'Pick a start date on or before the end date.';
      return;
    }
    choose({ preset: 'custom', from, to }, null);
  });
  $('catalog-search').addEventListener('input', renderCatalog);
  $('calculator').addEventListener('submit', priceCall);
  const today = isoDay(new Date());
  $('range-from').value = addDays(today, -6);
  $('range-to').value = today;
  if (sessionStorage.getItem(KEY)) start(); else showKeyPanel();
});
