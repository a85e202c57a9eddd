import {
  type AttributeRow,
  MIN_ATTRIBUTE_SEQUENCES,
  MIN_INTERVAL_SEQUENCES,
  STATS,
  type StudyRow,
  type TestSetData,
} from './comparisons.ts';
import { REFERENCE } from './spec.ts';
import { EXACT_SEED_PERMUTATION_MAX, EXACT_SIGN_FLIP_MAX } from './stats.ts';

/** study.md: the comparisons of every test set as tables, and how each number is computed. */

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
/** An interval, or why there is none (fewer sequences than MIN_INTERVAL_SEQUENCES). */
const interval = (lo: number, hi: number) =>
  Number.isNaN(lo) ? `none (< ${MIN_INTERVAL_SEQUENCES} seq.)` : `[${signed(lo)}, ${signed(hi)}]`;
const pm = (m: number, s: number) => `${m.toFixed(3)}${Number.isNaN(s) ? '' : ` ± ${s.toFixed(3)}`}`;

const REFERENCE_NOTE = `\`${REFERENCE.config}\` is the model every run was fine-tuned from (recipe.initFrom), tracked as it is: one model, so no SD, and a seed permutation test with one model on its side says little. Its ΔAUC is its difference from the fine-tuned baseline: fine-tuning with the baseline's loss gained the opposite, and a configuration's gain over its starting point is its AUC minus ${REFERENCE.config}'s.`;

const PUBLISHED_NOTE = (config: string) =>
  `\`${config}\` is a published tracker's raw results scored on the same frames with the same rules: one set of boxes, no seeds; its ΔAUC is its difference from the baseline as trained here.`;

/** The comparisons of one test set as a table: a row per configuration, the baseline first as in study.csv. */
function mainTable(name: string, rows: StudyRow[]): string[] {
  const out: string[] = [];
  out.push(
    '| configuration | loss | seeds | AUC (mean ± SD over seeds) | precision@20 | ΔAUC vs baseline | 95% CI | p (sign-flip, sequences) | Holm | p (permutation, seeds) | Holm |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows.filter((x) => x.testSet === name)) {
    const ci = r.isBaseline ? '' : interval(r.ciLow, r.ciHigh);
    const pv = (x: number, exact: boolean) => `${x < 0.001 ? x.toExponential(1) : x.toFixed(3)}${exact ? '' : ' (MC)'}`;
    const p = r.isBaseline ? '' : pv(r.p, r.pExact);
    const pSeeds = r.isBaseline ? '' : pv(r.pSeeds, r.pSeedsExact);
    const adj = (x: number) => (Number.isNaN(x) ? '' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));
    out.push(
      `| ${r.config}${r.isBaseline ? ' (baseline)' : ''} | ${r.loss} | ${r.seeds} | ${pm(r.aucMean, r.aucSd)} | ${pm(r.precMean, r.precSd)} | ${r.isBaseline ? '' : signed(r.deltaAuc)} | ${ci} | ${p} | ${adj(r.pHolm)} | ${pSeeds} | ${adj(r.pSeedsHolm)} |`,
    );
  }
  return out;
}

