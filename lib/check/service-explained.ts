import { apiGroupOf, builtInGroup } from '../k8s/api-version';
import { isPodTemplateKind } from '../k8s/pod-kinds';
import { Loose, mapping, mappings, text } from '../manifests/access';
import { deliveryKey } from '../manifests/chart-deliveries';
import { isClusterScoped } from '../manifests/scope';
import type { ObjectGraph } from './graph';
import { KGATEWAY_PICKER_SUFFIX, kgatewayProvisioning } from './endpoint-pickers';
import { TOOLHIVE_GROUP, TOOLHIVE_SERVED_KINDS, toolhiveServiceNames } from './toolhive';

/**
 * The API groups of custom kinds that never make a Service named after their object:
 * - route.openshift.io: a Route exposes a Service and makes none (openshift/api route/v1 RouteSpec.To);
 * - Istio's configuration groups (networking, security, telemetry, extensions .istio.io): istiod turns VirtualServices,
 *   DestinationRules, Istio Gateways, ServiceEntries and policies into proxy configuration, no Kubernetes Service
 *   (istio pilot/pkg/config/kube/crdclient reads them; the gateway Deployments and Services are installed apart);
 * - monitoring.coreos.com: prometheus-operator's monitors and rules make nothing, and the Services it makes for a
 *   Prometheus, an Alertmanager or a ThanosRuler are the governing `prometheus-operated`, `alertmanager-operated`,
 *   `thanos-ruler-operated`, not named after the object (prometheus-operator pkg/prometheus governingServiceName and its alertmanager and thanos peers);
 * - cert-manager.io, external-secrets.io and keda.sh write Secrets, HPAs and Jobs, no Service;
 * - kueue.x-k8s.io: queues and admission checks admit workloads, they run none.
 */
const GROUPS_MAKING_NO_SERVICE: ReadonlySet<string> = new Set([
  'route.openshift.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'monitoring.coreos.com',
  'cert-manager.io',
  'external-secrets.io',
  'keda.sh',
  'kueue.x-k8s.io',
]);

/**
 * Custom kinds that make no Service in any of their groups: the inference extension's InferencePool (a selector of
 * model servers and a picker reference: the picker <pool>-epp is deployed beside it by its chart, not by it),
 * InferenceModel and InferenceObjective (gateway-api-inference-extension api/v1 inferencepool_types.go, apix/v1alpha2);
 * Gateway API's routes, which attach to a Gateway and name backends but make nothing (gateway-api apis/v1
 * httproute_types.go, grpcroute_types.go; apis/v1alpha2 tlsroute, tcproute, udproute).
 */
const KINDS_MAKING_NO_SERVICE: ReadonlySet<string> = new Set([
  'InferencePool',
  'InferenceModel',
  'InferenceObjective',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
]);

/** A Knative revision's suffix on a configuration's name, `-<5-digit generation>`, and its `-private` Service (knative/serving pkg/reconciler/configuration/resources names.go, pkg/reconciler/serverlessservice). */
const KNATIVE_REVISION = '(-\\d{5}(-private)?)?';

/**
 * KServe's Services of an InferenceService, after its name (`own-` cut off): its components' `predictor`,
 * `transformer`, `explainer` (`-default` after each before 0.9), or `<predictor name>-predictor` where spec.predictor.name
 * or a canary's predictor.name names the variant (kserve pkg/constants/constants.go PredictorServiceName, ExplainerServiceName,
 * TransformerServiceName; pkg/apis/serving/v1beta1 predictor.go PredictorSpec.Name, inference_service.go CanarySpec),
 * each with its Knative revisions in serverless mode; and in raw mode a multi-node predictor's headless
 * `head-<generation>` and `workers-<generation>` (constants.go GetHeadServiceName, GetWorkerServiceName, made by
 * reconcilers/service/service_reconciler.go), its predictor name before them where one is given.
 */
function inferenceServiceMakes(m: Loose, suffix: string): boolean {
  const spec = mapping(m.spec);
  const variants = [text(mapping(spec.predictor).name), ...mappings(spec.canary).map((c) => text(mapping(c.predictor).name))].filter(
    (n): n is string => n !== undefined && /^[a-z0-9-]+$/.test(n),
  );
  const named = variants.map((v) => `${v}-`).join('|');
  const components = new RegExp(`^(${named ? `(${named})?` : ''}predictor|transformer|explainer)(-default)?${KNATIVE_REVISION}$`);
  const multiNode = new RegExp(`^(${named ? `(${named})?` : ''})(head|workers)-\\d+$`);
  return components.test(suffix) || multiNode.test(suffix);
}

