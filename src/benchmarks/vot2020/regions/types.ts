/**
 * Regions of VOT2020 and later, as the VOT toolkit (v0.8) holds them: a code (special), a rectangle,
 * a polygon, a binary mask on a patch, or a point. Coordinates are 0-based pixels of the image.
 * Numbers are kept as float32 (the toolkit's arrays are float32), so rounding sees the same values.
 */
export type Region = Special | Rectangle | Polygon | Mask | Point;

/** 0 unknown (also any `nan` region), 1 initialisation, 2 failure; other integers are passed through. */
export interface Special {
  type: 'special';
  code: number;
}

export interface Rectangle {
  type: 'rectangle';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Polygon {
  type: 'polygon';
  /** x1, y1, x2, y2, ...: three points or more. */
  points: Float32Array;
}

/** A `width` x `height` patch at (x, y), row-major, 1 = foreground. */
export interface Mask {
  type: 'mask';
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Point {
  type: 'point';
  x: number;
  y: number;
}

export const UNKNOWN: Special = { type: 'special', code: 0 };
export const INITIALIZATION: Special = { type: 'special', code: 1 };
export const FAILURE: Special = { type: 'special', code: 2 };

export const special = (code: number): Special => ({ type: 'special', code });

export function rectangle(x: number, y: number, width: number, height: number): Rectangle {
  const f = Math.fround;
  return { type: 'rectangle', x: f(x), y: f(y), width: f(width), height: f(height) };
}

export function polygon(points: ArrayLike<number>): Polygon {
  return { type: 'polygon', points: Float32Array.from(points) };
}

export function mask(x: number, y: number, width: number, height: number, data: Uint8Array): Mask {
  if (data.length !== width * height) throw new Error(`mask data holds ${data.length} pixels, not ${width} x ${height}`);
  return { type: 'mask', x, y, width, height, data };
}

/** Inclusive pixel box [left, top, right, bottom]; right < left (or bottom < top) when it holds nothing. */
export type PixelBox = [left: number, top: number, right: number, bottom: number];
