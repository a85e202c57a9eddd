import { type ToolkitBox, toolkitBox } from '../../../core/types.ts';

/** OTB's experiments: one pass, 20 temporal segments (TRE), 12 perturbed first boxes (SRE). */
export type OtbExperiment = 'ope' | 'tre' | 'sre';

export const TRE_SEGMENTS = 20;
/** A TRE segment is never shorter than this many frames (splitSeqTRE's minNum). */
const TRE_MIN_FRAMES = 20;

/**
 * The OTB-100 toolkit's `initOmit/` ranges (image numbers): frames where the target is occluded or
 * out of view, where no TRE segment may start (Tiger1's first range is why OPE starts at image 6).
 * Built in, as the frame ranges are, because users' roots (pysot's JSON, the raw download) lack them.
 */
export const INIT_OMIT: Readonly<Record<string, readonly [number, number][]>> = {
  RedTeam: [[1521, 1527]],
  Basketball: [
    [8, 27],
    [619, 628],
    [639, 659],
  ],
  CarScale: [
    [155, 177],
    [202, 225],
  ],
  Coke: [
    [7, 44],
    [71, 78],
    [162, 167],
    [183, 192],
    [197, 201],
    [219, 227],
    [250, 275],
  ],
  David3: [
    [22, 31],
    [78, 91],
    [179, 193],
    [236, 244],
  ],
  Doll: [
    [2552, 2573],
    [2632, 2643],
    [3714, 3771],
  ],
  Dudek: [
    [204, 218],
    [357, 372],
    [971, 988],
    [1090, 1116],
  ],
  FaceOcc1: [
    [23, 75],
    [81, 148],
    [168, 239],
    [272, 325],
    [349, 411],
    [437, 593],
    [613, 783],
    [814, 892],
  ],
  FaceOcc2: [
    [79, 90],
    [128, 185],
    [247, 278],
    [391, 520],
    [681, 740],
  ],
  Football: [
    [58, 65],
    [76, 84],
    [279, 305],
    [319, 362],
  ],
  Freeman4: [
    [7, 8],
    [16, 17],
    [25, 26],
    [34, 38],
    [42, 51],
    [61, 74],
    [81, 82],
    [102, 103],
    [116, 117],
    [126, 130],
    [142, 148],
    [156, 168],
    [181, 181],
    [184, 188],
    [205, 207],
    [239, 256],
    [268, 297],
  ],
  Girl: [
    [421, 443],
    [451, 469],
  ],
  Ironman: [
    [102, 114],
    [144, 145],
    [156, 164],
  ],
  'Jogging-1': [[61, 83]],
  'Jogging-2': [[40, 63]],
  Lemming: [
    [299, 379],
    [427, 460],
    [552, 560],
  ],
  Liquor: [
    [383, 410],
    [502, 510],
    [604, 608],
    [723, 735],
    [768, 779],
    [1181, 1187],
    [1236, 1238],
    [1286, 1289],
    [1318, 1321],
    [1351, 1358],
    [1502, 1507],
    [1515, 1521],
    [1606, 1609],
  ],
  Matrix: [[36, 40]],
  Skating1: [[154, 189]],
  Soccer: [
    [93, 231],
    [350, 392],
  ],
  Subway: [
    [37, 45],
    [52, 59],
    [92, 101],
  ],
  Suv: [
    [28, 58],
    [189, 241],
    [506, 572],
    [669, 693],
    [768, 792],
  ],
  Tiger1: [
    [1, 5],
    [9, 15],
    [18, 29],
    [40, 46],
    [56, 66],
    [100, 113],
    [119, 128],
    [134, 155],
    [167, 186],
    [203, 218],
    [226, 241],
    [248, 255],
    [288, 314],
    [318, 322],
    [332, 354],
  ],
  Tiger2: [
    [72, 76],
    [80, 118],
    [124, 153],
    [165, 190],
    [196, 203],
    [207, 225],
    [233, 276],
    [285, 321],
    [325, 340],
    [346, 365],
  ],
  Walking: [[81, 94]],
  Walking2: [
    [188, 233],
    [370, 378],
  ],
  Woman: [
    [106, 172],
    [189, 247],
    [262, 334],
    [356, 413],
    [457, 525],
    [544, 597],
  ],
};

