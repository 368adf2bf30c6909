import { imageReferenceProblem } from '../../lib/check/image-reference';
import { runChecks } from '../../lib';

/** Cases of github.com/distribution/reference reference_test.go (TestReferenceParse, TestWithNameFailure, TestDomainAndPath). */
describe('image references parse as distribution/reference parses them', () => {
  const ffff = 'f'.repeat(64);
  test.each([
    'test_com',
    'test.com:tag',
    'test.com:5000',
    'test.com/repo:tag',
    'test:5000/repo',
    'test:5000/repo:tag',
    `test:5000/repo@sha256:${ffff}`,
    `test:5000/repo:tag@sha256:${ffff}`,
    'lowercase:Uppercase',
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    'b.gcr.io/test.example.com/my-app:test.example.com',
    'xn--n3h.com/myimage:xn--n3h.com',
    'foo_bar.com:8080',
    'foo/foo_bar.com:8080',
    '192.168.1.1',
    '192.168.1.1:5000/repo:5050',
    '[2001:db8::1]/repo',
    '[2001:db8:1:2:3:4:5:6]/repo:tag',
    '[2001:db8::1]:5000/repo:tag',
    '[::1]:5000/repo',
    'test-com:8080/foo',
  ])('%s is valid', (ref) => {
    expect(imageReferenceProblem(ref)).toBeUndefined();
  });

  test.each([
    ['', 'the reference is empty'],
    [':justtag', 'invalid reference format'],
    [`@sha256:${ffff}`, 'invalid reference format'],
    ['Uppercase:tag', 'the repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'the repository name must be lowercase'],
    [`${'a/'.repeat(128)}a:tag`, 'the repository name must not be more than 255 characters'],
    ['aa/asdf$$^/aa', "character '$' (U+0024) at position 8 is not allowed in an image reference"],
    ['[2001:db8::1]', 'invalid reference format'],
    ['[2001:db8::1]:5000', 'invalid reference format'],
    ['[2001:db8::1]:tag', 'invalid reference format'],
    ['[fe80::1%eth0]:5000/repo', "character '%' (U+0025) at position 9 is not allowed in an image reference"],
  ])('%s is refused: %s', (ref, problem) => {
    expect(imageReferenceProblem(ref)).toBe(problem);
  });

  test('a non-ASCII look-alike is named with its code point and position', () => {
    expect(imageReferenceProblem('quay.io/modh/vllm\u2011cuda-rhel9:2.19')).toBe(
      "character '\u2011' (U+2011) at position 18 is not allowed in an image reference (a look-alike of an ASCII character?)",
    );
  });

  test('a digest go-digest refuses (a short one, an unknown algorithm, a version after @) makes the reference invalid', () => {
    expect(imageReferenceProblem('repo@sha256:ffffffffffffffffffffffffffffffffff')).toBe(
      "the digest 'sha256:ffffffffffffffffffffffffffffffffff' after @ is none (a digest is sha256: and 64 lowercase hex digits, or sha512: and 128), which no registry resolves",
    );
    expect(imageReferenceProblem('repo@md5:' + 'f'.repeat(32))).toMatch(/^the digest 'md5:f+' after @ is none/);
    expect(imageReferenceProblem('ollama/ollama@0.10.1')).toBe(
      "the digest '0.10.1' after @ is none (a digest is sha256: and 64 lowercase hex digits, or sha512: and 128), which no registry resolves (a version tag goes after ':': 'ollama/ollama:0.10.1')",
    );
    expect(imageReferenceProblem('repo@sha256:' + 'f'.repeat(64))).toBeUndefined();
    expect(imageReferenceProblem('repo:1.0@sha512:' + 'a'.repeat(128))).toBeUndefined();
  });
});

describe('image-reference-invalid inside an OpenShift Template', () => {
  const template = (image: string) => ({
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'vllm-template', namespace: 'redhat-ods-applications' },
    objects: [
      {
        apiVersion: 'serving.kserve.io/v1alpha1',
        kind: 'ServingRuntime',
        metadata: { name: 'vllm-runtime' },
        spec: { containers: [{ name: 'kserve-container', image }] },
      },
    ],
    parameters: [{ name: 'TAG', value: '3.2.3' }],
  });
  const found = (image: string) =>
    runChecks([{ manifest: template(image) }], { platform: 'rhoai-3.4', rules: ['image-reference-invalid'] }).map((f) => f.message.slice(0, 95));

  test('the objects a Template holds are judged, named by their place; a parameter is not', () => {
    expect(found('registry.redhat.io/rhaiis/vllm\u2011cuda-rhel9:3.2.3')).toEqual([
      "objects[0] (ServingRuntime vllm-runtime) container 'kserve-container' image 'registry.redhat.io",
    ]);
    expect(found('registry.redhat.io/rhaiis/vllm-cuda-rhel9:${TAG}')).toEqual([]);
    expect(found('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.3')).toEqual([]);
  });
});

