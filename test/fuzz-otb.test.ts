/**
 * Fuzzing the OTB parsers (issue 12 item 5): ground truth in its four root forms (raw folders, the
 * toolkit's anno folder, pysot's and DaSiamRPN's JSON), every result format (text, jwlim JSON, times,
 * ope_meta.json) through import and scoring. See test/helpers/fuzz.ts for the property; FUZZ_RUNS
 * sets the cases per parser (docs/design.md, "Fuzzing").
 */
import { test } from 'node:test';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { parseBoxText } from '../src/benchmarks/otb/dataset/parse.ts';
import type { OtbDataset } from '../src/benchmarks/otb/dataset/types.ts';
import { evaluateOtb } from '../src/benchmarks/otb/eval/evaluate.ts';
import { importOtbResults } from '../src/benchmarks/otb/results/index.ts';
import { readResultFile, readTimesFile } from '../src/benchmarks/otb/results/read.ts';
import { boxDefects } from '../src/benchmarks/otb/results/defects.ts';
import {
  caseDir,
  check,
  RUNS,
  SEED,
  editJson,
  fileKindArb,
  fuzz,
  jsonEditArb,
  mutate,
  mutationsArb,
  place,
  tallyTable,
  type FileKind,
} from './helpers/fuzz.ts';
import { tempDir } from './helpers/files.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const SEQS = ['Couple', 'Crossing', 'Football1'];
const opts = { skip: SKIP_REALDATA, timeout: 60 * 60_000 };

test.after(() => console.log(`fuzz OTB (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}):\n${tallyTable()}`));

const text = (...p: string[]) => readFileSync(real(...p), 'utf8');
/** got10k's times file as its toolkit writes it (%.8f a line); the real results ship none for Couple. */
const TIMES = Array.from({ length: 140 }, (_, i) => (0.01 + i * 1e-5).toFixed(8)).join('\n') + '\n';

function datasetNumbers(ds: OtbDataset): number[] {
  return ds.targets.flatMap((t) => [...t.groundTruth.flat(), ...t.frames, t.initOmit]);
}

test('fuzz: OTB box text (ground truth and results)', opts, async () => {
  const bases = [
    text('otb', 'raw-layout-samples', 'Couple', 'groundtruth_rect.txt'),
    text('results', 'OTB100', 'pysot-style', 'SiamRPN', 'Couple.txt'),
    text('otb', 'toolkit-tb100', 'anno', 'couple.txt'),
  ];
  await fuzz(fc.tuple(fc.nat(bases.length - 1), mutationsArb, fc.boolean()), async ([b, ms, lenient]) => {
    const t = mutate(bases[b], ms);
    await check('otb-box-text', ['gt.txt'], () => {
      const warnings: string[] = [];
      const rows = parseBoxText(t, 'gt.txt', lenient ? (line, tok) => warnings.push(`${line}: ${tok}`) : undefined);
      return { numbers: rows.flat(), warnings: [...warnings, ...(rows.some((r) => r.some(Number.isNaN)) ? ['NaN value'] : [])] };
    });
  });
});

test('fuzz: OTB result files (text, jwlim JSON) and times files, as files, folders, FIFOs and links', opts, async (t) => {
  const base = tempDir(t, 'fuzz-otb-result-');
  const files: [string, string][] = [
    ['Couple.txt', text('results', 'OTB100', 'otb-toolkit', 'Staple', 'Couple.txt')],
    ['Couple.txt', text('results', 'OTB100', 'pysot-style', 'SiamRPN', 'Couple.txt')],
    ['Couple.json', text('results', 'OTB100', 'jwlim-json', 'STRUCK', 'Couple.json')],
    ['Couple_time.txt', TIMES],
  ];
  let i = 0;
  await fuzz(fc.tuple(fc.nat(files.length - 1), mutationsArb, fileKindArb, fc.option(jsonEditArb)), async ([f, ms, kind, edit]) => {
    const dir = caseDir(base, i++);
    const [name, body] = files[f];
    const content = edit && name.endsWith('.json') ? JSON.stringify(editJson(JSON.parse(body), edit)) : mutate(body, ms);
    const path = join(dir, name);
    place(path, content, kind as FileKind);
    await check(name.endsWith('_time.txt') ? 'otb-times-file' : 'otb-result-file', [path], () => {
      if (name.endsWith('_time.txt')) {
        const times = readTimesFile(path);
        return { numbers: times, warnings: [] };
      }
      const r = readResultFile(path);
      return { numbers: [...r.boxes.flat(), ...r.defects.map(() => 0)], warnings: [...r.defects, ...boxDefects(r.boxes)] };
    });
  });
});

