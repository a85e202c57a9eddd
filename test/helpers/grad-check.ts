import { createSession, loadOrt, type OrtSession } from '../../src/compute/onnx/session.ts';

/** Shared by the ORT gradient tests: seeded data, the parity measure, finite differences on a session. */

/** Deterministic values in [lo, hi) (a 32-bit LCG: test data must not change between runs). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** max |a - b| / max |b|: the parity measure of issue 8. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relError: ${a.length} vs ${b.length} values`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  if (!(scale > 0)) throw new Error('relError: a reference of zeros proves nothing');
  return diff / scale;
}

export interface Feed {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Runs a session on float inputs and returns the named outputs as arrays. */
export async function run(session: OrtSession, feeds: Feed[], outputs: string[]): Promise<Float32Array[]> {
  const ort = await loadOrt();
  const f: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const x of feeds) f[x.name] = new ort.Tensor('float32', x.data, x.shape);
  const r = await session.run(f, outputs);
  return outputs.map((o) => r[o].data as Float32Array);
}

export const session = (bytes: Uint8Array) => createSession(bytes, { device: 'cpu', threads: 1 }, 'gradient test');

/**
 * Central differences of an objective wrt every element of feed `which` (or only the listed
 * elements). The session runs in float32; `objective` reduces its `outputs` to the scalar, in
 * float64 when it wants to keep the reduction's rounding out of the quotient.
 */
export async function finiteDifferences(
  s: OrtSession,
  feeds: Feed[],
  which: number,
  eps: number,
  outputs: string[],
  objective: (outs: Float32Array[]) => number,
  elements?: number[],
): Promise<Float64Array> {
  const x = feeds[which];
  const picks = elements ?? Array.from(x.data.keys());
  const out = new Float64Array(picks.length);
  const at = async (i: number, v: number) => {
    const data = Float32Array.from(x.data);
    data[i] = v;
    return objective(
      await run(
        s,
        feeds.map((f, k) => (k === which ? { ...f, data } : f)),
        outputs,
      ),
    );
  };
  for (const [k, i] of picks.entries()) {
    const v = x.data[i];
    const up = Math.fround(v + eps);
    const down = Math.fround(v - eps);
    out[k] = ((await at(i, up)) - (await at(i, down))) / (up - down);
  }
  return out;
}
