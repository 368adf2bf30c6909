import { Loose, mapping, stringMap, strings, text } from '../manifests/access';
import { HOOK_ANNOTATION } from '../k8s/keys';
import { waveOf } from './argocd/application';
import { HELM_HOOK } from './argocd/hooks';
import type { ObjectGraph } from './graph';
import { objectsCreatedByScript } from '../manifests/script-creations';
import { containersOf } from './pods';
import type { GraphObject } from './graph-object';

/** A Secret a script of the tree creates when it runs, and the object whose script does it. */
export interface ScriptSecret {
  readonly name: string;
  /** The namespace it lands in: the manifest's, the command's -n, else the namespace the script runs in. */
  readonly namespace?: string;
  /** The object that runs the script (a Job, a ConfigMap holding it), as `Kind/ns/name`. */
  readonly by: string;
  /** That object. */
  readonly object: GraphObject;
  /** The Secret as the script writes it out (a heredoc's manifest), when it does. */
  readonly manifest?: Loose;
}

/**
 * The Secrets one script creates: the Secret manifests of heredocs it pipes into `oc|kubectl apply|create -f -`, and
 * `oc|kubectl create secret … NAME` (script-creations reads both). Names holding a shell variable are not known.
 */
export function secretsOfScript(source: string): { name: string; namespace?: string; manifest?: Loose }[] {
  return objectsCreatedByScript(source)
    .filter((o) => o.kind === 'Secret')
    .map((o) => ({ name: o.name, namespace: o.namespace, ...(o.manifest ? { manifest: o.manifest } : {}) }));
}

/** The scripts an object holds: its containers' command lines (a `sh -c` script among them), a ConfigMap's values. */
function scriptsOf(m: Loose): string[] {
  if (m.kind === 'ConfigMap') return Object.values(mapping(m.data)).filter((v): v is string => typeof v === 'string');
  return containersOf(m).map(({ container }) => [...strings(container.command), ...strings(container.args)].join('\n'));
}

/** Every Secret a script of the tree creates, with the object that runs it; `namespaceOf` places an object. */
export function scriptCreatedSecrets(
  objects: readonly GraphObject[],
  namespaceOf: (m: Loose) => string | undefined,
  id: (o: GraphObject) => string,
): ScriptSecret[] {
  return objects.flatMap((o) => {
    const scripts = scriptsOf(o.manifest).filter((s) => /\b(?:oc|kubectl)\b/.test(s));
    return scripts.flatMap(secretsOfScript).map((s) => ({ ...s, namespace: s.namespace ?? namespaceOf(o.manifest), by: id(o), object: o }));
  });
}

/** A nameless resource's id: its kind, namespace and generateName, as kustomize would have been asked to build it. */
function refusedId(graph: ObjectGraph, o: GraphObject): string {
  const meta = mapping(o.manifest.metadata);
  const ns = graph.namespaceOf(o.manifest);
  return `${String(o.manifest.kind)}/${ns ? `${ns}/` : ''}${text(meta.generateName) ? `(generateName ${String(meta.generateName)})` : '(no name)'}`;
}

/** The Secrets the scripts of the tree's objects create: of the objects delivered, and of those kustomize refuses (read once per graph). */
export function treeScriptSecrets(graph: ObjectGraph): { delivered: ScriptSecret[]; refused: ScriptSecret[] } {
  return graph.once('script-secrets:tree', () => {
    const of = (objects: readonly GraphObject[], id: (x: GraphObject) => string) => scriptCreatedSecrets(objects, (m) => graph.namespaceOf(m), id);
    return { delivered: of(graph.objects, (x) => graph.id(x)), refused: of(graph.refused, (x) => refusedId(graph, x)) };
  });
}

/** The object that runs the script, with when Argo CD runs it: its hook phase, its sync wave. */
export function creatorOf(c: ScriptSecret): string {
  const annotations = stringMap(mapping(c.object.manifest.metadata).annotations);
  const hook = annotations[HOOK_ANNOTATION] ?? annotations[HELM_HOOK];
  const wave = waveOf(c.object);
  const when = [hook ? `its ${hook} hook` : '', wave !== undefined ? `sync wave ${wave}` : ''].filter(Boolean).join(', ');
  return `${c.by}${when ? ` (at ${when})` : ''}`;
}
