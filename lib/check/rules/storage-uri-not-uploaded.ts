import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { S3Upload, s3Uploads } from '../../manifests/s3-uploads';
import { ObjectGraph } from '../graph';
import { storageLocationSplit } from '../model-location';
import { podSpecsWithPrefix } from '../pod-specs';
import { Rule } from '../rule';

/** An upload found in the tree, with where it is written. */
type Located = S3Upload & { readonly where: string };

/** The env a container sets with literal values, by name. */
function literalEnv(container: Loose): Map<string, string> {
  return new Map(mappings(container.env).flatMap((e) => (typeof e.value === 'string' ? [[String(e.name), e.value] as [string, string]] : [])));
}

/**
 * The library's ModelUploadJob container: upload_model.py writes the model under S3_BUCKET/S3_PREFIX and takes the
 * model from HF_REPO (lib/jobs/model-upload-job.ts uploadEnv).
 */
function libraryUpload(env: ReadonlyMap<string, string>): S3Upload | undefined {
  const bucket = env.get('S3_BUCKET');
  const prefix = env.get('S3_PREFIX');
  if (!env.has('HF_REPO') || bucket === undefined || prefix === undefined) return undefined;
  return { bucket, prefix: prefix.replace(/^\/+|\/+$/g, ''), line: 0 };
}

/** The uploads the workloads' containers and the ConfigMaps' scripts of the tree write. */
function objectUploads(graph: ObjectGraph): Located[] {
  const found: Located[] = [];
  for (const o of graph.objects) {
    const id = `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? ''}`;
    if (o.manifest.kind === 'ConfigMap')
      for (const [key, value] of Object.entries(mapping(o.manifest.data)))
        if (typeof value === 'string') found.push(...s3Uploads(value).map((u) => ({ ...u, where: `${id} ${key}:${u.line}` })));
    for (const { spec } of podSpecsWithPrefix(o.manifest))
      for (const c of [...mappings(spec.initContainers), ...mappings(spec.containers)]) {
        const env = literalEnv(c);
        const own = libraryUpload(env);
        const script = [...strings(c.command), ...strings(c.args)].join('\n');
        for (const u of [...(own ? [own] : []), ...s3Uploads(script, env)]) found.push({ ...u, where: `${id} container '${text(c.name) ?? ''}'` });
      }
  }
  return found;
}

/** Every upload of the tree: its scripts', its workloads' and its ConfigMaps'. */
function treeUploads(graph: ObjectGraph): Located[] {
  return [...graph.scriptS3Uploads.map((u) => ({ ...u, where: `${u.script}:${u.line}` })), ...objectUploads(graph)];
}

/** Whether a key prefix P and Q overlap: the same, one under the other. */
function overlaps(p: string, q: string): boolean {
  return p === q || p === '' || q === '' || q.startsWith(`${p}/`) || p.startsWith(`${q}/`);
}

export const storageUriNotUploaded: Rule = {
  id: 'storage-uri-not-uploaded',
  title: "an InferenceService reads s3://B/Q where the tree's only uploader writes s3://B/P: the storage initializer finds no objects",
  severity: 'warning',
  appliesTo: ['InferenceService'],
  premise:
    "the tree uploads to S3 in exactly one place (one destination): a script or container line `aws s3 cp|sync SRC s3://B/P`, `s5cmd cp SRC s3://B/P`, `mc cp|mirror SRC ALIAS/B/P`, or the library's ModelUploadJob (its container's S3_BUCKET and S3_PREFIX), with variables resolved from the script's own assignments (VAR=value, export VAR=value, ${VAR:-default}) and the container's literal env; an InferenceService's s3:// storageUri names the same bucket B and a prefix Q that is neither P, under P nor above it, and no other object of the tree names Q. Not judged: any upload whose destination is not resolved, several upload destinations, another bucket (written elsewhere)",
  example:
    '`BUCKET=models`, `MODEL_DIR=${MODEL_DIR:-granite-3b}` and `aws s3 sync /data/granite s3://$BUCKET/$MODEL_DIR` in a Job, and `storageUri: s3://models/granite/3b` on the InferenceService',
  fix: 'make storageUri name the prefix the uploader writes (s3://B/P or a folder under it), or upload to the prefix the InferenceService reads',
  source:
    'kserve python/kserve/kserve/storage/storage.py _download_s3 (lists the objects under the URI\'s prefix and raises "Failed to fetch model. No model found in <uri>" when none matches); the storage initializer fails and the predictor pod never starts',
  check(o, { graph }) {
    const at = storageLocationSplit(o.manifest);
    if (!at || at.scheme !== 's3') return [];
    // the tree's uploads are the same for every InferenceService of the run: found once
    const uploads = graph.once('storage-uri-not-uploaded uploads', () => treeUploads(graph));
    if (!uploads.length || uploads.some((u) => u.bucket === undefined || u.prefix === undefined)) return [];
    const destinations = new Set(uploads.map((u) => `${u.bucket}/${u.prefix}`));
    const [up] = uploads;
    if (destinations.size !== 1 || up.bucket !== at.root) return [];
    const q = at.segments.join('/');
    const p = up.prefix ?? '';
    if (overlaps(p, q)) return [];
    // another object naming the prefix (as a whole path, not part of a longer name) may write it in a way not read here
    const named = new RegExp(`(^|[^\\w.-])${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`);
    if (graph.objects.some((x) => x !== o && x.manifest.kind !== 'InferenceService' && named.test(JSON.stringify(x.manifest)))) return [];
    return [
      {
        message: `storageUri '${at.uri}': KServe's storage initializer finds no objects under s3://${at.root}/${q} (the tree uploads to s3://${up.bucket}/${p}, ${up.where}), so the download fails and the predictor never starts; write storageUri: s3://${up.bucket}/${p} or upload to ${q}`,
      },
    ];
  },
};
