/**
 * The OTB benchmark definition (Wu, Lim, Yang: CVPR 2013 and TPAMI 2015), built in so that a user
 * needs nothing but their annotation files: which targets belong to which set, and the TB-100
 * attribute labels of each target.
 */

/** The 11 attribute codes in the order the benchmark papers list them. */
export const ATTRIBUTES = ['IV', 'SV', 'OCC', 'DEF', 'MB', 'FM', 'IPR', 'OPR', 'OV', 'BC', 'LR'] as const;

export const ATTRIBUTE_NAMES: Record<string, string> = {
  IV: 'Illumination Variation',
  SV: 'Scale Variation',
  OCC: 'Occlusion',
  DEF: 'Deformation',
  MB: 'Motion Blur',
  FM: 'Fast Motion',
  IPR: 'In-Plane Rotation',
  OPR: 'Out-of-Plane Rotation',
  OV: 'Out-of-View',
  BC: 'Background Clutters',
  LR: 'Low Resolution',
};

/** The order of the 11 flags in the toolkit's `anno/att/<seq>.txt` (not the papers' order). */
export const TOOLKIT_ATT_ORDER = ['IV', 'OPR', 'SV', 'OCC', 'DEF', 'MB', 'FM', 'IPR', 'OV', 'BC', 'LR'] as const;

// `name|sets|attributes`: sets holds C for OTB-2013 (CVPR13) and H for TB-50 (the hard half of
// TB-100); every entry is in TB-100. Attributes: TB-100 (TPAMI15) labelling.
const TB100 = [
  'Basketball|CH|IV OCC DEF OPR BC',
  'Biker|-H|SV OCC MB FM OPR OV LR',
  'Bird1|-H|DEF FM OV',
  'Bird2|--|OCC DEF FM IPR OPR',
  'BlurBody|-H|SV DEF MB FM IPR',
  'BlurCar1|--|MB FM',
  'BlurCar2|-H|SV MB FM',
  'BlurCar3|--|MB FM',
  'BlurCar4|--|MB FM',
  'BlurFace|-H|MB FM IPR',
  'BlurOwl|-H|SV MB FM IPR',
  'Board|--|SV MB FM OPR OV BC',
  'Bolt|CH|OCC DEF IPR OPR',
  'Bolt2|--|DEF BC',
  'Box|-H|IV SV OCC MB IPR OPR OV BC LR',
  'Boy|C-|SV MB FM IPR OPR',
  'Car1|-H|IV SV MB FM BC LR',
  'Car2|--|IV SV MB FM BC',
  'Car24|--|IV SV BC',
  'Car4|CH|IV SV',
  'CarDark|CH|IV BC',
  'CarScale|CH|SV OCC FM IPR OPR',
  'ClifBar|-H|SV OCC MB FM IPR OV BC',
  'Coke|C-|IV OCC FM IPR OPR BC',
  'Couple|CH|SV DEF FM OPR BC',
  'Coupon|--|OCC BC',
  'Crossing|C-|SV DEF FM OPR BC',
  'Crowds|-H|IV DEF BC',
  'Dancer|--|SV DEF IPR OPR',
  'Dancer2|--|DEF',
  'David|CH|IV SV OCC DEF MB IPR OPR',
  'David2|C-|IPR OPR',
  'David3|C-|OCC DEF OPR BC',
  'Deer|CH|MB FM IPR BC LR',
  'Diving|-H|SV DEF IPR',
  'Dog|--|SV DEF OPR',
  'Dog1|C-|SV IPR OPR',
  'Doll|C-|IV SV OCC IPR OPR',
  'DragonBaby|-H|SV OCC MB FM IPR OPR OV',
  'Dudek|CH|SV OCC DEF FM IPR OPR OV BC',
  'FaceOcc1|C-|OCC',
  'FaceOcc2|C-|IV OCC IPR OPR',
  'Fish|C-|IV',
  'FleetFace|C-|SV DEF MB FM IPR OPR',
  'Football|CH|OCC IPR OPR BC',
  'Football1|C-|IPR OPR BC',
  'Freeman1|C-|SV IPR OPR',
  'Freeman3|C-|SV IPR OPR',
  'Freeman4|CH|SV OCC IPR OPR',
  'Girl|CH|SV OCC IPR OPR',
  'Girl2|--|SV OCC DEF MB OPR',
  'Gym|--|SV DEF IPR OPR',
  'Human2|--|IV SV MB OPR',
  'Human3|-H|SV OCC DEF OPR BC',
  'Human4-2|-H|IV SV OCC DEF',
  'Human5|--|SV OCC DEF',
  'Human6|-H|SV OCC DEF FM OPR OV',
  'Human7|--|IV SV OCC DEF MB FM',
  'Human8|--|IV SV DEF',
  'Human9|-H|IV SV DEF MB FM',
  'Ironman|CH|IV SV OCC MB FM IPR OPR OV BC LR',
  'Jogging-1|C-|OCC DEF OPR',
  'Jogging-2|C-|OCC DEF OPR',
  'Jump|-H|SV OCC DEF MB FM IPR OPR',
  'Jumping|CH|MB FM',
  'KiteSurf|--|IV OCC IPR OPR',
  'Lemming|C-|IV SV OCC FM OPR OV',
  'Liquor|CH|IV SV OCC MB FM OPR OV BC',
  'Man|--|IV',
  'Matrix|CH|IV SV OCC FM IPR OPR BC',
  'Mhyang|C-|IV DEF OPR BC',
  'MotorRolling|CH|IV SV MB FM IPR BC LR',
  'MountainBike|C-|IPR OPR BC',
  'Panda|-H|SV OCC DEF IPR OPR OV LR',
  'RedTeam|-H|SV OCC IPR OPR LR',
  'Rubik|--|SV OCC IPR OPR',
  'Shaking|CH|IV SV IPR OPR BC',
  'Singer1|C-|IV SV OCC OPR',
  'Singer2|CH|IV DEF IPR OPR BC',
  'Skater|--|SV DEF IPR OPR',
  'Skater2|--|SV DEF FM IPR OPR',
  'Skating1|CH|IV SV OCC DEF OPR BC',
  'Skating2-1|-H|SV OCC DEF FM OPR',
  'Skating2-2|-H|SV OCC DEF FM OPR',
  'Skiing|CH|IV SV DEF IPR OPR',
  'Soccer|CH|IV SV OCC MB FM IPR OPR BC',
  'Subway|C-|OCC DEF BC',
  'Surfer|-H|SV FM IPR OPR LR',
  'Suv|C-|OCC IPR OV',
  'Sylvester|CH|IV IPR OPR',
  'Tiger1|C-|IV OCC DEF MB FM IPR OPR',
  'Tiger2|CH|IV OCC DEF MB FM IPR OPR OV',
  'Toy|--|SV FM IPR OPR',
  'Trans|--|IV SV OCC DEF',
  'Trellis|CH|IV SV IPR OPR BC',
  'Twinnings|--|SV OPR',
  'Vase|--|SV FM IPR',
  'Walking|CH|SV OCC DEF',
  'Walking2|CH|SV OCC LR',
  'Woman|CH|IV SV OCC DEF MB FM OPR',
];

