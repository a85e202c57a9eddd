/**
 * TraX message lines as the reference library reads and writes them (docs/trax.md of ../shared,
 * sections 2.1-2.5): `@@TRAX:<name>` in column 0, then space-separated tokens, quoted or not, with
 * backslash escapes; a token whose text before its first '=' is a valid key is a named argument.
 */
export type MessageType = 'hello' | 'initialize' | 'frame' | 'state' | 'quit';

export interface Message {
  type: MessageType;
  args: string[];
  props: Map<string, string>;
}

/** A line that starts like a message but breaks the grammar: the reference drops it silently. */
export interface Malformed {
  malformed: string;
}

const PREFIX = '@@TRAX:';
const NAMES: Record<string, MessageType> = {
  hello: 'hello',
  initialize: 'initialize',
  frame: 'frame',
  state: 'state',
  status: 'state',
  quit: 'quit',
};

/** At most 64 characters of letters, digits, '.' and '_' (an empty key passes, as in the reference). */
export function isValidKey(key: string): boolean {
  return key.length <= 64 && /^[A-Za-z0-9._]*$/.test(key);
}

interface Token {
  text: string;
  /** Index in `text` of the first '=' that was not escaped, or -1. */
  eq: number;
  quoted: boolean;
}

/** Reads one token at `i`; returns it and the index after it, or a reason the line is malformed. */
function readToken(line: string, i: number): { token: Token; next: number } | string {
  const quoted = line[i] === '"';
  let j = quoted ? i + 1 : i;
  let text = '';
  let eq = -1;
  for (;;) {
    if (j >= line.length) {
      if (quoted) return 'a quoted argument is not closed';
      break;
    }
    const c = line[j];
    if (quoted && c === '"') {
      j++;
      if (j < line.length && line[j] !== ' ') return `'${line[j] === '\r' ? '\\r' : line[j]}' follows a closing quote`;
      break;
    }
    if (!quoted && c === ' ') break;
    if (c === '\\') {
      if (j + 1 >= line.length) return 'the line ends in a backslash';
      const e = line[j + 1];
      text += e === 'n' ? '\n' : e;
      j += 2;
      continue;
    }
    if (c === '=' && eq < 0) eq = text.length;
    text += c;
    j++;
  }
  return { token: { text, eq, quoted }, next: j };
}

/**
 * One line (without its LF) as a message, or null for a line that is not one (tracker output), or
 * Malformed for a line that names a message but breaks the grammar.
 */
export function parseLine(line: string): Message | Malformed | null {
  if (!line.startsWith(PREFIX)) return null;
  const m = /^[A-Za-z0-9]+/.exec(line.slice(PREFIX.length));
  if (!m) return null;
  const type = NAMES[m[0].toLowerCase()];
  let i = PREFIX.length + m[0].length;
  if (!type || (i < line.length && line[i] !== ' ')) return null;
  const args: string[] = [];
  const props = new Map<string, string>();
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\r') {
      i++;
      continue;
    }
    const r = readToken(line, i);
    if (typeof r === 'string') return { malformed: r };
    const { text, eq, quoted } = r.token;
    const key = eq >= 0 ? text.slice(0, eq) : undefined;
    if (key !== undefined && (quoted || key.length > 0) && isValidKey(key)) props.set(key, text.slice(eq + 1));
    else args.push(text);
    i = r.next;
  }
  return { type, args, props };
}

function escape(s: string): string {
  return s.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));
}

/** The reference writer's form: every argument quoted and followed by one space, then LF. */
export function formatMessage(type: MessageType, args: readonly string[] = [], props: Iterable<[string, string]> = []): string {
  let s = `${PREFIX}${type} `;
  for (const a of args) s += `"${escape(a)}" `;
  for (const [k, v] of props) s += `"${k}=${escape(v)}" `;
  return s + '\n';
}

/** Splits a text stream into lines (without their LF), whatever the chunk boundaries. */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      const line = this.pending + chunk.slice(start, nl);
      this.pending = '';
      this.onLine(line);
      start = nl + 1;
    }
    this.pending += chunk.slice(start);
  }

  /** End of stream: a started line counts as complete (the reference does the same). */
  end(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}
