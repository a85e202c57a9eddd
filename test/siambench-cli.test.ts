/**
 * The `siambench` command: package.json's bin, built to dist/ by `prepare`. It offers every command
 * package.json runs from src/cli, and gives the same report as `npm run <command>` (tsx on the sources).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOneLineError, REPO, runCli } from './helpers/cli.ts';
import { put, tempDir } from './helpers/files.ts';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const BIN = join(REPO, pkg.bin.siambench);
const SKIP = existsSync(BIN) ? false : `${pkg.bin.siambench} not built (npm install runs the build; or npm run build)`;
if (SKIP) process.stdout.write(`# skipping siambench tests: ${SKIP}\n`);

const siambench = (args: string[]) => {
  const r = spawnSync(BIN, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, SIAMBENCH_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('siambench lists every command package.json runs from src/cli; an unknown one is a one-line error', { skip: SKIP }, () => {
  accessSync(BIN, constants.X_OK);
  assert.match(readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  const r = siambench(['--help']);
  assert.equal(r.code, 0, r.stderr);
  const listed = [...r.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
  const clis = Object.entries(pkg.scripts).flatMap(([name, cmd]) => (/^tsx src\/cli\/\S+\.ts$/.test(cmd) ? [name] : []));
  assert.deepEqual([...listed].sort(), [...clis].sort());
  assertOneLineError(siambench(['evl']), /^error: siambench: unknown command 'evl' \(one of: bench, eval,/);
  const help = siambench(['eval', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: siambench eval \[options\]/);
  assertOneLineError(siambench(['eval', '--dataset', 'OTB100']), /^error: required option '--root <path>' not specified$/);
});

test('siambench eval writes the report npm run eval writes, report.html included', { skip: SKIP }, (t) => {
  const dir = tempDir(t, 'siambench-eval-');
  const gt = (f: number) => [10 * f, 10, 20, 20].join(',');
  for (const seq of ['SeqA', 'SeqB']) {
    put(join(dir, 'bench', seq, 'groundtruth_rect.txt'), [1, 2, 3, 4].map(gt).join('\n') + '\n');
    put(join(dir, 'results', 'near', `${seq}.txt`), [1, 2, 3, 4].map((f) => [10 * f + 3, 12, 20, 20].join(',')).join('\n') + '\n');
  }
  const args = (out: string) => [
    '--dataset',
    'synthetic',
    '--root',
    join(dir, 'bench'),
    '--results',
    join(dir, 'results'),
    '--out',
    join(dir, out),
  ];
  const built = siambench(['eval', ...args('built')]);
  assert.equal(built.code, 0, built.stderr);
  const sources = runCli('eval', args('sources'));
  assert.equal(sources.code, 0, sources.stderr);
  for (const f of ['summary.csv', 'per_sequence.csv', 'rules.txt', 'report.html']) {
    assert.equal(readFileSync(join(dir, 'built', f), 'utf8'), readFileSync(join(dir, 'sources', f), 'utf8'), f);
  }
});
