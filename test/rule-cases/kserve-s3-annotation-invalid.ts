import { runChecks } from '../../lib';
import type { Platform } from '../../lib/check/platform';

/**
 * kserve-s3-annotation-invalid by the KServe release judged: kserve/kserve pkg/credentials/s3/utils.go
 * getEndpointConfiguration (v0.17.0 on; red-hat-data-services/kserve rhoai-3.0 on) keeps a written http:// or https://
 * and takes use-https from it, while earlier releases (OpenShift AI 2.x, upstream before 0.17) prefix their own scheme.
 */
type Doc = Record<string, unknown>;
const secret = (annotations: Record<string, string>): Doc => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'store', namespace: 'lab', annotations },
  stringData: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' },
});
const PLAIN_HTTP = { 'serving.kserve.io/s3-endpoint': 'http://minio.lab.svc:9000' };
const MISSPELT = { ...PLAIN_HTTP, 'serving.kserve.io/s3-use-https': '0' };

interface Options {
  readonly platform: Platform;
  readonly platformAssumed?: boolean;
  readonly platformCandidates?: readonly Platform[];
}
const found = (docs: Doc[], options: Options) =>
  runChecks(
    docs.map((manifest) => ({ manifest })),
    { ...options, rules: ['kserve-s3-annotation-invalid'] },
  ).map((f) => [f.severity, f.message]);

/** KServe's own controller image at a release: how a tree shows upstream KServe's release. */
const controller = (tag: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kserve-controller-manager', namespace: 'kserve' },
  spec: {
    selector: { matchLabels: { app: 'kserve' } },
    template: { metadata: { labels: { app: 'kserve' } }, spec: { containers: [{ name: 'manager', image: `kserve/kserve-controller:${tag}` }] } },
  },
});

describe('kserve-s3-annotation-invalid: an endpoint written with http://', () => {
  test('OpenShift AI 3.x keeps the scheme and takes use-https from it: no error; the misspelt s3-use-https changes nothing (a note)', () => {
    for (const platform of ['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'] as const) {
      expect(found([secret(PLAIN_HTTP)], { platform })).toEqual([]);
      expect(found([secret(MISSPELT)], { platform })).toEqual([
        [
          'info',
          expect.stringMatching(
            /^annotation serving\.kserve\.io\/s3-use-https is no key KServe reads.*on OpenShift AI 3\.\d .*KServe takes use-https from the endpoint's http:\/\/ instead, so nothing changes/,
          ),
        ],
      ]);
    }
  });

  test('OpenShift AI 2.x prefixes https:// to it: an error naming the release, and the ignored "0" is an error there too', () => {
    expect(found([secret(MISSPELT)], { platform: 'rhoai-2' })).toEqual([
      [
        'error',
        expect.stringMatching(
          /^annotation serving\.kserve\.io\/s3-endpoint 'http:\/\/minio\.lab\.svc:9000' holds a scheme: on OpenShift AI 2\.x KServe prefixes https:\/\/ .*AWS_ENDPOINT_URL=https:\/\/http:\/\/minio/,
        ),
      ],
      ['error', expect.stringMatching(/^annotation serving\.kserve\.io\/s3-use-https is no key KServe reads.*not the http:\/\/ that "0" asks for/)],
    ]);
  });

  test('an assumed OpenShift AI 3.0 whose candidates include 2.x: a warning naming both, not an error', () => {
    const assumed = { platform: 'rhoai-3.0', platformAssumed: true, platformCandidates: ['rhoai-2', 'rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'] } as const;
    expect(found([secret(MISSPELT)], assumed)).toEqual([
      ['warning', expect.stringMatching(/keeps it and takes use-https from it, but on OpenShift AI 2\.x it prefixes https:\/\/ to it .*or pass --platform$/)],
      ['info', expect.stringMatching(/so nothing changes/)],
    ]);
    // the tree's marks leave OpenShift AI 3.x only: nothing in doubt
    expect(found([secret(PLAIN_HTTP)], { ...assumed, platformCandidates: ['rhoai-3.0', 'rhoai-3.4'] })).toEqual([]);
  });

  test('upstream KServe by the release the tree shows: an error before 0.17, nothing from 0.17, a warning where no release is shown', () => {
    expect(found([secret(PLAIN_HTTP), controller('v0.15.2')], { platform: 'kserve' })).toEqual([
      [
        'error',
        expect.stringMatching(
          /on upstream KServe 0\.15 \(Deployment\/kserve\/kserve-controller-manager image kserve\/kserve-controller:v0\.15\.2\) KServe prefixes https:\/\//,
        ),
      ],
    ]);
    expect(found([secret(PLAIN_HTTP), controller('v0.17.0')], { platform: 'kserve' })).toEqual([]);
    expect(found([secret(PLAIN_HTTP)], { platform: 'kserve' })).toEqual([
      ['warning', expect.stringMatching(/but on upstream KServe before 0\.17 it prefixes https:\/\//)],
    ]);
  });
});

describe('kserve-s3-annotation-invalid: other schemes and other misspellings', () => {
  test('a scheme other than http or https is prefixed on every release', () => {
    for (const platform of ['rhoai-2', 'rhoai-3.4', 'kserve'] as const)
      expect(found([secret({ 'serving.kserve.io/s3-endpoint': 's3://minio.lab.svc:9000' })], { platform })).toEqual([
        ['error', expect.stringMatching(/holds the scheme s3:\/\/, which no KServe release reads/)],
      ]);
  });

  test('a misspelt s3-use-https beside an endpoint without a scheme: an error where it asks for http, a warning where the default is what it asks', () => {
    const host = { 'serving.kserve.io/s3-endpoint': 'minio.lab.svc:9000' };
    expect(found([secret({ ...host, 'serving.kserve.io/s3-use-https': '0' })], { platform: 'rhoai-3.4' })).toEqual([
      ['error', expect.stringMatching(/KServe builds an https:\/\/ endpoint URL, not the http:\/\/ that "0" asks for/)],
    ]);
    expect(found([secret({ ...host, 'serving.kserve.io/s3-use-https': '1' })], { platform: 'rhoai-3.4' })).toEqual([
      ['warning', expect.stringMatching(/KServe's default, https, applies, as '1' asks/)],
    ]);
  });

  test('another misspelt key stays an error on every release', () => {
    expect(found([secret({ ...PLAIN_HTTP, 'serving.kserve.io/s3-verify-ssl': '0' })], { platform: 'rhoai-3.4' })).toEqual([
      ['error', expect.stringMatching(/^annotation serving\.kserve\.io\/s3-verify-ssl is no key KServe reads.*write serving\.kserve\.io\/s3-verifyssl$/)],
    ]);
  });
});
