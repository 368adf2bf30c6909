import { mapping, text } from '../../manifests/access';
import { flagVerdict, gatedFieldsOf, treeFeatures } from '../knative-features';
import { knativeMode } from '../kserve-mode';
import { GraphObject } from '../graph-object';
import { CheckContext, Problem, Rule } from '../rule';

/** The InferenceService components whose pod spec becomes a Knative Revision's (KServe's predictor, transformer and explainer). */
const COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/** Knative Serving's own kinds whose spec.template.spec is a Revision's pod spec (knative/serving pkg/apis/serving/v1). */
const KNATIVE_KINDS = ['Service', 'Configuration'];

/**
 * A Knative Service's or Configuration's revision template: always Knative's, and judged by its webhook when the object
 * is applied (ValidatePodSpec through the Service's and Configuration's Validate), so a disabled flag refuses the
 * object itself. An error where the tree's config-features or KnativeServing leaves the flag off, else a warning
 * naming the defaults assumed.
 */
function knativeTemplateProblems(o: GraphObject, { graph, platform }: CheckContext): Problem[] {
  if (!String(o.manifest.apiVersion ?? '').startsWith('serving.knative.dev/') || !KNATIVE_KINDS.includes(String(o.manifest.kind))) return [];
  const fields = gatedFieldsOf(mapping(mapping(mapping(o.manifest.spec).template).spec), 'spec.template.spec');
  const features = treeFeatures(graph);
  return fields.flatMap((f): Problem[] => {
    const verdict = flagVerdict(f.flag, features, platform);
    if (verdict.lets) return [];
    const effect = `Knative's webhook refuses the ${String(o.manifest.kind)} ("must not set the field(s)") unless ${f.flag} is enabled, so no revision runs`;
    if (!verdict.assumed) {
      return [
        {
          message: `${f.where} is set and ${features.sources.join(', ')} ${features.sources.length > 1 ? 'leave' : 'leaves'} ${f.flag} off: ${effect}; enable it in the KnativeServing (spec.config.features) or drop the field`,
        },
      ];
    }
    return [
      {
        severity: 'warning',
        message: `${f.where} is set: ${effect}. Assumed: ${f.flag} is as in ${verdict.assumed}. Enable it in the KnativeServing knative-serving (spec.config.features.${f.flag}: enabled), or drop the field`,
      },
    ];
  });
}

export const knativeFeatureDisabled: Rule = {
  id: 'knative-feature-disabled',
  title:
    'a Knative Service or Configuration, or an InferenceService in Knative (Serverless) mode, sets a pod-spec field Knative Serving refuses unless a config-features flag is on (a PVC, hostPath or CSI volume, nodeSelector, affinity, tolerations, init containers, …): no revision is created',
  severity: 'error',
  appliesTo: ['InferenceService', 'Service', 'Configuration'],
  premise:
    "the service runs in Knative mode (annotation serving.kserve.io/deploymentMode Serverless or Knative; an unset annotation where the platform's default is Knative is assumed, a warning, unless the tree or the repository around it installs KServe with another default: an inferenceservice-config deploy.defaultDeploymentMode, the chart's kserve.controller.deploymentMode in a values file, an Argo CD Application or a HelmRelease, a DataScienceCluster's kserve defaultDeploymentMode, all of the repository agreeing) and its predictor, transformer or explainer, or the predictor's ServingRuntime, sets a gated field; an error when the tree holds config-features or a KnativeServing that leaves the flag off, a warning when the flag is set outside the tree; a script or README of the tree that patches config-features in knative-serving (`kubectl|oc patch configmap config-features -n knative-serving` with a merge or JSON patch of data) or a KnativeServing (spec.config.features) sets the flags it writes, and leaves the others as the cluster has them (OpenShift AI 2.x's operator-made KnativeServing turns on affinity, nodeSelector, tolerations and persistent-volume-claim, which are then not judged); where the tree leaves a flag to the cluster (no config-features or KnativeServing of its own sets it), the git repository around the checked folder decides it where it sets it outside the folder: a config-features ConfigMap (of knative-serving, or of no stated namespace) or a KnativeServing's spec.config.features among its manifests, or a kustomization's configMapGenerator config-features (literals, env files; `behavior: merge` onto Knative's release manifests) of knative-serving or no stated namespace: enabled there, the field is not judged; disabled there, a warning naming the file; storageUri pvc:// is not judged (KServe mounts it at pod admission, after Knative validated the revision); a Knative Service's or Configuration's spec.template.spec is judged the same way, its webhook refusing the object itself (an error where the tree's config-features or KnativeServing leaves the flag off, else a warning)",
  example:
    '`serving.kserve.io/deploymentMode: Serverless` with a predictor volume `persistentVolumeClaim:` and `kubernetes.podspec-persistent-volume-claim: disabled` in config-features',
  fix: 'enable the flag in the KnativeServing (spec.config.features.<flag>: enabled, which the Knative operator writes into config-features), or remove the field, or serve in RawDeployment mode',
  source:
    'knative/serving pkg/apis/serving/fieldmask.go (PodSpecMask, VolumeMask, VolumeSourceMask drop each gated field unless its flag is not Disabled) and k8s_validation.go ValidatePodSpec ("must not set the field(s)"); pkg/apis/config/features.go defaultFeaturesConfig (all Disabled but emptyDir); opendatahub-operator knative-serving.tmpl.yaml for the flags OpenShift AI turns on; kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go GetDeploymentMode (the annotation, else the inferenceservice-config default) and charts/kserve-resources values.yaml kserve.controller.deploymentMode; kustomize api/kv/kv.go (a configMapGenerator literal KEY=VALUE, split at the first =) and its generator behavior merge (the keys added to the ConfigMap of a base)',
  check(o, ctx) {
    if (o.manifest.kind !== 'InferenceService') return knativeTemplateProblems(o, ctx);
    const { graph, platform } = ctx;
    const mode = knativeMode(o.manifest, platform, graph);
    if (!mode) return [];
    const spec = mapping(o.manifest.spec);
    const runtime = graph.runtimeOf(o.manifest);
    const fields = [
      ...COMPONENTS.flatMap((c) => gatedFieldsOf(mapping(spec[c]), `spec.${c}`)),
      ...(runtime ? gatedFieldsOf(mapping(runtime.manifest.spec), `ServingRuntime ${text(mapping(runtime.manifest.metadata).name) ?? ''} spec`) : []),
    ];
    const features = treeFeatures(graph);
    return fields.flatMap((f): Problem[] => {
      const verdict = flagVerdict(f.flag, features, platform);
      if (verdict.lets) return [];
      const effect = `Knative refuses it unless ${f.flag} is enabled, so KServe's Knative Service gets no revision and the service never becomes ready`;
      if (mode === 'certain' && !verdict.assumed) {
        return [
          {
            message: `${f.where} is set in Knative mode and ${features.sources.join(', ')} ${features.sources.length > 1 ? 'leave' : 'leaves'} ${f.flag} off: ${effect}; enable it in the KnativeServing (spec.config.features) or drop the field`,
          },
        ];
      }
      const assumptions = [
        ...(mode === 'assumed' ? ["the service runs in Knative mode (no deploymentMode annotation; the platform's default)"] : []),
        ...(verdict.assumed ? [`${f.flag} is as in ${verdict.assumed}`] : []),
      ];
      return [
        {
          severity: 'warning',
          message: `${f.where} is set: ${effect}. Assumed: ${assumptions.join('; ')}. Enable it in the KnativeServing knative-serving (spec.config.features.${f.flag}: enabled), or drop the field`,
        },
      ];
    });
  },
};
