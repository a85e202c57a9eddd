/**
 * How tests catch hangs without mistaking a busy machine for one (issue 34). A deadline either
 * measures work (CPU time, which a starved process does not accumulate while it waits for a core)
 * or, where a hang spends no CPU (a promise that never settles, a child blocked on a FIFO), is a
 * wall-clock budget multiplied by SLOWDOWN: how much slower than its CPU time a short busy loop ran
 * when this file was loaded. 1 on an idle machine; about 4 with eight runnable threads on 2 cores.
 */

/** CPU time of this process (every thread: user + system), in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wall time over CPU time of a busy loop that does `ms` of CPU work. */
function sample(ms: number): number {
  const c0 = cpuMs();
  const t0 = performance.now();
  let x = 0;
  while (cpuMs() - c0 < ms) for (let i = 0; i < 10_000; i++) x += Math.sqrt(i + x);
  const ratio = (performance.now() - t0) / Math.max(cpuMs() - c0, 1e-3);
  return x === -1 ? 0 : ratio;
}

function measure(): number {
  const forced = Number(process.env.SIAMBENCH_TEST_SLOWDOWN);
  if (Number.isFinite(forced) && forced >= 1) return forced;
  // The largest of three short samples: a deadline too long costs only time when something hangs.
  return Math.max(1, ...[0, 1, 2].map(() => sample(30)));
}

/** The machine's slowdown measured at the start of the test file (>= 1). */
export const SLOWDOWN = measure();

/** A wall-clock budget in ms, stretched by the measured slowdown. */
export function scaledMs(ms: number): number {
  return Math.round(ms * SLOWDOWN);
}
