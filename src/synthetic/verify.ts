import { otbRow, type FrameTruth } from './annotations.ts';
import type { Attribute } from './attributes.ts';
import type { Scene } from './scene.ts';
import { SV_FACTOR } from './shape.ts';

/** Thresholds an attribute is checked against (the OTB definitions where OTB gives one). */
const ATTRIBUTE_LIMITS = {
  /** FM: ground-truth centre moves more than this many pixels between frames (OTB: 20). */
  fastPx: 20,
  /** LR: the target's full box covers fewer pixels than this (OTB: 400). */
  lowResPx: 400,
  /** SV: the target's area (at its scale, before any turn) changes by at least this factor. */
  scaleArea: (SV_FACTOR[0] - 0.1) ** 2,
  /** IV: the light's gain changes by at least this factor. */
  lightRatio: 1.5,
  /** IPR: the rectangle turns by at least this many radians. */
  rotation: 1,
  /** BC: a look-alike comes within this many target diagonals of the target's centre. */
  nearDiagonals: 1,
};

const centre = (b: number[]) => [b[0] + b[2] / 2, b[1] + b[3] / 2];

/**
 * What the rendered sequence shows, attribute by attribute, compared with what its script claims:
 * every claimed attribute must be visible in the frames and every unclaimed one absent. Returns
 * the mismatches (empty when the sequence is true to its attributes). A mismatch is a generator
 * bug, never a user error.
 */
export function attributeMismatches(scene: Scene, truth: FrameTruth[]): string[] {
  const claimed = new Set(scene.attributes);
  const T = truth.length;
  const pose = scene.objects[scene.target].poses;
  const seen = new Map<Attribute, boolean>();
  const rows = truth.map((f) => otbRow(f.clipped));
  let maxStep = 0;
  for (let t = 1; t < T; t++) {
    const [ax, ay] = centre(rows[t - 1]);
    const [bx, by] = centre(rows[t]);
    maxStep = Math.max(maxStep, Math.hypot(bx - ax, by - ay));
  }
  // Scale, not area: an out-of-plane turn narrows the rectangle too, and that is OPR, not SV.
  const areas = Array.from(scene.scale, (s) => s * s);
  const gains = Array.from(scene.gain);
  const angles = pose.map((p) => p.angle);
  const near = scene.objects.some(
    (o) =>
      o.role === 'distractor' &&
      o.poses.some((p, t) => {
        const q = pose[t];
        return Math.hypot(p.cx - q.cx, p.cy - q.cy) < ATTRIBUTE_LIMITS.nearDiagonals * Math.hypot(q.w, q.h);
      }),
  );
  seen.set(
    'OCC',
    truth.some((f) => f.occluded > 0),
  );
  seen.set(
    'OV',
    truth.some((f) => f.clipped[2] < f.box[2] - 1e-9 || f.clipped[3] < f.box[3] - 1e-9),
  );
  seen.set('FM', maxStep > ATTRIBUTE_LIMITS.fastPx);
  seen.set(
    'LR',
    truth.every((f) => f.box[2] * f.box[3] < ATTRIBUTE_LIMITS.lowResPx),
  );
  seen.set('SV', Math.max(...areas) / Math.min(...areas) >= ATTRIBUTE_LIMITS.scaleArea);
  seen.set('IV', Math.max(...gains) / Math.min(...gains) >= ATTRIBUTE_LIMITS.lightRatio);
  seen.set('IPR', Math.max(...angles) - Math.min(...angles) >= ATTRIBUTE_LIMITS.rotation);
  seen.set(
    'MB',
    scene.shutter.some((s) => s > 0),
  );
  seen.set(
    'OPR',
    pose.some((p) => p.flip),
  );
  seen.set(
    'DEF',
    pose.some((p) => p.warpAmp > 0),
  );
  seen.set('BC', near);
  const out: string[] = [];
  for (const [a, shows] of seen) {
    if (claimed.has(a) && !shows) out.push(`${a} claimed but not shown`);
    if (!claimed.has(a) && shows) out.push(`${a} shown but not claimed`);
  }
  if (truth[0].visible < 1) out.push(`the first frame shows ${(truth[0].visible * 100).toFixed(0)}% of the target`);
  return out;
}
