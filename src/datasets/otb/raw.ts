import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import fg from 'fast-glob';
import { join } from 'node:path';
import { frameRows } from './frames.ts';
import { nameKey } from './names.ts';
import { parseAttributeList, parseBoxText } from './parse.ts';
import { TARGET_INFO } from './sets.ts';
import { imagesFor, type SourceTarget } from './source.ts';

const GT_FILE = /^groundtruth_rect(?:\.(\d+))?\.txt$/i;

/** True when some folder of `root` holds a groundtruth_rect*.txt (the raw download layout). */
export async function isRawLayout(root: string): Promise<boolean> {
  for (const d of await readdir(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    if ((await readdir(join(root, d.name))).some((f) => GT_FILE.test(f))) return true;
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
  const dirs = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const byKey = new Map(dirs.map((d) => [nameKey(d), d]));
  const out: SourceTarget[] = [];
  if (wanted) {
    for (const name of wanted) {
      const info = TARGET_INFO.get(name);
      const dir = info && byKey.get(nameKey(info.sequence));
      if (!info || !dir) continue;
      const files = await readdir(join(root, dir));
      // Human4's target is .2; a folder with only groundtruth_rect.txt is a single-target download.
      const file = pick(files, info.gtFile) ?? (info.name === 'Human4-2' ? pick(files, 'groundtruth_rect.txt') : undefined);
      if (!file) continue;
      out.push(await rawTarget(join(root, dir), dir, file, info.name, true, warnings));
    }
    return out;
  }
  // Every folder's ground-truth files in one glob, folder by folder in sorted order.
  const found = (await fg('*/groundtruth_rect*.txt', { cwd: root, onlyFiles: true }))
    .map((rel) => rel.split('/') as [string, string])
    .filter(([, f]) => GT_FILE.test(f))
    .sort(([a, f], [b, g]) => (a === b ? (f < g ? -1 : 1) : a < b ? -1 : 1));
  for (const [dir, file] of found) {
    const k = GT_FILE.exec(file)![1];
    const text = await readFile(join(root, dir, file), 'utf8');
    if (text.trim() === '') {
      warnings.push(`${join(root, dir, file)}: empty ground truth, no target`);
      continue;
    }
    out.push(await rawTarget(join(root, dir), dir, file, k === undefined ? dir : `${dir}-${k}`, false, warnings, text));
  }
  return out;
}

function pick(files: string[], wanted: string): string | undefined {
  return files.find((f) => f === wanted) ?? files.find((f) => f.toLowerCase() === wanted.toLowerCase());
}

async function rawTarget(
  dir: string, sequence: string, file: string, name: string, builtinRanges: boolean, warnings: string[], text?: string,
): Promise<SourceTarget> {
  const path = join(dir, file);
  const rows = parseBoxText(text ?? (await readFile(path, 'utf8')), path);
  const framed = builtinRanges ? frameRows(name, rows, path, warnings) : { frames: rows.map((_, i) => i + 1), groundTruth: rows };
  const target: SourceTarget = { name, sequence, ...framed };
  const attrsFile = join(dir, 'attrs.txt');
  if (existsSync(attrsFile)) target.attributes = parseAttributeList(await readFile(attrsFile, 'utf8'));
  const images = await imagesFor(join(dir, 'img'), framed.frames, warnings);
  if (images) target.images = images;
  return target;
}
