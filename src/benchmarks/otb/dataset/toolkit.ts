import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { danglingLink, listDir } from '../../../core/dir-entries.ts';
import { atLine, UserError } from '../../../core/errors.ts';
import { clip } from '../../common/numbers.ts';
import { readTextFile } from '../../common/read-file.ts';
import { frameRows, initOmitFromRanges } from './frames.ts';
import { nameKey, resolveOtbName } from './names.ts';
import { parseBoxText } from './parse.ts';
import { TARGET_INFO, TOOLKIT_ATT_ORDER } from './sets.ts';
import type { SourceTarget } from './source.ts';

/**
 * The OTB MATLAB toolkit's annotation folder: `anno/<seq>.txt` (toolkit spellings: basketball.txt,
 * Human4.2.txt, jogging-1.txt), `anno/att/<seq>.txt` (11 flags in the toolkit's order) and
 * `initOmit/<seq>.txt` (image ranges a run never starts in). The root may be the folder holding
 * `anno/` or `anno/` itself.
 */
export function toolkitDirs(root: string): { anno: string; initOmit?: string } | undefined {
  const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
  let anno: string | undefined;
  if (isDir(join(root, 'anno'))) anno = join(root, 'anno');
  else if (isDir(join(root, 'att')) || basename(root).toLowerCase() === 'anno') anno = root;
  if (!anno) return undefined;
  const initOmit = [join(dirname(anno), 'initOmit'), join(anno, 'initOmit')].find(isDir);
  return initOmit ? { anno, initOmit } : { anno };
}

export async function loadToolkit(
  dirs: { anno: string; initOmit?: string },
  wanted: readonly string[] | null,
  warnings: string[],
): Promise<SourceTarget[]> {
  const annoFiles = await txtFiles(dirs.anno, warnings);
  const attFiles = await txtFiles(join(dirs.anno, 'att'), warnings);
  const omitFiles = dirs.initOmit ? await txtFiles(dirs.initOmit, warnings) : new Map<string, string>();
  const out: SourceTarget[] = [];
  const names = wanted ?? [...annoFiles.values()].map((f) => resolveOtbName(stem(f)) ?? stem(f)).sort();
  for (const name of names) {
    // got10k's Human4 and the toolkit's Human4.2 are the same target: try the alias spelling too.
    const keys = [nameKey(name), ...(name === 'Human4-2' ? ['human4'] : [])];
    const key = keys.find((k) => annoFiles.has(k));
    if (!key) continue;
    const file = join(dirs.anno, annoFiles.get(key)!);
    const rows = parseBoxText(await readTextFile(file), file);
    const framed = frameRows(name, rows, file, warnings);
    const target: SourceTarget = { name, sequence: TARGET_INFO.get(name)?.sequence ?? name, ...framed };
    if (attFiles.has(key)) target.attributes = await readAtt(join(dirs.anno, 'att', attFiles.get(key)!));
    if (omitFiles.has(key)) {
      target.initOmit = initOmitFromRanges(await readRanges(join(dirs.initOmit!, omitFiles.get(key)!)), framed.frames);
    }
    out.push(target);
  }
  return out;
}

function stem(file: string): string {
  return file.replace(/\.txt$/i, '');
}

/** The .txt files of a folder by name key; symbolic links count as their targets, dangling ones are reported. */
async function txtFiles(dir: string, warnings: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  if (!existsSync(dir)) return map;
  for (const e of await listDir(dir)) {
    if (!/\.txt$/i.test(e.name)) continue;
    if (e.kind === 'dangling') warnings.push(`${danglingLink(e.path)}; ignored`);
    if (e.kind === 'other' || e.kind === 'dir') warnings.push(`${e.path}: not a regular file; ignored`);
    if (e.kind !== 'file') continue;
    const key = nameKey(stem(e.name));
    // couple.txt beside Couple.txt: which one is the ground truth is not for the loader to guess.
    if (map.has(key)) throw new UserError(`${dir}: ${map.get(key)} and ${e.name} both name one target; keep one`);
    map.set(key, e.name);
  }
  return map;
}

/** `1,1,0,...` (11 flags, toolkit order IV, OPR, SV, OCC, ...) -> attribute codes. */
async function readAtt(file: string): Promise<string[]> {
  const flags = (await readTextFile(file)).trim().split(/[\s,;]+/);
  if (flags.length !== TOOLKIT_ATT_ORDER.length || flags.some((f) => f !== '0' && f !== '1')) {
    throw atLine(file, 1, `expected ${TOOLKIT_ATT_ORDER.length} flags 0/1 in the order ${TOOLKIT_ATT_ORDER.join(', ')}`);
  }
  return TOOLKIT_ATT_ORDER.filter((_, i) => flags[i] === '1');
}

/** initOmit lines `first last` (image numbers; spaces or tabs, stray trailing blanks). */
async function readRanges(file: string): Promise<[number, number][]> {
  const ranges: [number, number][] = [];
  const lines = (await readTextFile(file)).split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const v = line
      .trim()
      .split(/[\s,;]+/)
      .map(Number);
    if (v.length !== 2 || v.some((x) => !Number.isInteger(x)))
      throw atLine(file, i + 1, `expected 'first last' image numbers, got '${clip(line.trim())}'`);
    ranges.push([v[0], v[1]]);
  }
  return ranges;
}
