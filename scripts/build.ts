// `npm run build` (and npm's `prepare`, so a clone has it after `npm install`): compiles src/ to
// JavaScript in dist/ for the `siambench` command, which then starts without a TypeScript compiler
// in the loop. Types are checked by `npm run typecheck`, not here (noCheck: the emit alone is fast).
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(repo, 'src');
const dist = join(repo, 'dist');
// The sources' names, sizes and times: when they match the last build's, dist/ is current and
// `prepare` (--if-changed) leaves it (npx installs the project into its cache on first use, which
// runs `prepare` again).
const sources = readdirSync(src, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
const state = sources
  .map((e) => join(e.parentPath, e.name))
  .sort()
  .map((f) => `${relative(src, f)} ${statSync(f).size} ${statSync(f).mtimeMs}`)
  .join('\n');
const stamp = join(dist, '.sources');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === state && process.argv.includes('--if-changed')) process.exit(0);
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { stdio: 'inherit' });
// Files the modules read or start beside themselves: the worker boot script, report.html's script and styles.
for (const entry of sources) {
  if (entry.name.endsWith('.ts')) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, relative(src, from)));
}
chmodSync(join(dist, 'cli', 'siambench.js'), 0o755);
writeFileSync(stamp, state);
