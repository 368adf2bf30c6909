import { podWorkload, ruleFound, severityMessages } from '../util';

const findings = (...images: string[]) =>
  severityMessages(
    ruleFound('image-registry-withdrawn', [{ manifest: podWorkload('server', 'ai', { containers: images.map((image, i) => ({ name: `c${i}`, image })) }) }], {
      platform: 'kserve',
    }),
  );

describe('image-registry-withdrawn', () => {
  test("gcr.io/kubebuilder's images are gone: an error with where to pull instead", () => {
    expect(findings('gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1')).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'c0' image 'gcr\.io\/kubebuilder\/kube-rbac-proxy:v0\.13\.1': .*removed.*2025-03-18.*the pull fails.*quay\.io\/brancz\/kube-rbac-proxy/,
        ),
      ],
    ]);
  });

  test('k8s.gcr.io, frozen and redirected: a warning naming registry.k8s.io', () => {
    expect(findings('k8s.gcr.io/pause:3.9')).toEqual([
      ['warning', expect.stringMatching(/frozen on 2023-04-03.*write the same image under registry\.k8s\.io\//)],
    ]);
  });

  test.each(['gcr.io/k8s-staging-jobset/jobset:v20250101-a1b2c3d', 'us-central1-docker.pkg.dev/k8s-staging-images/lws/lws:v0.8.0-rc.1'])(
    'a staging build (%s) is not kept: a warning',
    (image) => {
      expect(findings(image)).toEqual([['warning', expect.stringMatching(/staging registry.*deletes them \(after 90 days\)/)]]);
    },
  );

  test.each([
    'us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp:main',
    'gcr.io/k8s-staging-jobset/jobset:latest-main',
    'us-central1-docker.pkg.dev/k8s-staging-images/kueue/kueue:nightly',
    'us-central1-docker.pkg.dev/k8s-staging-images/lws/lws',
  ])('a moving tag the project pushes again with every merge (%s) names a recent build: not judged', (image) => {
    expect(findings(image)).toEqual([]);
  });

  test('a staging image by digest is one build, aged out like any: a warning', () => {
    expect(findings(`us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp@sha256:${'a'.repeat(64)}`)).toEqual([
      ['warning', expect.stringContaining('staging registry')],
    ]);
  });

  test('near misses: the live registries, a look-alike path, and a template placeholder', () => {
    expect(
      findings(
        'registry.k8s.io/pause:3.9',
        'gcr.io/kubebuilder-tools/thing:1',
        'gcr.io/k8s-artifacts-prod/pause:3.9',
        'quay.io/brancz/kube-rbac-proxy:v0.18.1',
        '{{ .Values.registry }}/kube-rbac-proxy:v1',
      ),
    ).toEqual([]);
  });

  test("NVIDIA's CUDA tags without a patch version, and its latest tag, are deleted: an error with the tag to pull instead", () => {
    expect(findings('nvidia/cuda:11.0-base')).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'c0' image 'nvidia\/cuda:11\.0-base': NVIDIA deleted the CUDA image tags without a patch version .*manifest unknown.*the pull fails \(ErrImagePull, ImagePullBackOff\).*11\.0\.3-base-ubuntu20\.04 for 11\.0-base/,
        ),
      ],
    ]);
    for (const image of ['docker.io/nvidia/cuda:10.2-cudnn7-devel-ubuntu18.04', 'nvcr.io/nvidia/cuda:11.1-runtime', 'nvidia/cuda:11.0-base-ubuntu20.04'])
      expect(findings(image)).toEqual([['error', expect.stringContaining('without a patch version')]]);
    expect(findings('nvidia/cuda')).toEqual([['error', expect.stringContaining('removed the latest tag')]]);
    expect(findings('nvidia/cuda:latest')).toEqual([['error', expect.stringContaining('removed the latest tag')]]);
  });

  test('near misses: CUDA tags with the patch version, 12.x, a digest, a mirror, another repository', () => {
    expect(
      findings(
        'nvidia/cuda:11.0.3-base-ubuntu20.04',
        'nvidia/cuda:12.4.1-runtime-ubuntu22.04',
        'nvcr.io/nvidia/cuda:12.8.1-cudnn-devel-ubuntu24.04',
        'nvidia/cuda@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        'mirror.example.com/nvidia/cuda:11.0-base',
        'nvidia/cudagl:11.0-base',
      ),
    ).toEqual([]);
  });

  // bitnami/containers#83267: versioned tags of docker.io/bitnami/* moved to docker.io/bitnamilegacy on 2025-08-28
  test("a versioned tag of a Docker Hub bitnami image moved to bitnamilegacy: an error naming the legacy image and, for kubectl, registry.k8s.io's", () => {
    expect(findings('bitnami/kubectl:1.33')).toEqual([
      [
        'error',
        expect.stringMatching(
          /^container 'c0' image 'bitnami\/kubectl:1\.33': Bitnami moved every versioned tag .*docker\.io\/bitnamilegacy on 2025-08-28.*the pull fails.*pull docker\.io\/bitnamilegacy\/kubectl:1\.33 .*registry\.k8s\.io\/kubectl/,
        ),
      ],
    ]);
    expect(findings('docker.io/bitnami/postgresql:16.4.0-debian-12-r0')).toEqual([
      ['error', expect.stringMatching(/pull docker\.io\/bitnamilegacy\/postgresql:16\.4\.0-debian-12-r0 .*maintains$/)],
    ]);
  });

  test('near misses: the legacy repository, the latest tag (or none), a digest, a mirror, a look-alike namespace', () => {
    expect(
      findings(
        'docker.io/bitnamilegacy/kubectl:1.33',
        'bitnami/kubectl',
        'bitnami/kubectl:latest',
        'bitnami/kubectl@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        'mirror.example.com/bitnami/kubectl:1.33',
        'bitnamisecure/kubectl:latest',
      ),
    ).toEqual([]);
  });
});
