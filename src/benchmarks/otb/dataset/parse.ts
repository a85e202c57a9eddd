import { atLine } from '../../../core/errors.ts';
import { type ToolkitBox, toolkitBox } from '../../../core/types.ts';
import { clip, toNumber } from '../../common/numbers.ts';

/**
 * Rows of x, y, w, h from OTB-style text (ground truth and raw results alike). Delimiters vary per
 * file and even per line (commas, tabs, spaces: BlurCar1 line 496), CRLF occurs, and files end in
 * blank lines; `NaN` is a value (trackers write it when they lose the target). A malformed line
 * is a UserError `file:line: ...`. Blank lines are only allowed at the end, since a gap in the
 * middle would shift every later row by one frame. A value that is no finite number (`Inf`,
 * `1e309`, a digit string too long for a double) is an error unless `onNonFinite` is given: then it is
 * read as NaN (a lost target, as trackers write it) and reported through the handler. Only decimal
 * numbers are read: `0x2`, `0b1` and `1_0` are errors, not 2, 1 and 10 as Number() would have them.
 */
export type NonFiniteHandler = (line: number, token: string) => void;

export function parseBoxText(text: string, file: string, onNonFinite?: NonFiniteHandler): ToolkitBox[] {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && isBlank(lines[last])) last--;
  const rows: ToolkitBox[] = new Array(last + 1);
  const v = [0, 0, 0, 0];
  for (let i = 0; i <= last; i++) {
    const line = lines[i];
    let n = 0;
    let start = -1;
    // A hand scanner: 2M result lines per full evaluation, where split(regex) and Number(slice) cost
    // several times more. Plain decimals of up to 15 digits are built exactly (mantissa / 10^k is one
    // correctly rounded division of exact operands, i.e. what Number() gives); anything else (NaN,
    // exponents, long numbers) goes through Number().
    let mant = 0,
      digits = 0,
      frac = -1,
      neg = false,
      simple = true;
    for (let j = 0; j <= line.length; j++) {
      const c = j < line.length ? line.charCodeAt(j) : 32;
      const sep = c === 44 || c === 32 || c === 9 || c === 59 || c === 13;
      if (!sep) {
        if (start < 0) {
          start = j;
          mant = 0;
          digits = 0;
          frac = -1;
          neg = false;
          simple = true;
        }
        if (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          digits++;
          if (frac >= 0) frac++;
        } else if (c === 46 && frac < 0) frac = 0;
        else if ((c === 45 || c === 43) && j === start) neg = c === 45;
        else simple = false;
        continue;
      }
      if (start < 0) continue;
      let x: number;
      if (simple && digits > 0 && digits <= 15) {
        x = frac > 0 ? mant / POW10[frac] : mant;
        if (neg) x = -x;
      } else {
        x = slowToken(line.slice(start, j), file, i + 1, onNonFinite);
      }
      start = -1;
      if (n < 4) v[n] = x;
      n++;
    }
    if (n !== 4) throw rowError(file, i + 1, n, line);
    rows[i] = toolkitBox([v[0], v[1], v[2], v[3]]);
  }
  return rows;
}

function rowError(file: string, line: number, n: number, text: string) {
  const what =
    n === 0 ? 'empty line before the end of the file (expected x,y,w,h)' : `expected 4 values x,y,w,h, got ${n}: '${clip(text.trim())}'`;
  return atLine(file, line, what);
}

/** A token the fast path does not build (NaN, exponents, long numbers, junk): Number() semantics, decimals only. */
function slowToken(tok: string, file: string, line: number, onNonFinite: NonFiniteHandler | undefined): number {
  const x = toNumber(tok);
  if (x === undefined) throw atLine(file, line, `not a number: '${clip(tok)}' (expected x,y,w,h)`);
  if (x !== Infinity && x !== -Infinity) return x;
  if (!onNonFinite) throw atLine(file, line, `not a finite number: '${clip(tok)}'`);
  onNonFinite(line, tok);
  return NaN;
}

const POW10 = Array.from({ length: 16 }, (_, k) => Number(`1e${k}`));

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Attribute codes from a comma-, space- or tab-separated list ('SV, DEF, FM'). */
export function parseAttributeList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
