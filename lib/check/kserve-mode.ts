import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { parsePatchDocuments } from '../manifests/yaml-documents';
import { repositoryObjectsOf, repositoryValuesOf } from './found-elsewhere';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { DEPLOYMENT_MODES, Platform } from './platform';

/** How KServe runs an InferenceService, and whether the tree says so or the cluster's default is assumed. */
export interface IsvcMode {
  readonly mode: 'raw' | 'knative' | 'modelmesh';
  /** The annotation, the tree's inferenceservice-config or a Helm value, or a platform with no other mode, says it (not the repository outside the tree). */
  readonly certain: boolean;
  /** Where the mode comes from, as a sentence part. */
  readonly why: string;
}

/** KServe's mode names, old and new (pkg/constants/constants.go: Standard and Knative from 0.16, RawDeployment and Serverless before). */
const MODE_OF: Readonly<Record<string, IsvcMode['mode']>> = {
  RawDeployment: 'raw',
  Standard: 'raw',
  Serverless: 'knative',
  Knative: 'knative',
  ModelMesh: 'modelmesh',
};

/** The mode a KServe mode name stands for; undefined for any other word (an object's own keys only: `constructor` is none). */
export function modeNamed(name: string): IsvcMode['mode'] | undefined {
  return Object.hasOwn(MODE_OF, name) ? MODE_OF[name] : undefined;
}

/** A mode a source sets, and where, as a sentence part. */
interface SetMode {
  readonly mode: IsvcMode['mode'];
  readonly why: string;
}

/** The mode `deploy.defaultDeploymentMode` of a ConfigMap inferenceservice-config names (KServe's GetDeploymentMode reads it). */
function configMapMode(m: Loose): string | undefined {
  if (m.kind !== 'ConfigMap' || text(mapping(m.metadata).name) !== 'inferenceservice-config') return undefined;
  const deploy = stringMap(m.data).deploy;
  return deploy === undefined ? undefined : /"defaultDeploymentMode"\s*:\s*"(\w+)"/.exec(deploy)?.[1];
}

/** The mode a KServe chart's values set (charts/kserve-resources values.yaml kserve.controller.deploymentMode). */
const chartValuesMode = (values: unknown): string | undefined => text(mapping(mapping(mapping(values).kserve).controller).deploymentMode);

/** The chart values an Argo CD Application (helm.valuesObject, helm.values as YAML text) or a Flux HelmRelease (spec.values) passes. */
function releaseValues(m: Loose): unknown[] {
  if (m.kind === 'HelmRelease') return [mapping(m.spec).values];
  if (m.kind !== 'Application') return [];
  const spec = mapping(m.spec);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((source) => {
    const helm = mapping(source.helm);
    const parsed = typeof helm.values === 'string' ? parsePatchDocuments(helm.values) : undefined;
    return [helm.valuesObject, ...(parsed && 'values' in parsed ? parsed.values : [])];
  });
}

/**
 * The mode an object sets as the cluster's default, named as written: an inferenceservice-config ConfigMap, the
 * values an Application or HelmRelease passes KServe's chart, a DataScienceCluster's spec.components.kserve.
 * defaultDeploymentMode (OpenShift AI 2.x's operator writes it into inferenceservice-config).
 */
function objectMode(m: Loose): { named: string; field: string } | undefined {
  const config = configMapMode(m);
  if (config !== undefined) return { named: config, field: 'deploy.defaultDeploymentMode' };
  const released = releaseValues(m)
    .map(chartValuesMode)
    .find((v) => v !== undefined);
  if (released !== undefined) return { named: released, field: 'kserve.controller.deploymentMode' };
  const dsc = m.kind === 'DataScienceCluster' ? text(mapping(mapping(mapping(m.spec).components).kserve).defaultDeploymentMode) : undefined;
  return dsc === undefined ? undefined : { named: dsc, field: 'spec.components.kserve.defaultDeploymentMode' };
}

/**
 * The default mode the tree sets for the cluster: an object of the tree (objectMode), or a `helm --set
 * …deploymentMode=` of a script installing KServe's chart (charts/kserve-resources values kserve.controller.deploymentMode).
 */
function treeDefault(graph: ObjectGraph): SetMode | undefined {
  return graph.once('kserve-mode:tree-default', () => {
    for (const o of graph.objects) {
      const set = objectMode(o.manifest);
      const mode = set && modeNamed(set.named);
      if (mode) return { mode, why: `${graph.id(o)} sets ${set.field} '${set.named}'` };
    }
    for (const h of graph.helmCommands)
      for (const set of h.sets) {
        const mode = /(^|\.)deploymentMode$/.test(set.key) ? modeNamed(set.value) : undefined;
        if (mode) return { mode, why: `${h.script} line ${h.line} installs KServe with ${set.key}=${set.value}` };
      }
    return undefined;
  });
}

