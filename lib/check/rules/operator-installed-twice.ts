import { imageRepositoryName } from '../../catalog/vllm-images';
import { APP_NAME_LABEL } from '../../k8s/keys';
import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { sameBuildOrFolder } from '../applied-together';
import { GraphObject, locationOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';

/**
 * The kinds of which opendatahub-operator admits one per cluster: its validating webhooks refuse the create of a second
 * (internal/webhook/datasciencecluster/v2/validating.go denyMultipleDsc, internal/webhook/dscinitialization
 * validating.go, both through pkg/webhook ValidateSingletonCreation).
 */
const ODH_SINGLETONS = ['DataScienceCluster', 'DSCInitialization'];

const nameOf = (o: GraphObject) => text(mapping(o.manifest.metadata).name) ?? '';
const where = (o: GraphObject) => (locationOf(o) ? ` (${locationOf(o)})` : '');

/** The objects of the same build as `o` that come before it (by id): a pair is said once, on the later object. */
function earlierInBuild(o: GraphObject, graph: ObjectGraph, others: readonly GraphObject[]): GraphObject[] {
  return others.filter((x) => x !== o && graph.id(x) < graph.id(o) && sameBuildOrFolder(o, x, graph));
}

/** A second DataScienceCluster or DSCInitialization of another name in the build: the webhook refuses it. */
function secondSingleton(o: GraphObject, graph: ObjectGraph): Problem[] {
  const kind = String(o.manifest.kind);
  const first = earlierInBuild(o, graph, graph.ofKind(kind)).find((x) => nameOf(x) !== nameOf(o));
  if (!first) return [];
  return [
    {
      message:
        `the build also applies ${kind} '${nameOf(first)}'${where(first)}, and opendatahub-operator admits one ${kind} per cluster: its validating webhook refuses the create of the second ` +
        `(denied: only one instance of ${kind} is allowed), so the sync or apply fails on it; keep one ${kind} in the build (merge their components), or move the alternative out of the applied tree`,
    },
  ];
}

/** The application names of a KfDef (kfdef.apps.kubeflow.org, Open Data Hub 1.x): spec.applications[].name. */
const applicationsOf = (o: GraphObject) => mappings(mapping(o.manifest.spec).applications).map((a) => text(a.name) ?? '');

/**
 * A second KfDef of the build installing an application the first installs too: two Open Data Hub 1.x installs of the
 * same manifests, whose cluster-scoped objects (CRDs, ClusterRoles, webhooks) both own. A warning: which wins depends
 * on the order of the reconciles.
 */
function secondKfDef(o: GraphObject, graph: ObjectGraph): Problem[] {
  const mine = applicationsOf(o).filter(Boolean);
  const first = earlierInBuild(o, graph, graph.ofKind('KfDef')).find((x) => applicationsOf(x).some((a) => mine.includes(a)));
  if (!first) return [];
  const shared = applicationsOf(first).filter((a) => mine.includes(a));
  const at = (x: GraphObject) => graph.namespaceOf(x.manifest) ?? 'the namespace it is applied to';
  return [
    {
      severity: 'warning',
      message:
        `the build also applies KfDef '${nameOf(first)}'${where(first)} in '${at(first)}', which installs ${shared.join(', ')} too: the operator installs each KfDef's applications in its own namespace, ` +
        `so this one in '${at(o)}' is a second Open Data Hub install of the same manifests, and the cluster-scoped objects they hold (CRDs, ClusterRoles, webhooks) are applied by both, each reconcile overwriting the other's; keep one KfDef`,
    },
  ];
}

/** A Subscription's package, catalog and namespace. */
function subscribed(o: GraphObject, graph: ObjectGraph): { pkg: string; source: string; channel: string; ns: string } | undefined {
  const spec = mapping(o.manifest.spec);
  const pkg = text(spec.name);
  const ns = graph.namespaceOf(o.manifest);
  if (!pkg || !ns || !(text(o.manifest.apiVersion) ?? '').startsWith('operators.coreos.com/')) return undefined;
  return { pkg, source: text(spec.source) ?? '', channel: text(spec.channel) ?? '', ns };
}

/** Two Subscriptions of the build to one package in one namespace, from different catalogs: OLM cannot satisfy both. */
function secondSubscription(o: GraphObject, graph: ObjectGraph): Problem[] {
  const mine = subscribed(o, graph);
  if (!mine) return [];
  const first = earlierInBuild(o, graph, graph.ofKind('Subscription')).find((x) => {
    const other = subscribed(x, graph);
    return other && other.pkg === mine.pkg && other.ns === mine.ns && other.source !== mine.source;
  });
  if (!first) return [];
  const other = subscribed(first, graph)!;
  return [
    {
      message:
        `the build also subscribes to package ${mine.pkg} in namespace '${mine.ns}' with Subscription '${nameOf(first)}'${where(first)}, from catalog '${other.source}' where this one names '${mine.source}': ` +
        `OLM installs at most one operator of a package in a namespace, and each Subscription requires a bundle of its own catalog, so no resolution satisfies both: ` +
        `the namespace's Subscriptions stay ResolutionFailed (ConstraintsNotSatisfiable) and none of them installs or upgrades; keep one Subscription for ${mine.pkg}`,
    },
  ];
}

/** The Deployments of the build whose container image is the package's own (its repository named as the package), or labelled app.kubernetes.io/name the package. */
function directInstalls(o: GraphObject, pkg: string, graph: ObjectGraph): GraphObject[] {
  return graph.ofKind('Deployment').filter((d) => {
    if (!sameBuildOrFolder(o, d, graph)) return false;
    const images = mappings(podSpecOf(d.manifest)?.containers).map((c) => imageRepositoryName(text(c.image) ?? ''));
    return images.includes(pkg) || stringMap(mapping(d.manifest.metadata).labels)[APP_NAME_LABEL] === pkg;
  });
}

/** A Subscription to package P while the build also deploys P's controller itself: two installs of one operator. */
function alsoDeployed(o: GraphObject, graph: ObjectGraph): Problem[] {
  const mine = subscribed(o, graph);
  if (!mine) return [];
  const direct = directInstalls(o, mine.pkg, graph);
  if (!direct.length) return [];
  const d = direct[0];
  return [
    {
      severity: 'warning',
      message:
        `the build also deploys the operator of package ${mine.pkg} itself: Deployment '${nameOf(d)}'${where(d)} runs its image (or is named for it), ` +
        `and once OLM resolves this Subscription it installs the operator's own Deployment, webhooks and CRDs from the bundle: two controllers then reconcile the same objects (and two webhook configurations answer for them), ` +
        `and the two installs drift apart on each upgrade; install it one way: the Subscription, or the Deployment without it`,
    },
  ];
}

export const operatorInstalledTwice: Rule = {
  id: 'operator-installed-twice',
  title:
    'one build installs the same operator twice: two Subscriptions to a package in one namespace from different catalogs, a Subscription beside a Deployment of the operator itself, a second DataScienceCluster or DSCInitialization, two KfDefs of the same applications',
  severity: 'error',
  appliesTo: ['Subscription', 'KfDef', ...ODH_SINGLETONS],
  premise:
    'in one build (a file, kustomize build, Argo CD Application or script, else one folder where nothing of the tree delivers either; alternatives kept apart are not judged): ' +
    'two OLM Subscriptions to the same package (spec.name) in one namespace from different catalogs (spec.source): OLM installs at most one operator of a package in a namespace and each Subscription requires a bundle of its catalog, so the resolution is unsatisfiable (ConstraintsNotSatisfiable) and no Subscription of the namespace installs, an error; ' +
    "a Subscription to package P beside a Deployment whose container image's repository is named P (or labelled app.kubernetes.io/name: P): the operator is installed by hand and by OLM, two controllers reconcile the same objects, a warning (OLM may not resolve); " +
    'two DataScienceClusters, or two DSCInitializations, of different names: opendatahub-operator admits one of each per cluster and its validating webhook refuses the second create, an error; ' +
    'two KfDefs (Open Data Hub 1.x) installing an application of the same name: two installs of the same manifests whose cluster-scoped objects both apply, a warning. ' +
    'Each pair is said once, on the later object',
  example: 'two DataScienceClusters `default-dsc` and `rhoai-dsc` in one kustomize build',
  fix: 'keep one install of each operator in a build: one Subscription per package and namespace, the Subscription or the Deployment, one DataScienceCluster and one DSCInitialization',
  source:
    'operator-framework/operator-lifecycle-manager pkg/controller/registry/resolver/resolver.go addInvariants ("no two operators may provide the same GVK or Package in a namespace": at most one installable per package); ' +
    "opendatahub-operator internal/webhook/datasciencecluster/v2/validating.go denyMultipleDsc and internal/webhook/dscinitialization validating.go (pkg/webhook ValidateSingletonCreation); opendatahub-io/opendatahub-operator 1.x (kfctl: each KfDef applies its applications' kustomize manifests)",
  check(o, { graph }) {
    if (ODH_SINGLETONS.includes(String(o.manifest.kind))) return secondSingleton(o, graph);
    if (o.manifest.kind === 'KfDef') return secondKfDef(o, graph);
    const second = secondSubscription(o, graph);
    return second.length ? second : alsoDeployed(o, graph);
  },
};
