import { transposeFast } from './layout.ts';
import { type Shape, type Tape, size } from './tape.ts';

/**
 * Element-wise arithmetic with NumPy broadcasting, reshapes and transposes, and products with
 * constant matrices. Broadcasting is undone in the backward by summing over the broadcast axes.
 */

function broadcastShape(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[i - n + a.length] ?? 1;
    const y = b[i - n + b.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`broadcast: [${a}] and [${b}]`);
    return Math.max(x, y);
  });
}

/** Sums `grad` (of shape `from`) down to `to`, the shape of an operand that was broadcast to `from`. */
export function unbroadcast(t: Tape, grad: string, from: Shape, to: Shape): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return grad;
  const lead = from.length - to.length;
  const axes = from.map((d, i) => (i < lead || (to[i - lead] === 1 && d !== 1) ? i : -1)).filter((i) => i >= 0);
  const summed = axes.length ? t.g.op('ReduceSum', [grad, t.g.ints(axes)], { keepdims: 1 }) : grad;
  return t.g.op('Reshape', [summed, t.g.ints(to)]);
}

export function add(t: Tape, a: string, b: string): string {
  const [sa, sb] = [t.shape(a), t.shape(b)];
  const s = broadcastShape(sa, sb);
  return t.record(t.g.op('Add', [a, b]), s, [a, b], (dy) => [unbroadcast(t, dy, s, sa), unbroadcast(t, dy, s, sb)]);
}

export function sub(t: Tape, a: string, b: string): string {
  const [sa, sb] = [t.shape(a), t.shape(b)];
  const s = broadcastShape(sa, sb);
  return t.record(t.g.op('Sub', [a, b]), s, [a, b], (dy, wants) => [
    unbroadcast(t, dy, s, sa),
    wants[1] ? unbroadcast(t, t.g.op('Neg', [dy]), s, sb) : undefined,
  ]);
}

export function mul(t: Tape, a: string, b: string): string {
  const [sa, sb] = [t.shape(a), t.shape(b)];
  const s = broadcastShape(sa, sb);
  return t.record(t.g.op('Mul', [a, b]), s, [a, b], (dy, wants) => [
    wants[0] ? unbroadcast(t, t.g.op('Mul', [dy, b]), s, sa) : undefined,
    wants[1] ? unbroadcast(t, t.g.op('Mul', [dy, a]), s, sb) : undefined,
  ]);
}

/** k * x for a number k. */
export function scale(t: Tape, x: string, k: number): string {
  const c = t.g.constant(k);
  return t.record(t.g.op('Mul', [x, c]), t.shape(x), [x], (dy) => [t.g.op('Mul', [dy, c])]);
}

/** x + k for a number k. */
export function shift(t: Tape, x: string, k: number): string {
  return t.record(t.g.op('Add', [x, t.g.constant(k)]), t.shape(x), [x], (dy) => [dy]);
}

export function neg(t: Tape, x: string): string {
  return t.record(t.g.op('Neg', [x]), t.shape(x), [x], (dy) => [t.g.op('Neg', [dy])]);
}

export function reshape(t: Tape, x: string, shape: Shape): string {
  const from = t.shape(x);
  if (size(from) !== size(shape)) throw new Error(`reshape: [${from}] to [${shape}]`);
  return t.record(t.g.op('Reshape', [x, t.g.ints(shape)]), shape, [x], (dy) => [t.g.op('Reshape', [dy, t.g.ints(from)])]);
}

export function transpose(t: Tape, x: string, perm: number[]): string {
  const s = t.shape(x);
  const out = perm.map((p) => s[p]);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return t.record(transposeFast(t.g, x, s, perm), out, [x], (dy) => [transposeFast(t.g, dy, out, inverse)]);
}

/**
 * x [.., k] times a constant [k, m] (the 0/1 matrices that pick a response map's positive or
 * negative cells); the backward multiplies by its transpose.
 */
export function matmulConst(t: Tape, x: string, m: Float32Array, rows: number, cols: number): string {
  const s = t.shape(x);
  if (s[s.length - 1] !== rows) throw new Error(`matmulConst: [${s}] x [${rows}, ${cols}]`);
  const mt = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mt[c * rows + r] = m[r * cols + c];
  const w = t.g.initializer(t.g.fresh('matrix'), m, [rows, cols]);
  const wt = t.g.initializer(t.g.fresh('matrix_t'), mt, [cols, rows]);
  return t.record(t.g.op('MatMul', [x, w]), [...s.slice(0, -1), cols], [x], (dy) => [t.g.op('MatMul', [dy, wt])]);
}
