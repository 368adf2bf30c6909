import { mapping, text } from '../../manifests/access';
import { connectionsIn, nameOf, STORAGE_CONFIG } from '../connections';
import { Rule } from '../rule';

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
    const connections = connectionsIn(graph, ns, o).map(nameOf);
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
