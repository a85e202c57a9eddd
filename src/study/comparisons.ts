import { UserError } from '../core/errors.ts';
import { deriveSeed } from '../core/random.ts';
import { holm } from './holm.ts';
import type { PerRunRow } from './per-run.ts';
import { type Comparison, bootstrapDifference, compare, mean, type ScoreMatrices, seedMeans } from './stats.ts';

/**
 * The study's comparisons, computed from per_run.csv's rows: per test set, every configuration
 * against the baseline (mean and SD over seeds, the bootstrap interval of the AUC difference, the
 * sign-flip p-value), and per attribute the same interval on the sequences carrying it.
 */

export const STATS = { bootstrapDraws: 10000, permutationDraws: 10000, level: 0.95, seed: 1 } as const;

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** The scores of one test set, arranged for the statistics. */
export interface TestSetData {
  name: string;
  configs: { name: string; loss: string; seeds: number[]; scores: ScoreMatrices }[];
  baseline: string;
  sequences: string[];
  attributes: Map<string, string[]>;
  /** Sequences left out because some run has no score for them. */
  dropped: string[];
}

export function arrange(rows: readonly PerRunRow[]): TestSetData[] {
  const baselines = unique(rows.filter((r) => r.baseline).map((r) => r.config));
  if (baselines.length !== 1)
    throw new UserError(`per_run.csv: expected exactly one baseline configuration, found ${baselines.length} (${baselines.join(', ')})`);
  const baseline = baselines[0];
  return unique(rows.map((r) => r.testSet)).map((testSet) => {
    const here = rows.filter((r) => r.testSet === testSet);
    const configNames = unique(here.map((r) => r.config));
    if (!configNames.includes(baseline)) throw new UserError(`per_run.csv: test set ${testSet} has no rows of the baseline ${baseline}`);
    const score = new Map(here.map((r) => [`${r.config}/${r.seed}/${r.sequence}`, r]));
    const runs = configNames.flatMap((c) => unique(here.filter((r) => r.config === c).map((r) => r.seed)).map((s) => [c, s] as const));
    const all = unique(here.map((r) => r.sequence));
    const sequences = all.filter((q) => runs.every(([c, s]) => score.has(`${c}/${s}/${q}`)));
    const attributes = new Map(sequences.map((q) => [q, here.find((r) => r.sequence === q)!.attributes]));
    const configs = configNames.map((c) => {
      const seeds = unique(here.filter((r) => r.config === c).map((r) => r.seed));
      const matrix = (get: (r: PerRunRow) => number) => seeds.map((s) => sequences.map((q) => get(score.get(`${c}/${s}/${q}`)!)));
      return {
        name: c,
        loss: here.find((r) => r.config === c)!.loss,
        seeds,
        scores: { auc: matrix((r) => r.auc), precision: matrix((r) => r.precision) },
      };
    });
    return { name: testSet, configs, baseline, sequences, attributes, dropped: all.filter((q) => !sequences.includes(q)) };
  });
}

export interface StudyRow extends Comparison {
  testSet: string;
  config: string;
  loss: string;
  seeds: number;
  sequences: number;
  isBaseline: boolean;
  /** Holm-adjusted p and pSeeds over the set's family (adjustFamily); NaN outside it. */
  pHolm: number;
  pSeedsHolm: number;
}

/**
 * The family a test set's p-values are adjusted over: every trained configuration against the
 * baseline. The untrained reference rows (the model fine-tuning starts from, published results) are
 * benchmarks beside the question, not tests of a loss, so they are neither adjusted nor counted.
 */
function adjustFamily(rows: StudyRow[]): void {
  const family = rows.filter((r) => !r.isBaseline && r.loss !== 'none');
  const p = holm(family.map((r) => r.p));
  const pSeeds = holm(family.map((r) => r.pSeeds));
  family.forEach((r, i) => {
    r.pHolm = p[i];
    r.pSeedsHolm = pSeeds[i];
  });
}

export interface AttributeRow {
  testSet: string;
  attribute: string;
  config: string;
  sequences: number;
  auc: number;
  aucBaseline: number;
  delta: number;
  ciLow: number;
  ciHigh: number;
}

