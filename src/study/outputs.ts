import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChartConfiguration } from 'chart.js';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { deriveSeed } from '../core/random.ts';
import { renderChartPng, seriesStyle } from '../output/chart.ts';
import { type Comparison, EXACT_SIGN_FLIP_MAX, bootstrapDifference, compare, mean, type ScoreMatrices, seedMeans } from './stats.ts';

/**
 * per_run.csv is the study's evidence: one row per (configuration, seed, test set, sequence), with
 * the loss, which configuration is the baseline and the sequence's attributes, so that every table,
 * interval and plot below is a function of that file alone (`npm run study -- --recompute <dir>`).
 */

export interface PerRunRow {
  config: string;
  seed: number;
  testSet: string;
  sequence: string;
  auc: number;
  precision: number;
  loss: string;
  baseline: boolean;
  attributes: string[];
}

const PER_RUN_COLUMNS = ['config', 'seed', 'test_set', 'sequence', 'auc', 'precision', 'loss', 'baseline', 'attributes'];

export const STATS = { bootstrapDraws: 10000, permutationDraws: 10000, level: 0.95, seed: 1 } as const;

/** Names hold no commas, quotes or spaces (the spec's name rule; attributes are codes), so plain CSV. */
export function perRunCsv(rows: readonly PerRunRow[]): string {
  const lines = rows.map((r) =>
    [r.config, r.seed, r.testSet, r.sequence, String(r.auc), String(r.precision), r.loss, r.baseline ? 1 : 0, r.attributes.join(' ')].join(
      ',',
    ),
  );
  return `${PER_RUN_COLUMNS.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

export function parsePerRun(text: string, file: string): PerRunRow[] {
  const [head, ...body] = text.split('\n').filter((l) => l !== '');
  if (head !== PER_RUN_COLUMNS.join(',')) throw new UserError(`${file}: expected the header ${PER_RUN_COLUMNS.join(',')}`);
  return body.map((line, i) => {
    const f = line.split(',');
    const num = (v: string, what: string) => {
      const x = Number(v);
      if (v === '' || !Number.isFinite(x)) throw new UserError(`${file}:${i + 2}: ${what}: expected a number, got '${v}'`);
      return x;
    };
    if (f.length !== PER_RUN_COLUMNS.length)
      throw new UserError(`${file}:${i + 2}: expected ${PER_RUN_COLUMNS.length} fields, got ${f.length}`);
    return {
      config: f[0],
      seed: num(f[1], 'seed'),
      testSet: f[2],
      sequence: f[3],
      auc: num(f[4], 'auc'),
      precision: num(f[5], 'precision'),
      loss: f[6],
      baseline: f[7] === '1',
      attributes: f[8] === '' ? [] : f[8].split(' '),
    };
  });
}

export async function readPerRun(file: string): Promise<PerRunRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`--recompute: cannot read ${file}`);
  }
  return parsePerRun(text, file);
}

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** The scores of one test set, arranged for the statistics. */
interface TestSetData {
  name: string;
  configs: { name: string; loss: string; seeds: number[]; scores: ScoreMatrices }[];
  baseline: string;
  sequences: string[];
  attributes: Map<string, string[]>;
  /** Sequences left out because some run has no score for them. */
  dropped: string[];
}

function arrange(rows: readonly PerRunRow[]): TestSetData[] {
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

interface StudyRow extends Comparison {
  testSet: string;
  config: string;
  loss: string;
  seeds: number;
  sequences: number;
  isBaseline: boolean;
}

interface AttributeRow {
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
const MIN_ATTRIBUTE_SEQUENCES = 2;

function statistics(sets: TestSetData[]): { rows: StudyRow[]; attributes: AttributeRow[] } {
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
        ...(isBaseline ? { deltaAuc: 0, ciLow: NaN, ciHigh: NaN, p: NaN } : {}),
        testSet: set.name,
        config: c.name,
        loss: c.loss,
        seeds: c.seeds.length,
        sequences: set.sequences.length,
        isBaseline,
      });
    }
    const codes = unique(set.sequences.flatMap((q) => set.attributes.get(q)!)).sort();
    for (const code of codes) {
      const idx = set.sequences.flatMap((q, i) => (set.attributes.get(q)!.includes(code) ? [i] : []));
      if (idx.length < MIN_ATTRIBUTE_SEQUENCES) continue;
      const pick = (m: number[][]) => m.map((row) => idx.map((i) => row[i]));
      const b = pick(base.scores.auc);
      for (const c of set.configs) {
        if (c.name === set.baseline) continue;
        const a = pick(c.scores.auc);
        const ci = bootstrapDifference(a, b, {
          draws: STATS.bootstrapDraws,
          level: STATS.level,
          seed: deriveSeed(STATS.seed, `${set.name}/${c.name}/${code}`),
        });
        const auc = mean(seedMeans(a));
        const aucBaseline = mean(seedMeans(b));
        attributes.push({
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
  }
  return { rows, attributes };
}

const f = (x: number, digits = 6) => (Number.isNaN(x) ? '' : x.toFixed(digits));

function studyCsv(rows: StudyRow[]): string {
  const head = 'test_set,config,loss,seeds,auc_mean,auc_sd,prec_mean,prec_sd,delta_auc,ci_low,ci_high,p_value,sequences';
  return `${head}\n${rows.map((r) => `${[r.testSet, r.config, r.loss, r.seeds, f(r.aucMean), f(r.aucSd), f(r.precMean), f(r.precSd), f(r.deltaAuc), f(r.ciLow), f(r.ciHigh), f(r.p), r.sequences].join(',')}\n`).join('')}`;
}

function attributeCsv(rows: AttributeRow[]): string {
  const head = 'test_set,attribute,config,sequences,auc,auc_baseline,delta_auc,ci_low,ci_high';
  return `${head}\n${rows.map((r) => `${[r.testSet, r.attribute, r.config, r.sequences, f(r.auc), f(r.aucBaseline), f(r.delta), f(r.ciLow), f(r.ciHigh)].join(',')}\n`).join('')}`;
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const pm = (m: number, s: number) => `${m.toFixed(3)}${Number.isNaN(s) ? '' : ` ± ${s.toFixed(3)}`}`;

function markdown(sets: TestSetData[], rows: StudyRow[], attrs: AttributeRow[]): string {
  const out: string[] = ['# Study results', ''];
  for (const set of sets) {
    const n = set.sequences.length;
    out.push(
      `## Test set ${set.name}`,
      '',
      `${n} sequences; baseline ${set.baseline}.${set.dropped.length ? ` Left out (not scored by every run): ${set.dropped.join(', ')}.` : ''}`,
      '',
    );
    out.push(
      '| configuration | loss | seeds | AUC (mean ± SD over seeds) | precision@20 | ΔAUC vs baseline | 95% CI | p (sign-flip) |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of rows.filter((x) => x.testSet === set.name)) {
      const ci = r.isBaseline ? '' : `[${signed(r.ciLow)}, ${signed(r.ciHigh)}]`;
      const p = r.isBaseline ? '' : `${r.p < 0.001 ? r.p.toExponential(1) : r.p.toFixed(3)}${r.pExact ? '' : ' (MC)'}`;
      out.push(
        `| ${r.config}${r.isBaseline ? ' (baseline)' : ''} | ${r.loss} | ${r.seeds} | ${pm(r.aucMean, r.aucSd)} | ${pm(r.precMean, r.precSd)} | ${r.isBaseline ? '' : signed(r.deltaAuc)} | ${ci} | ${p} |`,
      );
    }
    out.push('', `Forest plot: forest-${set.name}.png.`, '');
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
          `| ${r.attribute} | ${r.config} | ${r.sequences} | ${r.auc.toFixed(3)} | ${r.aucBaseline.toFixed(3)} | ${signed(r.delta)} | [${signed(r.ciLow)}, ${signed(r.ciHigh)}] |`,
        );
      out.push('');
    }
  }
  out.push(
    '## How the statistics are computed',
    '',
    '- **Per run**: a trained model (configuration, seed) scores each test sequence by its success AUC (mean of the success curve at overlap thresholds 0, 0.05, ..., 1) and precision at 20 px; its score on the set is the mean over sequences (sequences weigh equally, as in the OTB toolkit).',
    '- **Mean ± SD**: over the seeds of the configuration (sample SD, n - 1).',
    '- **ΔAUC**: mean over seeds of the configuration minus the same of the baseline.',
    `- **95% CI**: two-level paired percentile bootstrap, ${STATS.bootstrapDraws} draws. Each draw resamples the test sequences with replacement (the same draw for both configurations, so every sequence is compared with itself and the large differences in difficulty between sequences cancel), and independently resamples the seeds of the configuration and the seeds of the baseline; the statistic is the difference of the means over the drawn seeds and sequences. Both levels are resampled because both are sources of chance: the seed (weights, pairs, augmentation) decides how well one model trains, and the sequences are a sample of the tracking problems the claim is about; an interval over sequences alone would take one lucky seed for the configuration, one over seeds alone would take this test set for all test sets. Seeds are not paired across configurations even though the same seed starts from the same weights and pairs: after training with different losses the models share little, and leaving the pairing out only widens the interval.`,
    `- **p-value**: two-sided paired sign-flip test on the per-sequence differences of the means over seeds: under no effect each sequence's difference is as likely to have either sign. Exact (all 2^n sign assignments) up to ${EXACT_SIGN_FLIP_MAX} sequences, else ${STATS.permutationDraws} random assignments, p = (1 + hits) / (1 + draws), marked (MC). It tests the set of sequences, given the trained seeds; the interval also carries the seed-to-seed spread.`,
    `- **Per attribute**: the same bootstrap on the sequences carrying the attribute (attributes of fewer than ${MIN_ATTRIBUTE_SEQUENCES} sequences are left out, as the OTB toolkit does). These are many intervals: a few excluding 0 by chance are expected.`,
    `- Random numbers come from the seeded generator of src/core/random.ts (seed ${STATS.seed}, derived per test set, configuration and attribute), so \`npm run study -- --recompute <dir>\` rewrites study.csv, per_attribute.csv and this file byte for byte from per_run.csv.`,
    '',
  );
  return out.join('\n');
}

