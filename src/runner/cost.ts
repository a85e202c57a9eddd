import { getTrackerFactory } from '../trackers/registry.ts';
import type { Job } from './jobs.ts';

/**
 * What a frame costs, relative to a network's: a tracker that never reads pixels (`static`, the
 * reference floor) runs at a million frames a second. Counting its frames like SiamFC's made the
 * progress bar's frames per second meaningless and split shards 127 s against 32 s.
 */
export function frameCost(tracker: string): number {
  try {
    return getTrackerFactory(tracker).needsPixels ? 1 : PIXEL_FREE_COST;
  } catch {
    return 1; // a tracker not registered in this process: assume the cost of a network
  }
}

/** A thousandth of a frame: small enough not to weigh, large enough to spread such jobs over shards. */
const PIXEL_FREE_COST = 0.001;

/** A job's expected frames weighed by what its tracker's frames cost. */
export function jobCost(job: Job): number {
  return job.expectedFrames * frameCost(job.tracker);
}
