import { type ImageBox, imageBox } from '../../core/types.ts';
import type { Frame, Tracker, TrackerFactory, TrackerOutput } from './tracker.ts';

/**
 * The reference tracker: the initial box, held still. It never reads pixels, so every benchmark
 * gets a floor that costs nothing to compute and depends only on how far targets move.
 */
class StaticTracker implements Tracker {
  private box: ImageBox | undefined;

  async init(_frame: Frame, box: ImageBox): Promise<void> {
    this.box = imageBox([box[0], box[1], box[2], box[3]]);
  }

  async update(_frame: Frame): Promise<TrackerOutput> {
    if (!this.box) throw new Error('static: update before init');
    return { box: imageBox([this.box[0], this.box[1], this.box[2], this.box[3]]), confidence: 1 };
  }

  describe(): Record<string, unknown> {
    return { kind: 'reference', rule: 'initial box held still' };
  }
}

export const staticFactory: TrackerFactory = {
  name: 'static',
  description: 'reference floor: the initial box held still on every frame',
  deterministic: true,
  needsPixels: false,
  async create() {
    return new StaticTracker();
  },
};
