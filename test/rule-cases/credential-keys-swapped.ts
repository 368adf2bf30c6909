import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const found = (doc: Doc) => runChecks([{ manifest: doc }], { platform: 'kserve' }).filter((f) => f.rule === 'credential-keys-swapped');

const job = (env: [string, string][]): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'sync', namespace: 'ml' },
  spec: {
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'sync', image: 'quay.io/team/sync:1.0', env: env.map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 's3', key } } })) },
        ],
      },
    },
  },
});
const dspa = (accessKey: string, secretKey: string, where = 'externalStorage'): Doc => ({
  apiVersion: 'datasciencepipelinesapplications.opendatahub.io/v1',
  kind: 'DataSciencePipelinesApplication',
  metadata: { name: 'dspa', namespace: 'ml' },
  spec: { objectStorage: { [where]: { host: 'minio.ml.svc', bucket: 'p', scheme: 'http', s3CredentialsSecret: { secretName: 's3', accessKey, secretKey } } } },
});

describe('credential-keys-swapped', () => {
  test.each([
    [
      'AWS names, both ways',
      [
        ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
        ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'],
      ],
      2,
    ],
    ['MinIO root names into AWS variables', [['AWS_ACCESS_KEY_ID', 'MINIO_ROOT_PASSWORD']], 1],
    [
      'lower-case keys into MinIO variables',
      [
        ['MINIO_ROOT_USER', 'secretkey'],
        ['MINIO_ROOT_PASSWORD', 'accesskey'],
      ],
      2,
    ],
    ['user/password keys', [['MINIO_ACCESS_KEY', 'password']], 1],
  ] as const)('%s: one error naming each swapped slot', (_, env, slots) => {
    const [f, ...rest] = found(job(env.map(([a, b]) => [a, b])));
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.message.split('; ').filter((s) => s.includes(' reads key '))).toHaveLength(slots);
    expect(f.message).toContain(
      `container 'sync' env ${env[0][0]} (the ${env[0][0].includes('SECRET') || env[0][0].includes('PASSWORD') ? 'secret' : 'access'} key) reads key '${env[0][1]}' of Secret 's3'`,
    );
  });

  test("a DSPA's own MinIO, swapped: the slot is named with its path", () => {
    expect(found(dspa('secretkey', 'accesskey', 'minio')).map((f) => f.message.slice(0, 96))).toEqual([
      "spec.objectStorage.minio.s3CredentialsSecret.accessKey (the access key) reads key 'secretkey' of",
    ]);
  });

  test.each([
    [
      'the right halves',
      [
        ['AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID'],
        ['AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY'],
      ],
    ],
    [
      'MinIO names to their own halves',
      [
        ['AWS_ACCESS_KEY_ID', 'MINIO_ROOT_USER'],
        ['AWS_SECRET_ACCESS_KEY', 'root-password'],
      ],
    ],
    [
      'a key that names neither half',
      [
        ['AWS_SECRET_ACCESS_KEY', 'credential'],
        ['AWS_ACCESS_KEY_ID', 'id'],
      ],
    ],
    [
      'a variable outside the S3 family',
      [
        ['DB_PASSWORD', 'user'],
        ['HF_TOKEN', 'AWS_SECRET_ACCESS_KEY'],
      ],
    ],
  ] as const)('near miss, %s: nothing', (_, env) => {
    expect(found(job(env.map(([a, b]) => [a, b])))).toEqual([]);
  });

  test('a DSPA with its keys the right way round: nothing', () => {
    expect(found(dspa('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'))).toEqual([]);
  });
});
