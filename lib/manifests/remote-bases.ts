import { isMapping } from './access';

/**
 * What well-known remote kustomize resources emit, for the builds the reader does not fetch: a local object with the
 * same id as one of these makes kustomize refuse the build (api/resmap/reswrangler.go Append: "may not add resource
 * with an already registered id"). Only cluster-scoped objects whose ids no kustomization of the remote base varies
 * are listed: the Namespace and the CustomResourceDefinitions.
 */

/** An object a remote base emits, by kind and name. */
export interface RemoteObject {
  readonly kind: 'Namespace' | 'CustomResourceDefinition';
  readonly name: string;
}

/** A remote resource the catalogue knows. */
export interface RemoteBase {
  /** The project and artifact, as messages name them. */
  readonly described: string;
  readonly project: 'kueue' | 'kserve';
  /** The `<major>.<minor>` release a ref or a release URL names, if any. */
  readonly release?: string;
  readonly objects: readonly RemoteObject[];
  /** For a KServe artifact: whether it runs KServe's controllers, and whether it creates its ClusterServingRuntimes. */
  readonly kserve?: { readonly controller: boolean; readonly runtimes: boolean };
}

/** A well-known remote resource a kustomization lists, with the kustomization file that lists it. */
export interface ListedRemoteBase {
  readonly file: string;
  readonly entry: string;
  readonly base: RemoteBase;
}

const crds = (group: string, plurals: readonly string[]): RemoteObject[] => plurals.map((p) => ({ kind: 'CustomResourceDefinition', name: `${p}.${group}` }));

// kubernetes-sigs/kueue config/components/crd/kustomization.yaml: the same eleven CRDs in every release from 0.11 to
// 0.18 (kustomize build config/default of each tag); the Namespace is config/components/manager's `system`, named
// kueue-system by config/default's namespace and namePrefix
const KUEUE_CRDS = crds('kueue.x-k8s.io', [
  'admissionchecks',
  'clusterqueues',
  'cohorts',
  'localqueues',
  'multikueueclusters',
  'multikueueconfigs',
  'provisioningrequestconfigs',
  'resourceflavors',
  'topologies',
  'workloadpriorityclasses',
  'workloads',
]);
// older releases: the CRDs Kueue has had since 0.6
const KUEUE_CORE_CRDS = crds('kueue.x-k8s.io', ['admissionchecks', 'clusterqueues', 'localqueues', 'resourceflavors', 'workloadpriorityclasses', 'workloads']);

// kserve/kserve config/crd (kubectl kustomize config/default of v0.13 to v0.17); the Namespace kserve comes from
// config/configmap, which config/default lists up to v0.16 and no longer in v0.17
const KSERVE_CRDS = crds('serving.kserve.io', ['clusterservingruntimes', 'inferencegraphs', 'inferenceservices', 'servingruntimes', 'trainedmodels']);

/** A git or HTTP address in one form: `github.com/<owner>/<repo>…`, scheme, `git::`, `git@github.com:` and `.git` dropped. */
function normalized(entry: string): string {
  return entry
    .trim()
    .replace(/^git::/i, '')
    .replace(/^(https?|ssh):\/\/(git@)?/i, '')
    .replace(/^git@github\.com:/i, 'github.com/')
    .replace(/^www\./i, '');
}

