import { runChecks } from '../../lib';
import { ciphertext, sopsBlock } from '../sops-util';
import { parseDocuments } from '../../lib/manifests/yaml-documents';

/** A Deployment with one container of the given image, and the top-level fields given. */
const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'server', namespace: 'serving' },
  spec: {
    selector: { matchLabels: { app: 'server' } },
    template: { metadata: { labels: { app: 'server' } }, spec: { containers: [{ name: 'server', image }] } },
  },
  ...extra,
});

/** The findings of the rules on an image's form, as [rule, severity, message]. */
const found = (image: string, extra: Record<string, unknown> = {}) =>
  runChecks([{ manifest: deployment(image, extra) }], { platform: 'kserve' })
    .filter((f) => f.rule === 'image-reference-invalid' || f.rule === 'unrendered-placeholder')
    .map((f) => [f.rule, f.severity, f.message]);

describe('image-reference-invalid', () => {
  test.each(['IMAGE_NAME', 'IMAGE', 'MY_IMAGE', 'VLLM_IMAGE_V2'])(
    "a whole upper-case identifier (%s) is a guide's slot for the image, said by unrendered-placeholder, not an invalid reference to retype",
    (image) => {
      expect(found(image)).toEqual([
        [
          'unrendered-placeholder',
          'error',
          `container 'server' image holds '${image}': a placeholder left to be replaced by hand, and no image reference admits capitals in its repository name: applied as it is, the kubelet cannot parse it (InvalidImageName) and the pod never starts; write the real value`,
        ],
      ]);
    },
  );

  test('near misses: a mixed-case repository, an upper-case name with a tag or a path, and a bad tag are references that do not parse', () => {
    for (const image of ['Nginx:latest', 'IMAGE_NAME:latest', 'registry.example.com/VLLM', 'vllm/vllm-openai:-bad'])
      expect(found(image)).toEqual([
        [
          'image-reference-invalid',
          'error',
          expect.stringMatching(new RegExp(`^container 'server' image '${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is not a valid image reference`)),
        ],
      ]);
  });

  test('one reference in two Deployments is one finding, latent only while neither runs a pod: both at replicas: 0 a warning naming both, one running an error', () => {
    const named = (name: string, replicas?: number) => {
      const d = deployment('Nginx:latest');
      return { ...d, metadata: { name, namespace: 'serving' }, spec: { ...d.spec, ...(replicas === undefined ? {} : { replicas }) } };
    };
    const judged = (docs: unknown[]) =>
      runChecks(
        docs.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      )
        .filter((f) => f.rule === 'image-reference-invalid')
        .map((f) => [f.severity, f.object, f.message]);
    expect(judged([named('api', 0), named('worker', 0)])).toEqual([
      [
        'warning',
        'Deployment/serving/api',
        expect.stringMatching(
          / \(latent: Deployment\/serving\/api, Deployment\/serving\/worker, whose pods fail, are delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales them, so no pod runs until they are scaled up\)$/,
        ),
      ],
    ]);
    // said on the idle one, first by id, while the other runs pods: an error
    expect(judged([named('api', 0), named('worker')])).toEqual([['error', 'Deployment/serving/api', expect.not.stringContaining('latent')]]);
  });

  test('an image that is SOPS ciphertext (a document encrypted beyond its data) is judged once decrypted: nothing reports it', () => {
    expect(found(ciphertext(), { sops: sopsBlock() })).toEqual([]);
  });

  test("a zarf package's components[].images[] entry that does not parse is said on its line; the file stays skipped, and tags, digests and zarf templates pass", () => {
    const zarf = (images: string[]) =>
      ['kind: ZarfPackageConfig', 'metadata:', '  name: serving', 'components:', '  - name: models', '    images:', ...images.map((i) => `      - ${i}`)].join(
        '\n',
      );
    const fired = parseDocuments(zarf(['quay.io/example/api:1.0', `quay.io/example/api:1.0"`, 'Example/API:1.0', "'quay.io/example/api 1.0'"]));
    expect(fired.objects).toEqual([]);
    expect(fired.problems.filter((p) => p.kind === 'image-reference-invalid')).toEqual([
      {
        message: `document 1 (a ZarfPackageConfig) component 'models' images[1] 'quay.io/example/api:1.0"' is not a valid image reference: character '"' (U+0022) at position 24 is not allowed in an image reference; zarf package create cannot parse it to pull it, and the package build fails: retype it`,
        severity: 'error',
        kind: 'image-reference-invalid',
        line: 8,
      },
      {
        message: `document 1 (a ZarfPackageConfig) component 'models' images[2] 'Example/API:1.0' is not a valid image reference: the repository name must be lowercase; zarf package create cannot parse it to pull it, and the package build fails: retype it`,
        severity: 'error',
        kind: 'image-reference-invalid',
        line: 9,
      },
      {
        message: `document 1 (a ZarfPackageConfig) component 'models' images[3] 'quay.io/example/api 1.0' is not a valid image reference: character ' ' (U+0020) at position 20 is not allowed in an image reference; zarf package create cannot parse it to pull it, and the package build fails: retype it`,
        severity: 'error',
        kind: 'image-reference-invalid',
        line: 10,
      },
    ]);
    const near = parseDocuments(
      zarf([
        'quay.io/example/api:1.0',
        `registry.example.com:5000/tools/fetch@sha256:${'a'.repeat(64)}`,
        `quay.io/example/api:1.0@sha256:${'b'.repeat(64)}`,
        '"###ZARF_PKG_TMPL_IMAGE###"',
      ]),
    );
    expect(near.problems.filter((p) => p.kind === 'image-reference-invalid')).toEqual([]);
    expect(near.problems.map((p) => p.severity)).toEqual(['info']);
  });
});

describe('image-reference-invalid: an image keeping a stray quote', () => {
  test('a quote left at either end of the image (nvidia/cuda:12.4.1-base\', "vllm/vllm-openai:v0.10.1): an error, the kubelet cannot parse it', () => {
    for (const image of ["nvidia/cuda:12.4.1-base'", '"vllm/vllm-openai:v0.10.1'])
      expect(found(image).map(([rule, severity]) => [rule, severity])).toEqual([['image-reference-invalid', 'error']]);
  });

  test('near miss: the same images without the quote: silent', () => {
    expect(found('nvidia/cuda:12.4.1-base')).toEqual([]);
    expect(found('vllm/vllm-openai:v0.10.1')).toEqual([]);
  });
});
