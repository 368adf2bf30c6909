import { mapping, mappings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { isModelMesh } from '../modelmesh-storage';
import { Problem, Rule } from '../rule';
import { modelFieldOf, modelSpecOf, storageLocationWritten } from '../serving-model';

/** The URI prefixes KServe's default storage initializer takes (kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go SupportedStorageURIPrefixList). */
const SUPPORTED_PREFIXES = [
  'gs://',
  's3://',
  'pvc://',
  'file://',
  'https://',
  'http://',
  'hdfs://',
  'webhdfs://',
  'oci://',
  'oci+native://',
  'oci+fetch://',
  'hf://',
];

/** ValidateStorageURI reads a location with no `word://` in it as a local path and lets it pass. */
const HAS_SCHEME = /\w+?:\/\//;

/** Whether a ClusterStorageContainer of the tree lists the URI among its supportedUriFormats (prefix or regex): it is served by that container. */
function customContainerTakes(graph: ObjectGraph, uri: string): boolean {
  return graph.ofKind('ClusterStorageContainer').some((c) =>
    mappings(mapping(c.manifest.spec).supportedUriFormats).some((f) => {
      const prefix = text(f.prefix);
      const regex = text(f.regex);
      if (prefix && uri.startsWith(prefix)) return true;
      try {
        return regex !== undefined && new RegExp(regex).test(uri);
      } catch {
        return true; // a pattern JavaScript does not read may still match in Go: not judged
      }
    }),
  );
}

function judge(uri: string, field: string): Problem[] {
  if (/\{\{|\$\{|\$\(/.test(uri) || !HAS_SCHEME.test(uri)) return [];
  const scheme = /^([^:/]*:\/\/)/.exec(uri)?.[1];
  if (scheme === 'file://') {
    const path = uri.slice('file://'.length);
    if (path.startsWith('/')) return [];
    return [
      {
        message:
          `${field} is ${uri}, a path relative to wherever it is read: the storage initializer strips file:// and looks for ${path} in its own container (its working directory), where nothing of the model is, and exits ("Local path ${uri} does not exist."), so the pod stays in Init:Error; ` +
          `put the model where the cluster can reach it (a PersistentVolumeClaim as pvc://<claim>/<path>, or s3://, gs://, hf://, oci://)`,
      },
    ];
  }
  if (SUPPORTED_PREFIXES.some((p) => uri.startsWith(p))) return [];
  return [
    {
      message:
        `${field} is ${uri}, whose scheme ${scheme ?? uri.slice(0, uri.indexOf('://') + 3)} KServe's storage initializer does not take (it takes ${SUPPORTED_PREFIXES.join(', ')}, Azure blob URLs and local paths): ` +
        `the controller's ValidateStorageURI fails the reconcile ("storageUri, must be one of: … StorageUri [${uri}] is not supported") and the predictor is never made, unless a ClusterStorageContainer of the cluster lists it in supportedUriFormats; give the model's real location`,
    },
  ];
}

export const storageUriSchemeUnsupported: Rule = {
  id: 'storage-uri-scheme-unsupported',
  title: "an InferenceService's storageUri has a scheme KServe's storage initializer does not take, or is a relative file:// path",
  severity: 'error',
  appliesTo: ['InferenceService'],
  premise:
    "the predictor's storageUri (or a custom container's STORAGE_URI) holds `word://` and starts with none of KServe's prefixes (gs, s3, pvc, file, https, http, hdfs, webhdfs, oci, oci+native, oci+fetch, hf), no ClusterStorageContainer of the tree lists it (prefix or regex of supportedUriFormats), and it holds no template; or it is file:// followed by a relative path, which the initializer looks up in its own container. Not a ModelMesh service (its puller reads storage-config)",
  example: '`storageUri: modelstore://tagger/v3`, or `storageUri: file://./artifacts/scorer`',
  fix: "give the model's real location: pvc://<claim>/<path> for files on a volume, or s3://, gs://, hf://, oci://",
  source:
    'kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go ValidateStorageURI (a ClusterStorageContainer that supports the URI, a location with no scheme, an Azure blob URL, or SupportedStorageURIPrefixList; else v1beta1.UnsupportedStorageURIFormatError, and predictor.go fails the reconcile); python/storage/kserve_storage/kserve_storage.py Storage.download and _download_local (file:// stripped, "Local path %s does not exist.")',
  check(o, { graph }) {
    const m = o.manifest;
    if (isModelMesh(m)) return [];
    const uri = storageLocationWritten(m);
    if (!uri || customContainerTakes(graph, uri)) return [];
    const field = text(modelSpecOf(m).storageUri) === uri ? `${modelFieldOf(m)}.storageUri` : "kserve-container's env STORAGE_URI";
    return judge(uri, field);
  },
};