// kuberay rayjob_types.go (RayClusterSpec: headGroupSpec.template, workerGroupSpecs[].template), the Kubeflow training
// jobs' replica specs, JobSet's replicated jobs and LeaderWorkerSet's templates are pod templates like a Deployment's
describe('images in every pod template of objects that run several kinds of pods', () => {
  const rayJob = (image: string) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'hpo', namespace: 'ml' },
    spec: {
      entrypoint: 'python sweep.py',
      rayClusterSpec: {
        headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.41.0' }] } } },
        workerGroupSpecs: [{ groupName: 'gpu', replicas: 2, rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-worker', image }] } } }],
      },
    },
  });
  const findings = (manifest: unknown) =>
    runChecks([{ manifest }], { platform: 'kserve', rules: ['image-reference-invalid', 'image-not-pinned'] })
      .filter((f) => f.severity === 'error')
      .map((f) => [f.rule, f.message.slice(0, 90)]);

  test("a RayJob worker's malformed digest and a non-ASCII image name are errors naming the template", () => {
    expect(findings(rayJob('rayproject/ray@sha256:replace-with-approved-digest'))).toEqual([
      ['image-reference-invalid', "spec.rayClusterSpec.workerGroupSpecs[0].template container 'ray-worker' image 'rayproject/"],
    ]);
    expect(findings(rayJob('rayproject/ray‑ml:2.41.0'))).toEqual([
      ['image-reference-invalid', "spec.rayClusterSpec.workerGroupSpecs[0].template container 'ray-worker' image 'rayproject/"],
    ]);
    expect(findings(rayJob('rayproject/ray-ml:2.41.0@sha256:' + 'a'.repeat(64)))).toEqual([]);
    // placeholders a script fills in ($VAR, a PLACEHOLDER word replaced by sed) are no reference yet
    expect(findings(rayJob('$VLLM_IMAGE')).filter(([rule]) => rule === 'image-reference-invalid')).toEqual([]);
    expect(findings(rayJob('VLLM_IMAGE_PLACEHOLDER')).filter(([rule]) => rule === 'image-reference-invalid')).toEqual([]);
  });

  test('a PyTorchJob replica, a JobSet replicated job and a LeaderWorkerSet worker template are read too', () => {
    const bad = 'quay.io/team/Trainer:1';
    const pytorch = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: { name: 'ft' },
      spec: { pytorchReplicaSpecs: { Worker: { replicas: 2, template: { spec: { containers: [{ name: 'pytorch', image: bad }] } } } } },
    };
    const jobSet = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name: 'js' },
      spec: { replicatedJobs: [{ name: 'w', template: { spec: { template: { spec: { containers: [{ name: 'c', image: bad }] } } } } }] },
    };
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: { name: 'vllm' },
      spec: { leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { containers: [{ name: 'vllm-worker', image: bad }] } } } },
    };
    expect(findings(pytorch).map((f) => f[1].split(' image')[0])).toEqual(["spec.pytorchReplicaSpecs.Worker.template container 'pytorch'"]);
    expect(findings(jobSet).map((f) => f[1].split(' image')[0])).toEqual(["spec.replicatedJobs[0].template.spec.template container 'c'"]);
    expect(findings(lws).map((f) => f[1].split(' image')[0])).toEqual(["spec.leaderWorkerTemplate.workerTemplate container 'vllm-worker'"]);
  });
});