/**
 * The Services the Feast operator makes of a FeatureStore (feast-dev/feast infra/feast-operator/internal/controller/
 * services): `feast-<name>-<type>` (services.go GetFeastServiceName: handler.FeastPrefix `feast-`, the FeastServiceType):
 * `online` always (util.go ApplyDefaultsToStatus, applyOnlineDefaults: an online store is deployed where spec gives
 * none), `registry` unless spec.services.registry is remote (applyRegistryDefaults: a local registry otherwise),
 * `offline` and `ui` only where spec.services.offlineStore or spec.services.ui asks for them. A name not so shaped
 * (the resource's own name) is no Service of it.
 */
function feastStoreMakes(m: Loose, own: string, name: string): boolean {
  const services = mapping(mapping(m.spec).services);
  const types = [
    'online',
    ...(mapping(services.registry).remote === undefined ? ['registry'] : []),
    ...(services.offlineStore !== undefined ? ['offline'] : []),
    ...(services.ui !== undefined ? ['ui'] : []),
  ];
  return types.some((t) => name === `feast-${own}-${t}`);
}

/**
 * The Services of kinds whose controllers name them exactly, after the object's name `own`: any other name that begins
 * with the object's is not one of its Services.
 * - InferenceService (serving.kserve.io): `<name>` (the serverless ingress's ExternalName Service), and those of
 *   inferenceServiceMakes.
 * - ModelRegistry (modelregistry.opendatahub.io): the registry's Service `<name>`, and `<name>-postgres` where
 *   spec.postgres.generateDeployment has the operator deploy the database (opendatahub-io/model-registry-operator
 *   internal/controller/config/templates service.yaml.tmpl, postgres-service.yaml.tmpl): a database named otherwise is another's.
 * - Limitador (limitador.kuadrant.io): `limitador-<name>`, the name before the object's (kuadrant/limitador-operator
 *   pkg/limitador k8s_objects.go ServiceName), labelled app: limitador with ports http and grpc.
 * - FeatureStore (feast.dev): feastStoreMakes.
 * - ToolHive's MCPServer, MCPRemoteProxy and VirtualMCPServer (toolhive.stacklok.dev): `mcp-<name>-proxy` (and the
 *   proxy runner's `mcp-<name>`, `mcp-<name>-headless`), `mcp-<name>-remote-proxy`, `vmcp-<name>` (toolhiveServiceNames):
 *   the name before the object's, as Limitador's.
 */
const EXACT_SERVICES: Readonly<Record<string, (m: Loose, own: string, name: string) => boolean>> = {
  ...Object.fromEntries(
    TOOLHIVE_SERVED_KINDS.map((k) => [`${k}.${TOOLHIVE_GROUP}`, (_m: Loose, own: string, name: string) => toolhiveServiceNames(k, own).includes(name)]),
  ),
  'FeatureStore.feast.dev': feastStoreMakes,
  'InferenceService.serving.kserve.io': (m, own, name) => name === own || (name.startsWith(`${own}-`) && inferenceServiceMakes(m, name.slice(own.length + 1))),
  'Limitador.limitador.kuadrant.io': (_m, own, name) => name === `limitador-${own}`,
  'ModelRegistry.modelregistry.opendatahub.io': (m, own, name) =>
    name === own || (name === `${own}-postgres` && mapping(mapping(m.spec).postgres).generateDeployment === true),
};

/**
 * Kinds of Kubernetes' own groups that make Services after their object: a Gateway API Gateway, for which Istio's
 * deployment controller makes `<gateway>-<class>` (istio pilot/pkg/config/kube/gateway/deploymentcontroller.go) and
 * other implementations `<gateway>` or `<gateway>-…` in its namespace.
 */
const BUILT_IN_MAKERS: ReadonlySet<string> = new Set(['Gateway.gateway.networking.k8s.io']);

/** Whether the controller of an object of this kind and group never makes a Service of the object's name (makesServiceNamed). */
function makesNoService(m: Loose, kind: string, group: string): boolean {
  if (isClusterScoped(kind)) return true;
  if (builtInGroup(m.apiVersion)) return !BUILT_IN_MAKERS.has(`${kind}.${group}`);
  if (GROUPS_MAKING_NO_SERVICE.has(group) || KINDS_MAKING_NO_SERVICE.has(kind)) return true;
  // the pod-template kinds of custom groups (an Argo Rollout, a DeploymentConfig) run pods and make no Service; the
  // Kubeflow notebook controller makes one of the Notebook's name (generateService)
  return isPodTemplateKind(m) && kind !== 'Notebook';
}

/**
 * Whether the controller of an object (a manifest of the tree, or one the repository deploys outside it) may make a
 * Service `name` in the object's namespace: a custom resource's operator its name `own` (lower case), or that and a
 * hyphenated suffix (controllers name their Services so: KubeRay's <name>-head-svc, CloudNativePG's <name>-rw, Knative's
 * <service>-00001-private), as EXACT_SERVICES narrows; Kubernetes' own kinds, but a Gateway, make none.
 */
