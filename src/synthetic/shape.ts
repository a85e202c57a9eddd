import { type ImageBox, imageBox, type Polygon } from '../core/types.ts';
import type { Rng } from '../core/random.ts';
import type { Attribute } from './attributes.ts';

/**
 * An object's pose in one frame, in image coordinates (0-based, continuous: pixel i covers
 * [i, i+1)). The object is a w x h rectangle centred at (cx, cy), rotated by `angle` radians
 * (clockwise on screen, since y points down).
 */
export interface Pose {
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
  /** Shows the mirrored back side (out-of-plane rotation past 90 degrees). */
  flip: boolean;
  /** Phase and amplitude of the non-rigid texture warp (deformation); amplitude 0 = rigid. */
  warp: number;
  warpAmp: number;
}

/** Half extents of the axis-aligned box around a rotated w x h rectangle. */
export function halfExtents(w: number, h: number, angle: number): [number, number] {
  const c = Math.abs(Math.cos(angle));
  const s = Math.abs(Math.sin(angle));
  return [(c * w + s * h) / 2, (s * w + c * h) / 2];
}

/**
 * The rectangle's corners x1,y1,...,x4,y4: the unrotated top-left, top-right, bottom-right and
 * bottom-left corners carried by the rotation (clockwise on screen, as VOT polygons run).
 */
export function corners(p: Pose): Polygon {
  const c = Math.cos(p.angle);
  const s = Math.sin(p.angle);
  const out: number[] = [];
  for (const [u, v] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ]) {
    const x = (u * p.w) / 2;
    const y = (v * p.h) / 2;
    out.push(p.cx + x * c - y * s, p.cy + x * s + y * c);
  }
  return out;
}

/** Axis-aligned image box (x, y, w, h) of the whole object, unclipped. */
export function poseBox(p: Pose): ImageBox {
  const [ex, ey] = halfExtents(p.w, p.h, p.angle);
  return imageBox([p.cx - ex, p.cy - ey, 2 * ex, 2 * ey]);
}

/**
 * Axis-aligned box of the part of a convex polygon inside a width x height frame: the polygon is
 * clipped to each image edge in turn (Sutherland–Hodgman). For a rotated target leaving the image
 * this is tighter than clipping its whole box: a corner that has left no longer counts. Zero size
 * when nothing is inside.
 */
