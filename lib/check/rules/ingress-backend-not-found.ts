import { APP_INSTANCE_LABEL } from '../../k8s/keys';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { foundElsewhere, REPOSITORY_PREMISE, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podRunners, SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { madeOutsideTree, objectsOf } from '../reference-targets';
import { notMadeWords, ReleaseVerdict, releaseServiceVerdict } from '../release-services';
import { didYouMean, objectCandidates } from '../near-names';
import { signalledReleases } from '../signalled-releases';

/** A Service an Ingress or a Route sends traffic to, with the field naming it and the port it asks for. */
interface Backend {
  readonly field: string;
  readonly name: string;
  readonly port?: { readonly name?: string; readonly number?: number };
}

/** An Ingress backend's Service (networking.k8s.io/v1 IngressServiceBackend: name, port.name or port.number); none for a resource backend. */
function ingressBackend(backend: unknown, field: string): Backend[] {
  const service = mapping(mapping(backend).service);
  const name = text(service.name);
  if (!name) return [];
  const port = mapping(service.port);
  return [{ field: `${field}.service.name`, name, port: { name: text(port.name), number: typeof port.number === 'number' ? port.number : undefined } }];
}

/** The Services an Ingress (spec.defaultBackend, spec.rules[].http.paths[].backend) or an OpenShift Route (spec.to, spec.alternateBackends[]) names. */
function backendsOf(m: Loose): Backend[] {
  const spec = mapping(m.spec);
  if (m.kind === 'Route') {
    // route.openshift.io/v1 RouteTargetReference: kind defaults to Service; the port (spec.port.targetPort) is a pod's port, not judged here
    return [mapping(spec.to), ...mappings(spec.alternateBackends)]
      .map((t, i) => ({ t, field: i === 0 ? 'spec.to.name' : `spec.alternateBackends[${i - 1}].name` }))
      .filter(({ t }) => (text(t.kind) ?? 'Service') === 'Service' && text(t.name))
      .map(({ t, field }) => ({ field, name: t.name as string }));
  }
  const paths = mappings(spec.rules).flatMap((r, i) =>
    mappings(mapping(r.http).paths).flatMap((p, j) => ingressBackend(p.backend, `spec.rules[${i}].http.paths[${j}].backend`)),
  );
  return [...ingressBackend(spec.defaultBackend, 'spec.defaultBackend'), ...paths];
}

/**
 * Workloads of a namespace whose Services are written by hand (a controller's custom resource makes its own): the
 * long-running controllers, a Rollout and a DeploymentConfig among them (neither makes a Service).
 */
const PLAIN_WORKLOAD_KINDS = SERVICE_BACKEND_KINDS.filter((k) => k !== 'Pod' && k !== 'ReplicaSet');

function plainWorkloadsOf(graph: ObjectGraph, ns: string): GraphObject[] {
  return podRunners(graph, PLAIN_WORKLOAD_KINDS).filter((w) => graph.namespaceOf(w.manifest) === ns);
}

/** Why a backend's port is not one of the Service's ports (by name or by port number), or undefined. */
function portProblem(b: Backend, service: GraphObject, graph: ObjectGraph): string | undefined {
  const ports = mappings(mapping(service.manifest.spec).ports);
  const names = ports.map((p) => text(p.name)).filter((p): p is string => p !== undefined);
  const numbers = ports.map((p) => p.port).filter((p): p is number => typeof p === 'number');
  const field = b.field.replace(/name$/, 'port');
  const has = b.port?.name !== undefined ? names.includes(b.port.name) : b.port?.number !== undefined ? numbers.includes(b.port.number) : true;
  if (has || !ports.length) return undefined;
  const asked = b.port?.name !== undefined ? `.name '${b.port.name}'` : `.number ${b.port?.number}`;
  return (
    `${field}${asked} is not a port of ${graph.id(service)} (its ports: ${ports.map((p) => `${text(p.name) ?? '(unnamed)'} ${String(p.port)}`).join(', ')}): ` +
    `the ingress controller finds no endpoint for it and answers 503; name a port the Service declares (port.name or port.number, the Service's port, not the container's)`
  );
}

/** A Service the chart releases into the namespace do not make, though they make others there (releaseServiceVerdict). */
function notMadeByRelease(b: Backend, where: string, v: Extract<ReleaseVerdict, { kind: 'not-made' }>): Problem {
  const { said, fix } = notMadeWords(b.name, v);
  return {
    ...(v.assumed ? { severity: 'warning' as const } : {}),
    message: `${b.field} names Service '${b.name}', which is not in ${where}: ${said}: every request it routes gets 503 (no endpoints); ${fix}`,
  };
}

/**
 * A Service the tree does not hold beside the namespace's Services, or beside its workloads where it holds none. A
 * namespace whose monitoring objects signal a Helm release (signalledReleases) is populated by that release too, so
 * its workloads alone do not show that the tree makes its Services: a warning there.
 */
function missingService(b: Backend, ns: string, where: string, services: GraphObject[], deployed: GraphObject[], graph: ObjectGraph): Problem {
  const populated = services.length ? [] : signalledReleases(graph, ns);
  if (populated.length) {
    return {
      severity: 'warning',
      message:
        `${b.field} names Service '${b.name}', which is not in ${where}; the tree deploys ${deployed.map((w) => graph.id(w)).join(', ')} there, but its monitoring objects there carry release: ${populated.join(', ')}, ` +
        `the label kube-prometheus-stack selects them by, so a Helm release of that name populates the namespace outside the tree: unless it makes '${b.name}', every request routed there gets 503 (no endpoints); name a Service the release makes (<release>-grafana and the like), or add Service '${b.name}'`,
    };
  }
  const meant = didYouMean(b.name, objectCandidates(services));
  const holds = services.length
    ? `the tree holds the namespace's Services (${services.map((s) => String(mapping(s.manifest.metadata).name)).join(', ')}${meant ? `; ${meant}` : ''})`
    : `the tree deploys the namespace's workloads (${deployed.map((w) => graph.id(w)).join(', ')}) and holds no Service for them`;
  return {
    message:
      `${b.field} names Service '${b.name}', which is not in ${where}${foundElsewhere(graph, 'Service', b.name, ns, 'an Ingress or Route reaches Services of its own namespace only')}, ` +
      `though ${holds} and nothing else of the tree makes one of that name: ` +
      `every request it routes gets 503 (no endpoints); ${services.length ? 'name one of those Services, or ' : ''}add Service '${b.name}'`,
  };
}

/**
 * The Helm release a rendered object belongs to, by the labels Helm's chart scaffold puts on each object it renders
 * (helm pkg/chartutil/create.go, _helpers.tpl `<chart>.labels`: helm.sh/chart and app.kubernetes.io/instance, the
 * release's name): `chart@release`, or undefined.
 */
function renderedReleaseOf(m: Loose): string | undefined {
  const labels = mapping(mapping(m.metadata).labels);
  const chart = text(labels['helm.sh/chart']);
  const release = text(labels[APP_INSTANCE_LABEL]);
  return chart && release && !/[{$]/.test(chart + release) ? `${chart}@${release}` : undefined;
}

/**
 * A backend of an Ingress that gives no namespace, where the Ingress is an object of a rendered Helm release: one
 * release is installed into one namespace, so its objects without a namespace land together, and a Service the
 * release's own Ingress names that the release does not render, beside Services or workloads it does, is missing
 * there too. Outside a release, objects without a namespace may land anywhere: not judged.
 */
function releaseBackendProblem(o: GraphObject, b: Backend, graph: ObjectGraph): Problem | undefined {
  const release = renderedReleaseOf(o.manifest);
  if (!release) return undefined;
  const ofRelease = (x: GraphObject) => graph.namespaceOf(x.manifest) === undefined && renderedReleaseOf(x.manifest) === release;
  const services = graph.ofKind('Service').filter(ofRelease);
  const deployed = podRunners(graph, PLAIN_WORKLOAD_KINDS).filter(ofRelease);
  if (services.some((s) => text(mapping(s.manifest.metadata).name) === b.name) || (!services.length && !deployed.length)) return undefined;
  if (graph.inPartlyBuiltBuild(o)) return undefined;
  const [chart, name] = release.split('@');
  const meant = didYouMean(b.name, objectCandidates(services));
  const holds = services.length
    ? `its Services are ${services.map((s) => String(mapping(s.manifest.metadata).name)).join(', ')}${meant ? `; ${meant}` : ''}`
    : `it deploys ${deployed.map((w) => graph.id(w)).join(', ')} and renders no Service for them`;
  return {
    message:
      `${b.field} names Service '${b.name}', which release '${name}' of chart ${chart} (the labels helm.sh/chart and app.kubernetes.io/instance) does not render, though the Ingress is of that release and lands in its namespace: ${holds}; ` +
      `every request it routes gets 503 (no endpoints); ${services.length ? 'name the Service the release renders, or ' : ''}add Service '${b.name}' to the chart`,
  };
}

function backendProblems(o: GraphObject, graph: ObjectGraph): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  const services = objectsOf(graph, 'Service', [''], ns);
  const where = ns === undefined ? 'the namespace it is deployed to' : `namespace '${ns}'`;
  const out: Problem[] = [];
  for (const b of backendsOf(o.manifest)) {
    const service = graph.find('Service', b.name, ns);
    if (service) {
      const problem = o.manifest.kind === 'Ingress' ? portProblem(b, service, graph) : undefined;
      if (problem) out.push({ message: problem });
      continue;
    }
    // a namespace the tree does not give is no closed set: the Services of unrelated files (a folder of samples) may
    // land elsewhere; those of one rendered Helm release land together
    if (ns === undefined) {
      const p = releaseBackendProblem(o, b, graph);
      if (p) out.push(p);
      continue;
    }
    const releases = releaseServiceVerdict(graph, b.name, ns);
    if (releases?.kind === 'made' || releases?.kind === 'unknown') continue;
    const outside = madeOutsideTree(graph, 'Service', b.name, ns);
    // a release of a chart the table knows is no unseen delivery, nor a name-prefix guess: its Services are named
    if (outside && !((outside === 'an unseen delivery' || outside === 'a chart') && releases)) continue;
    if (releases) {
      out.push(notMadeByRelease(b, where, releases));
      continue;
    }
    // a build the reader could not finish (a remote base, a chart, files a script writes first) may hold the Service
    if (graph.inPartlyBuiltBuild(o)) continue;
    // the tree deploys the namespace: its Services, or (none) the plain workloads a hand-written Service would front
    const deployed = services.length ? [] : plainWorkloadsOf(graph, ns);
    if (!services.length && !deployed.length) continue;
    out.push(unlessRepositoryMakes(graph, missingService(b, ns, where, services, deployed, graph), 'Service', b.name, ns));
  }
  return out;
}

export const ingressBackendNotFound: Rule = {
  id: 'ingress-backend-not-found',
  title: "an Ingress or Route sends traffic to a Service the tree does not hold beside the namespace's other Services, or to a port that Service does not have",
  severity: 'error',
  appliesTo: ['Ingress', 'Route'],
  premise:
    "an Ingress backend (spec.defaultBackend, spec.rules[].http.paths[].backend: service.name) or an OpenShift Route (spec.to, spec.alternateBackends[] of kind Service) names a Service that is not in the tree, while the tree holds other Services of the same namespace, or none but the namespace's Deployments, StatefulSets or DaemonSets (so it is the tree that deploys the namespace's workloads and their Services; a warning where the tree holds only workloads there and its prometheus-operator objects there carry a `release:` label, kube-prometheus-stack's selector label, which says a Helm release of that name also populates the namespace); " +
    "or an Ingress backend's port.name or port.number is none of the named Service's ports; " +
    "a Service of a namespace a release of a well-known chart installs into (an Argo CD Application's chart source, a Flux HelmRelease, a release of a helmfile.yaml of the input: kube-prometheus-stack, grafana, argo-cd) is made where the chart's fullname helper names it so (release name, fullnameOverride, nameOverride in the values given inline or in a helmfile's values files of the tree), and one those releases do not make is an error naming the Services they make (a warning where values files the check does not read may rename them), when nothing else unseen delivers into the namespace; " +
    "an Ingress of a rendered Helm release (the chart scaffold's labels helm.sh/chart and app.kubernetes.io/instance) that gives no namespace, naming a Service that release does not render beside Services or workloads it does render, without a namespace too: one release is installed into one namespace; " +
    "not judged: another object whose namespace neither it nor its delivery gives (a folder of independent samples), one built by a kustomization the reader could not build whole (a remote base, a Helm chart, files a script writes before the build: the Service may be there), a namespace where the tree holds no Service, one an Argo CD Application syncs from a source the input does not show, a name holding a template, a Service an object of the namespace makes (an operator's custom resource its name and <name>-…, KServe's InferenceService exactly its <name>, <name>-predictor, -transformer, -explainer, a named predictor's <name>-<predictor>-predictor, their Knative revisions and a multi-node predictor's <name>-head-<generation> and -workers-<generation>, a ModelRegistry its <name> and <name>-postgres where it deploys the database, a Knative Service its revisions', a Gateway API Gateway <gateway>-<class> as Istio names it; not an OpenShift Route, an Argo Rollout, a DeploymentConfig, Istio's or prometheus-operator's configuration, Kueue's queues or an InferencePool, which make none), kubernetes in default, one named as an operator names the Services of a resource the tree does not hold (KubeRay's <rayservice>-head-svc), one whose name begins with such a signalled release's name (<release>-grafana), and a Route's port (a pod port)" +
    REPOSITORY_PREMISE,
  example: '`name: vllm-server-svc` in an Ingress path whose namespace holds only the Service `name: vllm-server`',
  fix: 'name a Service of the namespace that the tree holds (and one of its ports), or add the Service the Ingress names',
  source:
    'helm pkg/chartutil/create.go (the scaffold _helpers.tpl labels: helm.sh/chart, app.kubernetes.io/instance the release name; a release installs into one namespace); kserve pkg/constants/constants.go PredictorServiceName, GetHeadServiceName, GetWorkerServiceName; knative/serving pkg/reconciler/configuration/resources names.go; istio pilot/pkg/config/kube/gateway/deploymentcontroller.go; model-registry-operator templates postgres-service.yaml.tmpl; ' +
    "the charts' Services as their templates name them (prometheus-community/helm-charts kube-prometheus-stack-88.5.3, grafana/helm-charts grafana-10.5.15, argoproj/argo-helm argo-cd-10.1.1: each chart's _helpers.tpl fullname and service templates; kube-prometheus-stack templates/prometheus/prometheus.yaml selects monitors and rules by `release: <release>`); " +
    'ingress-nginx internal/ingress/controller/controller.go createUpstreams ("error obtaining service endpoints": a missing Service, or a port it lacks, leaves the path without upstream and the default backend answers 503); the OpenShift router answers 503 for a Route whose Service has no endpoints',
  check(o, { graph }) {
    return backendProblems(o, graph);
  },
};
