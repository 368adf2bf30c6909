import { mapping, stringMap, text } from '../manifests/access';
import { DASHBOARD_LABEL, MANAGED_LABEL } from '../k8s/keys';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

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

/** The name of an object, or a placeholder when it has none. */
export const nameOf = (o: GraphObject): string => text(mapping(o.manifest.metadata).name) ?? '<no name>';
