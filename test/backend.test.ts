import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, selectBackend } from '../src/compute/backend.ts';
import { UserError } from '../src/core/errors.ts';

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('an unknown backend is a one-line error listing the choices', async () => {
  await assert.rejects(
    selectBackend('gpu'),
    (e: Error) => e instanceof UserError && e.message === "--backend: 'gpu' is not one of node-gpu, node, wasm, cpu",
  );
});

test(
  'a requested native backend that does not load is a one-line error naming it',
  { skip: installed('@tensorflow/tfjs-node-gpu') && 'tfjs-node-gpu is installed here' },
  async () => {
    await assert.rejects(
      selectBackend('node-gpu'),
      (e: Error) => e instanceof UserError && /^--backend node-gpu: @tensorflow\/tfjs-node-gpu is not installed$/.test(e.message),
    );
  },
);

test('requested backends activate in tfjs: cpu, then wasm', async () => {
  assert.equal(await selectBackend('cpu'), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(await selectBackend('wasm'), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  // The WASM filter-gradient kernels come with it.
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  assert.equal(await selectBackend(), 'wasm', 'an active backend stays when none is requested');
});

test('in a fresh worker thread the best loadable backend is chosen in the documented order', async () => {
  const expected = installed('@tensorflow/tfjs-node-gpu') ? 'node-gpu' : installed('@tensorflow/tfjs-node') ? 'node' : 'wasm';
  // Plain-JS worker code that registers tsx's loader itself: workers do not inherit `--import tsx`.
  const src = `
    const { register } = await import('tsx/esm/api');
    register();
    const { parentPort } = await import('node:worker_threads');
    const { selectBackend } = await import(${JSON.stringify(new URL('../src/compute/backend.ts', import.meta.url).href)});
    const tf = await import('@tensorflow/tfjs-core');
    const name = await selectBackend();
    const sum = tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 1]), 1, 'valid')).dataSync()[0];
    parentPort.postMessage({ name, tfjs: tf.getBackend(), sum });
  `;
  const worker = new Worker(src, { eval: true });
  const msg = await new Promise<{ name: string; tfjs: string; sum: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.ok((BACKEND_NAMES as readonly string[]).includes(msg.name));
  assert.equal(msg.name, expected);
  assert.equal(msg.tfjs, expected === 'wasm' ? 'wasm' : 'tensorflow');
  assert.equal(msg.sum, 4 * 9);
});
