import { relative, sep } from 'node:path';
import { type ChartSpec, type ReportPage, type ViewerSequence, writeHtmlReport } from '../../../output/html/page.ts';
import { ATTRIBUTE_NAMES } from '../dataset/sets.ts';
import type { OtbTarget } from '../dataset/types.ts';
import type { OtbEvaluation, OtbScores } from '../metrics/types.ts';

type Box = [number, number, number, number];
const round = (v: number, d: number) => Number(v.toFixed(d));

const CURVES = [
  { key: 'successCurve', score: 'successAuc', title: 'Success plot', x: 'overlap threshold', xMax: 1, step: 0.05 },
  { key: 'precisionCurve', score: 'precision20', title: 'Precision plot', x: 'location error threshold (px)', xMax: 50, step: 1 },
  {
    key: 'normPrecisionCurve',
    score: 'normPrecision20',
    title: 'Normalised precision plot',
    x: 'normalised error threshold',
    xMax: 0.5,
    step: 0.01,
  },
] as const;

/**
 * The success, precision and normalised precision curves of every tracker, for all sequences and per
 * attribute: the curves summary.json holds, legend scores as in summary.csv (every tracker, best first).
 */
function curveCharts(ev: OtbEvaluation): ChartSpec[] {
  const groups: [string, (t: OtbEvaluation['trackers'][number]) => (OtbScores & { sequences: number }) | undefined][] = [
    ['all sequences', (t) => t.overall],
  ];
  const attrs = [...new Set(ev.trackers.flatMap((t) => Object.keys(t.perAttribute)))];
  for (const a of attrs) groups.push([`${ATTRIBUTE_NAMES[a] ?? a} (${a})`, (t) => t.perAttribute[a]]);
  return groups.flatMap(([group, pick]) =>
    CURVES.map((c) => {
      const rows = ev.trackers.flatMap((t) => {
        const s = pick(t);
        return s && s.sequences > 0 ? [{ t: t.tracker, s }] : [];
      });
      rows.sort((a, b) => b.s[c.score] - a.s[c.score] || a.t.localeCompare(b.t));
      const n = Math.max(0, ...rows.map((r) => r.s.sequences));
      return {
        title: `${c.title} - ${group} (${n} sequences)`,
        group,
        x: { label: c.x, min: 0, max: c.xMax },
        y: { label: c.key === 'successCurve' ? 'success rate' : 'precision', min: 0, max: 1 },
        series: rows.map(({ t, s }) => ({
          label: `${t} [${s[c.score].toFixed(3)}]`,
          points: s[c.key].map((y, i) => [round(i * c.step, 3), y] as [number, number]),
        })),
      };
    }),
  );
}

function boxAt(flat: Float64Array, i: number): Box | null {
  const b = [flat[4 * i], flat[4 * i + 1], flat[4 * i + 2], flat[4 * i + 3]];
  return b.every(Number.isFinite) ? (b.map((v) => round(v, 2)) as Box) : null;
}

/** URL of an image relative to the report's folder, so the page finds the frames when opened from disk. */
const imageUrl = (outDir: string, path: string) => relative(outDir, path).split(sep).map(encodeURIComponent).join('/');

/**
 * The viewer's sequences: each target's rows with its ground truth, and each tracker's aligned boxes
 * and IoU exactly as scored (perFrame of the evaluation), null on rows it was not scored on.
 */
function viewerSequences(outDir: string, ev: OtbEvaluation, targets: readonly OtbTarget[]): ViewerSequence[] {
  return targets.flatMap((target) => {
    const tracks = ev.trackers.flatMap((t) => {
      const pf = t.perSequence.find((s) => s.target === target.name)?.perFrame;
      if (!pf) return [];
      const at = new Map(pf.frames.map((f, i) => [f, i]));
      const rows = target.frames.map((f) => at.get(f));
      return [
        {
          tracker: t.tracker,
          boxes: rows.map((i) => (i === undefined ? null : boxAt(pf.pred, i))),
          iou: rows.map((i) => (i === undefined || !Number.isFinite(pf.iou[i]) ? null : round(pf.iou[i], 4))),
        },
      ];
    });
    if (tracks.length === 0) return [];
    const gt = target.groundTruth.map((b) => [b[0], b[1], b[2], b[3]].map((v) => round(v, 2)) as Box);
    const images = target.images?.map((p) => imageUrl(outDir, p));
    return [
      {
        name: target.name,
        frames: target.frames,
        gt: gt.map((b) => (b.every(Number.isFinite) ? b : null)),
        tracks,
        ...(images ? { images } : {}),
      },
    ];
  });
}

/**
 * Writes report.html beside the OTB report's files: the curves of the evaluation, summary.csv,
 * per_sequence.csv and per_attribute.csv as tables, the sequence viewer, rules.txt and warnings.txt.
 */
export async function writeOtbHtml(outDir: string, ev: OtbEvaluation, targets: readonly OtbTarget[]): Promise<string> {
  const page: ReportPage = {
    title: `${ev.dataset}: one-pass evaluation`,
    subtitle: `Convention ${ev.convention}; ${ev.trackers.length} tracker(s), ${targets.length} target(s). Scores are fractions in [0, 1].`,
    charts: curveCharts(ev),
    tables: [
      { title: 'Summary', file: 'summary.csv' },
      { title: 'Per sequence (click a row to view it)', file: 'per_sequence.csv', open: 'target' },
      { title: 'Per attribute', file: 'per_attribute.csv' },
    ],
    sequences: viewerSequences(outDir, ev, targets),
    texts: ['rules.txt', 'warnings.txt'],
  };
  return writeHtmlReport(outDir, page);
}
