import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { type IniSection, parseIni, shellSplit } from './ini.ts';

/**
 * A TraX tracker as the VOT toolkit's trackers.ini defines it (docs/trax.md of ../shared, 13.1-13.3),
 * expanded to what siambench starts: the argument vector (no shell), the environment, the working
 * folder, the deadline, and the files whose sha256 a run folder keeps.
 */
export interface TraxDefinition {
  name: string;
  label: string;
  /** Where it was defined: `file [section]`, or `--trax`. */
  source: string;
  command: string[];
  /** Variables set for the tracker on top of siambench's own environment. */
  env: Record<string, string>;
  /** null: a fresh temporary folder per process, as the toolkit does. */
  cwd: string | null;
  timeoutMs: number | null;
  restart: boolean;
  socket: boolean;
  files: string[];
}

const KNOWN = new Set([
  'command',
  'protocol',
  'label',
  'version',
  'tags',
  'storage',
  'timeout',
  'linkpaths',
  'socket',
  'restart',
  'paths',
  'python',
]);
const TRUE = ['true', '1', 't', 'y', 'yes'];
const FALSE = ['false', '0', 'f', 'n', 'no', ''];

type Where = (key: string) => string;

function bool(raw: string | undefined, key: string, at: Where): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new UserError(`${at(key)}: '${raw}' is not a boolean (true/1/yes or false/0/no)`);
}

/** $VAR and ${VAR} from siambench's environment, as os.path.expandvars does (unknown ones stay). */
function expandVars(s: string): string {
  return s.replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a, b) => process.env[a ?? b] ?? m);
}

/** The program a command starts, found as spawn will find it, or a reason it will not be. */
function findProgram(program: string, at: string): string {
  if (program.includes('/')) {
    if (!isAbsolute(program)) {
      throw new UserError(
        `${at}: '${program}' is a relative path, but the tracker runs in a fresh temporary folder (as in the VOT toolkit): give an absolute path`,
      );
    }
    if (!existsSync(program)) throw new UserError(`${at}: '${program}' does not exist`);
    return program;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, program);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      // not in this folder
    }
  }
  throw new UserError(`${at}: '${program}' is not on PATH`);
}

function pythonCommand(command: string, python: string, paths: string[]): string[] {
  if (/^[a-zA-Z_][a-zA-Z0-9_.]*$/.test(command)) return [python, '-m', command];
  const inserts = paths.map((p) => `sys.path.insert(0, '${p.replaceAll("'", "\\'")}');`).join('');
  return [python, '-c', `import sys;${inserts}${command}`];
}

/** Files the definition names: program and argument files that exist, and a traxpython module. */
function namedFiles(command: string[], paths: string[], module: string | null): string[] {
  const files = command.filter((w) => isAbsolute(w) && existsSync(w) && statSync(w).isFile());
  if (module) {
    for (const p of paths) {
      const f = join(p, ...module.split('.')) + '.py';
      if (existsSync(f)) files.push(f);
    }
  }
  return [...new Set(files)];
}

/** One [section] of a trackers.ini file. */
export function defineFromIni(section: IniSection, file: string): TraxDefinition {
  const at: Where = (key) => `${file}: [${section.name}] ${key}`;
  if (!/^[a-zA-Z0-9-_]+$/.test(section.name))
    throw new UserError(`${file}:${section.line}: [${section.name}]: a tracker name has only letters, digits, '-' and '_'`);
  const get = (k: string) => section.entries.get(k)?.value;
  for (const key of section.entries.keys()) {
    if (!KNOWN.has(key) && !/^(env|arg|meta)_/.test(key)) throw new UserError(`${at(key)}: unknown key (the VOT toolkit refuses it too)`);
  }
  const rawCommand = get('command');
  if (rawCommand === undefined || rawCommand.trim() === '') throw new UserError(`${at('command')}: missing (a tracker needs a command)`);
  const protocol = (get('protocol') ?? 'trax').trim();
  if (protocol !== 'trax' && protocol !== 'traxpython') {
    throw new UserError(`${at('protocol')}: '${protocol}' is not supported here (trax and traxpython are)`);
  }
  const base = dirname(resolve(file));
  const list = (k: string) =>
    (get(k) ?? '')
      .split(delimiter)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => resolve(base, expandVars(p)));
  const env: Record<string, string> = { TRAX: '1' };
  for (const [key, { value }] of section.entries) if (key.startsWith('env_')) env[key.slice(4).toUpperCase()] = expandVars(value);
  const linkpaths = list('linkpaths');
  if (linkpaths.length > 0 && env.LD_LIBRARY_PATH === undefined) env.LD_LIBRARY_PATH = linkpaths.join(delimiter);
  const paths = list('paths');
  let command: string[];
  let module: string | null = null;
  if (protocol === 'traxpython') {
    const python = get('python')?.trim() || 'python3';
    command = pythonCommand(rawCommand.trim(), python, paths);
    if (command[1] === '-m') module = rawCommand.trim();
    env.PYTHONPATH = [...paths].reverse().join(delimiter);
    env.PYTHONUNBUFFERED = '1';
  } else {
    const words = shellSplit(rawCommand);
    if (typeof words === 'string') throw new UserError(`${at('command')}: ${words}`);
    command = words;
  }
  command[0] = findProgram(command[0], at(protocol === 'traxpython' ? 'python' : 'command'));
  const t = get('timeout');
  const timeout = t === undefined ? null : Number(t);
  if (timeout !== null && !(Number.isInteger(timeout) && timeout >= 1))
    throw new UserError(`${at('timeout')}: '${t}' is not a whole number of seconds >= 1`);
  return {
    name: section.name,
    label: get('label')?.trim() || section.name,
    source: `${file} [${section.name}]`,
    command,
    env,
    cwd: null,
    timeoutMs: timeout === null ? null : timeout * 1000,
    restart: bool(get('restart'), 'restart', at),
    socket: bool(get('socket'), 'socket', at),
    files: namedFiles(command, paths, module),
  };
}

export function readTrackersIni(file: string): TraxDefinition[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return parseIni(text, file).map((s) => defineFromIni(s, file));
}

/** `--trax name=command`: a one-off tracker, run in the current folder so that relative paths work. */
export function defineFromOption(raw: string): TraxDefinition {
  const eq = raw.indexOf('=');
  const name = raw.slice(0, eq).trim();
  if (eq < 0 || !/^[a-zA-Z0-9-_]+$/.test(name)) throw new UserError(`--trax: expected <name>=<command>, got '${raw}'`);
  const words = shellSplit(raw.slice(eq + 1));
  if (typeof words === 'string' || words.length === 0)
    throw new UserError(`--trax ${name}: ${typeof words === 'string' ? words : 'no command'}`);
  const program = words[0].includes('/') ? resolve(words[0]) : words[0];
  const command = [findProgram(program, `--trax ${name}`), ...words.slice(1)];
  const files = command.filter((w) => existsSync(resolve(w)) && statSync(resolve(w)).isFile()).map((w) => resolve(w));
  return {
    name,
    label: name,
    source: '--trax',
    command,
    env: { TRAX: '1' },
    cwd: process.cwd(),
    timeoutMs: null,
    restart: false,
    socket: false,
    files,
  };
}
