import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** The API group of External Secrets Operator's resources (external-secrets apis/externalsecrets/v1, v1beta1). */
const ESO_GROUP = 'external-secrets.io';
const STORE_KINDS = ['SecretStore', 'ClusterSecretStore'];

/** A store the tree or its repository defines: kind, name, namespace where a SecretStore's is known. */
interface Store {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

function storesOf(graph: ObjectGraph): Store[] {
  return graph.once('external-secret-store-not-found:stores', () => [
    ...graph.objects
      .filter((o) => STORE_KINDS.includes(String(o.manifest.kind)) && apiGroupOf(o.manifest.apiVersion) === ESO_GROUP)
      .map((o) => ({ kind: String(o.manifest.kind), name: text(mapping(o.manifest.metadata).name) ?? '', namespace: graph.namespaceOf(o.manifest) })),
    ...repositoryObjectsOf(graph)
      .filter((r) => STORE_KINDS.includes(r.kind) && apiGroupOf(r.manifest.apiVersion) === ESO_GROUP)
      .map((r) => ({ kind: r.kind, name: r.name, namespace: r.namespace })),
  ]);
}

/** The store reference of an ExternalSecret (spec.secretStoreRef) or a ClusterExternalSecret (spec.externalSecretSpec.secretStoreRef). */
function storeRef(m: Record<string, unknown>): { field: string; kind: string; name: string } | undefined {
  const spec = mapping(m.spec);
  const [field, ref] =
    m.kind === 'ClusterExternalSecret'
      ? ['spec.externalSecretSpec.secretStoreRef', mapping(mapping(spec.externalSecretSpec).secretStoreRef)]
      : ['spec.secretStoreRef', mapping(spec.secretStoreRef)];
  const name = text(ref.name);
  // Kind defaults to SecretStore (externalsecret_types.go SecretStoreRef)
  const kind = text(ref.kind) ?? 'SecretStore';
  return name && STORE_KINDS.includes(kind) ? { field, kind, name } : undefined;
}

export const externalSecretStoreNotFound: Rule = {
  id: 'external-secret-store-not-found',
  title: 'an ExternalSecret names a SecretStore or ClusterSecretStore the repository does not define while it defines others: the secret is never synced',
  severity: 'warning',
  appliesTo: ['ExternalSecret', 'ClusterExternalSecret'],
  premise:
    "an external-secrets.io ExternalSecret's spec.secretStoreRef (a ClusterExternalSecret's spec.externalSecretSpec.secretStoreRef) names a store, of kind SecretStore unless it says ClusterSecretStore; a SecretStore is looked up in the ExternalSecret's namespace, a ClusterSecretStore in the cluster; " +
    'where neither the tree nor the git repository holding it (outside the checked folder) defines a store of that kind and name, while they define other SecretStores or ClusterSecretStores, the controller finds no store, the target Secret is never made and the pods that read it do not start: ' +
    'a warning naming the stores the repository has, since a store may be made outside it; a repository that defines no store is not judged (its stores are made elsewhere)',
  example: 'an ExternalSecret with `secretStoreRef: {kind: ClusterSecretStore, name: vault-secrets}` while the tree defines ClusterSecretStore `vault`',
  fix: 'name a store the cluster has (the message lists those the repository defines), or define the store',
  source:
    'external-secrets apis/externalsecrets/v1 externalsecret_types.go SecretStoreRef (Kind SecretStore or ClusterSecretStore, SecretStore by default) and pkg/controllers/externalsecret externalsecret_controller.go (a store that is not found sets SecretSyncedError and makes no Secret); pkg/controllers/secretstore (a SecretStore serves ExternalSecrets of its own namespace)',
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== ESO_GROUP) return [];
    const ref = storeRef(o.manifest);
    const stores = storesOf(graph);
    if (!ref || !stores.length) return [];
    const namespace = graph.namespaceOf(o.manifest);
    // a SecretStore of unknown namespace, or an ExternalSecret whose namespace is not known, may be the one
    const fits = (s: Store) =>
      s.kind === ref.kind &&
      s.name === ref.name &&
      (s.kind === 'ClusterSecretStore' ||
        o.manifest.kind === 'ClusterExternalSecret' ||
        namespace === undefined ||
        s.namespace === undefined ||
        s.namespace === namespace);
    if (stores.some(fits)) return [];
    const shown = stores
      .slice(0, 6)
      .map((s) => `${s.kind} '${s.kind === 'SecretStore' && s.namespace ? `${s.namespace}/` : ''}${s.name}'`)
      .join(', ');
    const problem: Problem = {
      message:
        `${ref.field} names ${ref.kind} '${ref.name}'${ref.kind === 'SecretStore' && namespace ? ` of namespace '${namespace}'` : ''}, which neither the tree nor its repository defines; they define ${shown}${stores.length > 6 ? ` and ${stores.length - 6} more` : ''}: ` +
        `unless the store is made outside the repository, the controller finds none (SecretSyncedError), never makes the target Secret, and pods that read it do not start; name one of those stores, or define this one`,
    };
    return [problem];
  },
};
