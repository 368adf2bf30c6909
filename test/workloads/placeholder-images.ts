import { runChecks } from '../../lib';

type Doc = Record<string, unknown>;
const verdicts = (doc: Doc) =>
  runChecks([{ manifest: doc }], { platform: 'kserve' })
    .filter((f) => f.rule === 'unrendered-placeholder' || f.rule === 'image-reference-invalid')
    .map((f) => `${f.severity} ${f.rule}`);

const deployment = (image: string): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'agent', namespace: 'ai' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image }] } } },
});
const rayService = (image: string): Doc => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { rayClusterConfig: { headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image }] } } } } },
});

// A guide's `<PROJECT_ID>` or `REPLACE_WITH_…` in an image is a fill-in that no registry serves: the pod never starts, an
// error, whatever the kind and the spelling of the token.
describe('an image holding a placeholder to be filled in by hand', () => {
  test.each([
    ['a Deployment, <PROJECT_ID>', deployment('us-central1-docker.pkg.dev/<PROJECT_ID>/agents/agent:1.0')],
    ['a Deployment, <PROJECT-ID>', deployment('us-central1-docker.pkg.dev/<PROJECT-ID>/agents/agent:1.0')],
    ['a RayService pod template, <PROJECT-ID>', rayService('us-docker.pkg.dev/<PROJECT-ID>/ray/serve:2.41.0')],
    ['a RayService pod template, <project_id>', rayService('us-docker.pkg.dev/<project_id>/ray/serve:2.41.0')],
    ['a Deployment, an ECR <ACCOUNT_ID> host', deployment('<ACCOUNT_ID>.dkr.ecr.us-east-1.amazonaws.com/agent:1.0')],
    ['a Deployment, a REPLACE_WITH_… tag', deployment('vllm/vllm-openai:REPLACE_WITH_TESTED_VERSION')],
    ['a Deployment, a YOUR_REGISTRY host', deployment('YOUR_REGISTRY/agent:1.0')],
    ['a RayService pod template, a CHANGE_ME tag', rayService('rayproject/ray:CHANGE_ME')],
  ])('%s: an unrendered-placeholder error, no image-reference-invalid', (_, doc) => {
    expect(verdicts(doc)).toEqual(['error unrendered-placeholder']);
  });

  test('a placeholder word: the pull fails, and image-not-pinned says nothing of its tag', () => {
    const found = runChecks([{ manifest: deployment('vllm/vllm-openai:REPLACE_WITH_TESTED_VERSION') }], { platform: 'kserve' });
    expect(found.filter((f) => f.rule === 'image-not-pinned')).toEqual([]);
    expect(found.find((f) => f.rule === 'unrendered-placeholder')?.message).toBe(
      "container 'agent' image holds 'REPLACE_WITH_TESTED_VERSION': a placeholder left to be replaced by hand, and no registry serves that image: " +
        'applied as it is, the kubelet cannot pull it (ErrImagePull, then ImagePullBackOff) and the pod never starts; write the real value',
    );
  });

  test.each([
    ['a release-candidate tag', 'quay.io/team/agent:v1.0-RC1'],
    ['a capital model tag', 'ghcr.io/team/agent:Llama-3.1-8B-Instruct'],
    ['TODO inside a longer word of the tag', 'quay.io/team/agent:TODO-list-2'],
  ])('near miss, %s: no unrendered-placeholder', (_, image) => {
    expect(verdicts(deployment(image))).toEqual([]);
  });

  test("a lower-case guide's slot (your-org): a warning, for only the registry knows whether someone owns the name", () => {
    expect(verdicts(deployment('docker.io/your-org/agent:1.0'))).toEqual(['warning unrendered-placeholder']);
  });

  test('the message says the kubelet cannot pull it, not that the API server refuses the object', () => {
    const [f] = runChecks([{ manifest: deployment('gcr.io/<PROJECT_ID>/agent:1.0') }], { platform: 'kserve' }).filter(
      (x) => x.rule === 'unrendered-placeholder',
    );
    expect(f.message).toBe(
      "container 'agent' image holds '<PROJECT_ID>': a placeholder left to be replaced by hand, and no image reference admits '<' or '>': " +
        'applied as it is, the kubelet cannot pull it (InvalidImageName) and the pod never starts; write the real value',
    );
  });

  test('near misses: ${VAR} in an image stays an error; a stray < that is no placeholder is a mistyped reference', () => {
    expect(verdicts(deployment('${REGISTRY}/agent:1.0'))).toEqual(['error unrendered-placeholder']);
    expect(verdicts(deployment('quay.io/team/agent<1.0'))).toEqual(['error image-reference-invalid']);
  });
});

