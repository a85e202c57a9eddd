/**
 * The one-pass benchmarks whose toolkits are copies of the OTB toolkit (issue 28): which sequences
 * each holds, their frame ranges where the annotation file does not start at image 1, and the order
 * of the attribute flags in each toolkit's `att/` files. Built in because the ranges live in the
 * toolkits' configSeqs.m, not in the downloads.
 */

// `name start end start10 end10 [folder]`: UAV123 targets cut from one image folder (bird1_1..3 from
// bird1) by their 30 fps image range, and the same targets' range in UAV123@10fps (image k of a
// 10 fps folder is 30 fps image 3k-2). The folder is the name without its `_<n>` part unless given.
const UAV123_RANGES = [
  'bike1 1 3085 1 1029, bike2 1 553 1 185, bike3 1 433 1 145, bird1_1 1 253 1 85',
  'bird1_2 775 1477 259 493, bird1_3 1573 2437 525 813, boat1 1 901 1 301, boat2 1 799 1 267',
  'boat3 1 901 1 301, boat4 1 553 1 185, boat5 1 505 1 169, boat6 1 805 1 269',
  'boat7 1 535 1 179, boat8 1 685 1 229, boat9 1 1399 1 467, building1 1 469 1 157',
  'building2 1 577 1 193, building3 1 829 1 277, building4 1 787 1 263, building5 1 481 1 161',
  'car1_1 1 751 1 251, car1_2 751 1627 251 543, car1_3 1627 2629 543 877, car2 1 1321 1 441',
  'car3 1 1717 1 573, car4 1 1345 1 449, car5 1 745 1 249, car6_1 1 487 1 163',
  'car6_2 487 1807 163 603, car6_3 1807 2953 603 985, car6_4 2953 3925 985 1309, car6_5 3925 4861 1309 1621',
  'car7 1 1033 1 345, car8_1 1 1357 1 453, car8_2 1357 2575 453 859, car9 1 1879 1 627',
  'car10 1 1405 1 469, car11 1 337 1 113, car12 1 499 1 167, car13 1 415 1 139',
  'car14 1 1327 1 443, car15 1 469 1 157, car16_1 1 415 1 139, car16_2 415 1993 139 665',
  'car17 1 1057 1 353, car18 1 1207 1 403, group1_1 1 1333 1 445, group1_2 1333 2515 445 839',
  'group1_3 2515 3925 839 1309, group1_4 3925 4873 1309 1625, group2_1 1 907 1 303, group2_2 907 1771 303 591',
  'group2_3 1771 2683 591 895, group3_1 1 1567 1 523, group3_2 1567 2827 523 943, group3_3 2827 4369 943 1457',
  'group3_4 4369 5527 1457 1843, person1 1 799 1 267, person2_1 1 1189 1 397, person2_2 1189 2623 397 875',
  'person3 1 643 1 215, person4_1 1 1501 1 501, person4_2 1501 2743 501 915, person5_1 1 877 1 293',
  'person5_2 877 2101 293 701, person6 1 901 1 301, person7_1 1 1249 1 417, person7_2 1249 2065 417 689',
  'person8_1 1 1075 1 359, person8_2 1075 1525 359 509, person9 1 661 1 221, person10 1 1021 1 341',
  'person11 1 721 1 241, person12_1 1 601 1 201, person12_2 601 1621 201 541, person13 1 883 1 295',
  'person14_1 1 847 1 283, person14_2 847 1813 283 605, person14_3 1813 2923 605 975, person15 1 1339 1 447',
  'person16 1 1147 1 383, person17_1 1 1501 1 501, person17_2 1501 2347 501 783, person18 1 1393 1 465',
  'person19_1 1 1243 1 415, person19_2 1243 2791 415 931, person19_3 2791 4357 931 1453, person20 1 1783 1 595',
  'person21 1 487 1 163, person22 1 199 1 67, person23 1 397 1 133, truck1 1 463 1 155',
  'truck2 1 385 1 129, truck3 1 535 1 179, truck4_1 1 577 1 193, truck4_2 577 1261 193 421',
  'uav1_1 1 1555 1 519, uav1_2 1555 2377 519 793, uav1_3 2473 3469 825 1157, uav2 1 133 1 45',
  'uav3 1 265 1 89, uav4 1 157 1 53, uav5 1 139 1 47, uav6 1 109 1 37',
  'uav7 1 373 1 125, uav8 1 301 1 101, wakeboard1 1 421 1 141, wakeboard2 1 733 1 245',
  'wakeboard3 1 823 1 275, wakeboard4 1 697 1 233, wakeboard5 1 1675 1 559, wakeboard6 1 1165 1 389',
  'wakeboard7 1 199 1 67, wakeboard8 1 1543 1 515, wakeboard9 1 355 1 119, wakeboard10 1 469 1 157',
  'car1_s 1 1475 1 492, car2_s 1 320 1 107, car3_s 1 1300 1 434, car4_s 1 830 1 277',
  'person1_s 1 1600 1 534, person2_s 1 250 1 84, person3_s 1 505 1 169',
];

