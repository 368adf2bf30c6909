import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, ModelProfile, runChecks, S3ModelInferenceService, VllmRuntime } from '../../lib';
import { architectureOfModelReference, modelNamesOf } from '../../lib/catalog/model-families';
import { architectureSupport, architectureVerdict, compareVllmVersions, VLLM_RELEASES } from '../../lib/catalog/vllm-architectures';
import { vllmVersionOfImageReference } from '../../lib/catalog/vllm-images';
import { fixture, ROOT, tempDir, vllmDeployment as deployment } from '../util';

const RULE = 'vllm-architecture-unsupported';

describe("the table of vLLM's first releases per architecture", () => {
  test('holds the first releases vLLM announced for the families users ask about', () => {
    // vLLM release notes: Qwen3 in v0.8.4, Llama 4 in v0.8.3, Gemma 3 in v0.8.0, gpt-oss in v0.10.1, DeepSeek-V3 in v0.6.6
    expect(architectureSupport('Qwen3ForCausalLM')).toEqual({ since: '0.8.4' });
    expect(architectureSupport('Llama4ForConditionalGeneration')).toEqual({ since: '0.8.3' });
    expect(architectureSupport('Gemma3ForConditionalGeneration')).toEqual({ since: '0.8.0' });
    expect(architectureSupport('GptOssForCausalLM')).toEqual({ since: '0.10.1' });
    expect(architectureSupport('DeepseekV3ForCausalLM')).toEqual({ since: '0.6.6' });
    expect(architectureSupport('LlamaForCausalLM')).toEqual({ since: '0.1.0' });
    // removed with the V0 engine: vLLM's _PREVIOUSLY_SUPPORTED_MODELS says "supported until v0.10.2"
    expect(architectureSupport('MllamaForConditionalGeneration')).toEqual({ since: '0.6.2', until: '0.10.2' });
    expect(architectureSupport('NoSuchForCausalLM')).toBeUndefined();
    expect(architectureSupport('constructor')).toBeUndefined();
  });

  test('its releases are in order and every first or last release is one of them', () => {
    const sorted = [...VLLM_RELEASES].sort(compareVllmVersions);
    expect(VLLM_RELEASES).toEqual(sorted);
    expect(VLLM_RELEASES).toContain('0.8.5.post1');
    expect(VLLM_RELEASES).toContain('0.9.0.1');
    const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'catalog', 'data', 'vllm-architectures.json'), 'utf8'));
    const outside = Object.entries(data.architectures as Record<string, { since: string; until?: string }>).filter(
      ([, s]) => !VLLM_RELEASES.includes(s.since) || (s.until !== undefined && !VLLM_RELEASES.includes(s.until)),
    );
    expect(outside).toEqual([]);
    expect(data.source).toMatch(/^vllm-project\/vllm release tags v0\.1\.0…v\d+\.\d+\.\d+/);
  });

  test('orders post and four-part releases between their neighbours', () => {
    expect(compareVllmVersions('0.8.5', '0.8.5.post1')).toBeLessThan(0);
    expect(compareVllmVersions('0.8.5.post1', '0.9.0')).toBeLessThan(0);
    expect(compareVllmVersions('0.10.1.1', '0.10.1')).toBeGreaterThan(0);
    expect(compareVllmVersions('0.10.0', '0.9.2')).toBeGreaterThan(0);
    expect(() => compareVllmVersions('0.11.0rc1', '0.11.0')).toThrow(/'0.11.0rc1' is not a vLLM release version/);
    expect(architectureVerdict('0.8.3', 'Qwen3ForCausalLM')).toEqual({ status: 'not-yet', since: '0.8.4' });
    expect(architectureVerdict('0.8.4', 'Qwen3ForCausalLM')).toEqual({ status: 'supported' });
    expect(architectureVerdict('0.11.0', 'MllamaForConditionalGeneration')).toEqual({ status: 'removed', until: '0.10.2' });
    expect(architectureVerdict('0.6.3', 'MyCustomForCausalLM')).toEqual({ status: 'unknown-architecture' });
  });

  test('the derivation reads every registry layout vLLM had, and leaves out the tables that are no lookup', () => {
    const repo = tempDir('vllm-registry-');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { stdio: 'pipe' });
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    };
    git('init', '-q');
    // v0.1.x: the loader's _MODEL_REGISTRY of classes
    write('vllm/model_executor/model_loader.py', '_MODEL_REGISTRY = {\n    "LlamaForCausalLM": LlamaForCausalLM,\n    "OPTForCausalLM": OPTForCausalLM,\n}\n');
    git('add', '-A');
    git('commit', '-qm', 'one');
    git('tag', 'v0.1.0');
    // v0.3.x: models/__init__.py's _MODELS of (module, class), ROCm's notes beside it
    fs.rmSync(path.join(repo, 'vllm/model_executor/model_loader.py'));
    write(
      'vllm/model_executor/models/__init__.py',
      '_MODELS = {\n    "LlamaForCausalLM": ("llama", "LlamaForCausalLM"),\n    "MistralForCausalLM": ("mistral", "MistralForCausalLM"),\n}\n\n' +
        '_ROCM_PARTIALLY_SUPPORTED_MODELS = {\n    "GemmaForCausalLM":\n    "Sliding window attention is not yet supported",\n}\n',
    );
    git('add', '-A');
    git('commit', '-qm', 'two');
    git('tag', 'v0.3.0');
    git('tag', 'v0.3.1rc1');
    // registry.py: several tables, a removed architecture named only in _PREVIOUSLY_SUPPORTED_MODELS, a commented entry
    fs.rmSync(path.join(repo, 'vllm/model_executor/models/__init__.py'));
    write(
      'vllm/model_executor/models/registry.py',
      '_TEXT_GENERATION_MODELS = {\n    "LlamaForCausalLM": ("llama", "LlamaForCausalLM"),\n    "Qwen3ForCausalLM": (\n        "qwen3",\n        "Qwen3ForCausalLM",\n    ),\n' +
        '    # "OldForCausalLM": ("old", "Old"),\n}\n\n_TRANSFORMERS_BACKEND_MODELS = {\n    "TransformersForCausalLM": ("transformers", "TransformersForCausalLM"),\n}\n\n' +
        '_VLLM_MODELS = {\n    **_TEXT_GENERATION_MODELS,\n}\n\n_PREVIOUSLY_SUPPORTED_MODELS = {\n    "MistralForCausalLM": "0.3.0",\n}\n',
    );
    git('add', '-A');
    git('commit', '-qm', 'three');
    git('tag', 'v0.3.0.post1');
    const out = path.join(repo, 'out.json');
    execFileSync('node', [path.join(ROOT, 'scripts', 'derive-vllm-architectures.js'), path.join(repo, '.git'), out], { stdio: 'pipe' });
    const table = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(table.releases.map((r: { version: string }) => r.version)).toEqual(['0.1.0', '0.3.0', '0.3.0.post1']);
    expect(table.architectures).toEqual({
      LlamaForCausalLM: { since: '0.1.0' },
      OPTForCausalLM: { since: '0.1.0', until: '0.1.0' },
      MistralForCausalLM: { since: '0.3.0', until: '0.3.0' },
      Qwen3ForCausalLM: { since: '0.3.0.post1' },
    });
  });
});

