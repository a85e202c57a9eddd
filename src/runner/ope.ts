import { type ImageBox, imageBox } from '../core/types.ts';
import type { Tracker } from '../trackers/base/tracker.ts';
import type { FrameReader } from './frames.ts';

export interface OpeRun {
  /** Image boxes (0-based), one per frame; row 0 is the initial box. */
  boxes: ImageBox[];
  /** Seconds the tracker spent on each frame (init on row 0), decoding excluded. */
  times: number[];
}

/**
 * One-pass evaluation: initialise on the first frame's ground truth, then update on every later
 * frame. `onFrame` reports progress (frames done so far).
 */
export async function runOnePass(tracker: Tracker, frames: FrameReader, init: ImageBox, onFrame?: (done: number) => void): Promise<OpeRun> {
  const boxes: ImageBox[] = [];
  const times: number[] = [];
  const first = await frames.get(0);
  let t0 = performance.now();
  await tracker.init(first, init);
  times.push((performance.now() - t0) / 1000);
  boxes.push(imageBox([init[0], init[1], init[2], init[3]]));
  onFrame?.(1);
  for (let i = 1; i < frames.length; i++) {
    const frame = await frames.get(i);
    t0 = performance.now();
    const out = await tracker.update(frame);
    times.push(out.seconds ?? (performance.now() - t0) / 1000);
    const b = out.box;
    if (b.length !== 4 || b.some((v) => typeof v !== 'number')) {
      throw new Error(`tracker returned ${JSON.stringify(b)} on frame ${i + 1}, not a box x,y,w,h`);
    }
    boxes.push(imageBox([b[0], b[1], b[2], b[3]]));
    onFrame?.(i + 1);
  }
  return { boxes, times };
}
