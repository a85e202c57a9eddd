/**
 * The source tree's shape as a test: imports between folders run one way (no cycle between any two
 * folders, so every folder can be read knowing only the ones below it), and the top-level layers
 * keep their order: a loader never reaches up into the runner, a metric never into a tracker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Lowest first; a folder may import its own layer and the layers before it. */
const LAYERS = [
  ['core'],
  ['output', 'images', 'compute', 'workers', 'trax'],
  ['benchmarks', 'synthetic'],
  ['trackers'],
  ['training'],
  ['runner'],
  ['study'],
  ['regress'],
  ['scaleout'],
  ['cli'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Relative specifiers of static imports and re-exports, dynamic imports and new URL(...). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g)) {
    found.push(normalize(join(dirname(file), m[2])));
  }
  return found;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, dirname(file));
    for (const target of importsOf(file)) {
      const to = relative(SRC, dirname(target));
      if (to === from || to.startsWith('..')) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Strongly connected components of more than one folder (Tarjan): each is a cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const layerOf = (folder: string) => LAYERS.findIndex((names) => names.includes(folder.split('/')[0]));

test('no two source folders import each other, directly or round a loop', () => {
  const graph = folderGraph();
  const described = cycles(graph).map((c) =>
    c.map((a) => `${a} -> ${[...graph.get(a)!].filter((b) => c.includes(b)).join(', ')}`).join('; '),
  );
  assert.deepEqual(described, []);
});

test('imports run down the layers: core, primitives, benchmarks, trackers, training, runner, study, regress, cli', () => {
  const upward: string[] = [];
  for (const [from, targets] of folderGraph()) {
    assert.notEqual(layerOf(from), -1, `src/${from} belongs to no layer: add it to LAYERS`);
    for (const to of targets) if (layerOf(to) > layerOf(from)) upward.push(`src/${from} -> src/${to}`);
  }
  assert.deepEqual(upward, []);
});

test('the checker sees a cycle when there is one', () => {
  const g = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
    ['d', new Set(['a'])],
  ]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
});
