import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containersOf } from '../pods';
import { componentContainers, templateContainers } from '../pod-templates';
import { ANY_KIND, Rule } from '../rule';

/** Which half of an S3 key pair a name stands for: the access key ID (a user name to MinIO) or the secret key (its password). */
type Half = 'access key' | 'secret key';

/**
 * The half an S3 or MinIO variable sets (AWS CLI/SDK: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; MinIO:
 * MINIO_ROOT_USER, MINIO_ROOT_PASSWORD and the older MINIO_ACCESS_KEY, MINIO_SECRET_KEY; S3_ACCESS_KEY(_ID),
 * S3_SECRET(_ACCESS)_KEY), or undefined for any other variable.
 */
function variableHalf(name: string): Half | undefined {
  const n = name.toUpperCase();
  if (!/^(AWS|MINIO|S3)_/.test(n)) return undefined;
  if (/^(AWS|MINIO|S3)_(SECRET_ACCESS_KEY|SECRET_KEY|ROOT_PASSWORD)$/.test(n)) return 'secret key';
  if (/^(AWS|MINIO|S3)_(ACCESS_KEY_ID|ACCESS_KEY|ROOT_USER)$/.test(n)) return 'access key';
  return undefined;
}

/**
 * The half a Secret's key is named for: the secret key (`AWS_SECRET_ACCESS_KEY`, `secretkey`, `MINIO_ROOT_PASSWORD`,
 * `password`) or the access key (`AWS_ACCESS_KEY_ID`, `accesskey`, `MINIO_ROOT_USER`, `user`); undefined for a
 * name that says neither (`key`, `credentials`). The secret words are tried first: `SECRET_ACCESS_KEY` holds `ACCESS_KEY`.
 */
function keyHalf(key: string): Half | undefined {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/secretaccesskey$|secretkey$|rootpassword$|^password$/.test(k)) return 'secret key';
  if (/accesskeyid$|accesskey$|rootuser$|^user(name)?$/.test(k)) return 'access key';
  return undefined;
}

/** A slot reading one half of the pair from a Secret key named for the other: where, the slot, the key, the Secret. */
interface Swap {
  readonly slot: string;
  readonly key: string;
  readonly secret: string;
  readonly wants: Half;
}

/** The DSPA's s3CredentialsSecret (external storage or its own MinIO): accessKey and secretKey name the Secret's keys. */
function pipelineSwaps(m: Loose): Swap[] {
  const storage = mapping(mapping(m.spec).objectStorage);
  return (['externalStorage', 'minio'] as const).flatMap((where) => {
    const ref = mapping(mapping(storage[where]).s3CredentialsSecret);
    const secret = text(ref.secretName) ?? '';
    return (
      [
        ['accessKey', 'access key'],
        ['secretKey', 'secret key'],
      ] as const
    ).flatMap(([field, wants]): Swap[] => {
      const key = text(ref[field]);
      // the key's half matters only for a variable of one half
      const has = key === undefined || !wants ? undefined : keyHalf(key);
      return key !== undefined && has !== undefined && has !== wants
        ? [{ slot: `spec.objectStorage.${where}.s3CredentialsSecret.${field}`, key, secret, wants }]
        : [];
    });
  });
}

/** Env entries of any container that read one half of the pair from a Secret key named for the other. */
function envSwaps(m: Loose): Swap[] {
  const containers = [
    ...containersOf(m).map(({ name, container }) => ({ where: `container '${name}'`, container })),
    ...templateContainers(m).map(({ where, container }) => ({ where, container })),
    ...componentContainers(m).map(({ where, container }) => ({ where, container })),
  ];
  return containers.flatMap(({ where, container }) =>
    mappings(container.env).flatMap((e): Swap[] => {
      const ref = mapping(mapping(e.valueFrom).secretKeyRef);
      const name = text(e.name) ?? '';
      const key = text(ref.key);
      const wants = variableHalf(name);
      // the key's half matters only for a variable of one half
      const has = key === undefined || !wants ? undefined : keyHalf(key);
      return key !== undefined && wants && has && has !== wants ? [{ slot: `${where} env ${name}`, key, secret: text(ref.name) ?? '', wants }] : [];
    }),
  );
}

export const credentialKeysSwapped: Rule = {
  id: 'credential-keys-swapped',
  title: 'an S3/MinIO access key slot reads the Secret key named for the secret key, or the reverse: authentication fails',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a DataSciencePipelinesApplication's objectStorage (externalStorage or minio) s3CredentialsSecret.accessKey names a Secret key called for the secret key (AWS_SECRET_ACCESS_KEY, secretkey, MINIO_ROOT_PASSWORD, password), or its secretKey one called for the access key (AWS_ACCESS_KEY_ID, accesskey, MINIO_ROOT_USER, user); or a container's env AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, MINIO_ACCESS_KEY, MINIO_SECRET_KEY or S3_… reads with secretKeyRef a key named for the other half; a key whose name says neither half (`key`, `creds`) is not judged",
  example: '`s3CredentialsSecret: {secretName: pipelines-s3, accessKey: AWS_SECRET_ACCESS_KEY, secretKey: AWS_ACCESS_KEY_ID}`',
  fix: 'point each slot at the key of its own half (accessKey: AWS_ACCESS_KEY_ID, secretKey: AWS_SECRET_ACCESS_KEY), or rename the Secret keys to say what they hold',
  source:
    'data-science-pipelines-operator api/v1/dspipeline_types.go S3CredentialSecret (accessKey and secretKey are the keys of the Secret whose values the operator passes on as the access key and the secret key); the AWS SDKs read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, MinIO MINIO_ROOT_USER and MINIO_ROOT_PASSWORD: with the halves swapped every request is refused (InvalidAccessKeyId / SignatureDoesNotMatch), so the DSPA never becomes Ready and the pod cannot reach its bucket',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    const swaps = m.kind === 'DataSciencePipelinesApplication' ? pipelineSwaps(m) : envSwaps(m);
    if (!swaps.length) return [];
    const said = swaps.map(
      (s) => `${s.slot} (the ${s.wants}) reads key '${s.key}' of Secret '${s.secret}', named for the ${s.wants === 'access key' ? 'secret key' : 'access key'}`,
    );
    return [
      {
        message:
          `${said.join('; ')}: the access key ID and the secret key are swapped, so the object store refuses every request (InvalidAccessKeyId, SignatureDoesNotMatch)` +
          (m.kind === 'DataSciencePipelinesApplication' ? ' and the DSPA never becomes Ready' : ' and the container cannot reach its bucket') +
          '; point each slot at the key of its own half',
      },
    ];
  },
};
