import { type Dirent, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Folder listings that treat symbolic links as what they point to. Users symlink dataset roots,
 * sequence folders, tracker result folders and single result files all the time, and a Dirent's
 * isDirectory()/isFile() is false for every link: each link is stat'ed instead. A link whose target
 * is missing (or unreadable) is `dangling`, for the caller to name in a warning or an error; it is
 * never dropped without a word.
 */
export type EntryKind = 'file' | 'dir' | 'other' | 'dangling';

export interface DirEntry {
  name: string;
  /** join(dir, name). */
  path: string;
  /** What the entry is, after following a symbolic link. */
  kind: EntryKind;
  /** The entry itself is a symbolic link. */
  link: boolean;
}

function direct(d: Dirent): EntryKind | undefined {
  if (d.isSymbolicLink()) return undefined;
  return d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other';
}

function kindOf(s: { isDirectory(): boolean; isFile(): boolean }): EntryKind {
  return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
}

/** The entries of `dir` in name order, links resolved. */
export async function listDir(dir: string): Promise<DirEntry[]> {
  const dirents = await readdir(dir, { withFileTypes: true });
  const out = await Promise.all(
    dirents.map(async (d): Promise<DirEntry> => {
      const path = join(dir, d.name);
      const k = direct(d);
      if (k) return { name: d.name, path, kind: k, link: false };
      try {
        return { name: d.name, path, kind: kindOf(await stat(path)), link: true };
      } catch {
        return { name: d.name, path, kind: 'dangling', link: true };
      }
    }),
  );
  return out.sort(byName);
}

/** listDir, synchronously. */
export function listDirSync(dir: string): DirEntry[] {
  return readdirSync(dir, { withFileTypes: true })
    .map((d): DirEntry => {
      const path = join(dir, d.name);
      const k = direct(d);
      if (k) return { name: d.name, path, kind: k, link: false };
      try {
        return { name: d.name, path, kind: kindOf(statSync(path)), link: true };
      } catch {
        return { name: d.name, path, kind: 'dangling', link: true };
      }
    })
    .sort(byName);
}

function byName(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `<path>: dangling symbolic link (to <target>)`, the start of every message about such a link. */
export function danglingLink(path: string): string {
  let target = '?';
  try {
    target = readlinkSync(path);
  } catch {
    // unreadable link: the path alone says which one
  }
  return `${path}: dangling symbolic link (to ${target})`;
}

/** True when `path` is a symbolic link whose target cannot be reached (existsSync says false for it). */
export function isDanglingLink(path: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false;
  } catch {
    return false;
  }
  try {
    statSync(path);
    return false;
  } catch {
    return true;
  }
}

/** `; <first dangling link> and N more`, or '' when `entries` holds none: the tail of an error about what was not found. */
export function danglingTail(entries: readonly DirEntry[]): string {
  const broken = entries.filter((e) => e.kind === 'dangling');
  if (broken.length === 0) return '';
  return `; ${danglingLink(broken[0].path)}${broken.length > 1 ? ` and ${broken.length - 1} more` : ''}`;
}

/** `<given>: no such file or directory`, or what is wrong with it when it is a dangling link. */
export function missingPath(given: string, abs: string): string {
  return isDanglingLink(abs) ? danglingLink(given) : `no such file or directory: ${given}`;
}
