import type { ChartConfiguration } from 'chart.js';
import { renderChartPng, seriesStyle } from '../../../output/chart.ts';
import type { Vot2020Evaluation } from '../eval/evaluate.ts';
import { num, ranked } from './tables.ts';

const FONT = 'sans-serif';
type XY = { x: number; y: number }[];

function chart(title: string, subtitle: string, datasets: object[], x: object, y: object): Uint8Array {
  const config = {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      plugins: {
        title: { display: true, text: title, font: { family: FONT, size: 18 } },
        subtitle: { display: true, text: subtitle, font: { family: FONT, size: 12 } },
        legend: { position: 'right', align: 'start', labels: { usePointStyle: true, font: { family: FONT, size: 13 } } },
      },
      scales: { x: { type: 'linear', ...x }, y: { type: 'linear', ...y } },
    },
  };
  return renderChartPng(config as unknown as ChartConfiguration, 1100, 620);
}

/** Expected-overlap curves of the baseline experiment, legend `Name [EAO]`, the EAO interval shaded by its bounds. */
export function eaoCurvePlot(ev: Vot2020Evaluation): Uint8Array {
  const ts = ranked(ev).filter((t) => t.baseline);
  const datasets: object[] = ts.map((t) => {
    const style = seriesStyle(ev.trackers.indexOf(t));
    const data: XY = Array.from(t.baseline!.curve, (y, x) => ({ x, y }));
    return {
      label: `${t.tracker} [${num(t.baseline!.eao, 3)}]`,
      data,
      borderColor: style.color,
      borderDash: style.dash,
      borderWidth: 2,
      pointRadius: 0,
    };
  });
  for (const x of [ev.stack.eao.low, ev.stack.eao.high - 1]) {
    const data: XY = [
      { x, y: 0 },
      { x, y: 1 },
    ];
    datasets.push({
      label: x === ev.stack.eao.low ? 'EAO interval' : '',
      data,
      borderColor: 'rgb(120,120,120)',
      borderDash: [4, 4],
      borderWidth: 1,
      pointRadius: 0,
    });
  }
  return chart(
    'Expected overlap curves (multistart)',
    `${ev.dataset}; legend: EAO`,
    datasets,
    { min: 0, max: ev.stack.eao.high, title: { display: true, text: 'Sequence length' } },
    { min: 0, max: 1, title: { display: true, text: 'Expected overlap' } },
  );
}

/** Accuracy against robustness (fraction of frames tracked before failure), one point per tracker. */
export function arPlot(ev: Vot2020Evaluation): Uint8Array {
  const ts = ranked(ev).filter((t) => t.baseline && !Number.isNaN(t.baseline.accuracy));
  const datasets = ts.map((t) => {
    const style = seriesStyle(ev.trackers.indexOf(t));
    return {
      label: t.tracker,
      data: [{ x: t.baseline!.robustness, y: t.baseline!.accuracy }],
      borderColor: style.color,
      backgroundColor: style.color,
      pointRadius: 7,
      showLine: false,
    };
  });
  return chart(
    'Accuracy-robustness plot (multistart)',
    ev.dataset,
    datasets,
    { min: 0, max: 1, title: { display: true, text: 'Robustness' } },
    { min: 0, max: 1, title: { display: true, text: 'Accuracy' } },
  );
}

/** Long-term tracking precision against recall over the confidence thresholds. */
export function prPlot(ev: Vot2020Evaluation): Uint8Array {
  const ts = ranked(ev).filter((t) => t.longterm);
  const datasets = ts.map((t) => {
    const style = seriesStyle(ev.trackers.indexOf(t));
    const lt = t.longterm!;
    const data: XY = lt.curve.recall.map((x, j) => ({ x, y: lt.curve.precision[j] }));
    return {
      label: `${t.tracker} [F ${num(lt.f, 3)}]`,
      data,
      borderColor: style.color,
      borderDash: style.dash,
      borderWidth: 2,
      pointRadius: 0,
    };
  });
  return chart(
    'Tracking precision-recall (long-term)',
    `${ev.dataset}; legend: F-score`,
    datasets,
    { min: 0, title: { display: true, text: 'Tracking recall' } },
    { min: 0, max: 1, title: { display: true, text: 'Tracking precision' } },
  );
}
