import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSequences, pickSequences } from '../src/benchmarks/common/subset.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { plotSpec } from '../src/benchmarks/otb/report/plots.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { UserError } from '../src/core/errors.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/**
 * Issue 25, item 3: a report on part of a benchmark says so in every output ("OTB100, 16 of 100
 * sequences"), a subset can be chosen on purpose (--sequences, named after its file), and trackers
 * with results for different sequences are flagged, or compared on the ones all of them cover
 * (--common-sequences). Before, a bench on the 16 real OTB targets was titled "OTB100" everywhere
 * and eval ranked MUSTer on 73 sequences beside STRUCK on 100 without a word.
 */
let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'subset-labels-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const OTB_JSON = () => real('otb', 'OTB100.json');
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
/** The dataset column of summary.csv (the last but one; quoted when it holds commas). */
const datasetColumn = (csv: string) =>
  /,("[^"]*"|[^,]*),[a-z0-9]+\n/.exec(csv.split('\n').slice(1).join('\n') + '\n')![1].replace(/"/g, '');

test(
  'a bench on the 16 real OTB targets names "OTB100, 16 of 100 sequences" in every output; --sequences <file> names the subset',
  { skip: SKIP_REALDATA },
  async () => {
    const out = join(tmp, 'bench-otb');
    const args = ['--dataset', 'OTB100', '--root', real('frames', 'otb'), '--trackers', 'static', '--out', out, '--concurrency', '1'];
    const r = runCli('bench', args);
    assert.equal(r.code, 0, r.stderr);
    const label = 'OTB100, 16 of 100 sequences';
    assert.match(r.stdout, new RegExp(`^${label}, convention otb \\(`, 'm'));
    assert.match(read(out, 'summary.tex'), new RegExp(`^% ${label}, convention otb\\.`, 'm'));
    assert.match(read(out, 'summary.tex'), new RegExp(`\\\\caption\\{One-pass evaluation on ${label} \\(otb convention\\)`));
    assert.equal(datasetColumn(read(out, 'summary.csv')), label);
    assert.match(read(out, 'rules.txt'), new RegExp(`^${label}: one-pass evaluation`));
    assert.match(read(out, 'warnings.txt'), new RegExp(`^# ${label}, convention otb`));
    // The plots: their subtitle, from the same evaluation.
    const ds = await loadOtb('OTB100', real('frames', 'otb'));
    const ev = evaluateOtb(ds, await importOtbResults(join(out, 'raw'), ds), 'otb');
    assert.match(plotSpec(ev, 'success').subtitle, new RegExp(`^${label}, convention otb; legend: AUC$`));
    assert.match(plotSpec(ev, 'precision', 'OCC').subtitle, new RegExp(`^${label}, convention otb`));

    // A subset on purpose: a file of names (any spelling of a target, comments, blank lines).
    const file = join(tmp, 'hard.txt');
    writeFileSync(file, '# three hard ones\nDeer\n\ncouple\njogging_1\n');
    const sub = runCli('bench', [...args, '--sequences', file]);
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /^OTB100, hard: 3 of 100 sequences, convention otb/m);
    assert.match(sub.stdout, /^static {2}.* {4}3 {4}/m);
    assert.equal(datasetColumn(read(out, 'summary.csv')), 'OTB100, hard: 3 of 100 sequences');
    assert.deepEqual(
      read(out, 'per_sequence.csv')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
      ['Couple', 'Deer', 'Jogging-1'],
    );
    assertOneLineError(
      runCli('bench', [...args, '--sequences', 'Deer,Basketball']),
      /^error: --sequences: 'Basketball' is not among the 16 sequences of OTB100 loaded \(Bolt2, Car4, Couple, /,
    );
  },
);

test(
  'eval flags trackers scored on different sequences; --common-sequences scores all on the ones every tracker covers',
  { skip: SKIP_REALDATA },
  () => {
    const results = real('results', 'OTB100', 'jwlim-json');
    const evalOtb = (out: string, extra: string[]) =>
      runCli('eval', ['--dataset', 'OTB100', '--root', OTB_JSON(), '--results', results, '--out', join(tmp, out), ...extra]);
    const own = evalOtb('own', []);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /^OTB100, convention otb/m);
    assert.match(
      own.stdout,
      /! dataset: trackers are scored on different sequences \(MEEM 73, MUSTer 73, STRUCK 100 of 100\), each averaged over its own; --common-sequences scores every tracker on the 73 all of them cover/,
    );
    const common = evalOtb('common', ['--common-sequences']);
    assert.equal(common.code, 0, common.stderr);
    const label = 'OTB100, the 73 of 100 sequences all 3 trackers cover';
    assert.match(common.stdout, new RegExp(`^${label}, convention otb`, 'm'));
    assert.doesNotMatch(common.stdout, /different sequences/);
    assert.match(read(tmp, 'common', 'summary.tex'), new RegExp(`caption\\{One-pass evaluation on ${label}`));
    const rows = (dir: string) =>
      Object.fromEntries(
        read(tmp, dir, 'summary.csv')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => [l.split(',')[0], l.split(',').slice(1, 8).join(',')]),
      );
    const c = rows('common');
    assert.match(c.STRUCK, /,73,43231$/);
    assert.equal(c.MUSTer, rows('own').MUSTer, 'MUSTer covered the 73 already');
    assert.notEqual(c.STRUCK, rows('own').STRUCK);
    // The same as choosing those 73 by hand: STRUCK on a file of MUSTer's sequences.
    const names = read(tmp, 'common', 'per_sequence.csv')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith('MUSTer,'))
      .map((l) => l.split(',')[1]);
    writeFileSync(join(tmp, 'muster73.txt'), `${names.join('\n')}\n`);
    const byHand = evalOtb('by-hand', ['--trackers', 'STRUCK', '--sequences', join(tmp, 'muster73.txt')]);
    assert.equal(byHand.code, 0, byHand.stderr);
    assert.match(byHand.stdout, /^OTB100, muster73: 73 of 100 sequences, convention otb/m);
    assert.equal(rows('by-hand').STRUCK, c.STRUCK);
  },
);

