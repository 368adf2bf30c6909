import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { apiGroupOf } from '../k8s/api-version';
import { KustomizeTree } from '../gitops/kustomize-tree';
import { isClusterScoped } from '../manifests/scope';
import { requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { constructPath } from '../private/scope';
import { repoPathPrefix, requireGitSource } from '../private/argocd';
import { lazy } from '../private/lazy';
import { VllmConstruct } from '../check/app-construct';
import { HARDWARE_PROFILE_ANNOTATION } from '../k8s/keys';
import { compareText } from '../private/collate';

/** Properties of `ArgoCdDelivery`. */
export interface ArgoCdDeliveryProps {
  /** The tree whose kustomization roots become Applications. */
  readonly tree: KustomizeTree;
  /** The Git repository Argo CD syncs from (the one the rendered output is committed to). */
  readonly repoURL: string;
  /**
   * The branch, tag or commit to sync.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * Where the output folder sits in the repository: Application paths are `<pathPrefix>/<root>`.
   * @default - `KustomizeTree.DEFAULT_OUTDIR` ('rendered'), where `KustomizeTree.write()` writes
   */
  readonly pathPrefix?: string;
  /**
   * Namespace of Argo CD (OpenShift GitOps: `openshift-gitops`).
   * @default 'openshift-gitops'
   */
  readonly argoCdNamespace?: string;
  /**
   * The cluster to deploy to.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly server?: string;
  /**
   * Prefix of the Application and AppProject names: `<prefix>-<root's last folder>`.
   * @default - none
   */
  readonly namePrefix?: string;
  /**
   * Roots to deliver.
   * @default - every kustomization root of the tree
   */
  readonly roots?: string[];
}

/** Sync options of every Application (the seed repository's, plus what operators' CRDs and shared fields need). */
export const SYNC_OPTIONS = [
  'CreateNamespace=false',
  'PruneLast=true',
  'ApplyOutOfSyncOnly=true',
  // kinds whose CRDs arrive with an operator (Kueue, KServe) cannot be dry-run before the operator installs them
  'SkipDryRunOnMissingResource=true',
  // KServe's controllers and OpenShift AI's webhooks write fields of the same objects: apply only what Git owns
  'ServerSideApply=true',
];
/**
 * Retry a failed sync without limit (a negative limit: Argo CD controller/appcontroller.go), backing off from 5 s to
 * 3 min (the seed repository's backoff). Applications are not ordered against each other: one whose namespace or
 * CRDs another Application (or an operator) creates fails until they exist, and must not give up before (an
 * automated sync is not retried for the same commit once its retries are spent).
 */
export const RETRY = { limit: -1, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } };

/**
 * One Argo CD `Application` and one `AppProject` per kustomization root of a tree, written into the chart that holds
 * this construct (place it in the tree, e.g. `…/argocd/applications.yaml`, and apply that folder once).
 *
 * Each project is least privilege: the one repository, the namespaces its objects live in, and exactly the kinds the
 * root holds — cluster-scoped kinds only for a root that holds them. Each Application's destination namespace is one
 * its project permits (the namespace most of its objects live in; none for a root of cluster-scoped objects only).
 * The Applications are not ordered against each other — they are applied together, where waves order nothing — and
 * retry until what they need exists (see `RETRY`); waves order the objects within each Application. Fields that
 * OpenShift AI's webhooks write and the constructs cannot pre-fill are ignored, and only those: the node selector and
 * tolerations of an InferenceService that names a hardware profile (a profile of `scheduling.type: Node` replaces them).
 */
