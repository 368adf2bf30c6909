import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

/**
 * autoscale-on-utilization on a HorizontalPodAutoscaler of a plain vLLM workload: autoscaling/v1 scales on CPU
 * (targetCPUUtilizationPercentage, 80 % when unset), and autoscaling/v2 with no metrics does the same (the HPA
 * controller's default metric); only a target that starts vLLM's server on GPUs is judged.
 */
const vllm = (name: string, kind = 'Deployment') =>
  podWorkload(
    name,
    'ai',
    {
      containers: [
        { name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model', 'Qwen/Qwen2.5-7B-Instruct'], resources: { limits: { 'nvidia.com/gpu': '1' } } },
      ],
    },
    kind,
  );
const hpa = (apiVersion: string, name: string, target: object, spec: object = {}) => ({
  apiVersion,
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'ai' },
  spec: { scaleTargetRef: target, minReplicas: 1, maxReplicas: 3, ...spec },
});

test('v1 and metric-less v2 HPAs scale on CPU; an HPA naming a workload the tree does not hold is not judged', async () => {
  const objects = [
    vllm('a'),
    vllm('b', 'StatefulSet'),
    hpa('autoscaling/v1', 'a', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' }),
    hpa('autoscaling/v2', 'b', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'b' }),
    hpa('autoscaling/v2', 'elsewhere', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'not-here' }),
    hpa(
      'autoscaling/v2',
      'memory',
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' },
      {
        metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    ),
  ];
  const dir = writeTree('hpa-', { 'all.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  const found = report.findings.filter((f: { rule: string }) => f.rule === 'autoscale-on-utilization');
  expect(found.map((f: { object: string; message: string }) => [f.object, /on (cpu|memory) utilization only/.exec(f.message)?.[1]])).toEqual([
    ['HorizontalPodAutoscaler/ai/a', 'cpu'],
    ['HorizontalPodAutoscaler/ai/b', 'cpu'],
    ['HorizontalPodAutoscaler/ai/memory', 'memory'],
  ]);
});

test('a target declared twice, a CPU variant first and the GPU one second: the GPU declaration is judged too; two CPU copies are not', async () => {
  const cpu = podWorkload('a', 'ai', {
    containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', args: ['--model', 'Qwen/Qwen2.5-7B-Instruct', '--device', 'cpu'] }],
  });
  const target = hpa('autoscaling/v1', 'a', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' });
  const judged = async (files: Record<string, string>) => {
    const report = JSON.parse((await cliInProcess(['check', writeTree('hpa-twice-', files), '--platform', 'kserve', '--json'])).out);
    return report.findings.filter((f: { rule: string }) => f.rule === 'autoscale-on-utilization').map((f: { object: string }) => f.object);
  };
  const files = { 'a-cpu.yaml': YAML.stringify(cpu), 'a.yaml': YAML.stringify(vllm('a')), 'hpa.yaml': YAML.stringify(target) };
  expect(await judged(files)).toEqual(['HorizontalPodAutoscaler/ai/a']);
  expect(await judged({ ...files, 'a.yaml': YAML.stringify(cpu) })).toEqual([]);
});
