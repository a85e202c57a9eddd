import type { ChartConfiguration } from 'chart.js';
import { renderChartPng, seriesStyle } from './chart.ts';

/** One line of a forest plot: a label, a point estimate and its interval. */
export interface ForestRow {
  label: string;
  estimate: number;
  low: number;
  high: number;
}

/**
 * A forest plot (the study's ΔAUC per configuration, eval's ΔAUC per tracker against a baseline):
 * per row a horizontal interval with its point estimate, top to bottom in the given order, and a
 * dashed line at 0.
 */
export function forestPng(rows: readonly ForestRow[], title: string, xTitle: string): Uint8Array {
  const y = (i: number) => rows.length - i;
  const { color } = seriesStyle(0);
  const config: ChartConfiguration = {
    type: 'scatter',
    data: {
      datasets: [
        ...rows.map((x, i) => ({
          label: `ci-${x.label}`,
          data: [
            { x: x.low, y: y(i) },
            { x: x.high, y: y(i) },
          ],
          showLine: true,
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          pointRadius: 0,
        })),
        {
          label: 'delta',
          data: rows.map((x, i) => ({ x: x.estimate, y: y(i) })),
          backgroundColor: color,
          borderColor: color,
          pointRadius: 6,
          pointStyle: 'rect' as const,
        },
        {
          label: 'zero',
          data: [
            { x: 0, y: 0.5 },
            { x: 0, y: rows.length + 0.5 },
          ],
          showLine: true,
          borderColor: 'rgb(127,127,127)',
          borderDash: [6, 4],
          borderWidth: 1,
          pointRadius: 0,
        },
      ],
    },
    options: {
      plugins: { legend: { display: false }, title: { display: true, text: title } },
      scales: {
        x: { type: 'linear', suggestedMin: 0, suggestedMax: 0, grace: '5%', title: { display: true, text: xTitle } },
        y: {
          type: 'linear',
          min: 0.5,
          max: rows.length + 0.5,
          afterBuildTicks: (axis) => {
            axis.ticks = rows.map((_, i) => ({ value: y(i) }));
          },
          ticks: { callback: (v) => rows[rows.length - Number(v)]?.label ?? '' },
        },
      },
    },
  };
  return renderChartPng(config, 900, 120 + 50 * Math.max(1, rows.length));
}
