// Hand-drawn SVG charts: no dependency, drawn at the figure's own width (text stays 11-12 px on a
// phone and on a wide screen), and accessible: each chart is one image with a label and its data as a description.
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2457c5', '#0f8a6a', '#b5540b', '#7c3aed', '#be185d', '#0e7490'];
const INK = '#1b1f24', MUTED = '#5b6470', GRID = '#e5e7eb';

// Charts are drawn again when their figure changes width (a rotated phone, a resized window).
const redraws = new WeakMap();
const resized = new ResizeObserver(entries => {
  for (const entry of entries) {
    const redraw = redraws.get(entry.target);
    if (redraw && Math.abs(entry.contentRect.width - redraw.width) > 1) redraw.draw();
  }
});

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function widthOf(figure) {
  return Math.max(260, Math.round(figure.clientWidth) || 640);
}

/** Draws now, and again whenever the figure changes width. */
function remember(figure, draw) {
  const width = widthOf(figure);
  redraws.set(figure, { width, draw: () => remember(figure, draw) });
  resized.observe(figure);
  draw(width);
}

/** An SVG announced as one image: its label, and its data read out as a description. */
function frame(figure, width, height, label, description) {
  figure.replaceChildren();
  figure.dataset.chart = 'drawn';
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, 'aria-describedby': `${figure.id}-desc`, 'data-chart': 'drawn' });
  svg.appendChild(el('title', {}, label));
  svg.appendChild(el('desc', { id: `${figure.id}-desc` }, description));
  figure.appendChild(svg);
  return svg;
}

function empty(figure, message) {
  redraws.delete(figure);
  figure.replaceChildren();
  figure.dataset.chart = 'empty';
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = message;
  figure.appendChild(p);
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * A label in lines of at most <chars> characters, broken after its separators (/ - _ . : space), never inside
 * a word unless one word alone is longer than a line; at most <most> lines, the last one ending in … when cut.
 */
export function wrap(text, chars, most = 3) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/(?<=[/\-_.:\s])/)) {
    if (line && (line + word).length > chars) {
      lines.push(line);
      line = '';
    }
    let rest = word;
    while (rest.length > chars) {
      lines.push(rest.slice(0, chars));
      rest = rest.slice(chars);
    }
    line += rest;
  }
  if (line) lines.push(line);
  if (lines.length <= most) return lines;
  const kept = lines.slice(0, most);
  kept[most - 1] = `${kept[most - 1].slice(0, Math.max(1, chars - 1))}…`;
  return kept;
}

/** Multi-line SVG text: one tspan a line, <lineHeight> apart. */
function lines(attrs, texts, lineHeight) {
  const node = el('text', attrs);
  texts.forEach((t, i) => node.appendChild(el('tspan', { x: attrs.x, dy: i === 0 ? 0 : lineHeight }, t)));
  return node;
}

/** Which x labels to draw so none overlaps the next: every n-th, and always the last one (dropping its close neighbour). */
function spaced(labels, plot) {
  const widest = 12 + 6.6 * Math.max(...labels.map(l => String(l).length));
  const every = Math.max(1, Math.ceil(labels.length * widest / Math.max(plot, 1)));
  const shown = labels.map((_, i) => i).filter(i => i % every === 0);
  const last = labels.length - 1;
  if (shown[shown.length - 1] !== last) {
    if (last - shown[shown.length - 1] < every) shown.pop();
    shown.push(last);
  }
  return new Set(shown);
}

/** Makes a chart mark act as a button for mouse and keyboard. */
function pickable(node, label, pick) {
  node.setAttribute('tabindex', '0');
  node.setAttribute('role', 'button');
  node.setAttribute('aria-label', label);
  node.setAttribute('class', 'bar-link');
  node.addEventListener('click', pick);
  node.addEventListener('keydown', event => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick();
    }
  });
}

/**
 * Line chart of one or more series over the same x labels; a series' text[i] (exact) labels its points when given.
 * With onPick, each point of the first series is a button (pickLabel(i) names it).
 */
