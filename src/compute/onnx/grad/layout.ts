import type { OnnxGraph } from '../graph.ts';

/**
 * Transposes that ORT runs fast. Its Transpose kernel is quick for a swap of two adjacent blocks
 * of axes ([P, A, B, S] -> [P, B, A, S]: a batched 2-D transpose, or block moves when S > 1) but
 * slow for general permutations of four or more axes (measured 2-4 ms vs 17-25 ms for 0.9 M
 * floats, e.g. a kernel from [kh, kw, C, O] to [O, C, kh, kw]). So a permutation is emitted as a
 * short sequence of block swaps: at each position, the run of axes that belongs there is swapped
 * with whatever precedes it.
 */
export function transposeFast(g: OnnxGraph, x: string, shape: number[], perm: number[]): string {
  let cur = shape.map((_, i) => i);
  let value = x;
  for (let i = 0; i < perm.length; i++) {
    const j = cur.indexOf(perm[i]);
    if (j === i) continue;
    let len = 1;
    while (j + len < cur.length && i + len < perm.length && cur[j + len] === perm[i + len]) len++;
    const dims = (axes: number[]) => axes.reduce((a, ax) => a * shape[ax], 1);
    const [pre, a, b, post] = [cur.slice(0, i), cur.slice(i, j), cur.slice(j, j + len), cur.slice(j + len)];
    const view = [dims(pre), dims(a), dims(b), dims(post)];
    const swapped = g.op('Transpose', [g.op('Reshape', [value, g.ints(view)])], { perm: [0, 2, 1, 3] });
    cur = [...pre, ...b, ...a, ...post];
    value = swapped;
  }
  return value === x ? x : g.op('Reshape', [value, g.ints(perm.map((p) => shape[p]))]);
}