export class ArgoCdDelivery extends VllmConstruct {
  /** Application name by root. */
  public readonly applications: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: ArgoCdDeliveryProps) {
    super(scope, id);
    const where = constructPath('ArgoCdDelivery', this);
    requireGitSource(where, props);
    const argoNs = requireDnsLabel(where, 'argoCdNamespace', props.argoCdNamespace ?? 'openshift-gitops');
    const server = clusterServer(where, 'server', props.server ?? 'https://kubernetes.default.svc');
    const prefix = repoPathPrefix(where, props.pathPrefix, KustomizeTree.DEFAULT_OUTDIR);
    const roots = props.roots ?? props.tree.kustomizationRoots;
    if (!roots.length) throw new Error(`${where}: the tree has no kustomization root to deliver; declare them with tree.kustomization(dir) first`);
    // a root the tree never declares has no kustomization.yaml: Argo CD's sync would fail on a path that does not build.
    // Judged at synth, so roots may be declared after the delivery
    const tree = props.tree;
    this.node.addValidation({
      validate: () => {
        const declared = tree.kustomizationRoots.join(', ') || 'none declared';
        return roots
          .filter((r) => !tree.isKustomizationRoot(r))
          .map(
            (r) =>
              `${where}: roots names '${r}', which is not a kustomization root of the tree (${declared}); declare it with tree.kustomization('${r}') or remove it`,
          );
      },
    });
    const names = applicationNames(where, roots, props.namePrefix);
    this.applications = names;

    for (const [root, name] of names) {
      // what the root holds is known only once every construct is added: read it when the tree renders
      const shape = shapeWhenRendered(props.tree, root);
      new argo.AppProject(this, `Project-${name}`, {
        metadata: { name, namespace: argoNs },
        spec: {
          description: `least privilege for ${root}: its repository, its namespaces and exactly its kinds`,
          sourceRepos: [props.repoURL],
          destinations: lazy<argo.AppProjectSpecDestinations[]>(() => destinationsOf(server, shape())),
          clusterResourceWhitelist: lazy<argo.AppProjectSpecClusterResourceWhitelist[]>(() => shape().clusterKinds),
          namespaceResourceWhitelist: lazy<argo.AppProjectSpecNamespaceResourceWhitelist[]>(() => shape().namespacedKinds),
        },
      });
      new argo.Application(this, `Application-${name}`, {
        metadata: { name, namespace: argoNs },
        spec: {
          project: name,
          source: { repoUrl: props.repoURL, targetRevision: props.targetRevision ?? 'HEAD', path: prefix ? `${prefix}/${root}` : root },
          destination: lazy<argo.ApplicationSpecDestination>(() => ({
            server,
            ...namespaceOf(shape()),
          })),
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: SYNC_OPTIONS, retry: RETRY },
          ignoreDifferences: lazy<argo.ApplicationSpecIgnoreDifferences[] | undefined>(() => nonEmpty(shape().ignored)),
        },
      });
    }
  }
}

/** The Application (and AppProject) name of each root: `<namePrefix>-<root's last folder>`, each a DNS name, none twice. */
function applicationNames(where: string, roots: readonly string[], namePrefix: string | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const root of roots) {
    const base = root.split('/').filter(Boolean).pop() ?? root;
    const name = requireDnsSubdomain(where, `the name of the Application for ${root}`, namePrefix ? `${namePrefix}-${base}` : base);
    if ([...names.values()].includes(name))
      throw new Error(`${where}: two roots would both be delivered as Application '${name}'; give a namePrefix or rename a folder`);
    names.set(root, name);
  }
  return names;
}

export interface RootShape {
  /** The namespaces the root's namespaced objects live in, sorted. */
  readonly namespaces: string[];
  /**
   * The Application's destination namespace: the one most of the root's namespaced objects live in (ties: the first
   * by name); `''` when the root holds only cluster-scoped objects.
   */
  readonly destinationNamespace: string;
  readonly clusterKinds: { group: string; kind: string }[];
  readonly namespacedKinds: { group: string; kind: string }[];
  readonly ignored: argo.ApplicationSpecIgnoreDifferences[];
}

/**
 * The shape of a root, read when a lazy value asks for it: the Application's and the AppProject's lazy fields ask
 * for it five times per render, so it is computed once for the objects the root holds at that moment (and again when
 * constructs were added since).
 */
