import type { ChartConfiguration } from 'chart.js';
import { renderChartPng, seriesStyle } from '../output/chart.ts';
import { MIN_INTERVAL_SEQUENCES, type StudyRow } from './comparisons.ts';
import { REFERENCE } from './spec.ts';

/** A row's label: the rows that are not trained here say what they are. */
function rowLabel(x: StudyRow): string {
  if (x.config === REFERENCE.config) return `${x.config} (the imported model, not fine-tuned)`;
  return x.loss === REFERENCE.loss ? `${x.config} (published results)` : x.config;
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

export function forestPlot(set: string, rows: StudyRow[]): Uint8Array {
  const r = rows.filter((x) => x.testSet === set && !x.isBaseline);
  const base = rows.find((x) => x.testSet === set && x.isBaseline);
  const baseline = base ? `the baseline ${base.config} (${base.loss} loss)` : 'the baseline';
  const y = (i: number) => r.length - i;
  const { color } = seriesStyle(0);
  const config: ChartConfiguration = {
    type: 'scatter',
    data: {
      datasets: [...forestDatasets(r, y, color)],
    },
    options: {
      plugins: {
        legend: { display: false },
        title: {
          display: true,
          text: `AUC difference vs ${baseline}, ${r.some((x) => !Number.isNaN(x.ciLow)) ? '95% bootstrap CI' : `no interval under ${MIN_INTERVAL_SEQUENCES} sequences`} (${set})`,
        },
      },
      scales: {
        x: {
          type: 'linear',
          suggestedMin: 0,
          suggestedMax: 0,
          grace: '5%',
          title: { display: true, text: `ΔAUC (row - ${base?.config ?? 'baseline'})` },
        },
        y: {
          type: 'linear',
          min: 0.5,
          max: r.length + 0.5,
          afterBuildTicks: (axis) => {
            axis.ticks = r.map((_, i) => ({ value: y(i) }));
          },
          ticks: {
            callback: (v) => {
              const x = r[r.length - Number(v)];
              return x ? rowLabel(x) : '';
            },
          },
        },
      },
    },
  };
  return renderChartPng(config, 900, 120 + 50 * Math.max(1, r.length));
}
