/**
 * docs/commands.md is generated from the commands' own --help (npm run docs:commands): this renders
 * it again in memory and fails, naming the command, when the committed page no longer says what a
 * command prints, or lists a command package.json no longer has (or misses one it has).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { COMMANDS_DOC, collectHelp, commandSection, renderCommands } from '../scripts/docs-commands.ts';

const FIX = 'run `npm run docs:commands` and commit docs/commands.md';

/** The committed page's sections by command, each as commandSection renders it. */
function sections(page: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = page.split(/^(?=## `npm run )/m).slice(1);
  for (const part of parts) {
    const script = /^## `npm run ([^`]+)`/.exec(part)![1];
    out.set(script, part.replace(/\n+$/, '\n'));
  }
  return out;
}

test('docs/commands.md says what every command --help prints', async () => {
  const [commands, page] = await Promise.all([collectHelp(), readFile(COMMANDS_DOC, 'utf8')]);
  const committed = sections(page);
  for (const c of commands) {
    const section = committed.get(c.script);
    assert.ok(section !== undefined, `docs/commands.md has no section for npm run ${c.script}: ${FIX}`);
    assert.equal(section, commandSection(c).replace(/\n+$/, '\n'), `docs/commands.md is stale for npm run ${c.script}: ${FIX}`);
  }
  const extra = [...committed.keys()].filter((s) => !commands.some((c) => c.script === s));
  assert.deepEqual(extra, [], `docs/commands.md lists commands package.json does not run: ${extra.join(', ')}: ${FIX}`);
  assert.equal(page, renderCommands(commands), `docs/commands.md differs outside the command sections: ${FIX}`);
});
