import * as path from 'path';
import * as YAML from 'yaml';
import { Chart } from 'cdk8s';
import {
  ExistingGpuNodes,
  Finding,
  GpuInstanceType,
  ModelProfile,
  ModelSource,
  PlatformId,
  readManifests,
  runChecks,
  setPlatform,
  VllmLlmInferenceService,
  VllmLlmInferenceServiceProps,
} from '../../lib';
import { composeLlmSpec, mergeLlmSpecs, wellKnownWorkloadPresets } from '../../lib/check/llm-config-merge';
import { ROOT, testApp } from '../util';

const RULES = ['startup-probe-too-short', 'liveness-kills-loading'];
// Llama-3.1-70B in BF16 is about 141 GB: 134,571 MiB read at 250 MiB/s (539 s) plus 120 s of warm-up = 659 s
const LLAMA_70B = ModelProfile.bundled('llama-3.1-70b-instruct').toAnnotation();
// Llama-3.1-8B: about 16 GB, 15,317 MiB at 250 MiB/s (62 s) plus 120 s = 182 s
const LLAMA_8B = ModelProfile.bundled('llama-3.1-8b-instruct').toAnnotation();

/** An LLMInferenceService as a user writes it; `spec` is YAML merged over a minimal one-pool spec. */
function service(spec: string, o: { apiVersion?: string; model?: string; name?: string } = {}): Record<string, unknown> {
  const own = (YAML.parse(spec) ?? {}) as Record<string, unknown>;
  return {
    apiVersion: o.apiVersion ?? 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name: o.name ?? 'llm', namespace: 'ai', annotations: { 'cdk8s-vllm.io/model-profile': o.model ?? LLAMA_70B } },
    spec: {
      model: { uri: 'hf://meta-llama/Llama-3.1-70B-Instruct', name: 'llama' },
      template: { containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': '4' } } }] },
      ...own,
    },
  };
}

function check(platform: PlatformId | 'rhoai-2', ...manifests: Record<string, unknown>[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest, file: 'serving.yaml' })),
    { platform, rules: RULES },
  );
}

const GPU_MAIN = "{name: main, resources: {limits: {nvidia.com/gpu: '4'}}";

