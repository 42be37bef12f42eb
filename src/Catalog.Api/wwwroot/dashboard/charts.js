// Hand-drawn SVG charts: no dependency, accessible (title + description per chart).
const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2457c5', '#0f8a6a', '#b5540b', '#7c3aed', '#be185d', '#0e7490'];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(figure, width, height, label) {
  figure.replaceChildren();
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, 'data-chart': 'drawn' });
  svg.appendChild(el('title', {}, label));
  figure.appendChild(svg);
  return svg;
}

function empty(figure, message) {
  figure.replaceChildren();
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

/** Line chart of one or more series over the same x labels. */
export function lineChart(figure, labels, series, { format = String, label = 'chart' } = {}) {
  if (!labels.length) return empty(figure, 'No data in this range');
  const width = 640, height = 220, left = 64, right = 12, top = 12, bottom = 40;
  const svg = frame(figure, width, height, label);
  const max = niceMax(Math.max(...series.flatMap(s => s.values)));
  const x = i => left + (labels.length === 1 ? (width - left - right) / 2 : i * (width - left - right) / (labels.length - 1));
  const y = v => top + (height - top - bottom) * (1 - v / max);
  for (let t = 0; t <= 4; t++) {
    const v = max * t / 4;
    svg.appendChild(el('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: '#e5e7eb' }));
    svg.appendChild(el('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6470' }, format(v)));
  }
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((l, i) => {
    if (i % every === 0 || i === labels.length - 1) {
      svg.appendChild(el('text', { x: x(i), y: height - bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6470' }, l));
    }
  });
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
    svg.appendChild(el('polyline', { points, fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': s.name }));
    s.values.forEach((v, i) => {
      const dot = el('circle', { cx: x(i), cy: y(v), r: 3, fill: color });
      dot.appendChild(el('title', {}, `${labels[i]} ${s.name}: ${format(v)}`));
      svg.appendChild(dot);
    });
  });
  if (series.length > 1) {
    series.forEach((s, k) => {
      svg.appendChild(el('rect', { x: left + k * 130, y: height - 14, width: 10, height: 10, fill: COLORS[k % COLORS.length] }));
      svg.appendChild(el('text', { x: left + 14 + k * 130, y: height - 5, 'font-size': 11 }, s.name));
    });
  }
}

/** Horizontal bar chart, largest first. */
export function barChart(figure, items, { format = String, label = 'chart' } = {}) {
  if (!items.length) return empty(figure, 'No data in this range');
  const rows = items.slice(0, 10);
  const width = 640, rowHeight = 26, left = 210, right = 90;
  const height = rows.length * rowHeight + 8;
  const svg = frame(figure, width, height, label);
  const max = Math.max(...rows.map(r => r.value)) || 1;
  rows.forEach((r, i) => {
    const y = 4 + i * rowHeight;
    const w = Math.max(1, (width - left - right) * r.value / max);
    svg.appendChild(el('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', 'font-size': 12 }, r.label.length > 30 ? r.label.slice(0, 29) + '…' : r.label));
    const bar = el('rect', { x: left, y: y + 3, width: w, height: rowHeight - 8, fill: COLORS[0], rx: 3, 'data-bar': r.label });
    bar.appendChild(el('title', {}, `${r.label}: ${format(r.value)}`));
    svg.appendChild(bar);
    svg.appendChild(el('text', { x: left + w + 6, y: y + 16, 'font-size': 12, fill: '#1b1f24' }, format(r.value)));
  });
}
