import type { Region } from '../regions/types.ts';

/**
 * A sequence of the VOT2020+ layout as the VOT toolkit (v0.8) reads it: `sequence` metadata,
 * ground truth (masks or boxes), per-frame tags (`*.tag`, `*.label`) and values (`*.value`, the
 * anchors among them). Frame i (0-based) is the image file numbered i + 1.
 */
export interface Vot2020Sequence {
  name: string;
  dir: string;
  length: number;
  width: number;
  height: number;
  /** Frames per second (default 30): the realtime experiment's frame interval. */
  fps: number;
  /** Image path of each frame of the default channel (the first of color, depth, ir). */
  frames: string[];
  groundtruth: Region[];
  /** Pixels excluded from every overlap (`groundtruth__ignore.txt`), when the sequence has them. */
  ignore?: Region[];
  /** Name -> one flag per frame (padded with 0). */
  tags: Record<string, Uint8Array>;
  /** Name -> one number per frame (padded with 0); `anchor` holds the multistart anchors. */
  values: Record<string, Float64Array>;
  metadata: Record<string, string>;
}

export interface Vot2020Dataset {
  /** The stack or set asked for (VOT2022, synthetic-vot2020, ...). */
  name: string;
  root: string;
  sequences: Vot2020Sequence[];
  warnings: string[];
}

/** Anchor frames of a sequence: value > 0 starts a forward run there, < 0 a backward run. */
export interface Anchor {
  frame: number;
  direction: 'forward' | 'backward';
}

export function anchors(seq: Vot2020Sequence): Anchor[] {
  const v = seq.values.anchor;
  const out: Anchor[] = [];
  if (!v) return out;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) out.push({ frame: i, direction: v[i] > 0 ? 'forward' : 'backward' });
  return out;
}
