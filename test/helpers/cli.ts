import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaledMs } from './load.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `src/cli/<name>.ts` as a user would (`npm run <name> -- ...`), synchronously. A run past
 * `hangMs` is killed and fails its test (code null, the kill named on stderr) instead of stalling the
 * suite: a hang may spend no CPU (a blocked read), so this is wall clock, scaled by the slowdown
 * measured at the start of the test file.
 */
export function runCli(name: string, args: string[], env: Record<string, string> = {}, hangMs = 600_000): CliResult {
  const timeout = scaledMs(hangMs);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    env: { ...process.env, SIAMBENCH_DEBUG: '', ...env },
  });
  const killed = r.signal === 'SIGKILL' ? `\n[test] npm run ${name} killed after ${timeout / 1000} s: a hang` : '';
  return { code: r.status, stdout: r.stdout, stderr: `${r.stderr}${killed}` };
}

/** Starts the CLI in the background, for tests that kill it midway. */
export function startCli(name: string, args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: REPO,
    env: { ...process.env, SIAMBENCH_DEBUG: '', ...env },
    stdio: 'ignore',
  });
}

/** A failed CLI run that printed exactly one line on stderr, matching `pattern`. */
export function assertOneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
}
