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

export const storageInitializerSkipped: Rule = {
  id: 'storage-initializer-skipped',
  title:
    "an InferenceService with a storageUri in a namespace labelled control-plane, which KServe's pod webhook skips: no storage initializer or model volume is added, and the model never reaches /mnt/models",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "on upstream KServe, a serving.kserve.io InferenceService whose predictor's model has a storageUri (any scheme: the webhook adds the storage-initializer init container for s3://, gs://, hf://, https:// and the rest, and mounts the claim of a pvc:// URI) is in a namespace of which the tree holds a Namespace carrying the label control-plane (any value)",
  example: 'an InferenceService in namespace `kubeflow`, whose Namespace carries `control-plane: kubeflow`',
  fix: 'deploy the InferenceService in a namespace without the control-plane label (a user or profile namespace), or drop the label from its Namespace',
  source:
    'kserve/kserve config/webhook/manifests.yaml (v0.15.0 to v0.20.0: the pod-mutator webhook inferenceservice.kserve-webhook-server.pod-mutator has namespaceSelector control-plane DoesNotExist); pkg/webhook/admission/pod/storage_initializer_injector.go InjectStorageInitializer (the init container, and the pvc:// claim mounted at /mnt/models, are added by that webhook only)',
  check(o, { graph, platform }) {
    const m = o.manifest;
    if (platform !== 'kserve' || !/^serving\.kserve\.io\//.test(text(m.apiVersion) ?? '')) return [];
    const uri = text(modelSpecOf(m).storageUri);
    if (!uri) return [];
    const ns = graph.namespaceOf(m);
    const namespace = ns === undefined ? undefined : graph.find('Namespace', ns);
    const value = namespace ? stringMap(mapping(namespace.manifest.metadata).labels)[SKIPPING_LABEL] : undefined;
    if (value === undefined) return [];
    const what = uri.startsWith('pvc://') ? 'mounts no claim of the pvc:// URI at /mnt/models' : 'injects no storage-initializer init container to download it';
    return [
      {
        message:
          `${modelFieldOf(m)}.storageUri '${uri}', in namespace '${ns}', whose Namespace ${graph.id(namespace!)} carries ${SKIPPING_LABEL}: ${value}: KServe's pod mutating webhook selects only namespaces without that label, so it ${what}, ` +
          `and the model server starts with no model at /mnt/models; ${storageInitializerSkipped.fix}`,
      },
    ];
  },
};
