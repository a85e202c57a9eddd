import { UserError } from '../../core/errors.ts';

/**
 * The INI dialect of the VOT toolkit's trackers.ini (Python's configparser): `[section]`, `key =
 * value` or `key: value`, keys lower-cased, `#` and `;` comment lines, indented continuation lines.
 */
export interface IniSection {
  name: string;
  line: number;
  entries: Map<string, { value: string; line: number }>;
}

export function parseIni(text: string, file: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*([#;]|$)/.test(raw)) return;
    if (/^\s/.test(raw) && current && lastKey) {
      const e = current.entries.get(lastKey)!;
      e.value += '\n' + raw.trim();
      return;
    }
    const sec = /^\[([^\]]*)\]\s*$/.exec(raw);
    if (sec) {
      if (sections.some((s) => s.name === sec[1])) throw new UserError(`${file}:${line}: section [${sec[1]}] is defined twice`);
      current = { name: sec[1], line, entries: new Map() };
      sections.push(current);
      lastKey = undefined;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv) throw new UserError(`${file}:${line}: not 'key = value' nor a [section]: ${raw.trim().slice(0, 80)}`);
    if (!current) throw new UserError(`${file}:${line}: '${kv[1]}' comes before any [section]`);
    lastKey = kv[1].toLowerCase();
    current.entries.set(lastKey, { value: kv[2], line });
  });
  return sections;
}

/**
 * Python's shlex.split (POSIX mode): words split on whitespace, single quotes literal, double quotes
 * with backslash escapes of `\`, `"`, `$` and newline, a bare backslash escaping the next character.
 */
export function shellSplit(s: string): string[] | string {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      i++;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) return 'a single quote is not closed';
      word = (word ?? '') + s.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let part = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length && '\\"$\n'.includes(s[j + 1])) j++;
        part += s[j++];
      }
      if (j >= s.length) return 'a double quote is not closed';
      word = (word ?? '') + part;
      i = j + 1;
    } else if (c === '\\') {
      word = (word ?? '') + (s[i + 1] ?? '');
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
