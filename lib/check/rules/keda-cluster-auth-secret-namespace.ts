import { mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { chartReleases } from '../chart-releases';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { containersOf } from '../pods';
import { Problem, Rule } from '../rule';

/**
 * Where KEDA reads a ClusterTriggerAuthentication's Secrets: KEDA_CLUSTER_OBJECT_NAMESPACE of its operator, which the
 * chart and the release manifests set to the operator's own namespace (kedacore/keda pkg/util/env.go
 * ResolveClusterObjectNamespace; config/manager; kedacore/charts keda templates/manager/deployment.yaml), `keda` by default.
 */
const DEFAULT_KEDA_NAMESPACE = 'keda';

/** The operator image (kedacore/keda on ghcr.io or Docker Hub), not its metrics server or webhooks. */
const OPERATOR_IMAGE = /(^|\/)kedacore\/keda(:|@|$)/;

/** The namespace KEDA reads cluster objects' Secrets in, and whether the tree states it. */
function clusterObjectNamespace(graph: ObjectGraph): { namespace: string; stated?: string } {
  return graph.once('keda-cluster-auth-secret-namespace:namespace', () => {
    for (const o of graph.objects) {
      const operator = containersOf(o.manifest).find((c) => OPERATOR_IMAGE.test(text(c.container.image) ?? ''));
      if (!operator) continue;
      const env = mappings(operator.container.env).find((e) => e.name === 'KEDA_CLUSTER_OBJECT_NAMESPACE');
      const value = text(env?.value);
      const own = graph.namespaceOf(o.manifest);
      if (value) return { namespace: value, stated: `KEDA_CLUSTER_OBJECT_NAMESPACE of ${graph.id(o)}` };
      if (own) return { namespace: own, stated: `the namespace of KEDA's operator, ${graph.id(o)}` };
    }
    const release = chartReleases(graph).find((r) => r.chart === 'keda' && r.namespace);
    if (release) return { namespace: release.namespace!, stated: `the namespace ${graph.id(release.object)} installs KEDA's chart into` };
    return { namespace: DEFAULT_KEDA_NAMESPACE };
  });
}

/** The namespaces the tree and its repository make a Secret of that name in: Secrets, SealedSecrets, ExternalSecrets' targets. */
function secretNamespaces(graph: ObjectGraph, name: string): (string | undefined)[] {
  const made = (kind: string, manifest: Record<string, unknown>, own: string | undefined): (string | undefined)[] => {
    const meta = text(mapping(manifest.metadata).name);
    const spec = mapping(manifest.spec);
    const secret =
      kind === 'Secret'
        ? meta
        : kind === 'SealedSecret'
          ? (text(mapping(mapping(spec.template).metadata).name) ?? meta)
          : kind === 'ExternalSecret'
            ? (text(mapping(spec.target).name) ?? meta)
            : undefined;
    return secret === name ? [own] : [];
  };
  return [
    ...graph.objects.flatMap((o) => made(String(o.manifest.kind), o.manifest, graph.namespaceOf(o.manifest))),
    ...repositoryObjectsOf(graph).flatMap((r) => made(r.kind, r.manifest, r.namespace)),
  ];
}

export const kedaClusterAuthSecretNamespace: Rule = {
  id: 'keda-cluster-auth-secret-namespace',
  title:
    "a KEDA ClusterTriggerAuthentication reads a Secret the tree makes only in another namespace than KEDA's: KEDA finds no Secret and the scaler gets no credentials",
  severity: 'error',
  appliesTo: ['ClusterTriggerAuthentication'],
  premise:
    "a keda.sh ClusterTriggerAuthentication's spec.secretTargetRef entries are read in KEDA's cluster object namespace (KEDA_CLUSTER_OBJECT_NAMESPACE of its operator; the operator's own namespace as the chart and release manifests set it; `keda` by default), not in the namespace of the ScaledObject that uses it; " +
    "where the tree and its repository make a Secret of that name (a Secret, a SealedSecret, an ExternalSecret's target) only in other namespaces, KEDA finds none and resolves no credentials: an error where the tree states KEDA's namespace (its operator's Deployment, a chart release of keda), a warning where the default `keda` is assumed; a name the files make nowhere is not judged",
  example:
    'a ClusterTriggerAuthentication with `secretTargetRef: [{parameter: password, name: queue-credentials, key: password}]` while Secret queue-credentials is in namespace serving',
  fix: "make the Secret in KEDA's namespace (keda by default), or use a TriggerAuthentication in the ScaledObject's namespace",
  source:
    'kedacore/keda pkg/scaling/resolver/scale_resolvers.go resolveAuthRef (a ClusterTriggerAuthentication resolves its Secrets in the cluster object namespace) and pkg/util/env.go ResolveClusterObjectNamespace (KEDA_CLUSTER_OBJECT_NAMESPACE, else the pod namespace); KEDA docs concepts/authentication, ClusterTriggerAuthentication (its secretTargetRef Secrets belong in the namespace of the keda-operator, usually keda, unless KEDA_CLUSTER_OBJECT_NAMESPACE overrides it); kedacore/charts keda templates/manager/deployment.yaml',
  check(o, { graph }) {
    if (apiGroupOf(o.manifest.apiVersion) !== 'keda.sh') return [];
    const { namespace, stated } = clusterObjectNamespace(graph);
    return mappings(mapping(o.manifest.spec).secretTargetRef).flatMap((ref, i): Problem[] => {
      const name = text(ref.name);
      if (!name) return [];
      const where = secretNamespaces(graph, name);
      if (!where.length || where.some((ns) => ns === undefined || ns === namespace)) return [];
      const others = [...new Set(where)].map((ns) => `'${ns}'`).join(', ');
      const read = stated ? `'${namespace}' (${stated})` : `'${namespace}', KEDA's default namespace (assumed: the tree does not install KEDA)`;
      return [
        {
          ...(stated ? {} : { severity: 'warning' as const }),
          message: `spec.secretTargetRef[${i}] names Secret '${name}', which KEDA reads in its cluster object namespace ${read}, but the tree makes it only in ${others}: KEDA finds no Secret, resolves no credentials for the scalers that use this authentication, and they fail to read their metric; make the Secret in '${namespace}', or use a TriggerAuthentication beside the ScaledObject`,
        },
      ];
    });
  },
};
