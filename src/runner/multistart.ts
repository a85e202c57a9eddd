import type { ImageBox } from '../core/types.ts';
import { runFrames } from '../benchmarks/vot2020/eval/multistart.ts';
import { boxRegion, initBox } from '../benchmarks/vot2020/regions/convert.ts';
import { INITIALIZATION, type Region } from '../benchmarks/vot2020/regions/types.ts';
import type { Anchor } from '../benchmarks/vot2020/dataset/types.ts';
import type { Tracker } from '../trackers/base/tracker.ts';
import { FrameReader } from './frames.ts';

/**
 * The VOT2020+ experiments as plain functions over one sequence: multistart (a run per anchor,
 * forward to the end or backward to frame 0, never reset) and the single run from frame 0 of the
 * unsupervised and long-term experiments. Each run gets a fresh tracker, initialised on the
 * bounding box of its first frame's ground truth; its first line is the code 1.
 */
export interface MultistartSequence {
  name: string;
  length: number;
  groundtruth: readonly Region[];
  /** Image path of every frame. */
  frames: readonly string[];
  anchors: readonly Anchor[];
}

export interface SingleRun {
  regions: Region[];
  /** Confidence per line (NaN on the initialisation line and where the tracker gives none). */
  confidence: number[];
  /** Seconds in init/update per line. */
  times: number[];
}

/** One run over `frames` (in the order given), the first initialised on `init`. */
export async function runFromAnchor(
  tracker: Tracker,
  paths: readonly string[],
  init: ImageBox,
  needsPixels: boolean,
  onFrame?: () => void,
): Promise<SingleRun> {
  const reader = new FrameReader([...paths], needsPixels);
  const run: SingleRun = { regions: [INITIALIZATION], confidence: [NaN], times: [] };
  let t0 = performance.now();
  await tracker.init(await reader.get(0), init);
  run.times.push((performance.now() - t0) / 1000);
  onFrame?.();
  for (let k = 1; k < paths.length; k++) {
    const frame = await reader.get(k);
    t0 = performance.now();
    const out = await tracker.update(frame);
    run.times.push((performance.now() - t0) / 1000);
    const b = out.box;
    if (b.length !== 4 || b.some((v) => typeof v !== 'number'))
      throw new Error(`tracker returned ${JSON.stringify(b)} on frame ${k + 1} of the run, not a box x,y,w,h`);
    run.regions.push(boxRegion(b));
    run.confidence.push(out.confidence ?? NaN);
    onFrame?.();
  }
  return run;
}

/** Frames a multistart experiment runs on one sequence (for progress). */
export function multistartFrames(seq: Pick<MultistartSequence, 'length' | 'anchors'>): number {
  return seq.anchors.reduce((n, a) => n + runFrames(seq.length, a.frame, a.direction).length, 0);
}

/**
 * Every anchor's run; `onRun` is called after each (to write its file) before the next starts. An
 * anchor whose ground truth is empty cannot initialise a tracker: an error naming the frame.
 */
export async function runMultistart(
  create: () => Promise<Tracker>,
  seq: MultistartSequence,
  needsPixels: boolean,
  onRun: (anchor: Anchor, run: SingleRun) => Promise<void>,
  onFrame?: () => void,
): Promise<void> {
  for (const a of seq.anchors) {
    const init = initBox(seq.groundtruth[a.frame]);
    if (!init) throw new Error(`${seq.name}: anchor frame ${a.frame} has no ground-truth region to initialise on`);
    const frames = runFrames(seq.length, a.frame, a.direction);
    const tracker = await create();
    try {
      await onRun(
        a,
        await runFromAnchor(
          tracker,
          frames.map((f) => seq.frames[f]),
          init,
          needsPixels,
          onFrame,
        ),
      );
    } finally {
      tracker.dispose?.();
    }
  }
}
