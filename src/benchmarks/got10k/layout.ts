import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDanglingLink } from '../../core/dir-entries.ts';
import { UserError, atLine } from '../../core/errors.ts';
import { checkRegular, fileKind } from '../../core/regular-file.ts';
import { type ImageBox, imageBox } from '../../core/types.ts';
import { clip, toNumber } from '../common/numbers.ts';
import { readTextFile } from '../common/read-file.ts';

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

/**
 * Decimal tokens only (toNumber): Number() would read '0x2' as 2 and an empty token (',1,2,3') as 0,
 * a changed box with no word. Quoted lines are clipped: a 1 MB line made a 1 MB message.
 */
function parseBoxes(file: string, text: string): ImageBox[] {
  return lines(text).map((line, i) => {
    const v = line
      .trim()
      .split(/[\s,]+/)
      .map(toNumber);
    if (v.length !== 4 || v.some((x) => x === undefined || !Number.isFinite(x))) {
      throw atLine(file, i + 1, `expected 4 numbers x,y,w,h, got '${clip(line.trim())}'`);
    }
    return imageBox(v as [number, number, number, number]);
  });
}

function parseFlags(file: string, text: string, n: number, max: number): Uint8Array {
  const ls = lines(text);
  if (ls.length !== n) throw atLine(file, Math.min(ls.length, n) + 1, `${ls.length} lines, but groundtruth.txt has ${n} boxes`);
  return Uint8Array.from(ls, (line, i) => {
    const v = toNumber(line.trim());
    if (v === undefined || !Number.isInteger(v) || v < 0 || v > max) {
      throw atLine(file, i + 1, `expected an integer 0..${max}, got '${clip(line.trim())}'`);
    }
    return v;
  });
}

/** Frame file name of 0-based frame `i`: 00000001.jpg for the first. */
export function frameName(i: number): string {
  return `${String(i + 1).padStart(8, '0')}.jpg`;
}

/** True when `path` is there to read (a dangling link is there too: readTextFile names it as one). */
const present = (path: string) => existsSync(path) || isDanglingLink(path);

/**
 * readTextFile checks each file before reading it: a folder named groundtruth.txt ended in an EISDIR
 * stack trace, and a FIFO hung `npm run train` for good.
 */
async function readSequence(dir: string, name: string): Promise<Got10kSequence> {
  const gtFile = join(dir, 'groundtruth.txt');
  if (!present(gtFile)) throw new UserError(`${gtFile}: missing (every GOT-10k training sequence has one)`);
  const boxes = parseBoxes(gtFile, await readTextFile(gtFile));
  if (boxes.length === 0) throw new UserError(`${gtFile}: no boxes`);
  const n = boxes.length;
  const absFile = join(dir, 'absence.label');
  const covFile = join(dir, 'cover.label');
  const absent = present(absFile) ? parseFlags(absFile, await readTextFile(absFile), n, 1) : new Uint8Array(n);
  const cover = present(covFile) ? parseFlags(covFile, await readTextFile(covFile), n, 8) : new Uint8Array(n).fill(8);
  const frames = boxes.map((_, i) => join(dir, frameName(i)));
  if (!present(frames[0])) throw new UserError(`${frames[0]}: missing (frames are named 00000001.jpg, 00000002.jpg, ...)`);
  checkRegular(frames[0]);
  return { name, dir, frames, boxes, absent, cover };
}

/** Why `path` is no sequence folder ('does not exist', 'is a FIFO (named pipe)', ...), or undefined. */
function notADirectory(path: string): string | undefined {
  if (isDanglingLink(path)) return 'is a dangling symbolic link';
  if (!existsSync(path)) return 'does not exist';
  const s = statSync(path);
  return s.isDirectory() ? undefined : `is ${fileKind(s)}, not a folder`;
}

/** Reads `<splitDir>/list.txt` and every sequence it names. */
export async function readGot10kSplit(splitDir: string): Promise<Got10kSequence[]> {
  const listFile = join(splitDir, 'list.txt');
  if (!present(listFile)) {
    throw new UserError(`${listFile}: missing; expected a GOT-10k layout (list.txt, <seq>/groundtruth.txt, <seq>/00000001.jpg)`);
  }
  const names = lines(await readTextFile(listFile)).map((l) => l.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') throw atLine(listFile, i + 1, 'empty sequence name');
    if (seen.has(name)) throw atLine(listFile, i + 1, `sequence '${clip(name)}' listed twice (first on line ${seen.get(name)})`);
    const problem = notADirectory(join(splitDir, name));
    // The full path as a rule; a name too long to quote (a 1 MB line) only clipped.
    const shown = name.length > 200 ? clip(name) : join(splitDir, name);
    if (problem) throw atLine(listFile, i + 1, `sequence directory '${shown}' ${problem}`);
    seen.set(name, i + 1);
  });
  if (names.length === 0) throw new UserError(`${listFile}: lists no sequences`);
  return Promise.all(names.map((name) => readSequence(join(splitDir, name), name)));
}
