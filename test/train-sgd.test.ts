import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MomentumSgd } from '../src/training/sgd.ts';
import { geometricLr } from '../src/training/schedule.ts';

await tf.setBackend('cpu');

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);

test('geometric schedule: start in the first epoch, end in the last, evenly in log space', () => {
  close(geometricLr(0, 50, 1e-2, 1e-5), 1e-2);
  close(geometricLr(49, 50, 1e-2, 1e-5), 1e-5);
  close(geometricLr(1, 4, 1e-2, 1e-5), 1e-3);
  close(geometricLr(0, 1, 1e-2, 1e-5), 1e-2);
  assert.throws(() => geometricLr(0, 3, 0, 1e-5), /--lr: learning rates must be positive/);
});

test('SGD: momentum and weight decay on weights only, hand-computed over two steps', () => {
  const w = tf.variable(tf.tensor1d([1, -2]));
  const b = tf.variable(tf.tensor1d([0.5]));
  const sgd = new MomentumSgd(new Map([['w', w], ['b', b]]), { momentum: 0.9, weightDecay: 0.1 }, (n) => n === 'w');
  const grads = () => new Map<string, tf.Tensor>([['w', tf.tensor1d([0.5, 0.5])], ['b', tf.tensor1d([1])]]);
  sgd.step(grads(), 0.1);
  // v_w = g + 0.1 w = [0.6, 0.3]; w = [0.94, -2.03]. v_b = 1; b = 0.4.
  const w1 = w.dataSync();
  close(w1[0], 0.94);
  close(w1[1], -2.03);
  close(b.dataSync()[0], 0.4);
  sgd.step(grads(), 0.1);
  // v_w = 0.9 [0.6, 0.3] + [0.5 + 0.094, 0.5 - 0.203] = [1.134, 0.567]; v_b = 0.9 + 1 = 1.9.
  const w2 = w.dataSync();
  close(w2[0], 0.94 - 0.1134);
  close(w2[1], -2.03 - 0.0567);
  close(b.dataSync()[0], 0.4 - 0.19);
  sgd.dispose();
});