describe('the vLLM version an image reference proves', () => {
  test.each([
    ['vllm/vllm-openai:v0.6.3', '0.6.3'],
    ['docker.io/vllm/vllm-openai:v0.8.5.post1', '0.8.5.post1'],
    ['vllm/vllm-openai:v0.10.1.1', '0.10.1.1'],
    ['vllm/vllm-openai:v0.12.0-aarch64-cu129', '0.12.0'],
    [`vllm/vllm-openai:v0.9.2@sha256:${'a'.repeat(64)}`, '0.9.2'],
    ['vllm/vllm-openai-rocm:v0.11.0-base', '0.11.0'],
    ['registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0.0', '0.8.4'],
    // a pull-through cache keeps Docker Hub's path
    ['nexus.internal.example.com/vllm/vllm-openai:v0.7.1', '0.7.1'],
  ])('%s runs vLLM %s', (image, version) => {
    expect(vllmVersionOfImageReference(image)?.version).toBe(version);
  });

  test.each([
    // another repository's build under vLLM's name, a release tag with build ids only: a git commit, a date, a platform
    ['ghcr.io/homelab/vllm-cpu:v0.11.0-cfc13f2', '0.11.0'],
    ['quay.io/myorg/vllm-openai:v0.6.3', '0.6.3'],
    ['registry.acme.test/ml/vllm:v0.10.1.1-20250812', '0.10.1.1'],
    ['ghcr.io/acme/vllm-rocm:v0.9.2-x86_64-0a1b2c3d', '0.9.2'],
  ])('%s is read as a build of vLLM %s, marked rebuilt', (image, version) => {
    expect(vllmVersionOfImageReference(image)).toEqual({ version, how: expect.stringContaining("a repository named as vLLM's builds are"), rebuilt: true });
  });

  test.each([
    'vllm/vllm-openai:latest',
    'vllm/vllm-openai:nightly-4c3dc8b2d6d44f0a',
    'vllm/vllm-openai:v0.11.0rc1',
    'vllm/vllm-openai',
    `vllm/vllm-openai@sha256:${'b'.repeat(64)}`,
    // another repository's build, whose tag names a vLLM version it may have added models to
    'rocm/vllm:rocm6.3.1_vllm_0.8.5_20250521',
    'quay.io/modh/vllm:rhoai-2.19-cuda',
    'vllm/vllm-openai:v0.20.0-rc0',
    // a repository not named as vLLM's, another version scheme, a suffix that is no build id, a version vLLM never had, a fork
    'ghcr.io/homelab/llm-server:v0.11.0-cfc13f2',
    'ghcr.io/homelab/vllm-cpu:2025.01-cfc13f2',
    'ghcr.io/homelab/vllm-cpu:v0.11.0-patched',
    'ghcr.io/homelab/vllm-cpu:v0.11.0rc1',
    'ghcr.io/homelab/vllm-cpu:v0.7.9-cfc13f2',
    'docker.io/rocm/vllm:v0.8.5',
    'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.3',
  ])('%s proves no version', (image) => {
    expect(vllmVersionOfImageReference(image)).toBeUndefined();
  });
});

