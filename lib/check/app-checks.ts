import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { runChecks } from './engine';
import { Finding } from './rule';
import { platformOf } from '../platform/platform';

/**
 * The rules, run at synth over every object of a cdk8s app, through cdk8s's own validation: `app.synth()`,
 * `Testing.synth()`, `cdk8s synth` and `KustomizeTree` all validate the whole app before writing, so an error
 * finding stops each of them with the rule id and the same message `cdk8s-vllm check` prints.
 *
 * One validation is registered on the root of the construct tree, however many constructs ask for it.
 */
const registered = new WeakSet<IConstruct>();
const lastFindings = new WeakMap<IConstruct, readonly Finding[]>();

/** Registers the app-wide checks on the root of `scope`'s tree (once). */
export function registerAppChecks(scope: IConstruct): void {
  const root = scope.node.root;
  if (registered.has(root)) return;
  registered.add(root);
  root.node.addValidation({
    validate: () => {
      const objects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
      const rendered = objects.map((o) => o.toJson() as Record<string, unknown>);
      // each chart is a unit: an app may render several clusters, whose cluster-scoped objects may share names
      const findings = runChecks(
        rendered.map((manifest, i) => ({ manifest, unit: Chart.of(objects[i]).node.path })),
        { platform: platformOf(root).id },
      );
      lastFindings.set(root, findings);
      return [...droppedPatches(objects, rendered), ...findings.filter((f) => f.severity === 'error').map(formatFinding)];
    },
  });
}

/** Findings of the last validation of the app `scope` belongs to (warnings included), or undefined before any. */
export function lastAppFindings(scope: IConstruct): readonly Finding[] | undefined {
  return lastFindings.get(scope.node.root);
}

/**
 * JSON patches whose effect is not in the rendered object. Typed bindings (`cdk8s import`) render only the fields
 * their schema knows, after the patches are applied: a patch to a misspelled or unknown field would vanish silently.
 */
function droppedPatches(objects: readonly ApiObject[], rendered: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  objects.forEach((o, i) => {
    // cdk8s keeps the patches in a private field; read it, as no public accessor exists
    const patches = (o as unknown as { patches?: { _toJson(): { op?: string; path?: string } }[] }).patches ?? [];
    for (const p of patches) {
      const { op, path } = p._toJson();
      if (!path || !['add', 'replace', 'copy', 'move'].includes(op ?? '')) continue;
      if (pointerExists(rendered[i], path)) continue;
      const id = `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.name}`;
      const parentPath = path.split('/').slice(0, -1).join('/');
      const parent = resolvePointer(rendered[i], parentPath);
      const known = parent && typeof parent === 'object' && !Array.isArray(parent) ? Object.keys(parent).sort().join(', ') : '';
      out.push(
        `error json-patch-dropped ${id}: the JSON patch ${op} ${path} is not in the rendered object: the ${o.apiVersion} ${o.kind} schema has no such field, so it was dropped` +
          `${known ? ` (fields at ${parentPath || '/'}: ${known})` : ''}; fix the path, or set the field through the construct's props`,
      );
    }
  });
  return out;
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (key === '-' ? cur[cur.length - 1] : cur[Number(key)]) : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function pointerExists(doc: unknown, pointer: string): boolean {
  return resolvePointer(doc, pointer) !== undefined;
}

/** One finding on one line: `error gpu-memory-fit InferenceService ns/name: message`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.rule} ${f.object}: ${f.message}`;
}
