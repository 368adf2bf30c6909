import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

function server(name: string, tolerations: unknown[], nodeSelector?: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'llm' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(nodeSelector ? { nodeSelector } : {}),
          tolerations,
          containers: [{ name: 'server', image: 'registry.example.com/llm/server:2.1', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
        },
      },
    },
  };
}

const equal = (value: string) => ({ key: 'nvidia.com/gpu', operator: 'Equal', value, effect: 'NoSchedule' });

async function findings(objects: unknown[], files: Record<string, string> = {}): Promise<{ object: string; severity: string; message: string }[]> {
  const dir = writeTree('toleration-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n'), ...files });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'toleration-value-odd');
}

const siblings = [server('small', [equal('l4-gpu')]), server('large', [equal('l40-gpu')])];

describe('toleration-value-odd', () => {
  test('a flag value where the other workloads tolerate pool names: a warning on it alone, naming them', async () => {
    const found = await findings([...siblings, server('odd', [equal('True')])]);
    expect(found.map((f) => [f.object, f.severity])).toEqual([['Deployment/llm/odd', 'warning']]);
    expect(found[0].message).toContain('l4-gpu (Deployment/llm/small), l40-gpu (Deployment/llm/large)');
    expect(found[0].message).toContain('operator Exists');
  });

  test('the operator left out is Equal', async () => {
    const { operator: _operator, ...defaulted } = equal('True');
    expect((await findings([...siblings, server('odd', [defaulted])])).map((f) => f.object)).toEqual(['Deployment/llm/odd']);
  });

  test('a taint the tree states with other values is named', async () => {
    const machineSet = {
      apiVersion: 'machine.openshift.io/v1beta1',
      kind: 'MachineSet',
      metadata: { name: 'gpu-l4', namespace: 'openshift-machine-api' },
      spec: { template: { spec: { taints: [{ key: 'nvidia.com/gpu', value: 'l4-gpu', effect: 'NoSchedule' }] } } },
    };
    const [found] = await findings([...siblings, server('odd', [equal('True')]), machineSet]);
    expect(found.message).toContain('the taints the tree states carry nvidia.com/gpu=l4-gpu (MachineSet gpu-l4)');
  });

  test('near misses: a taint of the value stated, another toleration of the pod, one sibling only, another pool name, a sibling with a flag value, a shared value', async () => {
    const odd = server('odd', [equal('True')]);
    expect(await findings([...siblings, odd], { 'taint.sh': 'oc adm taint nodes -l gpu=true nvidia.com/gpu=True:NoSchedule\n' })).toEqual([]);
    expect(await findings([...siblings, odd], { 'taint.sh': 'kubectl taint nodes gpu-1 "nvidia.com/gpu=${GPU_TAINT}:NoSchedule"\n' })).toEqual([]);
    expect(await findings([...siblings, server('odd', [equal('True'), { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }])])).toEqual([]);
    expect(await findings([siblings[0], odd])).toEqual([]);
    expect(await findings([...siblings, server('t4', [equal('Tesla-T4-SHARED')])])).toEqual([]);
    expect(await findings([server('flagged', [equal('true')]), siblings[0], odd])).toEqual([]);
    expect(await findings([...siblings, server('odd', [equal('l40-gpu')])])).toEqual([]);
    expect(await findings([...siblings, server('odd', [{ ...equal('True'), effect: 'NoExecute' }])])).toEqual([]);
  });
});
