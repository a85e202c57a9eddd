import { Rng } from '../core/random.ts';
import { orbitingDistractor, sweepingOccluder, wanderer, type SceneObject } from './actors.ts';
import type { Attribute } from './attributes.ts';
import { cameraPan, placeEvents, smooth, targetPath, type EventKind, type SceneEvent } from './motion.ts';
import { halfExtents, profileSize, shapeProfile, smoothstep, type Pose, type ShapeProfile } from './shape.ts';
import { fadePalette, lookAlike, makeTexture, randomPalette, randomSpec, type TextureSpec } from './textures.ts';

/** Objects sample a square tile of this side; features are sized relative to it. */
const OBJECT_TILE = 64;
/** The background tile exceeds the frame by this much on each side: the camera pans within it. */
export const PAN_MARGIN = 64;

/**
 * A whole sequence decided before any pixel is drawn: every attribute is a property of this
 * script (the renderer only executes it), which is what makes the attributes true by construction.
 */
export interface Scene {
  width: number;
  height: number;
  frames: number;
  attributes: Attribute[];
  events: SceneEvent[];
  background: ReturnType<typeof makeTexture>;
  panX: Float64Array;
  panY: Float64Array;
  /** Illumination: overall gain and a left-to-right slope (-tilt/2 .. +tilt/2) per frame. */
  gain: Float64Array;
  tilt: Float64Array;
  /** The target's scale per frame (1 = its first-frame size; deformation and turns aside). */
  scale: Float64Array;
  /** Exposure per frame as a fraction of the frame interval; > 0 renders motion blur. */
  shutter: Float64Array;
  /** Back to front; the target is drawn after distractors and others, occluders after it. */
  objects: SceneObject[];
  target: number;
}

function wantedEvents(rng: Rng, attrs: readonly Attribute[], T: number): { kind: EventKind; length: number }[] {
  const out: { kind: EventKind; length: number }[] = [];
  const add = (kind: EventKind, n: number, length: () => number) => {
    for (let i = 0; i < n; i++) out.push({ kind, length: length() });
  };
  const many = T >= 60 ? 2 : 1;
  if (attrs.includes('OCC')) add('occlusion', rng.int(1, many), () => Math.min(24, Math.max(8, Math.round(T * rng.uniform(0.15, 0.25)))));
  if (attrs.includes('FM')) add('fast', rng.int(1, many), () => rng.int(1, 3));
  if (attrs.includes('MB')) add('blur', rng.int(1, many), () => rng.int(3, 6));
  if (attrs.includes('OV')) add('out-of-view', 1, () => Math.min(30, Math.max(10, Math.round(T * 0.3))));
  return out;
}

/** Dims to 40–55% or brightens to 160–190% and, half the time, comes back; the light also tilts. */
function illumination(rng: Rng, iv: boolean, T: number): { gain: Float64Array; tilt: Float64Array } {
  const gain = new Float64Array(T).fill(1);
  const tilt = new Float64Array(T).fill(rng.uniform(-0.1, 0.1));
  if (!iv) return { gain, tilt };
  const target = rng.next() < 0.6 ? rng.uniform(0.4, 0.55) : rng.uniform(1.6, 1.9);
  const tiltTo = rng.uniform(-0.5, 0.5);
  const a = rng.uniform(0.1, 0.4) * T;
  const b = a + rng.uniform(0.1, 0.25) * T;
  const back = rng.next() < 0.5;
  for (let t = 0; t < T; t++) {
    const u = back ? Math.sin(Math.PI * smoothstep((t - a) / Math.max(1, 2.5 * (b - a)))) : smoothstep((t - a) / Math.max(1, b - a));
    gain[t] = 1 + (target - 1) * u;
    tilt[t] += tiltTo * u;
  }
  return { gain, tilt };
}

/** The target's shape over time, the scripted events and the path that honours them: its pose per frame. */
function targetMotion(rng: Rng, attrs: Attribute[], T: number, size: [number, number]) {
  const profile = shapeProfile(rng, attrs, T);
  const dims = Array.from({ length: T }, (_, t) => profileSize(profile, t));
  const ext = dims.map(([w, h], t) => halfExtents(w, h, profile.angle[t]));
  const maxExt = [0, 1].map((k) => Math.max(...ext.map((e) => e[k])));
  const safe = {
    lo: [maxExt[0] + 2, maxExt[1] + 2] as [number, number],
    hi: [size[0] - maxExt[0] - 2, size[1] - maxExt[1] - 2] as [number, number],
  };
  const bounds = {
    lo: (t: number, k: 0 | 1) => ext[t][k] + 2,
    hi: (t: number, k: 0 | 1) => size[k] - ext[t][k] - 2,
  };
  const events = placeEvents(rng, wantedEvents(rng, attrs, T), T);
  const path = targetPath(rng, T, bounds, safe, events, (t, k) => ext[t][k], size);
  const poses: Pose[] = dims.map(([w, h], t) => ({
    cx: path.cx[t],
    cy: path.cy[t],
    w,
    h,
    angle: profile.angle[t],
    flip: profile.flip[t] === 1,
    warp: profile.warp[t],
    warpAmp: profile.warpAmp,
  }));
  return { profile, events, path, poses };
}

