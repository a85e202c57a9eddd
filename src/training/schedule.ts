import { UserError } from '../core/errors.ts';

/**
 * Geometric learning rate per epoch, from `start` in the first epoch to `end` in the last (the
 * reference recipe: 1e-2 down to 1e-5 over 50 epochs). One epoch gets `start`.
 */
export function geometricLr(epoch: number, epochs: number, start: number, end: number): number {
  if (!(start > 0 && end > 0)) throw new UserError(`--lr: learning rates must be positive, got ${start} and ${end}`);
  if (epochs <= 1) return start;
  return start * Math.pow(end / start, epoch / (epochs - 1));
}
