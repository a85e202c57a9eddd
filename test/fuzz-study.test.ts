/**
 * Fuzzing the study spec (`npm run study --spec`, a file the user writes), issue 12 item 5: the
 * committed specs with structural JSON edits or text mutations, placed as a file, a folder, a FIFO or
 * a link. The property is the one of test/helpers/fuzz.ts; FUZZ_RUNS sets the cases.
 */
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadSpec } from '../src/study/spec.ts';
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

test.after(() => console.log(`fuzz study spec (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}):\n${tallyTable()}`));

const SPECS = ['smoke.json', 'global-loss.json', 'finetune.json'].map((f) => readFileSync(join(REPO, 'studies', f), 'utf8'));

test('fuzz: study spec (studies/*.json)', { timeout: 60 * 60_000 }, async (t) => {
  const base = tempDir(t, 'fuzz-study-');
  let i = 0;
  await fuzz(
    fc.tuple(fc.nat(SPECS.length - 1), fc.option(jsonEditArb, { freq: 3 }), mutationsArb, fileKindArb),
    async ([which, edit, ms, kind]) => {
      const path = join(caseDir(base, i++), 'spec.json');
      const body = edit ? JSON.stringify(editJson(JSON.parse(SPECS[which]), edit)) : mutate(SPECS[which], ms);
      place(path, body, kind as FileKind);
      await check('study-spec', [path], async () => {
        const s = await loadSpec(path);
        const numbers = [
          ...s.seeds,
          ...Object.values(s.recipe).filter((v): v is number => typeof v === 'number'),
          ...Object.values(s.trainSplit ?? {}),
          ...s.configurations.flatMap((c) => Object.values(c.settings).filter((v): v is number => typeof v === 'number')),
          ...s.testSets.flatMap((x) => (x.kind === 'synthetic' ? [x.sequences, x.frames, x.seed] : [])),
        ];
        return { numbers, warnings: [] };
      });
    },
  );
});
