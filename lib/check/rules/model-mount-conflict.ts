import { Loose, mapping, mappings, text } from '../../manifests/access';
import { isModelMesh } from '../modelmesh-storage';
import { customServingContainer, emptyStorageUriField, modelSpecOf, storageLocationOf } from '../serving-model';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';
import { Platform } from '../platform';
import { autoSelectedRuntime } from '../auto-selected-runtime';

/** Where KServe's storage initializer puts the model in the serving container (kserve pkg/constants DefaultModelLocalMountPath). */
const MODEL_PATH = '/mnt/models';
/** The volume KServe mounts there: the download's emptyDir, or for pvc:// the claim itself (constants StorageInitializerVolumeName, PvcSourceMountName). */
const DOWNLOAD_VOLUME = 'kserve-provision-location';
const PVC_VOLUME = 'kserve-pvc-source';

const trimmed = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** A volumeMount of kserve-container at /mnt/models that collides with the one KServe's webhook adds for the service's model location. */
export interface ModelPathClash {
  /** The location as written: '' for an empty storageUri, which KServe still treats as set. */
  readonly location: string;
  /** The volume KServe mounts at /mnt/models for that location. */
  readonly ours: string;
  readonly clash: Loose;
  /** The ServingRuntime whose container carries the mount, when the service's own spec does not. */
  readonly runtime?: GraphObject;
}

/** The service's model location as KServe's webhook sees it: set (even to '') and not an oci:// modelcar; undefined when no initializer is injected. */
function initializerLocation(m: Loose): string | undefined {
  const location = storageLocationOf(m) ?? (emptyStorageUriField(m) ? '' : undefined);
  if (location === undefined || location.startsWith('oci://') || location.startsWith('oci+')) return undefined;
  // ModelMesh loads models through its own puller, not the pod webhook's initializer
  if (isModelMesh(m)) return undefined;
  if (mappings(mapping(mapping(m.spec).predictor).initContainers).some((c) => c.name === 'storage-initializer')) return undefined;
  return location;
}

/** The mount of kserve-container (the service's own first, then its runtime's) at /mnt/models that KServe's injected mount collides with. */
export function modelPathClash(o: GraphObject, graph: ObjectGraph, platform: Platform): ModelPathClash | undefined {
  const m = o.manifest;
  const location = initializerLocation(m);
  if (location === undefined) return undefined;
  const runtime = graph.runtimeOf(m) ?? autoSelectedRuntime(m, graph, platform);
  const runtimeMounts = mappings(mapping(runtime?.manifest.spec).containers)
    .filter((c) => c.name === 'kserve-container')
    .flatMap((c) => mappings(c.volumeMounts));
  const ownMounts = [...mappings(modelSpecOf(m).volumeMounts), ...mappings(customServingContainer(m)?.volumeMounts)];
  const ours = location.startsWith('pvc://') ? PVC_VOLUME : DOWNLOAD_VOLUME;
  const atModels = (v: Loose) => trimmed(text(v.mountPath) ?? '') === MODEL_PATH && v.name !== ours;
  const own = ownMounts.find(atModels);
  if (own) return { location, ours, clash: own };
  const clash = runtimeMounts.find(atModels);
  return clash ? { location, ours, clash, runtime } : undefined;
}

export const modelMountConflict: Rule = {
  id: 'model-mount-conflict',
  title: "the serving container mounts a volume of its own at /mnt/models, where KServe's storage initializer mounts the model",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the InferenceService's predictor has a model location (storageUri, storage.path or a STORAGE_URI env of kserve-container; an empty storageUri counts, since KServe tests it for nil) that is not an oci:// modelcar, and kserve-container, merged from its ServingRuntime or ClusterServingRuntime (the one it names, or, naming none, the ServingRuntime of the tree in its namespace KServe auto-selects for its model format) and the predictor (its container named kserve-container, or a sole or unnamed first container, which KServe's defaulter names so), mounts at /mnt/models a volume not named kserve-provision-location (kserve-pvc-source for pvc://); a predictor that already carries a storage-initializer init container, or a ModelMesh service, is not judged",
  example: 'a runtime container with `mountPath: /mnt/models` for `name: model-cache` and a service with `storageUri: s3://models/granite/`',
  fix: 'remove the volumeMount at /mnt/models (KServe provides it), or mount the cache elsewhere and point the server at that path; an empty storageUri written to keep KServe out: remove the field',
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/components/predictor.go (the storage-initializer annotations are added when GetStorageUri() != nil, so also for ""); pkg/webhook/admission/pod/storage_initializer_injector.go (CommonStorageInitialization): for one storage URI the webhook adds volume kserve-provision-location (pvc://: kserve-pvc-source, the claim) mounted at /mnt/models to kserve-container, skipping only a mount of that same name (pkg/utils/storage.go addVolumeMountToContainer); oci:// goes to the modelcar path instead; pkg/apis/serving/v1beta1 predictor_model.go GetSupportingRuntimes (auto-selection: runtimes of the namespace first) and predictor_custom.go CustomPredictor.Default (a sole container becomes kserve-container); Kubernetes pod validation (ValidateVolumeMounts) refuses two mounts at one path ("must be unique"), so the pod is never created',
  check(o, { graph, platform }) {
    const found = modelPathClash(o, graph, platform);
    if (!found) return [];
    const { location, ours, clash, runtime } = found;
    const where = runtime ? `${graph.id(runtime)} gives kserve-container` : 'kserve-container has';
    const field = emptyStorageUriField(o.manifest);
    const what =
      location === '' && field
        ? `${field} is the empty string, which KServe treats as set (it tests for nil), so its webhook still mounts its own volume ${ours} there`
        : `the model location ${location} makes KServe's webhook mount its own volume ${ours} there too`;
    const remedy =
      location === ''
        ? `remove ${field ?? 'the empty storageUri'} (it only brings KServe's initializer in) or give it a URI and drop the mount`
        : `remove that mount (KServe provides ${MODEL_PATH}) or mount the volume elsewhere`;
    return [
      {
        message:
          `${where} a volumeMount '${String(clash.name)}' at ${MODEL_PATH}, and ${what}: ` +
          `the API server refuses the pod (spec.containers[].volumeMounts: mountPath must be unique) and the predictor never starts; ${remedy}`,
      },
    ];
  },
};