const tile = (spec: TextureSpec) => makeTexture(spec, OBJECT_TILE, OBJECT_TILE);

/** The target's texture spec. */
function targetTexture(rng: Rng, hue: number, lowResolution: boolean, profile: ShapeProfile): TextureSpec {
  // Features (stripe periods, check sides, noise cells) of 6-14 px on screen at the first frame's
  // size, 5-7 px on a low-resolution target: finer ones alias and drown in JPEG's chroma
  // subsampling. The tile stretches over the object.
  const side = Math.sqrt(profile.w0 * profile.h0);
  const featurePx = lowResolution ? rng.uniform(5, 7) : rng.uniform(6, 14);
  const tileScale = (featurePx * OBJECT_TILE) / side;
  return randomSpec(rng, randomPalette(rng, hue), [tileScale, tileScale]);
}

/** Clutter: a busy background in the target's own colours; otherwise a calm one in other colours. */
function backgroundSpec(rng: Rng, clutter: boolean, targetSpec: TextureSpec, hue: number): TextureSpec {
  return clutter
    ? randomSpec(rng, fadePalette(lookAlike(targetSpec, rng).palette, 0.3), [8, 20])
    : randomSpec(
        rng,
        randomPalette(rng, hue + rng.uniform(0.3, 0.7), { vLo: 0.35, vHi: 0.7 }),
        [20, 50],
        rng.next() < 0.5 ? 'noise' : 'blobs',
      );
}

/** Objects drawn behind the target: up to two wanderers, and look-alikes orbiting it under clutter. */
function objectsBehind(
  rng: Rng,
  has: (a: Attribute) => boolean,
  motion: ReturnType<typeof targetMotion>,
  targetSpec: TextureSpec,
  hue: number,
  size: [number, number],
): SceneObject[] {
  const { profile, path, poses } = motion;
  const T = poses.length;
  const behind: SceneObject[] = [];
  for (let i = rng.int(0, 2); i > 0; i--) {
    const spec = randomSpec(rng, randomPalette(rng, hue + rng.uniform(0.25, 0.75)), [10, 24]);
    behind.push(wanderer(rng, tile(spec), T, size));
  }
  if (has('BC')) {
    const anchor = { x: smooth(path.cx, 6), y: smooth(path.cy, 6) };
    const scaled = (t: number): [number, number] => [profile.w0 * profile.scale[t], profile.h0 * profile.scale[t]];
    for (let i = rng.int(2, 3); i > 0; i--) {
      behind.push(orbitingDistractor(rng, tile(lookAlike(targetSpec, rng)), poses, anchor, has('IPR'), scaled));
    }
  }
  return behind;
}

export function buildScene(seed: number, attributes: readonly Attribute[], frames: number, width: number, height: number): Scene {
  const rng = new Rng(seed);
  const attrs = [...attributes];
  const has = (a: Attribute) => attrs.includes(a);
  const T = frames;
  const size: [number, number] = [width, height];

  const motion = targetMotion(rng, attrs, T, size);
  const { profile, events, path, poses: targetPoses } = motion;
  const hue = rng.next();
  const targetSpec = targetTexture(rng, hue, has('LR'), profile);
  const target: SceneObject = { role: 'target', texture: tile(targetSpec), poses: targetPoses, present: new Uint8Array(T).fill(1) };
  const background = makeTexture(backgroundSpec(rng, has('BC'), targetSpec, hue), width + 2 * PAN_MARGIN, height + 2 * PAN_MARGIN);
  const behind = objectsBehind(rng, has, motion, targetSpec, hue, size);
  const front: SceneObject[] = events
    .filter((e) => e.kind === 'occlusion')
    .map((e) => {
      const spec = randomSpec(rng, randomPalette(rng, hue + rng.uniform(0.3, 0.7)), [8, 20]);
      return sweepingOccluder(rng, tile(spec), targetPoses, e, rng.next() < 0.4);
    });

  const { gain, tilt } = illumination(rng, has('IV'), T);
  const shake = rng.next() < 0.5 ? events.filter((e) => e.kind === 'blur') : [];
  const pan = cameraPan(rng, T, PAN_MARGIN, rng.next() < 0.4, shake);
  return {
    width,
    height,
    frames: T,
    attributes: attrs,
    events,
    background,
    panX: pan.x,
    panY: pan.y,
    gain,
    tilt,
    scale: profile.scale,
    shutter: path.shutter,
    objects: [...behind, target, ...front],
    target: behind.length,
  };
}
