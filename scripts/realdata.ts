import { join, resolve } from 'node:path';
import { Option } from 'commander';

/**
 * The shared real annotations, results and frames the perf scripts time by default: beside the
 * repository (../shared/realdata), never inside it, or where SIAMBENCH_REALDATA points.
 */
export const REALDATA = process.env.SIAMBENCH_REALDATA ?? resolve(import.meta.dirname, '..', '..', 'shared', 'realdata');

/**
 * An option whose default is a path under the real data. Its help shows the relative form
 * (../shared/realdata/...) so that it reads the same on every machine: docs/commands.md is
 * generated from the help texts.
 */
export function realDataOption(flags: string, description: string, ...parts: string[]): Option {
  return new Option(flags, description).default(join(REALDATA, ...parts), ['../shared/realdata', ...parts].join('/'));
}
