import { lineChart, barChart } from '/dashboard/charts.js';
import { $, api, query, int, isoDay, addDays, words, money, exact, moneyNode, plus, minus, percent, table, link, named, keyPrompt, resolutionSteps, renderFilterFields, AuthError, DAY_MS } from '/dashboard/common.js';

const REFRESH_MS = 30_000;
const PRESETS = { today: 0, '7d': 6, '30d': 29 };
/** The filters of the calls counted, as named in the URL and in the summary API's query (the range is apart). */
const FILTERS = ['model', 'provider', 'user', 'team', 'app', 'tag', 'key_id', 'status', 'pricing_source'];
/** How many rows a top list shows; the rest are summed in an "other" row. */
const TOP = 8;
let timer;
let showKeyPanel;

// ---- The range lives in the URL: ?range=today|7d|30d, or ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included) --
function rangeOf(params = new URLSearchParams(location.search)) {
  const from = params.get('from'), to = params.get('to');
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (day.test(from || '') && day.test(to || '') && from <= to) return { preset: 'custom', from, to };
  const preset = params.get('range');
  return { preset: preset in PRESETS ? preset : '7d' };
}

/** The range as whole UTC days: from inclusive, to exclusive (the API's contract); shown: the last day included. */
function rangeDays(range = rangeOf()) {
  if (range.preset === 'custom') return { from: range.from, to: addDays(range.to, 1), last: range.to };
  const today = isoDay(new Date());
  return { from: addDays(today, -PRESETS[range.preset]), to: addDays(today, 1), last: today };
}

/** The filters in the URL, for the API (and the logs links). */
function filtersOf(params = new URLSearchParams(location.search)) {
  const filters = {};
  for (const name of FILTERS) filters[name] = params.get(name) || undefined;
  return filters;
}

function go(range, filters) {
  const params = range.preset === 'custom' ? { from: range.from, to: range.to } : { range: range.preset };
  const by = new URLSearchParams(location.search).get('by');
  history.pushState(null, '', `/dashboard?${query({ ...params, ...filters, by })}`);
  load();
}

const choose = range => go(range, filtersOf());

/** The filter form shows the URL's filters, and says what is counted. */
function showFilters(filters) {
  for (const name of FILTERS) $('filters').elements[name].value = filters[name] || '';
  const active = FILTERS.filter(n => filters[n]).map(n => `${words(n)} ${filters[n]}`);
  $('filter-label').textContent = active.length
    ? `Counting the calls with ${active.join(', ')} (alerts, budgets and endpoints are not filtered)`
    : 'Counting every call';
}

/** The preset buttons and the date inputs show the same range. */
function showRange(range, days) {
  for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b.dataset.range === range.preset));
  $('range-from').value = days.from;
  $('range-to').value = days.last;
  $('range-label').textContent = `${days.from} to ${days.last} (UTC days)`;
  $('logs-link').href = `/dashboard/logs?${query({ from: days.from, to: days.last, ...filtersOf() })}`;
}

/** The logs page filtered to one value over the dashboard's range: where a click on a row goes. */
const logsOf = (filter, days) => `/dashboard/logs?${query({ from: days.from, to: days.last, ...filtersOf(), ...filter })}`;

// ---- Rendering ------------------------------------------------------------------------------
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
  $('total-cost').textContent = money(summary.total_usd);
  $('total-cost').title = exact(summary.total_usd);
  $('total-cost-exact').textContent = `USD; exactly ${exact(summary.total_usd)}`;
  $('total-tokens').textContent = int.format(summary.input_tokens + summary.output_tokens);
  $('token-split').textContent = `${int.format(summary.input_tokens)} in · ${int.format(summary.output_tokens)} out · ${int.format(summary.cache_read_tokens)} cache read`;
  $('estimated-share').textContent = percent(summary.estimated_share);

  const series = summary.requests ? everyDay(days, summary.trend) : [];
  const labels = series.map(d => d.day.slice(5));
  const pickDay = i => choose({ preset: 'custom', from: series[i].day, to: series[i].day });
  lineChart($('chart-cost-day'), labels, [{ name: 'USD', values: series.map(d => Number(d.total_usd)), text: series.map(d => exact(d.total_usd)) }], { format: money, label: 'Cost per day in USD', onPick: pickDay, pickLabel: i => `Show ${series[i].day} only` });
  barChart($('chart-cost-model'), withOther(summary, 10).map(m => ({ label: m.key, value: Number(m.total_usd), text: money(m.total_usd), exact: exact(m.total_usd), href: m.other ? null : logsOf({ model: m.key }, days) })), { label: 'Cost per model in USD' });
  lineChart($('chart-tokens'), labels, [
    { name: 'input tokens', values: series.map(t => t.input_tokens) },
    { name: 'output tokens', values: series.map(t => t.output_tokens) },
  ], { format: v => int.format(Math.round(v)), label: 'Input and output tokens per day' });
  renderFallbacks(summary.fallback_models);
}

