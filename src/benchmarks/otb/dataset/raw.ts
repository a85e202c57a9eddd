import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { danglingLink, isDanglingLink, listDir, type DirEntry } from '../../../core/dir-entries.ts';
import { isNonRegular, readTextFile } from '../../common/read-file.ts';
import { frameRows } from './frames.ts';
import { nameKey } from './names.ts';
import { parseAttributeList, parseBoxText } from './parse.ts';
import { TARGET_INFO } from './sets.ts';
import { imagesFor, type SourceTarget } from './source.ts';

const GT_FILE = /^groundtruth_rect(?:\.(\d+))?\.txt$/i;

/** True when some folder of `root` holds a groundtruth_rect*.txt (the raw download layout). */
export async function isRawLayout(root: string): Promise<boolean> {
  for (const d of await listDir(root)) {
    if (d.kind !== 'dir') continue; // sequence folders may be symbolic links
    if ((await listDir(d.path)).some((f) => GT_FILE.test(f.name) && f.kind !== 'dir')) return true;
  }
  return false;
}

/**
 * Targets of a raw download folder (`<Seq>/img/0001.jpg`, `<Seq>/groundtruth_rect.txt`; Jogging and
 * Skating2 hold `.1`/`.2` files, Human4 an empty `.1` and the real `.2`). With `wanted` (canonical
 * OTB names) folders are found case-insensitively and the built-in frame ranges apply; without it
 * (a synthetic benchmark) every folder's targets are taken as they are, rows from image 1.
 */
export async function loadRawLayout(root: string, wanted: readonly string[] | null, warnings: string[]): Promise<SourceTarget[]> {
  // Sequence folders and their files count as what they point to when they are symbolic links.
  const entries = await listDir(root);
  for (const e of entries) if (e.kind === 'dangling') warnings.push(`${danglingLink(e.path)}; not a sequence folder, skipped`);
  const dirs = entries.filter((e) => e.kind === 'dir').map((e) => e.name);
  const byKey = new Map<string, string>();
  for (const d of dirs) {
    // Couple/ beside couple/: one would silently stand for both.
    const other = byKey.get(nameKey(d));
    if (other !== undefined && wanted) throw new UserError(`${root}: folders ${other} and ${d} both name one sequence; keep one`);
    byKey.set(nameKey(d), d);
  }
  const out: SourceTarget[] = [];
  if (wanted) {
    for (const name of wanted) {
      const info = TARGET_INFO.get(name);
      const dir = info && byKey.get(nameKey(info.sequence));
      if (!info || !dir) continue;
      const files = await gtFiles(join(root, dir), warnings);
      // Human4's target is .2; a folder with only groundtruth_rect.txt is a single-target download.
      const file = pick(files, info.gtFile) ?? (info.name === 'Human4-2' ? pick(files, 'groundtruth_rect.txt') : undefined);
      if (!file) continue;
      out.push(await rawTarget(join(root, dir), dir, file, info.name, true, warnings));
    }
    return out;
  }
  // Every folder's ground-truth files, folder by folder in sorted order.
  for (const dir of dirs) {
    for (const file of (await gtFiles(join(root, dir), warnings)).filter((f) => GT_FILE.test(f))) {
      const k = GT_FILE.exec(file)![1];
      const text = await readTextFile(join(root, dir, file));
      if (text.trim() === '') {
        warnings.push(`${join(root, dir, file)}: empty ground truth, no target`);
        continue;
      }
      out.push(await rawTarget(join(root, dir), dir, file, k === undefined ? dir : `${dir}-${k}`, false, warnings, text));
    }
  }
  return out;
}

/**
 * The readable files of a sequence folder (symbolic links followed, in name order); a dangling link
 * named like a ground-truth file is reported, since the target it would hold goes missing.
 */
async function gtFiles(dir: string, warnings: string[]): Promise<string[]> {
  const entries: DirEntry[] = await listDir(dir);
  for (const e of entries) {
    if (e.kind === 'dangling' && GT_FILE.test(e.name)) warnings.push(`${danglingLink(e.path)}; no ground truth read from it`);
    if ((e.kind === 'other' || e.kind === 'dir') && GT_FILE.test(e.name))
      warnings.push(`${e.path}: not a regular file; no ground truth read from it`);
  }
  return entries.filter((e) => e.kind === 'file').map((e) => e.name);
}

function pick(files: string[], wanted: string): string | undefined {
  return files.find((f) => f === wanted) ?? files.find((f) => f.toLowerCase() === wanted.toLowerCase());
}

async function rawTarget(
  dir: string,
  sequence: string,
  file: string,
  name: string,
  builtinRanges: boolean,
  warnings: string[],
  text?: string,
): Promise<SourceTarget> {
  const path = join(dir, file);
  const rows = parseBoxText(text ?? (await readTextFile(path)), path);
  const framed = builtinRanges ? frameRows(name, rows, path, warnings) : { frames: rows.map((_, i) => i + 1), groundTruth: rows };
  const target: SourceTarget = { name, sequence, ...framed };
  const attrsFile = join(dir, 'attrs.txt');
  // A folder or FIFO named attrs.txt would end in EISDIR or block the read: named, and the attributes come from the built-in list.
  if (isNonRegular(attrsFile)) warnings.push(`${attrsFile}: not a regular file; attributes not read from it`);
  else if (existsSync(attrsFile)) target.attributes = parseAttributeList(await readTextFile(attrsFile));
  else if (isDanglingLink(attrsFile)) warnings.push(`${danglingLink(attrsFile)}; attributes not read from it`);
  const images = await imagesFor(join(dir, 'img'), framed.frames, warnings);
  if (images) target.images = images;
  return target;
}
