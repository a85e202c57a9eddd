import type { PerRunRow } from './per-run.ts';
import { mean } from './stats.ts';

/**
 * Which trained model each configuration ships: the seed with the highest mean success AUC on the
 * validation set (synthetic sequences generated apart from the training split and from every test
 * set), ties broken by precision, then by the lower seed. Computed from validation.csv alone, so a
 * test set never decides which model is committed. The comparisons still use every seed: choosing
 * the best of five on the test set would report the luckiest seed as the configuration's score.
 */

export interface SelectionRow {
  config: string;
  loss: string;
  seed: number;
  /** Mean over the validation sequences every run scored. */
  auc: number;
  precision: number;
  sequences: number;
  selected: boolean;
}

/** Every (configuration, seed) of the validation rows, its means over the sequences all its configuration's seeds scored. */
export function selectModels(validation: readonly PerRunRow[]): SelectionRow[] {
  const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
  return unique(validation.map((r) => r.config)).flatMap((config) => {
    const mine = validation.filter((r) => r.config === config);
    const seeds = unique(mine.map((r) => r.seed));
    const scored = (q: string) => seeds.every((s) => mine.some((r) => r.seed === s && r.sequence === q));
    const sequences = unique(mine.map((r) => r.sequence)).filter(scored);
    const of = (s: number) => mine.filter((r) => r.seed === s && sequences.includes(r.sequence));
    const auc = seeds.map((s) => mean(of(s).map((r) => r.auc)));
    const precision = seeds.map((s) => mean(of(s).map((r) => r.precision)));
    const order = seeds.map((_, i) => i).sort((a, b) => auc[b] - auc[a] || precision[b] - precision[a] || seeds[a] - seeds[b]);
    return seeds.map((seed, i) => ({
      config,
      loss: mine[0].loss,
      seed,
      auc: auc[i],
      precision: precision[i],
      sequences: sequences.length,
      selected: i === order[0],
    }));
  });
}

export function selectionCsv(rows: readonly SelectionRow[]): string {
  const head = 'config,loss,seed,val_auc,val_precision,sequences,selected';
  const line = (r: SelectionRow) =>
    [r.config, r.loss, r.seed, r.auc.toFixed(6), r.precision.toFixed(6), r.sequences, r.selected ? 1 : 0].join(',');
  return `${head}\n${rows.map((r) => `${line(r)}\n`).join('')}`;
}

/** study.md's section on the models chosen, one row per configuration. */
export function selectionMarkdown(rows: readonly SelectionRow[]): string[] {
  if (rows.length === 0) return [];
  const out = [
    '## The model each configuration ships (validation set)',
    '',
    `Chosen on the validation set alone (${Math.max(...rows.map((r) => r.sequences))} synthetic sequences generated apart from the training split and every test set): the seed with the highest mean AUC; selection.csv lists every seed. The comparisons above use all seeds.`,
    '',
    '| configuration | chosen seed | validation AUC | validation precision@20 | AUC over its seeds (min - max) |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const config of [...new Set(rows.map((r) => r.config))]) {
    const mine = rows.filter((r) => r.config === config);
    const best = mine.find((r) => r.selected)!;
    const aucs = mine.map((r) => r.auc);
    out.push(
      `| ${config} | ${best.seed} | ${best.auc.toFixed(3)} | ${best.precision.toFixed(3)} | ${mean(aucs).toFixed(3)} (${Math.min(...aucs).toFixed(3)} - ${Math.max(...aucs).toFixed(3)}) |`,
    );
  }
  out.push('');
  return out;
}
