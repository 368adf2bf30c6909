import { mapping, stringMap, text } from '../../manifests/access';
import { Rule } from '../rule';
import { DASHBOARD_LABEL, MANAGED_LABEL } from '../../k8s/keys';

/** The Secret KServe's storage initializer reads storage keys from, which odh-model-controller generates. */
const STORAGE_CONFIG = 'storage-config';

/** A Secret odh-model-controller turns into an entry of storage-config: a dashboard connection. */
function isConnection(labels: Record<string, string>): boolean {
  return labels[MANAGED_LABEL] === 'true' && labels[DASHBOARD_LABEL] === 'true';
}

export const storageConfigOwned: Rule = {
  id: 'storage-config-owned',
  title: 'the tree declares a storage-config Secret in a namespace whose dashboard connections odh-model-controller turns into its own storage-config',
  severity: 'warning',
  appliesTo: ['Secret'],
  premise:
    'a Secret storage-config and, in its namespace, a Secret labelled opendatahub.io/managed and opendatahub.io/dashboard (a connection) are in the tree',
  example: "a hand-written `name: storage-config` Secret beside a connection Secret labelled `opendatahub.io/dashboard: 'true'`",
  fix: 'let the connections generate storage-config (use their names as storage keys), or name yours otherwise and point serving.kserve.io/storageSecretName at it',
  source:
    'odh-model-controller secret_controller: storage-config is generated from the labelled connections and overwritten when it differs (deleted when none is left); Argo CD and the controller then fight',
  check(o, { graph }) {
    if (text(mapping(o.manifest.metadata).name) !== STORAGE_CONFIG) return [];
    const ns = graph.namespaceOf(o.manifest);
    const connections = graph
      .ofKind('Secret')
      .filter((s) => s !== o && graph.namespaceOf(s.manifest) === ns && isConnection(stringMap(mapping(s.manifest.metadata).labels)))
      .map((s) => text(mapping(s.manifest.metadata).name) ?? '<no name>');
    if (!connections.length) return [];
    return [
      {
        message:
          `odh-model-controller generates storage-config from the connections of this namespace (${connections.sort().join(', ')}) and overwrites this one: ` +
          `Argo CD and the controller fight over it; use the connections' names as storage keys, or name this Secret otherwise and point serving.kserve.io/storageSecretName at it`,
      },
    ];
  },
};
