import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  ExistingGpuNodes,
  GpuInstanceType,
  ModelProfile,
  ModelSource,
  planReportOf,
  runChecks,
  ScaleSignal,
  SchemaValidator,
  startupBudget,
  VllmInferenceService,
  VllmMonitoring,
  VllmRuntime,
} from '../../lib';
import { keptWarnings, ROOT, testApp } from '../util';

const SHARED_CRDS = path.resolve(ROOT, '..', 'shared', 'crds');
const LLAMA_8B = ModelProfile.bundled('llama-3.1-8b-instruct');
const LLAMA_70B = ModelProfile.bundled('llama-3.1-70b-instruct');

/** One service on an L40S node in a fresh app; `extra` adds props. */
function service(extra: Record<string, unknown> = {}, model: ModelProfile | null = LLAMA_8B) {
  const app = testApp();
  const chart = new Chart(app, 'c', { namespace: 'team' });
  const nodes = new ExistingGpuNodes(chart, 'L40S', { shape: GpuInstanceType.G6E_12XLARGE });
  const svc = new VllmInferenceService(chart, 'llama', {
    runtime: new VllmRuntime(chart, 'R'),
    source: ModelSource.pvc('models', 'llama'),
    model: model ?? undefined,
    placement: nodes,
    maxModelLen: 16384,
    ...extra,
  });
  return { app, chart, svc, objects: () => Testing.synth(chart), warnings: keptWarnings(app) };
}

const isvcOf = (objects: any[]) => objects.find((o) => o.kind === 'InferenceService');

