import type { ToolkitBox } from '../../../core/types.ts';
import type { ConventionRules } from '../metrics/conventions.ts';

/** What alignment needs of a target (a structural subset of the dataset's OtbTarget). */
export interface AlignTarget {
  name: string;
  frames: number[]; // image number of each ground-truth row
  groundTruth: ToolkitBox[];
  initOmit: number; // leading rows otb/pysot never evaluate (Tiger1: 5 when the rows start at image 1)
}

/** What alignment needs of a result (a structural subset of SequenceResult). */
export interface AlignResult {
  boxes: ToolkitBox[];
  startFrame?: number; // image number of row 0, when the source says so
}

export interface Aligned {
  /** 4 values per evaluated frame. */
  gt: Float64Array;
  pred: Float64Array;
  /** 1 where the result has no row for the frame (only under the `failures` rule). */
  missing: Uint8Array;
  /** Image numbers of the evaluated frames. */
  frames: number[];
  /** Image number the result's row 0 was taken to be, and why. */
  startFrame: number;
  defects: string[];
}

/**
 * Pairs ground-truth rows with result rows. otb and pysot evaluate the rows from `initOmit`, got10k all
 * rows. Result row 0 is the image `startFrame` when the source records it; otherwise a result exactly
 * as long as the evaluated rows starts at the first evaluated image; otherwise at the first image.
 * Rows follow consecutive image numbers from there.
 */
export function alignSequence(
  target: AlignTarget,
  result: AlignResult,
  rules: ConventionRules,
  gtFlat: Float64Array = flattenBoxes(target.groundTruth),
): Aligned {
  const defects: string[] = [];
  const { frames, groundTruth } = target;
  const rows = Math.min(frames.length, groundTruth.length);
  const from = rules.name === 'got10k' ? 0 : Math.min(Math.max(0, target.initOmit), rows);
  const n = result.boxes.length;

  const { start, guess } = startImage(target, rows, n, result.startFrame);
  if (guess) defects.push(guess);

  const { c0, c1, covered } = coveredRows(frames, from, rows, start, n);
  const evaluated = rows - from;
  const truncate = rules.shortResult === 'truncate';
  const r0 = truncate ? Math.min(c0, c1) : from;
  const r1 = truncate ? c1 : rows;
  const images = frames.slice(r0, r1);
  const { pred, missing } = resultRows(result.boxes, images, start);
  if (covered < evaluated) {
    defects.push(
      truncate
        ? `result covers ${covered} of ${evaluated} frames: truncated to the frames it covers`
        : `result covers ${covered} of ${evaluated} frames: the other ${evaluated - covered} count as failures (masked where the ground truth is invalid)`,
    );
  }
  if (rows > from) {
    const leading = Math.min(n, Math.max(0, frames[from] - start));
    const trailing = Math.max(0, start + n - 1 - frames[rows - 1]);
    if (leading > 0) {
      defects.push(`result starts at image ${start}, the evaluation at image ${frames[from]}: its first ${leading} row(s) are ignored`);
    }
    if (trailing > 0) defects.push(`result has ${trailing} row(s) beyond the last frame (image ${frames[rows - 1]}): ignored`);
  }

  // The ground truth is shared by every tracker: a view, not a copy.
  const gt = gtFlat.subarray(4 * r0, 4 * r1);
  return { gt, pred, missing, frames: images, startFrame: start, defects };
}

/**
 * The ground-truth rows in [from, rows) that result row (image number - start) exists for. Image
 * numbers increase along the rows, so they form one run [c0, c1).
 */
function coveredRows(frames: number[], from: number, rows: number, start: number, n: number): { c0: number; c1: number; covered: number } {
  let c0 = rows;
  let c1 = from;
  let covered = 0;
  for (let r = from; r < rows; r++) {
    const j = frames[r] - start;
    if (j >= 0 && j < n) {
      covered++;
      if (r < c0) c0 = r;
      c1 = r + 1;
    }
  }
  return { c0, c1, covered };
}

/** The result's box for each image number in `images` (4 values each), NaN and marked missing where it has no row. */
function resultRows(boxes: ToolkitBox[], images: number[], start: number): { pred: Float64Array; missing: Uint8Array } {
  const n = boxes.length;
  const m = images.length;
  const pred = new Float64Array(4 * m);
  const missing = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const j = images[i] - start;
    if (!(j >= 0 && j < n)) {
      missing[i] = 1;
      pred.fill(NaN, 4 * i, 4 * i + 4);
      continue;
    }
    const b = boxes[j];
    const o = 4 * i;
    pred[o] = b[0];
    pred[o + 1] = b[1];
    pred[o + 2] = b[2];
    pred[o + 3] = b[3];
  }
  return { pred, missing };
}

/** Boxes as one Float64Array of 4 values per row (what the metrics read). */
export function flattenBoxes(boxes: ToolkitBox[]): Float64Array {
  const out = new Float64Array(4 * boxes.length);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    out[4 * i] = b[0];
    out[4 * i + 1] = b[1];
    out[4 * i + 2] = b[2];
    out[4 * i + 3] = b[3];
  }
  return out;
}

/** Image number of result row 0, and the guess made when the source does not record it. */
function startImage(target: AlignTarget, rows: number, n: number, recorded: number | undefined): { start: number; guess?: string } {
  const { frames, initOmit } = target;
  if (recorded !== undefined) return { start: recorded };
  if (initOmit > 0 && n === rows - initOmit) {
    return {
      start: frames[initOmit],
      guess: `no start frame recorded; its ${n} rows match the frames after initOmit, so row 1 is taken as image ${frames[initOmit]}`,
    };
  }
  const last = frames[rows - 1];
  if (frames[0] > 1 && n === last) {
    return { start: 1, guess: `no start frame recorded; its ${n} rows match images 1..${last}, so row 1 is taken as image 1` };
  }
  return { start: frames[0] };
}
