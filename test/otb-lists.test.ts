/**
 * The built-in benchmark definition (set memberships, TB-100 attributes, frame ranges) against the
 * published counts, and against the benchmark's own list files when ../shared/realdata has them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ATTRIBUTES, OTB_SETS, TARGETS } from '../src/benchmarks/otb/dataset/index.ts';
import { FRAME_RANGES, OPE_START } from '../src/benchmarks/otb/dataset/frames.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

test('set sizes: OTB2013 51 targets in 50 folders, OTB50 50 in 49, OTB100 100 in 98', () => {
  const folders = (names: readonly string[]) => new Set(names.map((n) => TARGETS.find((t) => t.name === n)!.sequence)).size;
  assert.deepEqual([OTB_SETS.OTB2013.length, folders(OTB_SETS.OTB2013)], [51, 50]);
  assert.deepEqual([OTB_SETS.OTB50.length, folders(OTB_SETS.OTB50)], [50, 49]);
  assert.deepEqual([OTB_SETS.OTB100.length, folders(OTB_SETS.OTB100)], [100, 98]);
  assert.equal(new Set(OTB_SETS.OTB100).size, 100);
});

test('TB-100 attribute counts match the paper: IV 38, SV 65, OCC 49, DEF 44, MB 31, FM 43, IPR 51, OPR 64, OV 14, BC 32, LR 10', () => {
  const counts = Object.fromEntries(ATTRIBUTES.map((a) => [a, TARGETS.filter((t) => t.attributes.includes(a)).length]));
  assert.deepEqual(counts, { IV: 38, SV: 65, OCC: 49, DEF: 44, MB: 31, FM: 43, IPR: 51, OPR: 64, OV: 14, BC: 32, LR: 10 });
  for (const t of TARGETS) for (const a of t.attributes) assert.ok((ATTRIBUTES as readonly string[]).includes(a), `${t.name}: ${a}`);
});

test('frame ranges: the special sequences docs/scoring.md lists', () => {
  assert.deepEqual(FRAME_RANGES, {
    David: { start: 300, end: 770 },
    Football1: { start: 1, end: 74 },
    Freeman3: { start: 1, end: 460 },
    Freeman4: { start: 1, end: 283 },
    Diving: { start: 1, end: 215 },
    BlurCar1: { start: 247, end: 988 },
    BlurCar3: { start: 3, end: 359 },
    BlurCar4: { start: 18, end: 397 },
  });
  assert.deepEqual(OPE_START, { Tiger1: 6 });
});

/** `Name<TAB>IV, OCC, ...` per line; some lines have stray spaces or a trailing comma. */
function readList(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(real('otb', 'lists', file), 'utf8').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [name, attrs = ''] = line.split('\t');
    out.set(
      name.trim(),
      attrs
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    );
  }
  return out;
}

test('built-in sets and attributes equal the benchmark list files (lists/cvpr13, tb_50, tb_100)', { skip: SKIP_REALDATA }, () => {
  for (const [file, set] of [
    ['cvpr13.txt', 'OTB2013'],
    ['tb_50.txt', 'OTB50'],
    ['tb_100.txt', 'OTB100'],
  ] as const) {
    const list = readList(file);
    assert.deepEqual([...OTB_SETS[set]].sort(), [...list.keys()].sort(), `${set} = ${file}`);
    for (const name of OTB_SETS[set]) {
      const builtin = TARGETS.find((t) => t.name === name)!.attributes;
      assert.deepEqual([...builtin].sort(), [...list.get(name)!].sort(), `${name} attributes (${file})`);
    }
  }
});
