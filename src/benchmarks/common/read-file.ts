import { statSync } from 'node:fs';
import { checkRegular } from '../../core/regular-file.ts';
import { readUtf8, readUtf8Sync } from '../../core/text-file.ts';

export { checkRegular, fileKind } from '../../core/regular-file.ts';

/**
 * Reads a dataset or result file as text, after checking what it is: a FIFO would block the read
 * forever, and a directory or device ends in EISDIR or garbage. Anything but a regular file (after
 * following symbolic links) is a one-line UserError naming the path and what it is instead.
 */
export async function readTextFile(path: string): Promise<string> {
  checkRegular(path);
  return readUtf8(path);
}

/** readTextFile, synchronously (the result importer reads thousands of small files). */
export function readTextFileSync(path: string): string {
  checkRegular(path);
  return readUtf8Sync(path);
}

/** True for a path that exists (links followed) and is not a regular file. */
export function isNonRegular(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}
