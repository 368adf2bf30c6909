import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { objectId } from '../manifests/access';
import { appFindings } from './app-findings-cache';
import { Finding } from './rule';
import { platformOf } from '../platform/platform';

/**
 * The rules, run at synth over every object of a cdk8s app, through cdk8s's own validation: `app.synth()`,
 * `Testing.synth()`, `cdk8s synth` and `KustomizeTree` all validate the whole app before writing, so an error
 * finding stops each of them with the rule id and the same message `cdk8s-vllm check` prints.
 *
 * cdk8s validations carry only errors: warnings (a check that cannot decide, a risk) are written by the validation
 * itself, one line each, once per app however often it is synthesized (standard error unless a `KustomizeTree` or
 * `reportWarningsTo` routes them). With `CDK8S_VLLM_STRICT=1` in the environment, or `strictChecks(app)`, warnings
 * that are not acknowledged on their object stop synth as errors do.
 *
 * One validation is registered per app, by the app's `AppChecks`: a construct under the root of the construct tree,
 * found there by its id (as aws-cdk finds a stack's singletons), which holds what the app's checks keep between
 * synths: where warnings go, those already said, strictness, the charts' clusters, and the last rendering.
 */
class AppChecks extends Construct {
  /** The id under the root; one no chart is likely to take. */
  private static readonly ID = 'cdk8s-vllm.AppChecks';

  /** The app's checks, made (and registered) the first time any construct of the app asks. */
  public static of(scope: IConstruct): AppChecks {
    return AppChecks.find(scope) ?? new AppChecks(scope.node.root);
  }

  /** The app's checks, if any construct of the app asked for them. */
  public static find(scope: IConstruct): AppChecks | undefined {
    const found = scope.node.root.node.tryFindChild(AppChecks.ID);
    return found instanceof AppChecks ? found : undefined;
  }

  public strict = false;
  public report: (line: string) => void = (line) => process.stderr.write(`${line}\n`);
  public readonly clusterResolvers: (() => ReadonlyMap<IConstruct, string>)[] = [];
  /** The objects the last validation rendered, for a writer that renders right after validating. */
  public lastRendered: ReadonlyMap<ApiObject, Record<string, unknown>> | undefined;
  /** The app's cdk8s-vllm constructs (VllmConstruct registers each): the objects under one were rendered by the constructs. */
  public readonly constructs = new WeakSet<IConstruct>();
  private readonly reported = new Set<string>();

  private constructor(root: IConstruct) {
    super(root, AppChecks.ID);
    this.node.addValidation({ validate: () => this.validate(root) });
  }

  private validate(root: IConstruct): string[] {
    const objects = root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    const rendered = objects.map((o) => o.toJson() as Record<string, unknown>);
    this.lastRendered = new Map(objects.map((o, i) => [o, rendered[i]]));
    const clusters = new Map<IConstruct, string>();
    for (const resolve of this.clusterResolvers) for (const [chart, cluster] of resolve()) clusters.set(chart, cluster);
    // the app's charts are one cluster unless declared to go to different ones (a fleet's environments): its
    // cluster-scoped objects are one namespace of names
    const findings = appFindings(
      rendered.map((manifest, i) => {
        const chart = Chart.of(objects[i]);
        const construct = [...objects[i].node.scopes].reverse().find((c) => this.constructs.has(c));
        return {
          manifest,
          unit: clusters.get(chart) ?? APP_CLUSTER,
          origin: objects[i].node.path,
          ...(construct ? { construct: construct.node.path } : {}),
        };
      }),
      platformOf(root).id,
    );
    // what a check could not judge is said at synth too (a note): silence is no verdict; strict checks refuse it
    // as they refuse warnings, since nothing unverified may pass them
    const warnings = findings.filter((f) => f.severity === 'warning' || (f.severity === 'info' && f.limitation));
    const strict = this.strict || /^(1|true)$/i.test(process.env[STRICT_ENV] ?? '');
    const fatal = strict ? warnings.filter((f) => !f.acknowledged) : [];
    this.reportOnce(warnings.filter((f) => !fatal.includes(f)));
    return [
      ...droppedPatches(objects, rendered),
      ...findings.filter((f) => f.severity === 'error').map(formatFinding),
      ...fatal.map((f) => `${formatFinding(f)} (fatal: strict checks, ${STRICT_ENV})`),
    ];
  }

