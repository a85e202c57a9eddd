import { existsSync } from 'node:fs';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadOtb, type OtbTarget } from '../benchmarks/otb/dataset/index.ts';
import { frameName } from '../benchmarks/got10k/layout.ts';
import { UserError } from '../core/errors.ts';
import { toolkitToImage } from '../core/types.ts';
import type { CrossValidationSpec } from './cross-validation.ts';

/**
 * The folders of a cross-validated study, built from its OTB root into `<data>/<name>/fold<k>/`:
 * `train/` a GOT-10k split (`list.txt`, `<target>/00000001.jpg` links to the OTB images,
 * `groundtruth.txt` in 0-based image coordinates, `absence.label`) of every target outside fold k,
 * what `npm run train --data` reads; `test/` an OTB root of links to fold k's sequence folders, what
 * the bench tracks. Links, not copies: the frames stay where the user keeps them (../shared here),
 * and nothing derived from them lands in the repository (data/ is ignored by git).
 */
export interface FoldFolders {
  train: string;
  test: string;
}

/** A missing row (no box, or a non-positive side) is absent, as GOT-10k marks a frame without the target. */
function got10kRows(t: OtbTarget): { boxes: string; absent: string } {
  const boxes: string[] = [];
  const absent: string[] = [];
  for (const b of t.groundTruth) {
    const ok = b.every((v) => Number.isFinite(v)) && b[2] > 0 && b[3] > 0;
    boxes.push(ok ? toolkitToImage(b).join(',') : '0,0,0,0');
    absent.push(ok ? '0' : '1');
  }
  return { boxes: `${boxes.join('\n')}\n`, absent: `${absent.join('\n')}\n` };
}

/** Builds `dir` through a temporary sibling renamed at the end, so a killed build is never taken for a finished one. */
async function buildOnce(dir: string, build: (tmp: string) => Promise<void>): Promise<void> {
  if (existsSync(dir)) return;
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await build(tmp);
  await rename(tmp, dir);
}

async function writeTrainSplit(dir: string, targets: OtbTarget[]): Promise<void> {
  for (const t of targets) {
    if (!t.images || t.images.length !== t.groundTruth.length)
      throw new UserError(`${t.name}: its images are not in the cross-validation root`);
    const seq = join(dir, t.name);
    await mkdir(seq);
    const rows = got10kRows(t);
    await writeFile(join(seq, 'groundtruth.txt'), rows.boxes);
    await writeFile(join(seq, 'absence.label'), rows.absent);
    for (const [i, image] of t.images.entries()) await symlink(resolve(image), join(seq, frameName(i)));
  }
  await writeFile(join(dir, 'list.txt'), `${targets.map((t) => `${t.name}\n`).join('')}`);
}

/**
 * Every fold's folders, built once (a finished folder is reused). Every target of the root must lie
 * in a fold and every fold's sequence in the root: a target in no fold would be trained on by all
 * folds and tested by none, silently.
 */
export async function crossValidationData(cv: CrossValidationSpec, dataDir: string, log: (line: string) => void): Promise<FoldFolders[]> {
  const root = resolve(cv.root);
  const ds = await loadOtb(cv.dataset, root);
  const foldOf = (t: OtbTarget) => cv.folds.findIndex((f) => f.some((s) => s.toLowerCase() === t.sequence.toLowerCase()));
  const stray = ds.targets.filter((t) => foldOf(t) < 0);
  if (stray.length) throw new UserError(`crossValidation.folds: ${stray.map((t) => t.name).join(', ')} of ${root} in no fold`);
  const absent = cv.folds.flat().filter((s) => !ds.targets.some((t) => t.sequence.toLowerCase() === s.toLowerCase()));
  if (absent.length) throw new UserError(`crossValidation.folds: ${absent.join(', ')} not in ${root}`);
  const folders: FoldFolders[] = [];
  for (const [k, fold] of cv.folds.entries()) {
    const base = join(resolve(dataDir), cv.name, `fold${k + 1}`);
    const f = { train: join(base, 'train'), test: join(base, 'test') };
    const held = ds.targets.filter((t) => foldOf(t) === k);
    const rest = ds.targets.filter((t) => foldOf(t) !== k);
    await buildOnce(f.train, (tmp) => writeTrainSplit(tmp, rest));
    await buildOnce(f.test, async (tmp) => {
      for (const s of fold) {
        const seq = held.find((t) => t.sequence.toLowerCase() === s.toLowerCase())!.sequence;
        await symlink(join(root, seq), join(tmp, seq));
      }
    });
    log(
      `[study] ${cv.name} fold ${k + 1}: tests ${held.map((t) => t.name).join(', ')} (${held.length} targets); trains on ${rest.length} targets, ${rest.reduce((n, t) => n + t.groundTruth.length, 0)} frames, in ${f.train}`,
    );
    folders.push(f);
  }
  return folders;
}
