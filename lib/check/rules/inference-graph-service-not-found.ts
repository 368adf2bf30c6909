import * as path from 'path';
import { isMapping, mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { namespaceHeldWhole } from '../namespace-held-whole';
import { didYouMean, objectCandidates } from '../near-names';
import { deliveryUnitOf } from '../runtime-binding';
import { Problem, Rule } from '../rule';
import { serviceExplained } from '../service-explained';
import { serviceOfHost } from '../service-hosts';

/** Kinds of KServe a namespace held whole may hold beside Kubernetes' own: none of them makes an InferenceService. */
const KSERVE_KINDS: readonly string[] = ['InferenceService', 'InferenceGraph', 'ServingRuntime'];

/**
 * Whether an object of one delivery unit is applied with those of another: the same unit, or a loose file in a folder
 * below a loose graph's folder (`kubectl apply -R -f <folder>` applies them together, into one namespace).
 */
function appliedWith(unit: string, graphUnit: string): boolean {
  return unit === graphUnit || (graphUnit.startsWith('folder:') && unit.startsWith(`${graphUnit}${path.sep}`));
}

/**
 * The tree's InferenceServices the graph's controller finds under a step's serviceName: those of the graph's namespace
 * (a namespace-less one applied together with a namespace-less graph counts, as it lands where the graph lands).
 */
function servicesBeside(graph: ObjectGraph, o: GraphObject, namespace?: string): GraphObject[] {
  const own = graph.namespaceOf(o.manifest);
  // a serviceUrl's host may name another namespace: the services there
  if (namespace !== undefined && namespace !== own) return graph.ofKind('InferenceService').filter((s) => graph.namespaceOf(s.manifest) === namespace);
  const ns = own;
  const unit = deliveryUnitOf(o);
  return graph.ofKind('InferenceService').filter((s) => {
    const sns = graph.namespaceOf(s.manifest);
    return ns === undefined ? sns === undefined && unit !== '' && appliedWith(deliveryUnitOf(s), unit) : sns === ns;
  });
}

/** One InferenceService a step targets: by name (serviceName), or by the host of its serviceUrl. */
interface StepTarget {
  /** Where it is: `node 'root' step 1`. */
  readonly where: string;
  /** The InferenceService named. */
  readonly name: string;
  /** The field it is named in, as the message quotes it: `serviceName 'x'`, `serviceUrl 'http://…'`. */
  readonly field: string;
  /** The namespace a serviceUrl's host names, where it names one. */
  readonly namespace?: string;
  /** The serviceUrl, where the step names its target so. */
  readonly url?: string;
  /** Written where a step's target is not read (a list under `routes:`, a `service:` key): said of the graph once mended. */
  readonly misplaced?: boolean;
}

/**
 * The Services KServe makes for an InferenceService's components: `<name>-predictor`, `<name>-transformer`,
 * `<name>-explainer` (pkg/constants/constants.go PredictorServiceName and friends; `-default` before 0.9).
 */
const COMPONENT_SERVICE = /-(predictor|transformer|explainer)(-default)?$/;

/** The InferenceService an in-cluster serviceUrl's host names (`name`, `name-predictor`, `name.ns.svc.cluster.local`), with its namespace. */
function urlTarget(url: string, own: string | undefined, namespaces: ReadonlySet<string>): { name: string; namespace: string | undefined } | undefined {
  const host = /^https?:\/\/([A-Za-z0-9][A-Za-z0-9.-]*)([^A-Za-z0-9.-]|$)/.exec(url);
  if (!host || /[{$(]/.test(host[2])) return undefined;
  const target = serviceOfHost(host[1], own, namespaces);
  return target && target.name !== 'localhost' ? { name: target.name.replace(COMPONENT_SERVICE, ''), namespace: target.namespace } : undefined;
}

/**
 * The InferenceServices each step of the graph targets, in every node whatever its routerType (Sequence, Switch,
 * Ensemble, Splitter all read steps alike): a serviceName, or a serviceUrl's in-cluster host; in a list written under
 * another key of the node (`routes:`, which the graph lacks: inference-graph-invalid says so) or a target written under
 * `service:`, the name the author meant all the same.
 */
function stepTargets(o: GraphObject, namespaces: ReadonlySet<string>, own: string | undefined): StepTarget[] {
  const nodes = mapping(mapping(o.manifest.spec).nodes);
  return Object.entries(nodes).flatMap(([node, router]) =>
    isMapping(router)
      ? Object.entries(router)
          .filter(([, list]) => Array.isArray(list))
          .flatMap(([key, list]) =>
            mappings(list).flatMap((s, i): StepTarget[] => {
              const where = `node '${node}' ${key === 'steps' ? 'step' : `${key} entry`} ${i}`;
              const name = text(s.serviceName) ?? (s.serviceUrl === undefined && s.nodeName === undefined ? text(s.service) : undefined);
              if (name)
                return [
                  {
                    where,
                    name,
                    field: `${s.serviceName !== undefined ? 'serviceName' : 'service'} '${name}'`,
                    misplaced: key !== 'steps' || s.serviceName === undefined,
                  },
                ];
              const url = text(s.serviceUrl);
              const target = url ? urlTarget(url, own, namespaces) : undefined;
              return url && target ? [{ where, name: target.name, field: `serviceUrl '${url}'`, namespace: target.namespace, url }] : [];
            }),
          )
      : [],
  );
}

/** ` (the tree has one in namespace x: the controller looks only in the graph's)` where another namespace holds it. */
function elsewhere(graph: ObjectGraph, name: string, beside: readonly GraphObject[]): string {
  const other = graph.ofKind('InferenceService').find((s) => text(s.manifest.metadata?.name) === name && !beside.includes(s));
  const ns = other && graph.namespaceOf(other.manifest);
  return ns ? ` (the tree has one in namespace '${ns}': the controller looks only in the graph's namespace)` : '';
}

/** What the step's missing service does: the controller's lookup of a serviceName, or the router's request to a serviceUrl. */
function consequence(t: StepTarget): string {
  return t.url !== undefined
    ? `its host names InferenceService '${t.name}', which the tree does not hold there: the router's request to that step finds no such Service (the host does not resolve), so every request through the step fails`
    : `${t.misplaced ? "once written as a step's serviceName under 'steps', " : ''}KServe's graph controller fails to find the service ("Failed to find graph service") and makes no router, so the graph serves nothing`;
}

/** The finding for one step whose InferenceService the namespace's services of the tree lack, if it does. */
function targetProblem(graph: ObjectGraph, o: GraphObject, t: StepTarget): Problem[] {
  const beside = servicesBeside(graph, o, t.namespace);
  const names = new Set(beside.map((s) => text(s.manifest.metadata?.name)));
  if (!beside.length || names.has(t.name)) return [];
  const ns = t.namespace ?? graph.namespaceOf(o.manifest);
  // a Service of the tree of the host's name, or an object another operator names its Services after
  if (t.url !== undefined && serviceExplained(graph, /^https?:\/\/([A-Za-z0-9-]+)/.exec(t.url)?.[1]?.toLowerCase() ?? '', ns)) return [];
  const held = namespaceHeldWhole(ns, graph, (x) => KSERVE_KINDS.includes(String(x.manifest.kind)));
  const where = ns ? `namespace '${ns}'` : "the graph's namespace";
  const meant = didYouMean(t.name, objectCandidates(beside));
  const base =
    `${t.where} names ${t.field}, and the tree's InferenceServices of ${where} are ${[...names].map((n) => `'${n}'`).join(', ')}${meant ? ` (${meant})` : ''}${elsewhere(graph, t.name, beside)}: ` +
    consequence(t);
  return [
    held
      ? {
          severity: 'error',
          message: `${base}; the tree creates ${where} and shows all it holds, so nothing else makes '${t.name}': ${inferenceGraphServiceNotFound.fix}`,
        }
      : { message: `${base} unless another app makes '${t.name}' there: ${inferenceGraphServiceNotFound.fix}` },
  ];
}

export const inferenceGraphServiceNotFound: Rule = {
  id: 'inference-graph-service-not-found',
  title: "an InferenceGraph step's serviceName (or serviceUrl host) names no InferenceService of the namespace, where the tree holds that namespace's services",
  severity: 'warning',
  appliesTo: ['InferenceGraph'],
  premise:
    "KServe's InferenceGraph controller gets the InferenceService of each step's serviceName in the graph's namespace before it makes the router, and requeues with \"Failed to find graph service\" while one is missing: the graph has no router and serves nothing. " +
    'Every node is read alike whatever its routerType (Sequence, Switch, Ensemble, Splitter), and a list of steps written under another node key (`routes:`) or a target written as `service:` is read for the name meant (inference-graph-invalid reports the key). ' +
    "A serviceUrl whose host is in-cluster (a bare name, name.<namespace>, .svc, .svc.cluster.local; not a template) names the InferenceService of that host less a component suffix (-predictor, -transformer, -explainer, the Services KServe makes for it): the router calls the URL itself, and a host no Service answers fails every request through the step; not judged where a Service of the tree has that name or another object of the namespace (an operator's custom resource) may make it. " +
    'Judged only where the tree holds InferenceServices of the namespace looked in (a namespace-less one applied together with a namespace-less graph counts: of its kustomize build, or a loose file of its folder or one below): a warning, as another app may make the service; an error where the tree creates the namespace and shows everything in it (no Argo CD Application, Flux source, helm install into it or rendered template, every file read whole), so nothing else makes the service',
  example: "a graph step `serviceName: text-translator` beside InferenceServices named 'lang-detect' and 'text-translate'",
  fix: "name an InferenceService of the graph's namespace in serviceName (the message names the near one), or add that service",
  source:
    'kserve/kserve pkg/controller/v1alpha1/inferencegraph/controller.go Reconcile (v0.15.0 to v0.20.0: r.Get of types.NamespacedName{Namespace: graph.Namespace, Name: route.ServiceName} for the steps of every node, "Failed to find graph service %s", Requeue before the router is made); cmd/router/main.go (a step\'s serviceUrl is called as written); pkg/constants/constants.go (the -predictor, -transformer, -explainer Service names)',
  check(o, { graph }) {
    if (!/^serving\.kserve\.io\//.test(text(o.manifest.apiVersion) ?? '')) return [];
    const own = graph.namespaceOf(o.manifest);
    const namespaces = new Set(graph.objects.flatMap((x) => graph.namespaceOf(x.manifest) ?? []));
    return stepTargets(o, namespaces, own).flatMap((t) => targetProblem(graph, o, t));
  },
};
