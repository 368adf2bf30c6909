import { mapping, stringMap, text } from '../manifests/access';
import { CONNECTION_TYPE_PROTOCOL_ANNOTATION, CONNECTION_TYPE_REF_ANNOTATION, DASHBOARD_LABEL, MANAGED_LABEL } from '../k8s/keys';
import { secretValues } from './credentials/object-fields';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { creatorOf, treeScriptSecrets } from './script-secrets';

/** The Secret KServe's storage initializer reads storage keys from, which odh-model-controller generates. */
export const STORAGE_CONFIG = 'storage-config';

/**
 * The Secrets of a namespace that odh-model-controller turns into entries of its storage-config, one per Secret under
 * the Secret's name: dashboard connections, labelled opendatahub.io/managed and opendatahub.io/dashboard
 * (odh-model-controller secret_controller).
 */
export function connectionsIn(graph: ObjectGraph, ns: string | undefined, except?: GraphObject): GraphObject[] {
  return graph.ofKind('Secret').filter((s) => {
    if (s === except || graph.namespaceOf(s.manifest) !== ns) return false;
    const labels = stringMap(mapping(s.manifest.metadata).labels);
    return labels[MANAGED_LABEL] === 'true' && labels[DASHBOARD_LABEL] === 'true';
  });
}

/** Whether a Secret manifest carries the labels that make it a connection (unknown labels, as of `create secret`, count). */
function connectionLabels(manifest: unknown): boolean {
  if (manifest === undefined) return true;
  const labels = stringMap(mapping(mapping(manifest).metadata).labels);
  return labels[MANAGED_LABEL] === 'true' && labels[DASHBOARD_LABEL] === 'true';
}

/**
 * What creates the connection of that name in the namespace by a script: a Job's (or hook's) `oc apply` of a Secret
 * with the connection labels, or `oc|kubectl create secret` (which sets no labels; the script may label it after), or
 * a script file of the tree; undefined when nothing does, or the Secret it writes out is no connection.
 */
export function scriptMadeConnection(graph: ObjectGraph, name: string, ns: string | undefined): string | undefined {
  const here = (c: { name: string; namespace?: string }) => c.name === name && (c.namespace === undefined || ns === undefined || c.namespace === ns);
  const running = treeScriptSecrets(graph).delivered.find((c) => here(c) && !graph.inFailedBuild(c.object) && connectionLabels(c.manifest));
  if (running) return `the script of ${creatorOf(running)}`;
  const file = graph.scriptCreating('Secret', name, ns);
  return file && connectionLabels(file.manifest) ? `${file.script} (line ${file.line})` : undefined;
}

/** The name of an object, or a placeholder when it has none. */
export const nameOf = (o: GraphObject): string => text(mapping(o.manifest.metadata).name) ?? '<no name>';

/**
 * The connections the tree holds in the namespace, when a storage key names none of them (nor one a script makes): on
 * OpenShift AI storage-config has an entry per connection of the namespace only, so that key has none
 * (storage-credentials-missing reports it); undefined when the key names one, or the tree holds none there.
 */
export function connectionsBesidesKey(graph: ObjectGraph, key: string, ns: string | undefined): string[] | undefined {
  if (ns === undefined) return undefined;
  const connections = connectionsIn(graph, ns).map(nameOf);
  if (!connections.length || connections.includes(key) || scriptMadeConnection(graph, key, ns)) return undefined;
  return connections.sort();
}

/** The older connection-type annotation, which the dashboard wrote before connection-type-ref (s3). */
const LEGACY_CONNECTION_TYPE_ANNOTATION = 'opendatahub.io/connection-type';

/**
 * The storage scheme of a storage key, where the tree tells it, and the URI it names where it is one: the connection
 * Secret of that name in the namespace (its `URI` value's scheme for a URI connection, s3 for an S3 connection: the
 * protocol annotation, or the dashboard's AWS_S3_BUCKET key), else the key's entry of a storage-config Secret of the
 * tree (its JSON `type`, as KServe's storage initializer reads it: kserve python/kserve/kserve/storage storage.py
 * _update_with_storage_spec). Undefined where nothing of the tree tells.
 */
export function storageKeyScheme(graph: ObjectGraph, key: string, ns: string | undefined): { scheme: string; uri?: string } | undefined {
  const secret = graph.find('Secret', key, ns);
  if (secret) {
    const annotations = stringMap(mapping(secret.manifest.metadata).annotations);
    const { keys, decoded } = secretValues(secret.manifest);
    const uri = keys.includes('URI') ? decoded('URI').trim() : '';
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1];
    if (scheme) return { scheme: scheme.toLowerCase(), uri };
    const declared =
      annotations[CONNECTION_TYPE_PROTOCOL_ANNOTATION] ?? annotations[CONNECTION_TYPE_REF_ANNOTATION] ?? annotations[LEGACY_CONNECTION_TYPE_ANNOTATION];
    if (declared === 's3' || keys.includes('AWS_S3_BUCKET')) return { scheme: 's3' };
  }
  const config = graph.find('Secret', STORAGE_CONFIG, ns);
  if (!config) return undefined;
  const { keys, decoded } = secretValues(config.manifest);
  if (!keys.includes(key)) return undefined;
  try {
    const type = text(mapping(JSON.parse(decoded(key))).type);
    return type ? { scheme: type.toLowerCase() } : undefined;
  } catch {
    return undefined;
  }
}
