import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fg from 'fast-glob';
import { UserError } from '../../../core/errors.ts';
import { readTextFile } from '../../common/read-file.ts';
import type { LoadedTargets } from './lasot.ts';
import {
  DTB70_ATTRIBUTES,
  type RangedTarget,
  TC128_STARTS,
  UAV_ATTRIBUTES,
  UAV123_10FPS_TARGETS,
  UAV123_TARGETS,
  UAV20L_NAMES,
  UAVDT_ATTRIBUTES,
} from './onepass-sets.ts';
import { parseBoxText } from './parse.ts';
import { loadPysotOnePass } from './pysot-onepass.ts';
import { TOOLKIT_ATT_ORDER } from './sets.ts';
import type { OtbTarget } from './types.ts';

/** What differs between the OTB-style one-pass benchmarks: where their files are, their sequences, their flags. */
interface OnePassSpec {
  /** Sub-folders of the official download's `anno/` (UAV123's `anno/UAV123/`, `anno/UAV20L/`). */
  sub: string[];
  /** The benchmark's own sequences with their image ranges; otherwise every annotation the root holds. */
  targets?: RangedTarget[];
  names?: string[];
  attributes: readonly string[];
  /** Expected number of sequences, when the root decides them. */
  count?: number;
  /** Image number of the first annotated frame where it is not 1 (TC128). */
  starts?: Record<string, number>;
}

const SPECS: Record<string, OnePassSpec> = {
  UAV123: { sub: ['UAV123'], targets: UAV123_TARGETS, attributes: UAV_ATTRIBUTES },
  'UAV123-10fps': { sub: ['UAV123_10fps', 'UAV123'], targets: UAV123_10FPS_TARGETS, attributes: UAV_ATTRIBUTES },
  UAV20L: { sub: ['UAV20L'], names: UAV20L_NAMES, attributes: UAV_ATTRIBUTES },
  UAVDT: { sub: [], attributes: UAVDT_ATTRIBUTES, count: 50 },
  DTB70: { sub: [], attributes: DTB70_ATTRIBUTES, count: 70 },
  TC128: { sub: [], attributes: TOOLKIT_ATT_ORDER, count: 129, starts: TC128_STARTS },
};

export const ONEPASS_DATASETS = Object.keys(SPECS);

interface Found {
  name: string;
  gt: string;
  att: string[];
  /** TC128's official `<Seq>_frames.txt` (`start,end`). */
  frames?: string;
}

/**
 * UAV123, UAV123@10fps, UAV20L, UAVDT, DTB70 and TC128 in the layouts users have: the toolkits'
 * `anno/<seq>.txt` with `anno/att/` (UAVDT: `S0101_gt.txt`, `att/S0101_att.txt`), the UAV123
 * download's `anno/UAV123/<seq>.txt`, one folder per sequence (`<Seq>/groundtruth_rect.txt`, TC128's
 * `<Seq>/<Seq>_gt.txt` with `_frames.txt` and `_att.txt`). Names match whatever their case (TC128
 * spells Subway `subway` in one place); separators count, since UAV123 has both car1_1 and car11.
 * A JSON file as the root is pysot's description of the benchmark (UAV123.json, DTB70.json, ...).
 */
