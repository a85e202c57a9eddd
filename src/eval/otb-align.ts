import type { Box } from '../core/types.ts';
import type { ConventionRules } from '../metrics/otb/conventions.ts';

/** What alignment needs of a target (a structural subset of the dataset's OtbTarget). */
export interface AlignTarget {
  name: string;
  frames: number[]; // image number of each ground-truth row
  groundTruth: Box[];
  initOmit: number; // leading rows otb/pysot never evaluate (Tiger1: 5 when the rows start at image 1)
}

/** What alignment needs of a result (a structural subset of SequenceResult). */
export interface AlignResult {
  boxes: Box[];
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
export function alignSequence(target: AlignTarget, result: AlignResult, rules: ConventionRules): Aligned {
  const defects: string[] = [];
  const { frames, groundTruth } = target;
  const rows = Math.min(frames.length, groundTruth.length);
  const omit = rules.name === 'got10k' ? 0 : Math.min(Math.max(0, target.initOmit), rows);
  const n = result.boxes.length;

  const { start, guess } = startImage(target, rows, n, result.startFrame);
  if (guess) defects.push(guess);

  const from = omit;
  const gtRows: number[] = [];
  const predRows: number[] = [];
  let uncovered = 0;
  for (let r = from; r < rows; r++) {
    const j = frames[r] - start;
    const covered = j >= 0 && j < n;
    if (!covered) uncovered++;
    if (!covered && rules.shortResult === 'truncate') continue;
    gtRows.push(r);
    predRows.push(covered ? j : -1);
  }
  const evaluated = rows - from;
  if (uncovered > 0) {
    defects.push(
      rules.shortResult === 'truncate'
        ? `result covers ${evaluated - uncovered} of ${evaluated} frames: truncated to the frames it covers`
        : `result covers ${evaluated - uncovered} of ${evaluated} frames: the other ${uncovered} count as failures`,
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

  const m = gtRows.length;
  const gt = new Float64Array(4 * m);
  const pred = new Float64Array(4 * m).fill(NaN);
  const missing = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const g = groundTruth[gtRows[i]];
    for (let k = 0; k < 4; k++) gt[4 * i + k] = g[k];
    const j = predRows[i];
    if (j < 0) {
      missing[i] = 1;
      continue;
    }
    const b = result.boxes[j];
    for (let k = 0; k < 4; k++) pred[4 * i + k] = b[k];
  }
  return { gt, pred, missing, frames: gtRows.map((r) => frames[r]), startFrame: start, defects };
}

/** Image number of result row 0, and the guess made when the source does not record it. */
function startImage(
  target: AlignTarget, rows: number, n: number, recorded: number | undefined,
): { start: number; guess?: string } {
  const { frames, initOmit } = target;
  if (recorded !== undefined) return { start: recorded };
  if (initOmit > 0 && n === rows - initOmit) {
    return { start: frames[initOmit], guess: `no start frame recorded; its ${n} rows match the frames after initOmit, so row 1 is taken as image ${frames[initOmit]}` };
  }
  const last = frames[rows - 1];
  if (frames[0] > 1 && n === last) {
    return { start: 1, guess: `no start frame recorded; its ${n} rows match images 1..${last}, so row 1 is taken as image 1` };
  }
  return { start: frames[0] };
}
