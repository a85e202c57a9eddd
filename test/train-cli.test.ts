import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// Option errors are caught before the network or any data is loaded: one line, exit code 1.
function train(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/train.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr.trim() };
}

const cases: [string[], RegExp][] = [
  [[], /required option '--loss <name>' not specified/],
  [['--loss', 'triplet'], /'--loss <name>' argument 'triplet' is invalid\. Allowed choices are logistic, global, ranking/],
  [['--loss', 'global', '--epochs', '0'], /^error: --epochs: expected a whole number >= 1, got '0'$/],
  [['--loss', 'global', '--lr', '-1'], /^error: --lr: expected a positive number, got '-1'$/],
  [['--loss', 'global', '--gray', '2'], /^error: --gray: expected a probability 0\.\.1, got '2'$/],
  [['--loss', 'logistic', '--exemplar-size', '127', '--search-size', '127'], /^error: --search-size \(127\) must exceed --exemplar-size \(127\)$/],
  [['--loss', 'logistic', '--backend', 'webgl'], /'--backend <name>' argument 'webgl' is invalid/],
];

for (const [args, want] of cases) {
  test(`train CLI rejects: ${args.join(' ') || '(no options)'}`, () => {
    const r = train(...args);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.split('\n').length, 1, r.stderr);
    assert.match(r.stderr, want);
  });
}
