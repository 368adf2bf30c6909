import { isMapping, Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
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

/** What sends the query, and what fails when it is refused. */
type Client = 'keda' | 'grafana' | 'adapter';
const FAILS: Record<Client, string> = {
  keda: 'so every query fails, the scaler reports errors and KEDA never scales the target',
  grafana: 'so every query of the datasource fails and its panels show errors',
  adapter: 'so the adapter lists no metrics and serves none, and an autoscaler on them never scales',
};

/**
 * The bearer token a query carries: none (with how to add one), a ServiceAccount's the tree shows (and its
 * namespace), or one the tree does not show (a literal, a file, a kubeconfig, a user's: not judged).
 */
type Token = { readonly none: string } | { readonly account: string; readonly ns?: string; readonly via: string } | { readonly unknown: true };

interface Query {
  readonly where: string;
  readonly url: string;
  readonly port: string;
  readonly namespace?: string;
  readonly client: Client;
  readonly token: Token;
}

/** The port of a URL on OpenShift's monitoring query service (9091 or 9092), or undefined. */
function monitoringPort(url: string | undefined): string | undefined {
  if (!url || holdsTemplate(url)) return undefined;
  const at = /^https?:\/\/([^/:?#]+):(\d+)/i.exec(url.trim());
  return at && MONITORING_HOST.test(at[1]) && (at[2] === CLUSTER_PORT || at[2] === TENANCY_PORT) ? at[2] : undefined;
}

/** The prometheus triggers of a ScaledObject or ScaledJob that query OpenShift's monitoring on 9091 or 9092. */
function kedaQueries(graph: ObjectGraph, o: GraphObject): Query[] {
  const ns = graph.namespaceOf(o.manifest);
  return mappings(mapping(o.manifest.spec).triggers).flatMap((t, i): Query[] => {
    const metadata = mapping(t.metadata);
    const url = text(metadata.serverAddress) ?? '';
    const port = t.type === 'prometheus' ? monitoringPort(url) : undefined;
    if (!port) return [];
    const auth = text(mapping(t.authenticationRef).name);
    const found = auth ? graph.find('TriggerAuthentication', auth, ns) : undefined;
    const account = found && tokenAccount(graph, found, ns);
    const token: Token = !auth
      ? { none: 'with no authenticationRef: KEDA sends no bearer token' }
      : account
        ? { account, ns, via: `TriggerAuthentication '${auth}'` }
        : { unknown: true };
    return [{ where: `spec.triggers[${i}]`, url, port, namespace: text(metadata.namespace), client: 'keda', token }];
  });
}

/**
 * The datasources a Grafana object defines: a GrafanaDatasource's spec.datasource (grafana-operator v5), a
 * GrafanaDataSource's spec.datasources (v4), or the `datasources:` of the provisioning files a ConfigMap or Secret
 * labelled grafana_datasource holds (the Grafana chart's sidecar loads them).
 */
function datasourcesOf(m: Loose): { where: string; ds: Loose }[] {
  const spec = mapping(m.spec);
  if (m.kind === 'GrafanaDatasource') return isMapping(spec.datasource) ? [{ where: 'spec.datasource', ds: spec.datasource }] : [];
  if (m.kind === 'GrafanaDataSource') return mappings(spec.datasources).map((ds, i) => ({ where: `spec.datasources[${i}]`, ds }));
  if (stringMap(mapping(m.metadata).labels)[GRAFANA_DATASOURCE_LABEL] === undefined) return [];
  const files = { ...stringMap(m.data), ...stringMap(m.stringData) };
  return Object.entries(files).flatMap(([key, source]) => {
    const decoded = m.kind === 'Secret' && !(key in stringMap(m.stringData)) ? Buffer.from(source, 'base64').toString('utf8') : source;
    const parsed = parseOne(decoded);
    return 'error' in parsed ? [] : mappings(mapping(parsed.value).datasources).map((ds, i) => ({ where: `${key} datasources[${i}]`, ds }));
  });
}

/** The label the Grafana chart's datasource sidecar watches ConfigMaps and Secrets for (grafana/helm-charts values sidecar.datasources.label). */
const GRAFANA_DATASOURCE_LABEL = 'grafana_datasource';

/**
 * The bearer token a Grafana datasource sends: an Authorization header (jsonData.httpHeaderName<N>, its value in
 * secureJsonData.httpHeaderValue<N>), the signed-in user's own (oauthPassThru), or none (basic auth is no bearer
 * token). The account is known where a grafana-operator v5 valuesFrom fills the header from a service-account-token
 * Secret of the tree.
 */
function datasourceToken(graph: ObjectGraph, o: GraphObject, ds: Loose): Token {
  const json = mapping(ds.jsonData);
  if (json.oauthPassThru === true) return { unknown: true };
  const header = Object.keys(json).find((k) => /^httpHeaderName\d+$/.test(k) && text(json[k])?.toLowerCase() === 'authorization');
  if (!header)
    return {
      none: 'with no Authorization header (jsonData.httpHeaderName1: Authorization, secureJsonData.httpHeaderValue1: Bearer <token>): Grafana sends no bearer token',
    };
  const target = `secureJsonData.${header.replace('Name', 'Value')}`;
  const ns = graph.namespaceOf(o.manifest);
  const from = mappings(mapping(o.manifest.spec).valuesFrom).find((v) => text(v.targetPath)?.endsWith(target));
  const secretName = text(mapping(mapping(from?.valueFrom).secretKeyRef).name);
  const secret = secretName ? graph.find('Secret', secretName, ns) : undefined;
  const account =
    secret && text(secret.manifest.type) === 'kubernetes.io/service-account-token'
      ? stringMap(mapping(secret.manifest.metadata).annotations)[SERVICE_ACCOUNT_NAME_ANNOTATION]
      : undefined;
  return account ? { account, ns, via: `Secret '${secretName}'` } : { unknown: true };
}

function grafanaQueries(graph: ObjectGraph, o: GraphObject): Query[] {
  return datasourcesOf(o.manifest).flatMap(({ where, ds }): Query[] => {
    const url = text(ds.url) ?? '';
    const port = monitoringPort(url);
    if (!port || (text(ds.type) && text(ds.type) !== 'prometheus')) return [];
    const params = text(mapping(ds.jsonData).customQueryParameters) ?? '';
    const namespace = /(?:^|&)namespace=([^&]+)/.exec(params)?.[1] ?? /[?&]namespace=([^&#]+)/.exec(url)?.[1];
    return [{ where, url, port, namespace, client: 'grafana', token: datasourceToken(graph, o, ds) }];
  });
}

/** A flag's value in a command line (`--flag=value` or `--flag value`), or whether a boolean flag is set. */
function flagValue(words: readonly string[], flag: string): string | undefined {
  for (const [i, w] of words.entries()) {
    if (w.startsWith(`${flag}=`)) return w.slice(flag.length + 1);
    if (w === flag) return words[i + 1] !== undefined && !words[i + 1].startsWith('-') ? words[i + 1] : 'true';
  }
  return undefined;
}

/** Where a pod's own ServiceAccount token is mounted (Kubernetes' service account admission). */
const POD_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The queries of a prometheus-adapter container (kubernetes-sigs/prometheus-adapter cmd/adapter: --prometheus-url,
 * with a bearer token from --prometheus-auth-incluster or --prometheus-token-file, or whatever a kubeconfig
 * (--prometheus-auth-config), a header (--prometheus-header) or a client certificate gives).
 */
function adapterQueries(graph: ObjectGraph, o: GraphObject): Query[] {
  const pod = mapping(podSpecOf(o.manifest));
  const account = text(pod.serviceAccountName) ?? text(pod.serviceAccount) ?? 'default';
  const ns = graph.namespaceOf(o.manifest);
  return containersOf(o.manifest).flatMap(({ name, container }): Query[] => {
    const words = [...strings(container.command), ...strings(container.args)];
    const url = flagValue(words, '--prometheus-url') ?? '';
    const port = monitoringPort(url);
    if (!port) return [];
    const tokenFile = flagValue(words, '--prometheus-token-file');
    const other = ['--prometheus-auth-config', '--prometheus-header', '--prometheus-client-tls-cert-file'].some((f) => flagValue(words, f) !== undefined);
    const token: Token =
      flagValue(words, '--prometheus-auth-incluster') === 'true' || tokenFile === POD_TOKEN
        ? { account, ns, via: "the pod's own token" }
        : tokenFile || other
          ? { unknown: true }
          : { none: 'with no --prometheus-auth-incluster, --prometheus-token-file or --prometheus-auth-config: the adapter sends no bearer token' };
    return [{ where: `container '${name}' --prometheus-url`, url, port, client: 'adapter', token }];
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

function queryProblem(graph: ObjectGraph, q: Query): Problem[] {
  const needs =
    q.port === CLUSTER_PORT
      ? 'a ClusterRoleBinding to the cluster-monitoring-view ClusterRole'
      : `a RoleBinding in namespace '${q.namespace ?? '?'}' to a role that may get pods there (view, or a Role granting pods get)`;
  const then = FAILS[q.client];
  const token = q.token;
  if ('none' in token)
    return [
      {
        message: `${q.where} queries ${q.url}, OpenShift's monitoring behind kube-rbac-proxy, ${token.none} and the proxy answers 401 Unauthorized, ${then}; give it the token of a ServiceAccount with ${needs}`,
      },
    ];
  // the tenancy port's namespace comes from the query; where the tree does not show it, the binding is not judged
  if ('unknown' in token || (q.port === TENANCY_PORT && !q.namespace && q.client !== 'keda') || allowed(graph, q, token.account, token.ns) !== false) return [];
  return [
    {
      message:
        `${q.where} queries ${q.url} with the token of ServiceAccount '${token.account}' (${token.via}), and no binding of the tree gives that account ${needs}: ` +
        `kube-rbac-proxy answers 403 Forbidden, ${then}; add the binding (unless one outside the tree gives it)`,
    },
  ];
}

/** The queries of OpenShift's monitoring an object makes: KEDA triggers, Grafana datasources, prometheus-adapter. */
function queriesOf(graph: ObjectGraph, o: GraphObject): Query[] {
  const kind = String(o.manifest.kind);
  if (kind === 'ScaledObject' || kind === 'ScaledJob') return kedaQueries(graph, o);
  if (WORKLOAD_KINDS.includes(kind)) return adapterQueries(graph, o);
  return grafanaQueries(graph, o);
}

export const monitoringQueryNotAuthorized: Rule = {
  id: 'monitoring-query-not-authorized',
  title:
    "a KEDA prometheus trigger, a Grafana datasource or prometheus-adapter queries OpenShift's monitoring (Thanos Querier 9091/9092) without a token, or with an account the tree does not allow to read those metrics",
  severity: 'warning',
  appliesTo: ['ScaledObject', 'ScaledJob', 'GrafanaDatasource', 'GrafanaDataSource', 'ConfigMap', 'Secret', ...WORKLOAD_KINDS],
  premise:
    "a query of thanos-querier (or prometheus-k8s) in openshift-monitoring on port 9091 or 9092 (not a template): a ScaledObject's or ScaledJob's prometheus trigger (serverAddress), a Grafana datasource of type prometheus (a grafana-operator GrafanaDatasource's spec.datasource or GrafanaDataSource's spec.datasources, or the datasources of a provisioning file in a ConfigMap or Secret labelled grafana_datasource), or a prometheus-adapter container's --prometheus-url. kube-rbac-proxy serves those ports, 9091 to an account with cluster-monitoring-view, 9092 to one that may get pods in the namespace the query names; a warning where the query carries no bearer token (401): a trigger without authenticationRef, a datasource without an Authorization header (nor oauthPassThru), an adapter without --prometheus-auth-incluster, --prometheus-token-file, --prometheus-auth-config, --prometheus-header or a client certificate; and where the token is a ServiceAccount's the tree shows (a TriggerAuthentication's boundServiceAccountToken or service-account-token Secret read as bearerToken; a GrafanaDatasource's valuesFrom filling the header from a service-account-token Secret; the adapter pod's own account with --prometheus-auth-incluster or the pod's token file) that no RoleBinding or ClusterRoleBinding of the tree binds to such a role (403): the binding may exist outside the tree. Not judged: a token the tree does not show (trigger-authentication-not-in-tree, a literal, a kubeconfig), a binding to a role the tree does not show, port 9092 without the namespace the query names, port 9093 (rules, not queries)",
  example: '`serverAddress: https://thanos-querier.openshift-monitoring.svc.cluster.local:9091` in a prometheus trigger with no `authenticationRef`',
  fix: 'give the query a ServiceAccount token (a TriggerAuthentication with authModes: bearer; a datasource header `Authorization: Bearer <token>`; the adapter --prometheus-auth-incluster) of an account bound to cluster-monitoring-view (port 9091), or to a role that may get pods in the queried namespace (port 9092)',
  source:
    'OpenShift docs, Monitoring, "Accessing metrics as a developer" and "Accessing monitoring APIs by using the CLI" (Thanos Querier port 9091 needs cluster-monitoring-view; port 9092 a namespace the account may get pods in); openshift/cluster-monitoring-operator assets thanos-querier kube-rbac-proxy configuration; OpenShift Custom Metrics Autoscaler, "Understanding the Prometheus trigger" (TriggerAuthentication with a ServiceAccount bearer token, authModes: bearer); kedacore/keda pkg/scalers/prometheus_scaler.go (the Authorization header only from the trigger authentication) and pkg/scaling/resolver (boundServiceAccountToken, secretTargetRef); grafana-operator api/v1beta1 GrafanaDatasource (datasource, valuesFrom) and v1alpha1 GrafanaDataSource; Grafana docs, provisioning data sources (jsonData.httpHeaderName1, secureJsonData.httpHeaderValue1, oauthPassThru) and the Grafana chart\'s datasource sidecar label grafana_datasource; kubernetes-sigs/prometheus-adapter cmd/adapter (--prometheus-url, --prometheus-auth-incluster, --prometheus-auth-config, --prometheus-token-file, --prometheus-header); brancz/kube-rbac-proxy (401 without a token, 403 when the SubjectAccessReview denies)',
  check(o, { graph }) {
    return queriesOf(graph, o).flatMap((q) => queryProblem(graph, q));
  },
};
