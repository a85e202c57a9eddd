import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * writeFileAtomic (and the folder claim) write `<file>.<pid>.<random>.tmp` and rename it; a process
 * killed between the two leaves the temporary file behind, and a resumed run writes a new one, so
 * the folder would keep the debris for good (the kill -9 soak found one next to a plot). Removed at
 * the points where one process owns the folder (a run's scoring, a training run's start), and only
 * when the pid that wrote it is not alive here: a writer on another machine of a cluster has ended
 * by then (scoring waits for every shard), one on this machine may still be writing.
 */
const ATOMIC_TEMP = /\.(\d+)\.[a-z0-9]+\.tmp$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists (another user's process).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the stale temporary files under `dir` (symlinks not followed); the paths removed. */
export function removeStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const m = ATOMIC_TEMP.exec(e.name);
        if (m && !alive(Number(m[1]))) {
          try {
            unlinkSync(p);
            removed.push(p);
          } catch {
            // Gone already (another process swept it): nothing to do.
          }
        }
      }
    }
  };
  walk(dir);
  return removed;
}
