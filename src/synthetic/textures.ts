import { Rng } from '../core/random.ts';

/** A pre-rendered RGB tile (floats 0..255, interleaved), sampled by objects and the background. */
export interface Texture {
  width: number;
  height: number;
  data: Float32Array;
}

const TEXTURE_KINDS = ['noise', 'stripes', 'checks', 'blobs'] as const;
export type TextureKind = (typeof TEXTURE_KINDS)[number];
export type Rgb = [number, number, number];

/**
 * Everything that decides a texture: two specs that differ only in `seed` (and a little in palette
 * and angle) give two instances of the same look — the look-alike distractors of a target.
 */
export interface TextureSpec {
  kind: TextureKind;
  palette: Rgb[];
  /** Feature size in tile pixels (noise cell, stripe period, check size, blob radius). */
  scale: number;
  angle: number;
  seed: number;
}

function hsv(h: number, s: number, v: number): Rgb {
  const hh = (((h % 1) + 1) % 1) * 6;
  const i = Math.floor(hh);
  const f = hh - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i];
  return [rgb[0] * 255, rgb[1] * 255, rgb[2] * 255];
}

/**
 * 2–4 colours around one hue with values spread over [vLo, vHi], so every texture has contrast
 * that an illumination change can still darken or brighten visibly.
 */
export function randomPalette(rng: Rng, hue: number, opts: { spread?: number; vLo?: number; vHi?: number } = {}): Rgb[] {
  const n = rng.int(2, 4);
  const spread = opts.spread ?? 0.08;
  const lo = opts.vLo ?? 0.3;
  const hi = opts.vHi ?? 0.92;
  return Array.from({ length: n }, (_, i) => {
    const v = lo + ((hi - lo) * (i + rng.uniform(0.2, 0.8))) / n;
    return hsv(hue + rng.uniform(-spread, spread), rng.uniform(0.35, 0.9), v);
  });
}

/** The same look with a new instance: same kind and scale, palette and angle nudged, new seed. */
export function lookAlike(spec: TextureSpec, rng: Rng): TextureSpec {
  const jitter = (c: number) => Math.min(255, Math.max(0, c + rng.uniform(-18, 18)));
  return {
    kind: spec.kind,
    palette: spec.palette.map((c) => [jitter(c[0]), jitter(c[1]), jitter(c[2])] as Rgb),
    scale: spec.scale * rng.uniform(0.9, 1.1),
    angle: spec.angle + rng.uniform(-0.2, 0.2),
    seed: rng.int(0, 0x7fffffff),
  };
}

/**
 * The palette pulled `amount` of the way towards mid grey: the same colours, less saturated and
 * with less contrast — a cluttered background that resembles the target without hiding it.
 */
export function fadePalette(palette: Rgb[], amount: number): Rgb[] {
  return palette.map((c) => c.map((v) => v + (128 - v) * amount) as Rgb);
}

export function randomSpec(rng: Rng, palette: Rgb[], scaleRange: [number, number], kind?: TextureKind): TextureSpec {
  return {
    kind: kind ?? TEXTURE_KINDS[rng.int(0, TEXTURE_KINDS.length - 1)],
    palette,
    scale: rng.uniform(scaleRange[0], scaleRange[1]),
    angle: rng.uniform(0, Math.PI),
    seed: rng.int(0, 0x7fffffff),
  };
}

/** Fractal value noise in [0, 1): three octaves of smoothly interpolated lattice values. */
function valueNoise(rng: Rng, w: number, h: number, cell: number): Float32Array {
  const out = new Float32Array(w * h);
  let weight = 0;
  for (let o = 0, c = cell, a = 1; o < 3; o++, c /= 2, a /= 2) {
    const size = Math.max(1, c);
    const gw = Math.ceil(w / size) + 2;
    const gh = Math.ceil(h / size) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => rng.next());
    for (let y = 0; y < h; y++) {
      const fy = y / size;
      const iy = Math.floor(fy);
      const ty = fy - iy;
      const sy = ty * ty * (3 - 2 * ty);
      for (let x = 0; x < w; x++) {
        const fx = x / size;
        const ix = Math.floor(fx);
        const tx = fx - ix;
        const sx = tx * tx * (3 - 2 * tx);
        const g = iy * gw + ix;
        const top = grid[g] + (grid[g + 1] - grid[g]) * sx;
        const bottom = grid[g + gw] + (grid[g + gw + 1] - grid[g + gw]) * sx;
        out[y * w + x] += a * (top + (bottom - top) * sy);
      }
    }
    weight += a;
  }
  for (let i = 0; i < out.length; i++) out[i] /= weight;
  return out;
}

/** Maps t in [0, 1] through the palette as a piecewise-linear gradient. */
function gradient(palette: Rgb[], t: number, out: Float32Array, o: number): void {
  const f = Math.min(0.9999, Math.max(0, t)) * (palette.length - 1);
  const i = Math.floor(f);
  const u = f - i;
  const a = palette[i];
  const b = palette[i + 1];
  out[o] = a[0] + (b[0] - a[0]) * u;
  out[o + 1] = a[1] + (b[1] - a[1]) * u;
  out[o + 2] = a[2] + (b[2] - a[2]) * u;
}

export function makeTexture(spec: TextureSpec, width: number, height: number): Texture {
  const rng = new Rng(spec.seed);
  const data = new Float32Array(width * height * 3);
  const { palette, scale } = spec;
  // A low-frequency noise field modulates every kind, so that no two instances are identical.
  const wobble = valueNoise(rng, width, height, Math.max(4, scale * 1.5));
  const c = Math.cos(spec.angle);
  const s = Math.sin(spec.angle);
  if (spec.kind === 'noise') {
    const n = valueNoise(rng, width, height, scale);
    // Stretch the noise histogram (it clusters around 0.5) so the whole palette shows.
    for (let i = 0; i < n.length; i++) gradient(palette, 0.5 + (n[i] - 0.5) * 2.2, data, i * 3);
  } else if (spec.kind === 'stripes') {
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const phase = ((x * c + y * s) / scale) * 2 * Math.PI + wobble[i] * 3;
        gradient(palette, 0.5 + 0.5 * Math.tanh(2.5 * Math.sin(phase)), data, i * 3);
      }
    }
  } else if (spec.kind === 'checks') {
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const u = Math.floor((x * c + y * s) / scale);
        const v = Math.floor((-x * s + y * c) / scale);
        const parity = (u + v) & 1;
        gradient(palette, parity ? 0.15 + 0.3 * wobble[i] : 0.55 + 0.45 * wobble[i], data, i * 3);
      }
    }
  } else {
    for (let i = 0; i < wobble.length; i++) gradient(palette, wobble[i] * 0.4, data, i * 3);
    const count = Math.max(3, Math.round((width * height) / (scale * scale * 2.5)));
    for (let b = 0; b < count; b++) {
      const cx = rng.uniform(0, width);
      const cy = rng.uniform(0, height);
      const rx = scale * rng.uniform(0.4, 1.1);
      const ry = rx * rng.uniform(0.5, 1.5);
      const colour = new Float32Array(3);
      gradient(palette, rng.uniform(0.35, 1), colour, 0);
      for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(height, Math.ceil(cy + ry)); y++) {
        for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(width, Math.ceil(cx + rx)); x++) {
          const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
          if (d <= 1) data.set(colour, (y * width + x) * 3);
        }
      }
    }
  }
  return { width, height, data };
}
