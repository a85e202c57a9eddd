import { atLine, UserError } from '../../../core/errors.ts';
import { clip, toNumber } from '../../common/numbers.ts';
import { parseRegion } from '../regions/text.ts';
import type { Region } from '../regions/types.ts';

/**
 * The per-sequence text files of the VOT2020+ layout. The toolkit crashes with a Python traceback on
 * a blank line inside them; here the file and line are named instead. One final newline is fine.
 */
export function lines(text: string, file: string, what: string): string[] {
  const out = text.split(/\r?\n/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  const blank = out.findIndex((l) => l.trim() === '');
  if (blank >= 0) throw atLine(file, blank + 1, `blank line in ${what}`);
  return out;
}

const KEY_VALUE = /^([a-zA-Z0-9_\-.]+) *= *(.*)$/;

/** `key=value` lines of a `sequence` file, keys as the toolkit's pattern allows. */
export function parseMetadata(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  lines(text, file, 'the sequence metadata').forEach((l, i) => {
    const m = KEY_VALUE.exec(l.trim());
    if (!m) throw atLine(file, i + 1, `'${clip(l)}' is not key=value`);
    out[m[1]] = m[2].trim();
  });
  return out;
}

/** A metadata integer (length, width, height, fps), or undefined when absent. */
export function metadataInt(meta: Record<string, string>, key: string, file: string): number | undefined {
  if (meta[key] === undefined) return undefined;
  const v = toNumber(meta[key]);
  if (v === undefined || !Number.isInteger(v) || v <= 0)
    throw new UserError(`${file}: ${key}=${clip(meta[key])} is not a positive integer`);
  return v;
}

/** Regions, one a line; a file shorter than the sequence is padded with the unknown code 0. */
export function parseRegions(text: string, file: string, length: number): Region[] {
  const rows = lines(text, file, 'the ground truth');
  if (rows.length > length) throw atLine(file, length + 1, `${rows.length} regions for ${length} frames`);
  const out = rows.map((l, i) => {
    try {
      return parseRegion(l);
    } catch (e) {
      throw atLine(file, i + 1, (e as Error).message);
    }
  });
  while (out.length < length) out.push({ type: 'special', code: 0 });
  return out;
}

/** A tag file: a frame is tagged iff its line is exactly `1`; padded with untagged frames. */
export function parseTag(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  text.split(/\r?\n/).forEach((l, i) => {
    if (i < length && l === '1') out[i] = 1;
  });
  return out;
}

/** A value file: one number a line, padded with 0; a blank line or a longer file is an error. */
export function parseValues(text: string, file: string, length: number): Float64Array {
  const rows = lines(text, file, 'a value file');
  if (rows.length > length) throw atLine(file, length + 1, `${rows.length} values for ${length} frames`);
  const out = new Float64Array(length);
  rows.forEach((l, i) => {
    const v = toNumber(l.trim());
    if (v === undefined || !Number.isFinite(v)) throw atLine(file, i + 1, `'${clip(l)}' is not a number`);
    out[i] = v;
  });
  return out;
}
