/**
 * Issue 12 item 1, parser side: every hostile input found against `eval` ends in a correct result, a
 * correct result with the defect named (warnings.txt and the console), or a one-line error naming the
 * file or option. Each case is built from the real published files in a temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { readResultFile } from '../src/benchmarks/otb/results/read.ts';
import { parseVotResult } from '../src/benchmarks/vot/results/parse.ts';
import { REPO } from './helpers/cli.ts';
import { put, tempDir } from './helpers/files.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';
import { scaledMs } from './helpers/load.ts';

const OTB_JSON = real('otb', 'OTB100.json');
const TOOLKIT = real('otb', 'toolkit-tb100');
const STAPLE = real('results', 'OTB100', 'otb-toolkit', 'Staple');
const OCEAN = real('results', 'VOT2019', 'Ocean');
const VOT_JSON = real('vot', 'VOT2019.json');

/** `npm run eval` in a child, killed after `seconds`: a hang is a failed test, not a stuck suite. */
function evalCli(args: string[], seconds = 90) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'eval.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    // Catches a hang (a read blocked on a FIFO spends no CPU): wall clock, scaled by the slowdown measured at the start.
    timeout: scaledMs(seconds * 1000),
    killSignal: 'SIGKILL',
    env: { ...process.env, SIAMBENCH_DEBUG: '' },
  });
  assert.notEqual(r.signal, 'SIGKILL', `eval ${args.join(' ')} hung (killed after ${scaledMs(seconds * 1000) / 1000} s)`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, 'mkfifo');
}

async function rejectsUser(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof UserError && !e.message.includes('\n') && pattern.test(e.message));
}

/** A results folder holding a copy of Staple's published files. */
function stapleCopy(dir: string, name = 'Staple'): string {
  const to = join(dir, 'res', name);
  cpSync(STAPLE, to, { recursive: true });
  return join(dir, 'res');
}

/** summary.csv's row for a tracker, as column -> value. */
function summaryRow(out: string, tracker: string): Record<string, string> {
  const [head, ...rows] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  const row = rows.map((r) => r.split(',')).find((r) => r[0] === tracker);
  assert.ok(row, `summary.csv has ${tracker}`);
  return Object.fromEntries(cols.map((c, i) => [c, row[i]]));
}

function perSequenceRows(out: string, tracker: string): number {
  return readFileSync(join(out, 'per_sequence.csv'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith(`${tracker},`)).length;
}

test(
  'a FIFO or a folder as a times file, ope_meta.json or result file is named, never read (no hang)',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'hostile-fifo-');
    const res = stapleCopy(dir);
    mkfifo(join(res, 'Staple', 'Basketball_time.txt'));
    mkdirSync(join(res, 'Staple', 'times', 'Biker_time.txt'), { recursive: true });
    mkfifo(join(res, 'Staple', 'Bird1.txt.fifo-is-ignored'));
    rmSync(join(res, 'Staple', 'Bird2.txt'));
    mkfifo(join(res, 'Staple', 'Bird2.txt'));
    const ds = await loadOtb('OTB100', OTB_JSON);
    const [tr] = await importOtbResults(res, ds);
    const w = tr.warnings.join('\n');
    assert.match(w, /Basketball_time\.txt: not a regular file; not read/);
    assert.match(w, /times\/Biker_time\.txt: a directory; not read, speed not measured/);
    assert.match(w, /Bird2\.txt: not a regular file; Bird2 counts as having no result/);
    assert.deepEqual(tr.missing, ['Bird2']);
    // ope_meta.json that is a FIFO: start frames were meant to be given, so it is an error, not a hang.
    mkfifo(join(res, 'ope_meta.json'));
    await rejectsUser(importOtbResults(res, ds), /ope_meta\.json: a FIFO \(named pipe\), not a regular file/);
  },
);

