import { Platform as PlatformEntry, PLATFORMS } from '../platform/platform';
import { treeKserveRelease, TreeKserveRelease } from './kserve-release';
import { CheckContext } from './rule';

/**
 * A field an earlier KServe release served at a path that the CRDs judged here (OpenShift AI 3.x, upstream KServe
 * 0.20) no longer have: whether an object that writes it is refused depends on the KServe release the cluster runs.
 */
export interface RetiredKserveField {
  /** The field's path for each kind that had it, as the unknown-field walk names it. */
  readonly paths: Readonly<Record<string, string>>;
  /** The first and last upstream minor releases that served it (14 and 14: KServe 0.14.x only). */
  readonly first: number;
  readonly last: number;
  /** Those releases, as messages name them. */
  readonly served: string;
  /** What became of it, with the release: `renamed to pipelineParallelSize in KServe 0.15`. */
  readonly change: string;
  /** What to write on a release that does not serve it. */
  readonly fix: string;
  /** Whether some OpenShift AI 2.x release's KServe (red-hat-data-services/kserve rhoai-2.x) served it. */
  readonly openShiftAi2: boolean;
  /** Where each fact comes from: the upstream commits and pull requests. */
  readonly source: string;
}

/**
 * KServe's own fields that an earlier release served and a later one dropped, found by comparing the property paths of
 * config/crd/full (config/crd before 0.13) of every kserve/kserve tag from v0.10.0 to v0.20.0 with v0.20.0's; fields
 * of Kubernetes core types that changed with Kubernetes (a PodResourceClaim's source) are not KServe's and not listed.
 */
export const RETIRED_KSERVE_FIELDS: readonly RetiredKserveField[] = [
  {
    paths: {
      InferenceService: 'spec.predictor.workerSpec.size',
      ServingRuntime: 'spec.workerSpec.size',
      ClusterServingRuntime: 'spec.workerSpec.size',
    },
    first: 14,
    last: 14,
    served: 'KServe 0.14.0 and 0.14.1',
    change: 'renamed to pipelineParallelSize in KServe 0.15',
    fix: "write workerSpec.pipelineParallelSize, which counts the head node too (KServe 0.15 starts pipelineParallelSize - 1 workers), and workerSpec.tensorParallelSize for each node's GPUs",
    openShiftAi2: false,
    source:
      'kserve/kserve d5ed018f4 (#3871 "add a new API for multi-node/multi-gpu", first released in v0.14.0) added WorkerSpec.Size (json "size") to pkg/apis/serving/v1alpha1/servingruntime_types.go and v1beta1/predictor.go; 6a651d1d3 (#3972 "Multi-Node Inference Implementation", first released in v0.15.0) replaced it by PipelineParallelSize and TensorParallelSize, and v0.15.0 reconcilers/deployment/deployment_reconciler.go starts pipelineParallelSize - 1 worker replicas; red-hat-data-services/kserve rhoai-2.6 to rhoai-2.15 have no WorkerSpec, rhoai-2.16 to rhoai-2.25 PipelineParallelSize only',
  },
  {
    paths: { InferenceService: 'spec.explainer.alibi' },
    first: 0,
    last: 12,
    served: 'KServe up to 0.12',
    change: 'removed in KServe 0.13 with the Alibi explainer',
    fix: 'run the explainer as a container of its own under spec.explainer.containers, or use spec.explainer.art',
    openShiftAi2: true,
    source:
      'kserve/kserve 382f41aa6 (#3443 "Remove Seldon Alibi dependencies", first released in v0.13.0) removed AlibiExplainerSpec from pkg/apis/serving/v1beta1/explainer.go; red-hat-data-services/kserve rhoai-2.6 to rhoai-2.15 (KServe 0.11, 0.12) keep it',
  },
];

/** The entry of a field an earlier KServe release served at this path of the kind, if any. */
export function retiredKserveField(kind: string, field: string): RetiredKserveField | undefined {
  return RETIRED_KSERVE_FIELDS.find((f) => f.paths[kind] === field);
}

/**
 * Whether the judged KServe serves the field: `served` (no finding), `refused` where the release is known (an
 * OpenShift AI platform, OpenShift AI 2.x for a field none of its releases had, upstream KServe at the release the
 * tree shows), or `assumed` where upstream KServe's release is not shown, or where the platform is assumed and a
 * candidate may serve it. `on` names the release judged, for messages.
 */
export type RetiredFieldVerdict = { readonly verdict: 'served' } | { readonly verdict: 'refused' | 'assumed'; readonly on: string };

/** The upstream release the tree shows on one side of the release that dropped the field; undefined where none or both. */
function shownRelease(f: RetiredKserveField, ctx: CheckContext): TreeKserveRelease | undefined {
  const pivot = f.last + 1;
  const { graph } = ctx;
  return graph.once(`kserve-release:${pivot}`, () =>
    treeKserveRelease(
      graph.objects.map((o) => ({ manifest: o.manifest, id: graph.id(o) })),
      pivot,
      graph.installed,
    ),
  );
}

/** Whether a candidate platform may serve the field: OpenShift AI 2.x where a 2.x release had it, upstream KServe unless the tree shows a release without it. */
function mayServe(f: RetiredKserveField, candidate: CheckContext['platform'], shown: TreeKserveRelease | undefined): boolean {
  if (candidate === 'rhoai-2') return f.openShiftAi2;
  if (candidate === 'kserve') return !shown || (shown.minor >= f.first && shown.minor <= f.last);
  return false;
}

export function retiredFieldVerdict(f: RetiredKserveField, ctx: CheckContext): RetiredFieldVerdict {
  const p = ctx.platform;
  if (p === 'rhoai-2') return f.openShiftAi2 ? { verdict: 'served' } : { verdict: 'refused', on: 'OpenShift AI 2.x (no release of it has the field)' };
  const shown = shownRelease(f, ctx);
  if (p === 'kserve') {
    if (!shown)
      return {
        verdict: 'assumed',
        on: `${PLATFORMS.kserve.kserveLabel}, the newest known: the tree shows no KServe release (no image tag of KServe's own images, kserve.yaml release URL or KServe chart version)`,
      };
    return mayServe(f, p, shown) ? { verdict: 'served' } : { verdict: 'refused', on: `upstream KServe ${shown.release} (${shown.from})` };
  }
  const entry: PlatformEntry = PLATFORMS[p];
  // OpenShift AI 3.x serves none of these; an assumed platform may be one that does
  const others = ctx.platformAssumed ? (ctx.platformCandidates ?? []).filter((c) => c !== p && mayServe(f, c, shown)) : [];
  if (others.length)
    return {
      verdict: 'assumed',
      on: `${entry.kserveLabel}, the platform assumed (the tree may be for ${others.map((c) => (c === 'kserve' ? 'an older upstream KServe' : 'OpenShift AI 2.x')).join(' or ')}; pass --platform)`,
    };
  return { verdict: 'refused', on: entry.kserveLabel };
}
