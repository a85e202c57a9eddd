import type { Rng } from '../core/random.ts';
import type { SceneEvent } from './motion.ts';
import { halfExtents, type Pose } from './shape.ts';
import type { Texture } from './textures.ts';

export type Role = 'target' | 'distractor' | 'occluder' | 'other';

/** Something drawn in the scene; `present[t]` = 0 leaves it out of frame t. */
export interface SceneObject {
  role: Role;
  texture: Texture;
  poses: Pose[];
  present: Uint8Array;
}

const rigid = { flip: false, warp: 0, warpAmp: 0 };

/**
 * A look-alike that orbits the target's smoothed path: its offset swings through zero at a random
 * frame (it passes behind the target and out the other side) at 1.5–3 px/frame relative speed, so
 * it spends frames right beside the target — the hard negative a tracker must not jump to. It
 * follows the target's scale (`scaledSize`, without deformation or turning) and rotation, as a
 * second object of the same kind would.
 */
export function orbitingDistractor(
  rng: Rng,
  texture: Texture,
  target: Pose[],
  anchor: { x: Float64Array; y: Float64Array },
  ipr: boolean,
  scaledSize: (t: number) => [number, number],
): SceneObject {
  const T = target.length;
  const base = Math.hypot(...scaledSize(0));
  const rMax = rng.uniform(1.2, 2.5) * base;
  const period = (2 * Math.PI * rMax) / rng.uniform(1.5, 3);
  const tc = rng.uniform(0.15, 0.85) * T;
  const theta0 = rng.uniform(0, 2 * Math.PI);
  const omega = rng.uniform(-0.02, 0.02);
  const k = rng.uniform(0.85, 1.15);
  const j = rng.uniform(0.9, 1.1);
  const tilt = ipr ? rng.uniform(-0.3, 0.3) : 0;
  const poses = target.map((p, t) => {
    const r = rMax * Math.sin((2 * Math.PI * (t - tc)) / period);
    const th = theta0 + omega * t;
    return {
      cx: anchor.x[t] + r * Math.cos(th),
      cy: anchor.y[t] + r * Math.sin(th),
      w: scaledSize(t)[0] * k * j,
      h: scaledSize(t)[1] * (k / j),
      angle: p.angle + tilt,
      ...rigid,
    };
  });
  return { role: 'distractor', texture, poses, present: new Uint8Array(T).fill(1) };
}

/** An unrelated object drifting across the frame and bouncing off its edges (no look-alike). */
export function wanderer(rng: Rng, texture: Texture, frames: number, size: [number, number]): SceneObject {
  const w = rng.uniform(16, 50);
  const h = rng.uniform(16, 50);
  const p = [rng.uniform(0, size[0]), rng.uniform(0, size[1])];
  const v = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
  const angle = rng.next() < 0.3 ? rng.uniform(-0.5, 0.5) : 0;
  const poses: Pose[] = [];
  for (let t = 0; t < frames; t++) {
    if (t > 0) {
      for (const a of [0, 1]) {
        p[a] += v[a];
        if (p[a] < 0 || p[a] > size[a]) v[a] = -v[a];
      }
    }
    poses.push({ cx: p[0], cy: p[1], w, h, angle, ...rigid });
  }
  return { role: 'other', texture, poses, present: new Uint8Array(frames).fill(1) };
}

function overlaps(a: Pose, b: Pose): boolean {
  const [ax, ay] = halfExtents(a.w, a.h, a.angle);
  const [bx, by] = halfExtents(b.w, b.h, b.angle);
  return Math.abs(a.cx - b.cx) < ax + bx + 1 && Math.abs(a.cy - b.cy) < ay + by + 1;
}

/**
 * An occluder in front of the target for one occlusion event: during the event it sweeps across
 * the target's path, from touching one side to touching the other. `full` occluders are larger
 * than the target and cross its centre line (the target vanishes for a few frames); partial ones
 * are smaller and pass off-centre, so they cover only a band. Outside the event it keeps its
 * average velocity and is drawn only while it stays clear of the target, so it never occludes the
 * first frame or frames outside the scripted window.
 */
export function sweepingOccluder(rng: Rng, texture: Texture, target: Pose[], event: SceneEvent, full: boolean): SceneObject {
  const T = target.length;
  const { start, length } = event;
  const mid = target[Math.min(T - 1, start + Math.floor(length / 2))];
  const [tex, tey] = halfExtents(mid.w, mid.h, mid.angle);
  const f = full ? rng.uniform(1.3, 1.7) : rng.uniform(0.6, 1.0);
  const ox = f * tex;
  const oy = f * tey;
  const horizontal = rng.next() < 0.6;
  const dir = rng.next() < 0.5 ? 1 : -1;
  // Along the sweep: from touching one side to touching the other; across: centred or off-centre.
  const [along, across] = horizontal ? [tex + ox + 2, tey + oy] : [tey + oy + 2, tex + ox];
  const off = full ? 0 : (rng.next() < 0.5 ? 1 : -1) * across * rng.uniform(0.35, 0.65);
  const at = (t: number): [number, number] => {
    const p = target[t];
    const s = dir * along * (-1 + (2 * (t - start)) / Math.max(1, length - 1));
    return horizontal ? [p.cx + s, p.cy + off] : [p.cx + off, p.cy + s];
  };
  const end = Math.min(T - 1, start + length - 1);
  const a = at(start);
  const b = at(end);
  const vel = [(b[0] - a[0]) / Math.max(1, end - start), (b[1] - a[1]) / Math.max(1, end - start)];
  const poses: Pose[] = target.map((_, t) => {
    const [cx, cy] =
      t < start
        ? [a[0] - vel[0] * (start - t), a[1] - vel[1] * (start - t)]
        : t > end
          ? [b[0] + vel[0] * (t - end), b[1] + vel[1] * (t - end)]
          : at(t);
    return { cx, cy, w: 2 * ox, h: 2 * oy, angle: 0, ...rigid };
  });
  const present = new Uint8Array(T);
  for (let t = start; t <= end; t++) present[t] = 1;
  for (let t = start - 1; t >= 1 && !overlaps(poses[t], target[t]); t--) present[t] = 1;
  for (let t = end + 1; t < T && !overlaps(poses[t], target[t]); t++) present[t] = 1;
  return { role: 'occluder', texture, poses, present };
}