export function makesServiceNamed(m: Loose, own: string | undefined, name: string): boolean {
  const kind = String(m.kind);
  const group = apiGroupOf(m.apiVersion);
  if (!own || makesNoService(m, kind, group)) return false;
  const exact = `${kind}.${group}`;
  if (Object.hasOwn(EXACT_SERVICES, exact)) return EXACT_SERVICES[exact](m, own, name);
  return name === own || name.startsWith(`${own}-`);
}

/**
 * Whether the tree makes a Service `name` (lower case) in namespace `ns` (undefined: namespace-less objects): a
 * Service of that name there, of any type; an object there whose controller names its Services after it
 * (makesServiceNamed: an operator's custom resource, a Gateway); or `kubernetes` in `default`, the API server's Service
 * every cluster has (pkg/controlplane/controller/kubernetesservice). Objects of another namespace make none there: a
 * Service's controller makes it in its object's namespace, and a reference without a namespace names its own.
 */
export function serviceMade(graph: ObjectGraph, name: string, ns: string | undefined): boolean {
  if (name === 'kubernetes' && ns === 'default') return true;
  if (argoCdMakes(graph, name, ns)) return true;
  const there = namespaceServices(graph).get(ns);
  return (
    there !== undefined &&
    (there.services.has(name) || there.makers.some((x) => makesServiceNamed(x.manifest, x.own, name) || provisionedPicker(graph, x, name)))
  );
}

/**
 * The Services of an Argo CD install, named the same in every install (argo-cd manifests/install.yaml and
 * manifests/base: argocd-server, argocd-repo-server, argocd-redis, argocd-dex-server, argocd-applicationset-controller,
 * and the metrics Services).
 */
const ARGOCD_SERVICES: ReadonlySet<string> = new Set([
  'argocd-server',
  'argocd-repo-server',
  'argocd-redis',
  'argocd-dex-server',
  'argocd-applicationset-controller',
  'argocd-server-metrics',
  'argocd-metrics',
]);

/**
 * Whether an Argo CD runs in the namespace and so has its Services there: an Application of the tree, or the one that
 * delivers it, lives in its Argo CD's namespace (the controller reconciles Applications of its own namespace).
 */
function argoCdMakes(graph: ObjectGraph, name: string, ns: string | undefined): boolean {
  if (ns === undefined || !ARGOCD_SERVICES.has(name)) return false;
  return graph.ofKind('Application').some((a) => String(a.manifest.apiVersion).startsWith('argoproj.io/') && graph.namespaceOf(a.manifest) === ns);
}

/**
 * Whether kgateway, installed with its endpoint picker deployer on (kgatewayProvisioning), makes Service `name` for the
 * InferencePool: `<pool>-endpoint-picker` in the pool's namespace (KGATEWAY_PICKER_SUFFIX).
 */
function provisionedPicker(graph: ObjectGraph, x: { manifest: Loose; own: string }, name: string): boolean {
  return x.manifest.kind === 'InferencePool' && name === `${x.own}${KGATEWAY_PICKER_SUFFIX}` && kgatewayProvisioning(graph)?.autoProvision === true;
}

/**
 * Whether the tree explains a Service `name` (lower case) in namespace `ns` as the host of an address a pod connects
 * to: Kubernetes DNS answers `<name>` and `<name>.<ns>[.svc[.cluster.local]]` only for a Service of that namespace
 * (kubernetes.io/docs/concepts/services-networking/dns-pod-service), so the tree explains it where it makes that
 * Service there (serviceMade: an ExternalName Service answers with its CNAME, a headless one with its pods'
 * addresses), and `localhost` is the pod itself, never a Service.
 */
export function serviceExplained(graph: ObjectGraph, name: string, ns: string | undefined): boolean {
  return name === 'localhost' || serviceMade(graph, name, ns);
}

/** What makes Services in each namespace (serviceMade): the names of its Services, and its other named objects. */
function namespaceServices(graph: ObjectGraph): Map<string | undefined, { services: Set<string>; makers: { manifest: Loose; own: string }[] }> {
  return graph.once('service-explained', () => {
    const out = new Map<string | undefined, { services: Set<string>; makers: { manifest: Loose; own: string }[] }>();
    // a release check rendered from its values (a chart it models) makes the Services the graph holds, and no other
    const modelled = new Set(graph.objects.flatMap((o) => (o.helmRendering?.model ? [o.helmRendering.delivery] : [])));
    for (const o of graph.objects) {
      const own = text(mapping(o.manifest.metadata).name)?.toLowerCase();
      if (!own || modelled.has(deliveryKey(o.manifest))) continue;
      const ns = graph.namespaceOf(o.manifest);
      const there = out.get(ns) ?? { services: new Set<string>(), makers: [] };
      out.set(ns, there);
      // a Knative Service (serving.knative.dev) is a maker: its Kubernetes Services are its name and its revisions'
      if (o.manifest.kind === 'Service' && apiGroupOf(o.manifest.apiVersion) === '') there.services.add(own);
      else there.makers.push({ manifest: o.manifest, own });
    }
    return out;
  });
}
