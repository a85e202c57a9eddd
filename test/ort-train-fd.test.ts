import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LOSS_SETTINGS, type LossName, type LossSettings } from '../src/trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../src/trackers/siamfc/network.ts';
import { createOrtSiamfc, OrtSiamese } from '../src/training/engines/ort/ort-siamese.ts';
import { uniform } from './helpers/grad-check.ts';

/**
 * Every parameter gradient of the ORT training graph against central differences of its own loss,
 * on a tiny network (width 0.02: 2/6/8/8/6 channels), the smallest crops that leave a 5x5 response
 * (87 and 119) and batch 2.
 *
 * The check is directional, per parameter tensor: along a direction v, (L(p + h v) - L(p - h v)) / 2h
 * against <grad, v>, measured against sum |grad_i v_i| (the derivative's size without cancellation).
 * Two directions: v = sign(grad) u (u uniform in [0.5, 1]), where every element adds to the
 * derivative, and a random-sign v, where a wrong element cannot hide behind the others' agreement.
 *
 * Why a ladder of steps h and a 1e-2 tolerance: ORT has no float64 convolution, so the loss is
 * float32 (about 1e-7 relative noise, which swamps steps below ~1e-5 of a weight), and the network is
 * piecewise smooth: every ReLU and max-pool switch inside +-h adds an error linear in h, and with
 * thousands of units some always sit there (measured: conv1's quotient moves from 0.83 to 4.46 as h
 * goes from 1e-2 to 1e-4 of the weights, converging on the gradient 4.43). So each direction is
 * tried with steps from 1e-2 down to 3e-5 of the tensor's RMS (at least 0.1) and passes when one agrees
 * within 5e-2. That is loose because of bn1: the first layer's ReLUs are the most numerous and every
 * step crosses some of them (its element-wise quotients scatter by 1-4% around the gradient while
 * deeper layers agree to 1e-3). A wrong rule is off by O(1) at every step: dropping batch norm's
 * terms through the mean and variance, say, changes these gradients several-fold. The exact
 * comparison is the tfjs parity test; this one is an independent check of the mathematics. The
 * images are smooth (sums of sinusoids, as natural crops are) rather than noise, which keeps
 * near-ties in the max-pool windows, hence switches, rarer.
 */
const TOLERANCE = 5e-2;
const cfg: NetworkConfig = { width: 0.02, exemplarSize: 87, searchSize: 119, headScale: 0.05, bnEps: 1e-6, bnMomentum: 0.05 };
const N = 2;

function smooth(side: number, seed: number): Float32Array {
  const out = new Float32Array(N * side * side * 3);
  const f = uniform(12 * N, seed, 0.05, 0.3);
  for (let b = 0; b < N; b++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let c = 0; c < 3; c++) {
          const k = 12 * b + 4 * c;
          out[((b * side + y) * side + x) * 3 + c] =
            128 + 60 * Math.sin(f[k] * x + 1.3 * f[k + 1] * y) + 50 * Math.cos(f[k + 2] * (x - y) + 7 * f[k + 3]);
        }
      }
    }
  }
  return out;
}

const batch = { size: N, exemplars: smooth(87, 51), searches: smooth(119, 52) };
const base = await createOrtSiamfc(cfg, 11, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
for (const [name, p] of base.params) {
  if (/gamma$/.test(name)) p.data.set(uniform(p.data.length, 61, 0.5, 1.5));
  if (/beta$|\/b$/.test(name)) p.data.set(uniform(p.data.length, 62, -0.5, 0.5));
}

const global = (g: Partial<LossSettings['global']>): LossSettings => ({
  ...DEFAULT_LOSS_SETTINGS,
  global: { ...DEFAULT_LOSS_SETTINGS.global, ...g },
});
const cases: [string, LossName, LossSettings][] = [
  ['logistic', 'logistic', DEFAULT_LOSS_SETTINGS],
  ['global (sigmoid)', 'global', DEFAULT_LOSS_SETTINGS],
  ['global (logits)', 'global', global({ scores: 'logits', delta: 3, alpha: 2 })],
  ['global (batch pooling)', 'global', global({ pooling: 'batch' })],
  ['global plus logistic', 'global', global({ logisticWeight: 0.5 })],
  ['global (soft maximum)', 'global', global({ hard: 'softmax', tau: 0.02 })],
  ['ranking', 'ranking', DEFAULT_LOSS_SETTINGS],
];

for (const [label, loss, settings] of cases) {
  test(`finite differences confirm every parameter gradient of the ${label} loss (width 0.02)`, async () => {
    const m = new OrtSiamese(cfg, base.params, loss, settings, { threads: 1 });
    const { grads } = await m.lossAndGrads(batch);
    let worst = ['', 0] as [string, number];
    for (const name of m.trainable) {
      const p = m.params.get(name)!.data;
      const g = grads.get(name)!;
      const original = Float32Array.from(p);
      const unit = Math.max(Math.sqrt(original.reduce((a, b) => a + b * b, 0) / original.length), 0.1);
      for (const [k, u] of [uniform(p.length, 70), uniform(p.length, 71)].entries()) {
        const v = Float64Array.from(u, (r, i) => (k === 0 ? Math.sign(g[i]) * (0.75 + r / 4) : r));
        let analytic = 0;
        let size = 0;
        for (let i = 0; i < p.length; i++) {
          analytic += g[i] * v[i];
          size += Math.abs(g[i] * v[i]);
        }
        // Exactly 0 for the losses that ignore a common shift of the scores.
        if (name === 'head/bias' && size < 1e-6) continue;
        const tried: string[] = [];
        let best = Infinity;
        for (const h of [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5].map((c) => c * unit)) {
          const lossAt = async (s: number) => {
            for (let i = 0; i < p.length; i++) p[i] = original[i] + s * h * v[i];
            return (await m.lossAndGrads(batch)).loss;
          };
          const fd = ((await lossAt(1)) - (await lossAt(-1))) / (2 * h);
          best = Math.min(best, Math.abs(fd - analytic) / size);
          tried.push(fd.toPrecision(4));
          if (best <= 1e-2) break; // close enough: spare the remaining steps
        }
        p.set(original);
        if (best > worst[1]) worst = [`${name} (direction ${k})`, best];
        assert.ok(
          best <= TOLERANCE,
          `${label}: ${name}, direction ${k}: gradient ${analytic.toPrecision(4)} (size ${size.toPrecision(3)}), finite differences ${tried}`,
        );
      }
    }
    process.stdout.write(`# ${label}: worst ${worst[0]} ${worst[1].toExponential(2)}\n`);
    m.dispose();
  });
}
