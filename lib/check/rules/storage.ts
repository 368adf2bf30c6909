import { memoryMiB } from '../../private/quantity';
import { containersOf, GraphObject, ObjectGraph, podSpecOf, storageLocationOf } from '../graph';
import { error, Rule, RuleResult, warning } from '../rule';

const STORAGE_SECRET_ANNOTATION = 'serving.kserve.io/storageSecretName';
const CONNECTIONS_ANNOTATION = 'opendatahub.io/connections';

/** An S3 model with no way for the storage-initializer to get credentials. */
export const storageCredentialsMissing: Rule = {
  id: 'storage-credentials-missing',
  title: 'an InferenceService loads from S3 with no credential path at all, or names a storage key that the storage-config Secret of the tree lacks',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const m = o.manifest;
      const location = storageLocationOf(m);
      if (!location?.startsWith('s3://')) continue;
      const model = m.spec?.predictor?.model ?? {};
      const a = m.metadata?.annotations ?? {};
      const anonymous = model.storage?.parameters?.anonymous === 'true';
      const key = model.storage?.key;
      if (!key && !a[STORAGE_SECRET_ANNOTATION] && !a[CONNECTIONS_ANNOTATION] && !m.spec?.predictor?.serviceAccountName && !anonymous) {
        out.push(error(o, `weights come from ${location} but nothing gives the storage-initializer credentials: set spec.predictor.model.storage.key to the connection Secret's name `
          + `(or the ${CONNECTIONS_ANNOTATION} annotation, or a serviceAccountName whose Secrets hold AWS_SECRET_ACCESS_KEY); the download fails with "Unable to locate credentials"`));
        continue;
      }
      const secretName = a[STORAGE_SECRET_ANNOTATION] ?? 'storage-config';
      const storageConfig = key ? graph.find('Secret', secretName, m.metadata?.namespace) : undefined;
      if (storageConfig) {
        const keys = new Set([...Object.keys(storageConfig.manifest.data ?? {}), ...Object.keys(storageConfig.manifest.stringData ?? {})]);
        if (!keys.has(key)) {
          out.push(error(o, `spec.predictor.model.storage.key '${key}' is not a key of Secret ${secretName} in the tree (it has ${[...keys].join(', ') || 'none'}); the pod is rejected with "specified storage key ${key} not found in storage secret"`));
        }
      }
    }
    return out;
  },
};

/** Secret references whose Secret is not in the tree: fine when managed outside Git, fatal when forgotten. */
export const secretNotInTree: Rule = {
  id: 'secret-not-in-tree',
  title: 'a Secret named by a secretKeyRef, a secret volume or a storage key is not in the tree (normally created outside Git: make sure it exists)',
  check({ graph }) {
    const out: RuleResult[] = [];
    for (const o of graph.objects) {
      const ns = o.manifest.metadata?.namespace;
      const refs = new Set<string>();
      for (const { container } of containersOf(o.manifest)) {
        for (const e of container.env ?? []) {
          const r = e.valueFrom?.secretKeyRef;
          if (r?.name && !r.optional) refs.add(r.name);
        }
        for (const e of container.envFrom ?? []) if (e.secretRef?.name && !e.secretRef.optional) refs.add(e.secretRef.name);
      }
      for (const v of podSpecOf(o.manifest)?.volumes ?? []) if (v.secret?.secretName && !v.secret.optional) refs.add(v.secret.secretName);
      const key = o.manifest.kind === 'InferenceService' ? o.manifest.spec?.predictor?.model?.storage?.key : undefined;
      if (key) refs.add(key);
      const missing = [...refs].filter((n) => !graph.find('Secret', n, ns)).sort();
      if (missing.length) {
        out.push(warning(o, `references Secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in '${ns}', not defined in the tree; create ${missing.length > 1 ? 'them' : 'it'} before sync (dashboard connection, External Secrets or Sealed Secrets), or the pod fails with CreateContainerConfigError`));
      }
    }
    return out;
  },
};

/** Where model weights land: node ephemeral storage (InferenceService) or a download volume (upload jobs). */
export const modelStorageTooSmall: Rule = {
  id: 'model-storage-too-small',
  title: "the model's weights do not fit where they are downloaded: the pod's ephemeral-storage limit, or the GPU node's root volume",
  check({ graph, models }) {
    const out: RuleResult[] = [];
    for (const o of graph.ofKind('InferenceService')) {
      const location = storageLocationOf(o.manifest);
      const profile = location ? models.get(location) : undefined;
      if (!profile) continue;
      const modelGiB = profile.weightBytes / 2 ** 30;
      const limit = graph.servingContainer(o)?.resources?.limits?.['ephemeral-storage'];
      if (limit !== undefined && (memoryMiB(limit) ?? 0) / 1024 < modelGiB) {
        out.push(error(o, `ephemeral-storage limit ${limit} is below the ${modelGiB.toFixed(1)} GiB of weights the storage-initializer downloads into the pod; the pod is evicted during download: raise the limit above the model size`));
      }
      for (const t of graph.instanceTypesOf(o.manifest)) {
        const volume = machineSetVolumeGiB(graph, t.name);
        // RHCOS, images (the vLLM image is ~15 GB) and logs take roughly 60 GiB of the root volume
        if (volume !== undefined && volume - 60 < modelGiB) {
          out.push(warning(o, `the ${t.name} MachineSet's root volume is ${volume} GiB; after the OS and images about ${volume - 60} GiB stay for the ${modelGiB.toFixed(1)} GiB of weights: raise volumeSize to at least ${Math.ceil(modelGiB + 60)}`));
        }
      }
    }
    return out;
  },
};

function machineSetVolumeGiB(graph: ObjectGraph, instanceType: string): number | undefined {
  const sets = graph.ofKind('MachineSet').filter((o) => o.manifest.spec?.template?.spec?.providerSpec?.value?.instanceType === instanceType);
  const sizes = sets.map((o: GraphObject) => Number(o.manifest.spec.template.spec.providerSpec.value.blockDevices?.[0]?.ebs?.volumeSize ?? 120));
  return sizes.length ? Math.min(...sizes) : undefined;
}

export const STORAGE_RULES = [storageCredentialsMissing, secretNotInTree, modelStorageTooSmall];