export function visibleBox(poly: Polygon, width: number, height: number): ImageBox {
  let pts: [number, number][] = [];
  for (let i = 0; i < poly.length; i += 2) pts.push([poly[i], poly[i + 1]]);
  const edges: [0 | 1, number, 1 | -1][] = [
    [0, 0, 1],
    [0, width, -1],
    [1, 0, 1],
    [1, height, -1],
  ];
  for (const [axis, at, dir] of edges) {
    const inside = (p: [number, number]) => (p[axis] - at) * dir >= 0;
    const out: [number, number][] = [];
    pts.forEach((p, i) => {
      const q = pts[(i + 1) % pts.length];
      if (inside(p)) out.push(p);
      if (inside(p) !== inside(q)) {
        const u = (at - p[axis]) / (q[axis] - p[axis]);
        out.push([p[0] + (q[0] - p[0]) * u, p[1] + (q[1] - p[1]) * u]);
      }
    });
    pts = out;
  }
  if (pts.length === 0) return imageBox([Math.min(width, Math.max(0, poly[0])), Math.min(height, Math.max(0, poly[1])), 0, 0]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  return imageBox([x0, y0, Math.max(...xs) - x0, Math.max(...ys) - y0]);
}

export function smoothstep(t: number): number {
  const u = Math.min(1, Math.max(0, t));
  return u * u * (3 - 2 * u);
}

/** Per-frame size and orientation factors of the target, decided by its attributes. */
export interface ShapeProfile {
  w0: number;
  h0: number;
  scale: Float64Array;
  aspect: Float64Array;
  angle: Float64Array;
  /** Width factor of the out-of-plane turn (|cos| of the turn, at least 0.5) and its side. */
  turn: Float64Array;
  flip: Uint8Array;
  warp: Float64Array;
  warpAmp: number;
}

export function profileSize(p: ShapeProfile, t: number): [number, number] {
  return [p.w0 * p.scale[t] * p.aspect[t] * p.turn[t], (p.h0 * p.scale[t]) / p.aspect[t]];
}

/** Scale-variation factor range: at least 1.7x linear, so the box area changes by more than 2.8x. */
export const SV_FACTOR: [number, number] = [1.7, 2.2];

/** A smooth 0 -> 1 ramp starting between lo and hi of the sequence and lasting 35-55% of it. */
function ramp(rng: Rng, T: number, lo: number, hi: number): (t: number) => number {
  const a = rng.uniform(lo, hi) * T;
  const b = Math.min(0.95 * T, a + rng.uniform(0.35, 0.55) * T);
  return (t: number) => smoothstep((t - a) / Math.max(1, b - a));
}

/** SV: the size grows or shrinks by SV_FACTOR, and sometimes comes back. */
function scaleVariation(rng: Rng, T: number): Float64Array {
  const scale = new Float64Array(T).fill(1);
  const lnF = Math.log(rng.uniform(...SV_FACTOR)) * (rng.next() < 0.5 ? 1 : -1);
  const r = ramp(rng, T, 0.1, 0.3);
  const back = rng.next() < 0.3;
  for (let t = 0; t < T; t++) scale[t] = Math.exp(lnF * (back ? Math.sin(Math.PI * r(t)) : r(t)));
  return scale;
}

/** IPR: a turn in the image plane, once or back and forth. */
function inPlaneRotation(rng: Rng, T: number): Float64Array {
  const angle = new Float64Array(T);
  const R = rng.uniform(1.1, 2.6) * (rng.next() < 0.5 ? 1 : -1);
  if (rng.next() < 0.5) {
    const r = ramp(rng, T, 0.05, 0.25);
    for (let t = 0; t < T; t++) angle[t] = R * r(t);
  } else {
    const P = rng.uniform(0.5, 1) * T;
    for (let t = 0; t < T; t++) angle[t] = R * Math.sin((2 * Math.PI * t) / P);
  }
  return angle;
}

/** OPR: a turn out of the plane, foreshortening the width and showing the back (mirrored) past 90 degrees. */
function outOfPlaneRotation(rng: Rng, T: number, turn: Float64Array, flip: Uint8Array): void {
  const phi = rng.uniform(2.4, 3.4);
  const r = ramp(rng, T, 0.1, 0.3);
  for (let t = 0; t < T; t++) {
    const c = Math.cos(phi * r(t));
    turn[t] = Math.max(0.5, Math.abs(c));
    flip[t] = c < 0 ? 1 : 0;
  }
}

/** DEF: the aspect ratio breathes and the outline warps; returns the warp's amplitude. */
function deformation(rng: Rng, T: number, lowResolution: boolean, aspect: Float64Array, warp: Float64Array): number {
  const A = lowResolution ? 0.12 : 0.22;
  const P = rng.uniform(16, 32);
  const P2 = rng.uniform(10, 20);
  const phase = rng.uniform(0, 2 * Math.PI);
  // Start undeformed: the first frame is what a tracker initialises on.
  for (let t = 0; t < T; t++) {
    aspect[t] = Math.exp(A * Math.sin((2 * Math.PI * t) / P) * smoothstep(t / 6));
    warp[t] = phase + (2 * Math.PI * t) / P2;
  }
  return rng.uniform(0.05, 0.09);
}

export function shapeProfile(rng: Rng, attrs: readonly Attribute[], frames: number): ShapeProfile {
  const has = (a: Attribute) => attrs.includes(a);
  const T = frames;
  const scale = has('SV') ? scaleVariation(rng, T) : new Float64Array(T).fill(1);
  const angle = has('IPR') ? inPlaneRotation(rng, T) : new Float64Array(T);
  const turn = new Float64Array(T).fill(1);
  const flip = new Uint8Array(T);
  if (has('OPR')) outOfPlaneRotation(rng, T, turn, flip);
  const aspect = new Float64Array(T).fill(1);
  const warp = new Float64Array(T);
  const warpAmp = has('DEF') ? deformation(rng, T, has('LR'), aspect, warp) : 0;
  const profile: ShapeProfile = { w0: 0, h0: 0, scale, aspect, angle, turn, flip, warp, warpAmp };
  if (has('LR')) {
    // Sides <= 12 (13 after deformation): even at 45 degrees the box stays under 400 px.
    profile.w0 = rng.uniform(10, 12);
    profile.h0 = rng.uniform(10, 12);
    return profile;
  }
  profile.w0 = rng.uniform(24, 60);
  profile.h0 = Math.min(80, Math.max(20, profile.w0 * Math.exp(rng.uniform(-0.6, 0.6))));
  fitSize(profile, T);
  return profile;
}

/**
 * Rescales the base size so that the object covers at least 450 px in every frame (never low
 * resolution by accident) and no side exceeds 100 px (it fits the frame at any rotation).
 */
function fitSize(p: ShapeProfile, T: number): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    let minArea = Infinity;
    let maxSide = 0;
    for (let t = 0; t < T; t++) {
      const [w, h] = profileSize(p, t);
      minArea = Math.min(minArea, w * h);
      maxSide = Math.max(maxSide, w, h);
    }
    const up = Math.sqrt(450 / minArea);
    const down = 100 / maxSide;
    if (up <= 1 && down >= 1) return;
    if (up <= down) {
      const k = up > 1 ? up : down;
      p.w0 *= k;
      p.h0 *= k;
      return;
    }
    // Growth and minimum area cannot both hold at this aspect ratio: make it square and retry.
    p.w0 = p.h0 = Math.sqrt(p.w0 * p.h0);
  }
}
