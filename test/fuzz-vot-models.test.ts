/**
 * Fuzzing the VOT parsers (regions, tags, the layout and pysot JSON roots, results through scoring)
 * and the model files (SiamFC model.json + weights.bin, TFLite flatbuffers), issue 12 item 5. The
 * property is the one of test/helpers/fuzz.ts; FUZZ_RUNS sets the cases per parser.
 */
import { test } from 'node:test';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadVot } from '../src/benchmarks/vot/dataset/index.ts';
import { parseGroundtruth } from '../src/benchmarks/vot/dataset/region-text.ts';
import type { VotDataset } from '../src/benchmarks/vot/dataset/types.ts';
import { evaluateVot } from '../src/benchmarks/vot/eval/evaluate.ts';
import { importVotResults } from '../src/benchmarks/vot/results/import.ts';
import { parseVotResult } from '../src/benchmarks/vot/results/parse.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { parseTflite, tensorValues } from '../src/trackers/siamfc/tflite-file.ts';
import {
  caseDir,
  check,
  editJson,
  fileKindArb,
  fuzz,
  jsonEditArb,
  mutate,
  mutationsArb,
  place,
  RUNS,
  SEED,
  tallyTable,
  type FileKind,
} from './helpers/fuzz.ts';
import { REPO } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const opts = { skip: SKIP_REALDATA, timeout: 60 * 60_000 };
const VOT_SEQS = ['agility', 'ants1'];

test.after(() => console.log(`fuzz VOT and models (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}):\n${tallyTable()}`));

const text = (...p: string[]) => readFileSync(real(...p), 'utf8');

function votNumbers(ds: VotDataset): number[] {
  return ds.sequences.flatMap((s) => [...s.groundtruth.flat(), s.length, ...Object.values(s.tags).flatMap((t) => [...t])]);
}

test('fuzz: VOT region and result text', opts, async () => {
  const bases = [text('vot', 'bag-groundtruth.txt'), text('results', 'VOT2019', 'Ocean', 'baseline', 'agility', 'agility_001.txt')];
  await fuzz(fc.tuple(fc.nat(1), mutationsArb), async ([b, ms]) => {
    const t = mutate(bases[b], ms);
    await check(b === 0 ? 'vot-region-text' : 'vot-result-text', ['r_001.txt'], () => {
      const rows = b === 0 ? parseGroundtruth(t, 'r_001.txt') : parseVotResult(t, 'r_001.txt');
      return { numbers: rows.flatMap((r) => (typeof r === 'number' ? [r] : r)), warnings: [] };
    });
  });
});

test('fuzz: VOT roots (layout with list.txt, tags and sequence file; pysot JSON)', opts, async (t) => {
  const base = tempDir(t, 'fuzz-vot-root-');
  const pysot = JSON.parse(text('vot', 'VOT2019.json')) as Record<string, unknown>;
  const small = Object.fromEntries(VOT_SEQS.map((k) => [k, pysot[k]]));
  const bag = real('frames', 'vot', 'bag');
  let i = 0;
  await fuzz(
    fc.tuple(fc.boolean(), fc.nat(), mutationsArb, fileKindArb, fc.option(jsonEditArb, { freq: 2 })),
    async ([layout, which, ms, kind, edit]) => {
      const dir = caseDir(base, i++);
      let root: string;
      let target: string;
      if (layout) {
        root = join(dir, 'vot');
        mkdirSync(join(root, 'bag'), { recursive: true });
        writeFileSync(join(root, 'list.txt'), 'bag\n');
        const files = ['groundtruth.txt', 'occlusion.tag', 'camera_motion.tag', 'size_change.tag'];
        for (const f of files) cpSync(join(bag, f), join(root, 'bag', f));
        writeFileSync(join(root, 'bag', 'sequence'), 'channels.color=color/%08d.jpg\nfps=30\n');
        const choices = [...files.map((f) => join('bag', f)), 'list.txt', join('bag', 'sequence')];
        target = join(root, choices[which % choices.length]);
        place(target, mutate(readFileSync(target, 'utf8'), ms), kind as FileKind);
      } else {
        root = join(dir, 'VOT2019.json');
        target = root;
        const body = edit ? JSON.stringify(editJson(small, edit)) : mutate(JSON.stringify(small), ms.slice(0, 1));
        place(root, body, kind === 'dir' || kind === 'fifo' ? (kind as FileKind) : 'file');
      }
      await check(layout ? 'vot-root-layout' : 'vot-root-pysot-json', [target, root], async () => {
        const ds = await loadVot('VOT2019', root);
        return { numbers: votNumbers(ds), warnings: ds.warnings };
      });
    },
  );
});

