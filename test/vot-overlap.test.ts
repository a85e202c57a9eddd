import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageBounds, regionBox, votOverlap } from '../src/benchmarks/vot/metrics/overlap.ts';

// Expected pixel counts below are worked out by hand from the scanline rules (see overlap.ts): legacy
// fills [node_left, node_right) on rows 1..bottom of a shape whose top edge is row 0; the rounded mode
// fills [node_left, node_right] inclusively on rows top..bottom.

test('identical rectangles overlap 1 in both rasterisations', () => {
  assert.equal(votOverlap([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(votOverlap([3.2, 4.7, 10, 10], [3.2, 4.7, 10, 10], undefined, 'rounded'), 1);
  // A rectangle and the same four corners written as a polygon are the same region.
  assert.equal(votOverlap([0, 0, 10, 10], [0, 0, 10, 0, 10, 10, 0, 10]), 1);
});

test('half-shifted rectangles: 50 shared of 150 pixels', () => {
  // Legacy rows 1..10: A fills x 0..9, B x 5..14.
  assert.equal(votOverlap([0, 0, 10, 10], [5, 0, 10, 10]), Math.fround(50 / 150));
});

test('rasterisation is not analytic IoU: a sub-pixel wider box', () => {
  // Analytic IoU would be 100 / 105. Legacy truncates the right edge 10.5 to node 10: the same pixels.
  assert.equal(votOverlap([0, 0, 10.5, 10], [0, 0, 10, 10]), 1);
  // Rounded mode: 10.5 rounds to 11; rows 0..10 hold 12 pixels (0..11) against 11 (0..10).
  assert.equal(votOverlap([0, 0, 10.5, 10], [0, 0, 10, 10], undefined, 'rounded'), Math.fround(121 / 132));
});

test('triangle against its bounding square', () => {
  const tri = [0, 0, 8, 0, 0, 8];
  // Legacy: row r (1..8) spans x 0..(8-r)-1 -> 7+6+...+0 = 28 pixels; the square has 8 x 8 = 64.
  assert.equal(votOverlap(tri, [0, 0, 8, 8]), Math.fround(28 / 64));
  // Rounded: rows 0..7 hold 9-r pixels (44), row 8 none (both nodes at 0); the square 9 x 9 = 81.
  assert.equal(votOverlap(tri, [0, 0, 8, 8], undefined, 'rounded'), Math.fround(44 / 81));
  // Analytic IoU would be 0.5 for both.
});

test('degenerate regions: 0 against a proper region, NaN against each other (0 / 0 as in the C code)', () => {
  assert.equal(votOverlap([0, 0, 0, 10], [0, 0, 10, 10]), 0);
  assert.equal(votOverlap([5, 5, 5, 5, 5, 5, 5, 5], [0, 0, 10, 10]), 0);
  assert.equal(votOverlap([0, 0, 10, 10], [3, 3, 10, 0], undefined, 'rounded'), 0);
  assert.ok(Number.isNaN(votOverlap([0, 0, 0, 10], [0, 0, 0, 10])));
});

test('disjoint and edge-touching regions do not overlap', () => {
  assert.equal(votOverlap([0, 0, 10, 10], [30, 30, 5, 5]), 0);
  assert.equal(votOverlap([0, 0, 10, 10], [10, 0, 10, 10]), 0);
  assert.equal(votOverlap([0, 0, 10, 10], [10, 0, 10, 10], undefined, 'rounded'), 0);
});

test('regions partly outside the image are clipped to it when bounds are given', () => {
  const a = [-10, -10, 20, 20];
  const b = [0, 0, 10, 10];
  // Unbounded: A covers 20 x 20 = 400 pixels, 100 of them shared.
  assert.equal(votOverlap(a, b), Math.fround(100 / 400));
  // Bounded to a 100 x 100 image: the grid starts at (0, 0); A keeps rows 0..10 x 10 = 110 pixels.
  assert.equal(votOverlap(a, b, imageBounds(100, 100)), Math.fround(100 / 110));
});

test('a region entirely outside the image has overlap 0', () => {
  assert.equal(votOverlap([200, 200, 10, 10], [0, 0, 10, 10], imageBounds(100, 100)), 0);
  assert.equal(votOverlap([-50, 10, 20, 20], [0, 10, 20, 20], imageBounds(100, 100, 1)), 0);
});

test('a rotated square (diamond) inside its bounding box', () => {
  const diamond = [4, 0, 8, 4, 4, 8, 0, 4];
  // Legacy row r crosses the edges at x = 4 - r and 4 + r (r <= 4), then 4 - (8 - r) .. : spans of
  // 2, 4, 6, 8, 6, 4, 2, 0 pixels on rows 1..8 = 32; the box has 64.
  assert.equal(votOverlap(diamond, [0, 0, 8, 8]), Math.fround(32 / 64));
  assert.deepEqual(regionBox(diamond), [0, 0, 8, 8]);
});
