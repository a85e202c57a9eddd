import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadJsonRoot } from '../src/benchmarks/otb/dataset/json.ts';
import { loadRawLayout } from '../src/benchmarks/otb/dataset/raw.ts';
import { loadToolkit } from '../src/benchmarks/otb/dataset/toolkit.ts';
import { readMetaFile } from '../src/benchmarks/otb/results/meta.ts';
import { readResultFile, readTimesFile } from '../src/benchmarks/otb/results/read.ts';
import { loadVotLayout } from '../src/benchmarks/vot/dataset/layout.ts';
import { loadVotPysotJson } from '../src/benchmarks/vot/dataset/pysot-json.ts';
import { importVotResults } from '../src/benchmarks/vot/results/import.ts';
import { readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { MARKER, readMarker } from '../src/core/out-dir.ts';
import { loadSpec } from '../src/study/spec.ts';
import { readPerRun, perRunCsv } from '../src/study/per-run.ts';
import { readModelJson } from '../src/trackers/siamfc/model-file.ts';
import { put, tempDir } from './helpers/files.ts';

/*
 * Issue 25.4: Windows editors start a UTF-8 text file with a byte-order mark. Each reader of a text
 * file gets the same files twice, plain and with the mark, and must read both the same: before the
 * fix an OTB result file was dropped ("not a number: '\ufeff50.5'"), a ground-truth file was an
 * error, and every JSON file was invalid.
 */
const BOM = '\ufeff';

type Files = Record<string, string>;

/** The same fixture written twice, the second with a BOM before every listed file's text. */
function twins(t: Parameters<typeof tempDir>[0], files: Files, withBom: readonly string[] = Object.keys(files)): [string, string] {
  const dir = tempDir(t, 'siambench-bom-');
  const plain = join(dir, 'plain');
  const marked = join(dir, 'bom');
  for (const [name, text] of Object.entries(files)) {
    put(join(plain, name), text);
    put(join(marked, name), withBom.includes(name) ? `${BOM}${text}` : text);
  }
  return [plain, marked];
}

/** Reads both twins and compares what the reader made of them (paths aside). */
async function sameRead(plain: string, marked: string, read: (dir: string) => unknown): Promise<unknown> {
  const a = JSON.stringify(await read(plain));
  const b = JSON.stringify(await read(marked)).replaceAll(marked, plain);
  assert.equal(b, a);
  assert.ok(!b.includes(BOM), 'no BOM left in what was read');
  return JSON.parse(a);
}

test('BOM: OTB result text, jwlim JSON result and times file', async (t) => {
  const [p, m] = twins(t, {
    'r.txt': '50.5,60,10,20\n51,61,10,20\n',
    'r.json': '[{"res":[[1,2,3,4]],"startFrame":1}]',
    't.txt': '0.02\n0.03\n',
  });
  const r = (await sameRead(p, m, (d) => readResultFile(join(d, 'r.txt')))) as { boxes: unknown[]; defects: string[] };
  assert.equal(r.boxes.length, 2);
  assert.deepEqual(r.defects, []);
  await sameRead(p, m, (d) => readResultFile(join(d, 'r.json')));
  assert.deepEqual(await sameRead(p, m, (d) => readTimesFile(join(d, 't.txt'))), [0.02, 0.03]);
});

test('BOM: ope_meta.json', async (t) => {
  const [p, m] = twins(t, { 'ope_meta.json': '{"results_KCF_TB100":{"Tiger1":{"startFrame":6,"len":349}}}' });
  await sameRead(p, m, (d) => readMetaFile(join(d, 'ope_meta.json')));
});

test('BOM: OTB raw layout ground truth and attrs.txt', async (t) => {
  const [p, m] = twins(t, { 'Seq/groundtruth_rect.txt': '10\t20\t30\t40\n11\t21\t30\t40\n', 'Seq/attrs.txt': 'OCC, SV\n' });
  const got = (await sameRead(p, m, (d) => loadRawLayout(d, null, []))) as { attributes?: string[] }[];
  assert.equal(got.length, 1);
  assert.deepEqual(got[0].attributes, ['OCC', 'SV']);
});

test("BOM: the OTB toolkit's anno folder, att and initOmit files", async (t) => {
  const [p, m] = twins(t, {
    'anno/Basketball.txt': '1,2,3,4\n1,2,3,4\n',
    'anno/att/Basketball.txt': '1,0,0,0,0,0,0,0,0,0,0\n',
    'initOmit/Basketball.txt': '1 1\n',
  });
  await sameRead(p, m, (d) => loadToolkit({ anno: join(d, 'anno'), initOmit: join(d, 'initOmit') }, null, []));
});

test("BOM: pysot's and DaSiamRPN's OTB JSON", async (t) => {
  const [p, m] = twins(t, {
    'OTB100.json': '{"Basketball":{"video_dir":"Basketball","img_names":["Basketball/img/0001.jpg"],"gt_rect":[[1,2,3,4]],"attr":["OCC"]}}',
    'OTB2015.json': '{"basketball":{"name":"Basketball","image_files":["0001.jpg"],"gt_rect":[[1,2,3,4]]}}',
  });
  await sameRead(p, m, (d) => loadJsonRoot(join(d, 'OTB100.json'), null, []));
  await sameRead(p, m, (d) => loadJsonRoot(join(d, 'OTB2015.json'), null, []));
});

const VOT_LAYOUT: Files = {
  'list.txt': 'bag\n',
  'bag/groundtruth.txt': '1,2,30,2,30,40,1,40\n1,2,30,2,30,40,1,40\n',
  'bag/sequence': 'channels.color=color/%08d.jpg\n',
  'bag/occlusion.tag': '0\n1\n',
};

test('BOM: the VOT layout (list.txt, groundtruth.txt, sequence, tags)', async (t) => {
  const [p, m] = twins(t, VOT_LAYOUT);
  const ds = (await sameRead(p, m, (d) => loadVotLayout('VOT2019', d))) as { sequences: { groundtruth: unknown[] }[] };
  assert.equal(ds.sequences[0].groundtruth.length, 2);
});

test("BOM: pysot's VOT JSON", async (t) => {
  const [p, m] = twins(t, {
    'VOT2019.json': '{"bag":{"video_dir":"bag","img_names":["bag/color/00000001.jpg"],"gt_rect":[[1,2,30,2,30,40,1,40]],"occlusion":[0]}}',
  });
  await sameRead(p, m, (d) => loadVotPysotJson('VOT2019', join(d, 'VOT2019.json')));
});

test('BOM: VOT result and time files', async (t) => {
  const results: Files = { 'T/baseline/bag/bag_001.txt': '1\n10,20,30,40\n', 'T/baseline/bag/bag_001_time.txt': '0.1\n0.2\n' };
  const [p, m] = twins(t, { ...VOT_LAYOUT, ...Object.fromEntries(Object.entries(results).map(([k, v]) => [`results/${k}`, v])) });
  const r = (await sameRead(p, m, async (d) => importVotResults(join(d, 'results'), await loadVotLayout('VOT2019', d)))) as unknown[];
  assert.equal(r.length, 1);
  assert.ok(!JSON.stringify(r).includes('not'), JSON.stringify(r));
});

test('BOM: the GOT-10k training layout', async (t) => {
  const files: Files = {
    'list.txt': 'GOT-10k_Train_000001\n',
    'GOT-10k_Train_000001/groundtruth.txt': '1,2,3,4\n',
    'GOT-10k_Train_000001/absence.label': '0\n',
    'GOT-10k_Train_000001/cover.label': '8\n',
  };
  const [p, m] = twins(t, { ...files, 'GOT-10k_Train_000001/00000001.jpg': 'x' }, Object.keys(files));
  await sameRead(p, m, (d) => readGot10kSplit(d));
});

test('BOM: a study spec and per_run.csv', async (t) => {
  const spec = readFileSync('studies/smoke.json', 'utf8');
  const csv = perRunCsv([
    {
      config: 'logistic',
      seed: 1,
      testSet: 'synthetic',
      sequence: 'a',
      auc: 0.5,
      precision: 0.6,
      loss: 'logistic',
      baseline: true,
      attributes: ['OCC'],
    },
  ]);
  const [p, m] = twins(t, { 'spec.json': spec, 'per_run.csv': csv });
  await sameRead(p, m, (d) => loadSpec(join(d, 'spec.json')));
  await sameRead(p, m, (d) => readPerRun(join(d, 'per_run.csv'), '--recompute'));
});

test("BOM: a model folder's model.json", async (t) => {
  const dir = tempDir(t, 'siambench-bom-model-');
  for (const which of ['plain', 'bom']) cpSync('models/siamfc', join(dir, which), { recursive: true });
  const file = join(dir, 'bom', 'model.json');
  writeFileSync(file, `${BOM}${readFileSync(file, 'utf8')}`);
  await sameRead(join(dir, 'plain'), join(dir, 'bom'), (d) => readModelJson(d));
});

test("BOM: an output folder's marker", async (t) => {
  const [p, m] = twins(t, { [MARKER]: '{"format":"siambench-output-1","command":"bench","created":"2026-01-01T00:00:00Z"}' });
  const marker = (await sameRead(p, m, (d) => readMarker(d))) as { command: string };
  assert.equal(marker.command, 'bench');
});
