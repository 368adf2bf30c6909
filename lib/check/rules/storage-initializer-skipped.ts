import { mapping, stringMap, text } from '../../manifests/access';
import { modelFieldOf, modelSpecOf } from '../serving-model';
import { Rule } from '../rule';

/**
 * The label whose presence makes KServe's pod mutating webhook skip a namespace: kserve/kserve config/webhook/manifests.yaml,
 * inferenceservice.kserve-webhook-server.pod-mutator `namespaceSelector: {matchExpressions: [{key: control-plane,
 * operator: DoesNotExist}]}`, the same in v0.15.0 to v0.20.0. Kubeflow's manifests label their own namespace
 * `kubeflow` with it (control-plane: kubeflow).
 */
const SKIPPING_LABEL = 'control-plane';
/** Kubeflow's own namespace, which its install labels control-plane: kubeflow (kubeflow/manifests common/kubeflow-namespace/base/namespace.yaml). */
const KUBEFLOW_NAMESPACE = 'kubeflow';

export const storageInitializerSkipped: Rule = {
  id: 'storage-initializer-skipped',
  title:
    "an InferenceService with a storageUri in a namespace labelled control-plane, which KServe's pod webhook skips: no storage initializer or model volume is added, and the model never reaches /mnt/models",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "on upstream KServe, a serving.kserve.io InferenceService whose predictor's model has a storageUri (any scheme: the webhook adds the storage-initializer init container for s3://, gs://, hf://, https:// and the rest, and mounts the claim of a pvc:// URI) is in a namespace of which the tree holds a Namespace carrying the label control-plane (any value); a warning for namespace kubeflow where the tree holds no Namespace of that name (Kubeflow's install labels it control-plane: kubeflow)",
  example: 'an InferenceService in namespace `kubeflow`, whose Namespace carries `control-plane: kubeflow`',
  fix: 'deploy the InferenceService in a namespace without the control-plane label (a user or profile namespace), or drop the label from its Namespace',
  source:
    'kserve/kserve config/webhook/manifests.yaml (v0.15.0 to v0.20.0: the pod-mutator webhook inferenceservice.kserve-webhook-server.pod-mutator has namespaceSelector control-plane DoesNotExist); pkg/webhook/admission/pod/storage_initializer_injector.go InjectStorageInitializer (the init container, and the pvc:// claim mounted at /mnt/models, are added by that webhook only); kubeflow/manifests common/kubeflow-namespace/base/namespace.yaml (namespace kubeflow labelled control-plane: kubeflow)',
  check(o, { graph, platform }) {
    const m = o.manifest;
    if (platform !== 'kserve' || !/^serving\.kserve\.io\//.test(text(m.apiVersion) ?? '')) return [];
    const uri = text(modelSpecOf(m).storageUri);
    if (!uri) return [];
    const ns = graph.namespaceOf(m);
    const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
    const value = namespace ? stringMap(mapping(namespace.manifest.metadata).labels)[SKIPPING_LABEL] : undefined;
    const kubeflow = ns === KUBEFLOW_NAMESPACE && !namespace;
    if (value === undefined && !kubeflow) return [];
    const labelled = namespace
      ? `whose Namespace ${graph.id(namespace)} carries ${SKIPPING_LABEL}: ${value}`
      : `which Kubeflow's install makes with the label ${SKIPPING_LABEL}: kubeflow (the tree does not define the Namespace, so this holds unless it is made without that label)`;
    const what = uri.startsWith('pvc://') ? 'mounts no claim of the pvc:// URI at /mnt/models' : 'injects no storage-initializer init container to download it';
    return [
      {
        ...(kubeflow ? { severity: 'warning' as const } : {}),
        message:
          `${modelFieldOf(m)}.storageUri '${uri}', in namespace '${ns}', ${labelled}: KServe's pod mutating webhook selects only namespaces without that label, so it ${what}, ` +
          `and the model server starts with no model at /mnt/models; ${storageInitializerSkipped.fix}`,
      },
    ];
  },
};
