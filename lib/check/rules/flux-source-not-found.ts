import { unseenHedged, unseenInstalls, UNSEEN_INSTALLS_PREMISE } from '../tree-namespaces';
import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { FLUX_SOURCE_GROUP, FLUX_SOURCE_KINDS, FluxKnown, fluxObjects, FluxReference, landingNamespaces, sourceReferences } from '../flux-references';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';
import { readScope } from '../work-trees';

/**
 * The source `flux bootstrap` (and the Flux Operator's FluxInstance sync) makes for the cluster's own repository:
 * GitRepository (or OCIRepository) flux-system in namespace flux-system, written to the repository only as
 * gotk-sync.yaml or not at all (fluxcd/flux2 pkg/manifestgen/sync: the sync source is named after the namespace).
 */
const BOOTSTRAP_SOURCE = 'flux-system';

/** The sources of one kind the tree and its repository define, and the names their Flux objects read that kind by, with how often. */
function sourcesOfKind(graph: ObjectGraph, kind: string): { defined: FluxKnown[]; read: Map<string, number> } {
  return graph.once(`flux-source-not-found:${kind}`, () => {
    const objects = fluxObjects(graph);
    const defined = objects.filter((x) => x.kind === kind && apiGroupOf(x.manifest.apiVersion) === FLUX_SOURCE_GROUP);
    const read = new Map<string, number>();
    for (const x of objects) {
      for (const r of sourceReferences(x.manifest).filter((s) => s.kind === kind)) {
        const key = `${r.namespace ?? x.namespace ?? '?'}/${r.name}`;
        read.set(key, (read.get(key) ?? 0) + 1);
      }
    }
    return { defined, read };
  });
}

/** Whether the tree or its repository defines any Flux source: then the sources are the repository's to declare. */
const definesSources = (graph: ObjectGraph) => FLUX_SOURCE_KINDS.some((k) => sourcesOfKind(graph, k).defined.length > 0);

/** The sources of one kind named flux-system that land in namespace flux-system (or in a namespace left to the applier). */
const bootstrapSources = (graph: ObjectGraph, kind: string) =>
  sourcesOfKind(graph, kind).defined.filter((d) => d.name === BOOTSTRAP_SOURCE && (d.namespace === undefined || d.namespace === BOOTSTRAP_SOURCE));

/**
 * The bootstrap source read as the other kind: where the repository defines flux-system only as a GitRepository (or
 * only as an OCIRepository), a sourceRef of the other kind names no object, and kustomize-controller's getSource
 * fails. Where the repository defines neither, the bootstrap source is made outside it and is not judged.
 */
function bootstrapKindMismatch(ref: FluxReference, graph: ObjectGraph): Problem | undefined {
  const other = ref.kind === 'GitRepository' ? 'OCIRepository' : 'GitRepository';
  const defined = bootstrapSources(graph, other);
  if (bootstrapSources(graph, ref.kind).length || !defined.length) return undefined;
  return {
    severity: 'error',
    message:
      `${ref.field} names ${ref.kind} '${BOOTSTRAP_SOURCE}' in namespace '${BOOTSTRAP_SOURCE}', while the Flux bootstrap source is defined only as ${other} '${BOOTSTRAP_SOURCE}' (${defined[0].where}), and no ${ref.kind} of that name: ` +
      `the controller finds no source ("Source '${ref.kind}/${BOOTSTRAP_SOURCE}/${BOOTSTRAP_SOURCE}' not found") and applies nothing (Ready False); set the kind to ${other}, or define the ${ref.kind}`,
  };
}

