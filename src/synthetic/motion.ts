import type { Rng } from '../core/random.ts';

/** Scripted events that need frames of their own (they never overlap, and none touches frame 0). */
export type EventKind = 'occlusion' | 'fast' | 'blur' | 'out-of-view';
export interface SceneEvent {
  kind: EventKind;
  start: number;
  length: number;
}

/** Normal motion stays under this speed (px/frame); fast-motion steps are above 20 (OTB's FM). */
const CALM_SPEED = 4;
const FAST_STEP: [number, number] = [24, 32];
/** Motion-blur bursts move fast enough to smear but stay under the fast-motion threshold. */
const BLUR_STEP: [number, number] = [9, 14];
/** Walking out of view is quick in short sequences, but never fast motion in OTB's sense (> 20). */
const EXIT_SPEED_MAX = 18;
/** The first frames stay free of events: trackers initialise on frame 0. */
const QUIET_START = 4;

/**
 * Places the events in [QUIET_START, frames - 1) without overlap: the slack between them is split
 * at random, and lengths shrink proportionally when the sequence is too short for all of them.
 */
export function placeEvents(rng: Rng, wanted: { kind: EventKind; length: number }[], frames: number): SceneEvent[] {
  const order = [...wanted];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  // A burst must start from inside the frame (a clipped box's centre moves less than the target),
  // so the out-of-view walk comes after every burst.
  const ov = order.findIndex((e) => e.kind === 'out-of-view');
  const lastBurst = order.reduce((last, e, i) => (e.kind === 'fast' || e.kind === 'blur' ? i : last), -1);
  if (ov >= 0 && ov < lastBurst) {
    const [e] = order.splice(ov, 1);
    order.splice(rng.int(lastBurst, order.length), 0, e);
  }
  const room = Math.max(0, frames - 1 - QUIET_START);
  const total = order.reduce((s, e) => s + e.length, 0);
  const shrink = total > room ? room / total : 1;
  const lengths = order.map((e) => Math.max(1, Math.floor(e.length * shrink)));
  const slack = Math.max(0, room - lengths.reduce((s, l) => s + l, 0));
  const weights = Array.from({ length: order.length + 1 }, () => rng.next() + 0.05);
  const wsum = weights.reduce((s, w) => s + w, 0);
  const out: SceneEvent[] = [];
  let t = QUIET_START;
  order.forEach((e, i) => {
    t += Math.floor((slack * weights[i]) / wsum);
    out.push({ kind: e.kind, start: t, length: lengths[i] });
    t += lengths[i];
  });
  return out.sort((a, b) => a.start - b.start);
}

/** Frame bounds of the target centre at frame t so that its box stays 2 px inside the image. */
export interface Bounds {
  lo(t: number, axis: 0 | 1): number;
  hi(t: number, axis: 0 | 1): number;
}

/** Distance from p along unit direction d before leaving [lo, hi] on either axis. */
function roomAlong(p: [number, number], d: [number, number], lo: [number, number], hi: [number, number]): number {
  let r = Infinity;
  for (const k of [0, 1] as const) {
    if (d[k] > 1e-9) r = Math.min(r, (hi[k] - p[k]) / d[k]);
    else if (d[k] < -1e-9) r = Math.min(r, (lo[k] - p[k]) / d[k]);
  }
  return Math.max(0, r);
}

/** The direction (of 16) with the most room: bursts head into open space and stay in view. */
function openDirection(rng: Rng, p: [number, number], lo: [number, number], hi: [number, number]): { d: [number, number]; room: number } {
  const offset = rng.uniform(0, Math.PI / 8);
  let best = { d: [1, 0] as [number, number], room: -1 };
  for (let k = 0; k < 16; k++) {
    const a = offset + (k * Math.PI) / 8;
    const d: [number, number] = [Math.cos(a), Math.sin(a)];
    const room = roomAlong(p, d, lo, hi) * rng.uniform(0.8, 1);
    if (room > best.room) best = { d, room };
  }
  return best;
}

export interface PathResult {
  cx: Float64Array;
  cy: Float64Array;
  /** Exposure per frame as a fraction of the frame interval (0 = sharp). */
  shutter: Float64Array;
}

/**
 * The target centre frame by frame: a damped random walk under CALM_SPEED that bounces off the
 * bounds, with scripted bursts (fast motion, blurred motion) into open space and, for out-of-view
 * events, a walk out over the nearest border until `outside` of the box has left, then back in.
 * `safe` are the bounds for the largest the target ever gets, used to aim bursts.
 */
