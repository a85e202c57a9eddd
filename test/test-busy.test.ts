/**
 * The mechanics of `npm run test:busy` (scripts/test-busy.ts) on two tiny test files, never the whole
 * suite: it starts the busy processes, reports the suite's duration and each failure, stops at its
 * limit, and ends every process it started.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './helpers/cli.ts';
import { put, tempDir } from './helpers/files.ts';
import { scaledMs } from './helpers/load.ts';

function testBusy(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'test-busy.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    // Catches a script that never ends (it waits on a child, spending no CPU): wall clock, scaled by the measured slowdown.
    timeout: scaledMs(120_000),
    killSignal: 'SIGKILL',
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function busyPids(stderr: string): number[] {
  const m = /busy pids ([\d ]+)/.exec(stderr);
  assert.ok(m, stderr);
  return m[1].trim().split(' ').map(Number);
}

test('test:busy runs the files beside its busy processes, names each failure and ends what it started', (t) => {
  const dir = tempDir(t, 'siambench-test-busy-');
  put(
    join(dir, 'a.test.mjs'),
    "import { test } from 'node:test';\ntest('fine', () => {});\ntest('broken', () => { throw new Error('no'); });\n",
  );
  put(join(dir, 'b.test.mjs'), "import { test } from 'node:test';\ntest('also fine', () => {});\n");
  const r = testBusy(['--busy', '1', join(dir, 'a.test.mjs'), join(dir, 'b.test.mjs')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^test:busy: 2 test file\(s\), 1 busy process\(es\) on \d+ core\(s\), limit 90 min/m);
  assert.match(r.stdout, /^test:busy: the suite took \d+ s \(\d+\.\d min\) with 1 busy process\(es\)/m);
  assert.match(r.stdout, /^test:busy: 3 tests, 2 passed, 1 failed, 0 cancelled, 0 skipped$/m);
  assert.match(r.stdout, /^test:busy: failed: broken \(.*a\.test\.mjs\)$/m);
  for (const pid of busyPids(r.stderr)) assert.ok(!alive(pid), `busy process ${pid} ended`);
});

test('test:busy stops a suite at its limit and exits 1', (t) => {
  const dir = tempDir(t, 'siambench-test-busy-');
  put(
    join(dir, 'hang.test.mjs'),
    "import { test } from 'node:test';\ntest('waits', () => new Promise(() => setInterval(() => {}, 1000)));\n",
  );
  const r = testBusy(['--busy', '1', '--limit', '0.05', join(dir, 'hang.test.mjs')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^test:busy: stopped at the limit of 0.05 min$/m);
  for (const pid of busyPids(r.stderr)) assert.ok(!alive(pid), `busy process ${pid} ended`);
});

test('test:busy: a bad option is one line', () => {
  const r = testBusy(['--busy', 'lots']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim(), "error: option '--busy <n>' argument 'lots' is invalid. --busy: expected a number >= 0, got 'lots'");
});