test('fuzz: VOT results (baseline runs, time files) through import and scoring', opts, async (t) => {
  const base = tempDir(t, 'fuzz-vot-res-');
  const pysot = JSON.parse(text('vot', 'VOT2019.json')) as Record<string, unknown>;
  const gt = join(base, 'VOT2019.json');
  writeFileSync(gt, JSON.stringify(Object.fromEntries(VOT_SEQS.map((k) => [k, pysot[k]]))));
  const ds0 = await loadVot('VOT2019', gt);
  let i = 0;
  await fuzz(
    fc.tuple(fc.nat(), mutationsArb, fileKindArb, fc.constantFrom('legacy', 'pysot') as fc.Arbitrary<'legacy' | 'pysot'>),
    async ([which, ms, kind, conv]) => {
      const dir = caseDir(base, i++);
      const res = join(dir, 'res');
      for (const s of VOT_SEQS) {
        const to = join(res, 'Ocean', 'baseline', s);
        mkdirSync(to, { recursive: true });
        cpSync(real('results', 'VOT2019', 'Ocean', 'baseline', s, `${s}_001.txt`), join(to, `${s}_001.txt`));
        const n = ds0.sequences.find((q) => q.name === s)!.length;
        writeFileSync(join(to, `${s}_001_time.txt`), Array.from({ length: n }, () => '2.000000e-02').join('\n') + '\n');
      }
      const files = VOT_SEQS.flatMap((s) => [join(s, `${s}_001.txt`), join(s, `${s}_001_time.txt`)]);
      const path = join(res, 'Ocean', 'baseline', files[which % files.length]);
      place(path, mutate(readFileSync(path, 'utf8'), ms), kind as FileKind);
      await check('vot-results-scored', [path, res], async () => {
        const ds = await loadVot('VOT2019', gt);
        const ev = evaluateVot(ds, await importVotResults(res, ds), conv);
        const numbers: number[] = [];
        const warnings = [...ds.warnings];
        for (const tr of ev.trackers) {
          warnings.push(...tr.warnings);
          if (tr.sequences === 0) continue;
          numbers.push(tr.failures, tr.robustness, tr.reliability, ...(tr.frames > 0 ? [tr.eao] : []));
          // Accuracy is a mean of overlaps: NaN only when no frame of a run has one (flagged by then).
          if (!Number.isNaN(tr.accuracy)) numbers.push(tr.accuracy);
        }
        for (const v of numbers) if (!(v >= 0)) throw new Error(`score ${v} is not a number >= 0`);
        return { numbers, warnings };
      });
    },
  );
});

test('fuzz: SiamFC model folders (model.json, weights.bin)', opts, async (t) => {
  const base = tempDir(t, 'fuzz-model-');
  const src = join(REPO, 'models', 'siamfc');
  const json = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8'));
  const weights = readFileSync(join(src, 'weights.bin'));
  let i = 0;
  await fuzz(
    fc.tuple(fc.nat(3), jsonEditArb, mutationsArb, fc.nat(), fc.integer({ min: 0, max: 255 }), fileKindArb),
    async ([what, edit, ms, at, byte, kind]) => {
      const dir = caseDir(base, i++);
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'weights.bin'), weights);
      let target = join(dir, 'model.json');
      if (what === 0) place(target, JSON.stringify(editJson(json, edit)), kind as FileKind);
      else if (what === 1) place(target, mutate(JSON.stringify(json, null, 1), ms.slice(0, 1)), 'file');
      else {
        target = join(dir, 'weights.bin');
        const w = Buffer.from(weights);
        // A flipped byte (possibly a NaN or Inf pattern) or a cut file.
        const body = what === 2 ? (w.writeUInt8(byte, at % w.length), w) : w.subarray(0, at % w.length);
        place(target, body, kind as FileKind);
      }
      await check('model-folder', [target, dir], async () => {
        const m = await readModelWeights(dir);
        // Only the values that are not finite (150k weights per case would dwarf the parsing).
        const numbers: number[] = [];
        for (const [, a] of m.tensors) for (const v of a.data) if (!Number.isFinite(v)) numbers.push(v);
        return { numbers, warnings: [] };
      });
    },
  );
});

test('fuzz: TFLite flatbuffers (byte flips, cuts)', opts, async () => {
  const file = real('weights', 'siamfc-3s-color-int8-tflite', 'cross_correlation_scale3.tflite');
  const bytes = readFileSync(file);
  await fuzz(
    fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat())),
    async ([flips, cut]) => {
      const b = Uint8Array.from(bytes);
      for (const [at, v] of flips) b[at % b.length] = v;
      const body = cut === null ? b : b.subarray(0, cut % b.length);
      await check('tflite', ['x.tflite'], () => {
        const g = parseTflite(body, 'x.tflite');
        const numbers: number[] = [];
        for (const t of g.tensors) if (t.data) for (const v of tensorValues(t, 'x.tflite')) numbers.push(v);
        return { numbers, warnings: [] };
      });
    },
  );
});