describe("a model's architecture from its name", () => {
  test.each([
    ['Qwen/Qwen3-8B', 'Qwen3ForCausalLM'],
    ['hf://Qwen/Qwen3-4B-Instruct-2507', 'Qwen3ForCausalLM'],
    ['RedHatAI/Qwen3-30B-A3B-FP8-dynamic', 'Qwen3MoeForCausalLM'],
    ['s3://models/llm/gemma-3-27b-it/', 'Gemma3ForConditionalGeneration'],
    ['google/gemma-3-1b-it', 'Gemma3ForCausalLM'],
    ['/models/gpt-oss-120b', 'GptOssForCausalLM'],
    ['mistralai/Mistral-Small-3.1-24B-Instruct-2503', 'Mistral3ForConditionalGeneration'],
    ['RedHatAI/Llama-4-Scout-17B-16E-Instruct-quantized.w4a16', 'Llama4ForConditionalGeneration'],
    ['deepseek-ai/DeepSeek-R1-0528', 'DeepseekV3ForCausalLM'],
    ['oci://registry.redhat.io/rhelai1/modelcar-granite-3-1-8b-instruct:1.5', 'GraniteForCausalLM'],
    ['oci://quay.io/redhat-ai-services/modelcar-catalog:qwen3-8b', 'Qwen3ForCausalLM'],
    ['ibm-granite/granite-4.0-h-small', 'GraniteMoeHybridForCausalLM'],
    ['hf://meta-llama/Llama-3.2-11B-Vision-Instruct:main', 'MllamaForConditionalGeneration'],
  ])('%s is %s', (reference, architecture) => {
    expect(architectureOfModelReference(reference)?.architecture).toBe(architecture);
  });

  test.each([
    'Qwen/Qwen3-Omni-30B-A3B-Instruct',
    'Qwen/Qwen3-Embedding-8B',
    'Qwen/Qwen3-8B-my-finetune',
    'deepseek-ai/DeepSeek-V3.2-Exp',
    'google/medgemma-27b-text-it',
    'mistralai/Magistral-Small-2509',
    'ibm-granite/granite-vision-3.2-2b',
    '/mnt/models',
    's3://models/m/',
    // a modelcar whose repository and tag name two families: nothing is guessed
    'oci://quay.io/org/modelcar-qwen3-8b:gemma-3-27b-it',
  ])('%s names no family', (reference) => {
    expect(architectureOfModelReference(reference)).toBeUndefined();
  });

  test('the names of a reference: the last path segment, a modelcar repository and its tag', () => {
    expect(modelNamesOf('hf://org/name:rev')).toEqual(['name']);
    expect(modelNamesOf('oci://quay.io/org/modelcar-x:tag')).toEqual(['x', 'tag']);
    expect(modelNamesOf(`oci://quay.io/org/x@sha256:${'c'.repeat(64)}`)).toEqual(['x']);
    expect(modelNamesOf('pvc://models/a/b/')).toEqual(['b']);
  });
});

