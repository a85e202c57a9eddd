import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { danglingLink, isDanglingLink } from '../../../core/dir-entries.ts';
import { UserError } from '../../../core/errors.ts';
import { datasetChoices, findDataset } from '../../registry/index.ts';
import { fileKind } from '../../common/read-file.ts';
import { builtinInitOmit, FRAME_RANGES } from './frames.ts';
import { loadJsonRoot } from './json.ts';
import { type LoadedTargets, loadLasot } from './lasot.ts';
import { loadOnePass, ONEPASS_DATASETS } from './onepass.ts';
import { isRawLayout, loadRawLayout } from './raw.ts';
import { attributeCode, OTB_SETS, TARGET_INFO } from './sets.ts';
import type { SourceTarget } from './source.ts';
import { loadToolkit, toolkitDirs } from './toolkit.ts';
import type { OtbDataset, OtbTarget } from './types.ts';

export type { OtbDataset, OtbTarget } from './types.ts';
export { nameKey, nameResolver, resolveOtbName } from './names.ts';
export { ATTRIBUTE_NAMES, ATTRIBUTES, OTB_SETS, TARGETS } from './sets.ts';

/** The canonical OTB-family name of a dataset name or alias (OTB2015 -> OTB100), if it is one. */
export function otbDatasetName(name: string): string | undefined {
  const d = findDataset(name);
  return d?.family === 'otb' ? d.name : undefined;
}

/**
 * Loads an OTB benchmark. The dataset name picks the targets (OTB2013: 51, OTB50: 50, OTB100: 100;
 * `synthetic`: every target the root holds, sorted); the root says where their annotations are, in
 * any form users have: a raw download folder, pysot's OTB100.json, DaSiamRPN's OTB2015.json, or the
 * OTB toolkit's anno folder. Only annotations are needed; images are listed when present.
 */
export async function loadOtb(dataset: string, root: string): Promise<OtbDataset> {
  const name = otbDatasetName(dataset);
  if (!name) throw new UserError(`unknown OTB dataset '${dataset}' (expected ${datasetChoices({ family: 'otb' })})`);
  const abs = resolve(root);
  if (!existsSync(abs)) throw new UserError(isDanglingLink(abs) ? danglingLink(root) : `${root}: no such file or directory`);
  const extra = EXTRA_LOADERS[name];
  if (extra) return { name, root: abs, ...withAlerts(await extra(name, abs, root)) };
  const wanted = name === 'synthetic' ? null : OTB_SETS[name];
  const warnings: string[] = [];
  const found = await loadSource(abs, root, wanted, warnings);

  const byName = new Map(found.map((t) => [t.name, t]));
  const targets: OtbTarget[] = [];
  const missing: string[] = [];
  const alerts: string[] = [];
  for (const n of wanted ?? found.map((t) => t.name)) {
    const src = byName.get(n);
    if (!src) missing.push(n);
    else if (src.groundTruth.length === 0) {
      // Kept, it would score no frame: left out of every average while summary.csv still counted it.
      alerts.push(`${n}: empty ground truth (no rows); left out of the dataset, every tracker is scored without it`);
    } else targets.push(finish(src, wanted !== null, warnings, alerts));
  }
  if (targets.length === 0) {
    throw new UserError(`${root}: holds none of the ${wanted ? `${wanted.length} ${name} targets` : 'sequences'} (no ground truth found)`);
  }
  if (missing.length > 0) {
    warnings.push(`${missing.length} of ${wanted!.length} ${name} target(s) not in ${root}, left out: ${missing.join(', ')}`);
  }
  warnings.push(...alerts);
  return { name, root: abs, targets, warnings, alerts, scope: { total: wanted ? wanted.length : found.length } };
}

/** Benchmarks of the OTB family with their own layouts (LaSOT, UAV, DTB70, TC128): a loader each. */
const EXTRA_LOADERS: Record<string, (name: string, abs: string, given: string) => Promise<LoadedTargets>> = {
  LaSOT: loadLasot,
  'LaSOT-ext': loadLasot,
  ...Object.fromEntries(ONEPASS_DATASETS.map((n) => [n, loadOnePass])),
};

function withAlerts(l: LoadedTargets): { targets: OtbTarget[]; warnings: string[]; alerts: string[] } {
  for (const t of l.targets) invalidRows(t, l.warnings, l.alerts);
  return { targets: l.targets, warnings: [...l.warnings, ...l.alerts], alerts: l.alerts };
}

