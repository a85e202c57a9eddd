import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { writeDriftingSquares } from './helpers/got10k-fixture.ts';

// Option errors are caught before the network or any data is loaded: one line, exit code 1.
const cases: [string[], RegExp][] = [
  [[], /required option '--loss <name>' not specified/],
  [['--loss', 'triplet'], /'--loss <name>' argument 'triplet' is invalid\. Allowed choices are logistic, global, ranking/],
  [['--loss', 'global', '--epochs', '0'], /^error: --epochs: expected a whole number >= 1, got '0'$/],
  [['--loss', 'global', '--lr', '-1'], /^error: --lr: expected a positive number, got '-1'$/],
  [['--loss', 'global', '--gray', '2'], /^error: --gray: expected a probability 0\.\.1, got '2'$/],
  [
    ['--loss', 'logistic', '--exemplar-size', '127', '--search-size', '127'],
    /^error: --search-size \(127\) must exceed --exemplar-size \(127\)$/,
  ],
  [['--loss', 'logistic', '--backend', 'webgl'], /^error: --backend: 'webgl' is not one of node-gpu, node, wasm, cpu$/],
  [['--loss', 'logistic', '--engine', 'torch'], /^error: --engine: 'torch' is not one of ort, tfjs$/],
  [['--loss', 'global', '--gs-tau', '0.1'], /^error: --gs-tau: the temperature of --gs-hard softmax, which is not set$/],
  [['--loss', 'global', '--gs-hard', 'softmax', '--gs-tau', '0'], /^error: --gs-tau: expected a positive number, got '0'$/],
  [['--loss', 'logistic', '--threads', '0'], /^error: --threads: expected a whole number >= 1, got '0'$/],
  [['--loss', 'logistic', '--engine', 'tfjs', '--device', 'cpu'], /^error: --device chooses the ONNX Runtime provider/],
  [['--loss', 'logistic', '--engine', 'ort', '--backend', 'wasm'], /^error: --backend chooses a TensorFlow.js backend/],
  // Issue 25.7: no training data says how to make the built-in split.
  [
    ['--loss', 'logistic', '--data', 'no/such/train'],
    /^error: --data: no training data in no\/such\/train \(no list\.txt of a GOT-10k split\); for the built-in synthetic training split run npm run generate -- --train first$/,
  ],
  // No CUDA provider here: asking for it fails at once instead of training on the CPU.
  [
    ['--loss', 'logistic', '--device', 'cuda', '--data', 'no/such/dir'],
    /^error: --device cuda: the CUDA execution provider of onnxruntime-node does not start here/,
  ],
];

for (const [args, want] of cases) {
  test(`train CLI rejects: ${args.join(' ') || '(no options)'}`, () => {
    assertOneLineError(runCli('train', args), want);
  });
}

test('train CLI: --engine ort trains end to end and records engine, provider and threads with the model', async (t) => {
  const dir = tempDir(t, 'siambench-train-cli-');
  await writeDriftingSquares(join(dir, 'train'));
  const out = join(dir, 'model');
  const r = runCli('train', [
    '--loss',
    'global',
    '--data',
    join(dir, 'train'),
    '--out',
    out,
    '--width',
    '0.125',
    '--exemplar-size',
    '103',
    '--search-size',
    '143',
    '--epochs',
    '1',
    '--pairs-per-epoch',
    '4',
    '--batch',
    '2',
    '--val-pairs',
    '2',
    '--val-fraction',
    '0.25',
    '--engine',
    'ort',
    '--threads',
    '1',
    '--gs-hard',
    'softmax',
    '--gs-tau',
    '0.05',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /training 'global' on ort\/cpu x1 threads/);
  // Readable by the tracker's ORT engine, without TensorFlow.js.
  const { json } = await readModelWeights(out);
  assert.deepEqual(json.meta.compute, { engine: 'ort', provider: 'cpu', threads: 1 });
  assert.equal(json.meta.backend, 'ort/cpu/1t');
  assert.equal(json.meta.engine, 'ort/cpu x1 threads');
  assert.equal(json.meta.steps, 2);
  const settings = json.meta.lossSettings as { global: { hard?: string; tau?: number } };
  assert.equal(settings.global.hard, 'softmax');
  assert.equal(settings.global.tau, 0.05);
  assert.equal(json.trained, true);
});
