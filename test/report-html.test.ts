/**
 * report.html in a real browser: Debian's chromium, headless, driven by playwright-core, opens the
 * report that eval's scoring wrote for a tiny raw-layout benchmark of real JPEG frames (each frame one
 * flat grey, so the frame shown can be told from its pixels) and checks what a user would see.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { loadDataset, scoreResults } from '../src/benchmarks/index.ts';
import { writeStatistics } from '../src/study/outputs.ts';
import { parsePerRun } from '../src/study/per-run.ts';
import { put, tempDir } from './helpers/files.ts';

const CHROMIUM = '/usr/bin/chromium';
const FRAMES = 6;
const grey = (i: number) => 30 + 30 * i; // frame i (1-based) is this grey
const gt = (i: number) => [41 + 5 * i, 31, 60, 40];
const good = (i: number) => [51 + 5 * i, 41, 60, 40];
const rgbOf = (hex: string) => hex.match(/\w\w/g)!.map((h) => parseInt(h, 16));
const lines = (rows: number[][]) => rows.map((b) => b.join(',')).join('\n') + '\n';

/** What the test reads of a Chart.js chart in the page (window.siambench.charts). */
interface Chart {
  chartArea: { left: number; top: number; right: number; bottom: number };
  ctx: CanvasRenderingContext2D;
  legend: { legendItems: { text: string }[]; legendHitBoxes: { left: number; top: number; width: number; height: number }[] };
  data: { datasets: { borderColor: string }[] };
  isDatasetVisible(index: number): boolean;
}

async function fixture(dir: string): Promise<string> {
  const root = join(dir, 'bench');
  mkdirSync(join(root, 'SeqA', 'img'), { recursive: true });
  for (let i = 1; i <= FRAMES; i++) {
    const v = grey(i);
    await sharp({ create: { width: 200, height: 150, channels: 3, background: { r: v, g: v, b: v } } })
      .jpeg({ quality: 100 })
      .toFile(join(root, 'SeqA', 'img', `${String(i).padStart(4, '0')}.jpg`));
  }
  const rows = Array.from({ length: FRAMES }, (_, k) => k + 1);
  put(join(root, 'SeqA', 'groundtruth_rect.txt'), lines(rows.map(gt)));
  put(join(root, 'SeqA', 'attrs.txt'), 'SV\n');
  put(join(dir, 'results', 'good', 'SeqA.txt'), lines(rows.map(good)));
  put(join(dir, 'results', 'lost', 'SeqA.txt'), lines(rows.map((i) => (i === 1 ? gt(1) : [150, 100, 20, 20]))));
  const data = await loadDataset('otb', 'synthetic', root);
  const out = join(dir, 'out');
  await scoreResults(data, join(dir, 'results'), out, {});
  return out;
}

/** A VOT-layout set of one sequence and two trackers' baseline results, one failing at frame 5. */
async function votFixture(dir: string): Promise<string> {
  const root = join(dir, 'vot');
  const rows = Array.from({ length: 20 }, (_, k) => [10 + k, 10, 30, 30]);
  put(join(root, 'list.txt'), 'a\n');
  put(join(root, 'a', 'groundtruth.txt'), lines(rows));
  const region = (b: number[]) => b.join(',');
  const good = rows.map((b, k) => (k === 0 ? '1' : region([b[0] + 2, b[1], b[2], b[3]])));
  const failing = rows.map((b, k) => (k === 0 || k === 10 ? '1' : k === 5 ? '2' : k > 5 && k < 10 ? '0' : region(b)));
  put(join(dir, 'vres', 'good', 'baseline', 'a', 'a_001.txt'), good.join('\n') + '\n');
  put(join(dir, 'vres', 'failing', 'baseline', 'a', 'a_001.txt'), failing.join('\n') + '\n');
  // A set of its own: a VOT year's name would check the root against that year's sequences.
  const data = await loadDataset('vot', 'my-vot', root);
  const out = join(dir, 'vout');
  await scoreResults(data, join(dir, 'vres'), out, {});
  return out;
}

