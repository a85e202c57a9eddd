import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSyntheticVot2020 } from '../src/synthetic/vot2020.ts';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';

// 2 sequences of 30 frames prove the protocol; the default set (3 x 800 frames) is for users.
const SMALL = { seed: 5, sequences: 2, frames: 30, width: 160, height: 120, quality: 80, anchorSpacing: 12 };

test('bench --dataset synthetic-vot2020 runs multistart and unsupervised in the toolkit layout; eval reads the run back identically', async (t) => {
  const dir = tempDir(t, 'bench-vot2020-');
  const set = join(dir, 'set'),
    out = join(dir, 'out');
  await ensureSyntheticVot2020(set, SMALL);
  const args = ['--dataset', 'synthetic-vot2020', '--root', set, '--trackers', 'static', '--out', out, '--concurrency', '1'];
  const r = runCli('bench', args);
  assert.equal(r.code, 0, r.stderr);
  // anchors 0 and 12 run forward, 24 backward: files named by the anchor frame, backward 25 lines
  const seqDir = join(out, 'raw', 'static', 'baseline', 'SynthVot001');
  for (const [a, lines] of [
    [0, 30],
    [12, 18],
    [24, 25],
  ] as const) {
    const text = readFileSync(join(seqDir, `SynthVot001_${String(a).padStart(8, '0')}.txt`), 'utf8');
    assert.equal(text.split('\n').length - 1, lines, `anchor ${a}`);
    assert.equal(text.split('\n')[0], '1');
  }
  assert.ok(existsSync(join(out, 'raw', 'static', 'unsupervised', 'SynthVot001', 'SynthVot001_001.txt')));
  assert.equal(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).root, set);
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
  assert.match(summary.split('\n')[0], /^tracker,eao,accuracy,robustness,/);
  // the same raw files through eval: the same table
  const e = runCli('eval', ['--dataset', 'synthetic-vot2020', '--root', set, '--results', join(out, 'raw'), '--out', join(dir, 'eval')]);
  assert.equal(e.code, 0, e.stderr);
  assert.equal(readFileSync(join(dir, 'eval', 'summary.csv'), 'utf8'), summary);
  // a second run in the same folder resumes: nothing left to run
  const again = runCli('bench', args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout + again.stderr, /resuming: 2 of 2 sequence run\(s\) already done/);
});
