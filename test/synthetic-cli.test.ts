import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/generate.ts', import.meta.url));
const tmp = await mkdtemp(join(tmpdir(), 'siambench-synth-cli-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

function generate(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run generate: writes the set, says where and how long; a second run finds it up to date', async () => {
  const out = join(tmp, 'set');
  const first = await generate('--out', out, '--preset', 'regress', '--sequences', '2', '--frames', '30');
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    /^test: generated in [\d.]+ s; 2 sequences x 30 frames \(320x240\), seed 7 -> \d+, [\d.]+ MB of JPEG: otb .*\/otb, vot .*\/vot$/m,
  );
  assert.match(first.stdout, /^manifest .*synthetic\.json; [\d.]+ s in all$/m);
  const manifest = JSON.parse(await readFile(join(out, 'synthetic.json'), 'utf8'));
  assert.deepEqual(manifest.splits.test.settings, { seed: 7, sequences: 2, frames: 30, width: 320, height: 240, quality: 90 });

  const second = await generate(
    '--out',
    out,
    '--preset',
    'regress',
    '--sequences',
    '2',
    '--frames',
    '30',
    '--train',
    '--train-sequences',
    '2',
    '--train-frames',
    '30',
  );
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^test: up to date; /m);
  assert.match(second.stdout, /^train: generated in [\d.]+ s; 2 sequences x 30 frames .*: got10k .*\/train$/m);
  assert.ok(existsSync(join(out, 'train', 'SynthTrain0002', '00000030.jpg')));
});

test('bad options: one line on stderr naming the flag, exit code 1, nothing written', async () => {
  const out = join(tmp, 'bad');
  for (const [args, message] of [
    [['--frames', '5'], /^error: --frames: expected a whole number 30\.\.9999, got 5\n$/],
    [['--sequences', 'many'], /^error: --sequences: expected a whole number >= 1, got 'many'\n$/],
    [['--splits', 'test,val'], /^error: --splits: unknown split 'val' \(expected test, train\)\n$/],
    [['--quality', '101'], /^error: --quality: expected a whole number 1\.\.100, got 101\n$/],
    [['--preset', 'huge'], /^error: .*'huge'.*default, regress\.\n$/],
  ] as const) {
    const r = await generate('--out', out, ...args);
    assert.equal(r.code, 1, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.equal(existsSync(join(out, 'synthetic.json')), false);
});
