import { mapping, text } from '../../manifests/access';
import { isModelMesh } from '../modelmesh-storage';
import { emptyStorageUriField, modelSpecOf } from '../serving-model';
import { modelPathClash } from './model-mount-conflict';
import { Rule } from '../rule';

export const storageUriEmpty: Rule = {
  id: 'storage-uri-empty',
  title: "an InferenceService's storageUri is the empty string, which KServe treats as set: its storage initializer is injected with no URI and fails",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    'the predictor\'s model (spec.predictor.model or a framework shorthand) has `storageUri: ""`, or a custom predictor\'s kserve-container sets env STORAGE_URI to ""; not a ModelMesh service, nor one whose /mnt/models mount collides with KServe\'s (model-mount-conflict says that)',
  example: 'a service with `storageUri: ""` whose init container fetches the weights itself',
  fix: 'remove the field when the server or an init container of your own loads the weights; otherwise give the model URI',
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go (`if sourceURI := predictor.GetStorageUri(); sourceURI != nil`: the annotation internal.serving.kserve.io/storage-initializer-sourceuri is set to ""; addStorageInitializerAnnotations refuses a storageUri beside storage.path, "must provide only one of storageUri and storage.path"); pkg/webhook/admission/pod/storage_initializer_injector.go (InjectStorageInitializer injects whenever the annotation exists, with args "" /mnt/models); python/storage/kserve_storage/kserve_storage.py Storage.download ("" is neither local nor a known prefix: "Cannot recognize storage type for", the initializer exits 1)',
  check(o, { graph, platform }) {
    const m = o.manifest;
    const field = emptyStorageUriField(m);
    if (!field) return [];
    if (isModelMesh(m)) return [];
    if (text(mapping(modelSpecOf(m).storage).path) !== undefined) {
      return [
        {
          message: `${field} is the empty string beside storage.path: KServe treats the empty value as set and refuses both ("must provide only one of storageUri and storage.path"), so the predictor is never made; remove ${field}`,
        },
      ];
    }
    // the colliding mount refuses the pod before the initializer runs: one finding, that one
    if (modelPathClash(o, graph, platform)) return [];
    return [
      {
        message:
          `${field} is the empty string, which KServe treats as set (it tests the field for nil): its webhook injects the storage-initializer init container with an empty URI and a volume at /mnt/models, ` +
          `and the initializer exits ("Cannot recognize storage type for"), so the pod never starts; remove the field when the server or an init container of your own loads the weights, or give the model URI`,
      },
    ];
  },
};
