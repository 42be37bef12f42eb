import { $, api, download, query, int, addDays, words, money, exact, moneyNode, minus, table, wrappable, named, keyPrompt, resolutionSteps, renderFilterFields, AuthError } from '/dashboard/common.js';

const PAGE_SIZE = 50;
/** The filters, as named in the URL and in the API's query. */
const FILTERS = ['from', 'to', 'model', 'provider', 'user', 'team', 'app', 'tag', 'key_id', 'status', 'pricing_source'];
let showKeyPanel;
let cursor = null;
let shown = 0;

// ---- State: the URL is the view ---------------------------------------------------------------
const state = () => new URLSearchParams(location.search);

/** The filters for the API: a day in "to" is included, so the API's exclusive "to" is the next day. */
function apiFilters(params = state()) {
  const filters = {};
  for (const name of FILTERS) filters[name] = params.get(name) || undefined;
  if (filters.to && !filters.to.includes('T')) filters.to = addDays(filters.to, 1);
  return filters;
}

function go(params, push = true) {
  const search = params.toString();
  history[push ? 'pushState' : 'replaceState'](null, '', `/dashboard/logs${search ? `?${search}` : ''}`);
  return render();
}

function fillForm(params) {
  for (const name of FILTERS) {
    const field = $('filters').elements[name];
    if (field) field.value = (params.get(name) || '').slice(0, name === 'from' || name === 'to' ? 10 : undefined);
  }
  const active = FILTERS.filter(n => params.get(n)).map(n => `${words(n)} ${params.get(n)}`);
  $('filter-label').textContent = active.length ? `Showing calls with ${active.join(', ')}` : 'Showing every call';
}

// ---- The list -----------------------------------------------------------------------------------
const time = at => at.replace('T', ' ').replace(/(\.\d+)?(Z|\+00:00)$/, '');

function callRow(r) {
  const params = state();
  params.set('call', r.id);
  const who = [r.user, r.team, r.app].map(v => v || '–').join(' · ');
  return {
    href: `/dashboard/logs?${params}`,
    label: `Call ${r.id} at ${time(r.timestamp)}`,
    cells: [
      time(r.timestamp),
      named(r.model, r.pricing.resolved_model && r.pricing.resolved_model !== r.model ? `→ ${r.pricing.resolved_model}` : words(r.pricing.pricing_source)),
      r.pricing.provider || r.provider || '–',
      who,
      `${int.format(r.usage.input_tokens)} / ${int.format(r.usage.output_tokens)}`,
      moneyNode(r.pricing.cost.total_usd),
      moneyNode(r.reported_cost_usd),
      r.status,
    ],
  };
}

const HEADERS = [{ label: 'Time (UTC)' }, { label: 'Model' }, { label: 'Provider' }, { label: 'User · team · app' }, { label: 'Tokens in / out', num: true }, { label: 'Cost', num: true }, { label: 'Reported', num: true }, { label: 'Status' }];

async function loadPage(append) {
  const page = await api(`/v1/usage?${query({ ...apiFilters(), limit: PAGE_SIZE, cursor: append ? cursor : undefined })}`);
  const rows = page.items.map(callRow);
  if (append) {
    const body = $('calls').tBodies[0];
    const scratch = document.createElement('table');
    for (const tr of [...table(scratch, HEADERS, rows).rows]) body.appendChild(tr);
  } else {
    table($('calls'), HEADERS, rows, 'No calls match these filters');
    shown = 0;
  }
  shown += page.items.length;
  cursor = page.next_cursor;
  $('more').hidden = !cursor;
  $('calls-count').textContent = `${int.format(shown)} ${shown === 1 ? 'call' : 'calls'} shown${cursor ? '; older ones on the next page' : ''}`;
}

// ---- One call -----------------------------------------------------------------------------------
function definitions(pairs) {
  const dl = document.createElement('dl');
  dl.className = 'facts';
  for (const [label, value, testid] of pairs) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value === null || value === undefined || value === '' ? '–' : value;
    if (testid) dd.dataset.testid = testid;
    dl.append(dt, dd);
  }
  return dl;
}

