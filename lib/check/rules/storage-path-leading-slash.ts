import { isModelMesh, listsByPrefix, modelMeshStorageOf, modelMeshStorageType } from '../modelmesh-storage';
import { Rule } from '../rule';

export const storagePathLeadingSlash: Rule = {
  id: 'storage-path-leading-slash',
  title:
    "a ModelMesh service's storage.path begins with '/', which ModelMesh passes on as the object-key prefix: S3, GCS and Azure keys do not begin with one, so nothing is downloaded",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the service is a ModelMesh one (deploymentMode ModelMesh), its storage.path begins with '/', and its storage type is S3, GCS or Azure: storage.parameters.type, the type of the tree's storage-config entry its key names, or on OpenShift AI a dashboard data connection key (aws-connection-…, S3); PVC and HTTP storage join the path and are not judged, nor a storageUri (ModelMesh strips its leading '/')",
  example: '`storage: {key: aws-connection-s3-creds, path: /onnx/model.onnx}` on a ModelMesh service',
  fix: "write the path relative to the bucket, without the leading '/' (onnx/model.onnx)",
  source:
    'modelmesh-serving pkg/predictor_source/inferenceservice_registry.go processInferenceServiceStorage (storage.path passed as is; only a storageUri path is trimmed of its leading slash); modelmesh-runtime-adapter pullman/storageproviders/s3 listObjects (the path is the ListObjectsV2 prefix; an empty listing downloads nothing, "no objects to download")',
  check(o, { graph, platform }) {
    if (!isModelMesh(o.manifest)) return [];
    const s = modelMeshStorageOf(o.manifest);
    if (s.uri !== undefined || !s.path?.startsWith('/')) return [];
    const type = modelMeshStorageType(graph, o.manifest, platform);
    if (!listsByPrefix(type)) return [];
    const relative = s.path.replace(/^\/+/, '');
    return [
      {
        message:
          `spec.predictor.model.storage.path '${s.path}' begins with '/': ModelMesh hands it to the ${type} puller as the object-key prefix, and object keys are written without one, ` +
          `so the listing finds nothing ("no objects to download") and the model fails to load; write '${relative}'`,
      },
    ];
  },
};
