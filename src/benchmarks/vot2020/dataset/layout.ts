import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { missingPath } from '../../../core/dir-entries.ts';
import { atLine, UserError } from '../../../core/errors.ts';
import { imageSize } from '../../../images/decode.ts';
import { clip } from '../../common/numbers.ts';
import { isNonRegular, readTextFile } from '../../common/read-file.ts';
import { lines, metadataInt, parseMetadata, parseRegions, parseTag, parseValues } from './files.ts';
import type { Vot2020Dataset, Vot2020Sequence } from './types.ts';

/**
 * The VOT2020+ layout as the VOT toolkit (v0.8) reads it: `list.txt` names the sequences, each a
 * folder with a `sequence` file of key=value lines (`channels.color=color/%08d.jpg`, `width`,
 * `height`, `length`, `fps`), `groundtruth.txt` (masks or boxes), `*.tag` / `*.label` flags and
 * `*.value` numbers, the multistart anchors among them (`anchor.value`).
 */
export async function loadVot2020(name: string, root: string): Promise<Vot2020Dataset> {
  const abs = resolve(root);
  if (!existsSync(abs)) throw new UserError(`--root: ${missingPath(root, abs)}`);
  const list = join(abs, 'list.txt');
  if (!existsSync(list)) throw new UserError(`--root: ${root} is not a VOT2020+ folder (no list.txt)`);
  const names = lines(await readTextFile(list), list, 'the sequence list').map((l) => l.trim());
  if (names.length === 0) throw new UserError(`${list}: no sequence names`);
  const warnings: string[] = [];
  const sequences: Vot2020Sequence[] = [];
  for (const [i, seq] of names.entries()) sequences.push(await loadSequence(abs, seq, i + 1, list, warnings));
  return { name, root: abs, sequences, warnings };
}

const CHANNELS = ['color', 'depth', 'ir'] as const;

async function loadSequence(root: string, name: string, line: number, list: string, warnings: string[]): Promise<Vot2020Sequence> {
  const dir = join(root, name);
  const metaFile = join(dir, 'sequence');
  if (!existsSync(metaFile)) throw atLine(list, line, `sequence '${clip(name)}' has no ${metaFile}`);
  const metadata = parseMetadata(await readTextFile(metaFile), metaFile);
  const channel = CHANNELS.find((c) => metadata[`channels.${c}`] !== undefined);
  const pattern = channel ? metadata[`channels.${channel}`] : 'color/%08d.jpg';
  const frameAt = framePattern(pattern, dir, metaFile);
  // As the toolkit: with length= the images are not looked at; without it they are counted.
  let length = metadataInt(metadata, 'length', metaFile);
  if (length === undefined) {
    length = 0;
    while (existsSync(frameAt(length))) length++;
    if (length === 0) throw new UserError(`${metaFile}: no length= and no image ${frameAt(0)}`);
  }
  const frames = Array.from({ length }, (_, i) => frameAt(i));
  let width = metadataInt(metadata, 'width', metaFile);
  let height = metadataInt(metadata, 'height', metaFile);
  if (width === undefined || height === undefined) {
    if (!existsSync(frames[0]) || isNonRegular(frames[0]))
      throw new UserError(`${metaFile}: no width= and height=, and no image ${frames[0]} to measure`);
    ({ width, height } = await imageSize(frames[0]));
  }
  const fps = metadataInt(metadata, 'fps', metaFile) ?? 30;
  const gtFile = join(dir, 'groundtruth.txt');
  if (!existsSync(gtFile)) {
    const perObject = readdirSync(dir).filter((f) => /^groundtruth_.+\.txt$/.test(f) && !f.startsWith('groundtruth__'));
    const what = perObject.length ? `${perObject.length} per-object files (multi-object sequences are not supported)` : 'none';
    throw atLine(list, line, `sequence '${clip(name)}' has no groundtruth.txt (${what})`);
  }
  const groundtruth = parseRegions(await readTextFile(gtFile), gtFile, length);
  const ignoreFile = join(dir, 'groundtruth__ignore.txt');
  const ignore = existsSync(ignoreFile) ? parseRegions(await readTextFile(ignoreFile), ignoreFile, length) : undefined;
  const { tags, values } = await perFrame(dir, length);
  if (!values.anchor) warnings.push(`${name}: no anchor.value (the multistart experiment cannot run on it)`);
  return { name, dir, length, width, height, fps, frames, groundtruth, ignore, tags, values, metadata };
}

/** `%08d` style patterns, numbered from 1. */
function framePattern(pattern: string, dir: string, metaFile: string): (i: number) => string {
  const m = /%0?(\d*)d/.exec(pattern);
  if (!m) return () => join(dir, pattern);
  const pad = Number(m[1] || 0);
  if (pad > 32) throw new UserError(`${metaFile}: the image pattern pads numbers to ${pad} digits`);
  return (i) => join(dir, pattern.replace(m[0], String(i + 1).padStart(pad, '0')));
}

async function perFrame(dir: string, length: number) {
  const tags: Record<string, Uint8Array> = {};
  const values: Record<string, Float64Array> = {};
  for (const f of readdirSync(dir).sort()) {
    const file = join(dir, f);
    const m = /^(.+)\.(tag|label|value)$/.exec(f);
    if (!m || !statSync(file).isFile()) continue;
    const text = await readTextFile(file);
    if (m[2] === 'value') values[m[1]] = parseValues(text, file, length);
    else tags[m[1]] = parseTag(text, length);
  }
  return { tags, values };
}
