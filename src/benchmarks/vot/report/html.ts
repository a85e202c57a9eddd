import { type ChartSpec, writeHtmlReport } from '../../../output/html/page.ts';
import type { VotEvaluation } from '../eval/types.ts';

/** The EAO curve's points: every length up to the longest sequence, thinned to at most ~600 per tracker. */
function curvePoints(curve: Float64Array): [number, number][] {
  const step = Math.max(1, Math.ceil(curve.length / 600));
  const points: [number, number][] = [];
  for (let i = 0; i < curve.length; i += step) if (Number.isFinite(curve[i])) points.push([i + 1, curve[i]]);
  return points;
}

/** The A-R plot and the EAO curve as the PNGs draw them, from the same evaluation. */
function votCharts(ev: VotEvaluation): ChartSpec[] {
  const ranked = [...ev.trackers].sort((a, b) => b.eao - a.eao || a.tracker.localeCompare(b.tracker));
  const ar = ranked.filter((t) => Number.isFinite(t.accuracy) && Number.isFinite(t.reliability));
  return [
    {
      title: 'Accuracy-robustness plot (reliability = exp(-30 x failures / frames))',
      group: 'all sequences',
      x: { label: 'robustness (reliability, S = 30)', min: 0, max: 1 },
      y: { label: 'accuracy', min: 0, max: 1 },
      series: ar.map((t) => ({
        label: `${t.tracker} [A ${t.accuracy.toFixed(3)}, R ${t.robustness.toFixed(2)}]`,
        points: [[t.reliability, t.accuracy]],
        line: false,
      })),
    },
    {
      title: `Expected average overlap curve (EAO over lengths ${ev.range.low}-${ev.range.high})`,
      group: 'all sequences',
      x: { label: 'sequence length (frames)', min: 1 },
      y: { label: 'expected average overlap', min: 0, max: 1 },
      series: ranked.map((t) => ({ label: `${t.tracker} [${t.eao.toFixed(3)}]`, points: curvePoints(t.curve) })),
    },
  ];
}

/**
 * Writes report.html beside the VOT report's files: the A-R plot and EAO curve, summary.csv,
 * sequences.csv and tags.csv as tables, rules.txt and warnings.txt. VOT results are regions per
 * frame with resets, which the evaluation does not keep per frame: this page has no frame viewer.
 */
export async function writeVotHtml(outDir: string, ev: VotEvaluation): Promise<string> {
  return writeHtmlReport(outDir, {
    title: `${ev.dataset}: VOT evaluation`,
    subtitle: `Convention ${ev.convention}; ${ev.trackers.length} tracker(s), ${ev.sequences} sequence(s); robustness = failures per 100 frames.`,
    charts: votCharts(ev),
    tables: [
      { title: 'Summary', file: 'summary.csv' },
      { title: 'Per sequence', file: 'sequences.csv' },
      { title: 'Per tag', file: 'tags.csv' },
    ],
    sequences: [],
    texts: ['rules.txt', 'warnings.txt'],
  });
}