/** `0.18` of `v0.18.2`; undefined for a branch or a commit. */
function minorOf(tag: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?(-[\w.]+)?$/.exec(tag ?? '');
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

const atLeast = (release: string | undefined, minor: number) => release !== undefined && release.startsWith('0.') && Number(release.slice(2)) >= minor;

function kueueBase(described: string, release: string | undefined): RemoteBase {
  const objects: RemoteObject[] = [{ kind: 'Namespace', name: 'kueue-system' }, ...(atLeast(release, 11) ? KUEUE_CRDS : KUEUE_CORE_CRDS)];
  return { described, project: 'kueue', ...(release ? { release } : {}), objects };
}

/**
 * The catalogue's entry for a remote resource: Kueue's config/default (a kustomize git base, `?ref=vX.Y.Z`) or its
 * release manifests (releases/download/vX.Y.Z/manifests.yaml, which the Makefile's `artifacts` target builds from
 * config/default), KServe's release manifests (kserve.yaml, `kubectl kustomize config/default`, and
 * kserve-cluster-resources.yaml; hack/generate-install.sh) and the KServe charts a script installs; undefined for
 * anything else.
 */
export function knownRemoteBase(entry: string): RemoteBase | undefined {
  const e = normalized(entry);
  const [where, query = ''] = e.split('?', 2);
  const ref = /(?:^|&)(?:ref|version)=([^&]+)/.exec(query)?.[1];
  if (/^github\.com\/kubernetes-sigs\/kueue(\.git)?\/\/?config\/default\/?$/i.test(where)) {
    return kueueBase(`Kueue's config/default${ref ? ` at ${ref}` : ''}`, minorOf(ref));
  }
  const kueueRelease = /^github\.com\/kubernetes-sigs\/kueue\/releases\/download\/([^/]+)\/manifests\.yaml$/i.exec(where)?.[1];
  if (kueueRelease) return kueueBase(`Kueue's ${kueueRelease} release manifests`, minorOf(kueueRelease));
  const kserveRelease =
    /^github\.com\/kserve\/kserve\/releases\/download\/([^/]+)\/(kserve(?:_kubeflow)?|kserve-cluster-resources|kserve-runtimes)\.yaml$/i.exec(where);
  if (kserveRelease) return kserveReleaseBase(kserveRelease[1], kserveRelease[2]);
  const kserveChart = KSERVE_CHART_ENTRY.exec(e);
  if (kserveChart) return kserveChartBase(kserveChart[1], kserveChart[2], kserveChart[3] !== undefined);
  return undefined;
}

/**
 * KServe's release manifests (hack/generate-install.sh): kserve.yaml (and kserve_kubeflow.yaml) the controllers and
 * CRDs, `kubectl kustomize config/default`; kserve-cluster-resources.yaml (kserve-runtimes.yaml up to 0.10) the
 * ClusterServingRuntimes, which create no Namespace nor CRD.
 */
function kserveReleaseBase(tag: string, artifact: string): RemoteBase | undefined {
  const release = minorOf(tag);
  if (!release) return undefined;
  const described = `KServe's ${tag} ${artifact}.yaml`;
  if (artifact === 'kserve-cluster-resources' || artifact === 'kserve-runtimes')
    return { described, project: 'kserve', release, objects: [], kserve: { controller: false, runtimes: true } };
  // kserve_kubeflow.yaml installs into Kubeflow's namespace: only its CRDs are sure
  const namespace: RemoteObject[] = atLeast(release, 17) || artifact !== 'kserve' ? [] : [{ kind: 'Namespace', name: 'kserve' }];
  return {
    described,
    project: 'kserve',
    release,
    objects: [...namespace, ...(atLeast(release, 11) ? KSERVE_CRDS : [])],
    kserve: { controller: true, runtimes: false },
  };
}

/**
 * A KServe chart a script installs with helm (script-installs.ts writes it `oci://ghcr.io/kserve/charts/<chart>:<version>`,
 * with ` --set kserve.servingruntime.enabled=true` when the command sets that).
 */
const KSERVE_CHART_ENTRY = /^oci:\/\/ghcr\.io\/kserve\/charts\/([a-z0-9-]+):([^\s:]+)( --set kserve\.servingruntime\.enabled=true)?$/;

/**
 * What a KServe chart creates (kserve/kserve charts/*): `kserve` (charts/kserve-resources, published under that name
 * up to 0.16) the controllers and the ClusterServingRuntimes; `kserve-resources` (0.17 on) the controllers alone;
 * `kserve-runtime-configs` the runtimes where kserve.servingruntime.enabled is set; the *-crd charts CRDs alone.
 */
function kserveChartBase(chart: string, version: string, runtimesSet: boolean): RemoteBase | undefined {
  const release = minorOf(version);
  const controller = chart === 'kserve' || /^kserve-(?:llmisvc-|localmodel-)?resources$/.test(chart);
  const runtimes = chart === 'kserve' || (chart === 'kserve-runtime-configs' && runtimesSet);
  if (!controller && !runtimes && !/^kserve-(?:(?:llmisvc|localmodel)-)?crd(?:-minimal)?$|^kserve-runtime-configs$/.test(chart)) return undefined;
  return { described: `KServe's chart ${chart} ${version}`, project: 'kserve', ...(release ? { release } : {}), objects: [], kserve: { controller, runtimes } };
}

/** An object a remote resource of a build adds, with where the build lists that resource. */
export interface RemoteEmitted extends RemoteObject {
  readonly entry: string;
  /** The kustomization file that lists the remote resource. */
  readonly listedIn: string;
  readonly described: string;
}

export const emittedBy = (base: RemoteBase, entry: string, listedIn: string): RemoteEmitted[] =>
  base.objects.map((o) => ({ ...o, entry, listedIn, described: base.described }));

/**
 * The remote objects as a kustomization's own transformers leave them: its `namespace` renames Namespace objects to
 * it (api/filters/namespace), namePrefix and nameSuffix change neither Namespaces nor CustomResourceDefinitions
 * (kubectl kustomize v5 builds).
 */
export function throughKustomization(emitted: readonly RemoteEmitted[], namespace: string | undefined): RemoteEmitted[] {
  return emitted.map((o) => (o.kind === 'Namespace' && namespace ? { ...o, name: namespace } : o));
}

/** The id kustomize registers an object under, for the kinds remote bases are known to emit; undefined otherwise. */
export function catalogueId(manifest: { readonly apiVersion?: unknown; readonly kind?: unknown; readonly metadata?: unknown }): string | undefined {
  const name = (manifest.metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string') return undefined;
  if (manifest.kind === 'Namespace' && manifest.apiVersion === 'v1') return `Namespace/${name}`;
  if (manifest.kind === 'CustomResourceDefinition' && manifest.apiVersion === 'apiextensions.k8s.io/v1') return `CustomResourceDefinition/${name}`;
  return undefined;
}

/** The ids one kustomization's accumulator holds so far: local catalogued objects by file, remote ones, and every remote one added. */
export interface RemoteRegistry {
  readonly local: Map<string, string>;
  readonly remote: Map<string, RemoteEmitted>;
  readonly emitted: RemoteEmitted[];
}

function remoteClashMessage(remote: RemoteEmitted, localFile: string): string {
  return (
    `adds ${remote.kind} '${remote.name}' twice: ${localFile} declares it, and the remote resource '${remote.entry}' (${remote.described}, listed in ${remote.listedIn}) ` +
    `creates it too: kustomize refuses the build ("may not add resource with an already registered id"), so nothing of this root is applied; ` +
    `drop the local ${remote.kind} (the remote resource creates it) or list one of the two only`
  );
}

/**
 * kustomize appends each entry's objects to the kustomization's accumulator and refuses an id already there
 * (api/resmap/reswrangler.go Append): a local object that a well-known remote resource of the same build also emits
 * is refused although the reader does not fetch the remote one. An outer namespace renames Namespace objects on the
 * way, so those are compared only where none is set. Registers the entry's objects, and returns the refusals.
 */
export function accumulatorClashes(
  emitted: readonly RemoteEmitted[],
  added: readonly { readonly file: string; readonly manifest: unknown }[],
  registry: RemoteRegistry,
  ns: string | undefined,
): string[] {
  const refusals: string[] = [];
  const comparable = (id: string) => ns === undefined || !id.startsWith('Namespace/');
  for (const m of added) {
    const id = isMapping(m.manifest) ? catalogueId(m.manifest) : undefined;
    if (id === undefined || !comparable(id)) continue;
    const remote = registry.remote.get(id);
    if (remote) refusals.push(remoteClashMessage(remote, m.file));
    else registry.local.set(id, m.file);
  }
  for (const o of emitted) {
    const id = `${o.kind}/${o.name}`;
    const local = registry.local.get(id);
    if (local !== undefined && comparable(id)) refusals.push(remoteClashMessage(o, local));
    registry.remote.set(id, o);
  }
  registry.emitted.push(...emitted);
  return refusals;
}
