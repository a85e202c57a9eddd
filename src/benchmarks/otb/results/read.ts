import { atLine, UserError } from '../../../core/errors.ts';
import { readTextFileSync } from '../../common/read-file.ts';
import { type ToolkitBox, toolkitBox, type Xywh } from '../../../core/types.ts';
import { clip, toNumber } from '../../common/numbers.ts';
import { parseBoxText } from '../dataset/parse.ts';
import { readMatResult, type ToolkitRun } from './mat.ts';

export interface ParsedResult {
  boxes: ToolkitBox[];
  /** Image number of row 0, when the file records one. */
  startFrame?: number;
  /** Seconds per frame, when the file records a speed (jwlim's `fps`). */
  times?: number[];
  /** Every run of a toolkit `.mat` file; `boxes` and `startFrame` are run 1's. */
  runs?: ToolkitRun[];
  defects: string[];
}

/**
 * One result file: text (x,y,w,h per line; got10k `%.3f` commas, pysot commas, pytracking tabs and
 * integers, toolkit text) or a JSON record list of jwlim's Python port. Throws a UserError
 * (`file:line: ...`) for a file that cannot be read as boxes; the importer reports it and skips it.
 * Synchronous on purpose: a full import reads ~3,500 small files, which fs/promises reads 2-5x slower.
 */
export function readResultFile(file: string): ParsedResult {
  if (/\.mat$/i.test(file)) return toolkitMat(file);
  const text = readTextFileSync(file);
  if (/\.json$/i.test(file)) return jwlimRecord(text, file);
  const nonFinite: string[] = [];
  const boxes = parseBoxText(text, file, (line, tok) => nonFinite.push(`line ${line} '${clip(tok)}'`));
  const defects = boxes.length === 0 ? ['empty file: no frame covered'] : [];
  if (nonFinite.length > 0) defects.push(nonFiniteDefect(nonFinite));
  return { boxes, defects };
}

/**
 * Inf, 1e309 or a digit string too long for a double is no box a tracker meant: the value is read as
 * NaN (how trackers mark a lost target, so each convention treats it as it treats NaN) and named.
 */
function nonFiniteDefect(where: string[]): string {
  return `${where.length} value(s) that are not finite numbers (first: ${where[0]}), read as NaN`;
}

interface JwlimRecord {
  res: unknown[];
  startFrame?: number;
  endFrame?: number;
  evalType?: string;
  resType?: string;
  fps?: number;
}

function jwlimRecord(text: string, file: string): ParsedResult {
  let data: unknown;
  let bare = false;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Python's json module writes a lost target as a bare NaN (the UAV123 paper's converted results).
    const fixed = text.replace(/([[,:]\s*)(?:NaN|-?Infinity)(?=\s*[,\]}])/g, '$1null');
    try {
      data = JSON.parse(fixed);
      bare = true;
    } catch {
      throw new UserError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
  }
  const records = (Array.isArray(data) ? data : [data]).filter(
    (r): r is JwlimRecord => !!r && typeof r === 'object' && Array.isArray((r as JwlimRecord).res),
  );
  if (records.length === 0) throw new UserError(`${file}: no result record (expected [{res, startFrame, endFrame, ...}])`);
  const defects: string[] = bare ? ['bare NaN or Infinity tokens (not JSON; written by Python), read as NaN'] : [];
  const rec = records.find((r) => r.evalType === undefined || r.evalType === 'OPE') ?? records[0];
  if (records.length > 1) defects.push(`${records.length} runs in the file (${rec.evalType ?? 'first'} run used)`);
  if (rec.resType !== undefined && rec.resType !== 'rect') {
    throw new UserError(`${file}: resType '${rec.resType}' (only 'rect' x,y,w,h results are read)`);
  }
  const nonFinite: string[] = [];
  const boxes = rec.res.map((row, i) => {
    if (!Array.isArray(row) || row.length !== 4 || !row.every((v) => typeof v === 'number' || v === null)) {
      throw new UserError(`${file}: res row ${i + 1}: expected [x, y, w, h], got ${clip(JSON.stringify(row) ?? String(row))}`);
    }
    // JSON.parse reads 1e309 as Infinity.
    const bad = row.find((v) => typeof v === 'number' && !Number.isFinite(v));
    if (bad !== undefined) nonFinite.push(`res row ${i + 1} '${bad}'`);
    return toolkitBox(row.map((v) => (v === null || !Number.isFinite(v) ? NaN : v)) as Xywh);
  });
  if (nonFinite.length > 0) defects.push(nonFiniteDefect(nonFinite));
  const out: ParsedResult = { boxes, defects };
  const { startFrame: s, endFrame: e } = rec;
  // An image number of 2.5 indexes no row: every later row would be misaligned.
  for (const [k, v] of [
    ['startFrame', s],
    ['endFrame', e],
  ] as const) {
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      throw new UserError(`${file}: ${k} ${clip(JSON.stringify(v) ?? String(v))} is not an image number`);
    }
  }
  if (typeof s === 'number' && typeof e === 'number' && e - s + 1 !== boxes.length) {
    defects.push(`record says frames ${s}-${e} (${e - s + 1}) but holds ${boxes.length} boxes`);
  }
  // The port writes startFrame 1 for sequences that start later (STRUCK: David, BlurCar1, Tiger1),
  // so only a larger value is an image number; for 1 the alignment decides from the row count.
  if (typeof s === 'number' && s > 1) out.startFrame = s;
  // Only the mean speed is recorded: as per-frame times it gives the same fps under every convention.
  if (typeof rec.fps === 'number' && Number.isFinite(rec.fps) && rec.fps > 0) out.times = boxes.map(() => 1 / rec.fps!);
  return out;
}

/** A toolkit `.mat` file: run 1 is the one-pass result (TRE's first segment starts where OPE does). */
function toolkitMat(file: string): ParsedResult {
  const { runs, defects } = readMatResult(file);
  const first = runs[0];
  const out: ParsedResult = { boxes: first.boxes, runs, defects };
  if (runs.length > 1) defects.push(`${runs.length} runs in the file (TRE or SRE): one-pass scoring uses run 1, --experiment tre|sre all`);
  if (first.startFrame !== undefined) out.startFrame = first.startFrame;
  if (first.len !== undefined && first.len !== first.boxes.length) defects.push(`len says ${first.len} frames, res has ${first.boxes.length} rows`);
  if (first.fps !== undefined) out.times = first.boxes.map(() => 1 / first.fps!);
  return out;
}

/** A times file: seconds per frame, one per line (got10k `times/<seq>_time.txt`, pytracking `<seq>_time.txt`). */
export function readTimesFile(file: string): number[] {
  const lines = readTextFileSync(file)
    .split('\n')
    .map((l) => l.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l, i) => {
    const t = toNumber(l.split(/[\s,;]+/)[0]);
    if (t === undefined || !Number.isFinite(t)) throw atLine(file, i + 1, `not a time in seconds: '${clip(l)}'`);
    return t;
  });
}
