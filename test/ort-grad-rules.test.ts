import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OnnxGraph } from '../src/compute/onnx/graph.ts';
import * as d from '../src/compute/onnx/grad/index.ts';
import { transposeFast } from '../src/compute/onnx/grad/layout.ts';
import { xcorr } from '../src/trackers/siamfc/network.ts';
import { type Feed, finiteDifferences, relError, run, session, uniform } from './helpers/grad-check.ts';

/**
 * Each gradient rule on its own: a graph y = rule(inputs), loss = sum(y * R) for a fixed random R,
 * differentiated by the rule; checked against central differences of the same ORT graph and against
 * TensorFlow.js CPU's tf.grads of the same function.
 *
 * Finite differences: the graph runs in float32 (ORT's Conv has no float64 kernel) and the objective
 * sum(y * R) is summed in float64 from y. With eps = 1e-3 on inputs of order 1, y's own rounding
 * (6e-8 relative per element, ~10 elements moving) shifts a difference quotient by ~1e-7 * 10 / 2e-3
 * = 5e-4 of a gradient of order 1, and the eps^2 term is ~1e-6; so 2e-3 relative is the tolerance,
 * where a wrong rule is off by O(1).
 * Inputs of the kinked rules (ReLU, max pool, max/min) are distinct values at least 0.02 apart, so
 * that no +-eps step crosses a kink. The TensorFlow.js comparison has no such noise: 1e-5.
 */
await tf.setBackend('cpu');

/** n distinct values spaced 0.02 apart in [-1, 1), shuffled deterministically; none is 0. */
function distinct(n: number, seed: number): Float32Array {
  const keys = uniform(n, seed);
  const order = Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b]);
  const out = new Float32Array(n);
  order.forEach((idx, rank) => (out[idx] = (rank - n / 2 + 0.5) * (2 / Math.max(n, 100)) + 0.003));
  return out;
}

interface Case {
  inputs: Feed[];
  build: (t: d.Tape, xs: string[]) => string;
  /** The same function in TensorFlow.js on the same (ORT-layout) inputs. */
  tfjs?: (xs: tf.Tensor[]) => tf.Tensor;
  eps?: number;
}

async function check(c: Case): Promise<{ fd: number[]; tfjs: number[] }> {
  const g = new OnnxGraph('rule', 16);
  const t = new d.Tape(g);
  const xs = c.inputs.map((i) => t.param(i.name, i.shape));
  const y = c.build(t, xs);
  const ys = t.shape(y);
  const rData = uniform(d.size(ys), 99);
  const r = t.known(g.initializer('R', rData, ys), ys);
  const loss = d.scale(t, d.reduceMean(t, d.mul(t, y, r)), d.size(ys));
  g.output(y, 'y');
  const grads = t.gradients(loss, xs);
  grads.forEach((gr, i) => g.output(gr, `grad${i}`));
  const s = await session(g.toBytes());
  const analytic = await run(
    s,
    c.inputs,
    grads.map((_, i) => `grad${i}`),
  );
  const fd: number[] = [];
  for (let i = 0; i < c.inputs.length; i++) {
    assert.deepEqual([...analytic[i].length.toString()], [...d.size(c.inputs[i].shape).toString()]);
    const objective = ([out]: Float32Array[]) => out.reduce((acc, v, k) => acc + v * rData[k], 0);
    fd.push(relError(analytic[i], await finiteDifferences(s, c.inputs, i, c.eps ?? 1e-3, ['y'], objective)));
  }
  const ref: number[] = [];
  if (c.tfjs) {
    const f = (...a: tf.Tensor[]) => tf.sum(tf.mul(c.tfjs!(a), tf.tensor(rData, ys)));
    const tg = tf.grads(f)(c.inputs.map((i) => tf.tensor(i.data, i.shape)));
    tg.forEach((gt, i) => ref.push(relError(analytic[i], gt.dataSync())));
  }
  await s.release();
  return { fd, tfjs: ref };
}

function expectClose(name: string, r: { fd: number[]; tfjs: number[] }): void {
  process.stdout.write(
    `# ${name}: finite differences ${r.fd.map((e) => e.toExponential(1))}, tfjs ${r.tfjs.map((e) => e.toExponential(1))}\n`,
  );
  r.fd.forEach((e, i) => assert.ok(e <= 2e-3, `${name}: input ${i} off finite differences by ${e}`));
  r.tfjs.forEach((e, i) => assert.ok(e <= 1e-5, `${name}: input ${i} off TensorFlow.js by ${e}`));
}

