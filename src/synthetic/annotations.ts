import { type ImageBox, imageBox, imageToToolkit, type Polygon, type ToolkitBox } from '../core/types.ts';
import type { Rendered } from './render.ts';
import type { Scene } from './scene.ts';
import { corners, poseBox, visibleBox } from './shape.ts';

/** What the annotation files say about one frame, from the script (pose) and the render (pixels). */
export interface FrameTruth {
  /** Axis-aligned image box of the whole target (0-based continuous), not clipped to the image. */
  box: ImageBox;
  /** ImageBox of the part of the target inside the image (occluders aside): the OTB and GOT-10k box. */
  clipped: ImageBox;
  /** The target's rotated rectangle, VOT polygon order (see `corners`). */
  polygon: Polygon;
  /** Fraction of the target's pixels that are visible: inside the image and not hidden by an occluder. */
  visible: number;
  /** Fraction of the target's in-image pixels hidden by something in front of it. */
  occluded: number;
  /** Target area (w x h of the rectangle). */
  area: number;
}

export const VOT_TAGS = ['camera_motion', 'illum_change', 'motion_change', 'size_change', 'occlusion'] as const;
export type VotTag = (typeof VOT_TAGS)[number];

/** Per-frame tag thresholds: the smallest change that sets a VOT tag. */
const TAG_LIMITS = { panPx: 0.5, gain: 0.005, accelPx: 2, sizeRatio: 0.01, occluded: 0.05 };

export function frameTruth(scene: Scene, t: number, r: Rendered): FrameTruth {
  const pose = scene.objects[scene.target].poses[t];
  const polygon = corners(pose);
  return {
    box: poseBox(pose),
    clipped: visibleBox(polygon, scene.width, scene.height),
    polygon,
    visible: r.total > 0 ? r.visible / r.total : 0,
    occluded: r.inImage > 0 ? (r.inImage - r.visible) / r.inImage : 0,
    area: pose.w * pose.h,
  };
}

/**
 * VOT's per-frame tags, read off the script: the first frame takes the second frame's value for
 * the tags that compare consecutive frames.
 */
export function votTags(scene: Scene, truth: FrameTruth[]): Record<VotTag, Uint8Array> {
  const T = truth.length;
  const poses = scene.objects[scene.target].poses;
  const changed = (f: (t: number) => boolean) => {
    const out = new Uint8Array(T);
    for (let t = 1; t < T; t++) out[t] = f(t) ? 1 : 0;
    if (T > 1) out[0] = out[1];
    return out;
  };
  const vel = (t: number) => [poses[t].cx - poses[t - 1].cx, poses[t].cy - poses[t - 1].cy];
  return {
    camera_motion: changed((t) => Math.hypot(scene.panX[t] - scene.panX[t - 1], scene.panY[t] - scene.panY[t - 1]) > TAG_LIMITS.panPx),
    illum_change: changed(
      (t) => Math.abs(scene.gain[t] - scene.gain[t - 1]) > TAG_LIMITS.gain || Math.abs(scene.tilt[t] - scene.tilt[t - 1]) > TAG_LIMITS.gain,
    ),
    motion_change: changed((t) => {
      const a = vel(t);
      const b = t > 1 ? vel(t - 1) : [0, 0];
      return Math.hypot(a[0] - b[0], a[1] - b[1]) > TAG_LIMITS.accelPx;
    }),
    size_change: changed((t) => Math.abs(truth[t].area / truth[t - 1].area - 1) > TAG_LIMITS.sizeRatio),
    occlusion: Uint8Array.from(truth, (f) => (f.occluded > TAG_LIMITS.occluded ? 1 : 0)),
  };
}

/** GOT-10k cover level: visible eighths, 0 only when nothing of the target shows. */
export function coverLevel(visible: number): number {
  if (visible < 0.005) return 0;
  return Math.max(1, Math.min(8, Math.round(visible * 8)));
}

/**
 * OTB row: the clipped box snapped to whole pixels (edges rounded, so the centre stays where it
 * is), then 1-based as OTB files are.
 */
export function otbRow(clipped: ImageBox): ToolkitBox {
  const x0 = Math.round(clipped[0]);
  const y0 = Math.round(clipped[1]);
  const x1 = Math.max(x0 + 1, Math.round(clipped[0] + clipped[2]));
  const y1 = Math.max(y0 + 1, Math.round(clipped[1] + clipped[3]));
  return imageToToolkit(imageBox([x0, y0, x1 - x0, y1 - y0]));
}

const fixed = (v: number, digits: number) => {
  const s = v.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
};

export function otbGroundTruth(truth: FrameTruth[]): string {
  return truth.map((f) => otbRow(f.clipped).join(',')).join('\n') + '\n';
}

export function got10kGroundTruth(truth: FrameTruth[]): string {
  return truth.map((f) => f.clipped.map((v) => fixed(v, 4)).join(',')).join('\n') + '\n';
}

export function votGroundTruth(truth: FrameTruth[]): string {
  return truth.map((f) => f.polygon.map((v) => fixed(v, 3)).join(',')).join('\n') + '\n';
}

export function flagLines(flags: ArrayLike<number>): string {
  return Array.from(flags).join('\n') + '\n';
}