  /** Writes each warning once per app: an app synthesized twice (KustomizeTree, then app.synth()) says it once. */
  private reportOnce(warnings: readonly Finding[]): void {
    for (const f of warnings) {
      const line = formatFinding(f);
      if (this.reported.has(line)) continue;
      this.reported.add(line);
      this.report(line);
    }
  }
}

/** How findings name the one cluster an app's charts go to when no fleet sends them to several. */
const APP_CLUSTER = "the app's";

/** Environment variable that makes warnings fatal (`1` or `true`). */
export const STRICT_ENV = 'CDK8S_VLLM_STRICT';

/**
 * Makes the checks' warnings (and notes of what they could not judge) fatal for the app `scope` belongs to, as
 * `CDK8S_VLLM_STRICT=1` does. It adds the app's checks under the root: set the app's context (setPlatform) first.
 */
export function strictChecks(scope: IConstruct): void {
  AppChecks.of(scope).strict = true;
}

/** Where the app's warnings go, one line each (default: standard error). Like strictChecks, after the app's context. */
export function reportWarningsTo(scope: IConstruct, report: (line: string) => void): void {
  AppChecks.of(scope).report = report;
}

/**
 * Declares which cluster the charts of an app go to, for the checks that treat a cluster as one namespace of names
 * (cluster-scoped objects): `resolve` runs at validation and maps charts to a cluster's name. Charts no resolver
 * names go to one cluster, the app's.
 */
export function declareClusters(scope: IConstruct, resolve: () => ReadonlyMap<IConstruct, string>): void {
  AppChecks.of(scope).clusterResolvers.push(resolve);
}

/** Registers the app-wide checks on `scope`'s app (once). */
export function registerAppChecks(scope: IConstruct): void {
  AppChecks.of(scope);
}

/**
 * Registers a cdk8s-vllm construct with its app's checks (registering them, once): the rules then know the objects
 * under it were rendered by the constructs, and may advise its props rather than the manifest's fields.
 */
export function registerConstruct(construct: IConstruct): void {
  AppChecks.of(construct).constructs.add(construct);
}

/**
 * Each object of `scope`'s app as its last validation rendered it (`ApiObject.toJson()`), or undefined before one.
 * A writer that validates and then renders at once (KustomizeTree) takes these instead of rendering every object a
 * second time; the checks read the objects and never change them.
 */
export function renderedAtValidation(scope: IConstruct): ReadonlyMap<ApiObject, Record<string, unknown>> | undefined {
  return AppChecks.find(scope)?.lastRendered;
}

/**
 * JSON patches whose effect is not in the rendered object. Typed bindings (`cdk8s import`) render only the fields
 * their schema knows, after the patches are applied: a patch to a misspelled or unknown field would vanish silently.
 */
function droppedPatches(objects: readonly ApiObject[], rendered: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  objects.forEach((o, i) => {
    for (const p of patchesOf(o)) {
      const { op, path } = p._toJson() as { op?: string; path?: string };
      if (!path || !['add', 'replace', 'copy', 'move'].includes(op ?? '')) continue;
      if (pointerExists(rendered[i], path)) continue;
      const id = objectId(rendered[i]);
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

/** The JSON patches added to an object. cdk8s keeps them in a private field; read it, as no public accessor exists. */
function patchesOf(o: ApiObject): JsonPatch[] {
  const patches: unknown = Reflect.get(o, 'patches');
  return Array.isArray(patches) ? patches.filter((p: unknown): p is JsonPatch => typeof (p as Partial<JsonPatch> | undefined)?._toJson === 'function') : [];
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
