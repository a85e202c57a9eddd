import type { ToolkitBox } from '../../../core/types.ts';

/**
 * Image numbers of the ground-truth rows. Every toolkit evaluates these ranges; the files of the
 * raw download and of the toolkit's anno folder carry no frame numbers, so they are built in.
 */
export const FRAME_RANGES: Readonly<Record<string, { start: number; end: number }>> = {
  David: { start: 300, end: 770 },
  Football1: { start: 1, end: 74 },
  Freeman3: { start: 1, end: 460 },
  Freeman4: { start: 1, end: 283 },
  Diving: { start: 1, end: 215 },
  BlurCar1: { start: 247, end: 988 },
  BlurCar3: { start: 3, end: 359 },
  BlurCar4: { start: 18, end: 397 },
};

/**
 * First image of the one-pass evaluation when it is not the first annotated one: the toolkit's
 * initOmit file for Tiger1 omits images 1-5 (pysot's OTB100.json starts its rows at image 6 instead).
 */
export const OPE_START: Readonly<Record<string, number>> = { Tiger1: 6 };

export interface FramedRows {
  frames: number[];
  groundTruth: ToolkitBox[];
}

/**
 * Image numbers for the rows of a file that records none. A file of exactly the range's length
 * starts at the range's first image; a file that also holds the rows before the range (rows from
 * image 1) is cut to the range; anything else keeps its rows from the range's start, with a warning.
 */
export function frameRows(name: string, rows: ToolkitBox[], file: string, warnings: string[]): FramedRows {
  const range = FRAME_RANGES[name];
  if (!range) return { frames: rows.map((_, i) => i + 1), groundTruth: rows };
  const len = range.end - range.start + 1;
  if (rows.length === len) return { frames: rows.map((_, i) => range.start + i), groundTruth: rows };
  if (rows.length >= range.end) {
    warnings.push(
      `${file}: ${rows.length} rows, taken as images 1..${rows.length}; ${name} is evaluated on images ${range.start}-${range.end} only`,
    );
    const kept = rows.slice(range.start - 1, range.end);
    return { frames: kept.map((_, i) => range.start + i), groundTruth: kept };
  }
  const kept = rows.slice(0, len);
  warnings.push(
    `${file}: ${rows.length} rows where ${name} has ${len} (images ${range.start}-${range.end}); rows taken from image ${range.start}${rows.length > len ? ', the extra rows ignored' : ''}`,
  );
  return { frames: kept.map((_, i) => range.start + i), groundTruth: kept };
}

/** Rows before the one-pass start (Tiger1: 5 when the rows start at image 1, 0 when they start at 6). */
export function builtinInitOmit(name: string, frames: number[]): number {
  const start = OPE_START[name];
  if (start === undefined) return 0;
  let n = 0;
  while (n < frames.length && frames[n] < start) n++;
  return n;
}

/**
 * Leading rows covered by the toolkit's initOmit ranges (`first last` image numbers per line): the
 * one-pass evaluation starts at the first row outside them.
 */
export function initOmitFromRanges(ranges: [number, number][], frames: number[]): number {
  let n = 0;
  while (n < frames.length && ranges.some(([a, b]) => frames[n] >= a && frames[n] <= b)) n++;
  return n;
}

/** Image number from an image file name or path ('Board/img/00001.jpg' -> 1). */
export function imageNumber(path: string): number | undefined {
  // The file name only, matched from its start: a regex over the whole path backtracks quadratically
  // through a long run of digits in a folder name (a 1 MB name took minutes).
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const m = /^\D*?(\d+)\.[A-Za-z]+$/.exec(name) ?? /(\d+)\.[A-Za-z]+$/.exec(name.slice(-64));
  // 0000...0001.jpg with a 400-digit number is no frame number (Infinity would misalign every row).
  return m && Number.isSafeInteger(Number(m[1])) ? Number(m[1]) : undefined;
}
