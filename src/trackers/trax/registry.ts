import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { guardChildren } from '../../trax/children.ts';
import type { TrackerFactory } from '../base/tracker.ts';
import { type TraxDefinition, defineFromOption, readTrackersIni } from './definition.ts';
import { type TraxRunSettings, TraxTracker } from './tracker.ts';

/**
 * The TraX trackers of this run: read once in the main thread (trackers.ini, --trax) and passed to
 * worker threads, which inherit the environment, as JSON in SIAMBENCH_TRAX_DEFS, with the run's
 * settings (deadline, log folder and cap) in SIAMBENCH_TRAX_SETTINGS.
 */
const DEFS_ENV = 'SIAMBENCH_TRAX_DEFS';
const SETTINGS_ENV = 'SIAMBENCH_TRAX_SETTINGS';
/** A hello comes within milliseconds of a tracker's start; a minute allows for a model loaded first. */
const HANDSHAKE_MS = 60_000;
const LOG_CAP = 1 << 20;

function exported(): Record<string, TraxDefinition> {
  try {
    return JSON.parse(process.env[DEFS_ENV] ?? '{}') as Record<string, TraxDefinition>;
  } catch {
    return {};
  }
}

function settings(): TraxRunSettings {
  const s = JSON.parse(process.env[SETTINGS_ENV] ?? '{}') as Partial<TraxRunSettings>;
  const cap = Number(process.env.SIAMBENCH_TRAX_LOG_CAP);
  return {
    stepMs: s.stepMs === undefined ? 30_000 : s.stepMs,
    handshakeMs: s.handshakeMs ?? HANDSHAKE_MS,
    logDir: s.logDir ?? null,
    logCap: Number.isInteger(cap) && cap > 0 ? cap : LOG_CAP,
  };
}

/**
 * The definitions a bench run names: --trackers-ini (else ./trackers.ini when present) and --trax,
 * checked and exported to the workers. Returns their names in definition order.
 */
export function registerTraxTrackers(iniFile: string | undefined, options: readonly string[], taken: readonly string[]): string[] {
  const file = iniFile ?? (existsSync('trackers.ini') ? 'trackers.ini' : undefined);
  const defs = [...(file ? readTrackersIni(file) : []), ...options.map(defineFromOption)];
  const all = { ...exported() };
  for (const d of defs) {
    if (taken.includes(d.name) || (all[d.name] && all[d.name].source !== d.source)) {
      throw new UserError(`${d.source}: the tracker name '${d.name}' is already taken`);
    }
    all[d.name] = d;
  }
  process.env[DEFS_ENV] = JSON.stringify(all);
  if (defs.length > 0) guardChildren();
  return defs.map((d) => d.name);
}

/** The run's settings for TraX trackers (main thread, before the workers start). */
export function setTraxSettings(s: { stepMs: number | null; logDir: string }): void {
  process.env[SETTINGS_ENV] = JSON.stringify({ stepMs: s.stepMs, logDir: resolve(s.logDir) });
}

export function isTraxTracker(name: string): boolean {
  return exported()[name] !== undefined;
}

export function traxFactory(name: string): TrackerFactory | undefined {
  const def = exported()[name];
  if (!def) return undefined;
  return {
    name,
    description: `TraX tracker (${def.source}): ${def.command.join(' ').slice(0, 120)}`,
    // As the VOT toolkit: three identical supervised runs end the repetitions.
    deterministic: true,
    needsPixels: false,
    async create() {
      return new TraxTracker(def, settings());
    },
  };
}

/** The definition and the sha256 of every file it names: a resume after either changed is refused. */
export function traxFingerprint(name: string): string | null {
  const def = exported()[name];
  if (!def) return null;
  const h = createHash('sha256');
  h.update(JSON.stringify({ command: def.command, env: def.env, restart: def.restart, socket: def.socket, timeoutMs: def.timeoutMs }));
  for (const f of def.files) h.update(f).update(existsSync(f) ? readFileSync(f) : 'missing');
  return `trax sha256:${h.digest('hex')}`;
}
