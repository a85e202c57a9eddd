import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs-atomic.ts';

/** Writes report files atomically under one folder and remembers their paths, in order. */
export function reportFiles(outDir: string): { written: string[]; put: (name: string, data: string | Uint8Array) => Promise<void> } {
  const written: string[] = [];
  return {
    written,
    put: async (name, data) => {
      const path = join(outDir, name);
      await writeFileAtomic(path, data);
      written.push(path);
    },
  };
}
