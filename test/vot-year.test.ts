import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { VOT_SETS } from '../src/benchmarks/vot/dataset/sets.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { SKIP_REALDATA, real } from './helpers/realdata.ts';

/**
 * Issue 25, item 2: a VOT root is checked against the sequence list of the year it is scored as,
 * as OTB roots are against their set. Before, VOT2019 data scored as VOT2018 came out with
 * VOT2018's EAO interval and label (Ocean 0.277 instead of 0.324) and no word of it, and a VOT2019
 * bench accepted a root holding `bag`, which VOT2019 does not have.
 */

test(
  'the lists: 60 sequences a year; VOT2019 is the realdata VOT2019.json; VOT2019 replaced 12 of VOT2018',
  { skip: SKIP_REALDATA },
  async () => {
    for (const list of Object.values(VOT_SETS)) assert.equal(new Set(list).size, 60);
    const ds = await loadVot('VOT2019', real('vot', 'VOT2019.json'));
    assert.deepEqual(ds.sequences.map((s) => s.name).sort(), [...VOT_SETS.VOT2019].sort());
    assert.deepEqual(ds.scope, { total: 60 });
    assert.equal(VOT_SETS.VOT2019.filter((n) => !VOT_SETS.VOT2018.includes(n)).length, 12);
  },
);

test('eval --dataset VOT2018 on the VOT2019 root is refused, naming the year the root is', { skip: SKIP_REALDATA }, () => {
  const out = mkdtempSync(join(tmpdir(), 'vot-year-'));
  try {
    const r = runCli('eval', [
      ...['--dataset', 'VOT2018', '--root', real('vot', 'VOT2019.json'), '--results', real('results', 'VOT2019')],
      ...['--out', join(out, 'report')],
    ]);
    assertOneLineError(
      r,
      /^error: --root: .*VOT2019\.json holds 12 sequence\(s\) that are not in VOT2018 \(agility, ball3, dribble, hand2, lamb, \.\.\.\); they are VOT2019 sequences: --dataset VOT2019\?$/,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test(
  'bench --dataset VOT2019 on a root holding only bag is refused; as VOT2016 it is 1 of 60 sequences',
  { skip: SKIP_REALDATA },
  async () => {
    const out = mkdtempSync(join(tmpdir(), 'vot-year-bench-'));
    try {
      const r = runCli('bench', [
        '--dataset',
        'VOT2019',
        '--root',
        real('frames', 'vot'),
        '--trackers',
        'static',
        '--out',
        join(out, 'run'),
      ]);
      assertOneLineError(
        r,
        /^error: --root: .*frames\/vot holds none of the 60 VOT2019 sequences \(it holds bag\); they are VOT2015, VOT2016, VOT2017, VOT2018 sequences: --dataset VOT2018\?$/,
      );
      const ds = await loadVot('VOT2016', real('frames', 'vot'));
      assert.deepEqual([ds.sequences.length, ds.scope?.total], [1, 60]);
      assert.match(ds.warnings.at(-1)!, /^59 of 60 VOT2016 sequence\(s\) not in .*, left out: ball1, ball2, /);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
);

test("a sequence of one's own in a year's root is left out and named; a set of one's own is taken whole", async () => {
  const root = mkdtempSync(join(tmpdir(), 'vot-year-own-'));
  try {
    writeFileSync(join(root, 'list.txt'), 'bag\nmine\n');
    for (const s of ['bag', 'mine']) {
      mkdirSync(join(root, s));
      writeFileSync(join(root, s, 'groundtruth.txt'), '1,2,10,10\n2,3,10,10\n');
    }
    const ds = await loadVot('VOT2016', root);
    assert.deepEqual(
      ds.sequences.map((s) => s.name),
      ['bag'],
    );
    assert.deepEqual(ds.alerts, [`1 sequence(s) in ${root} are not VOT2016 sequences, left out: mine`]);
    const own = await loadVot('my-vot', root);
    assert.deepEqual([own.sequences.length, own.scope?.total, own.alerts], [2, 2, undefined]);
    // VOT2013 and VOT2014 have no list here: taken as they are.
    assert.equal((await loadVot('VOT2014', root)).sequences.length, 2);
    cpSync(join(root, 'bag'), join(root, 'ants1'), { recursive: true });
    writeFileSync(join(root, 'list.txt'), 'bag\nants1\n');
    await assert.rejects(
      loadVot('VOT2016', root),
      /holds 1 sequence\(s\) that are not in VOT2016 \(ants1\); they are VOT2017, VOT2018 sequences: --dataset VOT2018\?/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
