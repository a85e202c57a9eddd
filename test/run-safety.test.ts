import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKER } from '../src/core/out-dir.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { REPO, assertOneLineError, runCli } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/**
 * Issue 12, the runner and output side, through the real CLIs on real generated frames and real
 * worker threads: per-job deadlines against hanging external trackers, output folders that hold
 * someone else's files, unwritable --out, resumes with other options, and tracker folders whose names
 * differ only in case. Each case failed (hang, data loss, wrong error, silent mix) before the fix.
 */
let tmp = '';
let syn = '';

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'run-safety-'));
  chmodSync(tmp, 0o755); // other users (the EACCES case runs as nobody) must reach the frames
  syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 5, testSequences: 3, testFrames: 30, splits: ['test'] });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function bench(out: string, extra: string[], env: Record<string, string> = {}, hangMs?: number) {
  return runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', out, ...extra], env, hangMs);
}

/** A folder holding a file of the user's, to check that nothing touches it. */
function foreignFolder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'thesis.tex'), 'three years of work\n');
  return dir;
}

/**
 * A failed run whose only error is one line matching `pattern`: exit 1, no stack trace; progress
 * lines before it (the dataset it read) are allowed, as a resume is checked once the dataset is known.
 */
function assertErrorLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], pattern);
  assert.equal(r.stderr.trimEnd().split('\n').at(-1), errors[0], 'the error is the last line');
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}

function assertUntouched(dir: string): void {
  assert.deepEqual(readdirSync(dir), ['thesis.tex']);
  assert.equal(readFileSync(join(dir, 'thesis.tex'), 'utf8'), 'three years of work\n');
}

const HANGING = `
const stuck = (f) => f.path.includes('Synth002') && f.index === 4;
const tracker = (name, update) => ({
  name, description: name, deterministic: true, needsPixels: false,
  async create() {
    let box = [0, 0, 1, 1];
    return { async init(_f, b) { box = b; }, update: (f) => update(f, box) };
  },
});
export const trackers = [
  tracker('never', (f, box) => (stuck(f) ? new Promise(() => {}) : Promise.resolve({ box }))),
  tracker('spin', async (f, box) => { if (stuck(f)) for (;;); return { box }; }),
];
`;

test('a tracker whose update never resolves, or loops, fails its sequence at the frame deadline; its worker is replaced and the run goes on', () => {
  const module = join(tmp, 'hanging.ts');
  writeFileSync(module, HANGING);
  const out = join(tmp, 'hanging-run');
  // The run must end: runCli kills it after 120 s, scaled by the slowdown measured at the start.
  const r = bench(
    out,
    ['--trackers', 'never,spin,static', '--concurrency', '2', '--timeout', 'frame=1500ms'],
    { SIAMBENCH_TRACKERS: module },
    120_000,
  );
  assert.equal(r.code, 0, r.stderr);
  const warnings = readFileSync(join(out, 'warnings.txt'), 'utf8');
  for (const t of ['never', 'spin']) {
    const reason = 'timed out: no frame finished for 1.5 s (per-frame deadline, see --timeout); worker terminated';
    assert.ok(r.stderr.includes(`failed: ${t} on Synth002: ${reason}`), r.stderr);
    assert.ok(warnings.includes(`run: ${t}: Synth002: tracker failed: ${reason}`), warnings);
    const record = JSON.parse(readFileSync(join(out, 'records', t, 'Synth002.json'), 'utf8'));
    assert.equal(record.status, 'failed');
    assert.equal(record.error, reason);
    assert.ok(!existsSync(join(out, 'raw', t, 'Synth002.txt')));
    for (const seq of ['Synth001', 'Synth003']) assert.ok(existsSync(join(out, 'raw', t, `${seq}.txt`)), `${t} ${seq} ran`);
  }
  for (const seq of ['Synth001', 'Synth002', 'Synth003']) assert.ok(existsSync(join(out, 'raw', 'static', `${seq}.txt`)));

  // The sequence deadline cuts a job that keeps making progress; a resume runs the failed jobs again.
  const again = bench(out, ['--trackers', 'never,spin,static', '--concurrency', '2', '--timeout', 'frame=off,sequence=2s'], {
    SIAMBENCH_TRACKERS: module,
  });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /resuming: 7 of 9 sequence run\(s\) already done/);
  assert.match(again.stderr, /failed: never on Synth002: timed out: the sequence was not done after 2 s \(per-sequence deadline/);
});

test('--timeout forms that are not durations are one-line errors naming the option', () => {
  for (const bad of ['soon', 'frame=-1s', 'frames=2s', 'frame=2x', '']) {
    assertOneLineError(bench(join(tmp, 'never-written'), ['--trackers', 'static', '--timeout', bad]), /^error: --timeout: /);
  }
  // The other commands that run trackers take the same deadlines (they had only the defaults).
  for (const cli of ['regress', 'reproduce']) {
    assertOneLineError(
      runCli(cli, ['--out', join(tmp, 'never-written'), '--timeout', 'frame=2x']),
      /^error: --timeout: '2x' in 'frame=2x'/,
    );
  }
  assert.ok(!existsSync(join(tmp, 'never-written')));
});

