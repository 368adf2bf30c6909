import { Loose, mapping, strings } from '../manifests/access';
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
}

/**
 * The Secrets one script creates: the Secret manifests of heredocs it pipes into `oc|kubectl apply|create -f -`, and
 * `oc|kubectl create secret … NAME` (script-creations reads both). Names holding a shell variable are not known.
 */
export function secretsOfScript(source: string): { name: string; namespace?: string }[] {
  return objectsCreatedByScript(source)
    .filter((o) => o.kind === 'Secret')
    .map((o) => ({ name: o.name, namespace: o.namespace }));
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
    return scripts.flatMap(secretsOfScript).map((s) => ({ name: s.name, namespace: s.namespace ?? namespaceOf(o.manifest), by: id(o), object: o }));
  });
}
