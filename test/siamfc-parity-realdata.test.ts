import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTflite } from '../src/trackers/siamfc/tflite-import.ts';
import { runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

/**
 * Tracker parity on real frames (issue 9, item 3): the original SiamFC-3s weights, imported from
 * the shared TFLite files, tracked by `npm run bench` over the four real OTB sequences, against the
 * published SiamFC-3s boxes on exactly those frames (cfnet-release). Crossing and Couple must reach
 * a success AUC within 0.05 of the published one and a mean per-frame IoU >= 0.7 with the published
 * boxes; Football1 and MotorRolling are reported, not asserted (dequantised weights do not follow
 * the original frame for frame on harder sequences: see docs/trackers.md).
 */
const SEQUENCES = ['Couple', 'Crossing', 'Football1', 'MotorRolling'];
const ASSERTED = ['Couple', 'Crossing'];

const tmp = mkdtempSync(join(tmpdir(), 'siamfc-parity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Box = [number, number, number, number];
const boxes = (file: string): Box[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(/[,\s]+/).map(Number) as Box);

/** Overlap of two x, y, w, h boxes in the same (continuous) coordinates. */
function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

function perSequence(csv: string): Map<string, { auc: number; precision: number }> {
  const [head, ...rows] = readFileSync(csv, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const col = (n: string) => head.indexOf(n);
  return new Map(rows.map((r) => [r[col('target')], { auc: Number(r[col('success_auc')]), precision: Number(r[col('precision_20')]) }]));
}

test(
  'the imported SiamFC-3s tracks Crossing and Couple like the published SiamFC-3s (AUC within 0.05, mean IoU to its boxes >= 0.7)',
  { skip: SKIP_REALDATA },
  async (t) => {
    const model = join(tmp, 'siamfc-pretrained');
    await importTflite(real('weights', 'siamfc-3s-color-int8-tflite'), model);
    const root = real('frames', 'otb');
    const ours = join(tmp, 'ours');
    // The shared root holds 16 targets; these 4 are the ones this parity is about (about 400 frames).
    const only = ['--sequences', SEQUENCES.join(',')];
    const r = runCli('bench', ['--dataset', 'OTB100', '--root', root, ...only, '--trackers', model, '--out', ours, '--concurrency', '2']);
    assert.equal(r.code, 0, r.stderr);
    const publishedDir = real('results', 'OTB100', 'cfnet-release');
    const pub = join(tmp, 'published');
    const e = runCli('eval', [
      '--dataset',
      'OTB100',
      '--root',
      root,
      ...only,
      '--results',
      publishedDir,
      '--trackers',
      'SiamFC-3s',
      '--out',
      pub,
    ]);
    assert.equal(e.code, 0, e.stderr);

    const mine = perSequence(join(ours, 'per_sequence.csv'));
    const theirs = perSequence(join(pub, 'per_sequence.csv'));
    const lines = ['sequence       AUC ours / published   P@20 ours / published   mean IoU to published'];
    const figures = new Map<string, { auc: number; pubAuc: number; meanIou: number }>();
    for (const seq of SEQUENCES) {
      const a = boxes(join(ours, 'raw', 'siamfc-pretrained', `${seq}.txt`));
      const b = boxes(join(publishedDir, 'SiamFC-3s', `${seq}.txt`));
      const n = Math.min(a.length, b.length);
      assert.ok(n >= 74, `${seq}: ${a.length} vs ${b.length} boxes`);
      const meanIou = Array.from({ length: n }, (_, i) => iou(a[i], b[i])).reduce((s, v) => s + v, 0) / n;
      const m = mine.get(seq)!;
      const p = theirs.get(seq)!;
      figures.set(seq, { auc: m.auc, pubAuc: p.auc, meanIou });
      lines.push(
        `${seq.padEnd(14)} ${m.auc.toFixed(3)} / ${p.auc.toFixed(3)}          ${m.precision.toFixed(3)} / ${p.precision.toFixed(3)}           ${meanIou.toFixed(3)}`,
      );
    }
    for (const line of lines) t.diagnostic(line);
    for (const seq of ASSERTED) {
      const f = figures.get(seq)!;
      assert.ok(Math.abs(f.auc - f.pubAuc) <= 0.05, `${seq}: AUC ${f.auc} vs published ${f.pubAuc}\n${lines.join('\n')}`);
      assert.ok(f.meanIou >= 0.7, `${seq}: mean IoU to the published boxes ${f.meanIou}\n${lines.join('\n')}`);
    }
  },
);
