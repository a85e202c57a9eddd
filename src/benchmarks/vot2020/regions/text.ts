import { toNumber } from '../../common/numbers.ts';
import { decodeRuns, encodeRuns, tighten } from './mask.ts';
import { type Mask, type Region, mask, polygon, rectangle, special } from './types.ts';

/**
 * One region in the text form of the VOT toolkit's result and ground-truth files: `m<x0>,<y0>,<w>,<h>,
 * <runs>` a mask (tightened to its foreground, as the toolkit reads text masks), 1 number a code,
 * 2 a point, 4 a rectangle, an even count of 6 or more a polygon; a `nan` anywhere in the last three
 * makes the region unknown (code 0). TraX's `mask:` spelling is not accepted here (the toolkit
 * rejects it in files); `parseTraxMask` reads it. Throws an Error with a one-line message.
 */
export function parseRegion(text: string): Region {
  const t = text.trim();
  if (t === '') throw new Error('empty line (a region is expected)');
  if (t[0] === 'm' || t[0] === 'M') {
    if (/^mask:/i.test(t)) throw new Error(`'mask:' is TraX's spelling; VOT files write masks as m<x0>,<y0>,<w>,<h>,<runs>`);
    return tighten(parseMaskBody(t.slice(1)));
  }
  const values = numbers(t);
  if (values.length === 1) {
    if (!Number.isInteger(values[0])) throw new Error(`'${t}' is not a region code (an integer)`);
    return special(values[0]);
  }
  if (values.length !== 2 && values.length !== 4 && !(values.length >= 6 && values.length % 2 === 0)) {
    throw new Error(`${values.length} numbers: a region is 1 (code), 2 (point), 4 (x,y,w,h) or an even count of 6 or more (polygon)`);
  }
  if (values.some(Number.isNaN)) return special(0);
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`'${t.slice(0, 40)}' holds an infinite number`);
  if (values.length === 2) return { type: 'point', x: Math.fround(values[0]), y: Math.fround(values[1]) };
  if (values.length === 4) return rectangle(values[0], values[1], values[2], values[3]);
  return polygon(values);
}

function numbers(t: string): number[] {
  return t.split(',').map((tok) => {
    const v = toNumber(tok.trim());
    if (v === undefined) throw new Error(`'${tok.trim().slice(0, 40)}' is not a number`);
    return v;
  });
}

function parseMaskBody(body: string): Mask {
  const values = numbers(body);
  if (values.length < 4) throw new Error(`a mask needs x0,y0,width,height before its runs (${values.length} numbers)`);
  const bad = values.findIndex((v, i) => !Number.isInteger(v) || (i >= 2 && v < 0));
  if (bad >= 0) throw new Error(`mask number ${bad + 1} ('${values[bad]}') is not ${bad < 2 ? 'an integer' : 'a count'}`);
  const [x, y, w, h] = values;
  if (w * h > 1 << 28) throw new Error(`a ${w} x ${h} mask is larger than any image`);
  try {
    return mask(x, y, w, h, decodeRuns(w, h, values.slice(4)));
  } catch (e) {
    throw new Error(`mask ${w} x ${h}: ${(e as Error).message}`, { cause: e });
  }
}

/** TraX's `mask:<x>,<y>,<w>,<h>,<runs>` (the last background run left out); not tightened. */
export function parseTraxMask(text: string): Mask {
  const t = text.trim();
  if (!/^mask:/i.test(t)) throw new Error(`'${t.slice(0, 40)}' is not a TraX mask (mask:x,y,w,h,runs)`);
  return parseMaskBody(t.slice(5));
}

/** The shortest decimal that reads back as the same float32, so a written file scores as its source. */
export function float32Text(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return 'nan';
  for (let p = 1; p < 10; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(f);
}

/** A region in the toolkit's text form: the inverse of `parseRegion` (masks with every run). */
export function formatRegion(r: Region): string {
  switch (r.type) {
    case 'special':
      return String(r.code);
    case 'point':
      return `${float32Text(r.x)},${float32Text(r.y)}`;
    case 'rectangle':
      return [r.x, r.y, r.width, r.height].map(float32Text).join(',');
    case 'polygon':
      return Array.from(r.points, float32Text).join(',');
    case 'mask':
      return `m${[r.x, r.y, r.width, r.height, ...encodeRuns(r.data)].join(',')}`;
  }
}

/** TraX's spelling of a mask: the trailing background run is left out. */
export function formatTraxMask(m: Mask): string {
  const runs = encodeRuns(m.data);
  if (runs.length % 2 === 1) runs.pop();
  return `mask:${[m.x, m.y, m.width, m.height, ...runs].join(',')}`;
}