test('VOT: a FIFO as a time or result file, and a result that is a folder, are named defects (no hang)', { skip: SKIP_REALDATA }, (t) => {
  const dir = tempDir(t, 'hostile-vot-fifo-');
  const res = join(dir, 'res');
  cpSync(OCEAN, join(res, 'Ocean'), { recursive: true });
  const seq = join(res, 'Ocean', 'baseline');
  mkfifo(join(seq, 'agility', 'agility_001_time.txt'));
  rmSync(join(seq, 'ants1', 'ants1_001.txt'));
  mkfifo(join(seq, 'ants1', 'ants1_001.txt'));
  rmSync(join(seq, 'ball2', 'ball2_001.txt'));
  mkdirSync(join(seq, 'ball2', 'ball2_001.txt'));
  const out = join(dir, 'out');
  const r = evalCli(['--dataset', 'VOT2019', '--root', VOT_JSON, '--results', res, '--out', out], 60);
  assert.equal(r.code, 0, r.stderr);
  const w = readFileSync(join(out, 'warnings.txt'), 'utf8');
  assert.match(w, /agility_001_time\.txt: a FIFO \(named pipe\), not a regular file; not read; speed of repetition 1 not measured/);
  assert.match(w, /baseline\/ants1: .*ants1_001\.txt: not a regular file; repetition ignored/);
  assert.match(w, /baseline\/ball2: .*ball2_001\.txt: not a regular file; repetition ignored/);
});

