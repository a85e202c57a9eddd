import { atLine } from '../../../core/errors.ts';
import { splitNumbers, toRegion } from '../dataset/region-text.ts';
import { clip, toNumber } from '../../common/numbers.ts';
import type { VotResultLine } from './types.ts';

/**
 * Lines of a VOT result file: `1` (initialised), `2` (failure), `0` (skipped), or a region
 * (x,y,w,h or a polygon). pysot writes the codes as `2.0` / `0.0`, which are the same codes. Anything
 * else (`3`, five numbers, a blank line in the middle) is an error naming the file and line: scoring
 * it as some region or as zero would change the result silently.
 */
export function parseVotResult(text: string, file: string): VotResultLine[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l, i): VotResultLine => {
    const v = splitNumbers(l, file, i + 1);
    if (!v) throw atLine(file, i + 1, 'empty line (expected 1, 2, 0 or a region)');
    if (v.length === 1) {
      if (v[0] === 0 || v[0] === 1 || v[0] === 2) return v[0];
      throw atLine(file, i + 1, `unknown code ${v[0]} (expected 1 = initialised, 2 = failure, 0 = skipped)`);
    }
    return toRegion(v, file, i + 1);
  });
}

/**
 * Per-frame times: one value per line, or the legacy toolkit's `<seq>_time.txt` matrix with one
 * column per repetition (`column` picks it). `NaN` is accepted (frames not processed).
 */
export function parseVotTimes(text: string, file: string, column = 0): number[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l, i) => {
    const cells = l.trim().split(/\s*,\s*|\s+/);
    if (column >= cells.length) throw atLine(file, i + 1, `no column ${column + 1} (repetition ${column + 1})`);
    const c = cells[column];
    // NaN marks a frame not processed; Inf, '0x2' or '' would be scored as a speed.
    const v = toNumber(c);
    if (v === undefined || v === Infinity || v === -Infinity) throw atLine(file, i + 1, `'${clip(c)}' is not a time in seconds`);
    return v;
  });
}