const feed = (name: string, shape: number[], data: Float32Array): Feed => ({ name, shape, data });
const nhwc = (x: tf.Tensor) => tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
const nchw = (x: tf.Tensor) => tf.transpose(x, [0, 3, 1, 2]);
/** Kernels in tfjs's layout [kh, kw, C/G, O], as the rule takes them. */
function tfConv(x: tf.Tensor, w: tf.Tensor, stride: number, groups: number): tf.Tensor {
  if (groups === 1) return nchw(tf.conv2d(nhwc(x), w as tf.Tensor4D, stride, 'valid'));
  const xs = tf.split(nhwc(x), groups, 3) as tf.Tensor4D[];
  const ws = tf.split(w, groups, 3) as tf.Tensor4D[];
  return nchw(
    tf.concat(
      xs.map((xi, g) => tf.conv2d(xi, ws[g], stride, 'valid')),
      3,
    ),
  );
}

test('Conv, stride 2 with rows the stride never reaches (ConvTranspose output padding, weight gradient by a dilated convolution, sliced)', async () => {
  const stride = 2;
  expectClose(
    'conv s2',
    await check({
      inputs: [feed('x', [2, 3, 10, 9], uniform(540, 1)), feed('w', [3, 3, 3, 4], uniform(108, 2))],
      build: (t, [x, w]) => d.conv(t, x, w, { stride, groups: 1 }),
      tfjs: ([x, w]) => tfConv(x, w, stride, 1),
    }),
  );
});

test('Conv in two groups, stride 1 (input gradient by a padded convolution, weight gradient by windows and Gemm)', async () => {
  expectClose(
    'conv g2',
    await check({
      inputs: [feed('x', [2, 4, 7, 6], uniform(336, 3)), feed('w', [3, 2, 2, 6], uniform(72, 4))],
      build: (t, [x, w]) => d.conv(t, x, w, { stride: 1, groups: 2 }),
      tfjs: ([x, w]) => tfConv(x, w, 1, 2),
    }),
  );
});

test('Conv in two groups, stride 2 (grouped dilated-convolution weight gradient, grouped ConvTranspose)', async () => {
  expectClose(
    'conv g2 s2',
    await check({
      inputs: [feed('x', [2, 4, 9, 9], uniform(648, 23)), feed('w', [3, 3, 2, 6], uniform(108, 24))],
      build: (t, [x, w]) => d.conv(t, x, w, { stride: 2, groups: 2 }),
      tfjs: ([x, w]) => tfConv(x, w, 2, 2),
    }),
  );
});

test('bias add per channel', async () => {
  expectClose(
    'bias',
    await check({
      inputs: [feed('x', [2, 3, 4, 4], uniform(96, 5)), feed('b', [3], uniform(3, 6))],
      build: (t, [x, b]) => d.biasAdd(t, x, b),
      tfjs: ([x, b]) => tf.add(x, tf.reshape(b, [1, 3, 1, 1])),
    }),
  );
});

test('MaxPool 3x3 stride 2 (overlapping windows) through Indices and ScatterElements add', async () => {
  expectClose(
    'maxpool',
    await check({
      inputs: [feed('x', [2, 3, 9, 11], distinct(594, 7))],
      build: (t, [x]) => d.maxPool(t, x, 3, 2),
      tfjs: ([x]) => nchw(tf.maxPool(nhwc(x), 3, 2, 'valid')),
    }),
  );
});

test('batch norm in training mode, through the batch mean and variance', async () => {
  const x = uniform(3 * 4 * 5 * 5, 8, 0, 4);
  expectClose(
    'batchnorm',
    await check({
      inputs: [feed('x', [3, 4, 5, 5], x), feed('gamma', [4], uniform(4, 9, 0.5, 1.5)), feed('beta', [4], uniform(4, 10))],
      build: (t, [x, gm, bt]) => d.batchNormTrain(t, x, gm, bt, 1e-6).y,
      tfjs: ([x, gm, bt]) => {
        const h = nhwc(x);
        const { mean, variance } = tf.moments(h, [0, 1, 2]);
        return nchw(tf.batchNorm(h, mean, variance, bt as tf.Tensor1D, gm as tf.Tensor1D, 1e-6));
      },
      eps: 1e-2,
    }),
  );
});

test('ReLU masks the gradient', async () => {
  expectClose(
    'relu',
    await check({ inputs: [feed('x', [4, 25], distinct(100, 11))], build: (t, [x]) => d.relu(t, x), tfjs: ([x]) => tf.relu(x) }),
  );
});

