/**
 * How many cells the soft maximum of the global loss (--gs-hard softmax) lets carry the weight at a
 * temperature tau: on held-out training pairs (never a test set), the sigmoid scores of a model's
 * response maps, the gap from the hardest negative to the k-th hardest, and the effective number of
 * cells exp(entropy of the softmax weights) per map. docs/training.md picks the default tau from it.
 *
 *   npx tsx scripts/gs-tau.ts <train split> <model folder>...
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_PAIR_SETTINGS } from '../src/benchmarks/got10k/pairs.ts';
import { DEFAULT_LOSS_SETTINGS, labelMap } from '../src/trackers/siamfc/losses.ts';
import { embed, loadModel, xcorr } from '../src/trackers/siamfc/network.ts';
import { DEFAULT_CROP_SETTINGS } from '../src/training/crops.ts';
import { prepareData } from '../src/training/data.ts';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function effectiveCells(s: number[], tau: number, sign: number): number {
  const top = Math.max(...s.map((v) => sign * v));
  const w = s.map((v) => Math.exp((sign * v - top) / tau));
  const z = w.reduce((a, b) => a + b, 0);
  return Math.exp(-w.reduce((a, b) => a + (b > 0 ? (b / z) * Math.log(b / z) : 0), 0));
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  const [split, ...models] = process.argv.slice(2);
  if (!split || models.length === 0) throw new Error('usage: npx tsx scripts/gs-tau.ts <train split> <model folder>...');
  const crops = { ...DEFAULT_CROP_SETTINGS, exemplarSize: 127, searchSize: 239, instanceSize: 255 };
  const data = await prepareData(split, { valFraction: 0.25, valPairs: 32, seed: 1, batchSize: 8, pairs: DEFAULT_PAIR_SETTINGS, crops });
  for (const dir of models) {
    const m = await loadModel(dir);
    const neg: number[][] = [];
    const pos: number[][] = [];
    for (const b of data.val) {
      const z = tf.tensor4d(b.exemplars, [b.size, 127, 127, 3]);
      const x = tf.tensor4d(b.searches, [b.size, 239, 239, 3]);
      const r = tf.sigmoid(xcorr(embed(m.params, m.config, z, false), embed(m.params, m.config, x, false), m.config.headScale, m.params));
      const [, h, w] = r.shape;
      const labels = labelMap(h, w, DEFAULT_LOSS_SETTINGS.labels);
      const v = r.dataSync();
      for (let i = 0; i < b.size; i++) {
        const cells = [...v.slice(i * h * w, (i + 1) * h * w)];
        neg.push(cells.filter((_, c) => labels[c] < 0).sort((a, c) => c - a));
        pos.push(cells.filter((_, c) => labels[c] > 0).sort((a, c) => a - c));
      }
      tf.dispose([z, x, r]);
    }
    const gaps = [2, 5, 10].map((k) => `s1-s${k} ${median(neg.map((n) => n[0] - n[k - 1])).toFixed(3)}`).join(', ');
    const eff = [0.002, 0.003, 0.005, 0.01, 0.02, 0.05]
      .map(
        (tau) =>
          `tau ${tau}: ${median(neg.map((n) => effectiveCells(n, tau, 1))).toFixed(1)} neg / ${median(pos.map((p) => effectiveCells(p, tau, -1))).toFixed(1)} pos`,
      )
      .join('; ');
    process.stdout.write(`${dir} (${neg.length} held-out maps): hardest negatives ${gaps}; effective cells ${eff}\n`);
    m.dispose();
  }
}

await main();
