import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { modelFiles } from '../trackers/siamfc/model-file.ts';

/**
 * SHA-256 of a model folder's model.json and weights (weights.bin or its parts), or null for a
 * tracker without one: the baseline is tied to the exact committed weights, so a changed model file
 * is caught even when its scores happen to stay within tolerance.
 */
export function modelFingerprint(dir: string): string | null {
  const files = modelFiles(dir);
  if (!files?.every(existsSync)) return null;
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
}
