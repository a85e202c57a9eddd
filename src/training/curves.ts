import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { renderChartPng } from '../output/chart.ts';

export interface StepRecord {
  step: number;
  epoch: number;
  lr: number;
  loss: number;
  pairsPerSecond: number;
}

export interface EpochRecord {
  epoch: number;
  lr: number;
  trainLoss: number;
  /** NaN when nothing was held out. */
  valLoss: number;
  seconds: number;
}

export interface History {
  steps: StepRecord[];
  epochs: EpochRecord[];
}

/** Writes loss-steps.csv, loss-epochs.csv and loss.png (train per step, train and val per epoch). */
export async function writeCurves(dir: string, history: History, title: string): Promise<void> {
  await writeFileAtomic(
    join(dir, 'loss-steps.csv'),
    stringify(
      history.steps.map((s) => [s.step, s.epoch, s.lr, s.loss, s.pairsPerSecond]),
      { header: true, columns: ['step', 'epoch', 'lr', 'loss', 'pairs_per_s'] },
    ),
  );
  await writeFileAtomic(
    join(dir, 'loss-epochs.csv'),
    stringify(
      history.epochs.map((e) => [e.epoch, e.lr, e.trainLoss, Number.isNaN(e.valLoss) ? '' : e.valLoss, e.seconds]),
      {
        header: true,
        columns: ['epoch', 'lr', 'train_loss', 'val_loss', 'seconds'],
      },
    ),
  );
  await writeFileAtomic(join(dir, 'loss.png'), plot(history, title));
}

function plot(history: History, title: string): Uint8Array {
  const stepsPerEpoch = history.steps.length > 0 ? Math.max(1, history.steps.filter((s) => s.epoch === history.steps[0].epoch).length) : 1;
  // Epoch points sit at the step that ends their epoch, so both series share the step axis.
  const epochX = (e: EpochRecord) => history.steps.filter((s) => s.epoch <= e.epoch).length || (e.epoch + 1) * stepsPerEpoch;
  return renderChartPng(
    {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'train loss (step)',
            data: history.steps.map((s) => ({ x: s.step, y: s.loss })),
            borderColor: 'rgba(31,119,180,0.35)',
            pointRadius: 0,
            borderWidth: 1,
          },
          {
            label: 'train loss (epoch mean)',
            data: history.epochs.map((e) => ({ x: epochX(e), y: e.trainLoss })),
            borderColor: 'rgb(31,119,180)',
            pointRadius: 3,
            borderWidth: 2,
          },
          {
            label: 'validation loss',
            data: history.epochs.filter((e) => !Number.isNaN(e.valLoss)).map((e) => ({ x: epochX(e), y: e.valLoss })),
            borderColor: 'rgb(214,39,40)',
            pointRadius: 3,
            borderWidth: 2,
          },
        ],
      },
      options: {
        parsing: false,
        plugins: { title: { display: true, text: title } },
        scales: { x: { type: 'linear', title: { display: true, text: 'step' } }, y: { title: { display: true, text: 'loss' } } },
      },
    },
    900,
    500,
  );
}
