import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, REPO, runCli } from './helpers/cli.ts';

/**
 * `npm run study -- --status`: where a study stands, from its folder alone. A hand-made folder of
 * the smoke spec (2 configurations x 2 seeds) holds one run of each state; the committed
 * global-loss folder is read as a fresh clone has it.
 */
const tmp = mkdtempSync(join(tmpdir(), 'study-status-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('each run is done, part-way at its checkpoint epoch, failed or not started; tracking and statistics not yet', () => {
  const out = join(tmp, 'smoke');
  const models = join(out, 'models');
  mkdirSync(out, { recursive: true });
  copyFileSync(join(REPO, 'studies', 'smoke.json'), join(out, 'spec.json'));
  mkdirSync(join(models, 'logistic-seed1'), { recursive: true });
  writeFileSync(join(models, 'logistic-seed1', 'model.json'), '{}');
  mkdirSync(join(models, 'global-seed1', 'training', 'checkpoint'), { recursive: true });
  writeFileSync(join(models, 'global-seed1', 'training', 'checkpoint', 'state.json'), JSON.stringify({ state: { nextEpoch: 1 } }));
  mkdirSync(join(out, 'logs'), { recursive: true });
  writeFileSync(join(out, 'logs', 'logistic-seed2.failed'), 'training logistic-seed2 failed\n');
  const r = runCli('study', ['--spec', join(REPO, 'studies', 'smoke.json'), '--out', out, '--status']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /: 1 of 4 training runs done, 1 part-way, 1 failed, 1 not started$/);
  // Seeds 1 and 2 in columns: logistic done and failed, global at epoch 1 of the smoke recipe's 2 and not started.
  assert.match(r.stdout, /^logistic +done +FAILED$/m);
  assert.match(r.stdout, /^global +1\/2 +-$/m);
  assert.match(r.stdout, /^tracking: synthetic not started, validation not started/m);
  assert.match(r.stdout, /^statistics: not written yet$/m);
});

test('a folder of another study is refused in one line, as the study itself refuses it', () => {
  const r = runCli('study', [
    '--spec',
    join(REPO, 'studies', 'smoke.json'),
    '--out',
    join(REPO, 'docs', 'study', 'global-loss'),
    '--status',
  ]);
  assertOneLineError(r, /--out: .*holds a study whose recipe differs from .*smoke\.json/);
});

test('a folder without a study is refused in one line', () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  assertOneLineError(
    runCli('study', ['--spec', join(REPO, 'studies', 'smoke.json'), '--out', empty, '--status']),
    /--out: .*holds no study/,
  );
});

test('the committed fine-tune study: every run done, both test sets tracked and scored, the statistics written', () => {
  const dir = join(REPO, 'docs', 'study', 'finetune');
  const r = runCli('study', ['--spec', join(REPO, 'studies', 'finetune.json'), '--out', dir, '--status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.split('\n')[0], /: 6 of 6 training runs done, 0 part-way, 0 failed, 0 not started$/);
  assert.match(r.stdout, /^tracking: synthetic scored, otb-real scored /m);
  assert.match(r.stdout, /^statistics: written/m);
});

test('the committed global-loss study: the runs done are its folders with a model, the others part-way or not started', () => {
  const dir = join(REPO, 'docs', 'study', 'global-loss');
  const r = runCli('study', ['--spec', join(REPO, 'studies', 'global-loss.json'), '--out', dir, '--status']);
  assert.equal(r.code, 0, r.stderr);
  const done = readdirSync(join(dir, 'models')).filter((d) => existsSync(join(dir, 'models', d, 'model.json'))).length;
  assert.match(r.stdout.split('\n')[0], new RegExp(`: ${done} of 40 training runs done, `));
  const cells = r.stdout.split('\n').slice(3, 11).join(' ');
  assert.equal(cells.match(/\bdone\b/g)?.length, done);
});

test('--status without --spec reads the spec the study folder records (issue 25.7)', () => {
  const dir = join(REPO, 'docs', 'study', 'finetune');
  const withSpec = runCli('study', ['--spec', join(REPO, 'studies', 'finetune.json'), '--out', dir, '--status']);
  const alone = runCli('study', ['--out', dir, '--status']);
  assert.equal(alone.code, 0, alone.stderr);
  assert.match(alone.stdout.split('\n')[0], /: 6 of 6 training runs done, 0 part-way, 0 failed, 0 not started$/);
  assert.equal(alone.stdout.split('\n').slice(1).join('\n'), withSpec.stdout.split('\n').slice(1).join('\n'));
  assertOneLineError(runCli('study', ['--status']), /^error: --status: the study folder is --out <dir>$/);
});
