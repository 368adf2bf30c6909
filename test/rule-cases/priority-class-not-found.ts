import { Platform } from '../../lib/check/platform';
import { ruleFound, severityObjectMessages } from '../util';

type Doc = Record<string, unknown>;
const findings = (docs: Doc[], platform: Platform = 'kserve') =>
  severityObjectMessages(
    ruleFound(
      'priority-class-not-found',
      docs.map((manifest) => ({ manifest })),
      { platform },
    ),
  );

const podSpec = (priorityClassName: string) => ({ priorityClassName, containers: [{ name: 'c', image: 'busybox' }] });
const job = (priorityClassName: string): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'ml' },
  spec: { template: { spec: { ...podSpec(priorityClassName), restartPolicy: 'Never' } } },
});
const priorityClass = (name: string): Doc => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 10 });
const REFUSED = (field: string, name: string) =>
  `${field} '${name}' names no PriorityClass of the tree; the Priority admission plugin refuses its pods ("no PriorityClass with name ${name} was found")`;

// kubernetes plugin/pkg/admission/priority: the system classes always exist; any other name must be a PriorityClass
describe('priority-class-not-found', () => {
  test.each(['system-cluster-critical', 'system-node-critical'])('%s exists on every cluster', (name) => {
    expect(findings([job(name)])).toEqual([]);
  });

  test('openshift-user-critical exists on OpenShift only', () => {
    expect(findings([job('openshift-user-critical')], 'rhoai-3.0')).toEqual([]);
    expect(findings([job('openshift-user-critical')], 'kserve').map((f) => f[0])).toEqual(['warning']);
  });

  test('a PriorityClass of the tree: no finding', () => {
    expect(findings([job('high'), priorityClass('high')])).toEqual([]);
  });

  test('the tree defines PriorityClasses, not this one: an error', () => {
    expect(findings([job('hihg'), priorityClass('high')])).toEqual([
      ['error', 'Job/ml/j', `${REFUSED('spec.template.spec.priorityClassName', 'hihg')}: define it or name one the tree defines`],
    ]);
  });

  test('the tree defines no priorities: a warning, the cluster may have it', () => {
    expect(findings([job('high')])).toEqual([
      [
        'warning',
        'Job/ml/j',
        `${REFUSED('spec.template.spec.priorityClassName', 'high')}, unless the cluster has it: define it in the tree or check the cluster's (kubectl get priorityclass)`,
      ],
    ]);
  });

  test('a Kueue WorkloadPriorityClass of that name: an error naming the label', () => {
    const wpc = { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'WorkloadPriorityClass', metadata: { name: 'high' }, value: 100 };
    expect(findings([job('high'), wpc])).toEqual([
      [
        'error',
        'Job/ml/j',
        `${REFUSED('spec.template.spec.priorityClassName', 'high')}: 'high' is a Kueue WorkloadPriorityClass, a different kind; give the workload the label kueue.x-k8s.io/priority-class: high and drop priorityClassName (or define a PriorityClass of that name)`,
      ],
    ]);
  });

  test('only Kueue WorkloadPriorityClasses of other names: the tree manages priorities, an error naming them', () => {
    const wpc = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'WorkloadPriorityClass', metadata: { name: 'release-critical' }, value: 1000 };
    expect(findings([job('ml-release-critical'), wpc])).toEqual([
      [
        'error',
        'Job/ml/j',
        `${REFUSED('spec.template.spec.priorityClassName', 'ml-release-critical')}; the tree's Kueue WorkloadPriorityClasses (release-critical) are a different kind, taken by the label kueue.x-k8s.io/priority-class: define it or name one the tree defines`,
      ],
    ]);
  });

  test('the pod specs of an InferenceService predictor and of a RayJob, each at its path', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 's', namespace: 'ml' },
      spec: { predictor: { priorityClassName: 'p1', model: {} } },
    };
    const ray = {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'r', namespace: 'ml' },
      spec: {
        rayClusterSpec: { headGroupSpec: { template: { spec: podSpec('p2') } }, workerGroupSpecs: [{ template: { spec: podSpec('system-node-critical') } }] },
      },
    };
    expect(findings([isvc, ray, priorityClass('other')]).map((f) => [f[1], f[2].split(' names')[0]])).toEqual([
      ['InferenceService/ml/s', "spec.predictor.priorityClassName 'p1'"],
      ['RayJob/ml/r', "spec.rayClusterSpec.headGroupSpec.template.spec.priorityClassName 'p2'"],
    ]);
  });
});

// NVIDIA/KAI-Scheduler docs/priority/README.md: a KAI deployment comes with train, build-preemptible, build and inference
describe('priority-class-not-found: the classes KAI Scheduler installs', () => {
  const kaiJob = (priorityClassName: string): Doc => {
    const j = job(priorityClassName) as { spec: { template: { spec: Doc } } };
    return { ...j, spec: { template: { spec: { ...j.spec.template.spec, schedulerName: 'kai-scheduler' } } } };
  };
  const queue: Doc = { apiVersion: 'scheduling.run.ai/v2', kind: 'Queue', metadata: { name: 'team-a' }, spec: { resources: {} } };

  test.each(['train', 'build-preemptible', 'build', 'inference'])('%s, where a pod runs on kai-scheduler: no finding', (name) => {
    expect(findings([kaiJob(name)])).toEqual([]);
  });

  test('a KAI Queue of the tree says KAI runs there too', () => {
    expect(findings([job('inference'), queue])).toEqual([]);
  });

  test('near misses: the same names without KAI, or a name KAI does not install, are judged', () => {
    expect(findings([job('inference')]).map((f) => f[0])).toEqual(['warning']);
    expect(findings([kaiJob('inferense'), priorityClass('nightly')])).toEqual([
      [
        'error',
        'Job/ml/j',
        `spec.template.spec.priorityClassName 'inferense' names no PriorityClass of the tree (did you mean inference (KAI Scheduler installs it)?); the Priority admission plugin refuses its pods ("no PriorityClass with name inferense was found"): define it or name one the tree defines`,
      ],
    ]);
  });

  test("an LLMKube InferenceService's spec.priorityClassName, which its controller sets on the Deployment's pods", () => {
    const llm = (priorityClassName?: string): Doc => ({
      apiVersion: 'inference.llmkube.dev/v1alpha1',
      kind: 'InferenceService',
      metadata: { name: 'helpdesk', namespace: 'ml' },
      spec: { modelRef: 'qwen', priority: 'high', ...(priorityClassName ? { priorityClassName } : {}) },
    });
    expect(findings([priorityClass('llm-serving'), llm('llm-servng')])).toEqual([
      [
        'error',
        'InferenceService/ml/helpdesk',
        `spec.priorityClassName 'llm-servng' names no PriorityClass of the tree (did you mean llm-serving?); the Priority admission plugin refuses its pods ("no PriorityClass with name llm-servng was found"): define it or name one the tree defines`,
      ],
    ]);
    // unset, the controller picks its own class by spec.priority (llmkube-high), which its install makes
    expect(findings([priorityClass('llm-serving'), llm()])).toEqual([]);
    expect(findings([priorityClass('llm-serving'), llm('llm-serving')])).toEqual([]);
  });
});
