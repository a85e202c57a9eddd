/**
 * Number tokens of the text formats (OTB boxes, VOT regions, times). Number() is too lenient for
 * them: it reads '0x2' as 2, '0b1' as 1 and '' as 0. The pattern is unambiguous (no nested or
 * adjacent optional digit runs), so a 1 MB digit string is matched in linear time.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number (possibly too large: Infinity), NaN, or ±Inf/Infinity; undefined for anything else. */
export function toNumber(tok: string): number | undefined {
  if (DECIMAL.test(tok)) return Number(tok);
  if (/^[+-]?nan$/i.test(tok)) return NaN;
  if (/^[+-]?inf(?:inity)?$/i.test(tok)) return tok.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** A token or line as messages quote it: one line, at most 40 characters (a 1 MB token stays out). */
export function clip(s: string): string {
  const one = s.replace(/[\r\n]/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
