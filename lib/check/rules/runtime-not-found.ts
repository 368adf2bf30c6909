import { mapping, text } from '../../manifests/access';
import { REPOSITORY_PREMISE, repositoryObjectsOf, unlessRepositoryMakes } from '../found-elsewhere';
import { GraphObject, locationOf } from '../graph-object';
import { modelSpecOf } from '../serving-model';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import type { Platform } from '../platform';
import { clusterRuntimesOfRelease, KSERVE_CLUSTER_RUNTIMES } from '../../platform/kserve-runtimes';
import type { RuntimeSelectionSpec } from '../../platform/kserve-runtimes';
import { isModelMesh } from '../modelmesh-storage';
import { predictorFramework, runtimeSelectionSpecOf, selectionModelOf, supportingRuntimes } from '../runtime-selection';
import type { SelectionModel } from '../runtime-selection';
import { namespacesCreated } from '../tree-namespaces';
import { deliveryUnitOf } from '../runtime-binding';
import { sameCauseCopies } from '../one-per-cause';
import { KserveInstall, kserveInstalls, runtimesRelease } from '../kserve-installs';
import { didYouMean, NamedCandidate, objectCandidates } from '../near-names';
import { filledWhenApplied } from '../template-syntax';

/** Runtimes of the name that differ, any of which the service may bind to: which one depends on a namespace the tree does not tell. */
function ambiguous(graph: ObjectGraph, runtime: string, candidates: readonly GraphObject[], copies: readonly GraphObject[]): Problem {
  const each = candidates.map((r) => {
    const ns = graph.namespaceOf(r.manifest);
    return `${locationOf(r) ?? graph.id(r)} (${ns === undefined ? 'no namespace' : `namespace '${ns}'`})`;
  });
  return {
    severity: 'warning',
    message:
      `spec.predictor.model.runtime '${runtime}' may be any of ${candidates.length} different ServingRuntimes of that name: ${each.join(', ')}; ` +
      "KServe uses the one in the service's namespace, which the tree does not tell, so the checks that read the runtime do not judge this service" +
      (copies.length ? ` (nor its copies in ${copies.map((c) => locationOf(c) ?? graph.id(c)).join(', ')}, alternatives of the same service)` : '') +
      ': ' +
      'set metadata.namespace on the service (or a kustomization namespace), or keep one runtime of that name',
  };
}

