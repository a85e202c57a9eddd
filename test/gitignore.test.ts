/**
 * Issue 25.7: what the README's examples write is git-ignored, so following them leaves `git status`
 * clean (`out/` and `models/my-*` were not).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './helpers/cli.ts';

const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim() === 'true';

test("every relative --out of the README's examples is git-ignored", { skip: inGit ? false : 'not a git checkout' }, () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const outs = [...readme.matchAll(/--out (\S+)/g)].map((m) => m[1]).filter((p) => !isAbsolute(p));
  assert.ok(outs.includes('out/otb100') && outs.some((p) => p.startsWith('models/my-')), `README examples: ${outs.join(' ')}`);
  for (const out of outs) {
    const r = spawnSync('git', ['check-ignore', '-q', '--no-index', join(out, 'summary.csv')], { cwd: REPO });
    assert.equal(r.status, 0, `${out}/ is not git-ignored`);
  }
});
