import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { type ToolkitBox, toolkitBox, type Xywh } from '../../../core/types.ts';
import { clip } from '../../common/numbers.ts';
import { readTextFile } from '../../common/read-file.ts';
import { imageNumber } from './frames.ts';
import { nameKey, nameResolver, resolveOtbName } from './names.ts';
import { attributeCode, TARGET_INFO } from './sets.ts';
import type { SourceTarget } from './source.ts';

/** pysot: { Basketball: { video_dir, init_rect, img_names: ['Basketball/img/0001.jpg'], gt_rect, attr } }. */
interface PysotRecord {
  video_dir?: unknown;
  img_names: unknown[];
  gt_rect: unknown[];
  attr?: string[];
}
/** DaSiamRPN: { basketball: { name: 'Basketball', image_files: ['0001.jpg'], init_rect, gt_rect } }. */
interface DaSiamRecord {
  name?: unknown;
  image_files: unknown[];
  gt_rect: unknown[];
}

/**
 * Targets of pysot's OTB100.json or DaSiamRPN's OTB2015.json. Both record image names, so frames
 * come from the files themselves (pysot starts Tiger1 at image 6, David at 300). Images are listed
 * when they sit beside the JSON file as `<Seq>/img/...`.
 */
export async function loadJsonRoot(file: string, wanted: readonly string[] | null, warnings: string[]): Promise<SourceTarget[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readTextFile(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const entries = data && typeof data === 'object' && !Array.isArray(data) ? Object.entries(data as Record<string, unknown>) : [];
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && Array.isArray((v as { gt_rect?: unknown }).gt_rect);
  const form =
    entries.length === 0 || !entries.every(([, v]) => isRecord(v))
      ? undefined
      : entries.every(([, v]) => Array.isArray((v as { img_names?: unknown }).img_names))
        ? 'pysot'
        : entries.every(([, v]) => Array.isArray((v as { image_files?: unknown }).image_files))
          ? 'dasiamrpn'
          : undefined;
  if (!form) {
    throw new UserError(
      `${file}: not an OTB description (expected pysot's {<seq>: {img_names, gt_rect}} or DaSiamRPN's {<seq>: {image_files, gt_rect}})`,
    );
  }
  // Keys name the targets: pysot spells them as OTB does, DaSiamRPN in lower camel (jogging_1, human4_2).
  const byName = keysByName(entries, wanted, file);
  const names = wanted ?? [...byName.keys()].sort();
  const resolve = nameResolver([...byName.keys()]);
  const out: SourceTarget[] = [];
  for (const name of names) {
    const found = resolve(name);
    if (found === undefined) continue;
    const [key, rec] = byName.get(found)!;
    out.push(jsonTarget(name, key, rec as PysotRecord & DaSiamRecord, form, file, warnings));
  }
  return out;
}

/**
 * Record per target name. Two keys that name one target (`Couple` and `couple`) would score one
 * against the other, whichever came last: an error naming both.
 */
function keysByName(entries: [string, unknown][], wanted: readonly string[] | null, file: string): Map<string, [string, unknown]> {
  const canonical = (key: string) => (wanted ? (resolveOtbName(key) ?? key) : key);
  const byName = new Map<string, [string, unknown]>();
  const byKey = new Map<string, string>();
  for (const [k, v] of entries) {
    const name = canonical(k);
    const other = byKey.get(nameKey(name));
    if (other !== undefined) throw new UserError(`${file}: keys '${other}' and '${k}' both name target ${name}; keep one`);
    byKey.set(nameKey(name), k);
    byName.set(name, [k, v]);
  }
  return byName;
}

function jsonTarget(
  name: string,
  key: string,
  rec: PysotRecord & DaSiamRecord,
  form: 'pysot' | 'dasiamrpn',
  file: string,
  warnings: string[],
): SourceTarget {
  const where = `${file}: ${key}`;
  const field = form === 'pysot' ? 'img_names' : 'image_files';
  const imgs = stringList(form === 'pysot' ? rec.img_names : rec.image_files, `${where}: ${field}`);
  let gt = rec.gt_rect.map((r, i) => box(r, `${where}: gt_rect row ${i + 1}`));
  const folder = form === 'pysot' ? undefined : dasiamFolder(rec, name, where, warnings);
  const base = dirname(file);
  let paths = imgs.map((p) => (folder === undefined ? join(base, p) : join(base, folder, 'img', p)));
  if (imgs.length !== gt.length) {
    warnings.push(`${where}: ${imgs.length} image names for ${gt.length} gt_rect rows; the first ${Math.min(imgs.length, gt.length)} used`);
    const n = Math.min(imgs.length, gt.length);
    gt = gt.slice(0, n);
    paths = paths.slice(0, n);
  }
  const frames = paths.map((p, i) => {
    const f = imageNumber(p);
    if (f === undefined) throw new UserError(`${where}: image name ${i + 1} '${clip(imgs[i])}' has no frame number`);
    return f;
  });
  const sequence = folder ?? imgs[0]?.split(/[\\/]/)[0] ?? (typeof rec.video_dir === 'string' ? rec.video_dir : name);
  const target: SourceTarget = { name, sequence: TARGET_INFO.get(name)?.sequence ?? sequence, frames, groundTruth: gt };
  const attr = rec.attr;
  if (Array.isArray(attr)) target.attributes = attr.map((a) => attributeCode(String(a)) ?? String(a));
  if (paths.length > 0 && existsSync(paths[0]) && existsSync(paths[paths.length - 1])) target.images = paths;
  return target;
}

/** Image names must be strings: a number or null has no file behind it (and no frame number). */
function stringList(v: unknown[], where: string): string[] {
  const bad = v.findIndex((x) => typeof x !== 'string');
  if (bad >= 0) throw new UserError(`${where}[${bad}]: expected an image file name, got ${clip(JSON.stringify(v[bad]) ?? String(v[bad]))}`);
  return v as string[];
}

/** DaSiamRPN's `name` is the image folder; without it the target's own folder name is the best guess. */
function dasiamFolder(rec: DaSiamRecord, name: string, where: string, warnings: string[]): string {
  if (typeof rec.name === 'string' && rec.name !== '') return rec.name;
  const guess = TARGET_INFO.get(name)?.sequence ?? name;
  warnings.push(`${where}: no 'name' (the image folder); images looked for in ${guess}/img`);
  return guess;
}

function box(row: unknown, where: string): ToolkitBox {
  // JSON.parse reads 1e309 as Infinity: a ground truth no overlap can be computed against.
  if (!Array.isArray(row) || row.length !== 4 || !row.every((v) => (typeof v === 'number' && Number.isFinite(v)) || v === null)) {
    throw new UserError(`${where}: expected [x, y, w, h] of finite numbers, got ${clip(JSON.stringify(row) ?? String(row))}`);
  }
  // JSON has no NaN: writers that had one wrote null.
  return toolkitBox(row.map((v) => (v === null ? NaN : v)) as Xywh);
}
