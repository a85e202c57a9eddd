// The script of report.html (src/output/html/page.ts inlines it). It runs in the browser from a file on
// disk, with Chart.js inline beside it: no network, no module loader. Everything it shows comes from the
// JSON in #report-data, which the report writer filled from the same data as the report's CSV files.
/* global Chart, document, window, Image, requestAnimationFrame */
'use strict';

const DATA = JSON.parse(document.getElementById('report-data').textContent);
const PALETTE = ['#d62728', '#1f77b4', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#000080'];
const GT_COLOUR = '#00ff00';
const charts = [];
// For the browser test and for a user's console: the charts and the viewer's state.
window.siambench = { charts, viewer: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof window.Node ? c : document.createTextNode(String(c)));
  return node;
}

function colourOf(label) {
  const names = [...new Set(DATA.charts.flatMap((c) => c.series.map((s) => s.label.split(' [')[0])))];
  const i = names.indexOf(label.split(' [')[0]);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

function makeChart(canvas, spec) {
  const datasets = spec.series.map((s) => ({
    label: s.label,
    data: s.points.map(([x, y]) => ({ x, y })),
    showLine: s.line !== false,
    borderColor: colourOf(s.label),
    backgroundColor: colourOf(s.label),
    pointRadius: s.line === false ? 5 : s.markers ? 3 : 0,
    borderWidth: 2,
  }));
  const axis = (a, categories) => ({
    type: 'linear',
    title: { display: true, text: a.label },
    ...(a.min !== undefined ? { min: a.min } : {}),
    ...(a.max !== undefined ? { max: a.max } : {}),
    ...(categories ? { ticks: { stepSize: 1, callback: (v) => categories[v] ?? '' } } : {}),
  });
  const chart = new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      plugins: { title: { display: true, text: spec.title }, legend: { position: 'right' } },
      scales: { x: axis(spec.x), y: axis(spec.y, spec.yCategories) },
    },
  });
  charts.push(chart);
  return chart;
}

function plotsSection() {
  if (DATA.charts.length === 0) return null;
  const groups = [...new Set(DATA.charts.map((c) => c.group))];
  const grid = el('div', { class: 'grid' });
  const show = (group) => {
    for (const c of charts.splice(0)) c.destroy();
    grid.replaceChildren();
    for (const spec of DATA.charts.filter((c) => c.group === group)) {
      const canvas = el('canvas', { width: 560, height: 360 });
      grid.append(el('div', { class: 'chart' }, canvas));
      makeChart(canvas, spec);
    }
  };
  const select = el('select', { id: 'group', onchange: (e) => show(e.target.value) }, ...groups.map((g) => el('option', { value: g }, g)));
  show(groups[0]);
  return el(
    'section',
    {},
    el('h2', {}, 'Plots'),
    el('p', {}, 'Sequences: ', select, ' (click a tracker in a legend to hide or show it)'),
    grid,
  );
}

function tableSection(t) {
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => r[j] === '' || !Number.isNaN(Number(r[j]))));
  const openCol = t.open ? t.columns.indexOf(t.open) : -1;
  const body = el('tbody');
  let rows = t.rows.slice();
  let sortCol = -1;
  let filter = '';
  const render = () => {
    const f = filter.toLowerCase();
    body.replaceChildren(
      ...rows
        .filter((r) => !f || r.some((c) => c.toLowerCase().includes(f)))
        .map((r) => {
          const tr = el('tr', {}, ...r.map((c, j) => el('td', numeric[j] ? { class: 'num' } : {}, c)));
          if (openCol >= 0) {
            tr.className = 'opens';
            tr.title = 'open this sequence in the viewer';
            tr.addEventListener('click', () => openSequence(r[openCol]));
          }
          return tr;
        }),
    );
  };
  const sortBy = (j) => {
    const dir = sortCol === j ? -1 : 1;
    sortCol = dir === 1 ? j : -1;
    const key = (r) => (numeric[j] ? Number(r[j]) : r[j]);
    rows = rows.slice().sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
    render();
  };
  const head = el('tr', {}, ...t.columns.map((c, j) => el('th', { onclick: () => sortBy(j), title: 'sort' }, c)));
  const input = el('input', { type: 'search', placeholder: 'filter rows', oninput: (e) => ((filter = e.target.value), render()) });
  render();
  return el(
    'section',
    { 'data-file': t.file },
    el('h2', {}, `${t.title} (${t.file})`),
    input,
    el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, head), body)),
  );
}

const viewer = { seq: null, row: 0, shown: new Set(), image: null, iouChart: null };
window.siambench.viewer = viewer;

function openSequence(name) {
  const select = document.getElementById('sequence');
  if (!select || !DATA.sequences.some((s) => s.name === name)) return;
  select.value = name;
  loadSequence(name);
  document.getElementById('viewer').scrollIntoView();
}

function loadSequence(name) {
  viewer.seq = DATA.sequences.find((s) => s.name === name);
  viewer.row = 0;
  const slider = document.getElementById('frame');
  slider.max = String(viewer.seq.frames.length - 1);
  slider.value = '0';
  drawIou();
  showRow(0);
}

function showRow(row) {
  const seq = viewer.seq;
  viewer.row = Math.max(0, Math.min(seq.frames.length - 1, row));
  document.getElementById('frame').value = String(viewer.row);
  const ious = seq.tracks
    .filter((t) => viewer.shown.has(t.tracker))
    .map((t) => `${t.tracker} ${t.iou[viewer.row] === null ? '-' : t.iou[viewer.row].toFixed(3)}`);
  document.getElementById('frame-label').textContent =
    `image ${seq.frames[viewer.row]} (row ${viewer.row + 1} of ${seq.frames.length}); IoU: ${ious.join(', ') || '-'}`;
  if (viewer.iouChart) viewer.iouChart.update('none');
  if (!seq.images) return drawFrame(null);
  const img = new Image();
  viewer.image = img;
  img.onload = () => viewer.image === img && drawFrame(img);
  img.onerror = () => viewer.image === img && drawFrame(null);
  img.src = seq.images[viewer.row];
}

