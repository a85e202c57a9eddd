import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, atLine } from '../../core/errors.ts';
import { type ImageBox, imageBox } from '../../core/types.ts';

/**
 * One sequence of a GOT-10k style training split: `<split>/list.txt` names the sequences,
 * `<split>/<seq>/00000001.jpg ...` are the frames, `groundtruth.txt` holds one x,y,w,h box per frame
 * (0-based continuous image coordinates, as the got10k toolkit uses them), `absence.label` a 0/1
 * flag and `cover.label` the visible fraction 0..8 per frame. The label files are optional (the
 * validation and test splits of GOT-10k ship only the first box).
 */
export interface Got10kSequence {
  name: string;
  dir: string;
  frames: string[];
  boxes: ImageBox[];
  absent: Uint8Array;
  /** Visible fraction in eighths (0..8); 8 everywhere when cover.label is missing. */
  cover: Uint8Array;
}

function lines(text: string): string[] {
  const out = text.split(/\r?\n/);
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out;
}

function parseBoxes(file: string, text: string): ImageBox[] {
  return lines(text).map((line, i) => {
    const parts = line.trim().split(/[\s,]+/);
    const v = parts.map(Number);
    if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) {
      throw atLine(file, i + 1, `expected 4 numbers x,y,w,h, got '${line.trim()}'`);
    }
    return imageBox([v[0], v[1], v[2], v[3]]);
  });
}

function parseFlags(file: string, text: string, n: number, max: number): Uint8Array {
  const ls = lines(text);
  if (ls.length !== n) throw atLine(file, Math.min(ls.length, n) + 1, `${ls.length} lines, but groundtruth.txt has ${n} boxes`);
  return Uint8Array.from(ls, (line, i) => {
    const v = Number(line.trim());
    if (!Number.isInteger(v) || v < 0 || v > max) throw atLine(file, i + 1, `expected an integer 0..${max}, got '${line.trim()}'`);
    return v;
  });
}

/** Frame file name of 0-based frame `i`: 00000001.jpg for the first. */
export function frameName(i: number): string {
  return `${String(i + 1).padStart(8, '0')}.jpg`;
}

async function readSequence(dir: string, name: string): Promise<Got10kSequence> {
  const gtFile = join(dir, 'groundtruth.txt');
  if (!existsSync(gtFile)) throw new UserError(`${gtFile}: missing (every GOT-10k training sequence has one)`);
  const boxes = parseBoxes(gtFile, await readFile(gtFile, 'utf8'));
  if (boxes.length === 0) throw new UserError(`${gtFile}: no boxes`);
  const n = boxes.length;
  const absFile = join(dir, 'absence.label');
  const covFile = join(dir, 'cover.label');
  const absent = existsSync(absFile) ? parseFlags(absFile, await readFile(absFile, 'utf8'), n, 1) : new Uint8Array(n);
  const cover = existsSync(covFile) ? parseFlags(covFile, await readFile(covFile, 'utf8'), n, 8) : new Uint8Array(n).fill(8);
  const frames = boxes.map((_, i) => join(dir, frameName(i)));
  if (!existsSync(frames[0])) throw new UserError(`${frames[0]}: missing (frames are named 00000001.jpg, 00000002.jpg, ...)`);
  return { name, dir, frames, boxes, absent, cover };
}

/** Reads `<splitDir>/list.txt` and every sequence it names. */
export async function readGot10kSplit(splitDir: string): Promise<Got10kSequence[]> {
  const listFile = join(splitDir, 'list.txt');
  if (!existsSync(listFile)) {
    throw new UserError(`${listFile}: missing; expected a GOT-10k layout (list.txt, <seq>/groundtruth.txt, <seq>/00000001.jpg)`);
  }
  const names = lines(await readFile(listFile, 'utf8')).map((l) => l.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw atLine(listFile, i + 1, 'empty sequence name');
    if (seen.has(name)) throw atLine(listFile, i + 1, `sequence '${name}' listed twice (first on line ${seen.get(name)})`);
    if (!existsSync(join(splitDir, name))) throw atLine(listFile, i + 1, `sequence directory '${join(splitDir, name)}' does not exist`);
    seen.set(name, i + 1);
  });
  if (names.length === 0) throw new UserError(`${listFile}: lists no sequences`);
  return Promise.all(names.map((name) => readSequence(join(splitDir, name), name)));
}
