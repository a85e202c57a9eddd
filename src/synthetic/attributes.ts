import type { Rng } from '../core/random.ts';

/** The OTB attribute codes, in the order OTB lists print them. */
export const ATTRIBUTES = ['IV', 'SV', 'OCC', 'DEF', 'MB', 'FM', 'IPR', 'OPR', 'OV', 'BC', 'LR'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

/**
 * Pairs a scene cannot honour together: a low-resolution target (< 400 px of box) cannot also grow
 * by the scale-variation factor, and turning it edge-on (OPR) would leave a sliver under 8 px.
 */
const CONFLICTS: [Attribute, Attribute][] = [
  ['LR', 'SV'],
  ['LR', 'OPR'],
];

function compatible(set: readonly Attribute[], a: Attribute): boolean {
  return !set.includes(a) && !CONFLICTS.some(([x, y]) => (x === a && set.includes(y)) || (y === a && set.includes(x)));
}

function sortAttributes(set: Iterable<Attribute>): Attribute[] {
  return [...set].sort((a, b) => ATTRIBUTES.indexOf(a) - ATTRIBUTES.indexOf(b));
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Chance that a test sequence gets a code on top of its dealt ones. Look-alike distractors (BC)
 * get a high one: telling the target from them is what the global similarity loss is about, so
 * about half of a test split has them.
 */
const TEST_EXTRA: Record<Attribute, number> = {
  IV: 0.08,
  SV: 0.08,
  OCC: 0.08,
  DEF: 0.08,
  MB: 0.08,
  FM: 0.08,
  IPR: 0.08,
  OPR: 0.08,
  OV: 0.08,
  BC: 0.45,
  LR: 0.08,
};

/**
 * Attribute sets for a test split of n sequences: each sequence draws from shuffled decks of all
 * codes (so they spread evenly), some get extra codes at random (TEST_EXTRA), and a last pass tops
 * up any code used fewer than `minEach` times — so a per-attribute plot always has at least two
 * sequences (the OTB toolkit skips an attribute with fewer), whenever n allows it.
 */
export function coverAttributes(n: number, rng: Rng, minEach = 2): Attribute[][] {
  const perSequence = Math.min(5, Math.max(2, Math.ceil((ATTRIBUTES.length * minEach) / Math.max(1, n))));
  let deck: Attribute[] = [];
  const sets: Attribute[][] = [];
  for (let i = 0; i < n; i++) {
    const set: Attribute[] = [];
    for (let tries = 0; set.length < perSequence && tries < 4; tries++) {
      if (deck.length < perSequence) deck = deck.concat(shuffled(ATTRIBUTES, rng));
      for (let k = 0; k < deck.length && set.length < perSequence;) {
        if (compatible(set, deck[k])) set.push(...deck.splice(k, 1));
        else k++;
      }
    }
    for (const a of ATTRIBUTES) if (rng.next() < TEST_EXTRA[a] && compatible(set, a)) set.push(a);
    sets.push(set);
  }
  for (const a of ATTRIBUTES) {
    const count = () => sets.filter((s) => s.includes(a)).length;
    for (const i of shuffled([...sets.keys()], rng)) {
      if (count() >= minEach) break;
      if (compatible(sets[i], a)) sets[i].push(a);
    }
  }
  return sets.map(sortAttributes);
}

/**
 * Training sequences draw each code independently; look-alike distractors (BC) are the common case
 * because separating them is what the global similarity loss is for.
 */
const TRAIN_PROBABILITY: Record<Attribute, number> = {
  IV: 0.3,
  SV: 0.4,
  OCC: 0.35,
  DEF: 0.25,
  MB: 0.25,
  FM: 0.25,
  IPR: 0.35,
  OPR: 0.2,
  OV: 0.2,
  BC: 0.75,
  LR: 0.1,
};

export function sampleAttributes(rng: Rng): Attribute[] {
  const set: Attribute[] = [];
  for (const a of ATTRIBUTES) if (rng.next() < TRAIN_PROBABILITY[a] && compatible(set, a)) set.push(a);
  return sortAttributes(set);
}
