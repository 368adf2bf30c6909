import { Finding, runChecks } from '../../lib';
import { vllmDeployment as deployment } from '../util';

/**
 * Cases of vllm-flag-unknown on an option whose removal falls between two catalogued releases (0.11.2 and 0.19.0):
 * vLLM's history places it (--swap-space: vllm-project/vllm#36216, first absent from 0.18.0's EngineArgs), so the
 * message names that release and the releases of the gap are judged by it, not by their catalogued neighbours.
 */
function findings(image: string, args: string[]): Finding[] {
  return runChecks([{ manifest: deployment(image, ['--model', 'm', ...args]) }], { models: new Map(), platform: 'rhoai-3.0', rules: ['vllm-flag-unknown'] });
}

describe('vllm-flag-unknown: --swap-space, removed in 0.18.0', () => {
  test('at latest: an error saying vLLM removed it after 0.17.1, in 0.18.0 (it said after 0.11.2, the last catalogued release)', () => {
    const got = findings('vllm/vllm-openai:latest', ['--swap-space', '16']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(/vLLM removed --swap-space after 0\.17\.1 \(in 0\.18\.0: vllm-project\/vllm#36216 /);
    expect(got[0].message).toMatch(/pin an image of 0\.17\.1 or before/);
    expect(got[0].message).not.toMatch(/after 0\.11\.2/);
  });

  test('0.18.0, between the catalogued 0.11.2 and 0.19.0: an error naming the release that removed it (it was a warning that could not tell)', () => {
    const got = findings('vllm/vllm-openai:v0.18.0', ['--swap-space', '4']);
    expect(got.map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/vLLM 0\.18\.0 has no --swap-space \(removed in 0\.18\.0, vllm-project\/vllm#36216 /)],
    ]);
  });

  test('0.17.1 and 0.12.0, in the gap but before the removal: no finding (0.17.1 was warned as maybe removed)', () => {
    expect(findings('vllm/vllm-openai:v0.17.1', ['--swap-space', '4'])).toEqual([]);
    expect(findings('vllm/vllm-openai:v0.12.0', ['--swap-space', '4'])).toEqual([]);
  });

  test('an option removed in the same gap with no removal read in the history keeps the warning that names both neighbours', () => {
    const got = findings('vllm/vllm-openai:v0.18.0', ['--num-lookahead-slots', '2']);
    expect(got.map((f) => [f.severity, f.message])).toEqual([['warning', expect.stringMatching(/vLLM 0\.11\.2 has it and 0\.19\.0 no longer does/)]]);
  });
});

describe("vllm-flag-unknown: removals and additions vLLM's history places in the gap 0.11.2–0.19.0", () => {
  test('--override-pooler-config on 0.18.0: an error naming its removal in 0.12.0 and --pooler-config, which replaced it', () => {
    const got = findings('vllm/vllm-openai:v0.18.0', ['--override-pooler-config', '{"pooling_type": "MEAN"}']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(/vLLM 0\.18\.0 has no --override-pooler-config \(removed in 0\.12\.0, vllm-project\/vllm#29402 /);
    expect(got[0].message).toMatch(/; vLLM replaced it with --pooler-config \(vllm-project\/vllm#25181 .*\): write --pooler-config$/);
  });

  test('--override-pooler-config on 0.11.2, before the removal: no finding', () => {
    expect(findings('vllm/vllm-openai:v0.11.2', ['--override-pooler-config', '{}'])).toEqual([]);
  });

  test('--disable-log-requests at latest: removed, and nothing replaces it (request logging is opt-in)', () => {
    const got = findings('vllm/vllm-openai:latest', ['--disable-log-requests']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(/vLLM removed --disable-log-requests after 0\.11\.2 \(in 0\.12\.0: vllm-project\/vllm#29402 /);
    expect(got[0].message).toMatch(/request logging became opt-in \(--enable-log-requests, catalogued from v0\.11\.1\)/);
  });

  test('--default-chat-template-kwargs on 0.13.0: an error, the change that added it came after 0.13.0 was released', () => {
    const got = findings('vllm/vllm-openai:v0.13.0', ['--default-chat-template-kwargs', '{"enable_thinking": false}']);
    expect(got.map((f) => [f.severity, f.message])).toEqual([
      ['error', expect.stringMatching(/vLLM 0\.13\.0 has no --default-chat-template-kwargs \(added after 0\.13\.0: vllm-project\/vllm#31343 /)],
    ]);
  });

  test('--default-chat-template-kwargs on 0.14.0, in the gap after the addition, and on 0.19.0: no finding', () => {
    expect(findings('vllm/vllm-openai:v0.14.0', ['--default-chat-template-kwargs', '{"enable_thinking": false}'])).toEqual([]);
    expect(findings('vllm/vllm-openai:v0.19.0', ['--default-chat-template-kwargs', '{"enable_thinking": false}'])).toEqual([]);
  });
});

/** A ServingRuntime of Red Hat's vLLM build at a digest, stating its vLLM version as OpenShift AI's templates do, and a service on it. */
function annotatedRuntime(image: string, runtimeVersion: string, args: string[], serviceImage?: string): Finding[] {
  const runtime = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'rt', namespace: 'llm', annotations: { 'opendatahub.io/runtime-version': runtimeVersion } },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      containers: [
        { name: 'kserve-container', image, command: ['python', '-m', 'vllm.entrypoints.openai.api_server'], args: ['--port=8080', '--model=/mnt/models'] },
      ],
    },
  };
  const service = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'm', namespace: 'llm' },
    spec: {
      predictor: {
        model: { modelFormat: { name: 'vLLM' }, runtime: 'rt', storageUri: 'pvc://models/m', args, ...(serviceImage ? { image: serviceImage } : {}) },
      },
    },
  };
  return runChecks([{ manifest: runtime }, { manifest: service }], { models: new Map(), platform: 'rhoai-3.0', rules: ['vllm-flag-unknown'] });
}

describe('vllm-flag-unknown: the vLLM version a ServingRuntime states in opendatahub.io/runtime-version', () => {
  const digest = '@sha256:' + '3'.repeat(64);

  test("Red Hat's build at a digest, annotated v0.13.0: --default-chat-template-kwargs is judged against 0.13.0 and named with the annotation", () => {
    const got = annotatedRuntime(`registry.redhat.io/rhaiis/vllm-cuda-rhel9${digest}`, 'v0.13.0', ['--default-chat-template-kwargs={"enable_thinking":false}']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(
      /goes to vLLM 0\.13\.0 \(image registry\.redhat\.io\/rhaiis\/vllm-cuda-rhel9@sha256:3+: ServingRuntime 'rt' states opendatahub\.io\/runtime-version: v0\.13\.0\)/,
    );
  });

  test("Open Data Hub's quay.io/modh/vllm annotated 0.18.0 (no v): --override-pooler-config is an error", () => {
    const got = annotatedRuntime('quay.io/modh/vllm:rhoai-3.0-cuda', '0.18.0', ['--override-pooler-config={}']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
  });

  /** The severities of the findings, and whether a message says the release is not told (not judged at the annotation's). */
  const unknownOnly = (got: Finding[]) => got.map((f) => [f.severity, /whose release its reference does not tell/.test(f.message)]);

  test("an image that is not Red Hat's build: the annotation says nothing of it, and the version stays unknown (a warning, not the annotated release's error)", () => {
    expect(unknownOnly(annotatedRuntime(`quay.io/acme/vllm-embed${digest}`, 'v0.18.0', ['--override-pooler-config={}']))).toEqual([['warning', true]]);
  });

  test('an image tag that proves its own version wins over the annotation', () => {
    expect(annotatedRuntime('vllm/vllm-openai:v0.11.2', 'v0.18.0', ['--override-pooler-config={}'])).toEqual([]);
  });

  test("the service sets its own image: the runtime's annotation does not describe it", () => {
    expect(
      unknownOnly(
        annotatedRuntime(
          `registry.redhat.io/rhaiis/vllm-cuda-rhel9${digest}`,
          'v0.18.0',
          ['--override-pooler-config={}'],
          `registry.redhat.io/rhaiis/vllm-cuda-rhel9${digest}`,
        ),
      ),
    ).toEqual([['warning', true]]);
  });

  test('an annotation that is not a release (latest) is not read', () => {
    expect(unknownOnly(annotatedRuntime(`registry.redhat.io/rhaiis/vllm-cuda-rhel9${digest}`, 'latest', ['--override-pooler-config={}']))).toEqual([
      ['warning', true],
    ]);
  });
});

/**
 * Cases of an InferenceService whose runtime is not in the checked input, so its image is unknown: KServe's
 * huggingfaceserver ignores options it does not know and has its own (--backend, --model_name), which vLLM has not.
 */
function isvc(runtime: string, args: string[]): Record<string, unknown> {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'qwen', namespace: 'llm' },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'huggingface' },
          runtime,
          storageUri: 's3://models/qwen/',
          args,
          resources: { limits: { 'nvidia.com/gpu': '1' } },
        },
      },
    },
  };
}

function serviceFindings(runtime: string, args: string[]): Finding[] {
  return runChecks([{ manifest: isvc(runtime, args) }], { models: new Map(), platform: 'kserve', rules: ['vllm-flag-unknown'] });
}

describe('vllm-flag-unknown: a service whose runtime the input lacks', () => {
  test('a runtime named after KServe huggingfaceserver: its own options are not vLLM slips', () => {
    expect(serviceFindings('kserve-huggingfaceserver-gpu', ['--backend=vllm', '--model_name=qwen', '--max_model_len=4096'])).toEqual([]);
  });

  test('another runtime name with the server options --backend and --model_name: the huggingfaceserver, not judged', () => {
    expect(serviceFindings('hf-gpu', ['--backend=vllm', '--model_name=qwen'])).toEqual([]);
  });

  test('a vLLM runtime name with a slip of a vLLM option and none of the server options: still reported', () => {
    const got = serviceFindings('vllm-runtime', ['--max-model-length', '4096']);
    expect(got.map((f) => f.rule)).toEqual(['vllm-flag-unknown']);
    expect(got[0].message).toMatch(/--max-model-length/);
  });
});

describe("vllm-flag-unknown: an image another repository builds under vLLM's name, tagged with a release and a build id", () => {
  /** The findings on a container that starts vLLM's OpenAI server itself (the image's entrypoint is its builder's), with the options given. */
  const started = (image: string, args: string[]) =>
    runChecks([{ manifest: deployment(image, ['--model', 'm', ...args], ['python3', '-m', 'vllm.entrypoints.openai.api_server']) }], {
      models: new Map(),
      platform: 'rhoai-3.0',
      rules: ['vllm-flag-unknown'],
    });

  test('`vllm-cpu:v0.11.0-cfc13f2` with --device cpu: an error, vLLM 0.11.0 has no --device (removed in 0.10; it was not judged)', () => {
    const got = started('ghcr.io/homelab/vllm-cpu:v0.11.0-cfc13f2', ['--device', 'cpu']);
    expect(got.map((f) => f.severity)).toEqual(['error']);
    expect(got[0].message).toMatch(/vLLM 0\.11\.0 has no --device/);
    expect(got[0].message).toContain("the tag v0.11.0-cfc13f2 of ghcr.io/homelab/vllm-cpu, a repository named as vLLM's builds are");
  });

  test('near misses: a repository not named as vLLM, or a tag of another scheme, tells no release: --device is only warned of', () => {
    // --device is an option of the releases before 0.10: with the release unknown, a warning naming the release without it
    for (const image of ['ghcr.io/homelab/llm-server:v0.11.0-cfc13f2', 'ghcr.io/homelab/vllm-cpu:2025.01-cfc13f2'])
      expect([image, started(image, ['--device', 'cpu']).map((f) => f.severity)]).toEqual([image, ['warning']]);
    // an option every release has, on the rebuilt image: nothing to say
    expect(started('ghcr.io/homelab/vllm-cpu:v0.11.0-cfc13f2', ['--max-model-len', '512'])).toEqual([]);
  });
});

describe('vllm-flag-unknown: an option vLLM removed, on an image whose release its reference does not tell', () => {
  const digest = `@sha256:${'c'.repeat(64)}`;
  /** The findings of the tree: the Deployment given options on the image given, and other Deployments on the images given. */
  const tree = (image: string, args: string[], others: string[] = []) =>
    runChecks(
      [
        { manifest: deployment(image, ['--model', 'm', ...args]) },
        ...others.map((other, i) => ({ manifest: { ...deployment(other, ['--model', 'm']), metadata: { name: `other-${i}`, namespace: 'ai' } } })),
      ],
      { models: new Map(), platform: 'rhoai-3.0', rules: ['vllm-flag-unknown'] },
    ).map((f) => [f.severity, f.object, f.message]);

  test('--enable-reasoning at a digest alone: a warning naming 0.9.1, which has it, 0.10.0, which does not, and the fix (it was silent)', () => {
    expect(tree(`vllm/vllm-openai${digest}`, ['--enable-reasoning', '--reasoning-parser', 'deepseek_r1'])).toEqual([
      [
        'warning',
        expect.any(String),
        expect.stringMatching(
          /--enable-reasoning \(.*\) goes to the vLLM of vllm\/vllm-openai@sha256:c+, whose release its reference does not tell: vLLM 0\.9\.1 has --enable-reasoning and 0\.10\.0 no longer does, so on 0\.10\.0 or later .*unrecognized arguments: --enable-reasoning.*vllm-project\/vllm#17452 .*drop it and keep --reasoning-parser, or pin the image by a release tag of 0\.9\.1 or before$/,
        ),
      ],
    ]);
  });

  test("the tree's other vLLM images all run releases without it: said in the warning", () => {
    const got = tree(`vllm/vllm-openai${digest}`, ['--enable-reasoning'], ['vllm/vllm-openai:v0.11.2']);
    expect(got).toEqual([['warning', 'Deployment/ai/llm', expect.stringMatching(/the tree's other vLLM images run 0\.11\.2, all releases without it/)]]);
  });

  test('the same digest tagged elsewhere in the tree: judged at that release, an error', () => {
    const got = tree(`vllm/vllm-openai${digest}`, ['--enable-reasoning'], [`vllm/vllm-openai:v0.10.0${digest}`]);
    expect(got).toEqual([
      [
        'error',
        'Deployment/ai/llm',
        expect.stringMatching(
          /goes to vLLM 0\.10\.0 \(.*the tree pins the same digest as vllm\/vllm-openai:v0\.10\.0@sha256:c+ elsewhere.*vLLM 0\.10\.0 has no --enable-reasoning/,
        ),
      ],
    ]);
  });

  test('near misses: an option every release has, an option the release tag keeps, the same digest tagged at a release with it', () => {
    expect(tree(`vllm/vllm-openai${digest}`, ['--max-model-len', '4096'])).toEqual([]);
    expect(tree('vllm/vllm-openai:v0.9.1', ['--enable-reasoning'])).toEqual([]);
    expect(tree(`vllm/vllm-openai${digest}`, ['--enable-reasoning'], [`vllm/vllm-openai:v0.9.1${digest}`])).toEqual([]);
  });
});