/** Where the target is and how it moves, carried from frame to frame of the path. */
interface PathState {
  p: [number, number];
  v: [number, number];
  /** Walking back inside after an out-of-view event. */
  returning: boolean;
  burst?: { d: [number, number]; step: number };
  goal?: [number, number];
  exitSpeed: number;
}

type Safe = { lo: [number, number]; hi: [number, number] };

/** Fast motion or blur: a straight burst into open space, shortened when the space is short; blur opens the shutter. */
function burstStep(rng: Rng, st: PathState, e: SceneEvent, t: number, safe: Safe, shutter: Float64Array): void {
  if (t === e.start) {
    const [lo, hi] = e.kind === 'fast' ? FAST_STEP : BLUR_STEP;
    const { d, room } = openDirection(rng, st.p, safe.lo, safe.hi);
    // Fewer steps rather than slower ones when the open space is short.
    const step = rng.uniform(lo, hi);
    e.length = Math.max(1, Math.min(e.length, Math.floor(room / step)));
    st.burst = { d, step };
  }
  if (t < e.start + e.length && st.burst) {
    st.p[0] += st.burst.d[0] * st.burst.step;
    st.p[1] += st.burst.d[1] * st.burst.step;
    st.v[0] = st.burst.d[0] * 1.5;
    st.v[1] = st.burst.d[1] * 1.5;
    if (e.kind === 'blur') shutter[t] = 1;
  }
}

/** Out of view: head for the nearest border until part of the box is past it. */
function exitStep(
  rng: Rng,
  st: PathState,
  e: SceneEvent,
  t: number,
  size: [number, number],
  halfExtent: (t: number, axis: 0 | 1) => number,
): void {
  const p = st.p;
  if (t === e.start || !st.goal) {
    // The nearest border; the centre goes to where 35-60% of the box is past it.
    const dist = [p[0], size[0] - p[0], p[1], size[1] - p[1]];
    const side = dist.indexOf(Math.min(...dist));
    const axis = (side < 2 ? 0 : 1) as 0 | 1;
    const f = rng.uniform(0.35, 0.6);
    const ext = halfExtent(e.start + e.length - 1, axis);
    const edge = side % 2 === 0 ? ext * (1 - 2 * f) : size[axis] - ext * (1 - 2 * f);
    st.goal = axis === 0 ? [edge, p[1]] : [p[0], edge];
    // Arrive with a fifth of the window left, never at fast-motion speed.
    st.exitSpeed = Math.min(EXIT_SPEED_MAX, Math.max(3, Math.abs(edge - p[axis]) / Math.max(1, e.length * 0.8)));
  }
  const dx = st.goal[0] - p[0];
  const dy = st.goal[1] - p[1];
  const dl = Math.hypot(dx, dy);
  const move = Math.min(dl, st.exitSpeed);
  if (dl > 0) {
    p[0] += (dx / dl) * move;
    p[1] += (dy / dl) * move;
  }
  st.returning = true;
}

/** Walk back inside at calm speed instead of jumping to the bounds. */
function returnStep(st: PathState, t: number, bounds: Bounds): void {
  const p = st.p;
  const target = [0, 1].map((k) => Math.min(bounds.hi(t, k as 0 | 1), Math.max(bounds.lo(t, k as 0 | 1), p[k])));
  const dx = target[0] - p[0];
  const dy = target[1] - p[1];
  const dl = Math.hypot(dx, dy);
  if (dl <= CALM_SPEED) {
    st.returning = false;
    st.goal = undefined;
    st.v[0] = st.v[1] = 0;
  }
  const move = Math.min(dl, CALM_SPEED);
  if (dl > 0) {
    p[0] += (dx / dl) * move;
    p[1] += (dy / dl) * move;
  }
}

