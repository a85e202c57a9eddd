import { readFileSync } from 'node:fs';
import { Rng } from '../src/core/random.ts';
import { STATS } from '../src/study/comparisons.ts';
import { parsePerRun } from '../src/study/per-run.ts';
import { bootstrapDifference, mean } from '../src/study/stats.ts';

/**
 * How often the study's 95% interval (the two-level paired percentile bootstrap of stats.ts) covers
 * the true difference, by the number of test sequences: the answer behind MIN_INTERVAL_SEQUENCES.
 * Data are drawn to look like the study's own (issue 32 item 3): per-sequence true differences
 * resampled from the global-loss study's synthetic set (global minus logistic, mean over seeds per
 * sequence), centred so the truth is 0, plus per-(seed, sequence) noise resampled from the
 * logistic seeds' deviations from their sequence means. Prints one line per size.
 *
 * The fifth argument scales the seed noise: 0 leaves only the sequences to resample, the case where
 * the percentile interval of a mean over few values is known to be too narrow.
 *
 *   npx tsx scripts/interval-coverage.ts [per_run.csv] [replicates] [seeds] [noise scale]
 */
const file = process.argv[2] ?? 'docs/study/global-loss/per_run.csv';
const reps = Number(process.argv[3] ?? 1000);
const seeds = Number(process.argv[4] ?? 5);
const scale = Number(process.argv[5] ?? 1);
const rows = parsePerRun(readFileSync(file, 'utf8'), file).filter((r) => r.testSet === 'synthetic');
const seqs = [...new Set(rows.map((r) => r.sequence))];
const at = (config: string, q: string) => rows.filter((r) => r.config === config && r.sequence === q).map((r) => r.auc);
const diffs = seqs.map((q) => mean(at('global', q)) - mean(at('logistic', q)));
const centre = mean(diffs);
const effects = diffs.map((d) => d - centre);
const noise = seqs.flatMap((q) => {
  const xs = at('logistic', q);
  return xs.map((x) => x - mean(xs));
});
const rng = new Rng(7);
const pick = (xs: number[]) => xs[rng.int(0, xs.length - 1)];
const jitter = () => scale * pick(noise);
console.log(
  `${file}: ${seqs.length} sequences, ${seeds} seeds a side, seed noise x${scale}, ${reps} replicates per size, bootstrap ${STATS.bootstrapDraws / 5} draws`,
);
for (const n of [2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 60]) {
  let covered = 0;
  let width = 0;
  for (let r = 0; r < reps; r++) {
    const d = Array.from({ length: n }, () => pick(effects));
    const a = Array.from({ length: seeds }, () => d.map((x) => x + jitter()));
    const b = Array.from({ length: seeds }, () => d.map(() => jitter()));
    const ci = bootstrapDifference(a, b, { draws: STATS.bootstrapDraws / 5, level: STATS.level, seed: 1000 + r });
    if (ci.low <= 0 && ci.high >= 0) covered++;
    width += ci.high - ci.low;
  }
  console.log(`n = ${String(n).padStart(2)}: coverage ${((100 * covered) / reps).toFixed(1)}%, mean width ${(width / reps).toFixed(3)}`);
}