/**
 * First image of each TRE segment, as the toolkit's splitSeqTRE: the candidate frames are those
 * outside the initOmit ranges whose ground truth is valid (x, y, w, h > 0, no NaN) and that leave at
 * least 20 frames to the end; segment k starts at candidate floor(1 + k * last / 19) for k = 0..18
 * (MATLAB's `floor(1 : last/19 : last)`), segment 20 at the last candidate. With fewer than 20
 * candidates the colon yields fewer values, so fewer segments, as in the toolkit. Empty when no
 * frame qualifies (a sequence shorter than 20 frames).
 */
export function treStarts(name: string, frames: readonly number[], gt: readonly ToolkitBox[]): number[] {
  const omit = INIT_OMIT[name] ?? [];
  const last = frames[Math.min(frames.length, gt.length) - 1];
  const valid: number[] = [];
  for (let r = 0; r < Math.min(frames.length, gt.length); r++) {
    const f = frames[r];
    const [x, y, w, h] = gt[r];
    if (omit.some(([a, b]) => f >= a && f <= b)) continue;
    if (!(x > 0 && y > 0 && w > 0 && h > 0)) continue;
    valid.push(f);
  }
  let end = valid.length;
  while (end > 0 && last - valid[end - 1] + 1 < TRE_MIN_FRAMES) end--;
  if (end === 0) return [];
  const step = end / (TRE_SEGMENTS - 1);
  const picks: number[] = [];
  // MATLAB's colon stops at the last value within a rounding tolerance of the end point.
  for (let k = 0; 1 + k * step <= end + 1e-10 * end; k++) picks.push(Math.floor(1 + k * step));
  picks.push(end);
  return picks.map((i) => valid[i - 1]);
}

/** The 12 perturbations of SRE, in the toolkit's order (shiftTypeSet). */
export const SRE_SHIFTS = [
  'left',
  'right',
  'up',
  'down',
  'topLeft',
  'topRight',
  'bottomLeft',
  'bottomRight',
  'scale_8',
  'scale_9',
  'scale_11',
  'scale_12',
] as const;
export type SreShift = (typeof SRE_SHIFTS)[number];

/** MATLAB's round: halves away from zero (Math.round takes -2.5 to -2). */
const mround = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/**
 * The toolkit's shiftInitBB: the first box moved by 10% of its size (centre shifts keep the size,
 * corner shifts move one corner and keep the opposite one) or scaled about x + w/2 by 0.8..1.2,
 * rounded as MATLAB rounds, then clamped to the image (1-based, imgW x imgH).
 */
export function shiftInitBox(box: ToolkitBox, shift: SreShift, imgW: number, imgH: number): ToolkitBox {
  let [x, y, w, h] = box;
  const cx = x + w / 2;
  const cy = y + h / 2;
  let bx = x + w - 1;
  let by = y + h - 1;
  const scale = /^scale_(\d+)$/.exec(shift);
  if (scale) {
    const ratio = Number(scale[1]) / 10;
    const sw = ratio * w;
    const sh = ratio * h;
    [x, y, w, h] = [cx - sw / 2, cy - sh / 2, sw, sh].map(mround);
  } else if (shift === 'left') x -= Math.ceil(0.1 * w);
  else if (shift === 'right') x += Math.ceil(0.1 * w);
  else if (shift === 'up') y -= Math.ceil(0.1 * h);
  else if (shift === 'down') y += Math.ceil(0.1 * h);
  else {
    if (shift === 'topLeft' || shift === 'bottomLeft') x = mround(x - 0.1 * w);
    if (shift === 'topLeft' || shift === 'topRight') y = mround(y - 0.1 * h);
    if (shift === 'topRight' || shift === 'bottomRight') bx = mround(bx + 0.1 * w);
    if (shift === 'bottomLeft' || shift === 'bottomRight') by = mround(by + 0.1 * h);
    w = bx - x + 1;
    h = by - y + 1;
  }
  if (x < 1) x = 1;
  if (y < 1) y = 1;
  if (x + w - 1 > imgW) w = imgW - x + 1;
  if (y + h - 1 > imgH) h = imgH - y + 1;
  return toolkitBox([x, y, w, h]);
}