describe('image-reference-invalid: a well-known repository with a version glued on without its colon', () => {
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ai' }, spec: { containers: [{ name: 'c', image }] } });
  const found = (image: string) =>
    runChecks([{ manifest: pod(image) }], { rules: ['image-reference-invalid', 'image-not-pinned', 'image-repository-misspelt'] }).map((f) => [
      f.rule,
      f.severity,
      f.message,
    ]);

  test("vllm/vllm-openaiv0.10.0: an error naming the repository meant and its tag, and no 'no tag (latest)' warning", () => {
    expect(found('vllm/vllm-openaiv0.10.0')).toEqual([
      [
        'image-reference-invalid',
        'error',
        "container 'c' image 'vllm/vllm-openaiv0.10.0' names the repository vllm/vllm-openaiv0.10.0, vllm/vllm-openai with a version glued on without its ':', " +
          "which no registry holds: the pull fails (ErrImagePull, ImagePullBackOff) and the pod never starts; write 'vllm/vllm-openai:v0.10.0'",
      ],
    ]);
    // vLLM's release tags have their v: put back; the longest repository wins; Docker Hub's host is the same repository
    expect(found('vllm/vllm-openai0.10.1')).toEqual([['image-reference-invalid', 'error', expect.stringMatching(/write 'vllm\/vllm-openai:v0\.10\.1'$/)]]);
    expect(found('vllm/vllm-openai-rocm0.10.1')).toEqual([
      ['image-reference-invalid', 'error', expect.stringMatching(/vllm\/vllm-openai-rocm with a version/)],
    ]);
    expect(found('docker.io/vllm/vllm-openai-cpuv0.11.0')).toEqual([
      ['image-reference-invalid', 'error', expect.stringMatching(/write 'vllm\/vllm-openai-cpu:v0\.11\.0'$/)],
    ]);
    // one edit from the repository too: said once, as the glued version it is
    expect(found('vllm/vllm-openai1')).toEqual([['image-reference-invalid', 'error', expect.stringMatching(/write 'vllm\/vllm-openai:v1'$/)]]);
  });

  test('near misses: the repository with its tag, its own suffixes, other repositories ending in digits', () => {
    expect(found('vllm/vllm-openai:v0.10.0').map(([rule]) => rule)).toEqual(['image-not-pinned']);
    expect(found('vllm/vllm-openai-cpu:v0.10.0').map(([rule]) => rule)).toEqual(['image-not-pinned']);
    expect(found('quay.io/team/vllm-openai2:1.0').map(([rule]) => rule)).toEqual(['image-not-pinned']);
    expect(found('vllm/vllm-openai-nightly:latest').map(([rule]) => rule)).toEqual(['image-not-pinned']);
  });

  test('a version written after @ (ollama/ollama@0.10.1) is one image-reference-invalid error naming the tag meant, not image-not-pinned', () => {
    expect(found('ollama/ollama@0.10.1')).toEqual([
      [
        'image-reference-invalid',
        'error',
        "container 'c' image 'ollama/ollama@0.10.1' is not a valid image reference: the digest '0.10.1' after @ is none (a digest is sha256: and 64 lowercase hex digits, or sha512: and 128), " +
          "which no registry resolves (a version tag goes after ':': 'ollama/ollama:0.10.1'); the kubelet refuses to pull it (InvalidImageName) and the pod never starts: retype it",
      ],
    ]);
  });
});
