/**
 * Issue 25.7: `static` reads no pixels and runs at a million frames a second. Its frames no longer
 * count in the progress bar's frames per second, and shards are split by what jobs cost, not by
 * their frames (a split by frames finished one shard in 127 s and the other in 32 s).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partition } from '../src/core/shard.ts';
import { imageBox } from '../src/core/types.ts';
import { weightOf } from '../src/runner/bench-shard.ts';
import type { OpeJob } from '../src/runner/jobs.ts';
import { jobKey, type Planned } from '../src/runner/plan.ts';
import { RunProgress } from '../src/runner/progress.ts';
import type { OtbEvaluation, OtbTrackerEvaluation } from '../src/benchmarks/otb/metrics/types.ts';
import { latexTable } from '../src/benchmarks/otb/report/tables.ts';

const job = (tracker: string, target: string, frames: number): OpeJob => ({
  kind: 'ope',
  tracker,
  target,
  images: [],
  init: imageBox([0, 0, 1, 1]),
  rawDir: '/nowhere',
  recordFile: '/nowhere.json',
  seed: 1,
  expectedFrames: frames,
});

test("the progress bar's frames per second counts the frames of trackers that read pixels only", () => {
  const net = job('siamfc', 'A', 10);
  const floor = job('static', 'A', 1000);
  const p = new RunProgress([net, floor], () => {});
  p.progress(floor, 1000);
  p.progress(net, 4);
  p.progress(net, 10);
  assert.equal(p.speed().frames, 10);
  p.stop();
});

test("shards get equal work: static's frames weigh next to nothing", () => {
  // By frames, siamfc A (100) and static A (100) lead and siamfc B and C (60, 40) both follow A: 160 network frames against 40.
  const planned: Planned[] = [job('siamfc', 'A', 100), job('siamfc', 'B', 60), job('siamfc', 'C', 40), job('static', 'A', 100)].map(
    (j) => ({ job: j }),
  );
  const shards = partition(planned, 2, weightOf, (p) => jobKey(p.job));
  const network = shards.map((s) => s.filter((p) => p.job.tracker === 'siamfc').reduce((n, p) => n + p.job.expectedFrames, 0));
  assert.deepEqual([...network].sort(), [100, 100]);
});

test("summary.tex sets the fastest tracker that reads pixels in bold, not static's million fps", () => {
  const tracker = (name: string, auc: number, fps: number) =>
    ({
      tracker: name,
      overall: { successAuc: auc, precision20: auc, normPrecision20: auc, op50: auc, op75: auc, fps },
      perSequence: [],
      perAttribute: [],
      warnings: [],
    }) as unknown as OtbTrackerEvaluation;
  const ev = {
    kind: 'otb',
    dataset: 'synthetic',
    convention: 'otb',
    rules: [],
    trackers: [tracker('siamfc', 0.5, 8.4), tracker('static', 0.2, 1_100_000)],
    pixelFree: ['static'],
  } as unknown as OtbEvaluation;
  const rows = latexTable(ev)
    .split('\n')
    .filter((l) => /^(siamfc|static) &/.test(l));
  assert.deepEqual(rows, [
    'siamfc & \\textbf{0.500} & \\textbf{0.500} & \\textbf{0.500} & \\textbf{0.500} & \\textbf{0.500} & \\textbf{8.4} \\\\',
    'static & 0.200 & 0.200 & 0.200 & 0.200 & 0.200 & 1100000.0 \\\\',
  ]);
});