test(
  '--results pointing at ground truth is refused, an anno/ folder among trackers skipped, a copy of it flagged',
  { skip: SKIP_REALDATA },
  async (t) => {
    const ds = await loadOtb('OTB100', OTB_JSON);
    await rejectsUser(
      importOtbResults(TOOLKIT, ds),
      /^--results: .*toolkit-tb100 holds the OTB toolkit's anno\/ and initOmit\/ folders, not tracker results/,
    );
    await rejectsUser(importOtbResults(join(TOOLKIT, 'anno'), ds), /^--results: .*anno holds att\//);
    const dir = tempDir(t, 'hostile-gt-');
    const res = stapleCopy(dir);
    cpSync(join(TOOLKIT, 'anno'), join(res, 'anno'), { recursive: true });
    const results = await importOtbResults(res, ds);
    assert.deepEqual(
      results.map((r) => r.tracker),
      ['Staple'],
    );
    assert.match(ds.alerts!.join('\n'), /anno holds att\/: it is the OTB toolkit's annotation folder, not a tracker; skipped/);
    // The annotation files without att/: scored, and flagged as what they are.
    const copy = join(dir, 'copy');
    cpSync(join(TOOLKIT, 'anno'), join(copy, 'gt'), { recursive: true, filter: (p) => !p.endsWith('att') });
    const ds2 = await loadOtb('OTB100', OTB_JSON);
    const ev = evaluateOtb(ds2, await importOtbResults(copy, ds2), 'otb');
    assert.match(ev.trackers[0].alerts!.join('\n'), /boxes equal the ground truth on \d+ of \d+ frames: a copy of the annotations/);
  },
);

test(
  'an empty ground truth or an initOmit covering every row: target left out for all, counts agree, named',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'hostile-empty-');
    const root = join(dir, 'tk');
    cpSync(TOOLKIT, root, { recursive: true });
    writeFileSync(join(root, 'anno', 'basketball.txt'), '');
    writeFileSync(join(root, 'initOmit', 'coke.txt'), '1 291\n');
    const res = stapleCopy(dir);
    const out = join(dir, 'out');
    const r = evalCli(['--dataset', 'OTB100', '--root', root, '--results', res, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /! dataset: Basketball: empty ground truth \(no rows\); left out of the dataset/);
    assert.match(r.stdout, /! dataset: Coke: no frame to evaluate \(initOmit 291 covers all 291 row\(s\)\); left out for every tracker/);
    const row = summaryRow(out, 'Staple');
    assert.equal(row.sequences, '98');
    assert.equal(perSequenceRows(out, 'Staple'), 98, 'summary.csv counts exactly the sequences scored');
    const w = readFileSync(join(out, 'warnings.txt'), 'utf8');
    assert.match(w, /Basketball: empty ground truth/);
    assert.match(w, /Coke: no frame to evaluate/);
  },
);

test(
  'pysot JSON: empty gt_rect or img_names, all-zero rows, duplicate keys, numbers as image names',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'hostile-json-');
    const base = JSON.parse(readFileSync(OTB_JSON, 'utf8')) as Record<string, Record<string, unknown>>;
    const write = (name: string, data: unknown) => {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify(data));
      return p;
    };
    const res = stapleCopy(dir);
    // Empty gt_rect / img_names: left out of the dataset (one less target, named), not scored as nothing.
    const emptyGt = write('empty-gt.json', { ...base, Basketball: { ...base.Basketball, gt_rect: [] } });
    const ds1 = await loadOtb('OTB100', emptyGt);
    assert.equal(ds1.targets.length, 99);
    assert.match(ds1.alerts!.join('\n'), /Basketball: empty ground truth/);
    const emptyNames = write('empty-names.json', { ...base, Biker: { ...base.Biker, img_names: [] } });
    const ds2 = await loadOtb('OTB100', emptyNames);
    assert.ok(!ds2.targets.some((x) => x.name === 'Biker'));
    assert.match(ds2.alerts!.join('\n'), /Biker: empty ground truth/);
    const ev = evaluateOtb(ds2, await importOtbResults(res, ds2), 'otb');
    assert.equal(ev.trackers[0].overall.sequences, 99);
    // All-zero rows: the toolkit's rule gives precision 1 on them; it is scored so, and said loudly.
    const gt = base.Couple.gt_rect as number[][];
    const zeros = write('zeros.json', { ...base, Couple: { ...base.Couple, gt_rect: gt.map(() => [0, 0, 0, 0]) } });
    const ds3 = await loadOtb('OTB100', zeros);
    assert.match(ds3.alerts!.join('\n'), /Couple: 140 of 140 ground-truth row\(s\) with x, y, w or h <= 0 or NaN/);
    // Two keys for one target.
    await rejectsUser(
      loadOtb('OTB100', write('dup.json', { ...base, couple: base.Couple })),
      /dup\.json: keys 'Couple' and 'couple' both name target Couple/,
    );
    // Image names that are numbers or null: a one-line error, not a TypeError.
    const names = base.Crossing.img_names as unknown[];
    for (const bad of [5, null]) {
      const f = write('names.json', { ...base, Crossing: { ...base.Crossing, img_names: [bad, ...names.slice(1)] } });
      await rejectsUser(loadOtb('OTB100', f), /names\.json: Crossing: img_names\[0\]: expected an image file name/);
    }
  },
);