export function lineChart(figure, labels, series, { format = String, label = 'chart', onPick, pickLabel = i => labels[i] } = {}) {
  if (!labels.length) return empty(figure, 'No calls in this range');
  const said = (s, i) => (s.text ? s.text[i] : format(s.values[i]));
  const description = series.map(s => `${s.name}: ${labels.map((l, i) => `${l} ${said(s, i)}`).join(', ')}`).join('. ');
  const max = niceMax(Math.max(...series.flatMap(s => s.values)));
  const ticks = [0, 1, 2, 3, 4].map(t => format(max * t / 4));
  remember(figure, width => {
    const legend = series.length > 1 ? 22 : 0;
    const height = 200 + legend, left = 12 + 7 * Math.max(...ticks.map(t => t.length)), right = 24, top = 10, bottom = 28 + legend;
    const svg = frame(figure, width, height, label, description);
    const plot = width - left - right;
    const x = i => left + (labels.length === 1 ? plot / 2 : i * plot / (labels.length - 1));
    const y = v => top + (height - top - bottom) * (1 - v / max);
    ticks.forEach((tick, t) => {
      const v = max * t / 4;
      svg.appendChild(el('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: GRID }));
      svg.appendChild(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: MUTED }, tick));
    });
    const shown = spaced(labels, plot);
    labels.forEach((l, i) => {
      if (shown.has(i)) {
        const anchor = labels.length > 1 && i === 0 ? 'start' : labels.length > 1 && i === labels.length - 1 ? 'end' : 'middle';
        svg.appendChild(el('text', { x: x(i), y: height - bottom + 16, 'text-anchor': anchor, 'font-size': 11, fill: MUTED, 'data-axis': 'x' }, l));
      }
    });
    series.forEach((s, k) => {
      const color = COLORS[k % COLORS.length];
      svg.appendChild(el('polyline', { points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': s.name }));
      s.values.forEach((v, i) => {
        const dot = el('circle', { cx: x(i), cy: y(v), r: 3, fill: color });
        dot.appendChild(el('title', {}, `${labels[i]} ${s.name}: ${said(s, i)}`));
        if (onPick && k === 0) {
          const hit = el('g', { 'data-pick': i });
          hit.appendChild(el('rect', { x: x(i) - 9, y: y(v) - 9, width: 18, height: 18, fill: 'transparent' }));
          hit.appendChild(dot);
          pickable(hit, pickLabel(i), () => onPick(i));
          svg.appendChild(hit);
        } else {
          svg.appendChild(dot);
        }
      });
    });
    if (legend) {
      series.forEach((s, k) => {
        svg.appendChild(el('rect', { x: left + k * 130, y: height - 14, width: 10, height: 10, fill: COLORS[k % COLORS.length] }));
        svg.appendChild(el('text', { x: left + 14 + k * 130, y: height - 5, 'font-size': 11, fill: INK }, s.name));
      });
    }
  });
}

/**
 * Horizontal bar chart of the items in the order given (at most 11: ten and an "other"); an item's text labels its
 * bar, its exact amount is on hover, and an item with href is a link. Long labels wrap; narrow figures put each
 * label above its bar.
 */
export function barChart(figure, items, { label = 'chart' } = {}) {
  if (!items.length) return empty(figure, 'No calls in this range');
  const rows = items.slice(0, 11);
  const description = rows.map(r => `${r.label} ${r.exact || r.text}`).join(', ');
  const max = Math.max(...rows.map(r => r.value)) || 1;
  const right = 12 + 7 * Math.max(...rows.map(r => r.text.length));
  remember(figure, width => {
    const stacked = width < 520;
    const left = stacked ? 0 : Math.min(230, Math.round(width * 0.36));
    const wrapped = rows.map(r => wrap(r.label, Math.floor((stacked ? width : left - 8) / 7)));
    const heights = wrapped.map(w => stacked ? 15 * w.length + 26 : Math.max(26, 15 * w.length + 8));
    const svg = frame(figure, width, heights.reduce((a, b) => a + b, 0) + 6, label, description);
    let top = 3;
    rows.forEach((r, i) => {
      const barTop = stacked ? top + 15 * wrapped[i].length + 3 : top + 3;
      const w = Math.max(1, (width - left - right) * r.value / max);
      const group = r.href ? el('a', { href: r.href, class: 'bar-link', 'aria-label': `${r.label}: ${r.exact || r.text}, see its calls` }) : el('g');
      group.appendChild(stacked
        ? lines({ x: 0, y: top + 12, 'font-size': 12, fill: INK }, wrapped[i], 15)
        : lines({ x: left - 8, y: top + 16, 'text-anchor': 'end', 'font-size': 12, fill: INK }, wrapped[i], 15));
      const bar = el('rect', { x: left, y: barTop, width: w, height: 18, fill: COLORS[0], rx: 3, 'data-bar': r.label });
      bar.appendChild(el('title', {}, `${r.label}: ${r.exact || r.text}`));
      group.appendChild(bar);
      group.appendChild(el('text', { x: left + w + 6, y: barTop + 13, 'font-size': 12, fill: INK }, r.text));
      svg.appendChild(group);
      top += heights[i];
    });
  });
}