describe('autoscaling on what vLLM feels', () => {
  test("the default signal is vLLM's queue through KEDA, its threshold the concurrency the plan's KV cache holds", () => {
    const { svc, objects } = service({ autoscaling: { minReplicas: 1, maxReplicas: 3 } });
    const all = objects();
    const isvc = isvcOf(all);
    expect(isvc.metadata.annotations['serving.kserve.io/autoscalerClass']).toBe('keda');
    expect(isvc.spec.predictor.scaleMetric).toBeUndefined();
    const [metric] = isvc.spec.predictor.autoScaling.metrics;
    expect(metric.type).toBe('External');
    expect(metric.external.metric).toMatchObject({
      backend: 'prometheus',
      serverAddress: 'https://thanos-querier.openshift-monitoring.svc.cluster.local:9092',
      namespace: 'team',
      query: 'sum(vllm:num_requests_waiting{namespace="team",model_name="llama"})',
    });
    // threshold per replica: the sequences of max-model-len one replica's KV cache runs at once, rounded up
    expect(svc.plan!.maxConcurrency).toBeGreaterThan(1);
    expect(Number(metric.external.target.value)).toBe(Math.ceil(svc.plan!.maxConcurrency));
    // the token comes from the cluster (a service-account token Secret), never from Git
    const auth = all.find((o) => o.kind === 'TriggerAuthentication');
    expect(metric.external.authenticationRef).toEqual({ authModes: 'bearer', authenticationRef: { name: auth.metadata.name } });
    const token = all.find((o) => o.kind === 'Secret');
    expect(token).toMatchObject({
      type: 'kubernetes.io/service-account-token',
      metadata: { annotations: { 'kubernetes.io/service-account.name': 'vllm-metrics-reader' } },
    });
    expect(token.data).toBeUndefined();
    expect(all.find((o) => o.kind === 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'vllm-metrics-reader', namespace: 'team' }]);
  });

  test('two services of one namespace share one reader; an explicit threshold, KV-cache usage, CPU and the deprecated metric', () => {
    const { chart, objects } = service({ autoscaling: { minReplicas: 1, maxReplicas: 2, signal: ScaleSignal.requestsWaiting(3) } });
    const nodes = chart.node.findChild('L40S') as ExistingGpuNodes;
    const runtime = chart.node.findChild('R') as VllmRuntime;
    const kv = new VllmInferenceService(chart, 'kv', {
      runtime,
      source: ModelSource.pvc('models', 'x'),
      model: LLAMA_8B,
      placement: nodes,
      maxModelLen: 16384,
      autoscaling: { minReplicas: 1, maxReplicas: 2, signal: ScaleSignal.kvCacheUsage() },
    });
    const all = objects();
    expect(all.filter((o) => o.kind === 'TriggerAuthentication')).toHaveLength(1);
    expect(isvcOf(all).spec.predictor.autoScaling.metrics[0].external.target.value).toBe('3');
    const kvIsvc = all.find((o) => o.kind === 'InferenceService' && o.metadata.name === 'kv');
    // scale when one more max-model-len sequence no longer fits: 1 − 1/concurrency
    expect(Number(kvIsvc.spec.predictor.autoScaling.metrics[0].external.target.value)).toBeCloseTo(1 - 1 / kv.plan!.maxConcurrency, 2);
    expect(kvIsvc.spec.predictor.autoScaling.metrics[0].external.metric.query).toMatch(/vllm:kv_cache_usage_perc.* or .*vllm:gpu_cache_usage_perc/);
    const onCpu = service({ autoscaling: { minReplicas: 1, maxReplicas: 2, signal: ScaleSignal.cpu(60) } });
    const cpu = isvcOf(onCpu.objects()).spec.predictor;
    expect([cpu.scaleMetric, cpu.scaleTarget, cpu.autoScaling]).toEqual(['cpu', 60, undefined]);
    // a signal vLLM does not feel synthesizes, with the warning that says so
    expect(onCpu.warnings).toEqual([
      expect.stringMatching(/^warning autoscale-on-utilization InferenceService\/team\/llama: scales 1\.\.2 on cpu utilization/),
    ]);
    const onMemory = service({ autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'memory', target: 70 } });
    const old = isvcOf(onMemory.objects()).spec.predictor;
    expect([old.scaleMetric, old.scaleTarget]).toEqual(['memory', 70]);
    expect(onMemory.warnings).toEqual([
      expect.stringMatching(/^warning autoscale-on-utilization InferenceService\/team\/llama: scales 1\.\.2 on memory utiliz/),
    ]);
  });

  test('a signal with no threshold and no model, or both signal and metric, is refused with the fix', () => {
    expect(() => service({ autoscaling: { minReplicas: 1, maxReplicas: 2 } }, null)).toThrow(
      /takes its threshold from the GPU plan, and the service has none .*give the service its model, or the threshold explicitly/,
    );
    expect(() => service({ autoscaling: { minReplicas: 1, maxReplicas: 2, signal: ScaleSignal.cpu(), metric: 'cpu' } })).toThrow(
      /give signal, or the deprecated metric\/target, not both/,
    );
    expect(() => service({ autoscaling: { minReplicas: 1, maxReplicas: 2, signal: ScaleSignal.kvCacheUsage(1.5) } })).toThrow(/fraction in \(0, 1\]/);
    expect(() => service({ autoscaling: { minReplicas: 1, maxReplicas: 2, signal: { kind: 'cpu' } } })).toThrow(/must be a ScaleSignal/);
  });

  test('PLAN.md states the signal and the threshold', () => {
    const { app } = service({ autoscaling: { minReplicas: 1, maxReplicas: 3 } });
    expect(planReportOf(app)).toMatch(
      /Scaling: 1\.\.3 replicas on requests waiting in vLLM's queue above \d+ per replica \(the KV cache holds [\d.]+ sequences of 16384 tokens\)/,
    );
  });
});

describe('start-up budgets from the model', () => {
  test('the budget grows with the checkpoint, covers twice the expected time, and never falls below ten minutes', () => {
    const small = startupBudget({ checkpointBytes: 16e9, origin: 'pvc' });
    const big = startupBudget({ checkpointBytes: 141e9, origin: 'hf' });
    expect(big.budgetSeconds).toBeGreaterThan(small.budgetSeconds);
    for (const b of [small, big]) {
      expect(b.budgetSeconds).toBeGreaterThanOrEqual(Math.max(600, 2 * b.expectedSeconds));
      expect(b.budgetSeconds).toBe(b.failureThreshold * 10);
    }
    // 141 GB at 250 MiB/s is about 9 minutes of reading
    expect(big.loadSeconds).toBe(Math.ceil(141e9 / 1024 / 1024 / 250));
    expect(small.downloadSeconds).toBe(0); // a PVC is not downloaded
    expect(big.downloadSeconds).toBe(Math.ceil(141e9 / 1024 / 1024 / 40));
    expect(() => startupBudget({ checkpointBytes: NaN, origin: 's3' })).toThrow(/checkpointBytes must be a positive number/);
    expect(() => startupBudget({ checkpointBytes: 1e9, origin: 's3', readMiBps: 0 })).toThrow(/readMiBps must be a positive number/);
  });

  test('startupBudget renders a start-up probe of that budget and a liveness probe held off by it; PLAN.md shows the parts', () => {
    const { app, svc, objects } = service({ startupBudget: {}, tensorParallelSize: 4 }, LLAMA_70B);
    const model = isvcOf(objects()).spec.predictor.model;
    expect(model.startupProbe).toMatchObject({ httpGet: { path: '/health', port: 8080 }, periodSeconds: 10, failureThreshold: svc.startup!.failureThreshold });
    expect(model.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 8080 } });
    expect(planReportOf(app)).toMatch(/Start-up: weights read ~\d+ min.* at 150 MiB\/s \+ warm-up .* the start-up probe allows \d+ min/);
    // without the option nothing is rendered, and PLAN.md says what that means
    const plain = service();
    expect(isvcOf(plain.objects()).spec.predictor.model.startupProbe).toBeUndefined();
    expect(planReportOf(plain.app)).toMatch(/no start-up probe: a start that hangs is never restarted/);
    expect(() => service({ startupBudget: {} }, null)).toThrow(/startupBudget is sized from the checkpoint's bytes: give the service its model/);
  });
});

