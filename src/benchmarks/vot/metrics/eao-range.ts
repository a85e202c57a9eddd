/**
 * The sequence-length interval [low, high] EAO averages over. The toolkits derive it from a density of
 * the dataset's sequence lengths and pysot hard-codes the published values; those are used for the
 * VOT years. For any other dataset (e.g. a synthetic one) the interval is computed the toolkit's way
 * with a plain Gaussian kernel density instead of the toolkit's online KDE, so it is an approximation.
 */
export interface EaoRange {
  low: number;
  high: number;
  /** Where the numbers come from, for the printed rules. */
  source: string;
}

const PUBLISHED: Record<string, [number, number]> = {
  VOT2015: [108, 371],
  VOT2016: [108, 371],
  VOT2017: [100, 356],
  VOT2018: [100, 356],
  VOT2019: [46, 291],
};

function publishedEaoRange(dataset: string): EaoRange | undefined {
  const key = dataset.toUpperCase();
  const r = PUBLISHED[key];
  return r ? { low: r[0], high: r[1], source: `published ${key} interval` } : undefined;
}

export function eaoRange(dataset: string, sequenceLengths: readonly number[]): EaoRange {
  return publishedEaoRange(dataset) ?? estimatedEaoRange(sequenceLengths);
}

/**
 * Density of sequence lengths on 1..max (Gaussian kernels, Silverman bandwidth), then the legacy
 * toolkit's `find_range`: grow an interval from the peak, each step towards the denser side, until it
 * holds half of the mass.
 */
export function estimatedEaoRange(lengths: readonly number[], mass = 0.5): EaoRange {
  if (lengths.length === 0) return { low: 1, high: 1, source: 'no sequences' };
  const n = lengths.length;
  const mean = lengths.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(lengths.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const h = Math.max(1, sd > 0 ? 1.06 * sd * n ** -0.2 : 0.1 * mean);
  const max = Math.max(...lengths);
  const p = new Float64Array(max);
  for (let x = 1; x <= max; x++) for (const l of lengths) p[x - 1] += Math.exp(-0.5 * ((x - l) / h) ** 2);
  const total = p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < max; i++) p[i] /= total;
  let peak = 0;
  for (let i = 1; i < max; i++) if (p[i] > p[peak]) peak = i;
  let low = peak,
    high = peak,
    s = p[peak];
  while (s < mass && (low > 0 || high < max - 1)) {
    if (low === 0) s += p[++high];
    else if (high === max - 1) s += p[--low];
    else if (p[low - 1] > p[high + 1]) s += p[--low];
    else s += p[++high];
  }
  return { low: low + 1, high: high + 1, source: `estimated from ${n} sequence lengths (Gaussian KDE, half the mass around the peak)` };
}