export interface RangedTarget {
  name: string;
  folder: string;
  start: number;
  end: number;
}

function uavRanges(fps10: boolean): RangedTarget[] {
  return UAV123_RANGES.flatMap((line) =>
    line.split(', ').map((entry) => {
      const [name, s30, e30, s10, e10, folder] = entry.split(' ');
      const [start, end] = fps10 ? [s10, e10] : [s30, e30];
      return { name, folder: folder ?? name.replace(/_\d+$/, ''), start: Number(start), end: Number(end) };
    }),
  );
}

export const UAV123_TARGETS = uavRanges(false);
export const UAV123_10FPS_TARGETS = uavRanges(true);

/** UAV20L: 20 whole folders of UAV123, from image 1 to the last annotated one. */
export const UAV20L_NAMES =
  'bike1 bird1 car1 car3 car6 car8 car9 car16 group1 group2 group3 person2 person4 person5 person7 person14 person17 person19 person20 uav1'.split(
    ' ',
  );

/** The attribute flags of each toolkit's `att/<seq>.txt`, in file order. */
export const UAV_ATTRIBUTES = ['SV', 'ARC', 'LR', 'FM', 'FOC', 'POC', 'OV', 'BC', 'IV', 'VC', 'CM', 'SOB'] as const;
export const UAVDT_ATTRIBUTES = ['BC', 'CM', 'OM', 'SO', 'IV', 'OB', 'SV', 'LT', 'LO'] as const;
/** DTB70's perfPlot.m names ten of its eleven columns; the eleventh has no name in the toolkit. */
export const DTB70_ATTRIBUTES = ['SV', 'ARV', 'OCC', 'DEF', 'FCM', 'IPR', 'OPR', 'OV', 'BC', 'SOA', 'ATT11'] as const;

export const EXTRA_ATTRIBUTE_NAMES: Record<string, string> = {
  ARC: 'Aspect Ratio Change',
  FOC: 'Full Occlusion',
  POC: 'Partial Occlusion',
  VC: 'Viewpoint Change',
  CM: 'Camera Motion',
  SOB: 'Similar Object',
  OM: 'Object Motion',
  SO: 'Small Object',
  OB: 'Object Blur',
  LT: 'Long-term Tracking',
  LO: 'Large Occlusion',
  ARV: 'Aspect Ratio Variation',
  FCM: 'Fast Camera Motion',
  SOA: 'Similar Objects Around',
  ATT11: "DTB70's eleventh flag (unnamed in its toolkit)",
};

/** TC128 sequences whose annotation starts after image 1 (the kit's sequence configuration; the official `_frames.txt`). */
export const TC128_STARTS: Record<string, number> = { busstation_ce2: 6, hurdle_ce2: 27, david: 300 };