/** The OTB toolkit draws no per-attribute plot for fewer than 2 sequences; neither do we. */
export const MIN_ATTRIBUTE_SEQUENCES = 2;

/**
 * No interval is printed over fewer sequences than this: the percentile bootstrap covers too seldom
 * there. Measured by scripts/interval-coverage.ts (400 simulated studies per size, drawn from the
 * global-loss study's own per-sequence differences and seed noise, 3 seeds a side): with the seed
 * noise the study has, 83% at 2 sequences, 92% at 4, 95 to 98% from 6 on; where nothing but the
 * sequences varies (a reference model of one seed, or seeds that agree), 79% at 4, 89% at 8, 90% at
 * 12 to 16 and 93% at 60. From 8 on the worst case is within 6 points of 95%, below it the interval
 * would claim a certainty it does not have; the exact sign-flip p-value is printed at every size.
 */
export const MIN_INTERVAL_SEQUENCES = 8;

export function statistics(sets: TestSetData[]): { rows: StudyRow[]; attributes: AttributeRow[] } {
  const rows: StudyRow[] = [];
  const attributes: AttributeRow[] = [];
  for (const set of sets) {
    if (set.sequences.length === 0) throw new UserError(`per_run.csv: test set ${set.name} has no sequence scored by every run`);
    const base = set.configs.find((c) => c.name === set.baseline)!;
    for (const c of set.configs) {
      const isBaseline = c.name === set.baseline;
      const seed = deriveSeed(STATS.seed, `${set.name}/${c.name}`);
      const cmp = compare(c.scores, base.scores, {
        draws: STATS.bootstrapDraws,
        level: STATS.level,
        seed,
        permutationDraws: STATS.permutationDraws,
      });
      rows.push({
        ...cmp,
        ...(isBaseline ? { deltaAuc: 0, ciLow: NaN, ciHigh: NaN, p: NaN, pSeeds: NaN } : {}),
        ...(set.sequences.length < MIN_INTERVAL_SEQUENCES ? { ciLow: NaN, ciHigh: NaN } : {}),
        testSet: set.name,
        config: c.name,
        loss: c.loss,
        seeds: c.seeds.length,
        sequences: set.sequences.length,
        isBaseline,
        pHolm: NaN,
        pSeedsHolm: NaN,
      });
    }
    adjustFamily(rows.filter((r) => r.testSet === set.name));
    attributes.push(...attributeRows(set, base));
  }
  return { rows, attributes };
}

/** Per attribute of the set's sequences (carried by at least MIN_ATTRIBUTE_SEQUENCES), each configuration's interval against the baseline. */
function attributeRows(set: TestSetData, base: TestSetData['configs'][number]): AttributeRow[] {
  const out: AttributeRow[] = [];
  const codes = unique(set.sequences.flatMap((q) => set.attributes.get(q)!)).sort();
  for (const code of codes) {
    const idx = set.sequences.flatMap((q, i) => (set.attributes.get(q)!.includes(code) ? [i] : []));
    if (idx.length < MIN_ATTRIBUTE_SEQUENCES) continue;
    const pick = (m: number[][]) => m.map((row) => idx.map((i) => row[i]));
    const b = pick(base.scores.auc);
    for (const c of set.configs) {
      if (c.name === set.baseline) continue;
      const a = pick(c.scores.auc);
      const ci =
        idx.length < MIN_INTERVAL_SEQUENCES
          ? { low: NaN, high: NaN }
          : bootstrapDifference(a, b, {
              draws: STATS.bootstrapDraws,
              level: STATS.level,
              seed: deriveSeed(STATS.seed, `${set.name}/${c.name}/${code}`),
            });
      const auc = mean(seedMeans(a));
      const aucBaseline = mean(seedMeans(b));
      out.push({
        testSet: set.name,
        attribute: code,
        config: c.name,
        sequences: idx.length,
        auc,
        aucBaseline,
        delta: auc - aucBaseline,
        ciLow: ci.low,
        ciHigh: ci.high,
      });
    }
  }
  return out;
}