function findings(manifests: any[], models: Record<string, ModelProfile> = {}): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { models: new Map(Object.entries(models)), platform: 'rhoai-3.0', rules: [RULE] },
  );
}

describe('vllm-architecture-unsupported', () => {
  test('an image that can fall back to Transformers is a warning that says on what it depends', () => {
    // a model no bundled profile describes: its family by its name
    const [f, ...rest] = findings([deployment('vllm/vllm-openai:v0.8.3', ['--model', 'Qwen/Qwen3-8B-Base'])]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: RULE, severity: 'warning', object: 'Deployment/ai/llm' });
    expect(f.message).toMatch(
      /runs vLLM 0\.8\.3 .* with Qwen\/Qwen3-8B-Base, a Qwen3 model by its name: vLLM registers Qwen3ForCausalLM from 0\.8\.4 on; vLLM falls back/,
    );
    // a bundled profile's model: the architecture its config.json names
    expect(findings([deployment('vllm/vllm-openai:v0.8.3', ['--model', 'Qwen/Qwen3-8B'])])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /with Qwen\/Qwen3-8B, its config\.json \(bundled profile qwen3-8b\) names Qwen3ForCausalLM: vLLM registers Qwen3ForCausalLM from 0\.8\.4 on/,
        ),
      }),
    ]);
    // with the Transformers implementation ruled out, it is certain
    expect(findings([deployment('vllm/vllm-openai:v0.8.3', ['--model', 'Qwen/Qwen3-8B', '--model-impl', 'vllm'])])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/"Model architectures \['Qwen3ForCausalLM'\] are not supported for now"/) }),
    ]);
  });

  test("another repository's build of a release is judged by that release, as a warning: the build may register more", () => {
    const rebuilt = deployment('ghcr.io/homelab/vllm-openai:v0.6.3-cfc13f2', ['--model', 'Qwen/Qwen3-8B'], ['vllm', 'serve']);
    expect(findings([rebuilt]).map((f) => [f.severity, f.message])).toEqual([
      ['warning', expect.stringMatching(/runs vLLM 0\.6\.3 .*the engine stops at start .*, unless that build registers the architecture itself\. Upgrade/)],
    ]);
    // near miss: vLLM's own image of the release is proof, an error
    expect(findings([deployment('vllm/vllm-openai:v0.6.3', ['--model', 'Qwen/Qwen3-8B'])]).map((f) => f.severity)).toEqual(['error']);
  });

  test('vllm serve with a positional model, on a Red Hat AI Inference Server image, is judged by its vLLM core', () => {
    const d = deployment('registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.0.0', ['vllm', 'serve', 'openai/gpt-oss-20b']);
    d.spec.template.spec.containers[0].command = ['vllm', 'serve', 'openai/gpt-oss-20b'];
    d.spec.template.spec.containers[0].args = [];
    expect(findings([d])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /runs vLLM 0\.8\.4 \(image .*: Red Hat AI Inference Server 3\.0\.0, whose vLLM core is 0\.8\.4\).*GptOssForCausalLM from 0\.10\.1 on/,
        ),
      }),
    ]);
  });

  test('an architecture the newer image no longer has is a warning naming the last release', () => {
    expect(findings([deployment('vllm/vllm-openai:v0.11.0', ['--model', 'meta-llama/Llama-3.2-11B-Vision-Instruct'])])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/registers MllamaForConditionalGeneration up to 0\.10\.2 only/) }),
    ]);
  });

  test("silent where the architecture is not config.json's or the command line is not all known", () => {
    const mistral = ['--model', 'mistralai/Mistral-Small-3.1-24B-Instruct-2503'];
    expect(findings([deployment('vllm/vllm-openai:v0.8.0', mistral)])).toHaveLength(1);
    expect(findings([deployment('vllm/vllm-openai:v0.8.0', [...mistral, '--config-format', 'mistral', '--load-format', 'mistral'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.8.0', [...mistral, '--model-impl=transformers'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.8.0', [...mistral, '--hf-overrides', '{"architectures": ["MistralForCausalLM"]}'])])).toEqual([]);
    expect(findings([deployment('vllm/vllm-openai:v0.8.0', [...mistral, '--config', '/etc/vllm/config.yaml'])])).toEqual([]);
    // a container that does not start vLLM's server
    const job = deployment('vllm/vllm-openai:v0.6.3', []);
    job.spec.template.spec.containers[0].command = ['python', 'download.py', 'Qwen/Qwen3-8B'];
    expect(findings([job])).toEqual([]);
  });

  test("the model's config.json (a profile given or recorded) decides over its name", () => {
    const qwen25 = ModelProfile.bundled('qwen2.5-72b-instruct-awq');
    const runtime = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm', namespace: 'ai' },
      spec: { containers: [{ name: 'kserve-container', image: 'vllm/vllm-openai:v0.8.0', args: ['--port=8080', '--model=/mnt/models'] }] },
    };
    const isvc = (uri: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: uri } } },
    });
    // the folder is named like Qwen3, its config.json says Qwen2: Qwen2ForCausalLM is in 0.8.0
    expect(findings([runtime, isvc('s3://models/qwen3-8b/')], { 's3://models/qwen3-8b/': qwen25 })).toEqual([]);
    expect(findings([runtime, isvc('s3://models/qwen3-8b/')])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/image vllm\/vllm-openai:v0\.8\.0 of ServingRuntime 'vllm'/) }),
    ]);
    // Qwen2 on a vLLM from before Qwen2, known by the profile alone
    runtime.spec.containers[0].image = 'vllm/vllm-openai:v0.2.7';
    expect(findings([runtime, isvc('s3://models/m/')], { 's3://models/m/': qwen25 })).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /with qwen2\.5-72b-instruct-awq, its config\.json names Qwen2ForCausalLM: vLLM registers Qwen2ForCausalLM from 0\.3\.0 on/,
        ),
      }),
    ]);
  });

  test('an LLMInferenceService is judged by the image its main container sets, and only then', () => {
    const llm = (container: Record<string, unknown>) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: { name: 'llm', namespace: 'ai' },
      spec: { model: { uri: 'hf://google/gemma-3-27b-it', name: 'Qwen/Qwen3-8B' }, template: { containers: [{ name: 'main', ...container }] } },
    });
    expect(findings([llm({ image: 'vllm/vllm-openai:v0.7.1' })])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(/container 'main' runs vLLM 0\.7\.1 .*Gemma3ForConditionalGeneration from 0\.8\.0 on/),
      }),
    ]);
    expect(findings([llm({})])).toEqual([]);
  });
});

