import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import type { VotDataset } from '../src/benchmarks/vot/dataset/types.ts';
import { withEmpty } from '../src/benchmarks/vot/dataset/tags.ts';
import { importVotResults, parseVotResult, votResultPath, writeVotRun } from '../src/benchmarks/vot/results/index.ts';

function dataset(names: string[], length: number): VotDataset {
  const zero = () => new Uint8Array(length);
  return {
    name: 'tiny',
    root: '/nowhere',
    format: 'layout',
    warnings: [],
    sequences: names.map((name) => ({
      name,
      length,
      frames: [],
      hasImages: false,
      metadata: {},
      groundtruth: Array.from({ length }, () => [0, 0, 10, 0, 10, 10, 0, 10]),
      tags: withEmpty(
        { camera_motion: zero(), illum_change: zero(), motion_change: zero(), size_change: zero(), occlusion: zero() },
        length,
      ),
    })),
  };
}

function throwsAt(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof UserError && pattern.test(e.message));
}

test('result lines: codes (also written 2.0 / 0.0 as pysot does), rectangles and polygons', () => {
  const lines = parseVotResult('1\n1.5,2,30,40\n2.0\n0.0\n0\n1\n1,2,3,4,5,6,7,8\n\n', 'r.txt');
  assert.deepEqual(lines, [1, [1.5, 2, 30, 40], 2, 0, 0, 1, [1, 2, 3, 4, 5, 6, 7, 8]]);
});

test('malformed result lines are errors naming file and line, never a silent zero', () => {
  throwsAt(() => parseVotResult('1\n3\n', 'a_001.txt'), /^a_001\.txt:2: unknown code 3/);
  throwsAt(() => parseVotResult('1\n1,2,3,4,5\n', 'a_001.txt'), /^a_001\.txt:2: 5 values/);
  throwsAt(() => parseVotResult('1\n\n2\n', 'a_001.txt'), /^a_001\.txt:2: empty line/);
  throwsAt(() => parseVotResult('1\n1,2,x,4\n', 'a_001.txt'), /^a_001\.txt:2: 'x' is not a number/);
  throwsAt(() => parseVotResult('1\nnan,1,2,3\n', 'a_001.txt'), /^a_001\.txt:2: 'nan' is not a number/);
});

