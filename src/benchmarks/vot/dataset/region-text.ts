import { atLine } from '../../../core/errors.ts';
import { clip, toNumber } from '../../common/numbers.ts';
import type { VotRegion } from './types.ts';

/**
 * Numbers of one VOT text line: comma separated (the toolkits' format), tabs or spaces tolerated.
 * Returns undefined for a blank line.
 */
export function splitNumbers(text: string, file: string, line: number): number[] | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^m\d/i.test(t)) throw atLine(file, line, 'mask regions (VOT2020 and later) are not supported; expected a rectangle or polygon');
  const parts = t.split(/\s*,\s*|\s+/);
  // Decimal numbers only: Number() would read '0x2' as 2 and '' as 0.
  const values = parts.map((p) => toNumber(p) ?? NaN);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const v = toNumber(parts[bad]);
    throw atLine(file, line, `'${clip(parts[bad])}' is not ${v === undefined || Number.isNaN(v) ? 'a number' : 'a finite number'}`);
  }
  return values;
}

/** A region from its numbers: 4 = rectangle, an even count of 6 or more = polygon. */
export function toRegion(values: number[], file: string, line: number): VotRegion {
  if (values.length === 4 || (values.length >= 6 && values.length % 2 === 0)) return values;
  throw atLine(file, line, `${values.length} values: a region is 4 numbers (x,y,w,h) or an even count of 6 or more (polygon)`);
}

/** Ground-truth rows of a `groundtruth.txt`; a blank line is allowed only at the end. */
export function parseGroundtruth(text: string, file: string): VotRegion[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.map((l, i) => {
    const v = splitNumbers(l, file, i + 1);
    if (!v) throw atLine(file, i + 1, 'empty line inside the ground truth');
    return toRegion(v, file, i + 1);
  });
}

/**
 * Ground-truth regions that enclose nothing: a rectangle with w <= 0 or h <= 0, a polygon of zero
 * area. Every overlap on such a frame is 0, so a tracker is charged for the annotation's defect.
 */
export function emptyRegions(seq: string, regions: readonly VotRegion[]): string[] {
  const bad = regions.flatMap((r, i) => (regionArea(r) > 0 ? [] : [i]));
  if (bad.length === 0) return [];
  const first = regions[bad[0]];
  return [
    `${seq}: ${bad.length} ground-truth region(s) with w <= 0, h <= 0 or no area (first: frame ${bad[0] + 1}, ${first.join(',')}): overlap 0 there`,
  ];
}

function regionArea(r: VotRegion): number {
  if (r.length === 4) return r[2] > 0 && r[3] > 0 ? r[2] * r[3] : 0;
  let twice = 0;
  for (let i = 0; i < r.length; i += 2) {
    const j = (i + 2) % r.length;
    twice += r[i] * r[j + 1] - r[j] * r[i + 1];
  }
  return Math.abs(twice) / 2;
}
