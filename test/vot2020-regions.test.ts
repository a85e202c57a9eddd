import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRuns, encodeRuns, tighten } from '../src/benchmarks/vot2020/regions/mask.ts';
import { isEmpty, overlap, regionBounds, roundHalfEven } from '../src/benchmarks/vot2020/regions/raster.ts';
import { formatRegion, formatTraxMask, parseRegion, parseTraxMask } from '../src/benchmarks/vot2020/regions/text.ts';
import { mask, polygon, rectangle, special, type Mask } from '../src/benchmarks/vot2020/regions/types.ts';
import { votOverlap } from '../src/benchmarks/vot/metrics/overlap.ts';
import { Rng } from '../src/core/random.ts';

const IMAGE = { width: 100, height: 100 };
const R = (t: string) => parseRegion(t);

// Expected values below are counted by hand from the toolkit's rules (docs/scoring.md, VOT2020+).

test('rectangles: pixel counts of half-shifted boxes', () => {
  assert.equal(overlap(R('0,0,10,10'), R('0,0,10,10'), IMAGE), 1);
  // columns 0..9 against 5..14 on 10 rows: 50 shared of 150
  assert.equal(overlap(R('0,0,10,10'), R('5,0,10,10'), IMAGE), 50 / 150);
});

test('x, y, w and h are each rounded half to even', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven), [0, 2, 2, 0, -2, 2, 3]);
  // 10.5 -> 10 and 20.5 -> 20: columns 10..29, the same pixels as 10,0,20,5
  assert.deepEqual(regionBounds(R('10.5,0,20.5,5')), [10, 0, 29, 4]);
  assert.equal(overlap(R('10.5,0,20.5,5'), R('10,0,20,5'), IMAGE), 1);
  // 11.5 -> 12: columns 12..31 against 10..29, 18 shared of 22 columns
  assert.equal(overlap(R('11.5,0,20,5'), R('10,0,20,5'), IMAGE), 18 / 22);
});

test('the image bounds the count; without them the whole regions count', () => {
  // columns -5..4 and 0..4 on 10 rows: inside the image both are columns 0..4
  assert.equal(overlap(R('-5,0,10,10'), R('0,0,5,10'), IMAGE), 1);
  assert.equal(overlap(R('-5,0,10,10'), R('0,0,5,10')), 0.5);
});

test('empty against empty is 1; a one-pixel union is 1; a one-pixel clipped box is 0', () => {
  assert.equal(overlap(special(0), special(1), IMAGE), 1);
  assert.equal(overlap(R('nan,nan,nan,nan'), R('0'), IMAGE), 1);
  assert.equal(overlap(R('3,3,1,1'), R('3,3,1,1'), IMAGE), 1);
  // a code sits at the origin: the union spans (0,0)..(14,14), the code has no pixel
  assert.equal(overlap(R('1'), R('10,10,5,5'), IMAGE), 0);
  // columns 99..105 clipped to the image's last column: one column wide
  assert.equal(overlap(R('99,10,7,5'), R('99,10,7,5'), IMAGE), 0);
  // both wholly outside the image: the clipped box is inverted
  assert.equal(overlap(R('200,200,5,5'), R('200,200,5,5'), IMAGE), 0);
});

test('an ignore region removes its pixels from both counts', () => {
  // ignoring columns 0..4: A keeps columns 5..9 (50 px), B 5..14 (100 px)
  assert.equal(overlap(R('0,0,10,10'), R('5,0,10,10'), IMAGE, R('0,0,5,10')), 0.5);
  // ignoring everything: no pixel left
  assert.equal(overlap(R('0,0,10,10'), R('5,0,10,10'), IMAGE, R('0,0,50,50')), 0);
});

test('polygon scanline: the triangle (0,0),(8,0),(0,8) covers 45 pixels', () => {
  // row 0: 0..8 (9), rows 1..7: 0..8-y (8+7+...+2 = 35), row 8: column 0 (1)
  const tri = polygon([0, 0, 8, 0, 0, 8]);
  assert.equal(overlap(tri, R('0,0,9,9'), IMAGE), 45 / 81);
  // a rectangle written as its four corners covers one more row and column than the rectangle
  assert.equal(overlap(R('0,0,9,0,9,9,0,9'), R('0,0,10,10'), IMAGE), 1);
});

