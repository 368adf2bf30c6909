import { ruleFound } from '../util';

type Doc = Record<string, unknown>;

const GPU_TOLERATION = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

const workload = (tolerations: Doc[] = [GPU_TOLERATION]): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: {
    selector: { matchLabels: { app: 'chat' } },
    template: {
      metadata: { labels: { app: 'chat' } },
      spec: { tolerations, containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
    },
  },
});

const exporter = (tolerations?: Doc[]): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'dcgm-exporter', namespace: 'metrics' },
  spec: {
    selector: { matchLabels: { app: 'dcgm' } },
    template: {
      metadata: { labels: { app: 'dcgm' } },
      spec: { ...(tolerations ? { tolerations } : {}), containers: [{ name: 'exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04' }] },
    },
  },
});

/** An Argo CD Application of the dcgm-exporter chart with the inline values given. */
const application = (values: Doc): Doc => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'dcgm-exporter', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://nvidia.github.io/dcgm-exporter/helm-charts', chart: 'dcgm-exporter', targetRevision: '4.2.3', helm: { valuesObject: values } },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'metrics' },
  },
});

const hpa: Doc = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' },
    minReplicas: 1,
    maxReplicas: 3,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'DCGM_FI_DEV_GPU_UTIL' }, target: { type: 'AverageValue', averageValue: '80' } } }],
  },
};

const found = (...docs: Doc[]) =>
  ruleFound(
    'dcgm-exporter-taint-untolerated',
    docs.map((manifest) => ({ manifest })),
  ).map((f) => [f.severity, f.object, f.message]);

describe('dcgm-exporter-taint-untolerated', () => {
  test('an exporter DaemonSet without tolerations while the GPU workload tolerates nvidia.com/gpu: a warning naming the taint and the toleration to add', () => {
    expect(found(workload(), exporter())).toEqual([
      [
        'warning',
        'DaemonSet/metrics/dcgm-exporter',
        "the dcgm-exporter DaemonSet tolerates none of the taints the tree's GPU workloads tolerate on their GPU nodes: nvidia.com/gpu:NoSchedule " +
          "(tolerated by Deployment/ai/chat); the exporter's pods are not scheduled on the GPU nodes carrying that taint, so no GPU metrics come from them; " +
          'add spec.template.spec.tolerations {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}',
      ],
    ]);
  });

  test('an error where an HPA scales on DCGM metrics', () => {
    const [[severity, , message]] = found(workload(), exporter(), hpa);
    expect(severity).toBe('error');
    expect(message).toContain('and HorizontalPodAutoscaler/ai/chat, which scales on DCGM metrics, never see them');
  });

  test('a chart release whose values set no tolerations: a warning on the Application', () => {
    const [[severity, object, message]] = found(workload(), application({ serviceMonitor: { enabled: true } }));
    expect([severity, object]).toEqual(['warning', 'Application/argocd/dcgm-exporter']);
    expect(message).toContain("release dcgm-exporter of chart dcgm-exporter, whose values set no tolerations (the chart's default is none),");
  });

  test('near misses: the taint tolerated (by key, or an Exists for all), values with tolerations, no GPU workload tolerating a taint, PreferNoSchedule only', () => {
    expect(found(workload(), exporter([GPU_TOLERATION]))).toEqual([]);
    expect(found(workload(), exporter([{ operator: 'Exists' }]))).toEqual([]);
    expect(found(workload(), application({ tolerations: [GPU_TOLERATION] }))).toEqual([]);
    expect(found(workload([]), exporter())).toEqual([]);
    expect(found(workload([{ key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' }]), exporter())).toEqual([]);
  });
});
