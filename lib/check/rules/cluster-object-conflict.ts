import * as path from 'path';
import { isClusterScoped } from '../../manifests/scope';
import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { NAMESPACE_NAME_LABEL, TEMPLATE_PATCHED_ANNOTATION } from '../../k8s/keys';
import { appliedTogether } from '../argocd/application';
import { placedSources } from '../argocd-paths';
import { declared } from '../declarations';
import { GraphObject, locationOf, sameDeclaration, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { deletedOnly } from '../script-delivery';
import { appliedToOtherClusters } from '../applied-together';

export const clusterObjectConflict: Rule = {
  id: 'cluster-object-conflict',
  title: 'two different objects of one cluster-scoped kind share a name (one overwrites the other; kustomize refuses the build)',
  severity: 'error',
  appliesTo: [
    'ClusterQueue',
    'ResourceFlavor',
    'Cohort',
    'Namespace',
    'ClusterRole',
    'ClusterRoleBinding',
    'PriorityClass',
    'StorageClass',
    'WorkloadPriorityClass',
  ],
  premise:
    'both declarations are in the checked input and differ in labels, annotations or spec (identical copies are harmless, except twice in one kustomize build, which kustomize refuses: in a build check makes itself that is the finding of kustomize-build-fails, which keeps the first copy; an empty or null spec, labels or annotations is the same as none); ' +
    'declarations built by different kustomization roots, or in different loose files, conflict only if both are deployed to one cluster (none where the scripts of the tree apply each only with a cluster they name, and not the same one: `kubectl --context`, `kubectl config use-context`, KUBECONFIG): an error when Argo CD Applications of the input that one delivery applies together (documents of one file, elements of one ApplicationSet, objects of one kustomize build or of one app-of-apps Application) deliver both to one destination (Applications in loose files are often alternatives: a warning), or when a Namespace declaration labels itself kubernetes.io/metadata.name with another name (a copy not renamed), else a warning; ' +
    "loose files of one folder (no kustomization) are applied together (kubectl apply -f): there a difference in a field the API server refuses to update (a StorageClass's provisioner, parameters, reclaimPolicy or volumeBindingMode; a PriorityClass's value or preemptionPolicy) is an error, since the second apply fails; " +
    "the charts of a cdk8s app go to one cluster unless a fleet's environments send them to different ones; " +
    'a file that only a `kubectl|oc delete -f|-k` of a script or README reads, or that lies in a tear-down folder (uninstall/, cleanup/, teardown/) that no script, kustomization or Argo CD Application applies, is removed, not delivered: no declaration (a folder name is a hint taken only where nothing applies the file)',
  example:
    "ResourceFlavor `{name: nvidia-l40s-1gpu}` declared with different `nodeLabels` by two teams' quota folders that two Applications of one file sync to one cluster",
  fix: 'give each a unique name, or declare the object once and share it',
  source:
    'kustomize: "may not add resource with an already registered id"; Argo CD syncs whichever applies last; kubernetes pkg/apis/storage/validation ValidateStorageClassUpdate and pkg/apis/scheduling/validation ValidatePriorityClassUpdate (immutable fields)',
  check(o, { graph }) {
    // a file only deleted (`oc delete -f uninstall/`) is no second owner
    if (!isClusterScoped(String(o.manifest.kind)) || deletedOnly(graph, o)) return [];
    const name = o.manifest.metadata?.name;
    const same = graph.ofKind(String(o.manifest.kind)).filter((x) => x.manifest.metadata?.name === name && !deletedOnly(graph, x));
    if (same.length < 2) return [];
    // report on each declaration after the first that clashes with an earlier one; one file read by two builds is one declaration
    const earlier = same.slice(0, same.indexOf(o)).filter((x) => !sameDeclaration(x, o));
    const differing = earlier.filter((x) => (unitOf(x) === unitOf(o) ? declared(x) !== declared(o) : declared(x, false) !== declared(o, false)));
    const fix = 'give each a unique name, or declare it once and share it';
    // loose files (no kustomization, no chart) in different files are often alternatives, as other roots are
    const together = differing.filter((x) => unitOf(x) === unitOf(o) && (unitOf(o) !== '' || x.file === o.file));
    if (together.length) {
      return [
        {
          message: `${o.manifest.kind} '${String(name)}' is declared differently ${placesOf(together)} in the same ${describeUnit(o)}; one overwrites the other on the cluster${immutableNote(together[0], o)}: ${fix}`,
        },
      ];
    }
    // even identical, two declarations of one id in one kustomize build stop the build
    const repeated = unitOf(o) && o.unit === undefined ? earlier.filter((x) => unitOf(x) === unitOf(o) && declared(x) === declared(o)) : [];
    if (repeated.length) {
      return [
        {
          message: `${o.manifest.kind} '${String(name)}' is declared again ${placesOf(repeated)} in the same ${describeUnit(o)}; kustomize refuses the build ("may not add resource with an already registered id"): declare it once`,
        },
      ];
    }
    return differing.length ? acrossUnits(graph, o, differing, fix) : [];
  },
};

/** A declaration that differs from others built by other roots or files: certain only where both reach one cluster. */
function acrossUnits(graph: ObjectGraph, o: GraphObject, differing: readonly GraphObject[], fix: string): Problem[] {
  const name = o.manifest.metadata?.name;
  // roots that Argo CD Applications of the tree deliver to one cluster are one cluster's objects: a certain clash
  const delivered = differing.flatMap((x) => {
    const shared = sharedDestination(graph, x, o);
    return shared?.together ? [{ x, shared }] : [];
  });
  if (delivered.length) {
    const { x, shared } = delivered[0];
    return [
      {
        message:
          `${o.manifest.kind} '${String(name)}' is declared differently ${placesOf([x])}, and Argo CD delivers both to cluster ${shared.cluster} ` +
          `(${shared.apps.join(', ')}): one overwrites the other on every sync${immutableNote(x, o)}: ${fix}`,
      },
    ];
  }
  // a Namespace that labels itself kubernetes.io/metadata.name with another name is a copy left unrenamed, not an
  // alternative: the API server sets that label to the name (KEP-2161, apiserver default labels), so the namespace
  // the label names is never created while this one is declared twice
  const misnamed = [o, ...differing].find((x) => x.manifest.kind === 'Namespace' && metadataName(x) !== undefined && metadataName(x) !== name);
  if (misnamed) {
    return [
      {
        message:
          `${o.manifest.kind} '${String(name)}' is declared differently ${placesOf(differing)}; the declaration ${placesOf([misnamed])} labels itself ` +
          `${NAMESPACE_NAME_LABEL}=${metadataName(misnamed)}, so it was meant to create Namespace '${metadataName(misnamed)}', which is never created ` +
          `(the API server sets that label to the name): rename it to '${metadataName(misnamed)}'`,
      },
    ];
  }
  // loose files of one folder are applied together (kubectl apply -f <folder>): an immutable field that differs fails the second
  const folder = (x: GraphObject) => (x.file && unitOf(x) === '' && o.unit === undefined ? path.dirname(x.file) : undefined);
  const sameFolder = differing.find((x) => folder(x) !== undefined && folder(x) === folder(o) && immutableNote(x, o));
  if (sameFolder) {
    return [
      {
        message: `${o.manifest.kind} '${String(name)}' is declared differently ${placesOf([sameFolder])}, in the same folder, which kubectl apply -f applies together${immutableNote(sameFolder, o)}: ${fix}`,
      },
    ];
  }
  // the tree's scripts apply each to a cluster they name, and not the same one (kubectl --context a, then b): two
  // clusters' objects, as in a MultiKueue manager and its workers
  if (differing.every((x) => appliedToOtherClusters(x, o, graph))) return [];
  // other kustomization roots are often alternatives (overlays, optional components): a clash only where both are deployed
  const apart = differing.map((x) => sharedDestination(graph, x, o)).find((d) => d !== undefined);
  const applications = apart ? `, delivered to cluster ${apart.cluster} by ${apart.apps.join(' and ')}, which nothing in the input applies together` : '';
  return [
    {
      severity: 'warning',
      message:
        `${o.manifest.kind} '${String(name)}' is declared differently ${placesOf(differing)}, ${o.unit !== undefined ? `for another cluster than ${o.origin ?? 'this one'}` : unitOf(o) ? 'built by another kustomization root' : 'in another file'}${applications}; ` +
        `if both are deployed to one cluster, one overwrites the other${immutableNote(differing[0], o)}: ${fix}`,
    },
  ];
}

/**
 * Fields the API server refuses to change once the object exists, with the default it gives an unset one: a second
 * declaration that differs there fails its apply instead of overwriting the first (kubernetes pkg/apis/storage/validation
 * ValidateStorageClassUpdate: "updates to parameters are forbidden", provisioner, reclaimPolicy, volumeBindingMode;
 * pkg/apis/scheduling/validation ValidatePriorityClassUpdate: value and preemptionPolicy).
 */
const IMMUTABLE: Readonly<Record<string, readonly [string, unknown][]>> = {
  StorageClass: [
    ['provisioner', undefined],
    ['parameters', {}],
    ['reclaimPolicy', 'Delete'],
    ['volumeBindingMode', 'Immediate'],
  ],
  PriorityClass: [
    ['value', undefined],
    ['preemptionPolicy', 'PreemptLowerPriority'],
  ],
};

/** The immutable fields where two declarations differ, defaults filled in as the API server fills them. */
export function immutableDifferences(a: Loose, b: Loose): string[] {
  const json = (v: unknown) =>
    JSON.stringify(v ?? null, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  return (IMMUTABLE[String(a.kind)] ?? []).filter(([f, d]) => json(a[f] ?? d) !== json(b[f] ?? d)).map(([f]) => f);
}

/** What an immutable difference does to the second apply, for a message; empty when the declarations differ in mutable fields only. */
function immutableNote(a: GraphObject, b: GraphObject): string {
  const fields = immutableDifferences(a.manifest, b.manifest);
  return fields.length
    ? ` (they differ in ${fields.join(', ')}, which the API server refuses to change: the second apply fails, "${fields[0]}: Forbidden: updates to ${fields[0]} are forbidden", rather than overwriting)`
    : '';
}

/** The kubernetes.io/metadata.name label a declaration gives itself, if any. */
function metadataName(o: GraphObject): string | undefined {
  return text(mapping(mapping(o.manifest.metadata).labels)[NAMESPACE_NAME_LABEL]);
}

/** The cluster an Application delivers to: its destination server, or name. */
function destinationOf(app: GraphObject): string | undefined {
  const d = mapping(mapping(app.manifest.spec).destination);
  return text(d.server) ?? (text(d.name) ? `named ${text(d.name)}` : undefined);
}

/**
 * A cluster that Applications of the tree deliver both objects to, with those Applications and whether one delivery
 * applies them both (appliedTogether: one ApplicationSet, one kustomize build, one app-of-apps); undefined when none
 * does. A pair applied together is preferred.
 */
export function sharedDestination(graph: ObjectGraph, a: GraphObject, b: GraphObject): SharedDestination | undefined {
  const deliveries = graph.once('cluster-object-conflict:deliveries', () =>
    graph.ofKind('Application').flatMap((app) => {
      const cluster = destinationOf(app);
      return cluster ? placedSources(graph, app).map((s) => ({ app, cluster, objects: new Set(s.objects) })) : [];
    }),
  );
  let apart: SharedDestination | undefined;
  for (const da of deliveries.filter((d) => d.objects.has(a))) {
    for (const db of deliveries.filter((d) => d.cluster === da.cluster && d.objects.has(b))) {
      const shared = {
        cluster: da.cluster,
        apps: [...new Set([graph.id(da.app), graph.id(db.app)])],
        together: appliedTogether(graph, da.app, db.app),
        automatic: syncsAutomatically(da.app) && syncsAutomatically(db.app),
      };
      if (shared.together) return shared;
      apart ??= shared;
    }
  }
  return apart;
}

/**
 * Whether Argo CD syncs the Application on its own: spec.syncPolicy.automated is set and not disabled (`enabled:
 * false`, Argo CD 3.x). Without it the Application only shows OutOfSync until someone syncs it (argo-cd
 * controller/appcontroller.go autoSync returns when syncPolicy.automated is nil).
 */
function syncsAutomatically(app: GraphObject): boolean {
  // an ApplicationSet's templatePatch (a Go template, not rendered here) may set it: taken as set
  if (stringMap(mapping(app.manifest.metadata).annotations)[TEMPLATE_PATCHED_ANNOTATION] === 'true') return true;
  const automated = mapping(mapping(app.manifest.spec).syncPolicy).automated;
  return automated !== undefined && automated !== null && mapping(automated).enabled !== false;
}

/** A cluster two objects are delivered to by Argo CD Applications of the tree. */
export interface SharedDestination {
  readonly cluster: string;
  readonly apps: string[];
  /** Whether one delivery applies both Applications; else they may be alternatives applied one at a time. */
  readonly together: boolean;
  /** Whether both Applications sync on their own (syncPolicy.automated); else one waits for someone to sync it. */
  readonly automatic: boolean;
}

/** Where the other declarations are: files and lines, or the constructs that declared them, as far as known. */
function placesOf(xs: readonly GraphObject[]): string {
  if (xs.some((x) => x.file)) return `at ${xs.map((x) => locationOf(x) ?? 'another document').join(', ')}`;
  return xs.some((x) => x.origin) ? `by ${xs.map((x) => x.origin ?? 'another document').join(', ')}` : 'by another document';
}

function describeUnit(o: GraphObject): string {
  if (o.unit !== undefined) return `cluster (${o.unit || 'the app'}${o.origin ? `, here by ${o.origin}` : ''})`;
  const root = unitOf(o);
  return root ? `build (kustomization ${root})` : 'set of files';
}
