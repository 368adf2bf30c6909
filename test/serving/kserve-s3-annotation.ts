import { runChecks } from '../../lib';

/** kserve-s3-annotation-invalid: the S3 annotations KServe reads on a storage Secret (kserve pkg/credentials/s3). */
const found = (annotations: Record<string, string>, platform: 'rhoai-2' | 'rhoai-3.0' = 'rhoai-3.0') =>
  runChecks([{ manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3', namespace: 'llm', annotations } } }], {
    platform,
    rules: ['kserve-s3-annotation-invalid'],
  }).map((f) => f.message);

describe('kserve-s3-annotation-invalid', () => {
  test('an endpoint with a scheme on a release that prefixes its own (OpenShift AI 2.x): the URL KServe builds, by s3-usehttps', () => {
    expect(found({ 'serving.kserve.io/s3-endpoint': 'http://minio:9000' }, 'rhoai-2')).toEqual([
      expect.stringMatching(/AWS_ENDPOINT_URL=https:\/\/http:\/\/minio:9000 .*write 'minio:9000' and serving\.kserve\.io\/s3-usehttps: "0"$/),
    ]);
    expect(found({ 'serving.kserve.io/s3-endpoint': 'https://s3.example.com', 'serving.kserve.io/s3-usehttps': '0' }, 'rhoai-2')).toEqual([
      expect.stringMatching(/AWS_ENDPOINT_URL=http:\/\/https:\/\/s3\.example\.com .*write 's3\.example\.com'$/),
    ]);
    // OpenShift AI 3.0's KServe keeps a written http:// or https:// and takes use-https from it
    expect(found({ 'serving.kserve.io/s3-endpoint': 'http://minio:9000' })).toEqual([]);
  });

  test('misspelled keys name the one KServe reads', () => {
    expect(
      found({
        'serving.kserve.io/s3-use-https': '1',
        'serving.kserve.io/s3-verify-ssl': '0',
        'serving.kserve.io/s3-regoin': 'eu',
        'serving.kserve.io/s3-cabundle_configmap': 'ca',
      }),
    ).toEqual([
      expect.stringMatching(/s3-cabundle_configmap .*write serving\.kserve\.io\/s3-cabundle-configmap$/),
      expect.stringMatching(/s3-regoin .*write serving\.kserve\.io\/s3-region$/),
      expect.stringMatching(/s3-verify-ssl .*write serving\.kserve\.io\/s3-verifyssl$/),
      // a warning: "1" asks for KServe's default, https
      expect.stringMatching(/s3-use-https .*write serving\.kserve\.io\/s3-usehttps$/),
    ]);
  });

  test('the keys KServe reads, a host:port endpoint, a key far from any, other annotations: nothing', () => {
    expect(
      found({
        'serving.kserve.io/s3-endpoint': 'minio.minio.svc:9000',
        'serving.kserve.io/s3-usehttps': '0',
        'serving.kserve.io/s3-verifyssl': '0',
        'serving.kserve.io/s3-useanoncredential': 'false',
        'serving.kserve.io/s3-cabundle': '/etc/ssl/ca.crt',
        'serving.kserve.io/s3-bucket-policy': 'x',
        'opendatahub.io/connection-type': 's3',
      }),
    ).toEqual([]);
  });
});
