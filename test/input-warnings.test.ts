/**
 * Issue 25.7: inputs that were accepted without a word. Each is read as before (the toolkits' rules
 * decide what they score) but now named: negative times and zero times after the first frame (OTB
 * and VOT), a ground-truth value no image holds (a width of 1e308), VOT ground-truth regions that
 * enclose nothing, and a VOT result whose first line is not the initialisation code 1.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { loadVotLayout } from '../src/benchmarks/vot/dataset/layout.ts';
import { importVotResults } from '../src/benchmarks/vot/results/import.ts';
import { put, tempDir } from './helpers/files.ts';

const rows = (n: number) => Array.from({ length: n }, (_, i) => `${10 + i},10,20,20`).join('\n') + '\n';

test('OTB: a ground-truth width of 1e308 is named; negative and later zero times are named', async (t) => {
  const dir = tempDir(t, 'siambench-input-warnings-');
  put(join(dir, 'root', 'Basketball', 'groundtruth_rect.txt'), '10,10,20,20\n11,10,1e308,20\n12,10,20,20\n13,10,20,20\n');
  const ds = await loadOtb('OTB100', join(dir, 'root'));
  assert.ok(
    ds.warnings.includes(
      'Basketball: 1 ground-truth row(s) with a value beyond 100000 px (first: image 2, 11,10,1e+308,20): no box in any image; scored as written',
    ),
    ds.warnings.join('\n'),
  );
  put(join(dir, 'results', 'T', 'Basketball.txt'), rows(4));
  put(join(dir, 'results', 'T', 'Basketball_time.txt'), '0\n0.02\n-0.01\n0\n');
  const [r] = await importOtbResults(join(dir, 'results'), ds);
  const defects = r.sequences.get('Basketball')!.defects.join('\n');
  assert.match(defects, /Basketball_time\.txt: 1 negative time\(s\) \(first: line 3, -0\.01\): no timer gives these/);
  assert.match(defects, /Basketball_time\.txt: 1 zero time\(s\) after the first frame \(first: line 4\)/);
});

test('OTB: a zero time on the first frame alone (got10k writes the initialisation so) is no defect', async (t) => {
  const dir = tempDir(t, 'siambench-input-warnings-');
  put(join(dir, 'root', 'Basketball', 'groundtruth_rect.txt'), rows(3));
  put(join(dir, 'results', 'T', 'Basketball.txt'), rows(3));
  put(join(dir, 'results', 'T', 'Basketball_time.txt'), '0\n0.02\n0.03\n');
  const [r] = await importOtbResults(join(dir, 'results'), await loadOtb('OTB100', join(dir, 'root')));
  assert.deepEqual(r.sequences.get('Basketball')!.defects, []);
});

test('VOT: empty ground-truth regions, a result not starting with 1, negative times', async (t) => {
  const dir = tempDir(t, 'siambench-input-warnings-');
  put(join(dir, 'list.txt'), 'bag\n');
  // A rectangle of width 0 and a polygon with all corners on one line.
  put(join(dir, 'bag', 'groundtruth.txt'), '1,2,30,40\n1,2,0,40\n1,1,2,2,3,3,4,4\n');
  const ds = await loadVotLayout('VOT2019', dir);
  assert.deepEqual(ds.warnings, [
    'bag: 2 ground-truth region(s) with w <= 0, h <= 0 or no area (first: frame 2, 1,2,0,40): overlap 0 there',
  ]);
  put(join(dir, 'results', 'T', 'baseline', 'bag', 'bag_001.txt'), '1,2,30,40\n1,2,30,40\n1,2,30,40\n');
  put(join(dir, 'results', 'T', 'baseline', 'bag', 'bag_001_time.txt'), '0.1\n-2\n0.1\n');
  const [r] = await importVotResults(join(dir, 'results'), ds);
  const defects = r.defects.join('\n');
  assert.match(defects, /baseline\/bag: repetition 1: line 1 is '1,2,30,40', not 1 \(initialised\); scored as written/);
  assert.match(defects, /bag_001_time\.txt: 1 negative time\(s\) \(first: line 2, -2\)/);
});
