import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { missingPath } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import { fileKind } from '../../common/read-file.ts';
import { loadVotLayout } from './layout.ts';
import { loadVotPysotJson } from './pysot-json.ts';
import type { VotDataset } from './types.ts';
import { checkVotYear } from './year.ts';

export type { VotDataset, VotRegion, VotSequence, VotTag } from './types.ts';
export { VOT_TAGS, VOT_TAGS_WITH_EMPTY } from './types.ts';

/**
 * Loads a VOT dataset from `root`: a pysot JSON file, a folder holding `<dataset>.json`, or a folder in
 * the official layout (list.txt + sequence folders). `dataset` is a name (VOT2016..VOT2019, or any
 * other such as `synthetic-vot`); it does not change how files are read, but a year's root is
 * checked against that year's sequence list (year.ts).
 */
export async function loadVot(dataset: string, root: string): Promise<VotDataset> {
  return checkVotYear(await loadVotRoot(dataset, root), root);
}

async function loadVotRoot(dataset: string, root: string): Promise<VotDataset> {
  const abs = resolve(root);
  if (!existsSync(abs)) throw new UserError(`--root: ${missingPath(root, abs)}`);
  const st = statSync(abs);
  // A FIFO or device as the root: reading would block or fail with ENOTDIR.
  if (!st.isFile() && !st.isDirectory()) throw new UserError(`--root: ${root}: ${fileKind(st)}, not a VOT root (a folder or a JSON file)`);
  if (st.isFile()) {
    if (!abs.toLowerCase().endsWith('.json')) throw new UserError(`--root: ${root} is a file but not a pysot .json description`);
    return loadVotPysotJson(dataset, abs);
  }
  if (existsSync(join(abs, 'list.txt'))) return loadVotLayout(dataset, abs);
  const json = join(abs, `${dataset}.json`);
  if (existsSync(json)) return loadVotPysotJson(dataset, json);
  return loadVotLayout(dataset, abs);
}