export function markdown(sets: TestSetData[], rows: StudyRow[], attrs: AttributeRow[], selection: readonly string[] = []): string {
  const out: string[] = ['# Study results', ''];
  for (const set of sets) {
    const n = set.sequences.length;
    out.push(
      `## Test set ${set.name}`,
      '',
      `${n} sequences; baseline ${set.baseline}.${set.dropped.length ? ` Left out (not scored by every run): ${set.dropped.join(', ')}.` : ''}`,
      '',
    );
    out.push(...mainTable(set.name, rows));
    out.push('', `Forest plot: forest-${set.name}.png.`, '');
    if (rows.some((r) => r.testSet === set.name && r.config === REFERENCE.config)) out.push(REFERENCE_NOTE, '');
    const published = rows.filter((r) => r.testSet === set.name && r.loss === REFERENCE.loss && r.config !== REFERENCE.config);
    for (const r of published) out.push(PUBLISHED_NOTE(r.config), '');
    if (n <= EXACT_SIGN_FLIP_MAX)
      out.push(`With ${n} sequences the smallest two-sided sign-flip p-value possible is ${(2 / 2 ** n).toPrecision(2)}.`, '');
    const a = attrs.filter((x) => x.testSet === set.name);
    if (a.length) {
      out.push(
        `### Per attribute (${set.name})`,
        '',
        '| attribute | configuration | sequences | AUC | baseline AUC | ΔAUC | 95% CI |',
        '|---|---|---:|---:|---:|---:|---:|',
      );
      for (const r of a)
        out.push(
          `| ${r.attribute} | ${r.config} | ${r.sequences} | ${r.auc.toFixed(3)} | ${r.aucBaseline.toFixed(3)} | ${signed(r.delta)} | ${interval(r.ciLow, r.ciHigh)} |`,
        );
      out.push('');
    }
  }
  out.push(...selection);
  out.push(
    '## How the statistics are computed',
    '',
    '- **Per run**: a trained model (configuration, seed) scores each test sequence by its success AUC (mean of the success curve at overlap thresholds 0, 0.05, ..., 1) and precision at 20 px; its score on the set is the mean over sequences (sequences weigh equally, as in the OTB toolkit).',
    '- **Mean ± SD**: over the seeds of the configuration (sample SD, n - 1).',
    '- **ΔAUC**: mean over seeds of the configuration minus the same of the baseline.',
    `- **95% CI**: two-level paired percentile bootstrap, ${STATS.bootstrapDraws} draws. Each draw resamples the test sequences with replacement (the same draw for both configurations, so every sequence is compared with itself and the large differences in difficulty between sequences cancel), and independently resamples the seeds of the configuration and the seeds of the baseline; the statistic is the difference of the means over the drawn seeds and sequences. Both levels are resampled because both are sources of chance: the seed (weights, pairs, augmentation) decides how well one model trains, and the sequences are a sample of the tracking problems the claim is about; an interval over sequences alone would take one lucky seed for the configuration, one over seeds alone would take this test set for all test sets. Seeds are not paired across configurations even though the same seed starts from the same weights and pairs: after training with different losses the models share little, and leaving the pairing out only widens the interval.`,
    `- **No interval below ${MIN_INTERVAL_SEQUENCES} sequences**: the percentile bootstrap of a mean over few values is too narrow. Simulated (scripts/interval-coverage.ts: 400 studies per size drawn from the global-loss study's own per-sequence differences and seed noise, 3 seeds a side) the 95% interval covered the truth 83% of the time at 2 sequences and 92% at 4 with that seed noise, and 79% at 4, 89% at 8, 90% at 12 to 16 and 93% at 60 where only the sequences vary; so none is printed over fewer than ${MIN_INTERVAL_SEQUENCES} (the test sets and attributes below that size say "none"), and where only the sequences vary (a reference of one model) even the printed ones cover somewhat less than 95%.`,
    `- **p-value**: two-sided paired sign-flip test on the per-sequence differences of the means over seeds: under no effect each sequence's difference is as likely to have either sign. Exact (all 2^n sign assignments) up to ${EXACT_SIGN_FLIP_MAX} sequences, else ${STATS.permutationDraws} random assignments, p = (1 + hits) / (1 + draws), marked (MC). It tests the set of sequences, given the trained seeds; the interval also carries the seed-to-seed spread.`,
    `- **p (permutation, seeds)**: two-sided permutation test on the per-seed mean AUCs (one number per trained model): under no effect of the loss the configuration's and the baseline's models are exchangeable, so p is the share of the ways of splitting the pooled models into two groups of those sizes whose difference of means is at least the observed one (exact up to ${EXACT_SEED_PERMUTATION_MAX} splits, else ${STATS.permutationDraws} random ones, marked (MC)). It asks whether the gap is larger than what training another seed gives; with 5 seeds each there are 252 splits and the smallest p possible is 2/252 = 0.0079. Unpaired, as the interval is.`,
    "- **Holm**: the p-value beside it adjusted by Holm's step-down method over the family of the test set's comparisons of a trained configuration with the baseline (the rows without a Holm value, the model fine-tuning starts from and published results, are not in it): the i-th smallest of m raw p-values times m - i + 1, kept monotone, capped at 1. A claim that one configuration beats the baseline, picked after seeing all of them, should rest on the adjusted value; it controls the chance of any false claim in the family at the level, whatever the dependence between the comparisons.",
    `- **Per attribute**: the same bootstrap on the sequences carrying the attribute (attributes of fewer than ${MIN_ATTRIBUTE_SEQUENCES} sequences are left out, as the OTB toolkit does). These are many intervals: a few excluding 0 by chance are expected.`,
    `- Random numbers come from the seeded generator of src/core/random.ts (seed ${STATS.seed}, derived per test set, configuration and attribute), so \`npm run study -- --recompute <dir>\` rewrites study.csv, per_attribute.csv and this file byte for byte from per_run.csv.`,
    '',
  );
  return out.join('\n');
}
