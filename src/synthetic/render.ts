import type { SceneObject } from './actors.ts';
import { PAN_MARGIN, type Scene } from './scene.ts';
import { halfExtents, type Pose } from './shape.ts';
import type { Texture } from './textures.ts';

/** Time samples across the exposure of a blurred frame. */
const BLUR_SAMPLES = 9;

export interface Rendered {
  /** Interleaved RGB, width x height x 3. */
  rgb: Uint8Array;
  /** Target pixels (pixel centres inside its rectangle) in the unbounded plane, inside the image, and visible in front. */
  total: number;
  inImage: number;
  visible: number;
  /** 1 where the target is visible (in front, at the frame's instant), width x height: its exact mask. */
  targetMask: Uint8Array;
}

export interface RenderOptions {
  /** Leave out this object (tests compare a frame with and without the target). */
  hide?: number;
  /** Ignore the exposure: render the frame's instant only. */
  sharp?: boolean;
}

function lerp(a: number, b: number, u: number): number {
  return a + (b - a) * u;
}

/** Pose at fractional frame time tf (between frames, for the samples of a blurred exposure). */
function poseAt(poses: Pose[], tf: number): Pose {
  const t = Math.min(poses.length - 1, Math.max(0, tf));
  const i = Math.min(poses.length - 2, Math.floor(t));
  if (i < 0) return poses[0];
  const a = poses[i];
  const b = poses[i + 1];
  const u = t - i;
  return {
    cx: lerp(a.cx, b.cx, u),
    cy: lerp(a.cy, b.cy, u),
    w: lerp(a.w, b.w, u),
    h: lerp(a.h, b.h, u),
    angle: lerp(a.angle, b.angle, u),
    flip: u < 0.5 ? a.flip : b.flip,
    warp: lerp(a.warp, b.warp, u),
    warpAmp: a.warpAmp,
  };
}

function valueAt(xs: Float64Array, tf: number): number {
  const t = Math.min(xs.length - 1, Math.max(0, tf));
  const i = Math.min(xs.length - 2, Math.floor(t));
  return i < 0 ? xs[0] : lerp(xs[i], xs[i + 1], t - i);
}

/** The background tile shifted by the pan; the sub-pixel part blends four taps with fixed weights. */
function drawBackground(buf: Float32Array, W: number, H: number, bg: Texture, panX: number, panY: number): void {
  const sx = PAN_MARGIN + panX;
  const sy = PAN_MARGIN + panY;
  const ix = Math.floor(sx);
  const iy = Math.floor(sy);
  const fx = sx - ix;
  const fy = sy - iy;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const d = bg.data;
  const row = bg.width * 3;
  if (fx === 0 && fy === 0) {
    // A still camera sits on whole pixels: plain row copies.
    for (let y = 0; y < H; y++) {
      const s = ((iy + y) * bg.width + ix) * 3;
      buf.set(d.subarray(s, s + W * 3), y * W * 3);
    }
    return;
  }
  for (let y = 0; y < H; y++) {
    let s = ((iy + y) * bg.width + ix) * 3;
    let o = y * W * 3;
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++, s++, o++) buf[o] = w00 * d[s] + w10 * d[s + 3] + w01 * d[s + row] + w11 * d[s + row + 3];
    }
  }
}

/**
 * Draws one rotated, textured rectangle: a pixel belongs to it when its centre lies inside. The
 * texture is carried by the object (it rotates, scales, mirrors and warps with it). Returns the
 * pixel counts the visibility of the target is computed from.
 */