function section(title, ...content) {
  const div = document.createElement('div');
  div.className = 'call-section';
  const h = document.createElement('h3');
  h.textContent = title;
  div.append(h, ...content);
  return div;
}

function paragraph(text, className = 'muted') {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

/** The price breakdown: every unit the API lists (units[]) when it lists them, else the cost's parts. */
function breakdown(record) {
  const cost = record.pricing.cost;
  const node = document.createElement('table');
  node.className = 'breakdown';
  node.dataset.testid = 'breakdown';
  if (Array.isArray(cost.units) && cost.units.length) {
    const columns = [...new Set(cost.units.flatMap(u => Object.keys(u)))];
    table(node, columns.map(c => ({ label: words(c), num: /_usd$|_mtok$|quantity|tokens|count/.test(c) })),
      cost.units.map(u => columns.map(c => /_usd$/.test(c) ? moneyNode(u[c]) : u[c] === null || u[c] === undefined ? '–' : String(u[c]))));
  } else {
    const u = record.usage;
    const cacheWrite = u.cache_write_tokens;
    table(node, [{ label: 'Part' }, { label: 'Tokens', num: true }, { label: 'USD', num: true }, { label: 'Exact USD', num: true }], [
      ['input (not cached)', int.format(u.input_tokens - u.cache_read_tokens - cacheWrite), cost.input_usd],
      ['output', int.format(u.output_tokens), cost.output_usd],
      ['cache read', int.format(u.cache_read_tokens), cost.cache_read_usd],
      ['cache write', int.format(cacheWrite), cost.cache_write_usd],
      ['per request', '', cost.request_usd],
    ].map(([part, tokens, usd]) => [part, tokens, money(usd), exact(usd)]));
  }
  const total = node.createTFoot().insertRow();
  const label = document.createElement('th');
  label.scope = 'row';
  label.textContent = 'Total';
  label.colSpan = node.tHead.rows[0].cells.length - 1;
  const value = total.insertCell();
  value.className = 'num';
  value.dataset.testid = 'call-total';
  value.appendChild(moneyNode(cost.total_usd));
  total.append(label, value);
  const notes = [];
  if (cost.tier !== null && cost.tier !== undefined) notes.push(paragraph(`Above ${int.format(cost.tier)} input tokens: every token at that tier's prices.`));
  return [node, ...notes];
}

function reported(record) {
  const ours = record.pricing.cost.total_usd;
  const theirs = record.reported_cost_usd;
  if (theirs === null || theirs === undefined) return [paragraph('The gateway did not report a cost for this call.')];
  const difference = minus(ours, theirs);
  const pct = Number(theirs) === 0 ? null : (Number(difference) / Number(theirs)) * 100;
  return [definitions([
    ['Ours', exact(ours), 'call-ours'],
    ['Reported by the gateway', exact(theirs), 'call-reported'],
    ['Difference (ours − reported)', `${exact(difference)}${pct === null ? '' : ` (${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%)`}`, 'call-difference'],
  ])];
}

async function resolution(record) {
  const p = record.pricing;
  const facts = definitions([
    ['Name sent', record.model],
    ['Resolved to', p.resolved_model || 'no catalogue model', 'call-resolved'],
    ['Provider', p.provider || record.provider],
    ['Step that priced it', words(p.pricing_source), 'call-source'],
    ['Token counts', words(p.token_source)],
    ['Catalogue version', p.catalog_version],
  ]);
  const out = [facts];
  try {
    const explained = await api(`/v1/models/${encodeURIComponent(record.model)}?${query({ provider: record.provider })}`);
    const steps = resolutionSteps(explained);
    const when = explained.catalog_version === p.catalog_version ? 'the catalogue that priced this call' : `the catalogue built in now (${explained.catalog_version}; this call was priced with ${p.catalog_version})`;
    out.push(paragraph(`Steps tried with ${when}:`), steps);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    out.push(paragraph(`How the name resolves could not be read: ${error.message}`, 'error'));
  }
  return out;
}

async function showCall(id) {
  const panel = $('call-panel');
  const detail = $('call-detail');
  if (!id) {
    panel.hidden = true;
    detail.replaceChildren();
    return;
  }
  const record = await api(`/v1/usage/${encodeURIComponent(id)}`);
  $('call-title').replaceChildren('Call ', wrappable(record.id));
  const tags = Object.entries(record.tags || {}).map(([k, v]) => `${k}: ${v}`).join(', ');
  const sent = document.createElement('pre');
  sent.className = 'snippet';
  sent.textContent = record.sent_usage ? JSON.stringify(record.sent_usage, null, 2) : 'no usage sent: the tokens were estimated';
  const parts = [
    section('What was sent', definitions([
      ['Time (UTC)', time(record.timestamp)],
      ['Model', wrappable(record.model), 'call-model'],
      ['Provider', record.provider],
      ['Status', record.status],
      ['Latency', record.latency_ms === null ? null : `${int.format(record.latency_ms)} ms`],
      ['User', record.user], ['Team', record.team], ['App', record.app], ['Endpoint', record.endpoint], ['API key id', record.key_id, 'call-key-id'],
      ['Tags', tags],
      ['Usage shape', record.usage_shape],
      ['Received', time(record.received_at)],
    ]), sent),
    section('How the name resolved', ...await resolution(record)),
    section('Price breakdown', ...breakdown(record)),
    section('Reported cost beside ours', ...reported(record)),
  ];
  if (record.original) {
    parts.push(section('Before recalculation', definitions([
      ['First price', exact(record.original.pricing.cost.total_usd)],
      ['Catalogue then', record.original.pricing.catalog_version],
      ['Replaced', time(record.original.replaced_at)],
    ])));
  }
  detail.replaceChildren(...parts);
  panel.hidden = false;
}

// ---- Loading --------------------------------------------------------------------------------
async function render() {
  const params = state();
  fillForm(params);
  try {
    await Promise.all([loadPage(false), showCall(params.get('call'))]);
    $('load-error').textContent = '';
    document.body.dataset.loaded = String(Date.now());
  } catch (error) {
    if (error instanceof AuthError) return showKeyPanel(error.message);
    $('load-error').textContent = `Could not load the calls: ${error.message}`;
    document.body.dataset.loaded = String(Date.now());
  }
}

function fromForm() {
  const params = new URLSearchParams();
  const form = new FormData($('filters'));
  for (const name of FILTERS) {
    const value = String(form.get(name) || '').trim();
    if (value) params.set(name, value);
  }
  return params;
}

document.addEventListener('DOMContentLoaded', () => {
  renderFilterFields(document.querySelector('#filters .filter-grid'));
  $('filters').addEventListener('submit', event => {
    event.preventDefault();
    const from = $('f-from').value, to = $('f-to').value;
    if (from && to && from > to) {
      $('load-error').textContent = 'Pick a start day on or before the end day.';
      return;
    }
    go(fromForm());
  });
  $('clear-filters').addEventListener('click', () => go(new URLSearchParams()));
  $('more').addEventListener('click', () => loadPage(true).catch(error => { $('load-error').textContent = `Could not load older calls: ${error.message}`; }));
  $('export-csv').addEventListener('click', async () => {
    const button = $('export-csv');
    button.disabled = true;
    button.textContent = 'Exporting…';
    try {
      await download(`/v1/usage/export.csv?${query(apiFilters())}`, 'usage.csv');
    } catch (error) {
      if (error instanceof AuthError) return showKeyPanel(error.message);
      $('load-error').textContent = `Could not export: ${error.message}`;
    } finally {
      button.disabled = false;
      button.textContent = 'Export CSV';
    }
  });
  $('calls').addEventListener('click', event => {
    const a = event.target.closest('a');
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const params = new URL(a.href).searchParams;
    history.pushState(null, '', `/dashboard/logs?${params}`);
    showCall(params.get('call')).then(() => $('call-panel').focus(), error => { $('load-error').textContent = `Could not open the call: ${error.message}`; });
  });
  $('close-call').addEventListener('click', () => {
    const params = state();
    params.delete('call');
    history.pushState(null, '', `/dashboard/logs${params.size ? `?${params}` : ''}`);
    showCall(null);
  });
  window.addEventListener('popstate', render);
  showKeyPanel = keyPrompt(render);
});
