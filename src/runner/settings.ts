import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import { readUtf8Sync } from '../core/text-file.ts';

/**
 * What decides a bench run's results, remembered in its folder's marker (core/out-dir.ts) so that a
 * resume with other options is refused instead of mixing two runs' results in one report.
 * Concurrency and thread counts are left out: they change speed, not boxes.
 */
export interface RunSettings {
  dataset: string;
  /** The dataset folder the frames came from. */
  root: string;
  /** one-pass, vot-supervised or vot-unsupervised (--experiment). */
  protocol: string;
  convention: string;
  seed: number;
  /** VOT supervised: repetitions at most. */
  repetitions?: number;
  /** Tracker name -> fingerprint of what it runs (model files, module source); trackers may be added. */
  trackers: Record<string, string | null>;
  /** The engine the jobs ran on (ort/cpu, tfjs/wasm...): the two differ in the last digits. */
  engine?: string;
}

/** The engine part of a backend label: 'ort/cpu/2t' -> 'ort/cpu' (threads do not change boxes). */
export function engineOf(backend: string): string {
  return backend.replace(/\/\d+t$/, '');
}

/**
 * The settings of a folder bench wrote before markers existed, from its run.json (the options it
 * records); undefined when it has none (a run killed before its end), which is taken as it is.
 */
export function legacySettings(out: string): Partial<RunSettings> | undefined {
  let run: Record<string, unknown>;
  try {
    run = JSON.parse(readUtf8Sync(join(out, 'run.json'))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const s: Partial<RunSettings> = {};
  if (typeof run.dataset === 'string') s.dataset = run.dataset;
  if (typeof run.root === 'string') s.root = run.root;
  if (typeof run.protocol === 'string') s.protocol = run.protocol;
  if (typeof run.convention === 'string') s.convention = run.convention;
  if (typeof run.seed === 'number') s.seed = run.seed;
  if (typeof run.backend === 'string' && run.backend !== '') s.engine = engineOf(run.backend);
  return s;
}

const OPTION: Record<string, string> = {
  dataset: '--dataset',
  root: '--root',
  protocol: '--experiment',
  convention: '--convention',
  seed: '--seed',
  repetitions: '--repetitions',
  engine: '--engine/--backend',
};

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function refuse(option: string, out: string, then: unknown, now: unknown): UserError {
  return new UserError(
    `${option}: ${out} holds a run made with ${shown(then)}, not ${shown(now)}; resume with the same options or use another --out`,
  );
}

/**
 * Throws a one-line error naming the first option whose value differs from the run in `out`.
 * Trackers new to the folder are fine (each tracker's results stand alone); a tracker whose model
 * or module changed is not.
 */
export function checkResume(out: string, then: Partial<RunSettings>, now: RunSettings): void {
  for (const key of ['dataset', 'root', 'protocol', 'convention', 'seed', 'repetitions'] as const) {
    if (then[key] !== undefined && now[key] !== undefined && then[key] !== now[key]) throw refuse(OPTION[key], out, then[key], now[key]);
  }
  for (const [name, print] of Object.entries(now.trackers)) {
    const before = then.trackers?.[name];
    // A model whose weights are absent (a committed study on a new machine: weights are git-ignored)
    // cannot have changed what it already tracked; any job still left fails where it loads the model.
    if (print === null && before) continue;
    if (before !== undefined && before !== print) {
      throw new UserError(
        `--trackers: ${name} has changed since ${out} was run (${describe(before)} then, ${describe(print)} now); resume with the same model or use another --out`,
      );
    }
  }
}

/**
 * The fingerprints a folder records after a resume: trackers may be added; the fingerprint recorded
 * when a model tracked stays when its weights are absent now (checkResume lets that through).
 */
export function mergeTrackers(then: RunSettings['trackers'] | undefined, now: RunSettings['trackers']): RunSettings['trackers'] {
  const kept = Object.entries(now).filter(([name, print]) => print !== null || !then?.[name]);
  return { ...then, ...Object.fromEntries(kept) };
}

function describe(print: string | null): string {
  return print === null ? 'no model files' : print.length > 24 ? `${print.slice(0, 19)}...` : print;
}

/** Throws when the workers resolved another engine than the run in `out` used. */
export function checkEngine(out: string, then: Partial<RunSettings> | undefined, backend: string): void {
  const now = engineOf(backend);
  if (then?.engine !== undefined && then.engine !== now) throw refuse(OPTION.engine, out, then.engine, now);
}
