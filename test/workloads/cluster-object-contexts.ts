import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * cluster-object-conflict across loose files: a MultiKueue manager and its worker each declare ClusterQueue
 * cluster-queue, and the setup script applies each file to its own cluster (`kubectl config use-context`, `--context`,
 * KUBECONFIG): two clusters' objects, not one cluster's clash.
 */
const QUEUE = (flavor: string) =>
  `apiVersion: kueue.x-k8s.io/v1beta1\nkind: ClusterQueue\nmetadata:\n  name: cluster-queue\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n    - coveredResources: [cpu]\n      flavors:\n        - name: ${flavor}\n          resources:\n            - name: cpu\n              nominalQuota: 9\n`;

function conflicts(script: string): string[] {
  const dir = writeTree('cluster-contexts-', {
    'kueue/manager.yaml': QUEUE('manager-flavor'),
    'kueue/worker.yaml': QUEUE('worker-flavor'),
    'setup.sh': `#!/bin/bash\nset -e\n${script}`,
  });
  const { manifests, scriptApplied } = readManifests([dir]);
  return runChecks(manifests, { platform: 'kserve', rules: ['cluster-object-conflict'], scriptApplied }).map((f) => f.severity);
}

describe('cluster-object-conflict: declarations the scripts apply to different clusters', () => {
  test.each([
    [
      'use-context between the applies',
      'kubectl config use-context $WORKER_CONTEXT\nkubectl apply -f kueue/worker.yaml\nkubectl config use-context $MANAGER_CONTEXT\nkubectl apply -f kueue/manager.yaml\n',
    ],
    ['--context on each command', 'kubectl --context worker apply -f kueue/worker.yaml\nkubectl apply --context=manager -f kueue/manager.yaml\n'],
    [
      'KUBECONFIG before each command',
      'KUBECONFIG=worker.kubeconfig kubectl apply -f kueue/worker.yaml\nexport KUBECONFIG=manager.kubeconfig\noc apply -f kueue/manager.yaml\n',
    ],
  ])('%s: silent', (_, script) => {
    expect(conflicts(script)).toEqual([]);
  });

  test.each([
    ['both on one context', 'kubectl config use-context manager\nkubectl apply -f kueue/worker.yaml\nkubectl apply -f kueue/manager.yaml\n'],
    ['one applied without a named cluster', 'kubectl apply -f kueue/worker.yaml\nkubectl --context manager apply -f kueue/manager.yaml\n'],
    ['one not applied by any script', 'kubectl --context manager apply -f kueue/manager.yaml\n'],
  ])('near miss, %s: the warning stays', (_, script) => {
    expect(conflicts(script)).toEqual(['warning']);
  });
});
