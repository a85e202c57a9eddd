import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageBox, imageBox } from '../src/core/types.ts';
import { withEmpty } from '../src/benchmarks/vot/dataset/tags.ts';
import type { VotDataset, VotRegion } from '../src/benchmarks/vot/dataset/types.ts';
import { evaluateVot } from '../src/benchmarks/vot/eval/evaluate.ts';
import { importVotResults, writeVotRun } from '../src/benchmarks/vot/results/index.ts';
import type { VotResultLine } from '../src/benchmarks/vot/results/types.ts';
import {
  runVotSupervised,
  runVotSupervisedOnce,
  runVotUnsupervised,
  sameVotRun,
  type VotProtocolSequence,
} from '../src/runner/vot-protocol.ts';
import type { Frame, Tracker, TrackerOutput } from '../src/trackers/base/tracker.ts';

// A synthetic sequence: a 10 x 10 target moving 2 px right per frame in a 200 x 100 image, annotated
// as a polygon. Frames carry no pixels: none of the reference trackers below reads them.
const LENGTH = 40;
const targetBox = (i: number): ImageBox => imageBox([10 + 2 * i, 20, 10, 10]);
const groundtruth: VotRegion[] = Array.from({ length: LENGTH }, (_, i) => {
  const [x, y, w, h] = targetBox(i);
  return [x, y, x + w, y, x + w, y + h, x, y + h];
});

function sequence(seen: number[] = []): VotProtocolSequence {
  return {
    name: 'slide',
    groundtruth,
    width: 200,
    height: 100,
    frame: async (i: number): Promise<Frame> => {
      seen.push(i);
      return { index: i, path: `slide/${i}.jpg`, width: 200, height: 100, data: new Uint8Array(0) };
    },
  };
}

/** Holds the initial box still: loses the moving target 5 frames after each (re)initialisation. */
class HoldStill implements Tracker {
  box = imageBox([0, 0, 0, 0]);
  async init(_f: Frame, box: ImageBox) {
    this.box = imageBox([box[0], box[1], box[2], box[3]]);
  }
  async update(): Promise<TrackerOutput> {
    return { box: imageBox([this.box[0], this.box[1], this.box[2], this.box[3]]) };
  }
}

/** Reports the true target, except on the frames in `misses` where it looks 100 px away. */
class TruthWithMisses implements Tracker {
  inits: { frame: number; box: ImageBox }[] = [];
  constructor(private misses: Set<number>) {}
  async init(f: Frame, box: ImageBox) {
    this.inits.push({ frame: f.index, box });
  }
  async update(f: Frame): Promise<TrackerOutput> {
    const [x, y, w, h] = targetBox(f.index);
    return { box: imageBox(this.misses.has(f.index) ? [x + 100, y, w, h] : [x, y, w, h]) };
  }
}

/** The true target plus a seeded jitter of up to 1 px: a stochastic tracker that never fails. */
class Jitter implements Tracker {
  private s: number;
  constructor(seed: number) {
    this.s = seed;
  }
  private rand() {
    this.s = (this.s * 1103515245 + 12345) % 2147483648;
    return this.s / 2147483648;
  }
  async init() {}
  async update(f: Frame): Promise<TrackerOutput> {
    const [x, y, w, h] = targetBox(f.index);
    return { box: imageBox([x + this.rand() - 0.5, y + this.rand() - 0.5, w, h]) };
  }
}

const codes = (lines: VotResultLine[]) => lines.map((l) => (typeof l === 'number' ? l : 'r'));

test('reset protocol: failure at the first frame without overlap, 5 frames skipped, re-initialised', async () => {
  const seen: number[] = [];
  const run = await runVotSupervisedOnce(new HoldStill(), sequence(seen));
  const want: (number | 'r')[] = [];
  for (let s = 0; s < LENGTH; s += 10) want.push(1, 'r', 'r', 'r', 'r', 2, 0, 0, 0, 0);
  assert.deepEqual(codes(run.lines), want);
  assert.equal(run.failures, 4);
  assert.deepEqual(run.lines[4], targetBox(0)); // the held box, frame 4: still 2 px of overlap
  // Skipped frames are never requested, and have no time.
  const skipped = [6, 7, 8, 9, 16, 17, 18, 19, 26, 27, 28, 29, 36, 37, 38, 39];
  assert.deepEqual(
    seen,
    Array.from({ length: LENGTH }, (_, i) => i).filter((i) => !skipped.includes(i)),
  );
  run.times.forEach((t, i) => assert.equal(Number.isNaN(t), skipped.includes(i), `time of frame ${i}`));
});

