import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary folder removed when the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a fixture file, creating its folders. */
export function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** The rows of a CSV the harness wrote (no quoted fields), as objects keyed by its header. */
export function csvRows(file: string): Record<string, string>[] {
  const [head, ...body] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}