describe('metrics, alerts and a dashboard', () => {
  test('a PodMonitor on the predictor pods, alerts whose thresholds follow the plan, a dashboard ConfigMap', () => {
    const { chart, svc, objects } = service();
    new VllmMonitoring(chart, 'Mon', { service: svc });
    const all = objects();
    const pm = all.find((o) => o.kind === 'PodMonitor');
    expect(pm.spec.selector.matchLabels).toEqual({ 'serving.kserve.io/inferenceservice': 'llama' });
    expect(pm.spec.podMetricsEndpoints[0]).toMatchObject({ path: '/metrics', targetPort: 8080 });
    const rules = all.find((o) => o.kind === 'PrometheusRule').spec.groups[0].rules;
    const byName = Object.fromEntries(rules.map((r: any) => [r.alert, r]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining(['VllmKvCacheNearlyFull', 'VllmRequestsWaiting', 'VllmPreemptions', 'VllmRequestErrors', 'VllmGpuMemoryAboveBudget', 'VllmDown']),
    );
    const kvThreshold = Math.max(0.5, Math.round((1 - 1 / svc.plan!.maxConcurrency) * 100) / 100);
    expect(byName.VllmKvCacheNearlyFull.expr).toMatch(new RegExp(`> ${kvThreshold}$`));
    expect(byName.VllmRequestsWaiting.expr).toMatch(new RegExp(`> ${Math.ceil(svc.plan!.maxConcurrency)}$`));
    const dashboard = all.find((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(JSON.parse(dashboard.data['llama-vllm.json']).panels.length).toBeGreaterThanOrEqual(6);
    expect(() => new VllmMonitoring(chart, 'Bad', { service: svc, errorRatio: 2 })).toThrow(/errorRatio must be a fraction/);
    expect(() => new VllmMonitoring(chart, 'Bad2', { service: svc, scrapeInterval: 'often' })).toThrow(/scrapeInterval must be a Prometheus duration/);
  });

  const crds = fs.existsSync(SHARED_CRDS) ? test : test.skip;
  crds('every day-two object validates against the KEDA, prometheus-operator and OpenShift AI 3.0 CRDs', () => {
    const { chart, svc, objects } = service({ autoscaling: { minReplicas: 1, maxReplicas: 3 }, startupBudget: {} });
    new VllmMonitoring(chart, 'Mon', { service: svc });
    const shipped = new SchemaValidator({ cacheDir: null });
    const fromCrds = new SchemaValidator({ crdDir: SHARED_CRDS, cacheDir: null });
    const all = objects();
    expect(all.map((o) => o.kind).sort()).toEqual(
      [
        'ConfigMap',
        'InferenceService',
        'PodMonitor',
        'PrometheusRule',
        'Role',
        'RoleBinding',
        'Secret',
        'ServiceAccount',
        'ServingRuntime',
        'TriggerAuthentication',
      ].sort(),
    );
    expect(all.flatMap((o) => shipped.validate(o))).toEqual([]);
    expect(all.filter((o) => o.apiVersion.includes('.')).flatMap((o) => fromCrds.validate(o))).toEqual([]);
  });
});

describe('check: the day-two rules', () => {
  const runtime = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'vllm', namespace: 'ns' },
    spec: {
      supportedModelFormats: [{ name: 'vLLM', autoSelect: true }],
      // vLLM on the port KServe routes to and the probes knock on (its default is 8000)
      containers: [{ name: 'kserve-container', image: 'quay.io/vllm/vllm-openai@sha256:' + 'a'.repeat(64), args: ['--model=/mnt/models', '--port=8080'] }],
    },
  };
  const isvc = (predictor: Record<string, unknown>, model: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'llm', namespace: 'ns', annotations: { [ModelProfile.ANNOTATION]: LLAMA_70B.toAnnotation(), ...annotations } },
    spec: {
      predictor: {
        ...predictor,
        model: {
          modelFormat: { name: 'vLLM' },
          runtime: 'vllm',
          storageUri: 'hf://meta-llama/Llama-3.1-70B-Instruct:main',
          resources: { limits: { 'nvidia.com/gpu': '4' }, requests: { 'nvidia.com/gpu': '4' } },
          args: ['--tensor-parallel-size=4'],
          ...model,
        },
      },
    },
  });
  const ids = (m: any) => runChecks([{ manifest: runtime }, { manifest: m }], { platform: 'rhoai-3.0' }).map((f) => f.rule);
  const probe = (periodSeconds: number, failureThreshold: number) => ({ httpGet: { path: '/health', port: 8080 }, periodSeconds, failureThreshold });

  test('autoscale-on-utilization: fires on a CPU HPA (explicit or KServe’s default), not on KEDA or a fixed replica count', () => {
    expect(ids(isvc({ minReplicas: 1, maxReplicas: 3, scaleMetric: 'cpu', scaleTarget: 80 }))).toContain('autoscale-on-utilization');
    expect(ids(isvc({ minReplicas: 1, maxReplicas: 3 }))).toContain('autoscale-on-utilization');
    expect(ids(isvc({ minReplicas: 1, maxReplicas: 3 }, {}, { 'serving.kserve.io/autoscalerClass': 'keda' }))).not.toContain('autoscale-on-utilization');
    expect(ids(isvc({ minReplicas: 2, maxReplicas: 2, scaleMetric: 'cpu' }))).not.toContain('autoscale-on-utilization');
  });

  test('startup-probe-too-short: a 60 s budget for a 70B model fires; a budget beyond its load does not', () => {
    expect(ids(isvc({}, { startupProbe: probe(10, 6) }))).toContain('startup-probe-too-short');
    const need = startupBudget({ checkpointBytes: LLAMA_70B.weightBytes, origin: 'hf' }).expectedSeconds;
    expect(ids(isvc({}, { startupProbe: probe(10, Math.ceil(need / 10) + 1) }))).not.toContain('startup-probe-too-short');
  });

  test('startup-probe-too-short: an error only when even a fast node cannot load in time, a warning naming the assumed rates in between', () => {
    const verdict = (failureThreshold: number) =>
      runChecks([{ manifest: runtime }, { manifest: isvc({}, { startupProbe: probe(10, failureThreshold) }) }], { platform: 'rhoai-3.0' })
        .filter((f) => f.rule === 'startup-probe-too-short')
        .map((f) => [f.severity, f.message.replace(/^.*?(, and even on a fast node|; on a fast node)/, '$1').slice(0, 40)]);
    // 70B in bf16, about 141 GB: at 1000 MiB/s about 135 s of reading and 30 s of warm-up; at 250 MiB/s and 120 s, about 660 s
    expect(verdict(16)).toEqual([['error', ', and even on a fast node (a download at']]);
    expect(verdict(17)).toEqual([['warning', '; on a fast node (a download at 200 MiB/']]);
    expect(verdict(66)).toEqual([]);
  });

  test('liveness-kills-loading: liveness without a start-up probe fires; with one, or with an initial delay beyond the load, it does not', () => {
    expect(ids(isvc({}, { livenessProbe: probe(10, 3) }))).toContain('liveness-kills-loading');
    expect(ids(isvc({}, { livenessProbe: probe(10, 3), startupProbe: probe(10, 200) }))).not.toContain('liveness-kills-loading');
    expect(ids(isvc({}, { livenessProbe: { ...probe(10, 3), initialDelaySeconds: 3600 } }))).not.toContain('liveness-kills-loading');
    // a probe that does not ask vLLM (a file test) cannot be failed by the load
    expect(ids(isvc({}, { livenessProbe: { exec: { command: ['test', '-f', '/tmp/alive'] }, periodSeconds: 10, failureThreshold: 3 } }))).not.toContain(
      'liveness-kills-loading',
    );
  });
});
