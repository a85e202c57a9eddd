/**
 * Per-frame times (seconds) that no timer measured: a negative time, or a zero after the first frame
 * (got10k writes the initialisation frame as 0, so a zero there is expected). Each speed rule skips
 * or counts them its own way; the defect says they are there.
 */
export function timeDefects(times: readonly number[]): string[] {
  const out: string[] = [];
  const negative = times.flatMap((t, i) => (t < 0 ? [i] : []));
  if (negative.length > 0) {
    out.push(
      `${negative.length} negative time(s) (first: line ${negative[0] + 1}, ${times[negative[0]]}): no timer gives these; ignored by every speed rule`,
    );
  }
  const zero = times.flatMap((t, i) => (t === 0 && i > 0 ? [i] : []));
  if (zero.length > 0) {
    out.push(
      `${zero.length} zero time(s) after the first frame (first: line ${zero[0] + 1}): a timer too coarse? got10k skips them, otb counts them as 0 s`,
    );
  }
  return out;
}