/** Whether two lists hold the same objects, in any order. */
function sameMembers(a: readonly GraphObject[], b: readonly GraphObject[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** "namespace 'ml'", or the service's namespace when the tree does not tell it. */
function inNamespace(ns: string | undefined): string {
  return ns === undefined ? "the service's namespace" : `namespace '${ns}'`;
}

/**
 * Where the tree installs upstream KServe itself and none of its installs creates the ClusterServingRuntimes (a CRD
 * chart, kserve.yaml without kserve-cluster-resources.yaml, kserve-resources without kserve-runtime-configs): those
 * installs, as said; undefined where the tree shows no install, or one that creates them.
 */
function installsWithoutRuntimes(graph: ObjectGraph): string | undefined {
  const installs = installsOf(graph);
  return installs.length && !installs.some((i) => i.runtimes) ? installs.map((i) => i.says).join('; ') : undefined;
}

/** The tree's installs of upstream KServe (kserve-installs.ts), read once per graph. */
function installsOf(graph: ObjectGraph): KserveInstall[] {
  return graph.once('runtime-not-found:kserve-installs', () => kserveInstalls(graph.objects, graph.installed));
}

/** The ClusterServingRuntimes of upstream KServe at the release the tree installs, where it says which. */
function upstreamRuntimes(graph: ObjectGraph): readonly RuntimeSelectionSpec[] {
  return clusterRuntimesOfRelease(runtimesRelease(installsOf(graph)));
}

/**
 * KServe's runtimes that would auto-select the model but come with a later release than the one the tree installs
 * (kserve-vllmserver, format vLLM, came with 0.20), in words for the fix; undefined where none would.
 */
function laterRelease(graph: ObjectGraph, model: SelectionModel, platform: Platform): string | undefined {
  const release = runtimesRelease(installsOf(graph));
  if (platform !== 'kserve' || release === undefined || installsWithoutRuntimes(graph)) return undefined;
  const available = clusterRuntimesOfRelease(release);
  const later = KSERVE_CLUSTER_RUNTIMES.runtimes.filter((r) => !available.includes(r));
  const names = supportingRuntimes(model, [], later);
  const would = later.filter((r) => names.includes(r.name));
  if (!would.length) return undefined;
  const since = would.map((r) => `${r.name} (from KServe ${r.since})`).join(', ');
  return `KServe's ${since} would auto-select it, but the tree installs KServe ${release} (${installsOf(graph)
    .filter((i) => i.runtimes)
    .map((i) => i.says)
    .join('; ')}), which does not have it: install a release that does`;
}

/**
 * The ClusterServingRuntimes of upstream KServe: the tree's, and those KServe installs (config/runtimes) that the
 * tree does not redefine, unless the tree's own install of KServe creates none. None on OpenShift AI, which removes
 * the CRD.
 */
function clusterRuntimes(graph: ObjectGraph, platform: Platform): RuntimeSelectionSpec[] {
  if (platform !== 'kserve') return [];
  const tree = graph.ofKind('ClusterServingRuntime').map((r) => runtimeSelectionSpecOf(r.manifest));
  if (installsWithoutRuntimes(graph)) return tree;
  return [...tree, ...upstreamRuntimes(graph).filter((r) => !tree.some((t) => t.name === r.name))];
}

/**
 * The ClusterServingRuntimes the git repository around the checked folder deploys outside it (an install of upstream
 * KServe's release manifests, kserve-runtimes.yaml beside kserve.yaml): cluster-scoped, they serve the folder's
 * services once that install is applied. Counted whatever platform is assumed: a repository that deploys them installs
 * upstream KServe, whatever else marks the tree (a Route says OpenShift, where upstream KServe runs too). Read only when
 * the tree's own runtimes and KServe's serve none.
 */
function repositoryClusterRuntimes(graph: ObjectGraph): RuntimeSelectionSpec[] {
  return repositoryObjectsOf(graph)
    .filter((o) => o.kind === 'ClusterServingRuntime' && String(o.manifest.apiVersion ?? '').startsWith('serving.kserve.io/'))
    .map((o) => runtimeSelectionSpecOf(o.manifest));
}

/**
 * A missing runtime that the repository around the checked folder deploys outside it: a
 * ClusterServingRuntime of that name (cluster-scoped, it serves every namespace once applied), else a ServingRuntime of
 * the service's namespace; the finding becomes the note naming its file (found-elsewhere.ts).
 */
function repositoryMade(graph: ObjectGraph, problem: Problem, runtime: string, ns: string | undefined): Problem {
  if (repositoryClusterRuntimes(graph).some((r) => r.name === runtime))
    return unlessRepositoryMakes(graph, problem, 'ClusterServingRuntime', runtime, undefined);
  return unlessRepositoryMakes(graph, problem, 'ServingRuntime', runtime, ns);
}

/** Where runtimes are looked for, in words: the namespace, and on upstream KServe the ClusterServingRuntimes (and why none of KServe's). */
function lookedIn(graph: ObjectGraph, ns: string | undefined, platform: Platform): string {
  if (platform !== 'kserve') return `${inNamespace(ns)} (OpenShift AI installs no ClusterServingRuntimes)`;
  const without = installsWithoutRuntimes(graph);
  return without
    ? `${inNamespace(ns)} or among the tree's ClusterServingRuntimes (the tree installs KServe itself, and none of its installs creates KServe's runtimes: ${without})`
    : `${inNamespace(ns)} or among the ClusterServingRuntimes`;
}

/** The runtimes of the tree that could serve the model but are not picked, in words: the fix names them. */
function couldServe(graph: ObjectGraph, model: SelectionModel, namespaced: readonly RuntimeSelectionSpec[], ns: string | undefined): string[] {
  const hints: string[] = [];
  // a runtime of the namespace that lists the format without autoSelect serves it when named
  const named = namespaced.filter((r) => supportingRuntimes({ ...model, runtime: r.name }, [r], []).length);
  if (named.length)
    hints.push(
      `${named.map((r) => r.name).join(', ')} list${named.length > 1 ? '' : 's'} it without autoSelect: name ${named.length > 1 ? 'one' : 'it'} in spec.predictor.model.runtime`,
    );
  const others = graph
    .ofKind('ServingRuntime')
    .filter((r) => ns !== undefined && graph.namespaceOf(r.manifest) !== undefined && graph.namespaceOf(r.manifest) !== ns);
  const elsewhere = others.filter((r) => supportingRuntimes(model, [runtimeSelectionSpecOf(r.manifest)], []).length);
  if (elsewhere.length) {
    const each = elsewhere.map((r) => `${text(r.manifest.metadata?.name) ?? ''} (${inNamespace(graph.namespaceOf(r.manifest))})`);
    hints.push(`${each.join(', ')} auto-select${elsewhere.length > 1 ? '' : 's'} it, but KServe looks only in the service's namespace: copy one there`);
  }
  return hints;
}

/**
 * No runtime auto-selects the model (KServe: "No runtime found to support predictor with model type", the service
 * never deploys). An error when the tree creates the namespace or holds its runtimes (nothing else is expected to put
 * one there); else a warning, as the namespace may hold runtimes made outside Git (the OpenShift AI dashboard's).
 */
function noSupportingRuntime(
  graph: ObjectGraph,
  service: GraphObject,
  model: SelectionModel,
  namespaced: readonly RuntimeSelectionSpec[],
  platform: Platform,
): Problem {
  const ns = graph.namespaceOf(service.manifest);
  const framework = predictorFramework(mapping(mapping(service.manifest.spec).predictor));
  const format = `format '${model.format ?? '(none)'}'${model.formatVersion === undefined ? '' : ` version '${model.formatVersion}'`}`;
  const what = `spec.predictor.model.runtime is unset${framework ? ` (spec.predictor.${framework} becomes a model of format '${framework}')` : ''}`;
  const where = lookedIn(graph, ns, platform);
  const hints = [...couldServe(graph, model, namespaced, ns), ...[laterRelease(graph, model, platform) ?? []].flat()];
  const fix = `add to ${inNamespace(ns)} a ServingRuntime whose supportedModelFormats lists ${model.format ?? 'the format'} with autoSelect: true, or name a runtime in spec.predictor.model.runtime`;
  const consequence = 'KServe finds no runtime ("No runtime found to support predictor with model type") and the service never deploys';
  const made = ns !== undefined && namespacesCreated(graph).has(ns);
  if (made || namespaced.length) {
    const why = made ? `the tree creates ${inNamespace(ns)}` : `the tree holds the runtimes of ${inNamespace(ns)}`;
    return { message: `${what} and no runtime in ${where} auto-selects ${format} (${why}): ${consequence}; ${[...hints, fix].join('; ')}` };
  }
  return {
    severity: 'warning',
    message: `${what} and no runtime of the tree in ${where} auto-selects ${format}; the namespace may hold one made outside Git (the dashboard's), else ${consequence}: ${[...hints, fix].join('; ')}`,
  };
}

/**
 * A service that names no runtime: KServe picks the first of the runtimes that auto-select its format (kserve
 * predictor_model.go GetSupportingRuntimes: the namespace's, then the ClusterServingRuntimes). A pick among the
 * runtimes is what auto-selection is for: nothing to report.
 */
function autoSelection(graph: ObjectGraph, service: GraphObject, platform: Platform): Problem[] {
  // ModelMesh picks among its multi-model runtimes by its own rules
  if (isModelMesh(service.manifest)) return [];
  const model = selectionModelOf(service.manifest, platform === 'kserve');
  const ns = graph.namespaceOf(service.manifest);
  const namespaced = graph
    .ofKind('ServingRuntime')
    .filter((r) => {
      const rns = graph.namespaceOf(r.manifest);
      return ns === undefined || rns === undefined || rns === ns;
    })
    .map((r) => runtimeSelectionSpecOf(r.manifest));
  if (supportingRuntimes(model, namespaced, clusterRuntimes(graph, platform)).length) return [];
  // runtimes the repository deploys as ClusterServingRuntimes are upstream KServe's: its defaults pick among them
  if (supportingRuntimes(selectionModelOf(service.manifest, true), [], repositoryClusterRuntimes(graph)).length) return [];
  return [noSupportingRuntime(graph, service, model, namespaced, platform)];
}

/**
 * Whether the tree holds the runtimes of the service's namespace: one declared in it, or a namespace-less one applied
 * together with the service (its kustomize build or folder), which lands in the namespace the service is applied to.
 */
function heldRuntimes(graph: ObjectGraph, o: GraphObject, ns: string | undefined): boolean {
  const unit = deliveryUnitOf(o);
  return graph.ofKind('ServingRuntime').some((r) => {
    const rns = graph.namespaceOf(r.manifest);
    return rns === ns || (rns === undefined && unit !== '' && deliveryUnitOf(r) === unit);
  });
}

/**
 * The runtimes KServe could have bound under a near spelling of the name: the ServingRuntimes of the service's
 * namespace (all of the tree's where that namespace is unknown, and a namespace-less one applied together with the
 * service), and on upstream KServe the ClusterServingRuntimes (the tree's and KServe's own).
 */
function runtimeCandidates(graph: ObjectGraph, o: GraphObject, ns: string | undefined, platform: Platform): NamedCandidate[] {
  const unit = deliveryUnitOf(o);
  const namespaced = graph.ofKind('ServingRuntime').filter((r) => {
    const rns = graph.namespaceOf(r.manifest);
    return ns === undefined || rns === ns || (rns === undefined && unit !== '' && deliveryUnitOf(r) === unit);
  });
  const treeCluster = platform === 'kserve' ? objectCandidates(graph.ofKind('ClusterServingRuntime')) : [];
  const installed = clusterRuntimes(graph, platform)
    .filter((r) => !treeCluster.some((t) => t.name === r.name))
    .map((r) => ({ name: r.name, where: "KServe's ClusterServingRuntimes" }));
  return [...objectCandidates(namespaced), ...treeCluster, ...installed];
}

/** ` (did you mean …?)` for a runtime name a near spelling of one KServe could bind, else ''. */
function meantRuntime(graph: ObjectGraph, o: GraphObject, runtime: string, platform: Platform): string {
  const meant = didYouMean(runtime, runtimeCandidates(graph, o, graph.namespaceOf(o.manifest), platform));
  return meant ? ` (${meant})` : '';
}

/**
 * A service that names its runtime: KServe takes the ServingRuntime of that name in the service's namespace, else
 * (upstream KServe) the ClusterServingRuntime of that name (utils.go GetServingRuntime).
 */
function namedRuntime(graph: ObjectGraph, o: GraphObject, runtime: string, platform: Platform): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  const binding = graph.runtimeBinding(o.manifest);
  // a ClusterServingRuntime binds only where its CRD is served (upstream KServe)
  if (binding.runtime && (binding.runtime.manifest.kind === 'ServingRuntime' || platform === 'kserve')) return [];
  if (binding.candidates.length > 1) {
    // copies of the service in other files that bind among the same runtimes: one finding, on the first
    const copies = sameCauseCopies(
      graph,
      o,
      (x) => text(modelSpecOf(x.manifest).runtime) === runtime && sameMembers(graph.runtimeBinding(x.manifest).candidates, binding.candidates),
    );
    if (copies[0] !== o) return [];
    return [ambiguous(graph, runtime, binding.candidates, copies.slice(1))];
  }
  if (clusterRuntimes(graph, platform).some((r) => r.name === runtime)) return [];
  const upstream =
    platform !== 'kserve'
      ? ''
      : installsWithoutRuntimes(graph)
        ? " nor a ClusterServingRuntime of the tree (the tree's installs of KServe create none of KServe's)"
        : ' nor a ClusterServingRuntime (of the tree or of those KServe installs)';
  // the tree may not hold the runtime at all (created by the dashboard or another app): judge only within the tree
  const elsewhere = graph.ofKind('ServingRuntime').find((r) => r.manifest.metadata?.name === runtime);
  const cluster = graph.find('ClusterServingRuntime', runtime);
  if (!elsewhere && !cluster && !heldRuntimes(graph, o, ns)) {
    // …unless the tree holds it in a file its kustomization does not list: forgotten in resources, never delivered
    const forgotten = graph.leftOutFile('ServingRuntime', runtime, ns);
    // in a root kustomize refuses to build, the build delivers nothing (kustomize-build-fails says so): a runtime file
    // it leaves out is no second mistake, and another delivery (a directory source) may apply that file
    if (forgotten !== undefined && graph.inFailedBuild(o)) return [];
    if (forgotten !== undefined) {
      return [
        {
          message: `spec.predictor.model.runtime '${runtime}' is defined in ${forgotten}, which no kustomization lists: the build leaves it out, so the service stays at RuntimeNotRecognized; list that file under resources`,
        },
      ];
    }
    const problem: Problem = {
      severity: 'warning',
      message: `spec.predictor.model.runtime '${runtime}' is not a ServingRuntime of the tree${upstream}${meantRuntime(graph, o, runtime, platform)}; make sure it exists in ${inNamespace(ns)} before the service syncs (the dashboard or another app may create it), or the service stays at RuntimeNotRecognized`,
    };
    return [repositoryMade(graph, problem, runtime, ns)];
  }
  const problem: Problem = {
    message:
      `spec.predictor.model.runtime '${runtime}': no ServingRuntime of that name in ${inNamespace(ns)}${upstream}${meantRuntime(graph, o, runtime, platform)}` +
      (elsewhere ? ` (there is one in ${inNamespace(graph.namespaceOf(elsewhere.manifest))}: KServe looks only in the service's namespace)` : '') +
      (cluster && platform !== 'kserve' ? ' (a ClusterServingRuntime does not help: OpenShift AI does not install that CRD)' : '') +
      `; add a ServingRuntime '${runtime}' to ${inNamespace(ns)}. The service stays at RuntimeNotRecognized`,
  };
  return [repositoryMade(graph, problem, runtime, ns)];
}

export const runtimeNotFound: Rule = {
  id: 'runtime-not-found',
  title:
    'an InferenceService names a ServingRuntime that is not in its namespace (nor, on upstream KServe, a ClusterServingRuntime), or names none and no runtime auto-selects its model format',
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the service has a model spec or a framework field (sklearn, onnx, …, which KServe's defaulter turns into a model of that format; custom-container predictors name no runtime); on upstream KServe (--platform kserve, or a tree that installs it: kserve-installs.ts) a ClusterServingRuntime of the name, the tree's or one KServe installs (config/runtimes), serves it, and auto-selection counts those too, but where the tree installs KServe itself and none of its installs creates those runtimes (only the kserve-crd chart, kserve.yaml without kserve-cluster-resources.yaml, kserve-resources without kserve-runtime-configs and its kserve.servingruntime.enabled) only the tree's count, and where every install that creates them states its release, only those that release installs (each runtime's first release, read from config/runtimes at KServe's tags: kserve-vllmserver, format vLLM, from 0.20), the finding naming the runtime a later release would pick; the ClusterServingRuntimes the git repository around the checked folder deploys outside it (its copy of KServe's runtimes manifest) count for auto-selection, and one the service names is the note naming its file; OpenShift AI installs no ClusterServingRuntimes. A service that names no runtime is judged only when no runtime auto-selects its format (a pick, of the tree's runtimes or KServe's, is what auto-selection is for): an error when the tree creates its namespace or holds runtimes of it, else a warning (the namespace may hold a runtime made outside Git), naming the tree's runtimes that could serve it; ModelMesh services pick among multi-model runtimes by ModelMesh's rules and are not judged here; several different runtimes of the name that the service may bind to (its namespace unknown, none applied together with it) are a warning; a runtime missing from the whole tree is a warning (the dashboard or another app may create it), unless a file the kustomization leaves out defines it (not judged where kustomize refuses that build: kustomize-build-fails says so, and the root delivers nothing), or the tree holds the runtimes of the service's namespace (declared there, or namespace-less and applied together with the service): then the name is an error; a runtime name the shell expands in the unquoted heredoc a script applies the service from, or envsubst fills, is unknown here: not judged" +
    REPOSITORY_PREMISE,
  example: '`runtime: vllm-cuda-runtime`, with no ServingRuntime of that name in the namespace',
  fix: "add the ServingRuntime to the service's namespace, or name one that is there (the message names the one a misspelt name most likely meant)",
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go GetServingRuntime (the namespace, then the ClusterServingRuntime) and pkg/apis/serving/v1beta1/predictor_model.go GetSupportingRuntimes; OpenShift AI removes ClusterServingRuntime (RH-KServe overlays/odh); kserve charts/kserve-resources/templates/clusterservingruntimes.yaml (the `kserve` chart up to 0.16), charts/kserve-runtime-configs (0.17 on), hack/generate-install.sh (kserve-cluster-resources.yaml); config/runtimes/kustomization.yaml at tags v0.11.0 to v0.20.0 (which runtimes each release installs)',
  check(o, { graph, platform }) {
    const predictor = mapping(mapping(o.manifest.spec).predictor);
    if (!('model' in predictor) && (isModelMesh(o.manifest) || !predictorFramework(predictor))) return [];
    const runtime = text(modelSpecOf(o.manifest).runtime);
    // a runtime the shell or envsubst fills when a script applies the service is unknown here: nothing to look up
    if (runtime && filledWhenApplied(o, runtime)) return [];
    return runtime ? namedRuntime(graph, o, runtime, platform) : autoSelection(graph, o, platform);
  },
};