describe("KServe's merge of an LLMInferenceService over its presets (config_merge.go mergeSpecs, cases of config_merge_test.go)", () => {
  test('containers merge by name: the override wins field by field, new containers are added, tolerations and args are replaced', () => {
    const base = YAML.parse(`
      replicas: 1
      template:
        initContainers: [{name: storage-initializer, image: init:1, resources: {requests: {storage: 1Mi}}}]
        containers: [{name: kserve-container, image: base:0.1, args: [a, b], resources: {requests: {cpu: '1'}}, env: [{name: A, value: '1'}, {name: Z, value: '42'}]}]
        tolerations: [{key: team, operator: Equal, value: a}]
    `);
    const override = YAML.parse(`
      replicas: 2
      template:
        initContainers: [{name: storage-initializer, resources: {requests: {storage: 1Gi}}}]
        containers:
          - {name: kserve-container, image: override:1.0, args: [x], env: [{name: B, value: '2'}, {name: Z, value: ''}], resources: {requests: {cpu: '2'}, limits: {cpu: '4'}}}
          - {name: transformer, image: transformer:latest}
        tolerations: [{key: gpu, operator: Exists}]
        priorityClassName: high
    `);
    const merged = mergeLlmSpecs(base, override);
    expect(merged.replicas).toBe(2);
    expect(merged.template.initContainers).toEqual([{ name: 'storage-initializer', image: 'init:1', resources: { requests: { storage: '1Gi' } } }]);
    const main = merged.template.containers.find((c: { name: string }) => c.name === 'kserve-container');
    expect(main.image).toBe('override:1.0');
    expect(main.args).toEqual(['x']);
    expect(main.resources).toEqual({ requests: { cpu: '2' }, limits: { cpu: '4' } });
    // an empty value is not marshalled: Z keeps 42
    expect(Object.fromEntries(main.env.map((e: { name: string; value: string }) => [e.name, e.value]))).toEqual({ A: '1', B: '2', Z: '42' });
    expect(merged.template.containers.map((c: { name: string }) => c.name).sort()).toEqual(['kserve-container', 'transformer']);
    expect(merged.template.tolerations).toEqual([{ key: 'gpu', operator: 'Exists' }]);
    expect(merged.template.priorityClassName).toBe('high');
  });

  test('empty lists and nulls leave the base alone; lists outside the pods (baseRefs, LoRA adapters) are replaced, not merged by name', () => {
    const base = YAML.parse(`
      template: {containers: [{name: busybox, image: busybox}], initContainers: [{name: sidecar, image: s}]}
      model: {lora: {adapters: [{name: a, uri: 'hf://o/a'}, {name: b, uri: 'hf://o/b'}]}}
    `);
    const merged = mergeLlmSpecs(
      base,
      YAML.parse(`{template: {containers: [], initContainers: [], nodeSelector: null}, model: {lora: {adapters: [{name: a, uri: 'hf://o/a2'}]}}}`),
    );
    expect(merged.template).toEqual({ containers: [{ name: 'busybox', image: 'busybox' }], initContainers: [{ name: 'sidecar', image: 's' }] });
    expect(merged.model.lora.adapters).toEqual([{ name: 'a', uri: 'hf://o/a2' }]);
  });

  test("a probe merges field by field: the service's failureThreshold replaces the preset's, the handler stays; a 0 or a null does not override", () => {
    const preset = YAML.parse(
      `{template: {containers: [{name: main, startupProbe: {httpGet: {path: /health, port: 8000}, failureThreshold: 60, periodSeconds: 10}, livenessProbe: {httpGet: {path: /health, port: 8000}}}]}}`,
    );
    const merged = mergeLlmSpecs(
      preset,
      YAML.parse(
        `{template: {containers: [{name: main, startupProbe: {failureThreshold: 6, periodSeconds: 0, initialDelaySeconds: 0}, livenessProbe: null}]}}`,
      ),
    );
    expect(merged.template.containers[0].startupProbe).toEqual({ httpGet: { path: '/health', port: 8000 }, failureThreshold: 6, periodSeconds: 10 });
    expect(merged.template.containers[0].livenessProbe).toEqual({ httpGet: { path: '/health', port: 8000 } });
  });

  test.each([
    ['one node', '{}', ['kserve-config-llm-template']],
    ['a worker with data parallelism', '{worker: {}, parallelism: {data: 2, dataLocal: 1}}', ['kserve-config-llm-worker-data-parallel']],
    ['a worker with dataLocal only', '{worker: {}, parallelism: {dataLocal: 2}}', ['kserve-config-llm-worker-data-parallel']],
    ['a worker with pipeline parallelism', '{worker: {}, parallelism: {pipeline: 2}}', ['kserve-config-llm-worker-pipeline-parallel']],
    ['a worker with data and pipeline (data first)', '{worker: {}, parallelism: {pipeline: 2, data: 2}}', ['kserve-config-llm-worker-data-parallel']],
    ['a worker with tensor parallelism only', '{worker: {}, parallelism: {tensor: 4}}', []],
    ['prefill and decode on one node', '{prefill: {}}', ['kserve-config-llm-prefill-template', 'kserve-config-llm-decode-template']],
    [
      'a multi-node decode pool beside a one-node prefill pool',
      '{prefill: {}, worker: {}, parallelism: {data: 4, dataLocal: 2}}',
      ['kserve-config-llm-prefill-template', 'kserve-config-llm-decode-worker-data-parallel'],
    ],
  ])('combineBaseRefsConfig chooses the workload presets for %s', (_, spec, want) => {
    expect(wellKnownWorkloadPresets(YAML.parse(spec))).toEqual(want);
  });

  test('a baseRef that adds a worker changes the preset chosen, and is merged after it; the service comes last', () => {
    const presets: Record<string, unknown> = {
      'kserve-config-llm-worker-data-parallel': YAML.parse('{template: {containers: [{name: main, image: dp}]}}'),
      'kserve-config-llm-template': YAML.parse('{template: {containers: [{name: main, image: single}]}}'),
      'multi-node': YAML.parse(
        '{worker: {containers: [{name: main}]}, parallelism: {data: 2, dataLocal: 1}, template: {containers: [{name: main, image: mine}]}}',
      ),
    };
    const composed = composeLlmSpec(
      YAML.parse('{baseRefs: [{name: multi-node}, {name: elsewhere}], template: {containers: [{name: main, args: [x]}]}}'),
      (name) => (presets[name] ? { name, spec: presets[name] } : undefined),
    );
    expect(composed.layers.map((l) => l.name)).toEqual(['kserve-config-llm-worker-data-parallel', 'multi-node']);
    expect(composed.missing).toEqual(['elsewhere']);
    expect(composed.spec.template.containers).toEqual([{ name: 'main', image: 'mine', args: ['x'] }]);
  });
});

