// What the dashboard's pages share: the API with the tab's key, money as people read it, tables, the key prompt.
export const KEY = 'catalog.readKey';
export const DAY_MS = 86_400_000;
export const $ = id => document.getElementById(id);

// ---- API ------------------------------------------------------------------------------------
export class AuthError extends Error {}

/** Parses JSON keeping money (*_usd), prices (*_mtok) and shares (*_share) as the exact decimal text the API sent. */
export function parseExact(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && /_(usd|mtok|share)$/.test(key) ? (context && context.source) || String(value) : value);
}

async function send(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) throw new AuthError('That key was not accepted (401): it is unknown, mistyped or revoked. Check it and try again.');
  if (response.status === 403) throw new AuthError('That key cannot read usage (403): ask an admin for a key with the read scope.');
  if (!response.ok) {
    const text = await response.text();
    const body = text && text.startsWith('{') ? parseExact(text) : null;
    const detail = body && (body.errors ? Object.values(body.errors).flat().join('; ') : body.detail || body.title);
    throw new Error(detail || `HTTP ${response.status}`);
  }
  return response;
}

export async function api(path, options = {}) {
  const text = await (await send(path, options)).text();
  return text ? parseExact(text) : null;
}

/** Downloads what the API answers at <path> (with the tab's key, which a plain link could not send) as <filename>. */
export async function download(path, filename) {
  const blob = await (await send(path, { headers: { Accept: 'text/csv' } })).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export const query = params => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

// ---- Formatting (money stays exact decimal text; the short form is for reading, the exact one is on hover) --
export const int = new Intl.NumberFormat('en-US');
export const isoDay = date => date.toISOString().slice(0, 10);
export const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
export const words = text => String(text).replaceAll('_', ' ');

const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const significant = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 4 });

/**
 * An amount as people read it: in cents from $0.10 up ($1,234.57), below that to 4 significant digits
 * ($0.00945, $0.0001235) so small costs stay apart; $0 for zero. Decimal text is rounded as decimal, not as a float.
 */
export function money(amount) {
  if (amount === null || amount === undefined) return '–';
  const text = String(amount);
  const size = Math.abs(Number(text));
  if (size === 0) return '$0';
  return (size >= 0.1 ? cents : significant).format(text);
}

/** The exact amount, as the API sent it. */
export const exact = amount => amount === null || amount === undefined ? '–' : `$${amount}`;

/** An amount to read, with the exact one on hover (title) and in data-exact. */
export function moneyNode(amount) {
  const span = document.createElement('span');
  span.className = 'money';
  span.textContent = money(amount);
  if (amount !== null && amount !== undefined) {
    span.title = exact(amount);
    span.dataset.exact = String(amount);
  }
  return span;
}

// ---- Exact decimal arithmetic on the API's text (sums and differences of money never go through a float) --
function scaled(text, scale) {
  const negative = String(text).startsWith('-');
  const [whole, fraction = ''] = String(text).replace('-', '').split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  return negative ? -value : value;
}

function combine(a, b, sign) {
  const scale = Math.max(...[a, b].map(t => (String(t).split('.')[1] || '').length));
  const result = scaled(a, scale) + BigInt(sign) * scaled(b, scale);
  const digits = (result < 0n ? -result : result).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '') : digits;
  return `${result < 0n ? '-' : ''}${text}`;
}

/** a + b on decimal texts, exactly. */
export const plus = (a, b) => combine(a, b, 1);

/** a − b on decimal texts, exactly. */
export const minus = (a, b) => combine(a, b, -1);

/** "0.333333" -> "33.3333%": the decimal point moved two places on the text, so nothing is rounded. */
export function percent(text) {
  const [whole, fraction = ''] = String(text).split('.');
  const shifted = (whole + fraction.padEnd(2, '0').slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2);
  return `${shifted}${rest ? `.${rest}` : ''}%`;
}

// ---- Rendering ------------------------------------------------------------------------------
/**
 * Fills a table. A row is an array of cells (text or nodes), or { cells, href, label } to make its first
 * cell a link (the row's other cells stay plain, so a screen reader hears one link per row).
 */
export function table(node, headers, rows, empty = 'No calls in this range') {
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
    const cells = Array.isArray(row) ? row : row.cells;
    cells.forEach((cell, i) => {
      const td = tr.insertCell();
      if (headers[i].num) td.className = 'num';
      td.dataset.label = headers[i].label;
      const content = i === 0 && row.href ? link(row.href, cell, row.label) : cell;
      if (content instanceof Node) td.appendChild(content); else td.textContent = content;
    });
  }
  return body;
}

