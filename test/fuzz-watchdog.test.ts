/**
 * The fuzz harness's watchdog (test/helpers/fuzz.ts): a parser stuck in a synchronous loop never
 * lets check()'s timer run, so the suite used to hang on it. Now the process is killed with the
 * case named on stderr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './helpers/cli.ts';

test('a synchronous hang in a fuzzed parser ends the run with the parser and input named', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'helpers', 'fuzz-spin.ts')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, FUZZ_CASE_MS: '1000' },
  });
  assert.equal(r.signal, 'SIGKILL', r.stderr);
  assert.match(r.stderr, /^fuzz watchdog: a synchronous hang, no answer within 2000 ms: spin: \d+$/m);
});
