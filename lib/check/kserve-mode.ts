import { Loose, mapping, stringMap, text } from '../manifests/access';
import { DEPLOYMENT_MODE_ANNOTATION } from '../k8s/keys';
import { ObjectGraph } from './graph';
import { DEPLOYMENT_MODES, Platform } from './platform';

/** How KServe runs an InferenceService, and whether the tree says so or the cluster's default is assumed. */
export interface IsvcMode {
  readonly mode: 'raw' | 'knative' | 'modelmesh';
  /** The annotation, the tree's inferenceservice-config or a Helm value, or a platform with no other mode, says it. */
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

/**
 * The default mode the tree sets for the cluster: `deploy.defaultDeploymentMode` of a ConfigMap inferenceservice-config
 * (KServe's GetDeploymentMode reads it for an InferenceService without the annotation), or a `helm --set
 * …deploymentMode=` of a script installing KServe's chart (charts/kserve-resources values kserve.controller.deploymentMode).
 */
function treeDefault(graph: ObjectGraph): { mode: IsvcMode['mode']; why: string } | undefined {
  return graph.once('kserve-mode:tree-default', () => {
    for (const cm of graph.ofKind('ConfigMap')) {
      if (text(mapping(cm.manifest.metadata).name) !== 'inferenceservice-config') continue;
      const deploy = stringMap(cm.manifest.data).deploy;
      const named = deploy === undefined ? undefined : /"defaultDeploymentMode"\s*:\s*"(\w+)"/.exec(deploy)?.[1];
      const mode = named === undefined ? undefined : modeNamed(named);
      if (mode) return { mode, why: `${graph.id(cm)} sets deploy.defaultDeploymentMode '${named}'` };
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
