import { UserError } from '../../../core/errors.ts';
import { type ToolkitBox, toolkitBox, type Xywh } from '../../../core/types.ts';
import { readTextFile } from '../../common/read-file.ts';
import { imageNumber } from './frames.ts';
import type { LoadedTargets } from './lasot.ts';
import type { OtbTarget } from './types.ts';

/** A record of pysot's UAV123.json, DTB70.json, LaSOT.json...: `{ <seq>: { video_dir, img_names, gt_rect, attr, [absent] } }`. */
interface Record_ {
  video_dir?: unknown;
  img_names?: unknown;
  gt_rect?: unknown;
  attr?: unknown;
  absent?: unknown;
}

/**
 * The targets of a pysot-format JSON description of a one-pass benchmark. Frames come from the image
 * names (`bird1/000775.jpg` is image 775 of folder bird1), so multi-part UAV123 targets keep their
 * ranges. pysot's LaSOT.json has an `absent` list whose 1 marks a VISIBLE frame (pysot-toolkit keeps
 * the frames where it is 1): it is inverted into absence flags, and said so in the warnings.
 * `wanted` names the benchmark's sequences, or null for every key.
 */
export async function loadPysotOnePass(file: string, wanted: readonly string[] | null): Promise<LoadedTargets> {
  let data: unknown;
  try {
    data = JSON.parse(await readTextFile(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new UserError(`${file}: expected pysot's {<seq>: {img_names, gt_rect}}`);
  const byLower = new Map(Object.entries(data as Record<string, Record_>).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
  const warnings: string[] = [];
  const alerts: string[] = [];
  const targets: OtbTarget[] = [];
  const missing: string[] = [];
  let visibleFlags = 0;
  for (const name of wanted ?? [...byLower.values()].map(([k]) => k)) {
    const hit = byLower.get(name.toLowerCase());
    if (!hit) {
      missing.push(name);
      continue;
    }
    const t = target(file, wanted ? name : hit[0], hit[1]);
    if (t.absent) visibleFlags++;
    targets.push(t);
  }
  if (targets.length === 0) throw new UserError(`${file}: holds none of the sequences of this benchmark`);
  if (missing.length > 0)
    alerts.push(
      `${missing.length} sequence(s) not in ${file}, left out: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`,
    );
  if (visibleFlags > 0) warnings.push(`${file}: 'absent' read as pysot-toolkit uses it, 1 = target visible (${visibleFlags} sequence(s))`);
  return { targets, warnings, alerts };
}

function target(file: string, name: string, r: Record_): OtbTarget {
  const where = `${file}: ${name}`;
  if (!Array.isArray(r.gt_rect) || !Array.isArray(r.img_names) || r.gt_rect.length !== r.img_names.length) {
    throw new UserError(`${where}: expected img_names and gt_rect of one length`);
  }
  const groundTruth: ToolkitBox[] = r.gt_rect.map((b, i) => {
    if (!Array.isArray(b) || b.length !== 4 || !b.every((v) => typeof v === 'number' || v === null)) {
      throw new UserError(`${where}: gt_rect row ${i + 1} is not [x, y, w, h]`);
    }
    return toolkitBox(b.map((v) => (v === null ? NaN : v)) as Xywh);
  });
  const frames = r.img_names.map((n, i) => {
    const f = typeof n === 'string' ? imageNumber(n.split('/').at(-1)!) : undefined;
    if (f === undefined) throw new UserError(`${where}: img_names entry ${i + 1} has no image number`);
    return f;
  });
  const dir = typeof r.video_dir === 'string' ? r.video_dir : name;
  const attributes = Array.isArray(r.attr) ? r.attr.filter((a): a is string => typeof a === 'string') : [];
  const t: OtbTarget = { name, sequence: dir, frames, groundTruth, initOmit: 0, attributes };
  if (Array.isArray(r.absent)) {
    if (r.absent.length !== frames.length) throw new UserError(`${where}: absent has ${r.absent.length} flags for ${frames.length} frames`);
    t.absent = Uint8Array.from(r.absent, (v) => (v === 1 ? 0 : 1));
  }
  return t;
}
