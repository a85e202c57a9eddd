/**
 * Issue 25.6: Ctrl-C during a bench looked like a crash (`terminate called after throwing an
 * instance of 'Napi::Error'` from ONNX Runtime torn down mid-call). Now each worker stops between
 * frames and disposes of its engine, and the run ends with one line and exit code 130; the rerun of
 * the same command resumes. On the real SiamFC tracker (ONNX Runtime, worker threads).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { REPO, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { scaledMs } from './helpers/load.ts';

test('Ctrl-C during a bench of siamfc: one line, exit 130, no half-written record; the same command resumes', async (t) => {
  const dir = tempDir(t, 'siambench-interrupt-');
  const data = join(dir, 'synthetic');
  await ensureSynthetic(data, { seed: 5, testSequences: 3, testFrames: 30, splits: ['test'] });
  const out = join(dir, 'run');
  const args = ['--dataset', 'synthetic', '--root', data, '--out', out, '--trackers', 'siamfc', '--concurrency', '1'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'bench.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, SIAMBENCH_DEBUG: '' },
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Progress, not time: Ctrl-C once the first sequence is done and the second one has started.
  const records = join(out, 'records', 'siamfc');
  while (!(existsSync(records) && readdirSync(records).some((f) => f.endsWith('.json')))) {
    assert.equal(child.exitCode, null, `the run ended before it could be interrupted:\n${stderr}`);
    await sleep(100);
  }
  await sleep(500);
  const before = stderr.length;
  child.kill('SIGINT');
  // The jobs stop at their next frame: a run still going after this (wall clock, scaled by the measured slowdown) ignored Ctrl-C.
  const code = await Promise.race([exited, sleep(scaledMs(60_000), undefined, { ref: false }).then(() => 'hung' as const)]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.equal(code, 130, stderr);
  assert.equal(stderr.slice(before), 'interrupted: rerun the same command to resume\n');
  assert.doesNotMatch(stderr, /terminate called|Napi|FAILED/);
  const kept = readdirSync(records).filter((f) => f.endsWith('.json'));
  assert.ok(kept.length >= 1 && kept.length < 3, `records: ${kept.join(', ')}`);
  for (const f of kept) assert.equal(JSON.parse(readFileSync(join(records, f), 'utf8')).status, 'ok', f);

  const again = runCli('bench', args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`resuming: ${kept.length} of 3 sequence run\\(s\\) already done`));
});
