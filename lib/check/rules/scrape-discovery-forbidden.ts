import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { accountGrants, ruleGrants } from '../account-grants';
import type { GraphObject } from '../graph-object';
import type { ObjectGraph } from '../graph';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/**
 * What each kubernetes_sd_configs role lists and watches (prometheus/prometheus discovery/kubernetes/kubernetes.go
 * Discovery.Run: the informers each role starts; the endpoints roles also watch the pods and services they join).
 */
const ROLE_RESOURCES: Readonly<Record<string, readonly { readonly group: string; readonly resource: string }[]>> = {
  pod: [{ group: '', resource: 'pods' }],
  service: [{ group: '', resource: 'services' }],
  endpoints: [
    { group: '', resource: 'endpoints' },
    { group: '', resource: 'pods' },
    { group: '', resource: 'services' },
  ],
  endpointslice: [
    { group: 'discovery.k8s.io', resource: 'endpointslices' },
    { group: '', resource: 'pods' },
    { group: '', resource: 'services' },
  ],
  node: [{ group: '', resource: 'nodes' }],
  ingress: [{ group: 'networking.k8s.io', resource: 'ingresses' }],
};

/** The verbs an informer needs (client-go tools/cache ListWatch). */
const VERBS = ['list', 'watch'] as const;

/** Fields of a kubernetes_sd_config that give discovery other credentials than the pod's account, or another cluster. */
const OTHER_CREDENTIALS = ['api_server', 'kubeconfig_file', 'authorization', 'bearer_token', 'bearer_token_file', 'basic_auth', 'oauth2'];

/** Every kubernetes_sd_configs entry under a parsed config, however deep (a Prometheus config, a collector's prometheus receiver). */
function sdConfigs(value: unknown): Loose[] {
  if (Array.isArray(value)) return value.flatMap(sdConfigs);
  if (!isMapping(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'kubernetes_sd_configs' ? mappings(v) : sdConfigs(v)));
}

/** The discovery roles, with the ConfigMap key, of the ConfigMaps a pod mounts; none where a config brings its own credentials. */
function discoveryRoles(graph: ObjectGraph, o: GraphObject, ns: string | undefined): { roles: string[]; where: string } | undefined {
  for (const volume of mappings(mapping(podSpecOf(o.manifest)).volumes)) {
    const cm = graph.find('ConfigMap', text(mapping(volume.configMap).name), ns);
    for (const [key, value] of Object.entries(mapping(cm?.manifest.data))) {
      if (!cm || typeof value !== 'string' || !value.includes('kubernetes_sd_configs')) continue;
      const parsed = parseOne(value);
      const configs = 'value' in parsed ? sdConfigs(parsed.value) : [];
      if (!configs.length || configs.some((c) => OTHER_CREDENTIALS.some((f) => f in c))) return undefined;
      const roles = [...new Set(configs.map((c) => text(c.role)).filter((r): r is string => !!r && r in ROLE_RESOURCES))];
      if (roles.length) return { roles, where: `${graph.id(cm)} data.${key}` };
    }
  }
  return undefined;
}

/** The pod's account where the tree shows it: `default` when unset, or a ServiceAccount of the tree (one made elsewhere comes with RBAC not shown). */
function accountOf(graph: ObjectGraph, m: Loose, ns: string | undefined): { name: string; implicit: boolean } | undefined {
  const pod = mapping(podSpecOf(m));
  const named = text(pod.serviceAccountName) ?? text(pod.serviceAccount);
  if (named === undefined || named === 'default') return { name: 'default', implicit: named === undefined };
  return graph.find('ServiceAccount', named, ns) ? { name: named, implicit: false } : undefined;
}

export const scrapeDiscoveryForbidden: Rule = {
  id: 'scrape-discovery-forbidden',
  title:
    "Prometheus discovers targets with kubernetes_sd_configs as a ServiceAccount the tree's RBAC does not let list and watch them: discovery is forbidden, the job has no targets",
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'InferenceService'),
  premise:
    "a workload mounts a ConfigMap whose data value holds kubernetes_sd_configs (a Prometheus configuration, or a collector's prometheus receiver) with role pod, service, endpoints, endpointslice, node or ingress and no credentials of its own (api_server, kubeconfig_file, authorization, bearer_token…), so discovery calls the API server as the pod's ServiceAccount: default (serviceAccountName unset) or one the tree defines; no Role or ClusterRole the tree binds to that account (as a ServiceAccount subject or a group holding it, every bound role shown in the tree, none aggregated) grants list and watch on what the role watches (pods; services; endpoints, pods and services; endpointslices, pods and services; nodes; ingresses): the API answers 403 Forbidden, Prometheus logs `failed to list *v1.Pod … forbidden` and the scrape job finds no target, so its metrics are never collected; a warning, since a binding made outside the tree may grant it",
  example:
    '`kubernetes_sd_configs: [{role: pod}]` in the ConfigMap a Prometheus Deployment mounts, with no serviceAccountName and no ClusterRole binding in the tree',
  fix: 'add a ServiceAccount, a ClusterRole with get, list and watch on the resources the roles discover (pods, services, endpoints, nodes), a ClusterRoleBinding of it to the account, and set serviceAccountName to it',
  source:
    'prometheus/prometheus discovery/kubernetes/kubernetes.go (Discovery.Run starts a list-watch informer per role; the endpoints and endpointslice roles also watch pods and services; api_server unset means in-cluster config, the pod\'s ServiceAccount token); Prometheus docs configuration kubernetes_sd_config; Kubernetes RBAC documentation "Service account permissions" (service accounts hold no permission unless bound; a refused request is 403 Forbidden)',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    const account = accountOf(graph, o.manifest, ns);
    const discovery = account && discoveryRoles(graph, o, ns);
    if (!account || !discovery) return [];
    const grants = accountGrants(graph, account.name, ns);
    if (grants.unknown) return [];
    const rules = grants.roles.flatMap((r) => r.rules);
    const missing = discovery.roles.flatMap((role) =>
      ROLE_RESOURCES[role].filter((r) => !rules.some((rule) => ruleGrants(rule, r.group, r.resource, VERBS))).map((r) => ({ role, ...r })),
    );
    if (!missing.length) return [];
    const who = `ServiceAccount ${account.name}${account.implicit ? ' (serviceAccountName is unset)' : ''}`;
    const resources = [...new Set(missing.map((m) => (m.group ? `${m.resource}.${m.group}` : m.resource)))].join(', ');
    const roles = [...new Set(missing.map((m) => m.role))].join(', ');
    const bound = grants.roles.length
      ? `the roles bound to it (${grants.roles.map((r) => graph.id(r.role)).join(', ')}) do not grant`
      : 'no RoleBinding or ClusterRoleBinding of the tree grants it';
    const problem: Problem = {
      message:
        `${discovery.where} discovers targets with kubernetes_sd_configs role ${roles} as the pod's ${who}, and ${bound} list and watch on ${resources}: ` +
        'the API server answers 403 Forbidden, discovery fails and the job finds no target, so nothing is scraped; a binding made outside the tree may grant it; ' +
        'add a ClusterRole with get, list and watch on those resources, a ClusterRoleBinding to a ServiceAccount, and set serviceAccountName to it',
    };
    return [problem];
  },
};
