import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './setup/scratch';

const LIB = path.join(ROOT, 'lib');

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The lib/ files a file imports: `import`/`export … from` (type-only ones too) and `require` of a relative path. */
export function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/\bfrom '(\.{1,2}\/[^']+)'|\brequire\('(\.{1,2}\/[^']+)'\)|\bimport\('(\.{1,2}\/[^']+)'\)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return specs.flatMap((s) => {
    const base = path.resolve(path.dirname(file), s);
    const hit = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    return hit && hit.startsWith(LIB + path.sep) ? [hit] : [];
  });
}

/**
 * Every import circle among `graph`'s files, each as the path that closes it (a → b → … → a), from Tarjan's
 * strongly connected components: one circle named per component, so that a knot of many files reads as one finding.
 */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(c);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!order.has(v)) visit(v);
  return components.map((c) => circleIn(graph, new Set(c))).sort((x, y) => x[0].localeCompare(y[0]));
}

/** A shortest circle through the first (sorted) file of a component: breadth-first back to it. */
function circleIn(graph: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0];
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const pathBack = [v];
        while (pathBack[0] !== start) pathBack.unshift(from.get(pathBack[0])!);
        return [...pathBack, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

describe('import circles', () => {
  test('the finder names a circle of two, a longer one and a self-import, and nothing in a chain', () => {
    const g = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['f']],
      ['g', ['h']],
      ['h', []],
    ]);
    expect(importCircles(g)).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
      ['f', 'f'],
    ]);
    expect(
      importCircles(
        new Map([
          ['x', ['y']],
          ['y', ['z']],
        ]),
      ),
    ).toEqual([]);
  });

  test('no file of lib/ reaches itself through its imports, inside a folder or across folders', () => {
    const files = sources(LIB).filter((f) => path.basename(f) !== 'index.ts' || path.dirname(f) !== LIB);
    const graph = new Map(files.map((f) => [f, importsOf(f, fs.readFileSync(f, 'utf8')).filter((t) => files.includes(t))]));
    expect(importCircles(graph).map((c) => c.map((f) => path.relative(LIB, f)).join(' → '))).toEqual([]);
  });
});