export async function loadOnePass(name: string, abs: string, given: string): Promise<LoadedTargets> {
  const spec = SPECS[name];
  if (/\.json$/i.test(abs) && statSync(abs).isFile()) {
    return loadPysotOnePass(abs, spec.targets?.map((t) => t.name) ?? spec.names ?? null);
  }
  const warnings: string[] = [];
  const alerts: string[] = [];
  const found = await findAnnotations(abs, given, spec);
  const ranged =
    spec.targets ?? (spec.names ?? [...found.values()].map((f) => f.name)).map((n) => ({ name: n, folder: n, start: 0, end: 0 }));
  const targets: OtbTarget[] = [];
  const missing: string[] = [];
  for (const r of ranged) {
    const f = found.get(r.name.toLowerCase());
    if (!f) missing.push(r.name);
    else targets.push(await readTarget(spec.targets || spec.names ? r : { ...r, name: f.name }, f, spec, warnings));
  }
  if (targets.length === 0) throw new UserError(`${given}: holds none of the ${name} sequences (no ground truth found)`);
  if (missing.length > 0)
    alerts.push(`${missing.length} of ${ranged.length} ${name} sequence(s) not in ${given}, left out: ${missing.join(', ')}`);
  if (spec.count !== undefined && targets.length !== spec.count)
    warnings.push(`${given}: ${targets.length} sequences; ${name} has ${spec.count}`);
  return { targets, warnings, alerts };
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

async function findAnnotations(abs: string, given: string, spec: OnePassSpec): Promise<Map<string, Found>> {
  const dirs = [...spec.sub.flatMap((s) => [join(abs, 'anno', s), join(abs, s)]), join(abs, 'anno'), abs].filter(isDir);
  for (const dir of dirs) {
    const files = (await fg('*.txt', { cwd: dir, onlyFiles: true })).filter((f) => !/_(att|frames)\.txt$/i.test(f));
    if (files.length === 0) continue;
    const out = new Map<string, Found>();
    for (const f of files.sort()) {
      const name = f.slice(0, -4).replace(/_gt$/i, '');
      // A sibling set's att/ serves when this one has none (UAV123@10fps uses UAV123's flags).
      const att = [dir, ...spec.sub.map((s) => join(dirname(dir), s))].flatMap((d) => [
        join(d, 'att', f),
        join(d, 'att', `${name}_att.txt`),
      ]);
      add(out, { name, gt: join(dir, f), att }, dir);
    }
    return out;
  }
  const out = new Map<string, Found>();
  for (const f of await fg(['*/groundtruth_rect.txt', '*/*_gt.txt'], { cwd: abs, onlyFiles: true })) {
    const dir = join(abs, dirname(f));
    const name = basename(dir);
    if (basename(f) !== 'groundtruth_rect.txt' && basename(f).toLowerCase() !== `${name.toLowerCase()}_gt.txt`) continue;
    add(out, { name, gt: join(abs, f), att: [join(dir, `${name}_att.txt`)], frames: join(dir, `${name}_frames.txt`) }, abs);
  }
  if (out.size === 0) {
    throw new UserError(
      `${given}: no annotations found (expected anno/<seq>.txt of the toolkit, ${spec.sub.map((s) => `anno/${s}/`).join(', ') || '<seq>/groundtruth_rect.txt'})`,
    );
  }
  return out;
}

function add(out: Map<string, Found>, f: Found, dir: string): void {
  const key = f.name.toLowerCase();
  if (out.has(key)) throw new UserError(`${dir}: ${out.get(key)!.name} and ${f.name} both name one sequence; keep one`);
  out.set(key, f);
}

async function readTarget(r: RangedTarget, f: Found, spec: OnePassSpec, warnings: string[]): Promise<OtbTarget> {
  const groundTruth = parseBoxText(await readTextFile(f.gt), f.gt);
  const n = groundTruth.length;
  let start = r.start > 0 ? r.start : (spec.starts?.[r.name.toLowerCase()] ?? 1);
  if (f.frames && existsSync(f.frames)) start = (await officialStart(f.frames, n, warnings)) ?? start;
  if (r.end > 0 && r.end - r.start + 1 !== n) {
    warnings.push(
      `${f.gt}: ${n} rows, the benchmark's range ${r.start}-${r.end} has ${r.end - r.start + 1}; rows taken from image ${r.start}`,
    );
  }
  const frames = Array.from({ length: n }, (_, i) => start + i);
  const attributes = await readAttributes(f.att, spec.attributes, warnings);
  return { name: r.name, sequence: r.folder, frames, groundTruth, initOmit: 0, attributes };
}

/** TC128's `<Seq>_frames.txt`: `start,end`, which must span the annotation's rows. */
async function officialStart(file: string, n: number, warnings: string[]): Promise<number | undefined> {
  const v = (await readTextFile(file))
    .trim()
    .split(/[\s,;]+/)
    .map(Number);
  if (v.length === 2 && v.every(Number.isInteger) && v[1] - v[0] + 1 === n) return v[0];
  warnings.push(`${file}: expected 'start,end' spanning the ${n} annotated frames; ignored`);
  return undefined;
}

/**
 * The first attribute file that exists: 0/1 flags in the toolkit's order, or (TC128's official release)
 * attribute codes one per line. Anything else is named, and the sequence has no attributes.
 */
async function readAttributes(files: string[], order: readonly string[], warnings: string[]): Promise<string[]> {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const tokens = (await readTextFile(file))
      .trim()
      .split(/[\s,;]+/)
      .filter(Boolean);
    if (tokens.length === order.length && tokens.every((t) => t === '0' || t === '1')) return order.filter((_, i) => tokens[i] === '1');
    if (tokens.length > 0 && tokens.every((t) => order.includes(t.toUpperCase()))) return tokens.map((t) => t.toUpperCase());
    warnings.push(
      `${file}: not ${order.length} attribute flags (${order.join(', ')}) nor attribute codes; this sequence has no attributes`,
    );
    return [];
  }
  return [];
}