function judged(ref: FluxReference, own: string[], graph: ObjectGraph, asking: GraphObject): Problem | undefined {
  const looked = ref.namespace ? [ref.namespace] : own;
  if (!looked.length) return undefined;
  const namespace = looked.join("' or '");
  if ((ref.kind === 'GitRepository' || ref.kind === 'OCIRepository') && ref.name === BOOTSTRAP_SOURCE && looked.includes(BOOTSTRAP_SOURCE))
    return bootstrapKindMismatch(ref, graph);
  const { defined, read } = sourcesOfKind(graph, ref.kind);
  // a source whose namespace the repository leaves to the applier may be this one
  if (defined.some((d) => d.name === ref.name && (d.namespace === undefined || looked.includes(d.namespace)))) return undefined;
  const others = [...read.entries()].filter(([key]) => !looked.some((ns) => key === `${ns}/${ref.name}`)).sort((a, b) => b[1] - a[1]);
  if (!definesSources(graph) && !others.length) return undefined;
  const scope = readScope(graph);
  const has = defined.length
    ? `${scope.defines} ${ref.kind} ${defined
        .slice(0, 4)
        .map((d) => `'${d.namespace ?? '?'}/${d.name}'`)
        .join(', ')}${defined.length > 4 ? ` and ${defined.length - 4} more` : ''}`
    : `${scope.defines} no ${ref.kind}`;
  const readBy = others.length
    ? `; their other Flux objects read ${ref.kind} ${others
        .slice(0, 3)
        .map(([key, n]) => `'${key}' (${n})`)
        .join(', ')}`
    : '';
  const problem: Problem = {
    message:
      `${ref.field} names ${ref.kind} '${ref.name}' in namespace '${namespace}'${ref.namespace ? '' : " (no namespace given: the object's own)"}, which ${scope.lacks} (${has}${scope.unread ? `; ${scope.unread}` : ''})${readBy}: ` +
      `unless it is made outside ${scope.outside}, the controller finds no source ("${ref.kind}.${FLUX_SOURCE_GROUP} \\"${ref.name}\\" not found") and applies nothing (Ready False); name a source the cluster has, or define this one`,
  };
  // a chart check did not render, installed into the namespace, may hold the source
  return unseenHedged(
    graph,
    looked.find((ns) => unseenInstalls(graph, ns).some((i) => i.object !== asking)),
    problem,
    asking,
  );
}

export const fluxSourceNotFound: Rule = {
  id: 'flux-source-not-found',
  title:
    'a Flux Kustomization or HelmRelease reads a source the repository does not define while it defines its sources: the controller finds no source and applies nothing',
  severity: 'warning',
  appliesTo: ['Kustomization', 'HelmRelease'],
  premise:
    'a kustomize.toolkit.fluxcd.io Kustomization (spec.sourceRef) or helm.toolkit.fluxcd.io HelmRelease (spec.chart.spec.sourceRef, spec.chartRef) names a GitRepository, OCIRepository, HelmRepository, Bucket or HelmChart, in the namespace written or else its own, ' +
    'that no object of the tree nor of the git repository holding it (outside the checked folder, in the namespace its kustomizations give it) defines, while they define Flux sources or their other Flux objects read sources of that kind by other names; ' +
    "the message says what was read: the tree and its repository (a subfolder of a git work tree), the repository (its root), or the checked tree alone (in no work tree, no other folder of a repository is read); the source flux bootstrap makes, GitRepository or OCIRepository flux-system in namespace flux-system, is not judged (but where the tree or its repository defines it only as the other of those two kinds, as bootstrap's gotk-sync.yaml does, a reference of the kind it lacks is an error: nothing of that kind and name exists), nor is the one the Flux Operator makes for a FluxInstance's spec.sync (or the flux-instance chart's values instance.sync, given a url): a source of sync.kind named sync.name, else after the FluxInstance's namespace, in that namespace; a warning, since a source may be made outside the repository (by hand, by a bootstrap of another name)" +
    UNSEEN_INSTALLS_PREMISE,
  example: 'a Kustomization with `sourceRef: {kind: GitRepository, name: apps-repo}` while the tree defines only GitRepository `cluster-repo`',
  fix: 'name a source the cluster has (the message lists those the repository defines and the names its other Flux objects read), or define the source',
  source:
    'fluxcd/kustomize-controller internal/controller/kustomization_controller.go getSource (a source that is not found keeps the Kustomization not Ready: "Source … not found"); fluxcd/helm-controller api/v2 HelmChartTemplateSpec.SourceRef and HelmReleaseSpec.ChartRef; fluxcd/pkg apis/meta CrossNamespaceSourceReference (a namespace left out is the referring object\'s own); fluxcd/flux2 pkg/manifestgen/sync (bootstrap names its source after its namespace, flux-system); controlplaneio-fluxcd/flux-operator internal/controller/fluxinstance_controller.go (the sync name: Spec.Sync.Name, else the FluxInstance\'s namespace) and internal/builder/templates.go syncTmpl (the source and Kustomization of that name in that namespace); controlplaneio-fluxcd/charts charts/flux-instance templates/instance.yaml (spec.sync from values instance.sync where its url is set)',
  check(o, { graph }) {
    const own = landingNamespaces(graph, o);
    const name = text(mapping(o.manifest.metadata).name);
    if (!name) return [];
    return sourceReferences(o.manifest).flatMap((ref) => judged(ref, own, graph, o) ?? []);
  },
};
