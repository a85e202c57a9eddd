/**
 * Tracking speed from per-frame times (seconds per frame, as in `<seq>_time.txt` files).
 */

/**
 * got10k's per-sequence speed: the mean of 1/t over the frames with t > 0 (the toolkit drops zero
 * times, e.g. an initialisation frame written as 0). undefined when no positive time exists.
 */
export function fpsMeanOfRates(times: ArrayLike<number>): number | undefined {
  let s = 0;
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t > 0) {
      s += 1 / t;
      n++;
    }
  }
  // A time of 1e-320 s gives an infinite rate: no speed rather than Infinity fps.
  return n > 0 && Number.isFinite(s / n) ? s / n : undefined;
}

/** Frames per second of wall time: frames / total time (what the OTB toolkit stores as `fps`). */
export function fpsFramesOverTime(times: ArrayLike<number>): number | undefined {
  let s = 0;
  let n = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (Number.isFinite(t) && t >= 0) {
      s += t;
      n++;
    }
  }
  return s > 0 && Number.isFinite(n / s) ? n / s : undefined;
}

/**
 * Speed over a dataset: the mean of the per-sequence speeds that exist (got10k: sum of speeds over
 * the count of non-zero ones). Sequences without times do not count.
 */
export function meanFps(perSequence: (number | undefined)[]): number | undefined {
  const known = perSequence.filter((v): v is number => v !== undefined && v > 0);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : undefined;
}
