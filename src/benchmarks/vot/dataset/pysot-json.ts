import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { imageSize } from '../../../images/decode.ts';
import { clip } from '../../common/numbers.ts';
import { isNonRegular, readTextFile } from '../../common/read-file.ts';
import { emptyRegions } from './region-text.ts';
import { fitTag, withEmpty } from './tags.ts';
import { VOT_TAGS, type VotDataset, type VotRegion, type VotSequence } from './types.ts';

interface PysotEntry {
  video_dir?: unknown;
  img_names?: unknown;
  gt_rect?: unknown;
  [tag: string]: unknown;
}

/**
 * pysot's description file (`VOT2019.json`): one key per sequence with `gt_rect` (8-value polygons, or
 * 4-value rectangles for some sequences), `img_names` relative to the folder holding the JSON, and one
 * 0/1 array per tag. It has no image sizes; they are read from the images when those exist.
 */
export async function loadVotPysotJson(name: string, file: string): Promise<VotDataset> {
  const text = await readTextFile(file);
  let data: Record<string, PysotEntry>;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`${file}: expected an object keyed by sequence name`);
  if (looksLikeOtb(data)) {
    // Read as VOT, OTB's rectangles load fine and match no VOT result: every EAO row came out blank.
    throw new UserError(`${file}: an OTB description (4-value gt_rect, attr lists, no VOT tags), not a VOT one; use --dataset OTB100`);
  }
  const base = dirname(file);
  const warnings: string[] = [];
  const sequences: VotSequence[] = [];
  for (const [seq, e] of Object.entries(data)) {
    const where = `${file}: sequence '${seq}'`;
    if (!Array.isArray(e?.gt_rect) || e.gt_rect.length === 0) throw new UserError(`${where}: no gt_rect array`);
    const groundtruth: VotRegion[] = e.gt_rect.map((r: unknown, i: number) => {
      const ok =
        Array.isArray(r) &&
        (r.length === 4 || (r.length >= 6 && r.length % 2 === 0)) &&
        r.every((v) => typeof v === 'number' && Number.isFinite(v));
      if (!ok) throw new UserError(`${where}: gt_rect[${i}] is not a rectangle (4 numbers) or polygon (even count >= 6)`);
      return (r as number[]).slice();
    });
    const length = groundtruth.length;
    warnings.push(...emptyRegions(seq, groundtruth));
    const names = Array.isArray(e.img_names) ? imageNames(e.img_names as unknown[], where) : [];
    if (names.length && names.length !== length) warnings.push(`${seq}: ${names.length} image names for ${length} ground-truth rows`);
    const frames = names.slice(0, length).map((n) => join(base, n));
    // A folder or FIFO where the first image should be would stall or fail the size probe.
    const hasImages = frames.length > 0 && existsSync(frames[0]) && !isNonRegular(frames[0]);
    const size = hasImages ? await imageSize(frames[0]) : undefined;
    const raw = {} as Record<(typeof VOT_TAGS)[number], Uint8Array>;
    for (const tag of VOT_TAGS) {
      const v = e[tag];
      if (v === undefined) {
        raw[tag] = new Uint8Array(length);
        continue;
      }
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new UserError(`${where}: '${tag}' is not an array of 0/1`);
      raw[tag] = fitTag(v as number[], length, `${seq}/${tag}`, warnings);
    }
    sequences.push({
      name: seq,
      length,
      groundtruth,
      frames,
      hasImages,
      width: size?.width,
      height: size?.height,
      tags: withEmpty(raw, length),
      metadata: {},
    });
  }
  if (sequences.length === 0) throw new UserError(`${file}: no sequences`);
  return { name, root: file, format: 'pysot-json', sequences, warnings };
}

/** Image names are file names: a number or null has no file behind it. */
function imageNames(v: unknown[], where: string): string[] {
  const bad = v.findIndex((x) => typeof x !== 'string');
  if (bad >= 0) throw new UserError(`${where}: img_names[${bad}] is not a file name: ${clip(JSON.stringify(v[bad]) ?? String(v[bad]))}`);
  return v as string[];
}

/**
 * pysot's OTB100.json has the same shape as its VOT2019.json; what tells them apart is that no OTB
 * entry carries a VOT tag, every one carries an `attr` list, and every region is a rectangle.
 */
function looksLikeOtb(data: Record<string, PysotEntry>): boolean {
  const entries = Object.values(data);
  return (
    entries.length > 0 &&
    entries.every(
      (e) =>
        !!e &&
        typeof e === 'object' &&
        Array.isArray(e.attr) &&
        VOT_TAGS.every((t) => e[t] === undefined) &&
        Array.isArray(e.gt_rect) &&
        e.gt_rect.every((r) => Array.isArray(r) && r.length === 4),
    )
  );
}
