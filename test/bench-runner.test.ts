import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { runCli, startCli } from './helpers/cli.ts';

/**
 * The bench runner end to end on real generated JPEGs, real worker threads and the real engines
 * (ORT by default, tfjs WASM for comparison): resume after a kill, a tracker that throws, the VOT
 * protocol, and option errors.
 */
let tmp = '';
let syn = '';
const SEQS = ['Synth001', 'Synth002', 'Synth003'];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 3, testSequences: 3, testFrames: 30, splits: ['test'] });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function bench(out: string, ...extra: string[]) {
  return runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', out, ...extra]);
}

const csvRows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

test('a killed run, resumed, ends with exactly the results of an uninterrupted run', async () => {
  const whole = join(tmp, 'whole');
  const r = bench(whole, '--trackers', 'siamfc,static', '--concurrency', '1');
  assert.equal(r.code, 0, r.stderr);

  const killed = join(tmp, 'killed');
  const child = startCli('bench', [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    killed,
    '--trackers',
    'siamfc,static',
    '--concurrency',
    '1',
  ]);
  const records = join(killed, 'records', 'siamfc');
  while (!(existsSync(records) && readdirSync(records).some((f) => f.endsWith('.json')))) {
    assert.equal(child.exitCode, null, 'the run ended before it could be killed');
    await sleep(50);
  }
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  const finished = readdirSync(records).filter((f) => f.endsWith('.json')).length;
  assert.ok(finished < SEQS.length, `killed after ${finished} siamfc sequence(s), before the end`);

  const resumed = bench(killed, '--trackers', 'siamfc,static', '--concurrency', '1');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming: \d+ of 6 sequence run\(s\) already done/);
  for (const tracker of ['siamfc', 'static']) {
    for (const seq of SEQS) {
      const a = readFileSync(join(whole, 'raw', tracker, `${seq}.txt`), 'utf8');
      const b = readFileSync(join(killed, 'raw', tracker, `${seq}.txt`), 'utf8');
      assert.equal(b, a, `${tracker} ${seq}: same boxes`);
      assert.equal(a.trim().split('\n').length, 30);
    }
  }
  // Scores agree too (fps, measured, may not).
  const cols = csvRows(join(whole, 'summary.csv'))[0];
  const strip = (rows: string[][]) => rows.map((row) => row.filter((_, i) => cols[i] !== 'fps'));
  assert.deepEqual(strip(csvRows(join(killed, 'summary.csv'))), strip(csvRows(join(whole, 'summary.csv'))));
  // The static tracker scores what its definition implies: its box is the first ground truth.
  const gt = readFileSync(join(syn, 'otb', 'Synth001', 'groundtruth_rect.txt'), 'utf8')
    .trim()
    .split('\n')[0];
  const boxes = readFileSync(join(whole, 'raw', 'static', 'Synth001.txt'), 'utf8')
    .trim()
    .split('\n');
  assert.ok(
    boxes.every((b) => b.split(',').map(Number).join() === gt.split(',').map(Number).join()),
    'static holds the first box',
  );
  // ORT is the default engine and the records say so: engine, provider and threads.
  const run = JSON.parse(readFileSync(join(whole, 'run.json'), 'utf8'));
  assert.equal(run.compute.used.engine, 'ort');
  assert.equal(run.compute.used.provider, 'cpu');
  assert.ok(run.compute.used.threads >= 1);
  const job = JSON.parse(readFileSync(join(whole, 'records', 'siamfc', 'Synth001.json'), 'utf8'));
  assert.deepEqual(job.compute, run.compute.used);
  assert.equal(job.trackerRecord.engine, `ort/cpu/${job.compute.threads}t`);
  const leftovers = readdirSync(join(killed, 'raw', 'siamfc')).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(
    leftovers.filter((f) => !f.includes('.txt.')),
    [],
    'no stray files but atomic-write temporaries',
  );
});

test('--engine tfjs writes the same boxes as the default ORT engine, and its records say tfjs', () => {
  const ort = join(tmp, 'engine-ort');
  const tfjs = join(tmp, 'engine-tfjs');
  for (const [out, extra] of [
    [ort, []],
    [tfjs, ['--engine', 'tfjs', '--backend', 'wasm']],
  ] as const) {
    const r = bench(out, '--trackers', 'siamfc', '--concurrency', '2', ...extra);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.equal(JSON.parse(readFileSync(join(tfjs, 'run.json'), 'utf8')).compute.used.engine, 'tfjs');
  let worst = 0;
  for (const seq of SEQS) {
    const read = (dir: string) =>
      readFileSync(join(dir, 'raw', 'siamfc', `${seq}.txt`), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',').map(Number));
    const [a, b] = [read(ort), read(tfjs)];
    assert.equal(a.length, b.length);
    a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  }
  assert.ok(worst < 0.01, `boxes differ by up to ${worst} px`);
});