test('import: repetitions in order, time files, a missing sequence and a short run are recorded defects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vot-results-'));
  try {
    const ds = dataset(['alpha', 'beta', 'gamma'], 4);
    const seqDir = join(dir, 'T', 'baseline', 'alpha');
    mkdirSync(seqDir, { recursive: true });
    writeFileSync(join(seqDir, 'alpha_002.txt'), '1\n1,1,5,5\n2\n0\n');
    writeFileSync(join(seqDir, 'alpha_001.txt'), '1\n1,1,5,5\n1,1,5,5\n1,1,5,5\n');
    writeFileSync(join(seqDir, 'alpha_time.txt'), '0.5,0.25\n0.01,0.02\n0.01,0.02\nNaN,NaN\n');
    mkdirSync(join(dir, 'T', 'baseline', 'beta'));
    writeFileSync(join(dir, 'T', 'baseline', 'beta', 'beta_001.txt'), '1\n1,1,5,5\n');
    mkdirSync(join(dir, 'T', 'baseline', 'delta'));
    const [r] = await importVotResults(dir, ds);
    assert.equal(r.tracker, 'T');
    const alpha = r.baseline.get('alpha')!;
    assert.deepEqual(
      alpha.map((x) => x.repetition),
      [1, 2],
    );
    assert.deepEqual(alpha[1].lines, [1, [1, 1, 5, 5], 2, 0]);
    assert.deepEqual(alpha[1].times, [0.25, 0.02, 0.02, NaN]);
    assert.deepEqual(r.baseline.get('beta')![0].lines, [1, [1, 1, 5, 5], 0, 0]);
    assert.equal(r.baseline.has('gamma'), false);
    assert.deepEqual(r.defects.sort(), [
      'baseline/beta: repetition 1 has 2 lines for 4 frames; missing frames count as skipped (0)',
      'baseline/delta: not a sequence of tiny; ignored',
      "baseline/gamma: no results; the sequence is left out of this tracker's scores",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed line inside an imported file stops the import with its path and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vot-results-bad-'));
  try {
    const file = votResultPath(dir, 'T', 'baseline', 'alpha', 1);
    mkdirSync(join(dir, 'T', 'baseline', 'alpha'), { recursive: true });
    writeFileSync(file, '1\n1,1,5,5\n3\n1,1,5,5\n');
    await assert.rejects(
      importVotResults(dir, dataset(['alpha'], 4)),
      (e: unknown) =>
        e instanceof UserError && e.message === `${file}:3: unknown code 3 (expected 1 = initialised, 2 = failure, 0 = skipped)`,
    );
    await assert.rejects(importVotResults(dir, dataset(['alpha'], 4), { trackers: ['Nope'] }), /--trackers: no folder 'Nope'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the writer produces files the importer reads back (4 decimals, as trax reports regions)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vot-results-write-'));
  try {
    const lines = [1, [10.123456, 20, 30.5, 40.00004], 2, 0, 0, 1] as const;
    const paths = await writeVotRun(dir, 'Mine', 'baseline', 'alpha', 3, {
      lines: [...lines] as never,
      times: [0.5, 0.001, 0.002, NaN, NaN, 0.4],
    });
    assert.deepEqual(paths, [join(dir, 'Mine/baseline/alpha/alpha_003.txt'), join(dir, 'Mine/baseline/alpha/alpha_003_time.txt')]);
    assert.equal(readFileSync(paths[0], 'utf8'), '1\n10.1235,20,30.5,40\n2\n0\n0\n1\n');
    await writeVotRun(dir, 'Mine', 'unsupervised', 'alpha', 1, {
      lines: [1, [1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]],
    });
    const [r] = await importVotResults(dir, dataset(['alpha'], 6));
    const run = r.baseline.get('alpha')![0];
    assert.equal(run.repetition, 3);
    assert.deepEqual(run.lines, [1, [10.1235, 20, 30.5, 40], 2, 0, 0, 1]);
    assert.deepEqual(run.times, [0.5, 0.001, 0.002, NaN, NaN, 0.4]);
    assert.deepEqual(r.unsupervised.get('alpha')!.lines[1], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(r.defects, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import through symbolic links: linked tracker, sequence folders and result files read as real ones; dangling links are defects or a one-line error', async () => {
  const store = mkdtempSync(join(tmpdir(), 'vot-results-store-'));
  const dir = mkdtempSync(join(tmpdir(), 'vot-results-links-'));
  try {
    const ds = dataset(['alpha', 'beta'], 4);
    mkdirSync(join(store, 'T', 'baseline', 'alpha'), { recursive: true });
    writeFileSync(join(store, 'T', 'baseline', 'alpha', 'alpha_001.txt'), '1\n1,1,5,5\n2\n0\n');
    writeFileSync(join(store, 'beta_001.txt'), '1\n1,1,5,5\n1,1,5,5\n1,1,5,5\n');
    symlinkSync(join(store, 'T'), join(dir, 'T')); // a linked tracker folder
    mkdirSync(join(dir, 'U', 'baseline', 'beta'), { recursive: true });
    symlinkSync(join(store, 'T', 'baseline', 'alpha'), join(dir, 'U', 'baseline', 'alpha')); // a linked sequence folder
    symlinkSync(join(store, 'beta_001.txt'), join(dir, 'U', 'baseline', 'beta', 'beta_001.txt')); // a linked result file
    symlinkSync(join(store, 'nowhere', 'beta_002.txt'), join(dir, 'U', 'baseline', 'beta', 'beta_002.txt'));
    symlinkSync(join(store, 'nowhere', 'V'), join(dir, 'V'));
    const res = await importVotResults(dir, ds);
    assert.deepEqual(
      res.map((r) => r.tracker),
      ['T', 'U'],
    );
    const [t, u] = res;
    assert.deepEqual(t.baseline.get('alpha')![0].lines, [1, [1, 1, 5, 5], 2, 0]);
    assert.deepEqual(u.baseline.get('alpha')![0].lines, [1, [1, 1, 5, 5], 2, 0]);
    assert.deepEqual(
      u.baseline.get('beta')!.map((r) => r.repetition),
      [1],
    );
    assert.deepEqual(u.defects, [
      `baseline/beta: ${join(dir, 'U', 'baseline', 'beta', 'beta_002.txt')}: dangling symbolic link (to ${join(store, 'nowhere', 'beta_002.txt')}); repetition ignored`,
    ]);
    assert.deepEqual(ds.warnings, [
      `results: ${join(dir, 'V')}: dangling symbolic link (to ${join(store, 'nowhere', 'V')}); not a tracker folder, skipped`,
    ]);
    await assert.rejects(
      importVotResults(dir, dataset(['alpha'], 4), { trackers: ['V'] }),
      (e: unknown) => e instanceof UserError && /^--trackers: V: .*V: dangling symbolic link/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});