test('DaSiamRPN record without name: loads with a warning; ground truth with 1e309 is an error', { skip: SKIP_REALDATA }, async (t) => {
  const dir = tempDir(t, 'hostile-dasiam-');
  const base = JSON.parse(readFileSync(real('otb', 'OTB2015-dasiamrpn.json'), 'utf8')) as Record<string, Record<string, unknown>>;
  const { name: _drop, ...noName } = base.couple;
  const f = join(dir, 'd.json');
  writeFileSync(f, JSON.stringify({ ...base, couple: noName }));
  const ds = await loadOtb('OTB100', f);
  assert.ok(ds.targets.some((x) => x.name === 'Couple'));
  assert.match(ds.warnings.join('\n'), /couple: no 'name' \(the image folder\); images looked for in Couple\/img/);
  writeFileSync(f, JSON.stringify(base).replace(/"gt_rect":\[\[\d+/, '"gt_rect":[[1e309'));
  await rejectsUser(loadOtb('OTB100', f), /d\.json: \w+: gt_rect row 1: expected \[x, y, w, h\] of finite numbers/);
});

test(
  'Infinity, 1e309 or a 1 MB digit string in a result row is flagged and read as NaN; 0x2 is no number',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'hostile-inf-');
    const rows = readFileSync(join(STAPLE, 'Basketball.txt'), 'utf8').trimEnd().split('\n');
    for (const tok of ['Infinity', '1e309', '9'.repeat(1 << 20), '-inf']) {
      const f = join(dir, 'Basketball.txt');
      writeFileSync(f, [...rows.slice(0, 9), `${tok},1,2,3`, ...rows.slice(10)].join('\n'));
      const r = readResultFile(f);
      assert.ok(Number.isNaN(r.boxes[9][0]));
      assert.match(r.defects.join('\n'), /1 value\(s\) that are not finite numbers \(first: line 10 '.{1,40}'\), read as NaN/);
      const msg = r.defects.join('\n');
      assert.ok(msg.length < 400, 'the defect quotes the token clipped');
    }
    for (const tok of ['0x2', '0b1', '1_0', '']) {
      const f = join(dir, 'Basketball.txt');
      writeFileSync(f, [...rows.slice(0, 9), `${tok},1,2,3`, ...rows.slice(10)].join('\n'));
      assert.throws(
        () => readResultFile(f),
        (e: unknown) =>
          e instanceof UserError &&
          /Basketball\.txt:10: (not a number: '0x2|not a number: '0b1|not a number: '1_0|expected 4 values)/.test(e.message),
      );
    }
    assert.throws(
      () => parseVotResult('1\n0x2\n', 'a_001.txt'),
      (e: unknown) => e instanceof UserError && /a_001\.txt:2: '0x2' is not a number/.test(e.message),
    );
    assert.throws(
      () => parseVotResult('1\n1,2,Infinity,4\n', 'a_001.txt'),
      (e: unknown) => e instanceof UserError && /a_001\.txt:2: 'Infinity' is not a finite number/.test(e.message),
    );
    // Scored end to end: finite scores, the defect in warnings.txt.
    const res = stapleCopy(dir);
    writeFileSync(join(res, 'Staple', 'Basketball.txt'), [...rows.slice(0, 9), '1e309,1,2,3', ...rows.slice(10)].join('\n'));
    const ds = await loadOtb('OTB100', OTB_JSON);
    const ev = evaluateOtb(ds, await importOtbResults(res, ds), 'otb');
    assert.ok(Number.isFinite(ev.trackers[0].overall.successAuc));
    assert.match(ev.trackers[0].warnings.join('\n'), /Basketball: 1 value\(s\) that are not finite numbers \(first: line 10 '1e309'\)/);
  },
);

test(
  'ope_meta.json with startFrame 2.5, a jwlim record with startFrame 2.5: one-line errors or a skipped file',
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'hostile-meta-');
    const res = join(dir, 'res');
    cpSync(real('results', 'OTB100', 'cfnet-release', 'SiamFC-3s'), join(res, 'SiamFC-3s'), { recursive: true });
    const meta = JSON.parse(readFileSync(real('results', 'OTB100', 'cfnet-release', 'ope_meta.json'), 'utf8'));
    meta['results_SiamFC-3s_OTB-100'].Tiger1.startFrame = 2.5;
    writeFileSync(join(res, 'ope_meta.json'), JSON.stringify(meta));
    const ds = await loadOtb('OTB100', OTB_JSON);
    await rejectsUser(importOtbResults(res, ds), /ope_meta\.json: Tiger1: startFrame: expected a whole number >= 1, got 2\.5/);
    const out = join(dir, 'out');
    oneLine(
      evalCli(['--dataset', 'OTB100', '--root', OTB_JSON, '--results', res, '--out', out]),
      /^error: .*ope_meta\.json: Tiger1: startFrame/,
    );
    // jwlim JSON: the file is skipped with its reason, the rest scored.
    const jw = join(dir, 'jw');
    cpSync(real('results', 'OTB100', 'jwlim-json', 'STRUCK'), join(jw, 'STRUCK'), { recursive: true });
    const f = join(jw, 'STRUCK', 'Tiger1.json');
    const recs = JSON.parse(readFileSync(f, 'utf8'));
    (Array.isArray(recs) ? recs : [recs]).forEach((r: Record<string, unknown>) => (r.startFrame = 2.5));
    writeFileSync(f, JSON.stringify(recs));
    const [tr] = await importOtbResults(jw, await loadOtb('OTB100', OTB_JSON));
    assert.match(tr.warnings.join('\n'), /Tiger1\.json: startFrame 2\.5 is not an image number; file skipped/);
  },
);