/** Ground truth roots: a file of one of the four forms mutated, then loaded as OTB100. */
test('fuzz: OTB ground truth roots (raw folders, toolkit anno, pysot JSON, DaSiamRPN JSON)', opts, async (t) => {
  const base = tempDir(t, 'fuzz-otb-root-');
  const pysot = JSON.parse(text('otb', 'OTB100.json')) as Record<string, unknown>;
  const dasiam = JSON.parse(text('otb', 'OTB2015-dasiamrpn.json')) as Record<string, unknown>;
  const pick = (d: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, d[k]]));
  const pysotSmall = pick(pysot, [...SEQS, 'Tiger1']);
  const dasiamSmall = pick(dasiam, ['couple', 'crossing', 'football1', 'tiger1']);
  const forms = ['raw', 'toolkit', 'pysot', 'dasiamrpn'] as const;
  let i = 0;
  await fuzz(
    fc.tuple(fc.constantFrom(...forms), fc.nat(), mutationsArb, fileKindArb, fc.option(jsonEditArb, { freq: 2 }), fc.boolean()),
    async ([form, which, ms, kind, edit, synthetic]) => {
      const dir = caseDir(base, i++);
      let root: string;
      let target: string;
      if (form === 'raw') {
        root = join(dir, 'raw');
        cpSync(real('otb', 'raw-layout-samples'), root, { recursive: true });
        const files = SEQS.flatMap((s) => [join(s, 'groundtruth_rect.txt'), join(s, 'attrs.txt')]);
        target = join(root, files[which % files.length]);
        place(target, mutate(readFileSync(target, 'utf8'), ms), kind as FileKind);
      } else if (form === 'toolkit') {
        root = join(dir, 'tk');
        mkdirSync(join(root, 'anno', 'att'), { recursive: true });
        mkdirSync(join(root, 'initOmit'));
        for (const s of ['couple', 'crossing', 'football1', 'tiger1']) {
          cpSync(real('otb', 'toolkit-tb100', 'anno', `${s}.txt`), join(root, 'anno', `${s}.txt`));
          cpSync(real('otb', 'toolkit-tb100', 'anno', 'att', `${s}.txt`), join(root, 'anno', 'att', `${s}.txt`));
        }
        cpSync(real('otb', 'toolkit-tb100', 'initOmit', 'tiger1.txt'), join(root, 'initOmit', 'tiger1.txt'));
        const files = ['anno/couple.txt', 'anno/tiger1.txt', 'anno/att/crossing.txt', 'initOmit/tiger1.txt'];
        target = join(root, files[which % files.length]);
        place(target, mutate(readFileSync(target, 'utf8'), ms), kind as FileKind);
      } else {
        root = join(dir, `${form}.json`);
        target = root;
        const data = form === 'pysot' ? pysotSmall : dasiamSmall;
        const body = edit ? JSON.stringify(editJson(data, edit)) : mutate(JSON.stringify(data), ms.slice(0, 1));
        place(root, body, kind === 'dir' || kind === 'fifo' ? (kind as FileKind) : 'file');
      }
      await check(`otb-root-${form}`, [target, root], async () => {
        const ds = await loadOtb(synthetic && form === 'raw' ? 'synthetic' : 'OTB100', root);
        return { numbers: datasetNumbers(ds), warnings: ds.warnings };
      });
    },
  );
});

/** Import and scoring under every convention: a results folder of three trackers' worth of files, one mutated. */
test('fuzz: OTB results folder through import and scoring (text, JSON, times, ope_meta.json)', opts, async (t) => {
  const base = tempDir(t, 'fuzz-otb-eval-');
  const gt = join(base, 'gt.json');
  const pysot = JSON.parse(text('otb', 'OTB100.json')) as Record<string, unknown>;
  writeFileSync(gt, JSON.stringify(Object.fromEntries([...SEQS, 'Tiger1'].map((k) => [k, pysot[k]]))));
  const meta = JSON.parse(text('results', 'OTB100', 'cfnet-release', 'ope_meta.json')) as Record<string, Record<string, unknown>>;
  const smallMeta = {
    'results_SiamFC-3s_OTB-100': Object.fromEntries([...SEQS, 'Tiger1'].map((s) => [s, meta['results_SiamFC-3s_OTB-100'][s]])),
  };
  const convention = ['otb', 'pysot', 'got10k'] as const;
  let i = 0;
  await fuzz(
    fc.tuple(fc.nat(), mutationsArb, fileKindArb, fc.option(jsonEditArb, { freq: 2 }), fc.constantFrom(...convention)),
    async ([which, ms, kind, edit, conv]) => {
      const dir = caseDir(base, i++);
      const res = join(dir, 'res');
      const tr = join(res, 'SiamFC-3s');
      mkdirSync(join(tr, 'times'), { recursive: true });
      for (const s of [...SEQS, 'Tiger1'])
        cpSync(real('results', 'OTB100', 'cfnet-release', 'SiamFC-3s', `${s}.txt`), join(tr, `${s}.txt`));
      writeFileSync(join(tr, 'times', 'Couple_time.txt'), TIMES);
      cpSync(real('results', 'OTB100', 'jwlim-json', 'STRUCK', 'Crossing.json'), join(tr, 'Crossing.json'));
      writeFileSync(join(res, 'ope_meta.json'), JSON.stringify(smallMeta));
      const files = ['Couple.txt', 'Tiger1.txt', 'Crossing.json', 'times/Couple_time.txt', '../ope_meta.json', 'Football1.txt'];
      const f = files[which % files.length];
      const path = join(tr, f);
      const body = readFileSync(path, 'utf8');
      const content = edit && f.endsWith('.json') ? JSON.stringify(editJson(JSON.parse(body), edit)) : mutate(body, ms);
      place(path, content, kind as FileKind);
      const parser = f.endsWith('ope_meta.json') ? 'otb-ope-meta' : 'otb-results-scored';
      await check(parser, [path, res], async () => {
        const ds = await loadOtb('OTB100', gt);
        const ev = evaluateOtb(ds, await importOtbResults(res, ds), conv);
        const numbers: number[] = [];
        for (const tr of ev.trackers) {
          const o = tr.overall;
          numbers.push(o.successAuc, o.precision20, o.normPrecision20, o.op50, o.op75, ...(o.fps !== undefined ? [o.fps] : []));
          for (const s of tr.perSequence) numbers.push(s.successAuc, s.precision20, ...(s.fps !== undefined ? [s.fps] : []));
        }
        // A NaN score is bad even with warnings: scores are fractions in [0, 1].
        for (const v of numbers) if (!(v >= 0)) throw new Error(`score ${v} is not a number >= 0`);
        return { numbers, warnings: [...ds.warnings, ...ev.trackers.flatMap((x) => x.warnings)] };
      });
    },
  );
});
