import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { type ToolkitBox, toolkitBox, type Xywh } from '../../../core/types.ts';
import { imageNumber } from './frames.ts';
import { nameResolver, resolveOtbName } from './names.ts';
import { attributeCode, TARGET_INFO } from './sets.ts';
import type { SourceTarget } from './source.ts';

/** pysot: { Basketball: { video_dir, init_rect, img_names: ['Basketball/img/0001.jpg'], gt_rect, attr } }. */
interface PysotRecord {
  video_dir?: string;
  img_names: string[];
  gt_rect: unknown[];
  attr?: string[];
}
/** DaSiamRPN: { basketball: { name: 'Basketball', image_files: ['0001.jpg'], init_rect, gt_rect } }. */
interface DaSiamRecord {
  name: string;
  image_files: string[];
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
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
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
  const canonical = (key: string) => (wanted ? (resolveOtbName(key) ?? key) : key);
  const byName = new Map(entries.map(([k, v]) => [canonical(k), [k, v] as const]));
  const names = wanted ?? [...byName.keys()].sort();
  const resolve = nameResolver([...byName.keys()]);
  const base = dirname(file);
  const out: SourceTarget[] = [];
  for (const name of names) {
    const found = resolve(name);
    if (found === undefined) continue;
    const [key, rec] = byName.get(found)!;
    const where = `${file}: ${key}`;
    const imgs = form === 'pysot' ? (rec as PysotRecord).img_names : (rec as DaSiamRecord).image_files;
    let gt = (rec as PysotRecord).gt_rect.map((r, i) => box(r, `${where}: gt_rect row ${i + 1}`));
    let paths = form === 'pysot' ? imgs.map((p) => join(base, p)) : imgs.map((p) => join(base, (rec as DaSiamRecord).name, 'img', p));
    if (imgs.length !== gt.length) {
      warnings.push(
        `${where}: ${imgs.length} image names for ${gt.length} gt_rect rows; the first ${Math.min(imgs.length, gt.length)} used`,
      );
      const n = Math.min(imgs.length, gt.length);
      gt = gt.slice(0, n);
      paths = paths.slice(0, n);
    }
    const frames = paths.map((p, i) => {
      const f = imageNumber(p);
      if (f === undefined) throw new UserError(`${where}: image name ${i + 1} '${imgs[i]}' has no frame number`);
      return f;
    });
    const sequence = form === 'pysot' ? (imgs[0]?.split(/[\\/]/)[0] ?? (rec as PysotRecord).video_dir ?? name) : (rec as DaSiamRecord).name;
    const target: SourceTarget = { name, sequence: TARGET_INFO.get(name)?.sequence ?? sequence, frames, groundTruth: gt };
    const attr = (rec as PysotRecord).attr;
    if (Array.isArray(attr)) target.attributes = attr.map((a) => attributeCode(String(a)) ?? String(a));
    if (paths.length > 0 && existsSync(paths[0]) && existsSync(paths[paths.length - 1])) target.images = paths;
    out.push(target);
  }
  return out;
}

function box(row: unknown, where: string): ToolkitBox {
  if (!Array.isArray(row) || row.length !== 4 || !row.every((v) => typeof v === 'number' || v === null)) {
    throw new UserError(`${where}: expected [x, y, w, h], got ${JSON.stringify(row)?.slice(0, 60)}`);
  }
  // JSON has no NaN: writers that had one wrote null.
  return toolkitBox(row.map((v) => (v === null ? NaN : v)) as Xywh);
}