test('eval on part of VOT2019 names it; unknown names are one-line errors', { skip: SKIP_REALDATA }, () => {
  const base = [
    '--dataset',
    'VOT2019',
    '--root',
    real('vot', 'VOT2019.json'),
    '--results',
    real('results', 'VOT2019'),
    '--trackers',
    'Ocean',
  ];
  const r = runCli('eval', [...base, '--sequences', 'agility,ants1', '--out', join(tmp, 'vot')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^VOT2019, 2 of 60 sequences, convention legacy/m);
  assert.equal(datasetColumn(read(tmp, 'vot', 'summary.csv')), 'VOT2019, 2 of 60 sequences');
  assert.match(read(tmp, 'vot', 'rules.txt'), /^VOT2019, 2 of 60 sequences: supervised/);
  assertOneLineError(
    runCli('eval', [...base, '--sequences', 'agility,bag', '--out', join(tmp, 'vot-bad')]),
    /^error: --sequences: 'bag' is not among the 60 sequences of VOT2019 loaded \(agility, /,
  );
});

test('--sequences parsing: a list or a file; unknown, repeated or no names are errors naming where they were given', () => {
  const items = ['Jogging-1', 'Jogging-2', 'Deer'];
  const pick = (raw: string) => pickSequences(items, (s) => s, parseSequences(raw), 'OTB100');
  assert.deepEqual(pick('deer, Jogging-2'), ['Jogging-2', 'Deer']);
  const dir = mkdtempSync(join(tmpdir(), 'subset-file-'));
  try {
    const file = join(dir, 'mine.txt');
    writeFileSync(file, '\uFEFFDeer\r\njogging_1 # the first target\r\nBolt\r\n');
    assert.deepEqual(parseSequences(file).name, 'mine');
    assert.throws(
      () => pick(file),
      (e: unknown) =>
        e instanceof UserError && e.message.startsWith(`--sequences: 'Bolt' (${file}:3) is not among the 3 sequences of OTB100 loaded`),
    );
    writeFileSync(file, 'Deer\ndeer\n');
    assert.throws(() => pick(file), new RegExp(`--sequences: 'deer' \\(.*mine\\.txt:2\\) names Deer a second time`));
    writeFileSync(file, '# nothing\n');
    assert.throws(() => parseSequences(file), /--sequences: .*mine\.txt names no sequence/);
    assert.throws(() => pick(' , '), /--sequences: expected sequence names or a file of them/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A tracker that throws on Synth002: its run of that sequence fails, the others are scored. */
const BROKEN = `
export const trackers = [{
  name: 'broken', description: 'fails on Synth002', deterministic: true, needsPixels: false,
  async create() {
    let box = [0, 0, 1, 1];
    return {
      async init(_f, b) { box = b; },
      async update(f) { if (f.path.includes('Synth002') && f.index === 3) throw new Error('lost it'); return { box }; },
    };
  },
}];
`;

test('bench: a tracker whose run failed is flagged beside one that covers all; --common-sequences compares both on the rest', async () => {
  const syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 5, testSequences: 3, testFrames: 30, splits: ['test'] });
  const module = join(tmp, 'broken.ts');
  writeFileSync(module, BROKEN);
  const out = join(tmp, 'bench-common');
  const bench = (extra: string[]) =>
    runCli(
      'bench',
      ['--dataset', 'synthetic', '--root', syn, '--trackers', 'broken,static', '--out', out, '--concurrency', '1', ...extra],
      {
        SIAMBENCH_TRACKERS: module,
      },
    );
  const r = bench([]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^synthetic, convention otb/m);
  assert.match(r.stdout, /! dataset: trackers are scored on different sequences \(broken 2, static 3 of 3\)/);
  const common = bench(['--common-sequences']);
  assert.equal(common.code, 0, common.stderr);
  assert.match(common.stdout, /^synthetic, the 2 of 3 sequences all 2 trackers cover, convention otb/m);
  assert.match(common.stdout, /^static +(0\.\d+ +){5}2 +60 /m);
  const picked = bench(['--sequences', 'Synth001,Synth003']);
  assert.equal(picked.code, 0, picked.stderr);
  assert.match(picked.stdout, /^synthetic, 2 of 3 sequences, convention otb/m);
  assert.doesNotMatch(picked.stdout, /different sequences/);
});