/**
 * The default mode the repository holding the checked folder sets outside it, where its installs agree: its objects
 * (objectMode) and its Helm values files (kserve.controller.deploymentMode). The cluster the folder is applied to is
 * likely the one the repository installs, but the tree does not say so: the mode is taken, not certain.
 */
function repositoryDefault(graph: ObjectGraph): SetMode | undefined {
  return graph.once('kserve-mode:repository-default', () => {
    const found: { mode: IsvcMode['mode']; why: string }[] = [];
    for (const r of repositoryObjectsOf(graph)) {
      const set = objectMode(r.manifest);
      const mode = set && modeNamed(set.named);
      if (mode) found.push({ mode, why: `${r.file} sets ${set.field} '${set.named}'` });
    }
    for (const v of repositoryValuesOf(graph)) {
      const named = chartValuesMode(v.values);
      const mode = named === undefined ? undefined : modeNamed(named);
      if (mode) found.push({ mode, why: `${v.file} sets kserve.controller.deploymentMode '${named}'` });
    }
    if (!found.length || found.some((f) => f.mode !== found[0].mode)) return undefined;
    return { mode: found[0].mode, why: `the repository's install sets it (${found[0].why}${found.length > 1 ? `, and ${found.length - 1} more alike` : ''})` };
  });
}

/**
 * How KServe runs an InferenceService (pkg/controller/v1beta1/inferenceservice/utils/utils.go GetDeploymentMode: the
 * annotation serving.kserve.io/deploymentMode when it names a mode, else the cluster's deploy.defaultDeploymentMode).
 * The default: the tree's (treeDefault), else the platform's. Upstream KServe ships Serverless (Knative) as the default
 * from 0.15 to 0.20 (config/configmap/inferenceservice.yaml deploy.defaultDeploymentMode "Serverless";
 * charts/kserve-resources/values.yaml kserve.controller.deploymentMode: Knative), which an install may change (quick
 * install's raw option): assumed, not certain; OpenShift AI 2.x defaults to Serverless likewise; OpenShift AI 3 has no
 * Knative, so raw deployment is certain there.
 */
export function isvcDeploymentMode(isvc: Loose, platform: Platform, graph: ObjectGraph): IsvcMode {
  const written = stringMap(mapping(isvc.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION];
  const named = written === undefined ? undefined : modeNamed(written);
  if (named) return { mode: named, certain: true, why: `it sets ${DEPLOYMENT_MODE_ANNOTATION}: ${written}` };
  const unset = written === undefined ? `it sets no ${DEPLOYMENT_MODE_ANNOTATION}` : `KServe ignores its ${DEPLOYMENT_MODE_ANNOTATION} '${written}'`;
  const tree = treeDefault(graph);
  if (tree) return { mode: tree.mode, certain: true, why: `${unset} and ${tree.why}` };
  const repository = repositoryDefault(graph);
  if (repository) return { mode: repository.mode, certain: false, why: `${unset}, so the cluster's default applies: ${repository.why}` };
  if (platform === 'kserve' || platform === 'rhoai-2') {
    return {
      mode: 'knative',
      certain: false,
      why: `${unset}, so the cluster's default applies (Serverless, i.e. Knative, as ${platform === 'kserve' ? "upstream KServe's install" : 'OpenShift AI 2.x'} sets it)`,
    };
  }
  const fallback = DEPLOYMENT_MODES[platform].fallback;
  return { mode: modeNamed(fallback) ?? 'raw', certain: true, why: `${unset}, so ${DEPLOYMENT_MODES[platform].label} runs it as ${fallback}` };
}

/**
 * Whether KServe certainly runs an InferenceService's predictor as a Deployment of its own (raw deployment mode), with
 * the Service, service links and HPA that come with it: the annotation or the tree's default says so, or the platform
 * has no Knative (OpenShift AI 3). An unset mode where the cluster's default may be Knative's is not raw.
 */
export function rawDeploymentMode(isvc: Loose, platform: Platform, graph: ObjectGraph): boolean {
  const { mode, certain } = isvcDeploymentMode(isvc, platform, graph);
  return mode === 'raw' && certain;
}

/**
 * Whether an InferenceService runs on Knative: `certain` when its annotation or the tree's default says so, `assumed`
 * when unset and the cluster's default is taken to be Knative's; undefined otherwise, and on a platform without Knative
 * (OpenShift AI 3), where a Knative mode is refused (deployment-mode) rather than run.
 */
export function knativeMode(isvc: Loose, platform: Platform, graph: ObjectGraph): 'certain' | 'assumed' | undefined {
  if (DEPLOYMENT_MODES[platform].unavailable.some((name) => modeNamed(name) === 'knative')) return undefined;
  const { mode, certain } = isvcDeploymentMode(isvc, platform, graph);
  if (mode !== 'knative') return undefined;
  return certain ? 'certain' : 'assumed';
}