test('report.html in headless chromium: charts drawn, table = summary.csv, legend toggles, viewer pixels', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} not installed (apt-get install chromium; .ci/run installs it as root)`);
    return;
  }
  const dir = tempDir(t, 'report-html-');
  const out = await fixture(dir);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    deviceScaleFactor: 1,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(join(out, 'report.html')).href);
  await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#view')?.dataset.drawn === 'frame');

  // Every chart of the first group drawn: its canvas holds many non-white pixels.
  const inked = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('.chart canvas')].map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
      return n;
    }),
  );
  assert.equal(inked.length, 3, 'success, precision and normalised precision plots');
  for (const n of inked) assert.ok(n > 2000, `a chart with only ${n} inked pixels`);

  // The summary table holds summary.csv's cells exactly.
  const cells = await page.$$eval('section[data-file="summary.csv"] tbody tr', (trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent)),
  );
  const csv = readFileSync(join(out, 'summary.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  assert.deepEqual(cells, csv);

  // Clicking 'good' in the success plot's legend hides its curve: its colour leaves the canvas.
  // Counted in the plot area only: the legend keeps its (struck-through) colour box.
  const colourPixels = (colour: string) =>
    page.evaluate((rgb) => {
      const chart = (window as unknown as { siambench: { charts: Chart[] } }).siambench.charts[0];
      const { left, top, right, bottom } = chart.chartArea;
      const d = chart.ctx.getImageData(left, top, right - left, bottom - top).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 30) n++;
      return n;
    }, rgbOf(colour));
  const legend = await page.evaluate(() => {
    const chart = (window as unknown as { siambench: { charts: Chart[] } }).siambench.charts[0];
    const i = chart.legend.legendItems.findIndex((it) => it.text.startsWith('good'));
    return { box: chart.legend.legendHitBoxes[i], colour: chart.data.datasets[i].borderColor };
  });
  const before = await colourPixels(legend.colour);
  const rect = (await page.locator('.chart canvas').first().boundingBox())!;
  await page.mouse.click(rect.x + legend.box.left + legend.box.width / 2, rect.y + legend.box.top + legend.box.height / 2);
  // Chart.js handles a click on a later animation frame: wait for the curve to be hidden (progress,
  // not a time), then one frame more for the redraw, before counting its pixels.
  await page.waitForFunction(() => {
    const chart = (window as unknown as { siambench: { charts: Chart[] } }).siambench.charts[0];
    return !chart.isDatasetVisible(chart.legend.legendItems.findIndex((it) => it.text.startsWith('good')));
  });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(undefined))));
  const after = await colourPixels(legend.colour);
  assert.ok(before > 300, `the curve of 'good' drawn (${before} pixels)`);
  assert.ok(after < before / 10, `the curve of 'good' hidden: ${before} -> ${after} pixels of its colour`);

  // The viewer: three steps right show image 4, with the ground truth and good's box at their pixels.
  await page.locator('#view').scrollIntoViewIfNeeded();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#view')?.dataset.row === '3');
  await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#view')?.dataset.drawn === 'frame');
  const shot = await page.locator('#view').screenshot();
  const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [200, 150]);
  const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 6);
  assert.ok(near(px(5, 5), [grey(4), grey(4), grey(4)]), `image 4's grey at (5, 5), got ${px(5, 5)}`);
  const [gx, gy, , gh] = gt(4); // toolkit box: its left column is image column gx - 1 (0-based)
  assert.ok(near(px(gx - 1, gy + gh / 2), [0, 255, 0]), `ground truth's left edge at x = ${gx - 1}, got ${px(gx - 1, gy + gh / 2)}`);
  assert.ok(near(px(gx + 4, gy + gh / 2), [grey(4), grey(4), grey(4)]), 'inside the box: the frame');
  const [bx, by, , bh] = good(4);
  const colour = rgbOf(legend.colour);
  assert.ok(near(px(bx - 1, by + bh / 2), colour), `good's left edge at x = ${bx - 1} in ${legend.colour}, got ${px(bx - 1, by + bh / 2)}`);
  assert.match((await page.textContent('#frame-label'))!, /^image 4 \(row 4 of 6\)/);
  assert.deepEqual(errors, []);

  // A VOT report: the A-R plot and EAO curve drawn, the summary table = summary.csv.
  const vot = await votFixture(dir);
  await page.goto(pathToFileURL(join(vot, 'report.html')).href);
  await page.waitForSelector('section[data-file="summary.csv"] tbody tr');
  const votInk = await page.evaluate(() =>
    (window as unknown as { siambench: { charts: Chart[] } }).siambench.charts.map((c) => {
      const { left, top, right, bottom } = c.chartArea;
      const d = c.ctx.getImageData(left, top, right - left, bottom - top).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
      return n;
    }),
  );
  assert.equal(votInk.length, 2);
  for (const n of votInk) assert.ok(n > 100, `a VOT chart with only ${n} inked pixels in its plot area`);
  const votCells = await page.$$eval('section[data-file="summary.csv"] tbody tr', (trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent)),
  );
  const votCsv = readFileSync(join(vot, 'summary.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  assert.deepEqual(votCells, votCsv);

  // A study's report, from the committed global-loss study's per-run rows: forest plots drawn.
  const study = join(dir, 'study');
  const perRun = join('docs', 'study', 'global-loss', 'per_run.csv');
  const validation = join('docs', 'study', 'global-loss', 'validation.csv');
  await writeStatistics(
    study,
    parsePerRun(readFileSync(perRun, 'utf8'), perRun),
    parsePerRun(readFileSync(validation, 'utf8'), validation),
  );
  await page.goto(pathToFileURL(join(study, 'report.html')).href);
  await page.waitForSelector('section[data-file="study.csv"] tbody tr');
  const studyCharts = await page.evaluate(() => (window as unknown as { siambench: { charts: Chart[] } }).siambench.charts.length);
  assert.equal(studyCharts, 2, 'the forest plot and AUC per configuration of the first test set');
  const rowsShown = await page.$$eval('section[data-file="study.csv"] tbody tr', (trs) => trs.length);
  assert.equal(rowsShown, readFileSync(join(study, 'study.csv'), 'utf8').trim().split('\n').length - 1);
  assert.deepEqual(errors, []);
});
