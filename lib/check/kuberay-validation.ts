import { finite, isMapping, Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { containersOf } from './pods';
import { RAY_CLUSTER_LABEL } from '../k8s/keys';

/**
 * A check KubeRay's operator makes on a RayJob, RayCluster or RayService spec before it creates anything
 * (ray-project/kuberay ray-operator/controllers/ray/utils/validation.go, feeaf72f): the first release whose
 * validation makes it (the tag whose source first holds its message) and what it says, naming the field.
 */
export interface RayValidationFailure {
  readonly since: string;
  readonly message: string;
}

/** KubeRay's names (ray-operator/controllers/ray/utils/constant.go). */
const FT_ANNOTATION = 'ray.io/ft-enabled';
const EXTERNAL_STORAGE_NS = 'ray.io/external-storage-namespace';
const REDIS_ADDRESS = 'RAY_REDIS_ADDRESS';
const AUTOSCALER_V2_ENV = 'RAY_enable_autoscaler_v2';

/** A check's outcome: its failure, or a falsy value where it passes. */
type Found = RayValidationFailure | false | undefined | '';
const fail = (since: string, message: string): RayValidationFailure => ({ since, message });

const isTrue = (v: unknown) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
const envOf = (container: Loose) => new Map(mappings(container.env).map((e) => [text(e.name) ?? '', e]));
const podSpec = (group: Loose) => mapping(mapping(group.template).spec);
const rayContainer = (group: Loose) => mappings(podSpec(group).containers)[0] ?? {};
const groupName = (g: Loose) => text(g.groupName) ?? 'unnamed';
/** validateRayGroupResources: resources given as ray start flags. */
const START_RESOURCES = ['num-cpus', 'num-gpus', 'memory', 'resources'];

/** util.go IsAutoscalingEnabled and IsAutoscalingV2Enabled. */
const autoscaling = (spec: Loose) => isTrue(spec.enableInTreeAutoscaling);
const autoscalerV2 = (spec: Loose) => text(mapping(spec.autoscalerOptions).version) === 'v2';

/** ValidateRayClusterSpec's per-group checks (validateRayGroupResources, validateRayGroupLabels, the replica bounds, validateWorkerGroupIdleTimeout). */
function groupFailures(spec: Loose, at: string): Found[] {
  const headEnv = envOf(rayContainer(mapping(spec.headGroupSpec)));
  const v2 = autoscalerV2(spec) || ['1', 'true'].includes(text(mapping(headEnv.get(AUTOSCALER_V2_ENV)).value) ?? '');
  const groups = [
    { g: mapping(spec.headGroupSpec), name: 'Head', where: `${at}.headGroupSpec`, worker: false },
    ...mappings(spec.workerGroupSpecs).map((g, i) => ({ g, name: groupName(g), where: `${at}.workerGroupSpecs[${i}]`, worker: true })),
  ];
  return groups.flatMap(({ g, name, where, worker }) => {
    const params = stringMap(g.rayStartParams);
    const min = finite(g.minReplicas);
    const max = finite(g.maxReplicas);
    return [
      mappings(podSpec(g).containers).length === 0 &&
        fail('1.3.0', `${where}.template.spec.containers is empty: ${worker ? 'workerGroupSpec' : 'headGroupSpec'} should have at least one container`),
      worker && min !== undefined && min < 0 && fail('1.6.0', `${where}.minReplicas is ${min}: worker group ${name} has negative minReplicas`),
      worker && max !== undefined && max < 0 && fail('1.6.0', `${where}.maxReplicas is ${max}: worker group ${name} has negative maxReplicas`),
      worker &&
        min !== undefined &&
        max !== undefined &&
        min > max &&
        fail('1.6.0', `${where}: worker group ${name} has minReplicas ${min} greater than maxReplicas ${max}`),
      START_RESOURCES.some((k) => params[k]) &&
        Object.keys(mapping(g.resources)).length > 0 &&
        fail('1.5.0', `${where}: resources are set both in rayStartParams and in resources for the ${name} group; use only one`),
      'labels' in params && fail('1.5.0', `${where}.rayStartParams.labels is not supported for the ${name} group; use the group's labels field`),
      worker &&
        g.idleTimeoutSeconds !== undefined &&
        !v2 &&
        fail('1.6.0', `${where}.idleTimeoutSeconds is set, but autoscaler v2 is not enabled: set ${at}.autoscalerOptions.version to v2`),
    ].filter((f): f is RayValidationFailure => !!f);
  });
}

/** ValidateRayClusterSpec's GCS fault tolerance and autoscaler checks, on the head's Ray container (RayContainerIndex 0). */
function clusterFailures(spec: Loose, annotations: Record<string, string>, at: string): Found[] {
  const head = mapping(spec.headGroupSpec);
  const env = envOf(rayContainer(head));
  const params = stringMap(head.rayStartParams);
  const ftOptions = spec.gcsFaultToleranceOptions !== undefined && spec.gcsFaultToleranceOptions !== null;
  const ft = isTrue(annotations[FT_ANNOTATION]) || ftOptions;
  const v2Env = text(mapping(env.get(AUTOSCALER_V2_ENV)).value);
  const headWhere = `${at}.headGroupSpec`;
  return [
    annotations[FT_ANNOTATION] &&
      ftOptions &&
      fail('1.3.0', `the ${FT_ANNOTATION} annotation and ${at}.gcsFaultToleranceOptions are both set: use only gcsFaultToleranceOptions`),
    !ft &&
      env.has(REDIS_ADDRESS) &&
      fail('1.3.0', `the head's Ray container sets ${REDIS_ADDRESS}, which enables GCS fault tolerance, but ${at}.gcsFaultToleranceOptions is not set`),
    ftOptions &&
      params['redis-password'] &&
      fail('1.3.0', `${headWhere}.rayStartParams sets redis-password while gcsFaultToleranceOptions is set: use gcsFaultToleranceOptions.redisPassword`),
    ftOptions &&
      env.has('REDIS_PASSWORD') &&
      fail('1.3.0', `the head's Ray container sets REDIS_PASSWORD while gcsFaultToleranceOptions is set: use gcsFaultToleranceOptions.redisPassword`),
    ftOptions &&
      env.has(REDIS_ADDRESS) &&
      fail('1.3.0', `the head's Ray container sets ${REDIS_ADDRESS} while gcsFaultToleranceOptions is set: use gcsFaultToleranceOptions.redisAddress`),
    ftOptions &&
      annotations[EXTERNAL_STORAGE_NS] &&
      fail(
        '1.3.0',
        `the ${EXTERNAL_STORAGE_NS} annotation is set while gcsFaultToleranceOptions is set: use gcsFaultToleranceOptions.externalStorageNamespace`,
      ),
    (params['redis-username'] || env.has('REDIS_USERNAME')) &&
      fail('1.3.0', `a redis username is set in ${headWhere}.rayStartParams or the head's env: use gcsFaultToleranceOptions.redisUsername`),
    !autoscaling(spec) &&
      (v2Env === '1' || v2Env === 'true') &&
      fail('1.5.0', `the head's ${AUTOSCALER_V2_ENV} is '${v2Env}' while ${at}.enableInTreeAutoscaling is not true: set enableInTreeAutoscaling: true`),
    ...(autoscaling(spec) ? autoscalerFailures(spec, at, env.has(AUTOSCALER_V2_ENV)) : []),
  ];
}

/** ValidateRayClusterSpec with enableInTreeAutoscaling true: no suspended group, one way to pick the autoscaler, pods not restarted in place by v2. */
function autoscalerFailures(spec: Loose, at: string, v2Env: boolean): Found[] {
  const workers = mappings(spec.workerGroupSpecs);
  const restarting = (g: Loose) => ![undefined, 'Never'].includes(text(podSpec(g).restartPolicy));
  const head = mapping(spec.headGroupSpec);
  return [
    ...workers.map(
      (g) =>
        isTrue(g.suspend) &&
        fail(
          '1.4.0',
          `worker group ${groupName(g)} is suspended while ${at}.enableInTreeAutoscaling is true: it cannot be suspended with the autoscaler enabled`,
        ),
    ),
    text(mapping(spec.autoscalerOptions).version) !== undefined &&
      v2Env &&
      fail('1.4.0', `both ${at}.autoscalerOptions.version and the head's ${AUTOSCALER_V2_ENV} are set: use only the former`),
    autoscalerV2(spec) && restarting(head) && fail('1.4.0', `${at}.headGroupSpec.template.spec.restartPolicy must be Never or unset with autoscaler v2`),
    ...workers.map(
      (g) =>
        autoscalerV2(spec) && restarting(g) && fail('1.4.0', `the restartPolicy of worker group ${groupName(g)} must be Never or unset with autoscaler v2`),
    ),
  ];
}

/** ValidateRayClusterSpec, for a RayCluster spec written at `at` whose owner carries `annotations`. */
export function rayClusterFailures(spec: Loose, annotations: Record<string, string>, at: string): RayValidationFailure[] {
  if (mappings(podSpec(mapping(spec.headGroupSpec)).containers).length === 0)
    return groupFailures(spec, at)
      .filter((f): f is RayValidationFailure => !!f)
      .slice(0, 1);
  return [...groupFailures(spec, at), ...clusterFailures(spec, annotations, at)].filter((f): f is RayValidationFailure => !!f);
}

/** ValidateRayJobSpec and validateDeletionConfiguration's checks that need nothing but the RayJob (no feature gate). */
function rayJobOwnFailures(spec: Loose): Found[] {
  // a clusterSelector that is no map of strings (a `matchLabels:` object) is refused by the CRD's schema before the
  // operator sees the RayJob: field-value-invalid's finding, not one of these
  const written = spec.clusterSelector;
  if (written != null && (!isMapping(written) || Object.values(written).some((v) => typeof v !== 'string'))) return [];
  const shutdown = isTrue(spec.shutdownAfterJobFinishes);
  const suspend = isTrue(spec.suspend);
  const ttl = finite(spec.ttlSecondsAfterFinished);
  const selector = stringMap(spec.clusterSelector);
  const selectorMode = Object.keys(selector).length > 0;
  const mode = text(spec.submissionMode);
  const backoff = finite(spec.backoffLimit);
  const positive = (field: string) => {
    const n = finite(spec[field]);
    return n !== undefined && n <= 0 ? n : undefined;
  };
  return [
    suspend &&
      !shutdown &&
      fail('1.1.0', 'spec.suspend is true while spec.shutdownAfterJobFinishes is false: a RayJob that keeps its cluster cannot be suspended'),
    ttl !== undefined && ttl < 0 && fail('1.4.0', `spec.ttlSecondsAfterFinished is ${ttl}: it must be a non-negative integer`),
    !shutdown &&
      ttl !== undefined &&
      ttl > 0 &&
      fail(
        '1.4.0',
        `spec.ttlSecondsAfterFinished is ${ttl} while spec.shutdownAfterJobFinishes is ${spec.shutdownAfterJobFinishes === undefined ? 'unset (false)' : 'false'}: a RayJob that keeps its cluster cannot have a TTL`,
      ),
    isMappingSet(spec.deletionStrategy) &&
      mappings(mapping(spec.deletionStrategy).deletionRules).length > 0 &&
      shutdown &&
      fail('1.5.0', 'spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive'),
    suspend && selectorMode && fail('1.1.0', 'spec.suspend is true with spec.clusterSelector: the ClusterSelector mode does not support suspend'),
    spec.rayClusterSpec == null && !selectorMode && fail('1.1.0', 'neither spec.rayClusterSpec nor spec.clusterSelector is set: one of them must be'),
    selectorMode && !selector[RAY_CLUSTER_LABEL] && fail('1.5.0', `spec.clusterSelector names no cluster: its key ${RAY_CLUSTER_LABEL} is missing or empty`),
    selectorMode && mode === 'SidecarMode' && fail('1.5.0', 'spec.clusterSelector is not supported with spec.submissionMode SidecarMode'),
    selectorMode && backoff !== undefined && backoff > 0 && fail('1.6.0', `spec.backoffLimit ${backoff} is incompatible with spec.clusterSelector`),
    mode === 'InteractiveMode' &&
      backoff !== undefined &&
      backoff > 0 &&
      fail('1.4.0', `spec.backoffLimit ${backoff} is incompatible with spec.submissionMode InteractiveMode`),
    ...(mode === 'SidecarMode' ? sidecarFailures(spec) : []),
    positive('activeDeadlineSeconds') !== undefined &&
      fail('1.1.0', `spec.activeDeadlineSeconds is ${positive('activeDeadlineSeconds')}: it must be a positive integer`),
    positive('preRunningDeadlineSeconds') !== undefined &&
      fail('1.6.0', `spec.preRunningDeadlineSeconds is ${positive('preRunningDeadlineSeconds')}: it must be a positive integer`),
    backoff !== undefined && backoff < 0 && fail('1.2.0', `spec.backoffLimit is ${backoff}: it must not be negative`),
  ];
}

const isMappingSet = (v: unknown) => v !== undefined && v !== null;

/** ValidateRayJobSpec with submissionMode SidecarMode: the submitter runs in the head pod. */
function sidecarFailures(spec: Loose): Found[] {
  const restart = text(mapping(mapping(mapping(mapping(spec.rayClusterSpec).headGroupSpec).template).spec).restartPolicy);
  return [
    isMappingSet(spec.submitterPodTemplate) &&
      fail('1.5.0', 'spec.submitterPodTemplate is set with spec.submissionMode SidecarMode, which does not support it'),
    isMappingSet(spec.submitterConfig) && fail('1.5.0', 'spec.submitterConfig is set with spec.submissionMode SidecarMode, which does not support it'),
    restart !== undefined &&
      restart !== 'Never' &&
      fail('1.5.0', `the head pod's restartPolicy is ${restart} with spec.submissionMode SidecarMode: it must be Never or unset`),
  ];
}

/** ValidateRayJobSpec, ValidateRayServiceSpec or ValidateRayClusterSpec, by the object's kind; others give none. */
export function rayValidationFailures(m: Loose): RayValidationFailure[] {
  const annotations = stringMap(mapping(m.metadata).annotations);
  const spec = mapping(m.spec);
  const found = (list: Found[]) => list.filter((f): f is RayValidationFailure => !!f);
  switch (m.kind) {
    case 'RayCluster':
      return rayClusterFailures(spec, annotations, 'spec');
    case 'RayJob':
      return [
        ...found(rayJobOwnFailures(spec)),
        ...(isMappingSet(spec.rayClusterSpec) ? rayClusterFailures(mapping(spec.rayClusterSpec), annotations, 'spec.rayClusterSpec') : []),
      ];
    case 'RayService': {
      const delay = finite(spec.rayClusterDeletionDelaySeconds);
      const headService = text(mapping(mapping(mapping(spec.rayClusterConfig).headGroupSpec).headService).metadata?.name);
      return [
        ...rayClusterFailures(mapping(spec.rayClusterConfig), annotations, 'spec.rayClusterConfig'),
        ...found([
          headService !== undefined &&
            fail(
              '1.3.0',
              `spec.rayClusterConfig.headGroupSpec.headService.metadata.name is '${headService}': it should not be set (KubeRay names the head service)`,
            ),
          delay !== undefined && delay < 0 && fail('1.5.0', `spec.rayClusterDeletionDelaySeconds is ${delay}: it must not be negative`),
        ]),
      ];
    }
    default:
      return [];
  }
}

/** The image of KubeRay's operator (quay.io/kuberay/operator, its Helm chart's default). */
const OPERATOR_IMAGE = /(?:^|\/)kuberay\/operator:v?(\d+\.\d+\.\d+)/;

/** The KubeRay releases the tree deploys: the tags of the operator images its Deployments run. */
export function kubeRayReleasesIn(graph: ObjectGraph): string[] {
  return graph.once('kuberay-releases', () => [
    ...new Set(
      graph
        .ofKind('Deployment')
        .flatMap((o) => containersOf(o.manifest).flatMap(({ container }) => OPERATOR_IMAGE.exec(text(container.image) ?? '')?.[1] ?? [])),
    ),
  ]);
}

/** Dotted release numbers compared part by part. */
export function releaseAtLeast(release: string, floor: string): boolean {
  const a = release.split('.').map(Number);
  const b = floor.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
