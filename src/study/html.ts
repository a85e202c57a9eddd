import { type ChartSpec, writeHtmlReport } from '../output/html/page.ts';
import type { StudyRow } from './comparisons.ts';

/**
 * Per test set, the forest plot (each configuration's ΔAUC against the baseline with its 95% CI) and
 * AUC mean ± SD over seeds: the numbers of study.csv, drawn as horizontal intervals, one row each.
 */
function studyCharts(rows: readonly StudyRow[]): ChartSpec[] {
  const sets = [...new Set(rows.map((r) => r.testSet))];
  return sets.flatMap((set) => {
    const inSet = rows.filter((r) => r.testSet === set);
    const compared = inSet.filter((r) => !r.isBaseline);
    const interval = (r: StudyRow, k: number, lo: number, mid: number, hi: number) => ({
      label: r.config,
      points: [
        [lo, k],
        [mid, k],
        [hi, k],
      ] as [number, number][],
      markers: true,
    });
    return [
      {
        title: `${set}: ΔAUC vs the baseline, 95% CI (paired bootstrap over sequences)`,
        group: set,
        x: { label: 'ΔAUC' },
        y: { label: '', min: -0.5, max: compared.length - 0.5 },
        yCategories: compared.map((r) => r.config),
        series: compared.map((r, k) => interval(r, k, r.ciLow, r.deltaAuc, r.ciHigh)),
      },
      {
        title: `${set}: success AUC, mean ± SD over seeds`,
        group: set,
        x: { label: 'success AUC' },
        y: { label: '', min: -0.5, max: inSet.length - 0.5 },
        yCategories: inSet.map((r) => `${r.config}${r.isBaseline ? ' (baseline)' : ''}`),
        series: inSet.map((r, k) => {
          const sd = Number.isFinite(r.aucSd) ? r.aucSd : 0;
          return interval(r, k, r.aucMean - sd, r.aucMean, r.aucMean + sd);
        }),
      },
    ];
  });
}

/** Writes report.html into a study folder, after study.csv and the other tables it shows. */
export async function writeStudyHtml(dir: string, rows: readonly StudyRow[]): Promise<string> {
  return writeHtmlReport(dir, {
    title: 'Study: the losses compared',
    subtitle: `${new Set(rows.map((r) => r.testSet)).size} test set(s), ${new Set(rows.map((r) => r.config)).size} configuration(s); every number is study.csv's.`,
    charts: studyCharts(rows),
    tables: [
      { title: 'Comparisons', file: 'study.csv' },
      { title: 'Per attribute', file: 'per_attribute.csv' },
      { title: 'Model selection (validation set)', file: 'selection.csv' },
      { title: 'Per run', file: 'per_run.csv' },
    ],
    sequences: [],
    texts: ['study.md'],
  });
}
