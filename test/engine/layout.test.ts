/**
 * The engine's layout: stage folders that import only downward (the order written in
 * src/engine/index.ts), no import cycle, and two surfaces for the rest of src/: index.ts, and vocabulary.ts for what
 * option declarations need at start-up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const ENGINE = join(SRC, 'engine');

/** The engine's surfaces for the rest of src/: everything, and the light words of option parsing. */
const SURFACES = ['index.ts', 'vocabulary.ts'];

/** The stages, lowest first: a file may import its own stage's files and those of lower stages. */
const STAGES = [
  'model',
  'primitives',
  'cni',
  'compile',
  'evaluate',
  'scaffold',
  'diagnose',
  'audit',
  'explain',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The files a source file imports or re-exports by a relative path, as absolute .ts paths. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/\b(?:import|export)\b[^;'"]*?\bfrom\s+'(\.[^']+)'/g)];
  return specifiers.map((m) => resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts')));
}

/** One cycle of a graph as a path that ends where it starts, or undefined when it has none. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Memos still kept at module level, keyed by what they describe (an analysis, a chain, a pod):
 * each is to be passed in by its callers, as DenyReaches' candidates and RestrictingTiersMemo are.
 */
const MODULE_MEMOS = [
  'compile/calico-endpoints.ts: endpointLabels',
  'evaluate/address-families.ts: views',
  'evaluate/address-families.ts: matchesAddresses',
  'evaluate/node-local.ts: hostPodsOf',
  'scaffold/scaffold-fix.ts: namesOfPolicies',
];

/** A file's module-level state: `let`s, and collections made at load under a lower-case name. */
function moduleState(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const state =
    /^(?:export )?(?:(?:let|var) (\w+)|const ([a-z]\w*)(?::[^=]+)? = new (?:Weak)?(?:Map|Set)\b)/gm;
  return [...text.matchAll(state)].map((m) => `${name(file)}: ${m[1] ?? m[2]}`);
}

const engineFiles = sourceFiles(ENGINE);
const name = (file: string) => relative(ENGINE, file);
const stageOf = (file: string) => STAGES.indexOf(name(file).split('/')[0] ?? '');

describe('the engine layout', () => {
  it('has only the surfaces at the top and every other file in a ranked stage folder', () => {
    const misplaced = engineFiles
      .map(name)
      .filter((file) => !SURFACES.includes(file) && !STAGES.includes(file.split('/')[0] ?? ''));
    expect(misplaced).toEqual([]);
    expect(engineFiles.map(name)).toContain('index.ts');
  });

  it('imports only within a stage or downward, never through a surface', () => {
    const upward = engineFiles
      .filter((file) => !SURFACES.includes(name(file)))
      .flatMap((file) =>
        relativeImports(file)
          .filter((target) => SURFACES.includes(name(target)) || stageOf(target) > stageOf(file))
          .map((target) => `${name(file)} -> ${name(target)}`),
      );
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const graph = new Map(engineFiles.map((file) => [name(file), relativeImports(file).map(name)]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it('keeps no state of its own: what one answer keeps for the next, its caller passes in', () => {
    expect(engineFiles.flatMap(moduleState).sort()).toEqual([...MODULE_MEMOS].sort());
  });

  it('is imported by the rest of src/ only through index.ts and vocabulary.ts', () => {
    const deep = sourceFiles(SRC)
      .filter((file) => !file.startsWith(`${ENGINE}/`))
      .flatMap((file) =>
        relativeImports(file)
          .filter((target) => target.startsWith(`${ENGINE}/`) && !SURFACES.includes(name(target)))
          .map((target) => `${relative(SRC, file)} -> engine/${name(target)}`),
      );
    expect(deep).toEqual([]);
  });
});

describe('findCycle', () => {
  it('finds a cycle through several files and none in a diamond', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    const diamond = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findCycle(diamond)).toBeUndefined();
  });
});
