import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Text files as users hand them: Windows editors start a UTF-8 file with a byte-order mark, which
 * Node's 'utf8' decoding keeps as U+FEFF, so the first number of a result file read as
 * '\ufeff50.5' and the first key of a JSON file made it invalid. Every reader of a text file goes
 * through these, so the mark is dropped once, before any parser sees the text.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A UTF-8 text file, without its byte-order mark. */
export async function readUtf8(path: string): Promise<string> {
  return stripBom(await readFile(path, 'utf8'));
}

/** readUtf8, synchronously. */
export function readUtf8Sync(path: string): string {
  return stripBom(readFileSync(path, 'utf8'));
}
