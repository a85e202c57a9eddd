import { forestPng } from '../output/forest.ts';
import type { StudyRow } from './comparisons.ts';

/** Per configuration of a test set its ΔAUC against the baseline with the 95% bootstrap interval. */
export function forestPlot(set: string, rows: StudyRow[]): Uint8Array {
  const r = rows.filter((x) => x.testSet === set && !x.isBaseline);
  return forestPng(
    r.map((x) => ({ label: x.config, estimate: x.deltaAuc, low: x.ciLow, high: x.ciHigh })),
    `AUC difference vs the baseline, 95% bootstrap CI (${set})`,
    'ΔAUC (configuration - baseline)',
  );
}
