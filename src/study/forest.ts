import type { ChartConfiguration } from 'chart.js';
import { renderChartPng, seriesStyle } from '../output/chart.ts';
import type { StudyRow } from './comparisons.ts';

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