/** Without the frame (a run without images, a moved dataset), boxes are drawn on a blank canvas. */
function drawFrame(img) {
  const seq = viewer.seq;
  const canvas = document.getElementById('view');
  const boxes = [seq.gt[viewer.row], ...seq.tracks.map((t) => t.boxes[viewer.row])].filter(Boolean);
  canvas.width = img ? img.naturalWidth : Math.max(320, ...boxes.map((b) => b[0] + b[2] + 20));
  canvas.height = img ? img.naturalHeight : Math.max(240, ...boxes.map((b) => b[1] + b[3] + 20));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#202020';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (img) ctx.drawImage(img, 0, 0);
  else {
    ctx.fillStyle = '#bbbbbb';
    ctx.fillText(seq.images ? 'frame not found' : 'no frames in this run', 8, 16);
  }
  const rect = (b, colour) => {
    if (!b) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    // Toolkit boxes are 1-based: pixel x = 1 is the image's first column.
    ctx.strokeRect(b[0] - 1, b[1] - 1, b[2], b[3]);
  };
  for (const t of seq.tracks) if (viewer.shown.has(t.tracker)) rect(t.boxes[viewer.row], colourOf(t.tracker));
  rect(seq.gt[viewer.row], GT_COLOUR);
  canvas.dataset.row = String(viewer.row);
  canvas.dataset.drawn = img ? 'frame' : 'blank';
}

const currentFrameLine = {
  id: 'currentFrame',
  afterDatasetsDraw(chart) {
    if (!viewer.seq) return;
    const x = chart.scales.x.getPixelForValue(viewer.seq.frames[viewer.row]);
    const { top, bottom } = chart.chartArea;
    chart.ctx.save();
    chart.ctx.strokeStyle = '#444';
    chart.ctx.beginPath();
    chart.ctx.moveTo(x, top);
    chart.ctx.lineTo(x, bottom);
    chart.ctx.stroke();
    chart.ctx.restore();
  },
};

function drawIou() {
  const seq = viewer.seq;
  if (viewer.iouChart) viewer.iouChart.destroy();
  const datasets = seq.tracks
    .filter((t) => viewer.shown.has(t.tracker))
    .map((t) => ({
      label: t.tracker,
      data: t.iou.map((v, i) => ({ x: seq.frames[i], y: v })),
      showLine: true,
      pointRadius: 0,
      borderWidth: 1.5,
      borderColor: colourOf(t.tracker),
      backgroundColor: colourOf(t.tracker),
    }));
  viewer.iouChart = new Chart(document.getElementById('iou'), {
    type: 'scatter',
    data: { datasets },
    plugins: [currentFrameLine],
    options: {
      animation: false,
      responsive: false,
      onClick: (e) => showRow(seq.frames.indexOf(Math.round(viewer.iouChart.scales.x.getValueForPixel(e.x)))),
      plugins: { title: { display: true, text: `IoU over time: ${seq.name}` } },
      scales: { x: { title: { display: true, text: 'image' } }, y: { min: 0, max: 1, title: { display: true, text: 'IoU' } } },
    },
  });
}

function viewerSection() {
  if (DATA.sequences.length === 0) return null;
  const trackers = [...new Set(DATA.sequences.flatMap((s) => s.tracks.map((t) => t.tracker)))];
  for (const t of trackers) viewer.shown.add(t);
  const boxes = trackers.map((t) =>
    el(
      'label',
      { style: `color:${colourOf(t)}` },
      el('input', {
        type: 'checkbox',
        checked: '',
        onchange: (e) => (e.target.checked ? viewer.shown.add(t) : viewer.shown.delete(t), drawIou(), showRow(viewer.row)),
      }),
      ` ${t} `,
    ),
  );
  const select = el(
    'select',
    { id: 'sequence', onchange: (e) => loadSequence(e.target.value) },
    ...DATA.sequences.map((s) => el('option', { value: s.name }, s.name)),
  );
  const slider = el('input', { id: 'frame', type: 'range', min: 0, max: 0, value: 0, oninput: (e) => showRow(Number(e.target.value)) });
  document.addEventListener('keydown', (e) => {
    if (!viewer.seq || e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
    const step = e.shiftKey ? 10 : 1;
    if (e.key === 'ArrowRight') showRow(viewer.row + step);
    else if (e.key === 'ArrowLeft') showRow(viewer.row - step);
  });
  const section = el(
    'section',
    { id: 'viewer' },
    el('h2', {}, 'Sequence viewer'),
    el('p', {}, 'Sequence: ', select, ' ', el('span', { style: `color:${GT_COLOUR};background:#333` }, ' ground truth '), ' ', ...boxes),
    el('p', {}, slider, ' ', el('span', { id: 'frame-label' }), ' (keys: left/right arrow, shift for 10)'),
    el('div', { class: 'scroll' }, el('canvas', { id: 'view', width: 320, height: 240 })),
    el('canvas', { id: 'iou', width: 900, height: 220 }),
  );
  requestAnimationFrame(() => loadSequence(DATA.sequences[0].name));
  return section;
}

function textsSection() {
  return DATA.texts.map((t) => el('section', { 'data-file': t.file }, el('h2', {}, t.file), el('pre', {}, t.text)));
}

document.body.append(
  el('h1', {}, DATA.title),
  el('p', {}, DATA.subtitle),
  ...[plotsSection(), ...DATA.tables.map(tableSection), viewerSection(), ...textsSection()].filter(Boolean),
);
