import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';

let registered = false;

/** A fixed 10-colour palette (matplotlib's tab10), so a tracker keeps its colour across plots. */
const PALETTE = [
  'rgb(31,119,180)',
  'rgb(255,127,14)',
  'rgb(44,160,44)',
  'rgb(214,39,40)',
  'rgb(148,103,189)',
  'rgb(140,86,75)',
  'rgb(227,119,194)',
  'rgb(127,127,127)',
  'rgb(188,189,34)',
  'rgb(23,190,207)',
];

/** Line styles cycled after the palette, so more than ten trackers stay distinguishable. */
const DASHES: number[][] = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

export function seriesStyle(i: number): { color: string; dash: number[] } {
  return { color: PALETTE[i % PALETTE.length], dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length] };
}

/**
 * Renders a Chart.js configuration to PNG bytes on @napi-rs/canvas (prebuilt; no Cairo, no download),
 * on a white background so the image drops into a paper as it is. Animation and responsiveness are
 * forced off: there is no browser to animate in.
 */
export function renderChartPng(config: ChartConfiguration, width = 900, height = 600): Uint8Array {
  if (!registered) {
    Chart.register(...registerables);
    registered = true;
  }
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  const chart = new Chart(
    ctx as unknown as CanvasRenderingContext2D,
    {
      ...config,
      options: { ...config.options, responsive: false, animation: false },
    } as ChartConfiguration,
  );
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return new Uint8Array(png);
}
