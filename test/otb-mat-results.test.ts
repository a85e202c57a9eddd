/**
 * The OTB toolkit's MATLAB result files (Level 5, zlib-compressed elements): the reader against
 * values scipy.io.loadmat gave for the same files (recorded below, and compared live when Debian's
 * python3-scipy is installed), and the importer on the toolkit's flat results_OPE/ layout and on
 * tracker folders of `<Seq>_<name>.mat`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { readMatFile } from '../src/benchmarks/common/matfile.ts';
import { readMatResult } from '../src/benchmarks/otb/results/mat.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';
import { tempDir } from './helpers/files.ts';

const MAT = (...p: string[]) => real('results', 'OTB100', 'toolkit-mat', ...p);
const HAVE_SCIPY = spawnSync('python3', ['-c', 'import scipy.io'], { stdio: 'ignore' }).status === 0;
const SKIP_SCIPY = SKIP_REALDATA || (HAVE_SCIPY ? false : 'python3-scipy not installed (apt-get install -y python3-scipy)');
if (!SKIP_REALDATA && !HAVE_SCIPY) process.stdout.write('# live scipy comparison skipped: python3-scipy not installed\n');

test(
  'recorded scipy.io.loadmat values: a one-run OPE file (Linux, 2017), a C-COT file saved on Windows, a 20-run TRE file',
  { skip: SKIP_REALDATA },
  () => {
    const kcf = readMatResult(MAT('otb-toolkit-ope', 'Tiger1_KCF.mat'));
    assert.equal(kcf.runs.length, 1);
    const k = kcf.runs[0];
    assert.deepEqual([k.startFrame, k.len, k.annoBegin, k.boxes.length], [6, 349, 1, 349]);
    assert.deepEqual([...k.boxes[0]], [281.5, 104, 67, 84]);
    assert.deepEqual([...k.boxes[1]], [289.5, 104, 67, 84]);
    assert.deepEqual([...k.boxes[348]], [205.5, 104, 67, 84]);

    const ccot = readMatResult(MAT('ccot-foolwood-ope', 'Tiger1_C-COT.mat')).runs[0];
    assert.deepEqual([ccot.startFrame, ccot.len, ccot.boxes.length], [6, 349, 349]);
    assert.deepEqual([...ccot.boxes[1]], [291, 107, 64, 80]);

    const tre = readMatResult(MAT('cfnet-release-tre', 'SiamFC-3s', 'Tiger1_siamfc3s.mat')).runs;
    assert.equal(tre.length, 20);
    assert.deepEqual(
      tre.slice(0, 6).map((r) => [r.startFrame, r.len, r.annoBegin, r.boxes.length]),
      [
        [6, 349, 1, 349],
        [32, 323, 1, 323],
        [47, 308, 1, 308],
        [55, 300, 1, 300],
        [74, 281, 1, 281],
        [82, 273, 1, 273],
      ],
    );
    assert.deepEqual([...tre[0].boxes[1]], [291.50588235294117, 105.78235294117647, 67, 84]);
    const last = tre[19].boxes[tre[19].boxes.length - 1];
    assert.deepEqual([...last], [140.27583515381406, 68.14656289962316, 69.81303557472495, 77.16177616153803]);
  },
);

test('live: every value of every run equals scipy.io.loadmat, bit for bit, on a sample of each source', { skip: SKIP_SCIPY }, () => {
  const files: string[] = [];
  for (const d of ['otb-toolkit-ope', 'ccot-foolwood-ope', 'cfnet-release-tre/SiamFC-3s', 'cfnet-release-tre/cfnet-conv2']) {
    // Every 9th file: all 14 OPE trackers and many sequences, without the minutes a full pass costs.
    readdirSync(MAT(d))
      .filter((f) => f.endsWith('.mat'))
      .forEach((f, i) => i % 9 === 0 && files.push(MAT(d, f)));
  }
  type Run = { res: (number | null)[][]; startFrame: number | null; len: number | null; annoBegin: number | null; type: string };
  const ref = JSON.parse(
    execFileSync('python3', ['test/helpers/loadmat-results.py', ...files], { maxBuffer: 1 << 30 }).toString(),
  ) as Record<string, Run[]>;
  let values = 0;
  for (const f of files) {
    const ours = readMatResult(f).runs;
    assert.equal(ours.length, ref[f].length, f);
    ref[f].forEach((r, j) => {
      const o = ours[j];
      assert.deepEqual(
        [o.startFrame, o.len, o.annoBegin],
        [r.startFrame ?? undefined, r.len ?? undefined, r.annoBegin ?? undefined],
        `${f} run ${j + 1}`,
      );
      assert.equal(r.type, 'rect');
      assert.equal(o.boxes.length, r.res.length, `${f} run ${j + 1}`);
      r.res.forEach((row, q) =>
        row.forEach((v, c) => {
          values++;
          const mine = o.boxes[q][c];
          if (v === null ? !Number.isNaN(mine) : mine !== v)
            assert.fail(`${f} run ${j + 1} row ${q + 1} col ${c + 1}: ${mine} vs scipy ${v}`);
        }),
      );
    });
  }
  assert.ok(files.length > 150 && values > 500_000, `${files.length} files, ${values} values`);
});

test(
  'what is not a Level 5 result is one line naming the file: truncated, v7.3 (HDF5), not MATLAB, another result type',
  { skip: SKIP_REALDATA },
  (t) => {
    const dir = tempDir(t, 'mat-');
    const good = readFileSync(MAT('otb-toolkit-ope', 'Tiger1_KCF.mat'));
    const cases: [string, Buffer, RegExp][] = [
      ['cut.mat', good.subarray(0, 400), /cut\.mat: malformed MAT-file \(.*\)/],
      [
        'hdf5.mat',
        Buffer.concat([Buffer.alloc(512), Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'), Buffer.alloc(64)]),
        /MATLAB v7\.3 \(HDF5\) file/,
      ],
      ['text.mat', Buffer.from('1,2,3,4\n'), /not a MATLAB Level 5 MAT-file/],
    ];
    for (const [name, bytes, re] of cases) {
      writeFileSync(join(dir, name), bytes);
      assert.throws(
        () => readMatResult(join(dir, name)),
        (err: Error) => err instanceof UserError && !err.message.includes('\n') && re.test(err.message),
      );
    }
    // A whole workspace is read for its 'results' only; other variables are not decoded.
    assert.deepEqual([...readMatFile(good, 'Tiger1_KCF.mat', ['nothing']).keys()], []);
  },
);

test("another 'type' than rect is refused by name (scipy writes the file)", { skip: SKIP_SCIPY }, (t) => {
  const dir = tempDir(t, 'mat-');
  const file = join(dir, 'Tiger1_X.mat');
  const py = `import numpy as np, scipy.io
r = np.empty((1,1), dtype=object)
r[0,0] = {'type': '4corner', 'res': np.zeros((3, 8)), 'startFrame': 6.0, 'len': 3.0}
scipy.io.savemat(${JSON.stringify(file)}, {'results': r}, do_compression=True)`;
  execFileSync('python3', ['-c', py]);
  assert.throws(() => readMatResult(file), /Tiger1_X\.mat: type '4corner' \(only 'rect' x,y,w,h results are read\)/);
});

test(
  "the importer reads the toolkit's flat results_OPE/ folder and tracker folders of <Seq>_<name>.mat",
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'mat-import-');
    const flat = join(dir, 'results_OPE');
    const seqs = ['Tiger1', 'Human4-2', 'Jogging-1', 'Skating2-2'];
    mkdirSync(flat, { recursive: true });
    for (const s of seqs)
      for (const tr of ['KCF', 'CNN-SVM']) copyFileSync(MAT('otb-toolkit-ope', `${s}_${tr}.mat`), join(flat, `${s}_${tr}.mat`));
    const ds = await loadOtb('OTB100', real('otb', 'OTB100.json'));
    const res = await importOtbResults(flat, ds);
    assert.deepEqual(res.map((r) => r.tracker).sort(), ['CNN-SVM', 'KCF']);
    const kcf = res.find((r) => r.tracker === 'KCF')!;
    assert.deepEqual([...kcf.sequences.keys()].sort(), ['Human4-2', 'Jogging-1', 'Skating2-2', 'Tiger1']);
    const tiger = kcf.sequences.get('Tiger1')!;
    assert.equal(tiger.startFrame, 6);
    assert.deepEqual([...tiger.boxes[0]], [281.5, 104, 67, 84]);
    // fps recorded in the struct becomes the speed.
    assert.ok(tiger.times && tiger.times.length === 349 && tiger.times[0] > 0);
    assert.deepEqual(
      (await importOtbResults(flat, ds, { trackers: ['kcf'] })).map((r) => r.tracker),
      ['KCF'],
    );
    await assert.rejects(importOtbResults(flat, ds, { trackers: ['DSST'] }), /no <Seq>_DSST\.mat files \(trackers here: /);

    // A TRE tracker folder names its files after another name (siamfc3s): the target is the longest prefix.
    const treDir = join(dir, 'tre', 'SiamFC-3s');
    mkdirSync(treDir, { recursive: true });
    copyFileSync(MAT('cfnet-release-tre', 'SiamFC-3s', 'Tiger1_siamfc3s.mat'), join(treDir, 'Tiger1_siamfc3s.mat'));
    const tre = (await importOtbResults(join(dir, 'tre'), ds))[0];
    assert.equal(tre.tracker, 'SiamFC-3s');
    const seq = tre.sequences.get('Tiger1')!;
    assert.equal(seq.runs?.length, 20);
    assert.match(seq.defects.join('\n'), /20 runs in the file \(TRE or SRE\): one-pass scoring uses run 1/);
  },
);
