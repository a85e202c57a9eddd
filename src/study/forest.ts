import { forestPng } from '../output/forest.ts';
import { MIN_INTERVAL_SEQUENCES, type StudyRow } from './comparisons.ts';
import { REFERENCE } from './spec.ts';

/** A row's label: the rows that are not trained here say what they are. */
function rowLabel(x: StudyRow): string {
  if (x.config === REFERENCE.config) return `${x.config} (the imported model, not fine-tuned)`;
  return x.loss === REFERENCE.loss ? `${x.config} (published results)` : x.config;
}

/** Per configuration of a test set its ΔAUC against the named baseline with the 95% bootstrap interval. */
export function forestPlot(set: string, rows: StudyRow[]): Uint8Array {
  const r = rows.filter((x) => x.testSet === set && !x.isBaseline);
  const base = rows.find((x) => x.testSet === set && x.isBaseline);
  const baseline = base ? `the baseline ${base.config} (${base.loss} loss)` : 'the baseline';
  const ci = r.some((x) => !Number.isNaN(x.ciLow)) ? '95% bootstrap CI' : `no interval under ${MIN_INTERVAL_SEQUENCES} sequences`;
  return forestPng(
    r.map((x) => ({ label: rowLabel(x), estimate: x.deltaAuc, low: x.ciLow, high: x.ciHigh })),
    `AUC difference vs ${baseline}, ${ci} (${set})`,
    `ΔAUC (row - ${base?.config ?? 'baseline'})`,
  );
}
