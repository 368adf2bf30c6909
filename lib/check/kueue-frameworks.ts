import { isMapping, Loose, mapping, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { apiGroupOf } from '../k8s/api-version';
import { ObjectGraph } from './graph';
import { KueueChoice } from './kueue-version';

/** The key of Kueue's ConfigMap kueue-manager-config that holds its Configuration (config/components/manager kustomization). */
const CONFIG_KEY = 'controller_manager_config.yaml';
/** The Kueue Helm chart's value holding the Configuration as text (charts/kueue values.yaml managerConfig.controllerManagerConfigYaml). */
const CHART_CONFIG_KEY = 'controllerManagerConfigYaml';
/** The API group of Kueue's Configuration (apis/config v1beta1, v1beta2). */
const CONFIG_GROUP = 'config.kueue.x-k8s.io';

/**
 * The job frameworks Kueue's shipped configuration enables, by release: kubernetes-sigs/kueue
 * config/components/manager/controller_manager_config.yaml (and the chart's values.yaml) list the job integrations and,
 * up to 0.15, leave `pod`, `deployment`, `statefulset` and `leaderworkerset.x-k8s.io/leaderworkerset` commented out;
 * 0.16 enables them too (#8096, "Enable Pod-based integrations and LWS by default").
 */
const JOB_FRAMEWORKS = [
  'batch/job',
  'kubeflow.org/mpijob',
  'ray.io/rayjob',
  'ray.io/raycluster',
  'jobset.x-k8s.io/jobset',
  'kubeflow.org/paddlejob',
  'kubeflow.org/pytorchjob',
  'kubeflow.org/tfjob',
  'kubeflow.org/xgboostjob',
  'kubeflow.org/jaxjob',
  'workload.codeflare.dev/appwrapper',
  'trainer.kubeflow.org/trainjob',
];

/** A Configuration that names no frameworks gets batch/job alone (apis/config/v1beta1 and v1beta2 defaults.go SetDefaults_Configuration). */
const DEFAULTED_FRAMEWORKS = ['batch/job'];

/**
 * The frameworks that make Kueue manage a kind by the queue label on the object itself, by API group and kind
 * (pkg/controller/jobs: each integration's name; a Deployment's or StatefulSet's pods are managed by the pod
 * integration too, which reads the label its webhook copies onto the pods).
 */
const MANAGED_BY: Readonly<Record<string, { readonly group: string; readonly frameworks: readonly string[] }>> = {
  Pod: { group: '', frameworks: ['pod'] },
  Job: { group: 'batch', frameworks: ['batch/job'] },
  Deployment: { group: 'apps', frameworks: ['deployment'] },
  StatefulSet: { group: 'apps', frameworks: ['statefulset'] },
  JobSet: { group: 'jobset.x-k8s.io', frameworks: ['jobset.x-k8s.io/jobset'] },
  MPIJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/mpijob'] },
  PyTorchJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/pytorchjob'] },
  TFJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/tfjob'] },
  XGBoostJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/xgboostjob'] },
  PaddleJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/paddlejob'] },
  JAXJob: { group: 'kubeflow.org', frameworks: ['kubeflow.org/jaxjob'] },
  TrainJob: { group: 'trainer.kubeflow.org', frameworks: ['trainer.kubeflow.org/trainjob'] },
  RayJob: { group: 'ray.io', frameworks: ['ray.io/rayjob'] },
  RayCluster: { group: 'ray.io', frameworks: ['ray.io/raycluster'] },
  LeaderWorkerSet: { group: 'leaderworkerset.x-k8s.io', frameworks: ['leaderworkerset.x-k8s.io/leaderworkerset'] },
  AppWrapper: { group: 'workload.codeflare.dev', frameworks: ['workload.codeflare.dev/appwrapper'] },
};

/** The frameworks a Kueue Configuration of the tree enables, and where it is given. */
export interface GivenFrameworks {
  readonly frameworks: readonly string[];
  readonly where: string;
}

/** A Configuration's frameworks, when the text is a Kueue Configuration: its list, or batch/job alone where it names none. */
function frameworksOf(source: string): string[] | undefined {
  const parsed = parseOne(source);
  if (!('value' in parsed) || !isMapping(parsed.value)) return undefined;
  const config = parsed.value;
  if (config.kind !== 'Configuration' || apiGroupOf(text(config.apiVersion) ?? '') !== CONFIG_GROUP) return undefined;
  const listed = mapping(config.integrations).frameworks;
  return Array.isArray(listed) ? strings(listed) : DEFAULTED_FRAMEWORKS;
}

/** The chart value controllerManagerConfigYaml anywhere in an object (a HelmRelease's values, an Application's valuesObject). */
function chartConfigTexts(v: unknown, depth = 0): string[] {
  if (depth > 8 || !isMapping(v)) return Array.isArray(v) && depth <= 8 ? v.flatMap((x) => chartConfigTexts(x, depth + 1)) : [];
  return Object.entries(v).flatMap(([k, x]) => (k === CHART_CONFIG_KEY && typeof x === 'string' ? [x] : chartConfigTexts(x, depth + 1)));
}

/**
 * The Kueue Configurations the tree gives, each with its frameworks: ConfigMap data `controller_manager_config.yaml`
 * (a manifest, or a script's `kubectl create configmap … --from-literal=controller_manager_config.yaml='…'`) and the
 * chart value managerConfig.controllerManagerConfigYaml of a HelmRelease or Argo CD Application.
 */
export function givenKueueFrameworks(graph: ObjectGraph): readonly GivenFrameworks[] {
  return graph.once('kueue-frameworks:given', () => {
    const out: GivenFrameworks[] = [];
    for (const o of graph.objects) {
      const data = o.manifest.kind === 'ConfigMap' ? text(mapping(o.manifest.data)[CONFIG_KEY]) : undefined;
      for (const source of [...(data ? [data] : []), ...(o.manifest.kind === 'ConfigMap' ? [] : chartConfigTexts(o.manifest.spec))]) {
        const frameworks = frameworksOf(source);
        if (frameworks) out.push({ frameworks, where: graph.id(o) });
      }
    }
    for (const c of graph.scriptCreated) {
      const source = c.kind === 'ConfigMap' ? c.data?.[CONFIG_KEY] : undefined;
      const frameworks = source ? frameworksOf(source) : undefined;
      if (frameworks) out.push({ frameworks, where: `ConfigMap ${c.name} made by ${c.script}:${c.line}` });
    }
    return out;
  });
}

/** Whether Kueue manages the object's kind under some of the frameworks (a kind it never integrates: undefined). */
function managedUnder(m: Loose, frameworks: readonly string[]): boolean | undefined {
  const spec = MANAGED_BY[String(m.kind)];
  if (!spec || apiGroupOf(text(m.apiVersion) ?? '') !== spec.group) return undefined;
  return spec.frameworks.some((f) => frameworks.includes(f));
}

/** Why Kueue ignores an object's queue label: the integration its kind needs, and who leaves it off. */
export interface IntegrationOff {
  /** The framework name to enable (`pod`, `batch/job`). */
  readonly integration: string;
  /** What leaves it off, for a message: the tree's configuration, or the release's shipped one. */
  readonly by: string;
  /** The tree's configuration says so (certain); else only the shipped default does (the cluster's may differ). */
  readonly certain: boolean;
}

/**
 * Whether Kueue, as the tree configures it, ignores the object's queue label because its kind's integration is off:
 * every Configuration the tree gives leaves it out; where the tree gives none, the shipped configuration of the judged
 * upstream release does (pod-based kinds up to 0.15), which the cluster's may change. The Red Hat build takes its
 * frameworks from its Kueue object (kueue-pod-sets integrationOff), not judged here.
 */
export function integrationOff(graph: ObjectGraph, m: Loose, kueue: KueueChoice): IntegrationOff | undefined {
  const integration = MANAGED_BY[String(m.kind)]?.frameworks[0];
  const given = givenKueueFrameworks(graph);
  if (given.length) {
    if (given.some((g) => managedUnder(m, g.frameworks) !== false)) return undefined;
    const listed = [...new Set(given.flatMap((g) => g.frameworks))].join(', ') || 'none';
    return {
      integration: integration,
      by: `the Kueue configuration of ${given.map((g) => g.where).join(' and ')} (integrations.frameworks: ${listed})`,
      certain: true,
    };
  }
  const minor = Number(/^0\.(\d+)$/.exec(kueue.release)?.[1] ?? NaN);
  if (kueue.redHat || Number.isNaN(minor) || managedUnder(m, JOB_FRAMEWORKS) !== false) return undefined;
  const shipped = 'which comments out pod, deployment, statefulset and leaderworkerset (controller_manager_config.yaml)';
  if (minor <= 15) return { integration: integration, by: `Kueue ${kueue.release}'s shipped configuration, ${shipped}`, certain: false };
  // 0.16 ships them on; where that release is only assumed, an older Kueue leaves them off
  if (kueue.source === 'default')
    return { integration: integration, by: `Kueue's shipped configuration before 0.16, ${shipped}; ${kueue.release} is only assumed here,`, certain: false };
  return undefined;
}
