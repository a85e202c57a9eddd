import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { danglingLink, isDanglingLink } from '../../core/dir-entries.ts';
import { UserError } from '../../core/errors.ts';

/**
 * Reads a dataset or result file as text, after checking what it is: a FIFO would block the read
 * forever, and a directory or device ends in EISDIR or garbage. Anything but a regular file (after
 * following symbolic links) is a one-line UserError naming the path and what it is instead.
 */
export async function readTextFile(path: string): Promise<string> {
  checkRegular(path);
  return readFile(path, 'utf8');
}

/** readTextFile, synchronously (the result importer reads thousands of small files). */
export function readTextFileSync(path: string): string {
  checkRegular(path);
  return readFileSync(path, 'utf8');
}

/** Throws the UserError readTextFile would for `path`, or returns when it is a regular file. */
export function checkRegular(path: string): void {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (err) {
    if (isDanglingLink(path)) throw new UserError(danglingLink(path));
    throw new UserError(`${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (!s.isFile()) throw new UserError(`${path}: ${fileKind(s)}, not a regular file; not read`);
}

/** What a path that is not a regular file is, in words. */
export function fileKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return s.isFile() ? 'a regular file' : 'not a file';
}

/** True for a path that exists (links followed) and is not a regular file. */
export function isNonRegular(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}