test('paired cross-correlation: gradients wrt exemplar and search features', async () => {
  expectClose(
    'xcorr',
    await check({
      inputs: [feed('z', [3, 4, 3, 3], uniform(108, 12)), feed('x', [3, 4, 7, 6], uniform(504, 13))],
      build: (t, [z, x]) => d.xcorrPairs(t, z, x),
      tfjs: ([z, x]) => nchw(xcorr(nhwc(z), nhwc(x), 1)),
    }),
  );
});

test('sigmoid and softplus (softplus over -30..30)', async () => {
  expectClose(
    'sigmoid',
    await check({ inputs: [feed('x', [50], uniform(50, 14, -4, 4))], build: (t, [x]) => d.sigmoid(t, x), tfjs: ([x]) => tf.sigmoid(x) }),
  );
  expectClose(
    'softplus',
    await check({
      inputs: [feed('x', [50], uniform(50, 15, -30, 30))],
      build: (t, [x]) => d.softplus(t, x),
      tfjs: ([x]) => tf.softplus(x),
    }),
  );
});

test('softplus stays finite and exact where exp overflows float32', async () => {
  const g = new OnnxGraph('softplus', 16);
  const t = new d.Tape(g);
  g.output(d.softplus(t, t.input('x', [4])), 'y');
  const y = (await run(await session(g.toBytes()), [feed('x', [4], Float32Array.from([-200, -30, 30, 200]))], ['y']))[0];
  assert.ok(Math.abs(y[0]) < 1e-30 && Math.abs(y[1] - Math.exp(-30)) < 1e-15, `${y}`);
  assert.equal(y[2], Math.fround(30));
  assert.equal(y[3], 200);
});

test('mean, population variance, max and min, over one axis and over everything', async () => {
  const x = () => feed('x', [3, 40], distinct(120, 16));
  const mean = (a: tf.Tensor, axis?: number) => tf.mean(a, axis);
  const variance = (a: tf.Tensor, axis?: number) => tf.moments(a, axis).variance;
  const rules = {
    mean: [d.reduceMean, mean],
    variance: [d.reduceVariance, variance],
    max: [d.reduceMax, (a: tf.Tensor, axis?: number) => tf.max(a, axis)],
    min: [d.reduceMin, (a: tf.Tensor, axis?: number) => tf.min(a, axis)],
  } as const;
  for (const [name, [rule, ref]] of Object.entries(rules)) {
    // Mean and variance are linear and quadratic, so a large step costs nothing and beats rounding;
    // max and min need a step below half the 0.02 spacing.
    const eps = name === 'mean' || name === 'variance' ? 0.05 : 1e-3;
    expectClose(`${name} axis 1`, await check({ inputs: [x()], build: (t, [v]) => rule(t, v, [1]), tfjs: ([v]) => ref(v, 1), eps }));
    expectClose(`${name} all`, await check({ inputs: [x()], build: (t, [v]) => rule(t, v), tfjs: ([v]) => ref(v), eps }));
  }
});

test('log-sum-exp: softmax times the upstream gradient, over one axis, over everything, with kept axes', async () => {
  // Inputs spread over [-3, 3), as scores divided by a temperature are: the softmax weights are
  // then far from uniform, so a rule that passed the mean or the max gradient would fail.
  const x = () => feed('x', [3, 7], uniform(21, 41, -3, 3));
  const ref = (a: tf.Tensor, axis?: number, keep = false) => tf.logSumExp(a, axis, keep);
  // Smooth (no kink to step over), so a larger step keeps float32 rounding out of the quotient.
  const eps = 0.01;
  expectClose(
    'logsumexp axis 1',
    await check({ inputs: [x()], build: (t, [v]) => d.reduceLogSumExp(t, v, [1]), tfjs: ([v]) => ref(v, 1), eps }),
  );
  expectClose('logsumexp all', await check({ inputs: [x()], build: (t, [v]) => d.reduceLogSumExp(t, v), tfjs: ([v]) => ref(v), eps }));
  expectClose(
    'logsumexp axis 0 kept',
    await check({ inputs: [x()], build: (t, [v]) => d.reduceLogSumExp(t, v, [0], true), tfjs: ([v]) => ref(v, 0, true), eps }),
  );
});

