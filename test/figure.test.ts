import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { toolkitBox, type ToolkitBox } from '../src/core/types.ts';
import { iou, pickFrames } from '../src/study/figure.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';

/**
 * npm run figure on a real bench run of a tiny synthetic set (static and the committed siamfc on one
 * 30-frame sequence): the PNG's size is rows x cols x tile, and the pixel in the middle of each
 * drawn box edge has the box's colour, found from the raw results and the frame size with the
 * fit-and-centre rule written out here.
 */
let tmp = '';
let syn = '';
let run = '';
const TRACKERS = ['static', 'siamfc'];
const COLOURS: [number, number, number][] = [
  [31, 119, 180],
  [255, 127, 14],
];
const GT: [number, number, number] = [44, 160, 44];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'siambench-figure-'));
  syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 3, testSequences: 1, testFrames: 30, splits: ['test'] });
  run = join(tmp, 'run');
  const r = runCli('bench', [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    run,
    '--trackers',
    TRACKERS.join(','),
    '--concurrency',
    '1',
  ]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const boxes = (file: string): number[][] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(/[,\s]+/).map(Number));

test('a 2-row figure: size rows x cols x tile, each box edge in its colour', async () => {
  const out = join(tmp, 'fig.png');
  const r = runCli('figure', [
    '--results',
    run,
    '--trackers',
    TRACKERS.join(','),
    '--sequences',
    'Synth001',
    '--frames',
    '3',
    '--tile',
    '160x120',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { data, info } = await sharp(out).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [3 * 160, 2 * 120]);
  const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
  // Even spacing after the first frame: rows round(29 i / 3) of 0..29.
  const rows = [10, 19, 29];
  const frame = await sharp(join(syn, 'otb', 'Synth001', 'img', '0001.jpg')).metadata();
  const scale = Math.min(160 / frame.width!, 120 / frame.height!);
  const [ox, oy] = [(160 - frame.width! * scale) / 2, (120 - frame.height! * scale) / 2];
  const gt = boxes(join(syn, 'otb', 'Synth001', 'groundtruth_rect.txt'));
  let gtSeen = 0;
  const seen = [0, 0];
  for (const [k, tracker] of TRACKERS.entries()) {
    const own = boxes(join(run, 'raw', tracker, 'Synth001.txt'));
    for (const [c, row] of rows.entries()) {
      // Middle of the left edge, 1-based x, y -> pixels of the tile at column c, row k.
      const at = (b: number[]) => [Math.floor(c * 160 + ox + (b[0] - 1) * scale), Math.floor(k * 120 + oy + (b[1] - 1 + b[3] / 2) * scale)];
      // Only edges inside the frame: a box partly out of view has its edge off the tile.
      const inside = (q: number[]) => q[0] >= 1 && q[1] >= 1 && q[1] + q[3] <= frame.height! && q[0] < frame.width!;
      const [x, y] = at(own[row]);
      if (inside(own[row])) {
        assert.deepEqual(pixel(x, y), COLOURS[k], `${tracker} frame ${row + 1}: box edge at (${x}, ${y})`);
        seen[k]++;
      }
      // The ground truth's edge where the tracker's box (drawn over it) is not within 4 px.
      const [gx, gy] = at(gt[row]);
      const b = own[row].map((v) => v * scale);
      const [bx, by] = [c * 160 + ox + (own[row][0] - 1) * scale, k * 120 + oy + (own[row][1] - 1) * scale];
      const near = gx >= bx - 4 && gx <= bx + b[2] + 4 && gy >= by - 4 && gy <= by + b[3] + 4;
      if (!near && inside(gt[row])) {
        assert.deepEqual(pixel(gx, gy), GT, `ground truth, frame ${row + 1}, row ${k}`);
        gtSeen++;
      }
    }
  }
  assert.ok(seen[0] > 0 && seen[1] > 0, `box edges checked per tracker: ${seen}`);
  assert.ok(gtSeen > 0, 'no tile where the ground truth stands apart from the tracker box');
});

const box = (x: number, y: number, w: number, h: number): ToolkitBox => toolkitBox([x, y, w, h]);

test('IoU and the frames picked: hand-computed', () => {
  assert.equal(iou(box(1, 1, 10, 10), box(6, 1, 10, 10)), 50 / 150);
  assert.equal(iou(box(1, 1, 10, 10), box(20, 20, 5, 5)), 0);
  assert.equal(iou(box(1, 1, 10, 10), box(NaN, NaN, NaN, NaN)), 0);
  assert.deepEqual(pickFrames(31, 3, 'even', [], []), [10, 20, 30]);
  // Disagreement (IoU 0) at rows 5, 6 and 15 of 20; at least 20 / 6 = 3 rows apart: 5 and 15,
  // then the next lowest IoU (row 12, overlap 1/3) rather than row 6 next to 5.
  const a = Array.from({ length: 20 }, () => box(1, 1, 10, 10));
  const b = a.map((_, r) => (r === 5 || r === 6 || r === 15 ? box(50, 50, 10, 10) : r === 12 ? box(6, 1, 10, 10) : box(1, 1, 10, 10)));
  assert.deepEqual(pickFrames(20, 3, 'disagree', a, b), [5, 12, 15]);
  // Five frames of a 6-row sequence: the spacing gives way, every row after the first, none twice.
  assert.deepEqual(pickFrames(6, 5, 'disagree', a, b), [1, 2, 3, 4, 5]);
});

test('figure errors are one line naming the option', () => {
  const base = ['--trackers', TRACKERS.join(','), '--sequences', 'Synth001', '--out', join(tmp, 'x.png')];
  assertOneLineError(
    runCli('figure', ['--results', tmp, ...base]),
    /^error: --results: .*run\.json is missing \(not a bench run folder\)$/,
  );
  assertOneLineError(
    runCli('figure', ['--results', run, '--trackers', 'static', '--sequences', 'Synth001', '--out', join(tmp, 'x.png')]),
    /^error: --trackers: expected two trackers, baseline first \(got 1: 'static'\)$/,
  );
  assertOneLineError(
    runCli('figure', ['--results', run, '--trackers', 'static,kcf', '--sequences', 'Synth001', '--out', join(tmp, 'x.png')]),
    /^error: --trackers: .*raw\/kcf\/Synth001\.txt is missing \(no raw results of kcf on Synth001\)$/,
  );
  assertOneLineError(
    runCli('figure', ['--results', run, '--trackers', TRACKERS.join(','), '--sequences', 'Nope', '--out', join(tmp, 'x.png')]),
    /^error: --sequences: 'Nope' is not in synthetic at /,
  );
});
