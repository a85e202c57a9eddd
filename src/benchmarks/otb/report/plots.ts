import type { ChartConfiguration } from 'chart.js';
import { ATTRIBUTE_NAMES } from '../dataset/sets.ts';
import type { OtbEvaluation, OtbScores } from '../metrics/types.ts';
import { renderChartPng, seriesStyle } from '../../../output/chart.ts';

export type CurveKind = 'success' | 'precision';

// A generic family: Chart.js measures and @napi-rs/canvas draws with the same font then.
const FONT = 'sans-serif';

/** The OTB toolkit draws the best 10 trackers of each plot (perfPlot's rankNum). */
const MAX_PLOTTED = 10;

export interface PlotSeries {
  tracker: string;
  /** Legend text as the toolkit writes it: `Name [0.xxx]`. */
  label: string;
  score: number;
  points: { x: number; y: number }[];
  /** Palette slot (seriesStyle). */
  index: number;
}

export interface PlotSpec {
  title: string;
  subtitle: string;
  series: PlotSeries[];
  /** Trackers with a curve in this plot, drawn or not. */
  total: number;
}

/**
 * The series of one success or precision plot, best first: success ranked by AUC (the mean of the
 * curve), precision by the value at 20 px, as perfPlot ranks them. `attribute` picks the attribute
 * subset; a tracker without that subset is left out.
 */
export function plotSpec(ev: OtbEvaluation, kind: CurveKind, attribute?: string): PlotSpec {
  const all: PlotSeries[] = [];
  for (const [index, t] of ev.trackers.entries()) {
    const s: (OtbScores & { sequences: number }) | undefined = attribute ? t.perAttribute[attribute] : t.overall;
    if (!s || s.sequences === 0) continue;
    const curve = kind === 'success' ? s.successCurve : s.precisionCurve;
    const score = kind === 'success' ? s.successAuc : s.precision20;
    const step = kind === 'success' ? 1 / (curve.length - 1) : 1;
    all.push({
      tracker: t.tracker,
      label: `${t.tracker} [${score.toFixed(3)}]`,
      score,
      points: curve.map((y, i) => ({ x: kind === 'success' ? Math.round(i * step * 1000) / 1000 : i, y })),
      index,
    });
  }
  all.sort((a, b) => b.score - a.score || a.tracker.localeCompare(b.tracker));
  const series = all.slice(0, MAX_PLOTTED);
  // Up to 10 trackers each keeps its colour in every plot; beyond that colours follow the rank, so
  // the 10 drawn are always 10 distinct colours.
  if (ev.trackers.length > MAX_PLOTTED)
    series.forEach((s, rank) => {
      s.index = rank;
    });
  const exp = (ev.experiment ?? 'ope').toUpperCase();
  const name = kind === 'success' ? `Success plots of ${exp}` : `Precision plots of ${exp}`;
  let n = 0;
  if (attribute) n = Math.max(0, ...ev.trackers.map((t) => t.perAttribute[attribute]?.sequences ?? 0));
  const scope = attribute ? ` - ${ATTRIBUTE_NAMES[attribute] ?? attribute} (${n})` : '';
  const shown = all.length > series.length ? `, top ${series.length} of ${all.length} trackers` : '';
  return {
    title: `${name}${scope}`,
    subtitle: `${ev.label ?? ev.dataset}, convention ${ev.convention}${shown}; legend: ${kind === 'success' ? 'AUC' : 'precision at 20 px'}`,
    series,
    total: all.length,
  };
}

/** PNG bytes of a plot spec, drawn as the toolkit draws it: axes fixed to [0,1] x [0,1] or [0,50] x [0,1]. */
export function renderCurvePlot(spec: PlotSpec, kind: CurveKind): Uint8Array {
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: {
      datasets: spec.series.map((s) => {
        const style = seriesStyle(s.index);
        return {
          label: s.label,
          data: s.points,
          borderColor: style.color,
          backgroundColor: style.color,
          borderDash: style.dash,
          borderWidth: 2,
          pointRadius: 0,
          tension: 0,
        };
      }),
    },
    options: {
      parsing: false,
      plugins: {
        title: { display: true, text: spec.title, font: { family: FONT, size: 18 } },
        subtitle: { display: true, text: spec.subtitle, font: { family: FONT, size: 12 } },
        // Beside the axes, so no curve hides under it; a line sample shows each tracker's dash pattern.
        legend: {
          position: 'right',
          align: 'start',
          labels: { usePointStyle: true, pointStyle: 'line', pointStyleWidth: 30, font: { family: FONT, size: 13 } },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: kind === 'success' ? 1 : 50,
          title: { display: true, text: kind === 'success' ? 'Overlap threshold' : 'Location error threshold (px)' },
          ticks: { stepSize: kind === 'success' ? 0.1 : 5 },
        },
        y: {
          type: 'linear',
          min: 0,
          max: 1,
          title: { display: true, text: kind === 'success' ? 'Success rate' : 'Precision' },
          ticks: { stepSize: 0.1 },
        },
      },
    },
  };
  return renderChartPng(config as ChartConfiguration, 900, 600);
}