/** Per configuration a horizontal interval and its point estimate (ΔAUC), and the line at 0. */
function forestDatasets(r: StudyRow[], y: (i: number) => number, color: string): ChartConfiguration['data']['datasets'] {
  return [
    ...r.map((x, i) => ({
      label: `ci-${x.config}`,
      data: [
        { x: x.ciLow, y: y(i) },
        { x: x.ciHigh, y: y(i) },
      ],
      showLine: true,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 0,
    })),
    {
      label: 'delta',
      data: r.map((x, i) => ({ x: x.deltaAuc, y: y(i) })),
      backgroundColor: color,
      borderColor: color,
      pointRadius: 6,
      pointStyle: 'rect' as const,
    },
    {
      label: 'zero',
      data: [
        { x: 0, y: 0.5 },
        { x: 0, y: r.length + 0.5 },
      ],
      showLine: true,
      borderColor: 'rgb(127,127,127)',
      borderDash: [6, 4],
      borderWidth: 1,
      pointRadius: 0,
    },
  ];
}

function forestPlot(set: string, rows: StudyRow[]): Uint8Array {
  const r = rows.filter((x) => x.testSet === set && !x.isBaseline);
  const y = (i: number) => r.length - i;
  const { color } = seriesStyle(0);
  const config: ChartConfiguration = {
    type: 'scatter',
    data: {
      datasets: [...forestDatasets(r, y, color)],
    },
    options: {
      plugins: { legend: { display: false }, title: { display: true, text: `AUC difference vs the baseline, 95% bootstrap CI (${set})` } },
      scales: {
        x: {
          type: 'linear',
          suggestedMin: 0,
          suggestedMax: 0,
          grace: '5%',
          title: { display: true, text: 'ΔAUC (configuration - baseline)' },
        },
        y: {
          type: 'linear',
          min: 0.5,
          max: r.length + 0.5,
          afterBuildTicks: (axis) => {
            axis.ticks = r.map((_, i) => ({ value: y(i) }));
          },
          ticks: { callback: (v) => r[r.length - Number(v)]?.config ?? '' },
        },
      },
    },
  };
  return renderChartPng(config, 900, 120 + 50 * Math.max(1, r.length));
}

/**
 * Every statistical output of a study from its per-run rows: study.csv, per_attribute.csv, study.md
 * and one forest plot per test set, written atomically into `dir`.
 */
export async function writeStatistics(dir: string, rows: readonly PerRunRow[]): Promise<{ files: string[] }> {
  const sets = arrange(rows);
  const { rows: study, attributes } = statistics(sets);
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeFileAtomic(join(dir, name), data);
    files.push(join(dir, name));
  };
  await write('study.csv', studyCsv(study));
  await write('per_attribute.csv', attributeCsv(attributes));
  await write('study.md', markdown(sets, study, attributes));
  for (const set of sets) await write(`forest-${set.name}.png`, forestPlot(set.name, study));
  return { files };
}