export function shapeWhenRendered(tree: KustomizeTree, root: string): () => RootShape {
  let last: { objects: readonly ApiObject[]; shape: RootShape } | undefined;
  return () => {
    const objects = apiObjectsBuiltBy(tree, root);
    const same = last !== undefined && last.objects.length === objects.length && last.objects.every((o, i) => o === objects[i]);
    if (!same) last = { objects, shape: shapeOfObjects(objects) };
    return last!.shape;
  };
}

function apiObjectsBuiltBy(tree: KustomizeTree, root: string): ApiObject[] {
  return tree.chartsBuiltBy(root).flatMap((c) => c.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x)));
}

function shapeOfObjects(objects: readonly ApiObject[]): RootShape {
  const group = apiGroupOf;
  const uniq = (list: { group: string; kind: string }[]) =>
    [...new Map(list.map((k) => [`${k.group}/${k.kind}`, k])).values()].sort((a, b) => compareText(`${a.group}/${a.kind}`, `${b.group}/${b.kind}`));
  const cluster = objects.filter((o) => isClusterScoped(o.kind));
  const namespaced = objects.filter((o) => !isClusterScoped(o.kind));
  const ignored = namespaced
    .filter((o) => o.kind === 'InferenceService' && Boolean(annotationOf(o, HARDWARE_PROFILE_ANNOTATION)))
    .map((o) => ({
      group: 'serving.kserve.io',
      kind: 'InferenceService',
      name: o.name,
      namespace: o.metadata.namespace,
      jsonPointers: ['/spec/predictor/nodeSelector', '/spec/predictor/tolerations'],
    }))
    .sort((a, b) => compareText(a.name, b.name));
  const counts = new Map<string, number>();
  for (const o of namespaced) if (o.metadata.namespace) counts.set(o.metadata.namespace, (counts.get(o.metadata.namespace) ?? 0) + 1);
  const namespaces = [...counts.keys()].sort();
  return {
    namespaces,
    destinationNamespace: namespaces.reduce((best, n) => ((counts.get(n) ?? 0) > (counts.get(best) ?? 0) ? n : best), namespaces[0] ?? ''),
    clusterKinds: uniq(cluster.map((o) => ({ group: group(o.apiVersion), kind: o.kind }))),
    namespacedKinds: uniq(namespaced.map((o) => ({ group: group(o.apiVersion), kind: o.kind }))),
    ignored,
  };
}

/**
 * An annotation of an object as it renders: read from its metadata alone (rendering a whole InferenceService for one
 * annotation was most of what a synth spent on the Argo CD objects), unless JSON patches may change it.
 */
function annotationOf(o: ApiObject, key: string): unknown {
  const patched: unknown = Reflect.get(o, 'patches');
  const rendered: unknown = Array.isArray(patched) && patched.length ? o.toJson() : { metadata: o.metadata.toJson() as unknown };
  return (rendered as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations?.[key] ?? undefined;
}

function namespaceOf(shape: RootShape): { namespace?: string } {
  return shape.destinationNamespace ? { namespace: shape.destinationNamespace } : {};
}

function nonEmpty<T>(list: readonly T[]): T[] | undefined {
  return list.length ? [...list] : undefined;
}

/**
 * The destinations a project lists for a root on one cluster: each namespace its objects live in, or, for a root of
 * cluster-scoped objects only, the empty namespace its Application is sent to (Argo CD's isDestinationMatched
 * globs the namespace: an empty destination namespace matches only a pattern that matches "").
 */
export function destinationsOf(server: string, shape: RootShape): { server: string; namespace: string }[] {
  return shape.namespaces.length ? shape.namespaces.map((namespace) => ({ server, namespace })) : [{ server, namespace: '' }];
}

/**
 * A cluster's API server as Argo CD matches it: an http(s) URL, its trailing `/` trimmed (util/argo
 * GetDestinationServer trims it before looking the cluster up, and the project is matched against the cluster's URL).
 */
export function clusterServer(where: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(value)) {
    throw new Error(`${where}: ${field} '${String(value)}' is not a cluster API server URL (https://…, as Argo CD knows the cluster)`);
  }
  return value.replace(/\/+$/, '');
}
