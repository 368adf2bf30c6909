import { Loose, mapping, mappings, stringMap, text } from '../../manifests/access';
import { DEPLOYMENT_MODE_ANNOTATION } from '../../k8s/keys';
import { modelSpecOf, storageLocationOf } from '../serving-model';
import { Rule } from '../rule';

/** Where KServe's storage initializer puts the model in the serving container (kserve pkg/constants DefaultModelLocalMountPath). */
const MODEL_PATH = '/mnt/models';
/** The volume KServe mounts there: the download's emptyDir, or for pvc:// the claim itself (constants StorageInitializerVolumeName, PvcSourceMountName). */
const DOWNLOAD_VOLUME = 'kserve-provision-location';
const PVC_VOLUME = 'kserve-pvc-source';

const trimmed = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

export const modelMountConflict: Rule = {
  id: 'model-mount-conflict',
  title: "the serving container mounts a volume of its own at /mnt/models, where KServe's storage initializer mounts the model",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the InferenceService's predictor has a model location (storageUri, storage.path or a STORAGE_URI env of kserve-container) that is not an oci:// modelcar, and kserve-container, merged from its ServingRuntime or ClusterServingRuntime and the predictor, mounts at /mnt/models a volume not named kserve-provision-location (kserve-pvc-source for pvc://); a predictor that already carries a storage-initializer init container, or a ModelMesh service, is not judged",
  example: 'a runtime container with `mountPath: /mnt/models` for `name: model-cache` and a service with `storageUri: s3://models/granite/`',
  fix: 'remove the volumeMount at /mnt/models (KServe provides it), or mount the cache elsewhere and point the server at that path',
  source:
    'kserve pkg/webhook/admission/pod/storage_initializer_injector.go (CommonStorageInitialization): for one storage URI the webhook adds volume kserve-provision-location (pvc://: kserve-pvc-source, the claim) mounted at /mnt/models to kserve-container, skipping only a mount of that same name (pkg/utils/storage.go addVolumeMountToContainer); oci:// goes to the modelcar path instead; Kubernetes pod validation (ValidateVolumeMounts) refuses two mounts at one path ("must be unique"), so the pod is never created',
  check(o, { graph }) {
    const m = o.manifest;
    const predictor = mapping(mapping(m.spec).predictor);
    const location = storageLocationOf(m);
    if (!location || location.startsWith('oci://') || location.startsWith('oci+')) return [];
    // ModelMesh loads models through its own puller, not the pod webhook's initializer
    if (stringMap(mapping(m.metadata).annotations)[DEPLOYMENT_MODE_ANNOTATION] === 'ModelMesh') return [];
    if (mappings(predictor.initContainers).some((c) => c.name === 'storage-initializer')) return [];
    const runtime = graph.runtimeOf(o.manifest);
    const runtimeMounts = mappings(mapping(runtime?.manifest.spec).containers)
      .filter((c) => c.name === 'kserve-container')
      .flatMap((c) => mappings(c.volumeMounts));
    const ownMounts = [
      ...mappings(modelSpecOf(m).volumeMounts),
      ...mappings(predictor.containers)
        .filter((c) => c.name === 'kserve-container')
        .flatMap((c) => mappings(c.volumeMounts)),
    ];
    const ours = location.startsWith('pvc://') ? PVC_VOLUME : DOWNLOAD_VOLUME;
    const atModels = (v: Loose) => trimmed(text(v.mountPath) ?? '') === MODEL_PATH && v.name !== ours;
    const clash = ownMounts.find(atModels) ?? runtimeMounts.find(atModels);
    if (!clash) return [];
    const fromRuntime = !ownMounts.includes(clash);
    const where = fromRuntime && runtime ? `${graph.id(runtime)} gives kserve-container` : 'kserve-container has';
    return [
      {
        message:
          `${where} a volumeMount '${String(clash.name)}' at ${MODEL_PATH}, and the model location ${location} makes KServe's webhook mount its own volume ${ours} there too: ` +
          `the API server refuses the pod (spec.containers[].volumeMounts: mountPath must be unique) and the predictor never starts; remove that mount (KServe provides ${MODEL_PATH}) or mount the volume elsewhere`,
      },
    ];
  },
};
