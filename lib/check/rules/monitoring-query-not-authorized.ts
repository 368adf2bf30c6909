import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { SERVICE_ACCOUNT_NAME_ANNOTATION } from '../../k8s/keys';
import { ruleGrants } from '../account-grants';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

/**
 * OpenShift's monitoring stack serves queries through kube-rbac-proxy: Thanos Querier's port 9091 (and Prometheus's
 * prometheus-k8s:9091) for an account allowed to read every namespace's metrics (the cluster-monitoring-view
 * ClusterRole), port 9092 for one namespace's, to an account that may get pods in the namespace the query names
 * (OpenShift docs, "Accessing metrics as a developer", "Accessing monitoring APIs by using the CLI"; the Custom Metrics
 * Autoscaler's guide binds such a Role and hands KEDA the account's token through a TriggerAuthentication).
 */
const MONITORING_HOST = /^(?:thanos-querier|prometheus-k8s)\.openshift-monitoring(?:\.svc(?:\.cluster\.local)?)?\.?$/i;
const CLUSTER_PORT = '9091';
const TENANCY_PORT = '9092';

/** The ClusterRoles that give an account the cluster-wide query port (OpenShift's built-ins). */
const CLUSTER_ROLES = ['cluster-monitoring-view', 'cluster-admin'];
/** The built-in roles that let an account get pods in a namespace (Kubernetes' user-facing roles). */
const NAMESPACE_ROLES = ['view', 'edit', 'admin', 'cluster-admin', 'cluster-monitoring-view', 'cluster-reader'];

interface Query {
  readonly where: string;
  readonly url: string;
  readonly port: string;
  readonly namespace?: string;
  readonly auth?: string;
}

