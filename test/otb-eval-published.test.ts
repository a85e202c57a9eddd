/**
 * The published figures, scored straight from the pysot JSON and plain x,y,w,h text files with no
 * importer in between: if the end-to-end tests (otb-eval-realdata) disagree, this one says whether
 * the metrics or the import are to blame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { ToolkitBox } from '../src/core/types.ts';
import { evaluateOtb, type EvalDataset, type EvalTrackerResults } from '../src/benchmarks/otb/eval/evaluate.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function dataset(list: string): EvalDataset {
  type Entry = { img_names: string[]; gt_rect: ToolkitBox[] };
  const json = JSON.parse(readFileSync(real('otb', 'OTB100.json'), 'utf8')) as Record<string, Entry>;
  const rows = readFileSync(real('otb', 'lists', list), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  return {
    name: list,
    targets: rows.map(([name, attrs]) => ({
      name,
      frames: json[name].img_names.map((p) => Number(/(\d+)\.jpg$/.exec(p)![1])),
      groundTruth: json[name].gt_rect,
      initOmit: 0, // the JSON already starts Tiger1 at image 6
      attributes: attrs.split(',').map((a) => a.trim()),
    })),
  };
}

function textResults(dir: string, tracker: string, ds: EvalDataset): EvalTrackerResults {
  const files = readdirSync(real(dir, tracker));
  const sequences = new Map<string, { boxes: ToolkitBox[]; defects: string[] }>();
  for (const t of ds.targets) {
    const file = files.find((f) => key(f.replace(/\.txt$/, '')) === key(t.name));
    if (!file) continue;
    const lines = readFileSync(real(dir, tracker, file), 'utf8')
      .trim()
      .split(/\r?\n/);
    sequences.set(t.name, { boxes: lines.map((l) => l.split(/[,\s]+/).map(Number) as ToolkitBox), defects: [] });
  }
  return { tracker, sequences, missing: [], warnings: [] };
}

test('otb convention: SiamFC-3s and KCF published AUC / precision on OTB100 and OTB2013', { skip: SKIP_REALDATA }, () => {
  const cases: [string, string, string, string, string][] = [
    ['tb_100.txt', 'cfnet-release', 'SiamFC-3s', '0.582', '0.771'],
    ['cvpr13.txt', 'cfnet-release', 'SiamFC-3s', '0.607', '0.809'],
    ['tb_100.txt', 'otb-toolkit', 'KCF', '0.477', '0.696'],
    ['cvpr13.txt', 'otb-toolkit', 'KCF', '0.514', '0.740'],
  ];
  for (const [list, group, tracker, auc, p20] of cases) {
    const ds = dataset(list);
    const t = evaluateOtb(ds, [textResults(`results/OTB100/${group}`, tracker, ds)], 'otb').trackers[0];
    assert.equal(t.overall.sequences, ds.targets.length);
    assert.equal(t.overall.successAuc.toFixed(3), auc, `${tracker} ${list} AUC ${t.overall.successAuc}`);
    assert.equal(t.overall.precision20.toFixed(3), p20, `${tracker} ${list} P@20 ${t.overall.precision20}`);
  }
});
