/**
 * Fuzzing the GOT-10k layout reader of `npm run train --data` (issue 12 item 5): list.txt,
 * groundtruth.txt, absence.label and cover.label mutated, and any of them or a frame placed as a
 * folder, a FIFO, a link or a dangling link; the frame is then decoded as training would. The
 * property is the one of test/helpers/fuzz.ts; FUZZ_RUNS sets the cases.
 */
import { test } from 'node:test';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { frameName, readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { caseDir, check, fileKindArb, fuzz, mutate, mutationsArb, place, RUNS, SEED, tallyTable, type FileKind } from './helpers/fuzz.ts';
import { tempDir } from './helpers/files.ts';
import { writeDriftingSquares } from './helpers/got10k-fixture.ts';

test.after(() => console.log(`fuzz GOT-10k (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED}):\n${tallyTable()}`));

/** The files a case may mutate, relative to the split; a frame is replaced, never edited as text. */
const FILES = [
  'list.txt',
  'seq0/groundtruth.txt',
  'seq1/groundtruth.txt',
  'seq0/absence.label',
  'seq1/cover.label',
  `seq1/${frameName(2)}`,
];

test('fuzz: GOT-10k layout (list.txt, groundtruth.txt, absence.label, cover.label, frames)', { timeout: 60 * 60_000 }, async (t) => {
  const base = tempDir(t, 'fuzz-got10k-');
  const clean = join(base, 'clean');
  await writeDriftingSquares(clean, 2);
  for (const s of ['seq0', 'seq1']) {
    writeFileSync(join(clean, s, 'absence.label'), '0\n0\n1\n0\n0\n0\n');
    writeFileSync(join(clean, s, 'cover.label'), '8\n7\n0\n8\n5\n8\n');
  }
  let i = 0;
  await fuzz(fc.tuple(fc.nat(FILES.length - 1), mutationsArb, fileKindArb), async ([which, ms, kind]) => {
    const split = join(caseDir(base, i++), 'train');
    cpSync(clean, split, { recursive: true });
    const file = FILES[which];
    const target = join(split, file);
    const frame = file.endsWith('.jpg');
    // A frame keeps its bytes (a cut JPEG is the decoder's case); a text file gets the mutations.
    const body = frame
      ? readFileSync(target).subarray(0, ms[0].kind === 'truncate' ? ms[0].at % 2000 : undefined)
      : mutate(readFileSync(target, 'utf8'), ms);
    place(target, body, kind as FileKind);
    await check('got10k-layout', [target, split], async () => {
      const seqs = await readGot10kSplit(split);
      const numbers = seqs.flatMap((s) => [...s.boxes.flat(), ...s.absent, ...s.cover]);
      // Training decodes every frame it samples: the mutated one is decoded here the same way.
      if (frame) {
        const img = await decodeRgb(target);
        numbers.push(img.width, img.height);
      }
      return { numbers, warnings: [] };
    });
  });
});