// One placeholder image in many workloads is one mistake: one finding per distinct value, the other objects named.
describe('a placeholder image shared by several workloads', () => {
  const named = (name: string, image: string): Doc => {
    const d = deployment(image) as { metadata: { name: string }; spec: { template: { spec: { containers: unknown[] } } } };
    d.metadata = { ...d.metadata, name };
    d.spec.template.spec.containers = [
      { name: 'agent', image },
      { name: 'side', image },
    ];
    return d;
  };
  const findings = (docs: Doc[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    )
      .filter((f) => ['unrendered-placeholder', 'image-reference-invalid', 'image-not-pinned'].includes(f.rule))
      .map((f) => [f.rule, f.severity, f.object, f.message.replace(/ is not a valid image reference.*|: (template syntax that|a placeholder left).*/, '')]);

  test('an all-caps IMAGE_NAME in three Deployments: one hand-filled placeholder on the first by id, no image-reference-invalid, no image-not-pinned', () => {
    expect(findings([named('c', 'IMAGE_NAME'), named('a', 'IMAGE_NAME'), named('b', 'IMAGE_NAME')])).toEqual([
      [
        'unrendered-placeholder',
        'error',
        'Deployment/ai/a',
        "container 'agent' image holds 'IMAGE_NAME', container 'side' image holds 'IMAGE_NAME' (also used by 2 other objects: Deployment/ai/b, Deployment/ai/c)",
      ],
    ]);
  });

  test('<IMAGE> and ${IMAGE} shared by two Deployments each: one finding per placeholder', () => {
    const f = findings([named('a', '<IMAGE>'), named('b', '<IMAGE>'), named('c', '${IMAGE}'), named('d', '${IMAGE}')]);
    expect(f.map(([rule, severity, object]) => [rule, severity, object])).toEqual([
      ['unrendered-placeholder', 'error', 'Deployment/ai/a'],
      ['unrendered-placeholder', 'error', 'Deployment/ai/c'],
    ]);
    expect(f.map(([, , , m]) => m)).toEqual([
      "container 'agent' image holds '<IMAGE>', container 'side' image holds '<IMAGE>' (also used by 1 other object: Deployment/ai/b)",
      "container 'agent' image holds '${IMAGE}', container 'side' image holds '${IMAGE}' (also used by 1 other object: Deployment/ai/d)",
    ]);
  });

  test('near misses: distinct placeholders and invalid values are each reported; a valid moving tag is still not pinned', () => {
    const f = findings([named('a', 'IMAGE_NAME'), named('b', 'OTHER_IMAGE'), named('c', 'quay.io/team/agent:latest'), named('d', 'Agent:1.0')]);
    expect(f.map(([rule, severity, object]) => [rule, severity, object])).toEqual([
      ['unrendered-placeholder', 'error', 'Deployment/ai/a'],
      ['unrendered-placeholder', 'error', 'Deployment/ai/b'],
      ['image-reference-invalid', 'error', 'Deployment/ai/d'],
      ['image-not-pinned', 'warning', 'Deployment/ai/c'],
      ['image-not-pinned', 'warning', 'Deployment/ai/c'],
    ]);
  });
});