function renderFallbacks(fallbacks) {
  table($('fallback-models'), [{ label: 'Model name sent' }, { label: 'Provider' }, { label: 'Priced by' }, { label: 'Calls', num: true }, { label: 'Cost', num: true }, { label: 'Details' }],
    fallbacks.map(f => [f.model, f.provider || '–', words(f.pricing_source), int.format(f.requests), moneyNode(f.total_usd),
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

/**
 * The first <count> groups of a summary, and one "other" row summing the rest (exactly) when the list is cut: the groups
 * past <count>, and those the service itself summed in summary.other (past its limit).
 */
function withOther(summary, count) {
  const groups = summary.groups;
  const server = summary.other;
  if (groups.length <= count && !server) return groups;
  const rest = groups.slice(count);
  const start = server
    ? { requests: server.requests, total_usd: String(server.total_usd), groups: server.groups }
    : { requests: 0, total_usd: '0', groups: 0 };
  const sum = rest.reduce((s, g) => ({ ...s, requests: s.requests + g.requests, total_usd: plus(s.total_usd, g.total_usd) }), start);
  return [...groups.slice(0, count), { key: `other (${rest.length + sum.groups})`, requests: sum.requests, total_usd: sum.total_usd, other: true }];
}

/** A top list; each row (but "other") links to the logs filtered to it. */
function renderTop(node, summary, dimension, days) {
  table(node, [{ label: 'Name' }, { label: 'Calls', num: true }, { label: 'Cost', num: true }],
    withOther(summary, TOP).map(g => ({
      cells: [g.other ? g.key : g.key || '(not set)', int.format(g.requests), moneyNode(g.total_usd)],
      href: g.other || !g.key ? null : logsOf({ [dimension]: g.key }, days),
      label: g.other ? null : `${g.key}: see its calls`,
    })));
}

/** The breakdown's grouping from the URL: ?by=team,model (two dimensions) or ?by=tag:feature; team × model by default. */
function breakdownOf(params = new URLSearchParams(location.search)) {
  const by = params.get('by') || 'team,model';
  return /^(tag:[^,]+|key_id|(model|provider|user|team|app)(,(model|provider|user|team|app))?)$/.test(by) ? by : 'team,model';
}

/** The breakdown table: the top groups of one or two dimensions (or a tag), each linking to its calls. */
function renderBreakdown(summary, by, days) {
  const dimensions = by.startsWith('tag:') ? [by] : by.split(',');
  const filterOf = g => {
    if (by.startsWith('tag:')) return g.key ? { tag: `${by.slice(4)}:${g.key}` } : null;
    const keys = g.keys || { [dimensions[0]]: g.key };
    return Object.values(keys).every(v => v) ? keys : null;
  };
  table($('breakdown'), [{ label: dimensions.map(words).join(' × ') }, { label: 'Calls', num: true }, { label: 'Cost', num: true }],
    withOther(summary, TOP * 2).map(g => {
      const filter = g.other ? null : filterOf(g);
      return {
        cells: [g.other ? g.key : g.key || '(not set)', int.format(g.requests), moneyNode(g.total_usd)],
        href: filter ? logsOf(filter, days) : null,
        label: filter ? `${g.key}: see its calls` : null,
      };
    }));
  const [first, second] = by.startsWith('tag:') ? ['tag', ''] : [dimensions[0], dimensions[1] || ''];
  $('breakdown-first').value = first;
  $('breakdown-second').value = second;
  $('breakdown-tag').value = by.startsWith('tag:') ? by.slice(4) : '';
}

/** Models whose price differs from what the gateway reported, each with a link to its calls. */
function renderMismatches(mismatches, days) {
  table($('mismatches'), [{ label: 'Model' }, { label: 'Calls', num: true }, { label: 'Ours', num: true }, { label: 'Reported', num: true }, { label: 'Difference', num: true }],
    mismatches.map(m => ({
      cells: [m.model, int.format(m.requests), moneyNode(m.our_usd), moneyNode(m.reported_usd), m.difference_pct === null ? '–' : `${Number(m.difference_pct) > 0 ? '+' : ''}${m.difference_pct}%`],
      href: logsOf({ model: m.model }, days),
      label: `${m.model}: see the calls`,
    })),
    'Our prices agree with the reported costs (within 1%)');
}

/** Budgets with a progress bar each (spent against the amount) and the forecast to the period's end. */
function renderBudgets(list) {
  table($('budgets'), [{ label: 'Budget' }, { label: 'Spent of amount' }, { label: 'Remaining', num: true }, { label: 'Forecast', num: true }, { label: 'State' }],
    list.items.map(b => {
      const scope = Object.entries(b.scope).map(([k, v]) => `${words(k)} ${v}`).join(', ');
      const spent = document.createElement('div');
      const bar = document.createElement('div');
      bar.className = `progress ${b.state}`;
      bar.setAttribute('role', 'progressbar');
      const share = `${(Number(b.spent_share) * 100).toFixed(1)}%`;
      bar.setAttribute('aria-label', `${b.name}: ${share} of the budget spent`);
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', '100');
      // The exact share moved two places on the text (0.000188 -> 0.0188), not 0.000188 * 100 in floating point.
      const spentPercent = Number(b.spent_share) >= 1 ? '100' : percent(b.spent_share).slice(0, -1);
      bar.setAttribute('aria-valuenow', spentPercent);
      const fill = document.createElement('span');
      fill.style.width = `${spentPercent}%`;
      bar.appendChild(fill);
      const figures = document.createElement('span');
      figures.className = 'muted';
      figures.append(moneyNode(b.spent_usd), ' of ', moneyNode(b.amount_usd), ` · ${share}`);
      spent.append(bar, figures);
      const forecast = document.createElement('span');
      forecast.append(moneyNode(b.forecast_usd));
      const over = minus(b.forecast_usd, b.amount_usd);
      if (over !== '0' && !over.startsWith('-')) forecast.append(' ⚠ over');
      const state = document.createElement('span');
      state.className = `badge state-${b.state}`;
      state.textContent = b.state;
      return [named(b.name, `${scope} · ${b.period === 'monthly' ? 'this month' : 'today'} (UTC)`), spent, moneyNode(b.remaining_usd), forecast, state];
    }),
    'No budgets: an admin creates one with POST /v1/budgets');
  const methods = [...new Set(list.items.map(b => b.forecast_method))];
  $('budgets-status').textContent = methods.length ? `Forecast: ${methods.join('; ')}.` : '';
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
      named(moneyNode(e.cost_usd), `${int.format(e.billed_minutes)} min billed${e.effective_usd_per_mtok === null ? '' : ` · ${money(e.effective_usd_per_mtok)}/Mtok`}`)]),
    'No endpoint in the catalogue');
  const list = $('endpoint-warnings');
  list.replaceChildren();
  for (const w of warnings.warnings) {
    const li = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = `⚠ ${w.endpoint_id}: ${money(w.projected_weekly_waste_usd)} a week for nothing`;
    title.title = exact(w.projected_weekly_waste_usd);
    const message = document.createElement('p');
    message.className = 'muted';
    message.textContent = `${w.message}. Fix: ${w.fix}.`;
    li.append(title, message);
    list.appendChild(li);
  }
  $('endpoints-status').textContent = `${money(costs.cost_usd)} of uptime in this range · ${per.size ? `${money(warnings.projected_weekly_waste_usd)} a week wasted if nothing changes` : 'no endpoint running for nothing'}`;
}

// ---- Catalogue ------------------------------------------------------------------------------
let catalog = [];

// The catalogue has well over a thousand models: the table shows a page of the matches at a time.
const CATALOG_PAGE = 100;
let catalogShown = CATALOG_PAGE;

function renderCatalog() {
  const text = $('catalog-search').value.trim().toLowerCase();
  const matches = catalog.filter(r => !text || r.search.includes(text));
  const shown = matches.slice(0, catalogShown);
  table($('catalog-table'), [{ label: 'Model or alias' }, { label: 'Input', num: true }, { label: 'Output', num: true }, { label: 'Cache read', num: true }],
    shown.map(r => [named(r.name, r.kind), r.input, r.output, r.cache]), 'No model or alias matches');
  $('catalog-count').textContent = shown.length < matches.length
    ? `${shown.length} of ${matches.length} matches shown (${catalog.length} models and aliases); search to narrow them`
    : `${matches.length} of ${catalog.length} models and aliases`;
  $('catalog-more').hidden = shown.length >= matches.length;
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
  const [models, { items: aliases }, info] = await Promise.all([allModels(), api('/v1/aliases'), api('/v1/catalog')]);
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
  const range = rangeOf();
  const days = rangeDays(range);
  const filters = filtersOf();
  showRange(range, days);
  showFilters(filters);
  try {
    const summary = group => api(`/v1/analytics/summary?${query({ from: days.from, to: days.to, group_by: group, ...filters })}`);
    const uptime = query({ from: `${days.from}T00:00:00Z`, to: `${days.to}T00:00:00Z` });
    const by = breakdownOf();
    const [byModel, byUser, byTeam, byApp, breakdown, alerts, costs, warnings, budgets] = await Promise.all([
      summary('model'), summary('user'), summary('team'), summary('app'), summary(by), api('/v1/alerts'), api(`/v1/endpoints/costs?${uptime}`), api('/v1/endpoints/warnings'), api('/v1/budgets')]);
    renderSummary(byModel, days);
    renderTop($('top-users'), byUser, 'user', days);
    renderTop($('top-teams'), byTeam, 'team', days);
    renderTop($('top-apps'), byApp, 'app', days);
    renderBreakdown(breakdown, by, days);
    renderMismatches(byModel.reported_cost_mismatches, days);
    renderAlerts(alerts);
    renderBudgets(budgets);
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
  const text = name => String(form.get(name) || '').trim() || undefined;
  const body = {
    model,
    provider,
    service_tier: text('service_tier'),
    region: text('region'),
    usage: {
      input_tokens: count('input'),
      output_tokens: count('output'),
      cache_read_tokens: count('cache_read'),
      input_audio_tokens: count('input_audio'),
      input_image_tokens: count('input_image'),
      output_audio_tokens: count('output_audio'),
      output_image_tokens: count('output_image'),
      output_reasoning_tokens: count('reasoning'),
      web_searches: count('web_searches'),
    },
  };
  const out = $('calc-result');
  try {
    const [cost, explained] = await Promise.all([
      api('/v1/cost', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
      api(`/v1/models/${encodeURIComponent(model)}?${query({ provider })}`),
    ]);
    out.replaceChildren();
    definitions(out, [
      ['Total', exact(cost.total_usd), 'calc-total'],
      ['Resolved to', cost.resolved_model || 'no catalogue model', 'calc-resolved'],
      ['How', words(cost.pricing_source), 'calc-source'],
      ['Input', exact(cost.input_usd)],
      ['Output', exact(cost.output_usd)],
      ['Cache read', exact(cost.cache_read_usd)],
      ['Tools (web searches)', exact(cost.tools_usd), 'calc-tools'],
      ['Service tier', cost.service_tier || 'standard', 'calc-service-tier'],
      ['Region', cost.region || 'none'],
      ['Prices', `${cost.prices.input_mtok} in / ${cost.prices.output_mtok} out USD per million tokens`],
    ]);
    const units = document.createElement('table');
    units.className = 'units';
    units.setAttribute('aria-label', 'Each token charged once, at the price of its most specific priced unit');
    const head = units.createTHead().insertRow();
    for (const h of ['Unit', 'Count', 'Price key', 'Price', 'USD']) {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    }
    const rows = units.createTBody();
    for (const u of cost.units) {
      const row = rows.insertRow();
      row.dataset.unit = u.unit;
      for (const cell of [words(u.unit), String(u.count), u.price_key, String(u.price), exact(u.usd)]) row.insertCell().textContent = cell;
    }
    out.appendChild(units);
    const steps = resolutionSteps(explained);
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

// ---- Start ----------------------------------------------------------------------------------
async function start() {
  await load();
  if ($('main').hidden) return;
  $('main').focus();
  await loadCatalog().catch(error => { $('load-error').textContent = `Could not load the catalogue: ${error.message}`; });
  clearInterval(timer);
  timer = setInterval(load, REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  renderFilterFields(document.querySelector('#filters .filter-grid'));
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => choose({ preset: button.dataset.range }));
  }
  $('custom-range').addEventListener('submit', event => {
    event.preventDefault();
    const from = $('range-from').value, to = $('range-to').value;
    if (!from || !to || from > to) {
      $('load-error').textContent = 'Pick a start date on or before the end date.';
      return;
    }
    choose({ preset: 'custom', from, to });
  });
  $('filters').addEventListener('submit', event => {
    event.preventDefault();
    const form = new FormData($('filters'));
    const filters = {};
    for (const name of FILTERS) filters[name] = String(form.get(name) || '').trim() || undefined;
    go(rangeOf(), filters);
  });
  $('clear-filters').addEventListener('click', () => go(rangeOf(), {}));
  $('breakdown-form').addEventListener('submit', event => {
    event.preventDefault();
    const first = $('breakdown-first').value, second = $('breakdown-second').value, tag = $('breakdown-tag').value.trim();
    if (first === 'tag' && !tag) {
      $('load-error').textContent = 'Name the tag to break down by (its key, e.g. feature).';
      return;
    }
    const by = first === 'tag' ? `tag:${tag}` : second && second !== first ? `${first},${second}` : first;
    const params = new URLSearchParams(location.search);
    params.set('by', by);
    history.pushState(null, '', `/dashboard?${params}`);
    load();
  });
  window.addEventListener('popstate', load);
  $('catalog-search').addEventListener('input', () => { catalogShown = CATALOG_PAGE; renderCatalog(); });
  $('catalog-more').addEventListener('click', () => { catalogShown += CATALOG_PAGE; renderCatalog(); });
  $('calculator').addEventListener('submit', priceCall);
  showKeyPanel = keyPrompt(start, () => clearInterval(timer));
});
