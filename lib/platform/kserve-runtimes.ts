import data from './data/kserve-cluster-runtimes.json';

/** A model format a runtime lists (ServingRuntimeSpec.supportedModelFormats). */
export interface SupportedModelFormat {
  readonly name: string;
  readonly version?: string;
  readonly autoSelect?: boolean;
  readonly priority?: number;
}

/** What KServe's runtime selection reads of a ServingRuntime or ClusterServingRuntime. */
export interface RuntimeSelectionSpec {
  readonly name: string;
  readonly supportedModelFormats: readonly SupportedModelFormat[];
  readonly protocolVersions?: readonly string[];
  readonly multiModel?: boolean;
  readonly disabled?: boolean;
  /** Whether the runtime has a workerSpec (IsMultiNodeRuntime). */
  readonly multiNode?: boolean;
}

/** An installed ClusterServingRuntime: what selection reads, and the securityContexts Pod Security admission judges. */
export interface InstalledRuntime extends RuntimeSelectionSpec {
  /** The pod's securityContext (ServingRuntimePodSpec.securityContext), when the runtime sets one. */
  readonly podSecurityContext?: Readonly<Record<string, unknown>>;
  /** kserve-container's securityContext, when the runtime sets one. */
  readonly containerSecurityContext?: Readonly<Record<string, unknown>>;
  /** The first KServe release that installs it (`0.20`), where later than the oldest release the data read. */
  readonly since?: string;
}

/**
 * The ClusterServingRuntimes an upstream KServe install creates (config/runtimes of the release data names, derived
 * by scripts/derive-kserve-cluster-runtimes.js). OpenShift AI installs none: it removes the CRD.
 */
export const KSERVE_CLUSTER_RUNTIMES: { readonly source: string; readonly sinceFrom?: string; readonly runtimes: readonly InstalledRuntime[] } = data;

const minorOf = (release: string): number => Number(/^v?0\.(\d+)/.exec(release)?.[1] ?? NaN);

/**
 * The ClusterServingRuntimes a KServe release (`0.16`) installs: those of the derived release whose `since` is not
 * later. All of them where the release is unknown, or older than the oldest release the data read (which it does not
 * describe).
 */
export function clusterRuntimesOfRelease(release: string | undefined): readonly InstalledRuntime[] {
  const from = KSERVE_CLUSTER_RUNTIMES.sinceFrom;
  if (release === undefined || from === undefined || !(minorOf(release) >= minorOf(from))) return KSERVE_CLUSTER_RUNTIMES.runtimes;
  return KSERVE_CLUSTER_RUNTIMES.runtimes.filter((r) => r.since === undefined || minorOf(r.since) <= minorOf(release));
}