export interface OtbTargetInfo {
  /** Canonical (OTB toolkit) spelling. */
  name: string;
  /** Folder of the raw download that holds the images. */
  sequence: string;
  /** Ground-truth file of the raw download: groundtruth_rect.txt, or .1.txt / .2.txt for two-target folders. */
  gtFile: string;
  attributes: string[];
  inOtb2013: boolean;
  inTb50: boolean;
}

export const TARGETS: readonly OtbTargetInfo[] = TB100.map((row) => {
  const [name, sets, attrs] = row.split('|');
  // Jogging-1 lives in Jogging/ as groundtruth_rect.1.txt; Human4-2 in Human4/ as .2 (its .1 is empty).
  const m = /^(.+)-(\d)$/.exec(name);
  return {
    name,
    sequence: m ? m[1] : name,
    gtFile: m ? `groundtruth_rect.${m[2]}.txt` : 'groundtruth_rect.txt',
    attributes: attrs.split(' '),
    inOtb2013: sets.includes('C'),
    inTb50: sets.includes('H'),
  };
});

export const TARGET_INFO: ReadonlyMap<string, OtbTargetInfo> = new Map(TARGETS.map((t) => [t.name, t]));

/** The benchmark sets by the names users pass; `synthetic` is not here: it takes whatever the root holds. */
export const OTB_SETS: Record<string, readonly string[]> = {
  OTB2013: TARGETS.filter((t) => t.inOtb2013).map((t) => t.name),
  OTB50: TARGETS.filter((t) => t.inTb50).map((t) => t.name),
  OTB100: TARGETS.map((t) => t.name),
};

/** Attribute code from a code or a full name as pysot's JSON writes it ('Out-of-Plane Rotation'). */
export function attributeCode(label: string): string | undefined {
  const s = label.trim();
  const up = s.toUpperCase();
  if ((ATTRIBUTES as readonly string[]).includes(up)) return up;
  const key = s.toLowerCase().replace(/[^a-z]/g, '');
  for (const [code, full] of Object.entries(ATTRIBUTE_NAMES)) {
    const k = full.toLowerCase().replace(/[^a-z]/g, '');
    // 'Background Clutter' and 'Background Clutters' both occur.
    if (key === k || key === k.replace(/s$/, '')) return code;
  }
  return undefined;
}
