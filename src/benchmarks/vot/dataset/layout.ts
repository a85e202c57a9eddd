import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { danglingLink, danglingTail, isDanglingLink, listDirSync } from '../../../core/dir-entries.ts';
import { atLine, UserError } from '../../../core/errors.ts';
import { imageSize } from '../../../images/decode.ts';
import { clip, toNumber } from '../../common/numbers.ts';
import { isNonRegular, readTextFile } from '../../common/read-file.ts';
import { emptyRegions, parseGroundtruth } from './region-text.ts';
import { fitTag, withEmpty } from './tags.ts';
import { VOT_TAGS, type VotDataset, type VotSequence } from './types.ts';

/**
 * The official VOT layout: `list.txt`, and per sequence `groundtruth.txt`, an optional `sequence`
 * key=value file, images in `color/` (VOT2017+) or in the folder itself (older), and per-frame tag
 * files `<tag>.tag` (older: `<tag>.label`).
 */
export async function loadVotLayout(name: string, root: string): Promise<VotDataset> {
  const warnings: string[] = [];
  const names = await sequenceNames(root, warnings);
  const sequences: VotSequence[] = [];
  for (const { seq, line } of names) {
    const dir = join(root, seq);
    const gtFile = join(dir, 'groundtruth.txt');
    if (!existsSync(gtFile)) {
      const link = [dir, gtFile].find(isDanglingLink);
      throw atLine(join(root, 'list.txt'), line, `sequence '${seq}' has no ${gtFile}${link ? ` (${danglingLink(link)})` : ''}`);
    }
    const groundtruth = parseGroundtruth(await readTextFile(gtFile), gtFile);
    if (groundtruth.length === 0) throw new UserError(`${gtFile}: no ground-truth rows`);
    warnings.push(...emptyRegions(seq, groundtruth));
    const length = groundtruth.length;
    const metadata = await readMetadata(join(dir, 'sequence'));
    const frames = framePaths(dir, metadata, length);
    // A folder or FIFO where the first image should be would stall or fail the size probe.
    const hasImages = existsSync(frames[0]) && !isNonRegular(frames[0]);
    let width: number | undefined, height: number | undefined;
    if (hasImages) {
      ({ width, height } = await imageSize(frames[0]));
      if (!existsSync(frames[length - 1])) warnings.push(`${seq}: first image present but not the last one (${frames[length - 1]})`);
    }
    const raw = {} as Record<(typeof VOT_TAGS)[number], Uint8Array>;
    for (const tag of VOT_TAGS) raw[tag] = await readTag(dir, tag, length, seq, warnings);
    sequences.push({ name: seq, length, groundtruth, frames, hasImages, width, height, tags: withEmpty(raw, length), metadata });
  }
  return { name, root, format: 'layout', sequences, warnings };
}

async function sequenceNames(root: string, warnings: string[]): Promise<{ seq: string; line: number }[]> {
  const list = join(root, 'list.txt');
  if (existsSync(list)) {
    const out: { seq: string; line: number }[] = [];
    (await readTextFile(list)).split(/\r?\n/).forEach((l, i) => {
      if (l.trim() !== '') out.push({ seq: l.trim(), line: i + 1 });
    });
    if (out.length === 0) throw new UserError(`${list}: no sequence names`);
    return out;
  }
  // Sequence folders may be symbolic links (existsSync follows them); dangling ones are named.
  const entries = listDirSync(root);
  const dirs = entries.filter((e) => e.kind === 'dir' && existsSync(join(e.path, 'groundtruth.txt'))).map((e) => e.name);
  if (dirs.length === 0)
    throw new UserError(`${root}: not a VOT folder (no list.txt and no <sequence>/groundtruth.txt)${danglingTail(entries)}`);
  warnings.push(`no list.txt in ${root}; using the ${dirs.length} folders holding a groundtruth.txt`);
  for (const e of entries) if (e.kind === 'dangling') warnings.push(`${danglingLink(e.path)}; not a sequence folder, skipped`);
  return dirs.map((seq) => ({ seq, line: 0 }));
}

async function readMetadata(file: string): Promise<Record<string, string>> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const l of (await readTextFile(file)).split(/\r?\n/)) {
    const k = l.indexOf('=');
    if (k > 0) out[l.slice(0, k).trim()] = l.slice(k + 1).trim();
  }
  return out;
}

/** `channels.color=color/%08d.jpg` names the images; without it, `color/` if present, else the folder. */
function framePaths(dir: string, metadata: Record<string, string>, length: number): string[] {
  let pattern = metadata['channels.color'];
  if (!pattern) {
    const colour = join(dir, 'color');
    pattern = existsSync(colour) && statSync(colour).isDirectory() ? 'color/%08d.jpg' : '%08d.jpg';
  }
  const m = /%0?(\d*)d/.exec(pattern);
  const pad = m ? Number(m[1] || 0) : 0;
  // %0777777d would pad every name to gigabytes (RangeError: Invalid string length).
  if (pad > 32) throw new UserError(`${join(dir, 'sequence')}: channels.color pads image numbers to ${clip(String(pad))} digits`);
  return Array.from({ length }, (_, i) => join(dir, m ? pattern.replace(m[0], String(i + 1).padStart(pad, '0')) : pattern));
}

async function readTag(dir: string, tag: string, length: number, seq: string, warnings: string[]): Promise<Uint8Array> {
  const candidates = [join(dir, `${tag}.tag`), join(dir, `${tag}.label`)];
  const file = candidates.find((p) => existsSync(p));
  if (!file) {
    const link = candidates.find(isDanglingLink);
    if (link) warnings.push(`${danglingLink(link)}; ${seq}/${tag}: no frame tagged`);
    return new Uint8Array(length);
  }
  const lines = (await readTextFile(file)).split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  // 0 or 1 as decimals ('1', '1.0'); Number() would also take '0x1', ' ' and '1e0'.
  const values = lines.map((l, i) => {
    const v = toNumber(l.trim());
    if (v !== 0 && v !== 1) throw atLine(file, i + 1, `'${clip(l.trim())}' is not 0 or 1`);
    return v;
  });
  return fitTag(values, length, `${seq}/${tag}`, warnings);
}
