import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.ts';
import { loadOtb } from '../otb/dataset/index.ts';
import { OTB_SETS, TARGET_INFO } from '../otb/dataset/sets.ts';

/** Where the OTB authors publish one zip per sequence (<Seq>.zip holding <Seq>/img/ and its ground truth). */
export const OTB_MIRROR = 'http://cvlab.hanyang.ac.kr/tracker_benchmark/seq';

/** The sequence folders of an OTB set (Jogging once for Jogging-1 and -2), or the ones asked for. */
export function otbSequences(dataset: string, only?: readonly string[]): string[] {
  const all = [...new Set((OTB_SETS[dataset] ?? []).map((t) => TARGET_INFO.get(t)!.sequence))];
  if (!only) return all;
  for (const s of only) if (!all.includes(s)) throw new UserError(`--sequences: '${s}' is not a sequence folder of ${dataset}`);
  return [...only];
}

/**
 * The loader's check of one unpacked sequence (a raw-layout root holding only it): every target of
 * the folder loads, with an image for every annotated frame.
 */
export async function checkOtbSequence(dataset: string, root: string, sequence: string): Promise<number> {
  const ds = await loadOtb(dataset, root);
  const targets = ds.targets.filter((t) => t.sequence === sequence);
  if (targets.length === 0) throw new UserError(`${sequence}: the zip holds no ${sequence}/ folder with its ground truth`);
  let frames = 0;
  for (const t of targets) {
    const found = (t.images ?? []).filter((p) => existsSync(p)).length;
    if (found !== t.frames.length) {
      throw new UserError(`${sequence}: ${t.name} has ${t.frames.length} annotated frames, the zip ${found} of their images`);
    }
    frames = Math.max(frames, t.frames.length);
  }
  return frames;
}