/** Calm motion: a damped random walk of the velocity, capped, bouncing off the bounds. */
function wanderStep(rng: Rng, st: PathState, t: number, bounds: Bounds): void {
  const { p, v } = st;
  for (const k of [0, 1] as const) v[k] = v[k] * 0.97 + rng.uniform(-0.6, 0.6);
  const speed = Math.hypot(v[0], v[1]);
  if (speed > CALM_SPEED) {
    v[0] *= CALM_SPEED / speed;
    v[1] *= CALM_SPEED / speed;
  }
  for (const k of [0, 1] as const) {
    p[k] += v[k];
    const lo = bounds.lo(t, k);
    const hi = bounds.hi(t, k);
    if (p[k] < lo) {
      p[k] = Math.min(lo, hi);
      v[k] = Math.abs(v[k]);
    } else if (p[k] > hi) {
      p[k] = Math.max(lo, hi);
      v[k] = -Math.abs(v[k]);
    }
  }
}

export function targetPath(
  rng: Rng,
  frames: number,
  bounds: Bounds,
  safe: Safe,
  events: SceneEvent[],
  halfExtent: (t: number, axis: 0 | 1) => number,
  size: [number, number],
): PathResult {
  const cx = new Float64Array(frames);
  const cy = new Float64Array(frames);
  const shutter = new Float64Array(frames);
  const p: [number, number] = [0, 1].map((k) => {
    const lo = safe.lo[k];
    const hi = safe.hi[k];
    return lo <= hi ? rng.uniform(lo, hi) : size[k] / 2;
  }) as [number, number];
  const a0 = rng.uniform(0, 2 * Math.PI);
  const v: [number, number] = [Math.cos(a0), Math.sin(a0)].map((c) => c * rng.uniform(0.5, 2.5)) as [number, number];
  const st: PathState = { p, v, returning: false, exitSpeed: CALM_SPEED };
  const eventAt = (t: number) => events.find((e) => t >= e.start && t < e.start + e.length);
  for (let t = 0; t < frames; t++) {
    const e = eventAt(t);
    if (t > 0 && e && (e.kind === 'fast' || e.kind === 'blur')) burstStep(rng, st, e, t, safe, shutter);
    else if (t > 0 && e && e.kind === 'out-of-view') exitStep(rng, st, e, t, size, halfExtent);
    else if (t > 0 && st.returning) returnStep(st, t, bounds);
    else if (t > 0) wanderStep(rng, st, t, bounds);
    cx[t] = p[0];
    cy[t] = p[1];
  }
  return { cx, cy, shutter };
}

/** Moving average over +-radius frames: anchors for distractors that should not copy bursts. */
export function smooth(xs: Float64Array, radius: number): Float64Array {
  return xs.map((_, t) => {
    let s = 0;
    let n = 0;
    for (let k = Math.max(0, t - radius); k <= Math.min(xs.length - 1, t + radius); k++, n++) s += xs[k];
    return s / n;
  });
}

/**
 * Background offset per frame: still, or a slow drifting pan (camera motion), plus a shake during
 * blur bursts when `shake` is set. Stays within +-margin so the background tile is never exhausted.
 */
export function cameraPan(
  rng: Rng,
  frames: number,
  margin: number,
  drift: boolean,
  shakeEvents: SceneEvent[],
): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(frames);
  const y = new Float64Array(frames);
  // Whole pixels while still: the renderer then copies background rows instead of interpolating.
  const p: [number, number] = [0, 0].map(() => rng.int(-Math.round(margin / 3), Math.round(margin / 3))) as [number, number];
  const v: [number, number] = drift ? [rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)] : [0, 0];
  const lim = margin - 1;
  for (let t = 0; t < frames; t++) {
    const shake = shakeEvents.find((e) => t >= e.start && t < e.start + e.length);
    if (t > 0 && shake) {
      // Towards the middle of the range so that the shake has room.
      const d = Math.hypot(p[0], p[1]) > 1 ? [-p[0] / Math.hypot(p[0], p[1]), -p[1] / Math.hypot(p[0], p[1])] : [1, 0];
      const step = Math.min(8, (2 * lim) / Math.max(1, shake.length));
      p[0] += d[0] * step;
      p[1] += d[1] * step;
    } else if (t > 0 && drift) {
      for (const k of [0, 1] as const) {
        v[k] = Math.max(-2, Math.min(2, v[k] + rng.uniform(-0.2, 0.2)));
        p[k] += v[k];
        if (Math.abs(p[k]) > lim) {
          p[k] = Math.sign(p[k]) * lim;
          v[k] = -v[k];
        }
      }
    }
    p[0] = Math.max(-lim, Math.min(lim, p[0]));
    p[1] = Math.max(-lim, Math.min(lim, p[1]));
    x[t] = p[0];
    y[t] = p[1];
  }
  return { x, y };
}