test('axis-aligned polygons agree with the existing rounded (region.c) rasterisation and with rectangles', () => {
  // Where both rasterisations apply the same rules: integer corners, edges along rows and columns.
  // (On slanted edges region.c skips horizontal edges and repeated crossings differently.)
  const rng = new Rng(29);
  const int = (lo: number, span: number) => lo + Math.floor(rng.next() * span);
  for (let i = 0; i < 200; i++) {
    const [x, y, w, h] = [int(0, 60), int(0, 60), int(3, 30), int(3, 30)];
    const [u, v, s, t] = [int(0, 60), int(0, 60), int(3, 30), int(3, 30)];
    const a = [x, y, x + w - 1, y, x + w - 1, y + h - 1, x, y + h - 1];
    const b = [u, v, u + s - 1, v, u + s - 1, v + t - 1, u, v + t - 1];
    const ours = overlap(polygon(a), polygon(b));
    assert.equal(overlap(rectangle(x, y, w, h), rectangle(u, v, s, t)), ours, `case ${i}: as rectangles`);
    // region.c scores boxes that share only their edge row or column 0 before rasterising: not compared
    const ix = Math.min(x + w - 1, u + s - 1) - Math.max(x, u),
      iy = Math.min(y + h - 1, v + t - 1) - Math.max(y, v);
    if (ix === 0 || iy === 0) continue;
    assert.ok(Math.abs(ours - votOverlap(a, b, undefined, 'rounded')) < 1e-6, `case ${i}: ${a} vs ${b}`);
  }
});

test('mask text: runs start with background, read and written exactly', () => {
  // 4 x 3 rows 0110 / 1111 / 0110 at (2, 3): 8 pixels of the 12 of its box
  const m = R('m2,3,4,3,1,2,1,4,1,2,1') as Mask;
  assert.deepEqual(Array.from(m.data), [0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0]);
  assert.equal(formatRegion(m), 'm2,3,4,3,1,2,1,4,1,2,1');
  assert.equal(overlap(m, R('2,3,4,3'), IMAGE), 8 / 12);
  assert.equal(formatTraxMask(m), 'mask:2,3,4,3,1,2,1,4,1,2');
  assert.deepEqual(parseTraxMask('mask:2,3,4,3,1,2,1,4,1,2').data, m.data);
  assert.deepEqual(encodeRuns(decodeRuns(3, 2, [0, 6])), [0, 6]);
});

test('text masks are tightened to their foreground; a first-column foreground becomes empty', () => {
  // 4 x 3 patch, foreground at row 1 columns 1..2
  const m = R('m0,0,4,3,5,2,5') as Mask;
  assert.deepEqual([m.x, m.y, m.width, m.height], [1, 1, 2, 1]);
  assert.equal(formatRegion(m), 'm1,1,2,1,0,2');
  assert.equal(isEmpty(m), true, 'one pixel high');
  const col = R('m5,5,3,2,0,1,2,1,2') as Mask;
  assert.deepEqual([col.x, col.y, col.width, col.height], [0, 0, 0, 0]);
  assert.equal(overlap(col, special(0), IMAGE), 1);
  // no foreground at all: the same empty mask
  assert.deepEqual(regionBounds(R('m5,5,3,2,6')), [0, 0, 0, 0]);
  // a binary-style (untightened) mask keeps its patch
  const raw = mask(5, 5, 3, 2, decodeRuns(3, 2, [4, 2]));
  assert.deepEqual(regionBounds(raw), [6, 6, 7, 6]);
  assert.deepEqual(tighten(raw).data, Uint8Array.of(1, 1));
});

test('is_empty as the failure rule reads it', () => {
  assert.equal(isEmpty(special(0)), true);
  assert.equal(isEmpty(rectangle(0, 0, 0.4, 10)), false);
  assert.equal(isEmpty(rectangle(0, 0, 0, 10)), true);
  assert.equal(isEmpty(R('m0,0,2,2,0,4')), false);
  assert.equal(isEmpty(polygon([1, 1, 5, 1, 3, 1])), true);
  assert.equal(isEmpty({ type: 'point', x: 1, y: 1 }), false);
});

test('the text forms refuse what the toolkit refuses', () => {
  assert.throws(() => R('mask:0,0,2,2,1,3'), /TraX's spelling/);
  assert.throws(() => R('1,2,3'), /3 numbers/);
  assert.throws(() => R('2.5'), /region code/);
  assert.throws(() => R('m0,0,2,2,1,9'), /cover 10 pixels, the patch 4/);
  assert.throws(() => R('m0,0,-2,2'), /not a count/);
  assert.throws(() => R('0x2,1,1,1'), /not a number/);
  assert.throws(() => R(''), /empty line/);
  assert.deepEqual(R(' 1 , 2 '), { type: 'point', x: 1, y: 2 });
  assert.equal(formatRegion(R('0.1,2,3,4')), '0.1,2,3,4');
});
