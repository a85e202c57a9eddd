import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the ops' gradients
import { WASM_GRADIENT_KERNELS, registerWasmGradients } from '../src/compute/wasm-grads.ts';

// Deterministic pseudo-random inputs, identical on both backends.
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

type Case = {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number;
  pad: 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];
  dilations: number;
  depthwise: boolean;
};

/** Gradients of sum(conv(x, f) * r) with respect to x and f, computed on `backend`. */
async function grads(backend: string, c: Case): Promise<{ dx: Float32Array; df: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(
      values(
        c.x.reduce((a, b) => a * b),
        1,
      ),
      c.x,
    );
    const f = tf.tensor4d(
      values(
        c.f.reduce((a, b) => a * b),
        2,
      ),
      c.f,
    );
    const conv = (xx: tf.Tensor4D, ff: tf.Tensor4D) =>
      c.depthwise
        ? tf.depthwiseConv2d(xx, ff, c.strides, c.pad as 'valid', 'NHWC', c.dilations)
        : tf.conv2d(xx, ff, c.strides, c.pad, 'NHWC', c.dilations);
    const r = tf.tensor(values(conv(x, f).size, 3), conv(x, f).shape);
    const [dx, df] = tf.grads((xx, ff) => tf.sum(tf.mul(conv(xx as tf.Tensor4D, ff as tf.Tensor4D), r)))([x, f]);
    return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
  });
}

function assertClose(got: Float32Array, want: Float32Array, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  assert.ok(worst < 1e-4, `${what}: worst relative difference ${worst}`);
}

const CASES: Case[] = [
  // SiamFC conv1 shape in miniature: 11x11 stride 2, valid.
  { name: 'conv 11x11 stride 2 valid', x: [2, 31, 29, 3], f: [11, 11, 3, 4], strides: 2, pad: 'valid', dilations: 1, depthwise: false },
  { name: 'conv 3x3 stride 1 same', x: [3, 9, 10, 5], f: [3, 3, 5, 2], strides: 1, pad: 'same', dilations: 1, depthwise: false },
  {
    name: 'conv 4x4 stride 3 same (uneven padding)',
    x: [1, 14, 13, 2],
    f: [4, 4, 2, 3],
    strides: 3,
    pad: 'same',
    dilations: 1,
    depthwise: false,
  },
  {
    name: 'conv 3x3 stride 2 explicit padding',
    x: [2, 12, 12, 2],
    f: [3, 3, 2, 2],
    strides: 2,
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
    dilations: 1,
    depthwise: false,
  },
  // (tfjs refuses gradients of dilated convolutions on every backend, so none are tested.)
  // Per-sample cross-correlation as a depthwise convolution: exemplar features are the filter.
  {
    name: 'depthwise 6x6 over 20x20 (xcorr form)',
    x: [1, 20, 20, 8],
    f: [6, 6, 8, 1],
    strides: 1,
    pad: 'valid',
    dilations: 1,
    depthwise: true,
  },
  {
    name: 'depthwise 3x3 stride 2 same, multiplier 2',
    x: [2, 11, 9, 3],
    f: [3, 3, 3, 2],
    strides: 2,
    pad: 'same',
    dilations: 1,
    depthwise: true,
  },
  {
    name: 'depthwise 5x5 stride 3 valid, multiplier 3',
    x: [2, 16, 17, 2],
    f: [5, 5, 2, 3],
    strides: 3,
    pad: 'valid',
    dilations: 1,
    depthwise: true,
  },
];

test('WASM lacks the filter-gradient kernels until they are registered', async () => {
  await tf.setBackend('wasm');
  const missing = WASM_GRADIENT_KERNELS.filter((k) => !tf.getKernel(k, 'wasm'));
  assert.deepEqual(registerWasmGradients(), missing);
  assert.ok(missing.includes('Conv2DBackpropFilter'));
  assert.deepEqual(registerWasmGradients(), [], 'a second call adds nothing');
});

for (const c of CASES) {
  test(`WASM gradients match the CPU backend: ${c.name}`, async () => {
    registerWasmGradients();
    const cpu = await grads('cpu', c);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const wasm = await grads('wasm', c);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks from the composite kernels');
    assertClose(wasm.df, cpu.df, 'filter gradient');
    assertClose(wasm.dx, cpu.dx, 'input gradient');
  });
}