/** The prometheus triggers of a ScaledObject or ScaledJob that query OpenShift's monitoring on 9091 or 9092. */
function queries(m: Loose): Query[] {
  return mappings(mapping(m.spec).triggers).flatMap((t, i): Query[] => {
    const metadata = mapping(t.metadata);
    const url = text(metadata.serverAddress);
    if (t.type !== 'prometheus' || !url || holdsTemplate(url)) return [];
    const at = /^https?:\/\/([^/:?#]+):(\d+)/i.exec(url.trim());
    if (!at || !MONITORING_HOST.test(at[1]) || (at[2] !== CLUSTER_PORT && at[2] !== TENANCY_PORT)) return [];
    return [{ where: `spec.triggers[${i}]`, url, port: at[2], namespace: text(metadata.namespace), auth: text(mapping(t.authenticationRef).name) }];
  });
}

/**
 * The ServiceAccount whose token a TriggerAuthentication of the tree hands KEDA as the bearer token: one of its
 * boundServiceAccountToken entries, or the service-account-token Secret its secretTargetRef reads; undefined where the
 * tree does not show it (a Secret outside the tree, a token of another kind).
 */
function tokenAccount(graph: ObjectGraph, auth: GraphObject, ns: string | undefined): string | undefined {
  const spec = mapping(auth.manifest.spec);
  const bound = mappings(spec.boundServiceAccountToken).find((b) => text(b.parameter) === 'bearerToken');
  if (bound) return text(bound.serviceAccountName);
  const ref = mappings(spec.secretTargetRef).find((r) => text(r.parameter) === 'bearerToken');
  const secret = ref && graph.find('Secret', text(ref.name), ns);
  if (!secret || text(secret.manifest.type) !== 'kubernetes.io/service-account-token') return undefined;
  return stringMap(mapping(secret.manifest.metadata).annotations)[SERVICE_ACCOUNT_NAME_ANNOTATION];
}

/** The roles (kind, name, and the tree's object where it holds it) bound to the account, with the namespace of each RoleBinding. */
function boundRoles(graph: ObjectGraph, account: string, ns: string | undefined) {
  return ['RoleBinding', 'ClusterRoleBinding'].flatMap((kind) =>
    graph.ofKind(kind).flatMap((b) => {
      const bindingNs = kind === 'RoleBinding' ? graph.namespaceOf(b.manifest) : undefined;
      const binds = mappings(b.manifest.subjects).some(
        (s) => s.kind === 'ServiceAccount' && text(s.name) === account && (text(s.namespace) ?? bindingNs) === ns,
      );
      if (!binds) return [];
      const ref = mapping(b.manifest.roleRef);
      const name = text(ref.name) ?? '';
      const role = ref.kind === 'ClusterRole' ? graph.find('ClusterRole', name) : graph.find('Role', name, bindingNs);
      return [{ name, bindingNs, role }];
    }),
  );
}

/** Whether the tree's bindings let the account query the port: undefined where a bound role the tree does not show may. */
function allowed(graph: ObjectGraph, q: Query, account: string, ns: string | undefined): boolean | undefined {
  const roles = boundRoles(graph, account, ns);
  if (q.port === CLUSTER_PORT) return roles.some((r) => r.bindingNs === undefined && CLUSTER_ROLES.includes(r.name)) || undefinedIfUnknown(roles);
  const inNamespace = roles.filter((r) => r.bindingNs === undefined || r.bindingNs === q.namespace);
  const grants = (r: (typeof roles)[number]) =>
    NAMESPACE_ROLES.includes(r.name) || mappings(r.role?.manifest.rules).some((x) => ruleGrants(x, '', 'pods', ['get']));
  return inNamespace.some(grants) || undefinedIfUnknown(inNamespace);
}

/** False where every bound role is one the tree shows (or a built-in named here); undefined where one is unknown. */
function undefinedIfUnknown(roles: readonly { name: string; role?: GraphObject }[]): false | undefined {
  return roles.some((r) => !r.role && !NAMESPACE_ROLES.includes(r.name)) ? undefined : false;
}

function queryProblem(graph: ObjectGraph, o: GraphObject, q: Query): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  const needs =
    q.port === CLUSTER_PORT
      ? 'a ClusterRoleBinding to the cluster-monitoring-view ClusterRole'
      : `a RoleBinding in namespace '${q.namespace ?? '?'}' to a role that may get pods there (view, or a Role granting pods get)`;
  const then = 'so every query fails, the scaler reports errors and KEDA never scales the target';
  if (!q.auth)
    return [
      {
        message: `${q.where} queries ${q.url}, OpenShift's monitoring behind kube-rbac-proxy, with no authenticationRef: KEDA sends no bearer token and the proxy answers 401 Unauthorized, ${then}; add a TriggerAuthentication giving the token of a ServiceAccount with ${needs} (authModes: bearer)`,
      },
    ];
  const auth = graph.find('TriggerAuthentication', q.auth, ns);
  const account = auth && tokenAccount(graph, auth, ns);
  if (!account || allowed(graph, q, account, ns) !== false) return [];
  return [
    {
      message:
        `${q.where} queries ${q.url} with the token of ServiceAccount '${account}' (TriggerAuthentication '${q.auth}'), and no binding of the tree gives that account ${needs}: ` +
        `kube-rbac-proxy answers 403 Forbidden, ${then}; add the binding (unless one outside the tree gives it)`,
    },
  ];
}

export const monitoringQueryNotAuthorized: Rule = {
  id: 'monitoring-query-not-authorized',
  title:
    "a KEDA prometheus trigger queries OpenShift's monitoring (Thanos Querier 9091/9092) without a token, or with an account the tree does not allow to read those metrics",
  severity: 'warning',
  appliesTo: ['ScaledObject', 'ScaledJob'],
  premise:
    "a ScaledObject's or ScaledJob's prometheus trigger whose serverAddress is thanos-querier (or prometheus-k8s) in openshift-monitoring on port 9091 or 9092 (not a template): kube-rbac-proxy serves those ports, 9091 to an account with cluster-monitoring-view, 9092 to one that may get pods in the namespace the query names; a warning where the trigger has no authenticationRef (no bearer token: 401), and where its TriggerAuthentication of the tree hands KEDA the token of a ServiceAccount the tree shows (boundServiceAccountToken, or a service-account-token Secret of the tree read by secretTargetRef as bearerToken) that no RoleBinding or ClusterRoleBinding of the tree binds to such a role (403): the binding may exist outside the tree. Not judged: a TriggerAuthentication or token Secret the tree does not hold (trigger-authentication-not-in-tree), a binding to a role the tree does not show, port 9093 (rules, not queries)",
  example: '`serverAddress: https://thanos-querier.openshift-monitoring.svc.cluster.local:9091` in a prometheus trigger with no `authenticationRef`',
  fix: 'give the trigger a TriggerAuthentication (authModes: bearer) with the token of a ServiceAccount bound to cluster-monitoring-view (port 9091), or to a role that may get pods in the queried namespace (port 9092, with metadata.namespace)',
  source:
    'OpenShift docs, Monitoring, "Accessing metrics as a developer" and "Accessing monitoring APIs by using the CLI" (Thanos Querier port 9091 needs cluster-monitoring-view; port 9092 a namespace the account may get pods in); OpenShift Custom Metrics Autoscaler, "Understanding the Prometheus trigger" (TriggerAuthentication with a ServiceAccount bearer token, authModes: bearer); kedacore/keda pkg/scalers/prometheus_scaler.go (the Authorization header only from the trigger authentication) and pkg/scaling/resolver (boundServiceAccountToken, secretTargetRef); brancz/kube-rbac-proxy (401 without a token, 403 when the SubjectAccessReview denies)',
  check(o, { graph }) {
    return queries(o.manifest).flatMap((q) => queryProblem(graph, o, q));
  },
};
