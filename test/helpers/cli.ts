import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/cli/<name>.ts` as a user would (`npm run <name> -- ...`), synchronously. */
export function runCli(name: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, SIAMBENCH_DEBUG: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