test('regress --out <a folder of the user>: refused in one line, nothing deleted (it used to rm the folder)', () => {
  const dir = foreignFolder('regress-victim');
  const r = runCli('regress', ['--update', '--baseline', join(tmp, 'baseline.json'), '--out', dir]);
  assertOneLineError(r, /^error: --out: .*regress-victim already holds files siambench did not write there \(thesis\.tex\)/);
  assertUntouched(dir);
  assert.ok(!existsSync(join(tmp, 'baseline.json')));
});

test('every command that writes refuses an --out folder holding foreign files, in one line, touching nothing', () => {
  const results = join(tmp, 'results-for-eval');
  mkdirSync(join(results, 'static'), { recursive: true });
  const cases: [string, (dir: string) => string[]][] = [
    ['bench', (d) => ['--dataset', 'synthetic', '--root', syn, '--trackers', 'static', '--out', d]],
    ['eval', (d) => ['--dataset', 'synthetic', '--root', join(syn, 'otb'), '--results', results, '--out', d]],
    ['eval', (d) => ['--dataset', 'synthetic-vot', '--root', join(syn, 'vot'), '--results', results, '--out', d]],
    ['generate', (d) => ['--sequences', '1', '--frames', '3', '--out', d]],
    ['train', (d) => ['--loss', 'logistic', '--data', join(tmp, 'nowhere'), '--out', d]],
    ['study', (d) => ['--spec', join(REPO, 'studies', 'smoke.json'), '--out', d]],
    ['reproduce', (d) => ['--out', d]],
    ['import-model', (d) => ['--tflite', join(tmp, 'nowhere.tflite'), '--out', d]],
  ];
  for (const [cli, args] of cases) {
    if (cli === 'eval') {
      // eval refuses after reading the dataset: give the VOT case a result to find.
      mkdirSync(join(results, 'static', 'baseline'), { recursive: true });
    }
    const dir = foreignFolder(`victim-${cli}-${args('x').join('').length}`);
    const r = runCli(cli, args(dir));
    assertOneLineError(r, /^error: --out: .* already holds files siambench did not write there \(thesis\.tex\)/);
    assertUntouched(dir);
  }
  // import-model has --force for this: the model is written beside the user's file, which stays.
  const dir = foreignFolder('victim-import-forced');
  const r = runCli('import-model', ['--tflite', join(tmp, 'nowhere.tflite'), '--out', dir, '--force']);
  assert.doesNotMatch(r.stderr, /already holds/);
  assert.equal(readFileSync(join(dir, 'thesis.tex'), 'utf8'), 'three years of work\n');
});

test('a command that fails on its options or inputs leaves no output folder behind', async () => {
  const cases: [string, string[]][] = [
    ['train', ['--loss', 'logistic', '--device', 'cuda', '--data', join(tmp, 'nowhere')]],
    ['generate', ['--frames', '5']],
    ['eval', ['--dataset', 'synthetic', '--root', join(syn, 'otb'), '--results', join(tmp, 'results-for-eval'), '--trackers', 'nope']],
    ['bench', ['--dataset', 'OTB100', '--root', join(syn, 'otb'), '--trackers', 'static']],
    ['import-model', ['--tflite', join(tmp, 'nowhere.tflite')]],
  ];
  mkdirSync(join(tmp, 'results-for-eval', 'static'), { recursive: true });
  for (const [cli, args] of cases) {
    const out = join(tmp, `left-behind-${cli}`);
    const r = runCli(cli, [...args, '--out', out]);
    assert.equal(r.code, 1, `${cli}: ${r.stderr}`);
    assert.ok(!existsSync(out), `${cli}: no ${out}`);
  }
});

