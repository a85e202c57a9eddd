/**
 * LaSOT (Fan et al., CVPR 2019): 1,400 sequences of 70 classes; Protocol II scores the 280 of
 * `testing_set.txt`, 4 per class. Built in so that a root without that file (the official download
 * keeps it in the toolkit, not beside the sequences) still gives the published test set, with the
 * 14 attribute flags of each test sequence (the toolkit's `annos/att`, equal to pytracking's table).
 */

/** The 14 attributes, in the order of the toolkit's `att/<seq>.txt` flags. */
export const LASOT_ATTRIBUTES = ['IV', 'POC', 'DEF', 'MB', 'CM', 'ROT', 'BC', 'VC', 'SV', 'FOC', 'FM', 'OV', 'LR', 'ARC'] as const;

export const LASOT_ATTRIBUTE_NAMES: Record<string, string> = {
  IV: 'Illumination Variation',
  POC: 'Partial Occlusion',
  DEF: 'Deformation',
  MB: 'Motion Blur',
  CM: 'Camera Motion',
  ROT: 'Rotation',
  BC: 'Background Clutter',
  VC: 'Viewpoint Change',
  SV: 'Scale Variation',
  FOC: 'Full Occlusion',
  FM: 'Fast Motion',
  OV: 'Out-of-View',
  LR: 'Low Resolution',
  ARC: 'Aspect Ratio Change',
};

// `class n:flags ...`: flag bit k is attribute k of LASOT_ATTRIBUTES (hexadecimal), in testing_set.txt order.
const TEST_SET = [
  'airplane 1:1122 9:3123 13:3522 15:3d31',
  'basketball 1:1740 6:3f0a 7:290a 11:3703',
  'bear 2:2916 4:2126 6:291e 17:2116',
  'bicycle 2:3b26 7:2143 9:3343 18:3727',
  'bird 2:2353 3:2906 15:3155 17:214e',
  'boat 3:2110 4:2100 12:1182 17:2100',
  'book 3:212a 10:104 11:2 19:2122',
  'bottle 1:2d28 12:3352 14:3342 18:3f18',
  'bus 2:2112 5:159 17:11b 19:375a',
  'car 2:14b 6:559 9:143 17:3743',
  'cat 1:211e 3:2144 18:3314 20:2144',
  'cattle 2:395e 7:158 12:3d1c 13:3156',
  'spider 14:3924 16:3125 18:124 20:3024',
  'coin 3:3343 6:3773 7:2723 18:335a',
  'crab 3:217e 6:2154 12:3913 18:160',
  'surfboard 12:33a2 4:3b32 5:39a0 8:3b22',
  'cup 1:158 4:40 7:50 17:232a',
  'deer 4:391e 8:3d86 10:3346 14:2106',
  'dog 1:371e 7:2134 15:2114 19:3946',
  'guitar 3:2131 8:3b32 10:375b 16:213a',
  'person 1:231f 5:2347 10:21a3 12:314e',
  'pig 2:2177 10:233e 13:3b7e 18:3372',
  'rubicCube 1:236a 6:3302 14:2126 19:3362',
  'swing 10:2ba2 14:3d22 17:3702 20:2122',
  'drone 13:3fd8 15:3b61 2:3959 7:3b19',
  'pool 12:2f5a 15:39d8 3:3d18 7:3608',
  'rabbit 10:397e 13:312c 17:3b3e 19:31ac',
  'racing 10:1362 15:37a 16:33f2 20:33a2',
  'robot 1:3b7a 19:3166 5:2b2a 8:1b8',
  'sepia 13:217e 16:293d 6:2130 8:3b7c',
  'sheep 3:397e 5:2146 7:118 9:35f8',
  'skateboard 16:312a 19:33a9 3:3192 8:3382',
  'tank 14:3982 16:2120 6:1a4 9:3322',
  'tiger 12:2116 18:213c 4:2166 6:217e',
  'train 1:21a0 11:3180 20:2102 7:3382',
  'truck 16:3bba 3:2180 6:3932 7:31a0',
  'turtle 16:39a5 5:3184 8:2366 9:2164',
  'umbrella 17:2128 19:2372 2:2922 9:3162',
  'yoyo 15:391a 17:3f1a 19:370a 7:3d0a',
  'zebra 10:236e 14:3336 16:336a 17:393e',
  'elephant 1:2f5f 12:2f5e 16:3f5f 18:215e',
  'goldfish 3:3f67 7:3767 8:2167 10:3b66',
  'hat 1:3f6a 2:3322 5:3f62 18:3522',
  'kite 4:3920 6:3920 10:3120 15:3d20',
  'motorcycle 1:2322 3:3f22 9:2122 18:3b22',
  'mouse 1:3334 8:3b3c 9:3920 17:3336',
  'flag 3:2124 9:2924 5:3324 2:2124',
  'frog 3:29a4 4:166 20:3926 9:127',
  'gametarget 1:2126 2:3726 7:3366 13:1160',
  'hand 2:164 3:3f6c 9:3566 16:210c',
  'helmet 5:3b62 11:3b22 19:3b60 13:39a0',
  'licenseplate 6:1100 12:3f02 13:1100 15:3980',
  'electricfan 1:2918 10:20 18:2b5a 20:3b02',
  'chameleon 3:2104 6:2145 11:215c 20:31e',
  'crocodile 3:231e 4:2106 10:230f 14:116',
  'gecko 1:3fa5 5:396c 16:2fe6 19:2326',
  'fox 2:21e4 3:3927 5:2126 20:2b2e',
  'giraffe 2:2164 10:2d36 13:3766 15:2b26',
  'gorilla 4:3b66 6:2127 9:2366 13:2967',
  'hippo 1:2526 7:2926 9:392e 20:2124',
  'horse 1:2b27 4:2126 12:2127 15:2126',
  'kangaroo 2:232e 5:2366 11:3b26 14:2326',
  'leopard 1:2927 7:2126 16:2b26 20:2926',
  'lion 1:3124 5:3f26 12:2366 20:2126',
  'lizard 1:2124 3:29a6 6:2926 13:2926',
  'microphone 2:3f22 6:1b60 14:3320 16:2f22',
  'monkey 3:3b66 4:3b26 9:3b26 17:2d24',
  'shark 2:396a 3:2362 5:2121 6:2122',
  'squirrel 8:212e 11:234e 13:333e 19:2126',
  'volleyball 1:334a 13:3e0a 18:3f4a 19:3f0a',
];

/** The 280 test sequences in testing_set.txt order, with their attribute codes. */
export const LASOT_TEST: readonly { name: string; attributes: string[] }[] = TEST_SET.flatMap((line) => {
  const [cls, ...seqs] = line.split(' ');
  return seqs.map((s) => {
    const [n, hex] = s.split(':');
    const bits = parseInt(hex, 16);
    return { name: `${cls}-${n}`, attributes: LASOT_ATTRIBUTES.filter((_, k) => (bits >> k) & 1) };
  });
});

/** Decodes a toolkit `att/<seq>.txt` line of 14 flags into attribute codes, or undefined when malformed. */
export function lasotAttributes(flags: string[]): string[] | undefined {
  if (flags.length !== LASOT_ATTRIBUTES.length || flags.some((f) => f !== '0' && f !== '1')) return undefined;
  return LASOT_ATTRIBUTES.filter((_, k) => flags[k] === '1');
}