describe('startup-probe-too-short and liveness-kills-loading on LLMInferenceServices, judged on the merged pods', () => {
  test("fires: a start-up probe of the service's own shorter than the load, merged into the 3.4 preset's (period 10 s kept)", () => {
    const f = check('rhoai-3.4', service(`template: {containers: [${GPU_MAIN}, startupProbe: {failureThreshold: 6}}]}`));
    expect(f.map((x) => x.rule)).toEqual(['startup-probe-too-short']);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('(spec.template)');
    expect(f[0].message).toContain("set by LLMInferenceServiceConfig kserve-config-llm-template (shipped with rhoai-3.4), then the service's spec");
    expect(f[0].message).toContain('gives up after 60 s');
    expect(f[0].message).toContain('needs about 659 s');
    expect(f[0].message).toContain('spec.template.containers[main].startupProbe.failureThreshold to 132');
  });

  test("fires: the 3.4 preset's own start-up probe (600 s) under a 70B model whose template sets no probe", () => {
    const f = check('rhoai-3.4', service(''));
    expect(f.map((x) => x.rule)).toEqual(['startup-probe-too-short']);
    expect(f[0].message).toMatch(
      /^the pods \(spec\.template\): .*set by LLMInferenceServiceConfig kserve-config-llm-template \(shipped with rhoai-3.4\)\) gives up after 600 s/,
    );
  });

  test("near miss: the same template without probes on an 8B model keeps the preset's 600 s, which covers its 182 s", () => {
    expect(check('rhoai-3.4', service('', { model: LLAMA_8B }))).toEqual([]);
  });

  test("near miss: a failureThreshold of the service's that covers the budget", () => {
    expect(check('rhoai-3.4', service(`template: {containers: [${GPU_MAIN}, startupProbe: {failureThreshold: 132}}]}`))).toEqual([]);
  });

  test("near miss: llm-d's inference simulator in the main container loads no weights, so the preset's probe is no deadline for it", () => {
    const simulated = "template: {containers: [{name: main, image: 'ghcr.io/llm-d/llm-d-inference-sim:v0.5.1'}]}";
    expect(check('rhoai-3.0', service(simulated, { apiVersion: 'serving.kserve.io/v1alpha1', model: LLAMA_8B }))).toEqual([]);
    // the same service on vLLM's image is judged
    const real = "template: {containers: [{name: main, image: 'registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.0'}]}";
    expect(check('rhoai-3.0', service(real, { apiVersion: 'serving.kserve.io/v1alpha1' })).map((x) => x.rule)).toEqual(['liveness-kills-loading']);
  });

  test("near miss: OpenShift AI 3.0's preset gives a liveness probe after 150 s and no start-up probe; an 8B model's estimated 182 s is within the estimate's 50 s spread, 46 s on a fast node: no verdict", () => {
    expect(check('rhoai-3.0', service('', { apiVersion: 'serving.kserve.io/v1alpha1', model: LLAMA_8B }))).toEqual([]);
  });

  test('the same service with no release given or told: a warning that names the presets it assumed, an error once the platform is given', () => {
    // the 70B model: 164 s even read at a fast node's rate with the least warm-up, beyond the preset's 150 s
    const v1alpha1 = service('', { apiVersion: 'serving.kserve.io/v1alpha1' });
    // an OpenShift AI mark, no release
    (v1alpha1.metadata as Record<string, unknown>).labels = { 'opendatahub.io/dashboard': 'true' };
    const assumed = runChecks([{ manifest: v1alpha1, file: 'serving.yaml' }], { rules: RULES });
    expect(assumed.map((x) => [x.rule, x.severity])).toEqual([['liveness-kills-loading', 'warning']]);
    expect(assumed[0].message).toMatch(/judged with rhoai-3\.0's presets, assumed because nothing in the tree tells the platform; .*give --platform/);
    const told = runChecks([{ manifest: v1alpha1, file: 'serving.yaml' }], { rules: RULES, platform: 'rhoai-3.0' });
    expect(told.map((x) => [x.rule, x.severity])).toEqual([['liveness-kills-loading', 'error']]);
    expect(told[0].message).not.toMatch(/assumed/);
  });

  test('an assumed release whose candidates all merge the same probes (3.0 and 3.3 ship one template probe): the verdict does not rest on the choice', () => {
    const v1alpha1 = service('', { apiVersion: 'serving.kserve.io/v1alpha1' });
    const judged = (platformCandidates: ('rhoai-3.0' | 'rhoai-3.3' | 'rhoai-3.4')[]) =>
      runChecks([{ manifest: v1alpha1, file: 'serving.yaml' }], { rules: RULES, platform: 'rhoai-3.0', platformAssumed: true, platformCandidates }).map((x) => [
        x.rule,
        x.severity,
      ]);
    expect(judged(['rhoai-3.0', 'rhoai-3.3'])).toEqual([['liveness-kills-loading', 'error']]);
    // 3.4's template adds a start-up probe of 600 s: with 3.4 a candidate, the verdict rests on the release
    expect(judged(['rhoai-3.0', 'rhoai-3.3', 'rhoai-3.4'])).toEqual([['liveness-kills-loading', 'warning']]);
  });

  test("near miss on 3.0: a start-up probe of the service holds the preset's liveness probe off", () => {
    const own = `template: {containers: [${GPU_MAIN}, startupProbe: {httpGet: {path: /health, port: 8000, scheme: HTTPS}, failureThreshold: 60}}]}`;
    expect(check('rhoai-3.0', service(own, { apiVersion: 'serving.kserve.io/v1alpha1', model: LLAMA_8B }))).toEqual([]);
  });

  test("fires: the tree replaces the well-known preset in the service's namespace and leaves its start-up probe out", () => {
    const preset = {
      apiVersion: 'serving.kserve.io/v1alpha2',
      kind: 'LLMInferenceServiceConfig',
      metadata: { name: 'kserve-config-llm-template', namespace: 'ai' },
      spec: YAML.parse(
        '{template: {containers: [{name: main, livenessProbe: {httpGet: {path: /health, port: 8000}, periodSeconds: 10, failureThreshold: 3}}]}}',
      ),
    };
    const f = check('rhoai-3.4', service('', { model: LLAMA_8B }), preset);
    expect(f.map((x) => x.rule)).toEqual(['liveness-kills-loading']);
    expect(f[0].message).toContain('set by LLMInferenceServiceConfig kserve-config-llm-template (in the tree)) gives up after 30 s');
    // the same preset in another team's namespace is not read: the shipped one applies, and covers an 8B model
    expect(check('rhoai-3.4', service('', { model: LLAMA_8B }), { ...preset, metadata: { ...preset.metadata, namespace: 'other' } })).toEqual([]);
  });

  test('fires on the prefill pool and on workers: each pod template is judged on its own', () => {
    const f = check(
      'rhoai-3.4',
      service(`
        parallelism: {data: 2, dataLocal: 1, tensor: 4}
        worker: {containers: [{name: main, livenessProbe: {httpGet: {path: /health, port: 8000}, failureThreshold: 3}}]}
        prefill:
          template: {containers: [${GPU_MAIN}, startupProbe: {failureThreshold: 10}}]}
      `),
    );
    const byPod = (x: Finding) => x.message.slice(0, x.message.indexOf(':'));
    expect(f.map((x) => [x.rule, byPod(x)]).sort((a, b) => a[1].localeCompare(b[1]))).toEqual([
      ['startup-probe-too-short', 'the decode leader pods (spec.template)'],
      ['liveness-kills-loading', 'the decode worker pods (spec.worker)'],
      ['startup-probe-too-short', 'the prefill pods (spec.prefill.template)'],
    ]);
    const of = (pod: string) => f.find((x) => byPod(x) === pod)!.message;
    expect(of('the decode leader pods (spec.template)')).toContain(
      'set by LLMInferenceServiceConfig kserve-config-llm-decode-worker-data-parallel (shipped with rhoai-3.4))',
    );
    expect(of('the prefill pods (spec.prefill.template)')).toContain(
      "set by LLMInferenceServiceConfig kserve-config-llm-prefill-template (shipped with rhoai-3.4), then the service's spec) gives up after 100 s",
    );
  });

  test('a shipped accelerator preset as baseRef is known (it sets no probe); a baseRef neither shipped nor in the tree makes the pods unknown: nothing is judged', () => {
    const short = `template: {containers: [${GPU_MAIN}, startupProbe: {failureThreshold: 6}}]}`;
    expect(check('rhoai-3.4', service(`{baseRefs: [{name: kserve-config-llm-template-nvidia-cuda}], ${short}}`)).map((x) => x.rule)).toEqual([
      'startup-probe-too-short',
    ]);
    expect(check('rhoai-3.4', service(`{baseRefs: [{name: team-preset}], ${short}}`))).toEqual([]);
    // OpenShift AI 2.x: its presets are not sourced
    expect(check('rhoai-2', service(short))).toEqual([]);
  });

  test('a probe that is no mapping or has timings that are no whole numbers of 0 or more gets no verdict (the schema reports it)', () => {
    for (const probe of ['startupProbe: x', 'startupProbe: {failureThreshold: 1.5}', 'livenessProbe: {periodSeconds: -1}']) {
      expect(check('rhoai-3.4', service(`template: {containers: [${GPU_MAIN}, ${probe}}]}`))).toEqual([]);
    }
    // the same service with a well-formed short probe is judged
    expect(check('rhoai-3.4', service(`template: {containers: [${GPU_MAIN}, startupProbe: {failureThreshold: 2}}]}`))).toHaveLength(1);
  });

  test('upstream KServe 0.20: its preset allows 600 s and its liveness probe waits for it', () => {
    const f = check('kserve', service(''));
    expect(f.map((x) => x.rule)).toEqual(['startup-probe-too-short']);
    expect(check('kserve', service('', { model: LLAMA_8B }))).toEqual([]);
  });
});

