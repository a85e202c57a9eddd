import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deriveSeed } from '../src/core/random.ts';
import { loadVot2020 } from '../src/benchmarks/vot2020/dataset/layout.ts';
import { anchors } from '../src/benchmarks/vot2020/dataset/types.ts';
import { evaluateMultistart } from '../src/benchmarks/vot2020/eval/multistart.ts';
import { rasterize } from '../src/benchmarks/vot2020/regions/raster.ts';
import { multistartName, trajectoryBase, writeTrajectory } from '../src/benchmarks/vot2020/results/files.ts';
import { ensureSyntheticVot2020, syntheticAnchors, type SyntheticVot2020Settings } from '../src/synthetic/vot2020.ts';
import { splitAttributes } from '../src/synthetic/generate.ts';
import { renderFrame } from '../src/synthetic/render.ts';
import { buildScene } from '../src/synthetic/scene.ts';
import { multistartFrames, runMultistart } from '../src/runner/multistart.ts';
import { staticFactory } from '../src/trackers/base/static.ts';
import { tempDir } from './helpers/files.ts';

const SMALL: SyntheticVot2020Settings = { seed: 5, sequences: 2, frames: 40, width: 160, height: 120, quality: 80, anchorSpacing: 15 };

test('anchors: frame 0 and every spacing frames, forward where more lies ahead', () => {
  assert.deepEqual(
    syntheticAnchors(40, 15).flatMap((v, f) => (v ? [[f, v]] : [])),
    [
      [0, 1],
      [15, 1],
      [30, -1],
    ],
  );
});

test('synthetic-vot2020: the layout loads, masks are the rendered target pixels, and multistart runs and scores', async (t) => {
  const dir = join(tempDir(t, 'synth-vot2020-'), 'set');
  assert.equal(await ensureSyntheticVot2020(dir, SMALL), 'generated');
  assert.equal(await ensureSyntheticVot2020(dir, SMALL), 'cached');
  const ds = await loadVot2020('synthetic-vot2020', dir);
  assert.equal(ds.sequences.length, 2);
  const seq = ds.sequences[0];
  assert.deepEqual([seq.length, seq.width, seq.height, anchors(seq).length], [40, 160, 120, 3]);
  // the ground-truth mask of a frame holds exactly the target pixels the renderer drew
  const attrs = splitAttributes('test', deriveSeed(SMALL.seed, 'vot2020'), SMALL.sequences);
  const scene = buildScene(deriveSeed(SMALL.seed, 'vot2020:0'), attrs[0], SMALL.frames, SMALL.width, SMALL.height);
  for (const f of [0, 17, 39]) {
    const drawn = renderFrame(scene, f).targetMask;
    assert.deepEqual(rasterize(seq.groundtruth[f], [0, 0, SMALL.width - 1, SMALL.height - 1]), drawn, `frame ${f}`);
  }
  // the static tracker under the multistart protocol, written in the toolkit's layout and scored
  const results = join(dir, '..', 'results');
  let frames = 0;
  for (const s of ds.sequences) {
    const runSeq = { name: s.name, length: s.length, groundtruth: s.groundtruth, frames: s.frames, anchors: anchors(s) };
    await runMultistart(
      () => staticFactory.create({} as never),
      runSeq,
      false,
      (a, run) => writeTrajectory(trajectoryBase(results, 'static', 'baseline', s.name, multistartName(s.name, a.frame)), run.regions),
      () => frames++,
    );
    if (s === seq) assert.equal(frames, multistartFrames(runSeq));
  }
  const r = evaluateMultistart(ds.sequences, results, 'static', 'baseline', { low: 1, high: 40 });
  assert.equal(r.sequences[0].runs.length, 3);
  assert.ok(r.robustness > 0 && r.robustness <= 1, `robustness ${r.robustness}`);
  // a tracker that holds the first box is right on its anchor's next frame at least
  assert.ok(r.curve[1] > 0.5, `curve[1] ${r.curve[1]}`);
});