test('a tracker that throws on one sequence fails that sequence only; the run goes on and says so', () => {
  const module = join(tmp, 'flaky.ts');
  writeFileSync(
    module,
    `
    export const trackers = [{
      name: 'flaky', description: 'throws on Synth002 frame 6', deterministic: true, needsPixels: false,
      async create() {
        let box = [0, 0, 1, 1];
        return {
          async init(_f, b) { box = b; },
          async update(f) {
            if (f.path.includes('Synth002') && f.index === 5) throw new Error('flaky gave up on frame 6');
            return { box };
          },
        };
      },
    }];
  `,
  );
  const out = join(tmp, 'flaky-run');
  const r = runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', out, '--trackers', 'flaky,static', '--concurrency', '2'], {
    SIAMBENCH_TRACKERS: module,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /failed: flaky on Synth002: flaky gave up on frame 6/);
  const record = JSON.parse(readFileSync(join(out, 'records', 'flaky', 'Synth002.json'), 'utf8'));
  assert.equal(record.status, 'failed');
  assert.equal(record.frames, 5);
  assert.ok(!existsSync(join(out, 'raw', 'flaky', 'Synth002.txt')), 'no result file for the failed sequence');
  for (const seq of ['Synth001', 'Synth003']) assert.ok(existsSync(join(out, 'raw', 'flaky', `${seq}.txt`)));
  for (const seq of SEQS) assert.ok(existsSync(join(out, 'raw', 'static', `${seq}.txt`)));
  const rows = csvRows(join(out, 'summary.csv'));
  const header = rows[0];
  const flaky = rows.find((row) => row[0] === 'flaky')!;
  assert.equal(flaky[header.indexOf('sequences')], '2');
  assert.match(readFileSync(join(out, 'warnings.txt'), 'utf8'), /flaky: Synth002: tracker failed: flaky gave up on frame 6/);
});

test('a tracker that calls process.exit kills its worker: that sequence fails as "worker died", a new worker runs the rest', () => {
  const module = join(tmp, 'quitter.ts');
  writeFileSync(
    module,
    `
    export const trackers = [{
      name: 'quitter', description: 'exits on Synth002 frame 6', deterministic: true, needsPixels: false,
      async create() {
        let box = [0, 0, 1, 1];
        return {
          async init(_f, b) { box = b; },
          async update(f) {
            if (f.path.includes('Synth002') && f.index === 5) process.exit(7);
            return { box };
          },
        };
      },
    }];
  `,
  );
  const out = join(tmp, 'quitter-run');
  const r = runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', out, '--trackers', 'quitter,static', '--concurrency', '1'], {
    SIAMBENCH_TRACKERS: module,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /failed: quitter on Synth002: worker died: exit code 7/);
  assert.ok(!existsSync(join(out, 'raw', 'quitter', 'Synth002.txt')), 'no result file for the failed sequence');
  for (const seq of ['Synth001', 'Synth003']) assert.ok(existsSync(join(out, 'raw', 'quitter', `${seq}.txt`)));
  for (const seq of SEQS) assert.ok(existsSync(join(out, 'raw', 'static', `${seq}.txt`)), 'the jobs after the death ran on a new worker');
});

test('VOT protocol through the bench: reset runs in the VOT layout, 3 identical runs of a deterministic tracker', () => {
  const out = join(tmp, 'vot');
  const r = runCli('bench', ['--dataset', 'synthetic-vot', '--root', syn, '--out', out, '--trackers', 'static']);
  assert.equal(r.code, 0, r.stderr);
  for (const seq of SEQS) {
    const dir = join(out, 'raw', 'static', 'baseline', seq);
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => /_\d{3}\.txt$/.test(f))
        .sort(),
      [1, 2, 3].map((k) => `${seq}_00${k}.txt`),
    );
    const lines = readFileSync(join(dir, `${seq}_001.txt`), 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.length, 30);
    assert.equal(lines[0], '1');
  }
  const rows = csvRows(join(out, 'summary.csv'));
  for (const col of ['tracker', 'eao', 'accuracy', 'robustness', 'failures', 'frames']) assert.ok(rows[0].includes(col), col);
  assert.equal(rows[1][0], 'static');

  // The unsupervised experiment: one run, no reset, scored by average overlap.
  const u = runCli('bench', [
    '--dataset',
    'synthetic-vot',
    '--root',
    syn,
    '--out',
    join(tmp, 'vot-u'),
    '--trackers',
    'static',
    '--experiment',
    'unsupervised',
  ]);
  assert.equal(u.code, 0, u.stderr);
  const lines = readFileSync(join(tmp, 'vot-u', 'raw', 'static', 'unsupervised', 'Synth001', 'Synth001_001.txt'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length, 30);
  assert.ok(
    lines.slice(1).every((l) => l.split(',').length === 4),
    'every later frame holds a region, never a reset code',
  );
  const urows = csvRows(join(tmp, 'vot-u', 'summary.csv'));
  const ao = Number(urows[1][urows[0].indexOf('ao')]);
  assert.ok(ao > 0 && ao < 1, `AO ${ao}`);
});

test('bench option errors are one line and a non-zero exit', () => {
  const out = join(tmp, 'never');
  const cases: [string[], RegExp][] = [
    [['--dataset', 'OTB99', '--root', syn], /^error: --dataset: unknown dataset 'OTB99'/],
    [['--trackers', 'nope', '--root', syn], /^error: unknown tracker 'nope'; registered trackers: siamfc, siamfc-gs, static/],
    [['--backend', 'tpu', '--root', syn], /^error: --backend: 'tpu' is not one of node-gpu, node, wasm, cpu/],
    [['--concurrency', '0', '--root', syn], /^error: --concurrency: expected a whole number >= 1, got '0'/],
    [['--dataset', 'OTB100'], /^error: --root: required for --dataset OTB100/],
    [
      ['--convention', 'legacy', '--root', syn],
      /^error: --convention: unknown convention 'legacy' for OTB \(expected otb, pysot, got10k, lasot, lasot-all-frames, lasot-kept-frames, pytracking\)/,
    ],
  ];
  for (const [args, want] of cases) {
    const r = runCli('bench', [...args, '--out', out]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), want);
  }
  assert.ok(!existsSync(out), 'nothing written');
});
