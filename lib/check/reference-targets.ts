import * as path from 'path';
import { mapping, text } from '../manifests/access';
import { readmeMadeApart } from '../manifests/readme-prerequisites';
import { editDistance, NearBound, nearWithin } from '../private/edit-distance';
import { chartReleases } from './chart-releases';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { operatorServiceVerdict } from './operator-made';
import { signalledReleaseOf } from './signalled-releases';
import { serviceMade } from './service-explained';
import { holdsTemplate } from './template-syntax';
import { unseenInstalls } from './tree-namespaces';

/**
 * The lookup of an object another names by kind and name in a namespace (an Ingress's Service, an HTTPRoute's
 * Gateway, Service or InferencePool, a policy's target), and what may make it though the tree does not hold it.
 */

/** The API group of a manifest ('' for the core group). */
export function groupOf(o: GraphObject): string {
  const apiVersion = String(o.manifest.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * Whether something of the namespace other than the object may make it: a custom resource whose name begins the
 * object's name (an operator names what it makes after its object: KServe's <isvc>-predictor Deployment, an
 * operator's <cr>-config ConfigMap). A Service's makers are serviceMade's.
 */
export function madeByController(graph: ObjectGraph, name: string, ns: string | undefined, peers: readonly GraphObject[] = []): boolean {
  return graph.objects.some((o) => {
    if (peers.includes(o)) return false;
    const group = groupOf(o);
    const custom = group.includes('.') && !group.endsWith('.k8s.io');
    const own = text(mapping(o.manifest.metadata).name);
    return custom && own !== undefined && name.startsWith(own) && graph.namespaceOf(o.manifest) === ns;
  });
}

/** The objects of a kind (in one of `groups`) the tree holds in the namespace (an unset namespace matching only an unset one: the namespace both are deployed to). */
export function objectsOf(graph: ObjectGraph, kind: string, groups: readonly string[], ns: string | undefined): GraphObject[] {
  return graph.ofKind(kind).filter((o) => groups.includes(groupOf(o)) && graph.namespaceOf(o.manifest) === ns);
}

/** The names of a kind's cluster-scoped objects of one API group in the tree (Kueue's, KAI's), sorted, each once. */
export function namesOf(graph: ObjectGraph, kind: string, group: string): string[] {
  const names = graph
    .ofKind(kind)
    .filter((o) => groupOf(o) === group)
    .map((o) => text(mapping(o.manifest.metadata).name))
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}

/**
 * Whether a Helm chart the tree installs may make the object: a release (an Argo CD or Flux chart release into the
 * namespace, a script's `helm install|upgrade`) whose name begins the object's, as charts name their objects after
 * the release (Helm's scaffold fullname; the inference extension's inferencepool chart names its picker <release>-epp).
 */
export function madeByChart(graph: ObjectGraph, name: string, ns: string | undefined): boolean {
  const releases = chartReleases(graph).filter((r) => r.namespace === undefined || ns === undefined || r.namespace === ns);
  if (releases.some((r) => name.startsWith(r.release))) return true;
  return graph.helmCommands.some((h) => h.verb !== 'template' && h.positionals.length > 1 && name.startsWith(h.positionals[0]));
}

/**
 * Why the tree may not show an object of `kind` that exists all the same, or undefined: a name holding a template, an
 * object of the tree that makes it (for a Service, serviceMade: a custom resource's operator or a Gateway's controller
 * names its Services after it; for other kinds, madeByController), a chart's (madeByChart), a name an operator gives
 * the objects of a resource the tree does not hold (operatorServiceVerdict: KubeRay's <rayservice>-head-svc), a name
 * beginning with a Helm release the tree's monitoring objects signal in the namespace (signalledReleaseOf: `release:
 * prometheus` on a ServiceMonitor, and Service prometheus-grafana), or a namespace an Argo CD Application syncs from a
 * source the input does not show. `peers` are objects of the kind looked up, which make no other of their kind.
 */
export function madeOutsideTree(
  graph: ObjectGraph,
  kind: string,
  name: string,
  ns: string | undefined,
  peers: readonly GraphObject[] = [],
): string | undefined {
  if (holdsTemplate(name)) return 'a template';
  if (kind === 'Service' ? serviceMade(graph, name.toLowerCase(), ns) : madeByController(graph, name, ns, peers)) return 'a controller';
  if (madeByChart(graph, name, ns)) return 'a chart';
  if (operatorServiceVerdict(graph, name)) return 'an operator';
  if (signalledReleaseOf(graph, name, ns)) return 'a signalled release';
  if (unseenInstalls(graph, ns).length) return 'an unseen delivery';
  return undefined;
}

/** Two object names are taken for one at most a fifth of the longer's length apart, at least two edits. */
const NAME_TYPO: NearBound = { charactersPerEdit: 5, of: 'longer', atLeast: 2 };

/** Whether a name is near enough to another to be the one meant (NAME_TYPO). */
export const nearName = (a: string, b: string): boolean => nearWithin(a, [b], NAME_TYPO).length > 0;

/** The names of `objects`, the nearest to `name` (by edit distance) first. */
export function namesNearest(name: string, objects: readonly GraphObject[]): string[] {
  const names = [...new Set(objects.map((o) => text(mapping(o.manifest.metadata).name)).filter((n): n is string => n !== undefined))];
  return names.sort((a, b) => editDistance(name, a) - editDistance(name, b) || a.localeCompare(b));
}

/** Words of object names that say what kind of thing an object is, not which one: they name no object in particular. */
const GENERIC_WORDS = new Set(['vllm', 'inference', 'pool', 'server', 'service', 'svc', 'backend', 'model', 'gateway', 'route', 'deployment']);

/** The words of a text in lower case, letters and digits apart (`Llama-3.1-8B` is llama 3 1 8 b). */
function wordsOf(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter(Boolean);
}

/**
 * Whether a sentence names an object: its name written whole, or every word of the name that says which object it is
 * (`vllm-llama3-8b-instruct` in "the vLLM server for Llama-3.1-8B-Instruct": llama, 3, 8, b, instruct).
 */
export function sentenceNames(sentence: string, name: string): boolean {
  if (sentence.toLowerCase().includes(name.toLowerCase())) return true;
  const own = wordsOf(name).filter((w) => !GENERIC_WORDS.has(w));
  const said = new Set(wordsOf(sentence));
  return own.join('').length >= 4 && own.every((w) => said.has(w));
}

/** The folders from `dir` up to the top folder of the checked input that holds it (only `dir` where the input's folders are not known). */
function foldersUp(graph: ObjectGraph, dir: string): string[] {
  const holding = (graph.folders ?? []).map((f) => path.resolve(f)).filter((f) => !path.relative(f, path.resolve(dir)).startsWith('..'));
  const top = holding.sort((a, b) => a.length - b.length)[0] ?? path.resolve(dir);
  const out: string[] = [];
  for (let d = path.resolve(dir); !path.relative(top, d).startsWith('..'); d = path.dirname(d)) {
    out.push(d);
    if (d === top || path.dirname(d) === d) break;
  }
  return out;
}

/**
 * Where a README of the referrer's folder, or of a folder above it in the checked input, has the reader make the
 * object named apart from the tree (a prerequisite, a backend deployed separately: MADE_APART) and names it: the README
 * and the sentence, for messages; undefined where none does.
 */
export function madeApartByReadme(graph: ObjectGraph, o: GraphObject, name: string): string | undefined {
  if (!o.file) return undefined;
  for (const dir of foldersUp(graph, path.dirname(o.file))) {
    const readme = graph.once(`reference-targets:readme:${dir}`, () => readmeMadeApart(dir));
    const said = readme?.paragraphs.find((p) => sentenceNames(p.text, name));
    if (readme && said) {
      // the sentence that names it, where one does
      const sentence = said.text.split(/(?<=[.!?])\s+/).find((x) => sentenceNames(x, name)) ?? said.text;
      const shown = sentence.length > 200 ? `${sentence.slice(0, 197)}…` : sentence;
      return `${path.basename(readme.readme)} of ${path.basename(dir)}/ (line ${said.line}: '${shown}')`;
    }
  }
  return undefined;
}
