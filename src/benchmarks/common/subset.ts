import { existsSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { readTextFileSync } from './read-file.ts';

/** `--sequences`: the sequences a user chose, and where each name came from (for errors). */
export interface SequenceSelection {
  names: string[];
  /** Where each name was given: `'Basketball'` or `hard.txt:3`. */
  where: string[];
  /** The subset's name: the file's name without extension; none for a list on the command line. */
  name?: string;
}

/**
 * `--sequences a,b,c` or `--sequences <file>` (one name a line; `#` starts a comment; commas also
 * split). A value naming an existing file is read as one; anything else is a list.
 */
export function parseSequences(raw: string, option = '--sequences'): SequenceSelection {
  const path = resolve(raw);
  const isFile = raw.trim() !== '' && existsSync(path) && statSync(path).isFile();
  const names: string[] = [];
  const where: string[] = [];
  const lines = isFile ? readTextFileSync(path).split(/\r?\n/) : [raw];
  for (const [i, line] of lines.entries()) {
    for (const n of line.replace(/#.*/, '').split(',')) {
      const name = n.replace(/^\uFEFF/, '').trim();
      if (name === '') continue;
      names.push(name);
      where.push(isFile ? `${raw}:${i + 1}` : `'${name}'`);
    }
  }
  if (names.length === 0)
    throw new UserError(`${option}: ${isFile ? `${raw} names no sequence` : 'expected sequence names or a file of them'}`);
  return { names, where, ...(isFile ? { name: basename(raw, extname(raw)) } : {}) };
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The items the selection names, in the dataset's order. A name matches exactly, else by its key
 * (case and separators ignored: jogging_1 = Jogging-1) when that is unambiguous. A name that is not
 * among the loaded sequences, or one given twice, is a one-line error naming where it was given.
 */
export function pickSequences<T>(items: readonly T[], nameOf: (t: T) => string, sel: SequenceSelection, dataset: string): T[] {
  const names = items.map(nameOf);
  const picked = new Set<number>();
  for (const [i, wanted] of sel.names.entries()) {
    let at = names.indexOf(wanted);
    if (at < 0) {
      const same = names.flatMap((n, j) => (key(n) === key(wanted) ? [j] : []));
      if (same.length === 1) at = same[0];
    }
    const where = sel.where[i].startsWith("'") ? sel.where[i] : `'${wanted}' (${sel.where[i]})`;
    if (at < 0) {
      const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, ...` : names.join(', ');
      throw new UserError(`--sequences: ${where} is not among the ${names.length} sequences of ${dataset} loaded (${shown})`);
    }
    if (picked.has(at)) throw new UserError(`--sequences: ${where} names ${names[at]} a second time`);
    picked.add(at);
  }
  return items.filter((_, j) => picked.has(j));
}