describe('at synth', () => {
  const QWEN25 = ModelProfile.bundled('qwen2.5-72b-instruct-awq');
  const service = (image: string) => {
    const f = fixture();
    const runtime = new VllmRuntime(f.chart, 'Old', { name: 'old', image, allowMutableImageTag: true });
    return () =>
      new S3ModelInferenceService(f.chart, 'qwen', {
        runtime,
        connection: f.connection,
        modelPath: 'qwen/',
        machineSet: f.machineSet,
        model: QWEN25,
        tensorParallelSize: 4,
      });
  };

  test("a service refuses a runtime whose vLLM predates its model's architecture and cannot fall back, naming the runtime", () => {
    expect(service('vllm/vllm-openai:v0.2.7')).toThrow(
      /InferenceService team-a\/qwen: model qwen2\.5-72b-instruct-awq is a Qwen2ForCausalLM, which vLLM registers from 0\.3\.0 on, but runtime 'old' runs vLLM 0\.2\.7 .*give the VllmRuntime an image of vLLM 0\.3\.0 or later/,
    );
    expect(service('vllm/vllm-openai:v0.3.0')).not.toThrow();
    // a digest alone tells no version: the default image is not judged
    expect(service(VllmRuntime.DEFAULT_IMAGE)).not.toThrow();
  });
});
