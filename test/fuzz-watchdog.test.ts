/**
 * The fuzz harness's watchdog (test/helpers/fuzz.ts): a parser stuck in a synchronous loop never
 * lets check()'s timer run, so the suite used to hang on it. Now the process is killed with the
 * case named on stderr. Its budget is CPU time (issue 34): a case that merely waits for a core on a
 * busy machine is no hang, while one that blocks without CPU is still caught by the wall-clock
 * backstop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './helpers/cli.ts';
import { scaledMs } from './helpers/load.ts';

/** fuzz-spin.ts in a child, CASE_MS 1 s and its slowdown fixed at 1 (so the wall backstop is 6 s). */
function spin(mode: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'helpers', 'fuzz-spin.ts')], {
    encoding: 'utf8',
    // Catches a watchdog that never fires: wall clock, scaled by the slowdown measured at this file's start.
    timeout: scaledMs(60_000),
    env: { ...process.env, FUZZ_CASE_MS: '1000', FUZZ_RUNS: '1', FUZZ_SPIN: mode, SIAMBENCH_TEST_SLOWDOWN: '1' },
  });
}

test('a synchronous hang in a fuzzed parser ends the run with the parser and input named', () => {
  const r = spin('spin');
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.match(r.stderr, /^fuzz watchdog: a synchronous hang, no answer within 2000 ms of CPU time: spin: \d+$/m);
});

test('a parser blocked for good without using the CPU (a read of a FIFO, say) is caught by the wall-clock backstop', () => {
  const r = spin('block');
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.match(r.stderr, /^fuzz watchdog: a synchronous hang, no answer within 6000 ms \(wall clock\): block: \d+$/m);
});

test('a case that gets no CPU for 2.5 s (a starved machine) is not a hang: 2 s of wall time no longer kills it', () => {
  const r = spin('slow');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /fuzz-spin: done/);
});