export function link(href, content, label) {
  const a = document.createElement('a');
  a.href = href;
  if (content instanceof Node) a.appendChild(content); else a.textContent = content;
  if (label) a.setAttribute('aria-label', label);
  return a;
}

/** A name that may wrap after its separators (/ - _ . :) but never inside a word. */
export function wrappable(name) {
  const span = document.createElement('span');
  span.className = 'name';
  for (const part of String(name).split(/(?<=[/\-_.:])/)) span.append(part, document.createElement('wbr'));
  return span;
}

/** A name (wrappable text, or a node) with a detail beneath. */
export function named(name, detail) {
  const cell = document.createElement('span');
  const small = document.createElement('span');
  small.className = 'muted kind';
  small.textContent = detail;
  cell.append(name instanceof Node ? name : wrappable(name), small);
  return cell;
}

/** The resolution steps of GET /v1/models/{name}, as a list: ✔ the step that matched, ✗ the others. */
export function resolutionSteps(explained) {
  const steps = document.createElement('ol');
  steps.className = 'steps';
  steps.setAttribute('aria-label', 'Resolution steps tried');
  for (const s of explained.steps) {
    const li = document.createElement('li');
    li.textContent = `${s.matched ? '✔' : '✗'} ${words(s.step)} '${s.tried}'${s.detail ? `: ${s.detail}` : ''}`;
    if (s.matched) li.className = 'matched';
    steps.appendChild(li);
  }
  return steps;
}

// ---- The filters ----------------------------------------------------------------------------------
const SOURCES = ['exact', 'alias', 'match', 'short_name', 'case_insensitive', 'provider_default', 'default_model', 'fallback'];

/** Appends the ledger's filter fields (the names the API's query takes) to a page's filter grid. */
export function renderFilterFields(grid) {
  const text = (label, name, placeholder = '') =>
    `<label>${label} <input name="${name}" id="f-${name}" autocomplete="off"${placeholder ? ` placeholder="${placeholder}"` : ''}></label>`;
  const options = values => ['<option value="">any</option>', ...values.map(v => `<option value="${v}">${words(v)}</option>`)].join('');
  grid.insertAdjacentHTML('beforeend', [
    text('Model', 'model', 'sent or catalogue name'), text('Provider', 'provider'), text('User', 'user'), text('Team', 'team'),
    text('App', 'app'), text('Tag', 'tag', 'key:value'), text('API key id', 'key_id', 'id, e.g. admin'),
    `<label>Status <select name="status" id="f-status">${options(['success', 'error'])}</select></label>`,
    `<label>Pricing source <select name="pricing_source" id="f-pricing-source">${options(SOURCES)}</select></label>`,
  ].join('\n'));
}

// ---- The key prompt ---------------------------------------------------------------------------
/** The sign-in form of every page, in its empty <section id="key-panel" data-opens="dashboard|logs">. */
function renderKeyPanel(panel) {
  const what = panel.dataset.opens === 'logs' ? 'logs' : 'dashboard';
  panel.innerHTML = `
    <h2 id="key-title">Sign in with a read key</h2>
    <p>The ${what} ${what === 'logs' ? 'read' : 'reads'} the usage ledger with an API key that has the <code>read</code> scope. It is kept for this browser tab only.</p>
    <form id="key-form">
      <label for="key-input">API key</label>
      <input id="key-input" name="key" type="password" autocomplete="off" required aria-describedby="key-error">
      <button type="submit">Open ${what}</button>
      <p id="key-error" class="error" role="alert" data-testid="key-error"></p>
    </form>`;
}

/**
 * Wires the key prompt of a page: <onSignedIn> runs once a key is kept (at once when the tab has one);
 * an AuthError from any load brings the prompt back through the returned showKeyPanel.
 */
export function keyPrompt(onSignedIn, onSignedOut = () => {}) {
  renderKeyPanel($('key-panel'));

  function showKeyPanel(message) {
    onSignedOut();
    sessionStorage.removeItem(KEY);
    $('main').hidden = true;
    $('sign-out').hidden = true;
    $('key-panel').hidden = false;
    $('key-error').textContent = message || '';
    $('key-input').value = '';
    $('key-input').focus();
  }

  function signedIn() {
    $('key-panel').hidden = true;
    $('main').hidden = false;
    $('sign-out').hidden = false;
    onSignedIn();
  }

  $('key-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('key-input').value.trim());
    signedIn();
  });
  $('sign-out').addEventListener('click', () => showKeyPanel());
  if (sessionStorage.getItem(KEY)) signedIn(); else showKeyPanel();
  return showKeyPanel;
}
