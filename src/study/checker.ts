import { UserError } from '../core/errors.ts';

/** Names of configurations and test sets: they name folders and trackers. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/** Field checks of a study spec: each failure is one line naming the file and the field. */
export class Checker {
  constructor(readonly file: string) {}

  fail(field: string, what: string, got?: unknown): never {
    throw new UserError(`${this.file}: ${field}: ${what}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`);
  }

  object(v: unknown, field: string, keys: readonly string[], required: readonly string[] = []): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'expected an object', v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!keys.includes(k)) this.fail(`${field}.${k}`.replace(/^\./, ''), `unknown field (expected ${keys.join(', ')})`);
    for (const k of required) if (o[k] === undefined) this.fail(`${field}.${k}`.replace(/^\./, ''), 'missing');
    return o;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'expected a non-empty string', v);
    return v as string;
  }

  name(v: unknown, field: string): string {
    const s = this.string(v, field);
    if (!NAME.test(s)) this.fail(field, 'expected a name of letters, digits and _ . + - (it names folders)', v);
    return s;
  }

  int(v: unknown, field: string, min: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(field, `expected a whole number >= ${min}`, v);
    return v as number;
  }

  positive(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(field, 'expected a number > 0', v);
    return v as number;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v) || v.length === 0) this.fail(field, 'expected a non-empty array', v);
    return v as unknown[];
  }
}