test('log-sum-exp stays finite and exact where exp overflows float32 (hand-computed)', async () => {
  const g = new OnnxGraph('lse', 16);
  const t = new d.Tape(g);
  const x = t.param('x', [2, 2]);
  const y = d.reduceLogSumExp(t, x, [1]);
  g.output(y, 'y');
  g.output(t.gradients(d.reduceMean(t, y), [x])[0], 'dx');
  const [ys, dx] = await run(await session(g.toBytes()), [feed('x', [2, 2], new Float32Array([1000, 999, -1000, -1000]))], ['y', 'dx']);
  // log(e^1000 + e^999) = 1000 + log(1 + e^-1), softmax (1, e^-1) / (1 + e^-1); the mean halves dy.
  const w = 1 / (1 + Math.exp(-1));
  assert.ok(Math.abs(ys[0] - (1000 + Math.log1p(Math.exp(-1)))) <= 1e-4, `y ${ys[0]}`);
  assert.ok(Math.abs(ys[1] - (-1000 + Math.log(2))) <= 1e-4, `y ${ys[1]}`);
  [w / 2, (1 - w) / 2, 0.25, 0.25].forEach((want, i) => assert.ok(Math.abs(dx[i] - want) <= 1e-6, `dx[${i}] ${dx[i]} vs ${want}`));
});

test('ties: max and min give every tied position the full gradient, as TensorFlow.js does; ReLU gives 0 at 0', async () => {
  const data = Float32Array.from([3, 1, 3, -2, 0, -2, 0.5, 3]);
  for (const [rule, ref] of [
    [d.reduceMax, tf.max],
    [d.reduceMin, tf.min],
    [d.relu, tf.relu],
  ] as const) {
    const g = new OnnxGraph('ties', 16);
    const t = new d.Tape(g);
    const x = t.param('x', [8]);
    const y = rule(t, x);
    const loss = t.shape(y).length ? d.reduceMean(t, d.scale(t, y, 8)) : y;
    g.output(t.gradients(loss, [x])[0], 'dx');
    const got = (await run(await session(g.toBytes()), [feed('x', [8], data)], ['dx']))[0];
    const want = tf
      .grad((v: tf.Tensor) => tf.sum(ref(v)))(tf.tensor(data))
      .dataSync();
    assert.deepEqual([...got], [...want]);
  }
});

test('broadcasting arithmetic, reshape, transpose and constant matrix products', async () => {
  const m = uniform(12, 17);
  expectClose(
    'arith',
    await check({
      inputs: [feed('a', [2, 3, 4], uniform(24, 18)), feed('b', [3, 1], uniform(3, 19)), feed('c', [], Float32Array.of(0.7))],
      build: (t, [a, b, c]) => {
        const ab = d.mul(t, d.sub(t, d.add(t, a, b), c), d.shift(t, d.scale(t, b, 2), 0.5));
        const p = d.matmulConst(t, d.neg(t, d.transpose(t, ab, [0, 2, 1])), m, 3, 4);
        return d.reshape(t, p, [8, 4]);
      },
      tfjs: ([a, b, c]) => {
        const ab = tf.mul(tf.sub(tf.add(a, b), c), tf.add(tf.mul(b, 2), 0.5));
        return tf.reshape(tf.matMul(tf.reshape(tf.neg(tf.transpose(ab, [0, 2, 1])), [8, 3]), tf.tensor2d(m, [3, 4])), [8, 4]);
      },
    }),
  );
});

test('transposes split into block swaps equal ORT Transpose for every permutation of 4 axes and some of 5', async () => {
  const perms = (n: number): number[][] =>
    n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  const cases = [
    ...perms(4).map((p) => [[2, 3, 4, 5], p]),
    [
      [2, 3, 1, 4, 5],
      [4, 0, 3, 1, 2],
    ],
    [
      [2, 3, 4, 5, 6],
      [1, 4, 0, 2, 3],
    ],
  ] as [number[], number[]][];
  const g = new OnnxGraph('transposes', 16);
  const feeds: Feed[] = [];
  cases.forEach(([shape, perm], i) => {
    const x = g.input(`x${i}`, shape);
    feeds.push(feed(`x${i}`, shape, uniform(d.size(shape), 80 + i)));
    g.output(transposeFast(g, x, shape, perm), `fast${i}`);
    g.output(g.op('Transpose', [x], { perm }), `ref${i}`);
  });
  const outs = await run(
    await session(g.toBytes()),
    feeds,
    cases.flatMap((_, i) => [`fast${i}`, `ref${i}`]),
  );
  cases.forEach(([, perm], i) => assert.deepEqual([...outs[2 * i]], [...outs[2 * i + 1]], `perm ${perm}`));
});