async function loadSource(abs: string, given: string, wanted: readonly string[] | null, warnings: string[]): Promise<SourceTarget[]> {
  const st = statSync(abs);
  // A FIFO or device as the root: reading would block or fail with ENOTDIR.
  if (!st.isFile() && !st.isDirectory()) throw new UserError(`${given}: ${fileKind(st)}, not an OTB root (a folder or a JSON file)`);
  if (st.isFile()) {
    if (/\.json$/i.test(abs)) return loadJsonRoot(abs, wanted, warnings);
  } else {
    const tk = toolkitDirs(abs);
    if (tk) return loadToolkit(tk, wanted, warnings);
    if (await isRawLayout(abs)) return loadRawLayout(abs, wanted, warnings);
  }
  throw new UserError(
    `${given}: not an OTB root (expected a folder of <Seq>/groundtruth_rect.txt, a toolkit folder with anno/, or a pysot/DaSiamRPN JSON file)`,
  );
}

/** Fills what the root did not record from the built-in definition, and checks the frame range. */
function finish(src: SourceTarget, builtin: boolean, warnings: string[], alerts: string[]): OtbTarget {
  invalidRows(src, warnings, alerts);
  hugeRows(src, warnings);
  const info = builtin ? TARGET_INFO.get(src.name) : undefined;
  const range = builtin ? FRAME_RANGES[src.name] : undefined;
  const n = src.frames.length;
  if (range && n > 0 && (src.frames[0] !== range.start || src.frames[n - 1] !== range.end)) {
    warnings.push(
      `${src.name}: annotated images ${src.frames[0]}-${src.frames[n - 1]}, the benchmark evaluates ${range.start}-${range.end}`,
    );
  }
  const attributes = (src.attributes ?? info?.attributes ?? []).map((a) => {
    const code = attributeCode(a);
    if (!code) warnings.push(`${src.name}: attribute '${a}' is none of the 11 OTB attributes; kept as it is`);
    return code ?? a;
  });
  const target: OtbTarget = {
    name: src.name,
    sequence: src.sequence,
    frames: src.frames,
    groundTruth: src.groundTruth,
    initOmit: src.initOmit ?? (builtin ? builtinInitOmit(src.name, src.frames) : 0),
    attributes,
  };
  if (src.images) target.images = src.images;
  return target;
}

/** Larger than any image: a ground-truth value beyond it is a broken row, not a box (x + w of 1e308 overflows). */
const HUGE_PX = 100_000;

function hugeRows(src: SourceTarget, warnings: string[]): void {
  const bad = src.groundTruth.flatMap((r, i) => (r.some((v) => Math.abs(v) > HUGE_PX) ? [i] : []));
  if (bad.length === 0) return;
  warnings.push(
    `${src.name}: ${bad.length} ground-truth row(s) with a value beyond ${HUGE_PX} px (first: image ${src.frames[bad[0]]}, ` +
      `${src.groundTruth[bad[0]].join(',')}): no box in any image; scored as written`,
  );
}

/** Beyond this share of invalid rows a target's scores say more about its annotation than about a tracker. */
const INVALID_ALERT = 0.1;

/**
 * Ground-truth rows with x, y, w or h <= 0 (or NaN): the otb and pysot rules mask them (IoU -1, centre
 * error -1, i.e. every distance threshold passed), so a target of all-zero rows scores precision 1.
 * The toolkits' rule stands; the rows are named, and loudly when they are more than a few.
 */
function invalidRows(src: SourceTarget & { absent?: Uint8Array }, warnings: string[], alerts: string[]): void {
  let bad = 0;
  let first = -1;
  for (const [i, [x, y, w, h]] of src.groundTruth.entries()) {
    // LaSOT's absent frames carry 0,0,0,0 by design; their conventions say what they count as.
    if (src.absent?.[i] === 1) continue;
    if (x > 0 && y > 0 && w > 0 && h > 0) continue;
    bad++;
    if (first < 0) first = i;
  }
  if (bad === 0) return;
  const n = src.groundTruth.length;
  const text =
    `${src.name}: ${bad} of ${n} ground-truth row(s) with x, y, w or h <= 0 or NaN (first: image ${src.frames[first]}, ` +
    `${src.groundTruth[first].join(',')}): otb and pysot count them as distance successes and overlap failures, got10k scores them as they are`;
  if (bad > INVALID_ALERT * n) alerts.push(text);
  else warnings.push(text);
}