test('reset protocol re-initialises on the ground truth bounding box at failure + 5', async () => {
  const tracker = new TruthWithMisses(new Set([7, 22]));
  const run = await runVotSupervisedOnce(tracker, sequence());
  assert.deepEqual(
    tracker.inits,
    [0, 12, 27].map((frame) => ({ frame, box: targetBox(frame) })),
  );
  const c = codes(run.lines);
  assert.deepEqual([c[0], c[7], c[8], c[11], c[12], c[22], c[26], c[27], c[39]], [1, 2, 0, 0, 1, 2, 0, 1, 'r']);
  assert.equal(c.filter((x) => x === 'r').length, LENGTH - 3 - 2 - 8);
});

test('repetitions: 3 identical runs end a deterministic tracker, a stochastic one runs 15', async () => {
  const det = await runVotSupervised(async () => new TruthWithMisses(new Set([7])), { deterministic: true }, sequence());
  assert.deepEqual([det.runs.length, det.stoppedAsDeterministic], [3, true]);
  const still = new HoldStill(); // an instance is re-initialised for every run
  assert.equal((await runVotSupervised(still, { deterministic: true }, sequence())).runs.length, 3);
  const seeds: number[] = [];
  const sto = await runVotSupervised(
    async (rep) => {
      seeds.push(rep);
      return new Jitter(rep);
    },
    { deterministic: false },
    sequence(),
  );
  assert.deepEqual([sto.runs.length, sto.stoppedAsDeterministic, seeds.length], [15, false, 15]);
  // A tracker that claims determinism but gives different runs is not stopped early.
  const liar = await runVotSupervised(async (rep) => new Jitter(rep), { deterministic: true }, sequence(), { maxRepetitions: 6 });
  assert.deepEqual([liar.runs.length, liar.stoppedAsDeterministic], [6, false]);
  assert.equal(sameVotRun(sto.runs[0].lines, sto.runs[1].lines), false);
  assert.equal(sameVotRun(det.runs[0].lines, det.runs[2].lines), true);
});

test('unsupervised: one initialisation, every frame tracked, no reset', async () => {
  const run = await runVotUnsupervised(new HoldStill(), sequence());
  assert.deepEqual(codes(run.lines), [1, ...Array(LENGTH - 1).fill('r')]);
  assert.ok(run.times.every(Number.isFinite));
});

test('protocol -> writer -> importer -> metrics: failures and accuracy come out as constructed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vot-protocol-'));
  try {
    const seq = sequence();
    await runVotSupervised(async () => new TruthWithMisses(new Set([7, 22])), { deterministic: true }, seq, {
      onRun: (rep, run) => writeVotRun(dir, 'Truth', 'baseline', seq.name, rep, run).then(() => {}),
    });
    await runVotSupervised(new HoldStill(), { deterministic: true }, seq, {
      onRun: (rep, run) => writeVotRun(dir, 'Still', 'baseline', seq.name, rep, run).then(() => {}),
    });
    await writeVotRun(dir, 'Still', 'unsupervised', seq.name, 1, await runVotUnsupervised(new HoldStill(), seq));
    const zero = () => new Uint8Array(LENGTH);
    const ds: VotDataset = {
      name: 'synthetic-vot',
      root: dir,
      format: 'layout',
      warnings: [],
      sequences: [
        {
          name: 'slide',
          length: LENGTH,
          groundtruth,
          frames: [],
          hasImages: false,
          width: 200,
          height: 100,
          metadata: {},
          tags: withEmpty(
            { camera_motion: zero(), illum_change: zero(), motion_change: zero(), size_change: zero(), occlusion: zero() },
            LENGTH,
          ),
        },
      ],
    };
    const ev = evaluateVot(ds, await importVotResults(dir, ds), 'legacy');
    const truth = ev.trackers.find((t) => t.tracker === 'Truth')!;
    const still = ev.trackers.find((t) => t.tracker === 'Still')!;
    assert.deepEqual([truth.runs, truth.failures, truth.frames], [3, 2, LENGTH]);
    assert.equal(truth.accuracy, 1); // its boxes are the annotation itself
    assert.equal(truth.robustness, 5); // 100 x 2 / 40
    assert.deepEqual([still.failures, still.robustness], [4, 10]);
    // Burn-in 10 hides every frame HoldStill tracks (it fails 5 frames after each start).
    assert.ok(Number.isNaN(still.accuracy));
    // AO of the held box: 2 px steps leave 8, 6, 4, 2 of 10 columns shared, then nothing (frames 2..40).
    const ao = [8 / 12, 6 / 14, 4 / 16, 2 / 18].map(Math.fround).reduce((a, b) => a + b) / (LENGTH - 1);
    assert.ok(Math.abs(still.ao! - ao) < 1e-12, `${still.ao} vs ${ao}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
