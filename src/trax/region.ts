/**
 * TraX region text (docs/trax.md section 6): `x,y,w,h` rectangles, `x1,y1,...` polygons,
 * `mask:x,y,w,h,runs...` masks and single-number special codes, parsed with the reference's rules
 * (commas only, atof per number, the kind from an optional prefix or the count of numbers).
 */
export type Region =
  | { kind: 'special'; code: number }
  | { kind: 'rectangle'; x: number; y: number; width: number; height: number }
  | { kind: 'polygon'; points: number[] }
  | { kind: 'mask'; x: number; y: number; width: number; height: number; runs: number[] };

export type RegionKind = Region['kind'];

const NUMBER = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf(?:inity)?))/i;

/** C's atof: the longest numeric prefix after leading spaces, 0 when there is none. */
function atof(s: string): number {
  const m = NUMBER.exec(s);
  if (!m) return 0;
  const t = m[1].toLowerCase().replace(/^\+/, '');
  if (t.endsWith('nan')) return NaN;
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(m[1]);
}

/** The region in `text`, null for empty text, or a reason it is not a region. */
export function parseRegion(text: string): Region | null | string {
  if (text.trim() === '') return null;
  let body = text;
  let kind: string | undefined;
  const pre = /^([A-Za-z]+):/.exec(text);
  if (pre && ['rect', 'poly', 'mask', 'special'].includes(pre[1])) {
    kind = pre[1];
    body = text.slice(pre[0].length);
  }
  const v = body.split(',').map(atof);
  if (kind === 'mask') {
    if (v.length < 4) return `mask '${text}' has fewer than 4 numbers`;
    const [x, y, width, height] = v.map(Math.trunc);
    return { kind: 'mask', x, y, width, height, runs: v.slice(4).map(Math.trunc) };
  }
  if (v.some(Number.isNaN)) {
    const code = v.length === 4 && !Number.isNaN(v[3]) ? -v[3] : 0;
    return { kind: 'special', code: Math.trunc(code) };
  }
  if (kind === 'special' || (kind === undefined && v.length === 1)) return { kind: 'special', code: Math.trunc(v[0]) };
  if ((kind === 'rect' || kind === undefined) && v.length === 4) {
    return { kind: 'rectangle', x: v[0], y: v[1], width: v[2], height: v[3] };
  }
  if ((kind === 'poly' || kind === undefined) && v.length >= 6 && v.length % 2 === 0) return { kind: 'polygon', points: v };
  return `'${text}' is not a region (${v.length} numbers: 1 is a code, 4 a rectangle, an even 6 or more a polygon)`;
}

const f4 = (n: number) => n.toFixed(4);

/** The reference writer's text: %.4f numbers, integer codes and mask runs. */
export function formatRegion(r: Region): string {
  switch (r.kind) {
    case 'special':
      return String(Math.trunc(r.code));
    case 'rectangle':
      return [r.x, r.y, r.width, r.height].map(f4).join(',');
    case 'polygon':
      return r.points.map(f4).join(',');
    case 'mask':
      return 'mask:' + [r.x, r.y, r.width, r.height, ...r.runs].join(',');
  }
}

/** Bounding box of a polygon (width = max - min, no +1) or of a mask's set pixels (+1). */
export function boundingBox(r: Region): [number, number, number, number] | null {
  if (r.kind === 'rectangle') return [r.x, r.y, r.width, r.height];
  if (r.kind === 'polygon') {
    const xs = r.points.filter((_, i) => i % 2 === 0);
    const ys = r.points.filter((_, i) => i % 2 === 1);
    const x0 = Math.min(...xs),
      y0 = Math.min(...ys);
    return [x0, y0, Math.max(...xs) - x0, Math.max(...ys) - y0];
  }
  if (r.kind === 'mask') return maskBox(r);
  return null;
}

function maskBox(r: Extract<Region, { kind: 'mask' }>): [number, number, number, number] | null {
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  let p = 0;
  const total = r.width * r.height;
  r.runs.forEach((run, k) => {
    if (k % 2 === 1) {
      for (let q = p; q < Math.min(p + run, total); q++) {
        const px = q % r.width,
          py = Math.floor(q / r.width);
        left = Math.min(left, px);
        right = Math.max(right, px);
        top = Math.min(top, py);
        bottom = Math.max(bottom, py);
      }
    }
    p += run;
  });
  return left === Infinity ? null : [r.x + left, r.y + top, right - left + 1, bottom - top + 1];
}

/**
 * The region in the first kind the tracker accepts, in the reference's order of preference when it
 * does not take the region's own kind: mask, polygon, rectangle. Rectangle to polygon uses the
 * pixel-inclusive corners (x + w - 1), as the reference does by default.
 */
export function convertRegion(r: Region, accepted: ReadonlySet<RegionKind>): Region {
  if (r.kind === 'special' || accepted.has(r.kind)) return r;
  const box = boundingBox(r);
  if (!box) return { kind: 'special', code: 0 };
  const [x, y, w, h] = box;
  if (accepted.has('mask') && r.kind !== 'mask') {
    const [mx, my, mw, mh] = [x, y, w, h].map(Math.trunc);
    return { kind: 'mask', x: mx, y: my, width: mw, height: mh, runs: [0, mw * mh] };
  }
  if (accepted.has('polygon')) return { kind: 'polygon', points: [x, y, x + w - 1, y, x + w - 1, y + h - 1, x, y + h - 1] };
  return { kind: 'rectangle', x, y, width: w, height: h };
}
