import { type ImageBox, imageBox } from '../../../core/types.ts';
import { localBounds } from './mask.ts';
import { rectangle, type Rectangle, type Region } from './types.ts';

/**
 * The axis-aligned box a tracker is initialised on: a rectangle as it is, a polygon's extent
 * (width = max - min, as the toolkit converts), a mask's foreground pixels (width = right - left + 1).
 * Undefined for codes, points and masks without foreground: nothing to initialise on.
 */
export function initBox(r: Region): ImageBox | undefined {
  if (r.type === 'rectangle') return r.width > 0 && r.height > 0 ? imageBox([r.x, r.y, r.width, r.height]) : undefined;
  if (r.type === 'polygon') {
    const xs = r.points.filter((_, i) => i % 2 === 0),
      ys = r.points.filter((_, i) => i % 2 === 1);
    const [l, t] = [Math.min(...xs), Math.min(...ys)];
    const [w, h] = [Math.max(...xs) - l, Math.max(...ys) - t];
    return w > 0 && h > 0 ? imageBox([l, t, w, h]) : undefined;
  }
  if (r.type === 'mask') {
    if (!r.data.includes(1)) return undefined;
    const [l, t, rr, b] = localBounds(r);
    return imageBox([r.x + l, r.y + t, rr - l + 1, b - t + 1]);
  }
  return undefined;
}

/** A tracker's output box as the rectangle region written to result files. */
export function boxRegion(b: ImageBox): Rectangle {
  return rectangle(b[0], b[1], b[2], b[3]);
}
