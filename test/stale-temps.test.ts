import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTemps } from '../src/core/stale-temps.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { runCli } from './helpers/cli.ts';
import { put, tempDir } from './helpers/files.ts';

/**
 * A process killed between writeFileAtomic's write and its rename leaves `<file>.<pid>.<random>.tmp`
 * behind (the kill -9 soak found one beside a plot). The folder's owner sweeps those of dead
 * processes, never a live writer's or a file of another form.
 */

/** A pid that has surely exited: a child's, after it ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

test('removeStaleTemps removes a dead writer temporary files only, in every subfolder', (t) => {
  const dir = tempDir(t, 'siambench-stale-');
  const dead = deadPid();
  const files = {
    stale: join(dir, 'attributes', `success_DEF.png.${dead}.kp7nufhrbs.tmp`),
    staleDeep: join(dir, 'raw', 'siamfc', `Synth001.txt.${dead}.a1.tmp`),
    live: join(dir, `summary.csv.${process.pid}.zz9.tmp`),
    parent: join(dir, `run.json.${process.ppid}.q.tmp`),
    other: join(dir, 'notes.tmp'),
    result: join(dir, 'raw', 'siamfc', 'Synth001.txt'),
  };
  for (const f of Object.values(files)) put(f, 'x');
  const removed = removeStaleTemps(dir).sort();
  assert.deepEqual(removed, [files.stale, files.staleDeep].sort());
  for (const k of ['live', 'parent', 'other', 'result'] as const) assert.ok(existsSync(files[k]), k);
});

test('a bench run scoring its folder sweeps the debris a killed writer left there', async (t) => {
  const dir = tempDir(t, 'siambench-stale-bench-');
  const root = join(dir, 'syn');
  await ensureSynthetic(root, { seed: 3, testSequences: 1, testFrames: 30, splits: ['test'] });
  const args = ['--dataset', 'synthetic', '--root', root, '--out', join(dir, 'out'), '--trackers', 'static'];
  const first = runCli('bench', args);
  assert.equal(first.code, 0, first.stderr);
  const debris = join(dir, 'out', `summary.csv.${deadPid()}.k1.tmp`);
  put(debris, 'half a table');
  const again = runCli('bench', args);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(debris), 'swept');
  assert.deepEqual(
    readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp')),
    [],
  );
});
