/**
 * Issue 25.5: an output folder that cannot be created. As root, `--out /proc/x` passed the access
 * check and Node's recursive mkdir then spun for ever (the kernel answers ENOENT there, and it retries
 * the parent). The folder is now checked by creating a probe beside it, and created a level at a time.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/core/errors.ts';
import { assertWritable, claimOutputDir, makeFolder } from '../src/core/out-dir.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { scaledMs } from './helpers/load.ts';

const PROC = existsSync('/proc/self') ? false : 'no /proc here';
const asRoot = process.getuid?.() === 0;
// A hang here is a creation that never returns (no CPU spent in this thread): wall clock, scaled by the measured slowdown.
const opts = { skip: PROC, timeout: scaledMs(60_000) };

test('assertWritable refuses a folder /proc will not create, before anything is written', opts, () => {
  assert.throws(
    () => assertWritable({ dir: '/proc/siambench-test/run', option: '--out', command: 'bench' }),
    (err: unknown) => {
      assert.ok(err instanceof UserError);
      const want = asRoot
        ? /^--out: cannot write to \/proc\/siambench-test\/run \(\/proc takes no new folder\)$/
        : /^--out: cannot write to /;
      assert.match(err.message, want);
      return true;
    },
  );
});

test('claiming a folder under /proc is a one-line error, not a hang', opts, async () => {
  await assert.rejects(claimOutputDir({ dir: '/proc/siambench-test/a/b', option: '--out', command: 'eval' }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /^--out: cannot write to \/proc\/siambench-test\/a\/b \(/);
    return true;
  });
});

test('makeFolder creates the missing levels and takes a folder that is there; the probe leaves nothing behind', (t) => {
  const dir = tempDir(t, 'siambench-out-folder-');
  makeFolder(join(dir, 'a', 'b', 'c'));
  assert.ok(existsSync(join(dir, 'a', 'b', 'c')));
  makeFolder(join(dir, 'a', 'b'));
  assertWritable({ dir: join(dir, 'x', 'y'), option: '--out', command: 'bench' });
  assert.deepEqual(readdirSync(dir), ['a']);
});

test('bench and generate --out /proc/x: one line naming the folder, exit 1', opts, () => {
  // runCli kills a run past 2 minutes (scaled): before the fix both hung there.
  const bench = runCli('bench', ['--out', '/proc/siambench-test/run', '--trackers', 'static'], {}, 120_000);
  assertOneLineError(bench, /^error: --out: cannot write to \/proc\/siambench-test\/run \(/);
  const generate = runCli('generate', ['--out', '/proc/siambench-test/data'], {}, 120_000);
  assertOneLineError(generate, /^error: --out: cannot write to \/proc\/siambench-test\/data \(/);
});
