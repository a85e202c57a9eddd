import { UserError } from '../../core/errors.ts';
import { Rng, deriveSeed } from '../../core/random.ts';
import type { Got10kSequence } from './layout.ts';

/** Which frames may serve in a training pair, and how far apart a pair's frames may be. */
export interface PairSettings {
  /** Largest frame distance between exemplar and search (the reference recipe: 100). */
  maxGap: number;
  /** Smallest box side in pixels; tiny targets give crops of nothing but blur. */
  minSide: number;
  /** Largest ratio of the long to the short box side. */
  maxAspect: number;
  /** Smallest visible fraction from cover.label, in eighths (1 = anything visible). */
  minCover: number;
}

export const DEFAULT_PAIR_SETTINGS: PairSettings = { maxGap: 100, minSide: 8, maxAspect: 4, minCover: 1 };

export interface Pair {
  seq: Got10kSequence;
  z: number;
  x: number;
}

export function usableFrames(seq: Got10kSequence, s: PairSettings): number[] {
  const out: number[] = [];
  seq.boxes.forEach(([, , w, h], i) => {
    if (seq.absent[i] || seq.cover[i] < s.minCover) return;
    if (!(w >= s.minSide && h >= s.minSide)) return;
    if (Math.max(w, h) / Math.min(w, h) > s.maxAspect) return;
    out.push(i);
  });
  return out;
}

/**
 * Splits sequences into training and held-out validation sets: a seeded shuffle of the names, so
 * the split depends on neither list order nor the training seed's other uses.
 */
export function holdOut(seqs: Got10kSequence[], fraction: number, seed: number): { train: Got10kSequence[]; val: Got10kSequence[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new UserError(`--val-fraction must be in [0, 1), got ${fraction}`);
  const sorted = [...seqs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rng = new Rng(deriveSeed(seed, 'validation-split'));
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
  }
  const nVal = fraction > 0 ? Math.max(1, Math.round(sorted.length * fraction)) : 0;
  if (nVal >= sorted.length) throw new UserError(`${sorted.length} sequence(s) are too few to hold out ${fraction * 100}% for validation`);
  return { val: sorted.slice(0, nVal), train: sorted.slice(nVal) };
}

/** Draws pairs: a sequence uniformly, then two usable frames at most maxGap apart. */
export class PairSampler {
  private readonly pool: { seq: Got10kSequence; frames: number[] }[];

  constructor(
    seqs: Got10kSequence[],
    private readonly settings: PairSettings = DEFAULT_PAIR_SETTINGS,
  ) {
    this.pool = seqs.map((seq) => ({ seq, frames: usableFrames(seq, settings) })).filter((p) => p.frames.length > 0);
    if (this.pool.length === 0) {
      throw new UserError(
        `none of ${seqs.length} sequence(s) has a usable frame (visible, sides >= ${settings.minSide}px, aspect <= ${settings.maxAspect})`,
      );
    }
  }

  get sequences(): number {
    return this.pool.length;
  }

  sample(rng: Rng): Pair {
    const { seq, frames } = this.pool[rng.int(0, this.pool.length - 1)];
    const zi = rng.int(0, frames.length - 1);
    const z = frames[zi];
    // Usable frames within the gap on either side, other than z itself when there is a choice.
    let lo = zi;
    while (lo > 0 && z - frames[lo - 1] <= this.settings.maxGap) lo--;
    let hi = zi;
    while (hi < frames.length - 1 && frames[hi + 1] - z <= this.settings.maxGap) hi++;
    if (lo === hi) return { seq, z, x: z };
    let xi = rng.int(lo, hi - 1);
    if (xi >= zi) xi++;
    return { seq, z, x: frames[xi] };
  }
}