function drawObject(
  buf: Float32Array,
  ids: Uint8Array,
  id: number,
  tex: Texture,
  p: Pose,
  W: number,
  H: number,
): { total: number; inImage: number } {
  const [ex, ey] = halfExtents(p.w, p.h, p.angle);
  const c = Math.cos(p.angle);
  const s = Math.sin(p.angle);
  const hw = p.w / 2;
  const hh = p.h / 2;
  const tw = tex.width - 1;
  const th = tex.height - 1;
  const shade = p.flip ? 0.8 : 1;
  const d = tex.data;
  let total = 0;
  let inImage = 0;
  for (let y = Math.floor(p.cy - ey); y <= Math.ceil(p.cy + ey); y++) {
    const dy = y + 0.5 - p.cy;
    for (let x = Math.floor(p.cx - ex); x <= Math.ceil(p.cx + ex); x++) {
      const dx = x + 0.5 - p.cx;
      const u = dx * c + dy * s;
      const v = -dx * s + dy * c;
      if (u < -hw || u >= hw || v < -hh || v >= hh) continue;
      total++;
      if (x < 0 || x >= W || y < 0 || y >= H) continue;
      inImage++;
      let tu = u / p.w + 0.5;
      let tv = v / p.h + 0.5;
      if (p.flip) tu = 1 - tu;
      if (p.warpAmp > 0) {
        const wu = tu + p.warpAmp * Math.sin(3 * Math.PI * tv + p.warp);
        tv = Math.min(1, Math.max(0, tv + p.warpAmp * Math.sin(3 * Math.PI * tu + 0.7 * p.warp)));
        tu = Math.min(1, Math.max(0, wu));
      }
      const fx = tu * tw;
      const fy = tv * th;
      const ix = Math.min(tw - 1, Math.floor(fx));
      const iy = Math.min(th - 1, Math.floor(fy));
      const ax = fx - ix;
      const ay = fy - iy;
      const i0 = (iy * tex.width + ix) * 3;
      const i1 = i0 + tex.width * 3;
      const o = (y * W + x) * 3;
      for (let k = 0; k < 3; k++) {
        const top = d[i0 + k] + (d[i0 + 3 + k] - d[i0 + k]) * ax;
        const bottom = d[i1 + k] + (d[i1 + 3 + k] - d[i1 + k]) * ax;
        buf[o + k] = (top + (bottom - top) * ay) * shade;
      }
      ids[y * W + x] = id;
    }
  }
  return { total, inImage };
}

function presentAt(o: SceneObject, tf: number): boolean {
  return o.present[Math.min(o.present.length - 1, Math.max(0, Math.round(tf)))] === 1;
}

/** One instant of the scene (no illumination yet) into buf; counts for the target. */
function drawInstant(scene: Scene, tf: number, buf: Float32Array, ids: Uint8Array, hide: number | undefined) {
  const { width: W, height: H } = scene;
  ids.fill(0);
  drawBackground(buf, W, H, scene.background, valueAt(scene.panX, tf), valueAt(scene.panY, tf));
  let counts = { total: 0, inImage: 0 };
  scene.objects.forEach((o, i) => {
    if (i === hide || !presentAt(o, tf)) return;
    const c = drawObject(buf, ids, i + 1, o.texture, poseAt(o.poses, tf), W, H);
    if (i === scene.target) counts = c;
  });
  return counts;
}

/**
 * Renders frame t: a sharp frame is one instant; a frame with exposure averages BLUR_SAMPLES
 * instants spread over [t - shutter/2, t + shutter/2] (true motion blur of whatever moves, the
 * background included when the camera shakes). The ground truth is the pose at t, the middle of
 * the exposure. Illumination multiplies the result.
 */
export function renderFrame(scene: Scene, t: number, opts: RenderOptions = {}): Rendered {
  const { width: W, height: H } = scene;
  const n = W * H * 3;
  const acc = new Float32Array(n);
  const ids = new Uint8Array(W * H);
  const shutter = opts.sharp ? 0 : scene.shutter[t];
  const samples = shutter > 0 ? BLUR_SAMPLES : 1;
  let counts = { total: 0, inImage: 0 };
  let visible = 0;
  const targetMask = new Uint8Array(W * H);
  const scratch = samples > 1 ? new Float32Array(n) : acc;
  for (let k = 0; k < samples; k++) {
    const offset = samples > 1 ? shutter * (k / (samples - 1) - 0.5) : 0;
    const c = drawInstant(scene, t + offset, scratch, ids, opts.hide);
    if (offset === 0) {
      counts = c;
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] !== scene.target + 1) continue;
        visible++;
        targetMask[i] = 1;
      }
    }
    if (samples > 1) for (let i = 0; i < n; i++) acc[i] += scratch[i];
  }
  // Clamped stores round to nearest and saturate: the illumination can push values past 255.
  const rgb = new Uint8ClampedArray(n);
  const gain = scene.gain[t];
  const tilt = scene.tilt[t];
  const light = Float32Array.from({ length: W }, (_, x) => (gain * (1 + tilt * ((x + 0.5) / W - 0.5))) / samples);
  for (let y = 0, o = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const f = light[x];
      for (let k = 0; k < 3; k++, o++) rgb[o] = acc[o] * f;
    }
  }
  return { rgb: new Uint8Array(rgb.buffer), total: counts.total, inImage: counts.inImage, visible, targetMask };
}
