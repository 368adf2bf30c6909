/**
 * The Red Hat build of Kueue releases and the upstream Kueue each packages: openshift/kueue-operator's release-1.N
 * branches pin upstream/kueue/src to kubernetes-sigs/kueue release-0.M (.gitmodules; 1.0 builds 0.11, per its README
 * table and its kueue-0.11 pipeline). The operator's OLM package is `kueue-operator`, its channels `stable-v1.N`.
 */
export const RED_HAT_KUEUE: Readonly<Record<string, string>> = {
  '1.0': '0.11',
  '1.1': '0.12',
  '1.2': '0.14',
  '1.3': '0.16',
  '1.4': '0.18',
};

/** The OLM package of the Red Hat build of Kueue operator. */
export const KUEUE_OPERATOR_PACKAGE = 'kueue-operator';

/** What one Kueue release's CRDs serve. */
export interface KueueRelease {
  /** The upstream release, `0.16`. */
  readonly release: string;
  /** The versions its ClusterQueue, LocalQueue and ResourceFlavor CRDs serve. */
  readonly served: readonly string[];
  /** Served versions the API server answers with a deprecation warning. */
  readonly deprecated: readonly string[];
  /** The version it stores. */
  readonly storage: string;
  /** The versions served, by kind, where a kind differs from `served` (Cohort and Topology were v1alpha1 first). */
  readonly kinds: Readonly<Record<string, readonly string[]>>;
  /** Whether a workload's queue name is also read from the annotation kueue.x-k8s.io/queue-name (up to 0.14). */
  readonly readsQueueAnnotation: boolean;
}

/** The upstream releases whose CRDs were read (kubernetes-sigs/kueue config/components/crd/bases at v0.11.0 … v0.18.0). */
export const KUEUE_RELEASES: readonly string[] = ['0.11', '0.12', '0.13', '0.14', '0.15', '0.16', '0.17', '0.18'];

/**
 * Whether a release is older than KUEUE_RELEASES' first (`0.7`, `0.9`; from 0.3, when the v1alpha1 core kinds gave way
 * to v1beta1): it is judged by what it served, v1beta1 only, as every release did until v1beta2 was served beside it
 * in 0.15 (config/components/crd/bases at v0.15.0), with Cohort and Topology in v1alpha1 where present.
 */
function olderThanRead(release: string): boolean {
  const m = /^0\.(\d+)$/.exec(release);
  return m !== null && Number(m[1]) >= 3 && Number(m[1]) < Number(KUEUE_RELEASES[0].split('.')[1]);
}

/**
 * What a Kueue release serves, from its CRDs: v1beta1 only up to 0.14; v1beta2 served beside it from 0.15 (v1beta1
 * still stored), stored from 0.16 with v1beta1 deprecated. Cohort is v1alpha1 only up to 0.12 and v1beta1 from 0.13;
 * Topology v1alpha1 up to 0.13 (0.11 also served v1beta1), v1beta1 from 0.14. Workloads' queue name is read from the
 * annotation too up to 0.14 (pkg/controller/jobframework QueueNameForObject; label only from 0.15, #7271).
 * An older release (olderThanRead) is read as serving v1beta1 only. Undefined for any other release not in KUEUE_RELEASES.
 */
export function kueueRelease(release: string): KueueRelease | undefined {
  if (!KUEUE_RELEASES.includes(release) && !olderThanRead(release)) return undefined;
  const minor = Number(release.split('.')[1]);
  const served = minor >= 15 ? ['v1beta1', 'v1beta2'] : ['v1beta1'];
  const kinds: Record<string, readonly string[]> = {};
  if (minor <= 12) kinds.Cohort = ['v1alpha1'];
  if (minor === 11) kinds.Topology = ['v1alpha1', 'v1beta1'];
  else if (minor <= 13) kinds.Topology = ['v1alpha1'];
  return {
    release,
    served,
    deprecated: minor >= 16 ? ['v1beta1'] : [],
    storage: minor >= 16 ? 'v1beta2' : 'v1beta1',
    kinds,
    readsQueueAnnotation: minor <= 14,
  };
}

/** A Kueue release as a user states it, resolved to the upstream release. */
export interface StatedKueue {
  readonly release: string;
  /** The Red Hat build of Kueue release, when that is what was stated or what packages it. */
  readonly redHat?: string;
}

/** The stated versions `parseKueueVersion` reads, for messages. */
export const KUEUE_VERSION_FORMS = `a Red Hat build of Kueue release (${Object.keys(RED_HAT_KUEUE).join(', ')}; also as stable-v1.3) or an upstream Kueue release (${KUEUE_RELEASES.join(', ')})`;

/**
 * A stated Kueue version: `1.3`, `v1.3.1` or `stable-v1.3` name the Red Hat build of Kueue (its releases are 1.x),
 * `0.16` or `v0.16.9` upstream Kueue (its releases are 0.x; one older than those read, olderThanRead, too). Undefined
 * for anything else or an unknown release.
 */
export function parseKueueVersion(stated: string): StatedKueue | undefined {
  const m = /^(?:stable-)?v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(stated.trim());
  if (!m) return undefined;
  const minor = `${m[1]}.${m[2]}`;
  if (m[1] === '1') return RED_HAT_KUEUE[minor] ? { release: RED_HAT_KUEUE[minor], redHat: minor } : undefined;
  return kueueRelease(minor) ? { release: minor } : undefined;
}
