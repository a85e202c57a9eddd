import { statSync, type Stats } from 'node:fs';
import { danglingLink, isDanglingLink } from './dir-entries.ts';
import { UserError } from './errors.ts';

/**
 * Whether a path is a regular file, before anything reads it: a FIFO would block the read forever
 * (on libuv's thread pool for sharp, where no timer can end it), and a directory or device ends in
 * EISDIR or garbage. In core so that the image decoder and the dataset readers share it.
 */
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
