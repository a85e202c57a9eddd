import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { renderChartPng, seriesStyle } from '../output/chart.ts';
import { readUtf8Sync } from '../core/text-file.ts';

/** The columns of a CSV written by training/curves.ts (plain numbers, no quoting). */
function readCsv(file: string): Record<string, number>[] {
  if (!existsSync(file)) return [];
  const [head, ...body] = readUtf8Sync(file)
    .split('\n')
    .filter((l) => l !== '');
  const cols = head.split(',');
  return body.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v === '' ? NaN : Number(v)])));
}

/** Running mean over `w` steps, so that a line per seed stays readable. */
function smooth(ys: number[], w: number): number[] {
  let s = 0;
  return ys.map((y, i) => {
    s += y - (i >= w ? ys[i - w] : 0);
    return s / Math.min(i + 1, w);
  });
}

/**
 * One PNG per configuration, a colour per seed: the training loss per step (running mean over a
 * fiftieth of the run) as a solid line and the validation loss per epoch as dashed points, from each
 * run's training/loss-steps.csv and loss-epochs.csv.
 */
export async function writeConfigCurves(file: string, config: string, runs: { label: string; dir: string }[]): Promise<void> {
  const datasets = runs.flatMap(({ label, dir }, i) => {
    const steps = readCsv(join(dir, 'training', 'loss-steps.csv'));
    const epochs = readCsv(join(dir, 'training', 'loss-epochs.csv'));
    const { color } = seriesStyle(i);
    const w = Math.max(1, Math.round(steps.length / 50));
    const perEpoch = steps.length / Math.max(1, epochs.length);
    const train = smooth(
      steps.map((s) => s.loss),
      w,
    );
    return [
      {
        label: `${label} train`,
        data: steps.map((s, k) => ({ x: s.step, y: train[k] })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
        showLine: true,
      },
      {
        label: `${label} val`,
        data: epochs.filter((e) => !Number.isNaN(e.val_loss)).map((e) => ({ x: (e.epoch + 1) * perEpoch, y: e.val_loss })),
        borderColor: color,
        backgroundColor: color,
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 3,
        showLine: true,
      },
    ];
  });
  await writeFileAtomic(
    file,
    renderChartPng(
      {
        type: 'scatter',
        data: { datasets },
        options: {
          plugins: {
            title: {
              display: true,
              text: `${config}: training loss (running mean) and validation loss (dashed), one colour per ${runs.some((r) => r.label.startsWith('fold')) ? 'run' : 'seed'}`,
            },
          },
          scales: { x: { type: 'linear', title: { display: true, text: 'step' } }, y: { title: { display: true, text: 'loss' } } },
        },
      },
      1000,
      550,
    ),
  );
}