test('eval writes its report into a bench run folder (its own kind of output) and into an earlier eval report', () => {
  const out = join(tmp, 'eval-into-bench');
  assert.equal(bench(out, ['--trackers', 'static']).code, 0);
  for (let i = 0; i < 2; i++) {
    const r = runCli('eval', ['--dataset', 'synthetic', '--root', join(syn, 'otb'), '--results', join(out, 'raw'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
  }
});

test('eval refuses to write the report of other data into a bench run folder or an eval folder, naming what differs (issue 25)', () => {
  const out = join(tmp, 'eval-other-into-bench');
  assert.equal(bench(out, ['--trackers', 'static']).code, 0);
  const before = readFileSync(join(out, 'summary.csv'), 'utf8');
  // Other results of the same dataset (a copy of the run's raw/), then another root too.
  const copy = join(tmp, 'raw-copy');
  cpSync(join(out, 'raw'), copy, { recursive: true });
  const otherRoot = join(tmp, 'synthetic-other', 'otb');
  cpSync(join(syn, 'otb'), otherRoot, { recursive: true });
  const evalInto = (dir: string, root: string, results: string) =>
    runCli('eval', ['--dataset', 'synthetic', '--root', root, '--results', results, '--out', dir]);
  assertOneLineError(
    evalInto(out, join(syn, 'otb'), copy),
    /^error: --out: .*eval-other-into-bench holds a bench run of other data \(--results .*raw-copy, not .*eval-other-into-bench\/raw\); write this report into another --out$/,
  );
  assertOneLineError(
    evalInto(out, otherRoot, join(out, 'raw')),
    /^error: --out: .* holds a bench run of other data \(--root .*synthetic-other\/otb, not .*synthetic\/otb\); write/,
  );
  assert.equal(readFileSync(join(out, 'summary.csv'), 'utf8'), before, 'the run report is untouched');
  // Its own results, through a relative path, are fine.
  assert.equal(evalInto(out, join(syn, 'otb'), join(out, 'raw', '..', 'raw')).code, 0);
  // A run folder from before markers is known by its run.json, and stays a run folder after an eval.
  rmSync(join(out, MARKER));
  assert.equal(evalInto(out, join(syn, 'otb'), join(out, 'raw')).code, 0);
  assert.ok(!existsSync(join(out, MARKER)));
  assertOneLineError(
    evalInto(out, join(syn, 'otb'), copy),
    /^error: --out: .* holds a bench run of other data \(--results .*raw-copy, not /,
  );
  // An eval folder records what it scored and takes only the same again.
  const report = join(tmp, 'eval-report');
  assert.equal(evalInto(report, join(syn, 'otb'), copy).code, 0);
  assert.equal(evalInto(report, join(syn, 'otb'), copy).code, 0);
  assertOneLineError(
    evalInto(report, otherRoot, join(out, 'raw')),
    /^error: --out: .* holds an eval report of other data \(--root .*; --results .*\)/,
  );
});

test('eval of OTB100 results into the synthetic bench run folder is refused (issue 25, the exact case)', { skip: SKIP_REALDATA }, () => {
  const out = join(tmp, 'eval-otb100-into-bench');
  assert.equal(bench(out, ['--trackers', 'static']).code, 0);
  const args = ['--dataset', 'OTB100', '--root', real('otb', 'OTB100.json'), '--results', real('results', 'OTB100', 'otb-toolkit')];
  const r = runCli('eval', [...args, '--trackers', 'KCF', '--out', out]);
  assertOneLineError(
    r,
    /^error: --out: .* holds a bench run of other data \(--dataset OTB100, not synthetic; --root .*OTB100\.json, not .*; --results .*otb-toolkit, not .*\/raw\)/,
  );
  assert.match(readFileSync(join(out, 'summary.csv'), 'utf8'), /^static,.*,synthetic,otb$/m);
});

test('an unwritable bench --out is one line naming the path and the real cause, before any worker starts', () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'x');
  const cases: [string, RegExp, Record<string, string>?][] = [
    [file, /^error: --out: .*a-file is a file, not a folder$/],
    [join(file, 'run'), /^error: --out: cannot write to .*a-file\/run \((ENOTDIR|EEXIST): a part of the path is a file, not a folder\)$/],
  ];
  for (const [out, want] of cases) {
    const r = bench(out, ['--trackers', 'static']);
    assertOneLineError(r, want);
    assert.doesNotMatch(r.stderr, /worker died/);
  }
  // An immutable folder (even root cannot write in it): EPERM, where chattr is available.
  const frozen = join(tmp, 'frozen');
  mkdirSync(frozen);
  if (spawnSync('chattr', ['+i', frozen]).status === 0) {
    try {
      assertOneLineError(
        bench(frozen, ['--trackers', 'static']),
        /^error: --out: cannot write to .*frozen \(EPERM: operation not permitted\)$/,
      );
    } finally {
      spawnSync('chattr', ['-i', frozen]);
    }
  }
  // A read-only folder for an unprivileged user: EACCES (it used to be reported as ENOENT). That
  // user must be able to read the checkout (a clone inside a 0700 folder is not readable).
  const asNobody = { uid: 65534, gid: 65534 };
  const readable =
    process.getuid?.() === 0 &&
    spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(REPO, 'node_modules', 'tsx', 'package.json'))})`], {
      ...asNobody,
    }).status === 0;
  if (process.getuid?.() === 0 && !readable)
    process.stdout.write('# skipped the unprivileged-user case: uid 65534 cannot read this checkout\n');
  if (readable) {
    const ro = join(tmp, 'read-only');
    mkdirSync(ro, { mode: 0o555 });
    chmodSync(ro, 0o555);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO, 'src', 'cli', 'bench.ts'),
        '--dataset',
        'synthetic',
        '--root',
        syn,
        '--trackers',
        'static',
        '--out',
        ro,
      ],
      { cwd: REPO, encoding: 'utf8', ...asNobody, env: { ...process.env, SIAMBENCH_DEBUG: '', HOME: tmp } },
    );
    assertOneLineError({ code: r.status, stderr: r.stderr }, /^error: --out: cannot write to .*read-only \(EACCES: permission denied\)$/);
  }
});

test('a resume with other options is a one-line error naming the option and both values; run.json stays as it was', () => {
  const out = join(tmp, 'resume-check');
  assert.equal(bench(out, ['--trackers', 'static', '--seed', '1']).code, 0);
  const runJson = readFileSync(join(out, 'run.json'), 'utf8');
  const cases: [string[], RegExp][] = [
    [['--seed', '5'], /^error: --seed: .*resume-check holds a run made with 1, not 5; resume with the same options or use another --out$/],
    [['--convention', 'pysot'], /^error: --convention: .* made with otb, not pysot;/],
    [['--root', join(tmp, 'other-root')], /^error: --root: .* made with .*synthetic\/otb, not .*other-root\/otb;/],
  ];
  cpSync(syn, join(tmp, 'other-root'), { recursive: true });
  for (const [extra, want] of cases) {
    assertErrorLine(bench(out, ['--trackers', 'static', ...extra]), want);
    assert.equal(readFileSync(join(out, 'run.json'), 'utf8'), runJson, `${extra.join(' ')}: run.json untouched`);
  }
  // The same options resume (nothing left to run); a tracker new to the folder is simply added.
  const same = bench(out, ['--trackers', 'static', '--seed', '1']);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stderr, /resuming: 3 of 3 sequence run\(s\) already done/);
});

test('a resume after a tracker changed (its module or model files) is refused; another engine is refused', () => {
  const module = join(tmp, 'mine.ts');
  const source = (shift: number) => `
export const trackers = [{ name: 'mine', description: 'mine', deterministic: true, needsPixels: false,
  async create() { let box = [0, 0, 1, 1];
    return { async init(_f, b) { box = [b[0] + ${shift}, b[1], b[2], b[3]]; }, async update() { return { box }; } }; } }];
`;
  writeFileSync(module, source(0));
  const out = join(tmp, 'changed-tracker');
  const env = { SIAMBENCH_TRACKERS: module };
  assert.equal(bench(out, ['--trackers', 'mine'], env).code, 0);
  rmSync(join(out, 'records', 'mine', 'Synth003.json')); // as if killed before the last sequence
  writeFileSync(module, source(3));
  assertErrorLine(
    bench(out, ['--trackers', 'mine'], env),
    /^error: --trackers: mine has changed since .*changed-tracker was run \(module sha256:/,
  );
  writeFileSync(module, source(0));
  assertErrorLine(
    bench(out, ['--trackers', 'mine', '--engine', 'tfjs', '--backend', 'cpu'], env),
    /^error: --engine\/--backend: .* made with ort\/cpu, not tfjs\/cpu;/,
  );
  const resumed = bench(out, ['--trackers', 'mine'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming: 2 of 3/);
});

test('eval --trackers picks the exact folder; a case-insensitive match only when it is the only one, else an error listing them', () => {
  const out = join(tmp, 'case-run');
  assert.equal(bench(out, ['--trackers', 'static']).code, 0);
  const results = join(tmp, 'case-results');
  for (const name of ['KCF', 'Kcf', 'Staple']) cpSync(join(out, 'raw', 'static'), join(results, name), { recursive: true });
  const evaluate = (trackers: string, dir: string) =>
    runCli('eval', [
      '--dataset',
      'synthetic',
      '--root',
      join(syn, 'otb'),
      '--results',
      results,
      '--trackers',
      trackers,
      '--out',
      join(tmp, dir),
    ]);
  assertOneLineError(evaluate('KCf', 'case-a'), /^error: --trackers: 'KCf' matches KCF, Kcf in .* but none exactly; name one$/);
  assertOneLineError(evaluate('Staple,Staple', 'case-b'), /^error: --trackers: 'Staple' is named twice$/);
  assertOneLineError(evaluate('Staple,staple', 'case-c'), /^error: --trackers: two names pick the folder 'Staple'$/);
  for (const [name, want] of [
    ['Kcf', 'Kcf'],
    ['KCF', 'KCF'],
    ['staple', 'Staple'],
  ]) {
    const r = evaluate(name, `case-${name}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      readFileSync(join(tmp, `case-${name}`, 'summary.csv'), 'utf8')
        .split('\n')[1]
        .split(',')[0],
      want,
    );
  }
});
