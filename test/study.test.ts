import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../src/study/spec.ts';
import { MIN_INTERVAL_SEQUENCES } from '../src/study/comparisons.ts';
import { assertOneLineError, REPO, runCli } from './helpers/cli.ts';
import { csvRows } from './helpers/files.ts';

/**
 * `npm run study` end to end on studies/smoke.json (2 configurations x 2 seeds, a few dozen steps,
 * 4 short synthetic sequences): every output, a second run that resumes without training or
 * tracking again, study.csv against statistics this test recomputes from per_run.csv, and
 * --recompute reproducing the statistics byte for byte.
 */
const SMOKE = join(REPO, 'studies', 'smoke.json');
let tmp = '';
let out = '';
let first: ReturnType<typeof runCli>;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'study-'));
  out = join(tmp, 'study');
  first = runCli('study', ['--spec', SMOKE, '--out', out]);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const runs = ['logistic-seed1', 'logistic-seed2', 'global-seed1', 'global-seed2'];

test('a study trains every (configuration, seed), tracks every model and writes every output', () => {
  assert.equal(first.code, 0, first.stderr);
  for (const r of runs) assert.ok(existsSync(join(out, 'models', r, 'model.json')), r);
  for (const f of [
    'spec.json',
    'per_run.csv',
    'training.csv',
    'study.csv',
    'per_attribute.csv',
    'study.md',
    'forest-synthetic.png',
    'validation.csv',
    'selection.csv',
    'curves/logistic.png',
    'curves/global.png',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.match(first.stderr, /\[study\] training 4 run\(s\), 2 at a time/);
  assert.match(first.stderr, /\[global-seed2\] .*epoch 2\/2:/);
  const perRun = csvRows(join(out, 'per_run.csv'));
  assert.equal(perRun.length, 4 * 4, 'one row per (run, sequence)');
  assert.deepEqual([...new Set(perRun.map((r) => r.test_set))], ['synthetic'], 'the validation set is never compared');
  assert.equal(csvRows(join(out, 'validation.csv')).length, 4 * 3);
  assert.deepEqual(
    csvRows(join(out, 'training.csv')).map((r) => `${r.config}/${r.seed}/${r.steps}`),
    // Seed-major, the order the runs train in (a study stopped part-way holds whole seeds).
    ['logistic/1/20', 'global/1/20', 'logistic/2/20', 'global/2/20'],
  );
});

test('a second run resumes: no training run and no tracking run again, the same results', () => {
  assert.equal(first.code, 0, first.stderr);
  const stamp = (r: string) => statSync(join(out, 'models', r, 'model.json')).mtimeMs;
  const before = runs.map(stamp);
  const logs = runs.map((r) => readFileSync(join(out, 'logs', `${r}.log`), 'utf8'));
  const perRun = readFileSync(join(out, 'per_run.csv'), 'utf8');
  const study = readFileSync(join(out, 'study.csv'), 'utf8');
  const second = runCli('study', ['--spec', SMOKE, '--out', out]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /4 of 4 training run\(s\) already done/);
  assert.match(second.stderr, /synthetic: .*resuming: 16 of 16 sequence run\(s\) already done/);
  assert.match(second.stderr, /validation: .*resuming: 12 of 12 sequence run\(s\) already done/);
  assert.doesNotMatch(second.stderr, /\[study\] training [a-z]+-seed/);
  assert.deepEqual(runs.map(stamp), before, 'models untouched');
  assert.deepEqual(
    runs.map((r) => readFileSync(join(out, 'logs', `${r}.log`), 'utf8')),
    logs,
    'no training process started',
  );
  assert.equal(readFileSync(join(out, 'per_run.csv'), 'utf8'), perRun);
  assert.equal(readFileSync(join(out, 'study.csv'), 'utf8'), study);
});

test('study.csv matches statistics recomputed here from per_run.csv', () => {
  assert.equal(first.code, 0, first.stderr);
  const rows = csvRows(join(out, 'per_run.csv'));
  const seqs = [...new Set(rows.map((r) => r.sequence))];
  const matrix = (config: string, key: 'auc' | 'precision') =>
    [1, 2].map((s) => seqs.map((q) => Number(rows.find((r) => r.config === config && r.seed === String(s) && r.sequence === q)![key])));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd2 = (xs: number[]) => Math.abs(xs[0] - xs[1]) / Math.SQRT2; // sample SD of two values
  const study = csvRows(join(out, 'study.csv'));
  assert.deepEqual(
    study.map((r) => `${r.test_set}/${r.config}/${r.loss}/${r.seeds}/${r.sequences}`),
    ['synthetic/logistic/logistic/2/4', 'synthetic/global/global/2/4'],
  );
  const base = matrix('logistic', 'auc');
  for (const row of study) {
    const auc = matrix(row.config, 'auc');
    const prec = matrix(row.config, 'precision');
    const aucSeeds = auc.map(avg);
    const precSeeds = prec.map(avg);
    assert.equal(row.auc_mean, avg(aucSeeds).toFixed(6));
    assert.equal(row.auc_sd, sd2(aucSeeds).toFixed(6));
    assert.equal(row.prec_mean, avg(precSeeds).toFixed(6));
    assert.equal(row.prec_sd, sd2(precSeeds).toFixed(6));
    const delta = avg(aucSeeds) - avg(base.map(avg));
    assert.equal(row.delta_auc, delta.toFixed(6));
    if (row.config === 'logistic') {
      assert.deepEqual([row.ci_low, row.ci_high, row.p_value, row.p_seeds], ['', '', '', ''], 'the baseline is not compared with itself');
      continue;
    }
    // Sign-flip over the 2^4 assignments of the per-sequence differences of the seed means.
    const d = seqs.map((_, q) => avg(auc.map((r) => r[q])) - avg(base.map((r) => r[q])));
    const obs = Math.abs(d.reduce((a, b) => a + b, 0));
    let hits = 0;
    for (let m = 0; m < 16; m++) if (Math.abs(d.reduce((a, x, i) => a + (m & (1 << i) ? -x : x), 0)) >= obs - 1e-12) hits++;
    assert.equal(row.p_value, (hits / 16).toFixed(6));
    // Permutation over the trained models: the C(4, 2) = 6 ways of calling two of the four seed means "ours".
    const pool = [...aucSeeds, ...base.map(avg)];
    const gap = (i: number, j: number) => Math.abs((pool[i] + pool[j]) / 2 - (avg(pool) * 4 - pool[i] - pool[j]) / 2);
    const splits = [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ].map(([i, j]) => gap(i, j));
    assert.equal(row.p_seeds, (splits.filter((g) => g >= splits[0] - 1e-12).length / 6).toFixed(6));
    // 4 sequences are fewer than MIN_INTERVAL_SEQUENCES: no interval, said in study.md (the bootstrap
    // itself is checked in study-stats.test.ts); one comparison, so Holm leaves both p-values as they are.
    assert.ok(seqs.length < MIN_INTERVAL_SEQUENCES);
    assert.deepEqual([row.ci_low, row.ci_high], ['', '']);
    assert.deepEqual([row.p_holm, row.p_seeds_holm], [row.p_value, row.p_seeds]);
  }
  const md = readFileSync(join(out, 'study.md'), 'utf8');
  assert.match(md, /two-level paired percentile bootstrap/);
  assert.match(md, /\| global \| global \| 2 \|/);
  assert.match(md, /\| global \| global \| 2 \|[^\n]*\| none \(< 8 seq\.\) \|/);
});

test('each configuration ships the seed with the best mean validation AUC, recomputed here from validation.csv', () => {
  assert.equal(first.code, 0, first.stderr);
  const rows = csvRows(join(out, 'validation.csv'));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const selection = csvRows(join(out, 'selection.csv'));
  assert.equal(selection.length, 4);
  for (const config of ['logistic', 'global']) {
    const score = (seed: number, key: 'auc' | 'precision') =>
      avg(rows.filter((r) => r.config === config && r.seed === String(seed)).map((r) => Number(r[key])));
    for (const seed of [1, 2]) {
      const row = selection.find((r) => r.config === config && r.seed === String(seed))!;
      assert.equal(row.val_auc, score(seed, 'auc').toFixed(6));
      assert.equal(row.val_precision, score(seed, 'precision').toFixed(6));
    }
    const [a, b] = [score(1, 'auc'), score(2, 'auc')];
    const best = a > b || (a === b && score(1, 'precision') >= score(2, 'precision')) ? 1 : 2;
    assert.deepEqual(
      selection.filter((r) => r.config === config && r.selected === '1').map((r) => r.seed),
      [String(best)],
    );
    assert.match(
      readFileSync(join(out, 'study.md'), 'utf8'),
      new RegExp(`\\| ${config} \\| ${best} \\| ${score(best, 'auc').toFixed(3)} \\|`),
    );
  }
});

test('--recompute rewrites every statistic byte for byte from per_run.csv alone', () => {
  assert.equal(first.code, 0, first.stderr);
  const again = join(tmp, 'recomputed');
  mkdirSync(again);
  copyFileSync(join(out, 'per_run.csv'), join(again, 'per_run.csv'));
  copyFileSync(join(out, 'validation.csv'), join(again, 'validation.csv'));
  const r = runCli('study', ['--recompute', again]);
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['study.csv', 'per_attribute.csv', 'study.md', 'selection.csv']) {
    assert.equal(readFileSync(join(again, f), 'utf8'), readFileSync(join(out, f), 'utf8'), f);
  }
  assert.ok(existsSync(join(again, 'forest-synthetic.png')));
});

test('--status after a whole study: every run done, every set tracked, the statistics written', () => {
  const r = runCli('study', ['--spec', SMOKE, '--out', out, '--status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /: 4 of 4 training runs done, 0 part-way, 0 failed, 0 not started\n/);
  assert.match(r.stdout, /^tracking: synthetic scored, validation scored/m);
  assert.match(r.stdout, /^statistics: written/m);
  // A set whose jobs are not all tracked has no report yet: a copy of the folder without one reads 'started'.
  const partial = join(tmp, 'study-partial');
  cpSync(out, partial, { recursive: true });
  rmSync(join(partial, 'eval', 'validation', 'summary.json'));
  const p = runCli('study', ['--spec', SMOKE, '--out', partial, '--status']);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /^tracking: synthetic scored, validation started/m);
});

test('a study folder refuses a spec with another recipe, in one line', () => {
  assert.equal(first.code, 0, first.stderr);
  const spec = JSON.parse(readFileSync(SMOKE, 'utf8'));
  spec.recipe.epochs = 3;
  const file = join(tmp, 'changed.json');
  writeFileSync(file, JSON.stringify(spec));
  assertOneLineError(
    runCli('study', ['--spec', file, '--out', out]),
    /holds a study whose recipe differs from .*changed\.json; use the same spec or a new --out/,
  );
});

test('spec errors are one line naming the file and the field', () => {
  const good = JSON.parse(readFileSync(SMOKE, 'utf8'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the edits reach into any field of the parsed JSON
  const bad = (edit: (s: any) => void, pattern: RegExp) => {
    const s = structuredClone(good);
    edit(s);
    assert.throws(
      () => parseSpec(s, 'studies/x.json'),
      (e: Error) => pattern.test(e.message) && !e.message.includes('\n'),
      pattern.source,
    );
  };
  bad((s) => {
    s.configurations[1].loss = 'hinge';
  }, /^studies\/x\.json: configurations\[1\]\.loss: expected one of logistic, global, ranking, got "hinge"$/);
  bad((s) => {
    s.configurations[0].settings = { eta: 0 };
  }, /^studies\/x\.json: configurations\[0\]\.settings\.eta: a setting of the global loss, not of logistic$/);
  bad((s) => {
    s.configurations[1].settings.alpha = -1;
  }, /configurations\[1\]\.settings\.alpha: expected a number >= 0, got -1$/);
  bad((s) => {
    s.configurations[1].settings.softmax = 3;
  }, /configurations\[1\]\.settings\.softmax: unknown field/);
  bad((s) => {
    s.baseline = 'nope';
  }, /^studies\/x\.json: baseline: names no configuration \(logistic, global\), got "nope"$/);
  bad((s) => {
    s.seeds = [1, 1];
  }, /seeds: seed 1 is listed twice/);
  bad((s) => {
    s.recipe.epochs = 0;
  }, /recipe\.epochs: expected a whole number >= 1, got 0/);
  bad((s) => {
    s.recipe.seed = 4;
  }, /recipe\.seed: unknown field/);
  bad((s) => {
    s.testSets[0].kind = 'vot';
  }, /testSets\[0\]\.kind: expected 'synthetic' or 'otb', got "vot"/);
  bad((s) => {
    s.testSets.push({ name: 'synthetic', kind: 'otb', root: '/x' });
  }, /testSets: 'synthetic' is named twice/);
  assertOneLineError(runCli('study', ['--spec', join(tmp, 'missing.json'), '--out', join(tmp, 'x')]), /cannot read .*missing\.json/);
});
