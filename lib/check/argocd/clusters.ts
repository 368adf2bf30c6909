import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { sanitizeName } from './git-directories';
import { selectorMatches } from './label-selector';

/** The label that makes a Secret an Argo CD cluster (common.LabelKeySecretType = common.LabelValueSecretTypeCluster). */
export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

/** Argo CD's local cluster (pkg/apis/application/v1alpha1 KubernetesInternalAPIServerAddr, KubernetesInClusterName). */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
const IN_CLUSTER_NAME = 'in-cluster';

/** A cluster Secret's field: `stringData` as written, else `data` decoded (the API server merges stringData over data). */
export function secretField(secret: Loose, key: string): string | undefined {
  const plain = text(mapping(secret.stringData)[key]);
  if (plain !== undefined) return plain;
  const encoded = text(mapping(secret.data)[key]);
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/**
 * The parameters of one cluster Secret: argo-cd applicationset/generators/cluster.go getClusterParameters. `name`,
 * `nameNormalized`, `server`, `project`, and the Secret's labels and annotations: flat `metadata.labels.<key>` with
 * fasttemplate, a `metadata` object with goTemplate.
 */
export function clusterParams(secret: Loose, go: boolean): Loose {
  const name = secretField(secret, 'name') ?? '';
  const params: Loose = {
    name,
    nameNormalized: sanitizeName(name),
    server: secretField(secret, 'server') ?? '',
    project: secretField(secret, 'project') ?? '',
  };
  const labels = stringMap(mapping(secret.metadata).labels);
  const annotations = stringMap(mapping(secret.metadata).annotations);
  if (go) {
    params.metadata = { ...(Object.keys(annotations).length ? { annotations } : {}), ...(Object.keys(labels).length ? { labels } : {}) };
    return params;
  }
  for (const [k, v] of Object.entries(annotations)) params[`metadata.annotations.${k}`] = v;
  for (const [k, v] of Object.entries(labels)) params[`metadata.labels.${k}`] = v;
  return params;
}

/**
 * The parameter sets of a clusters generator over the cluster Secrets the checked tree declares: argo-cd
 * applicationset/generators/cluster.go GenerateParams. The Secrets labelled as clusters that the selector picks (the
 * last of a name wins), then the local cluster (`in-cluster`, https://kubernetes.default.svc) unless the selector has
 * any term or a picked Secret already has that server. The live Argo CD may hold more cluster Secrets than the tree
 * does, so these sets are the least it generates, never all of them. Undefined when the selector does not compile.
 * `withValues` adds the generator's `values` to each set before flatList puts them all in one `clusters` list.
 */
export function clustersGeneratorParams(
  clusters: Loose,
  secrets: readonly Loose[],
  go: boolean,
  withValues: (p: Loose) => Loose = (p) => p,
): Loose[] | undefined {
  const selector = mapping(clusters.selector);
  const picked = new Map<string, Loose>();
  for (const secret of secrets) {
    const labels = stringMap(mapping(secret.metadata).labels);
    if (labels[CLUSTER_SECRET_LABEL] !== 'cluster') continue;
    const matches = selectorMatches(selector, labels);
    if (matches === undefined) return undefined;
    if (matches) picked.set(secretField(secret, 'name') ?? '', secret);
  }
  const params = [...picked.values()].map((s) => withValues(clusterParams(s, go)));
  const selects = Object.keys(mapping(selector.matchLabels)).length > 0 || (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0);
  if (!selects && !params.some((p) => p.server === IN_CLUSTER_SERVER)) {
    params.push(withValues({ name: IN_CLUSTER_NAME, nameNormalized: IN_CLUSTER_NAME, server: IN_CLUSTER_SERVER, project: '' }));
  }
  return clusters.flatList === true ? [{ clusters: params }] : params;
}