describe('VllmLlmInferenceService sizes the start-up probe the presets lack', () => {
  function render(platform: PlatformId, props: Partial<VllmLlmInferenceServiceProps> = {}): Record<string, any> {
    const app = testApp();
    setPlatform(app, platform);
    const chart = new Chart(app, 'serving', { namespace: 'ai' });
    const nodes = new ExistingGpuNodes(chart, 'nodes', { shape: GpuInstanceType.G6E_12XLARGE, nodeCount: 3 });
    const svc = new VllmLlmInferenceService(chart, 'llm', {
      source: ModelSource.huggingFace('meta-llama/Llama-3.1-70B-Instruct', { revision: '945c8663693130f8be2ee66210e062158b2a9693' }),
      model: ModelProfile.bundled('llama-3.1-70b-instruct'),
      placement: nodes,
      parallelism: { tensor: 4 },
      ...props,
    });
    return svc.apiObject.toJson().spec;
  }
  const mainOf = (pod: any) => pod.containers.find((c: any) => c.name === 'main');

  test('OpenShift AI 3.0: HTTPS on the preset port (8001 behind the decode routing sidecar), 2 × 659 s in 10 s periods; no probe on workers', () => {
    const spec = render('rhoai-3.0', {
      multiNode: true,
      parallelism: { tensor: 4, data: 2, dataLocal: 1 },
      prefill: { parallelism: { tensor: 4 } },
    });
    expect(mainOf(spec.template).startupProbe).toEqual({ httpGet: { path: '/health', port: 8001, scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 132 });
    expect(mainOf(spec.prefill.template).startupProbe).toEqual({
      httpGet: { path: '/health', port: 8000, scheme: 'HTTPS' },
      periodSeconds: 10,
      failureThreshold: 132,
    });
    expect(mainOf(spec.worker).startupProbe).toBeUndefined();
  });

  test("OpenShift AI 3.4: no scheme (the preset's, from the controller's TLS setting, is kept by the merge); none where the preset's 600 s is the budget", () => {
    expect(mainOf(render('rhoai-3.4').template).startupProbe).toEqual({ httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, failureThreshold: 132 });
    const small = render('rhoai-3.4', { model: ModelProfile.bundled('llama-3.1-8b-instruct'), parallelism: { tensor: 1 } });
    expect(mainOf(small.template).startupProbe).toBeUndefined();
  });

  test('a slower read makes a longer probe; without a model there is none, and startupBudget without a model is refused', () => {
    expect(mainOf(render('rhoai-3.4', { startupBudget: { readMiBps: 100 } }).template).startupProbe.failureThreshold).toBe(294);
    expect(mainOf(render('rhoai-3.0', { model: undefined }).template).startupProbe).toBeUndefined();
    expect(() => render('rhoai-3.0', { model: undefined, startupBudget: { readMiBps: 100 } })).toThrow(
      /LLMInferenceService ai\/llm: startupBudget is sized from the checkpoint's bytes/,
    );
  });

  test.each(['rhoai-3.0', 'rhoai-3.4'])('the rendered llm-d example (examples/dist-llm-d/%s) is clean under check', (p) => {
    const read = readManifests([path.join(ROOT, 'examples', 'dist-llm-d', p)]);
    const findings = runChecks(read.manifests, { platform: p as PlatformId, folders: read.folders, leftOut: read.leftOut });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => RULES.includes(f.rule))).toEqual([]);
  });
});