test('raw layout: attrs.txt or groundtruth_rect.txt that is a folder is named, not an EISDIR trace', { skip: SKIP_REALDATA }, async (t) => {
  const dir = tempDir(t, 'hostile-raw-');
  const root = join(dir, 'raw');
  cpSync(real('otb', 'raw-layout-samples'), root, { recursive: true });
  rmSync(join(root, 'Couple', 'attrs.txt'));
  mkdirSync(join(root, 'Couple', 'attrs.txt'));
  const ds = await loadOtb('OTB100', root);
  assert.match(ds.warnings.join('\n'), /Couple\/attrs\.txt: not a regular file; attributes not read from it/);
  assert.ok(ds.targets.find((x) => x.name === 'Couple')!.attributes.length > 0, 'the built-in attributes stand in');
  rmSync(join(root, 'Crossing', 'groundtruth_rect.txt'));
  mkdirSync(join(root, 'Crossing', 'groundtruth_rect.txt'));
  const ds2 = await loadOtb('OTB100', root);
  assert.match(ds2.warnings.join('\n'), /Crossing\/groundtruth_rect\.txt: not a regular file; no ground truth read from it/);
  put(join(root, 'couple', 'groundtruth_rect.txt'), '1,1,2,2\n');
  await rejectsUser(loadOtb('OTB100', root), /folders Couple and couple both name one sequence/);
});

test('VOT: OTB100.json as the root, an empty baseline/, a baseline that is a file', { skip: SKIP_REALDATA }, (t) => {
  const dir = tempDir(t, 'hostile-vot-');
  const res = join(dir, 'res');
  cpSync(OCEAN, join(res, 'Ocean'), { recursive: true });
  const out = join(dir, 'out');
  oneLine(
    evalCli(['--dataset', 'VOT2019', '--root', OTB_JSON, '--results', res, '--out', out], 60),
    /^error: .*OTB100\.json: an OTB description .*not a VOT one; use --dataset OTB100/,
  );
  mkdirSync(join(res, 'Empty', 'baseline'), { recursive: true });
  put(join(res, 'AFile', 'baseline'), 'not a folder\n');
  const r = evalCli(['--dataset', 'VOT2019', '--root', VOT_JSON, '--results', res, '--out', out], 60);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /! dataset: results: Empty: no result for any sequence of VOT2019; left out of the report/);
  assert.match(r.stdout, /! dataset: results: .*AFile\/baseline: not a folder; tracker skipped/);
  const csv = readFileSync(join(out, 'summary.csv'), 'utf8');
  assert.doesNotMatch(csv, /^Empty,/m);
  assert.doesNotMatch(csv, /NaN/);
  // Only trackers with nothing: an error, not a report of blank rows.
  rmSync(join(res, 'Ocean'), { recursive: true });
  oneLine(
    evalCli(['--dataset', 'VOT2019', '--root', VOT_JSON, '--results', res, '--out', join(dir, 'out2')], 60),
    /^error: --results: no tracker in .* has a result for any of the 60 sequences of VOT2019/,
  );
});
