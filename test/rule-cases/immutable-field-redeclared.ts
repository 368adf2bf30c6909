import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * immutable-field-redeclared: one LocalQueue declared twice with another spec.clusterQueue (immutable in Kueue's CRD),
 * by how surely both declarations reach one cluster one after the other.
 */
describe('immutable-field-redeclared: how surely both declarations are applied to one cluster', () => {
  const queue = (clusterQueue: string | undefined, name = 'team') =>
    `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: ${name}\n  namespace: research\nspec:\n` +
    (clusterQueue ? `  clusterQueue: ${clusterQueue}\n` : '  stopPolicy: None\n');

  function found(files: Record<string, string>): string[] {
    const dir = writeTree('immutable-redeclared-', files);
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['immutable-field-redeclared'], ...read }).map((f) => `${f.severity} ${f.message}`);
  }

  test('two documents of one file: an error naming both values and the field', () => {
    expect(found({ 'queues.yaml': `${queue('gpu')}---\n${queue('cpu')}` })).toEqual([
      expect.stringMatching(
        /^error LocalQueue 'team' sets spec\.clusterQueue 'cpu' here and 'gpu' at .*queues\.yaml:1; both are documents of one file.*field is immutable/,
      ),
    ]);
  });

  test('files a script applies in one run: an error', () => {
    const files = { 'a/queue.yaml': queue('gpu'), 'b/queue.yaml': queue('cpu'), 'setup.sh': '#!/bin/sh\nset -e\noc apply -f a/\noc apply -f b/\n' };
    expect(found(files).map((f) => f.split(' ')[0])).toEqual(['error']);
  });

  test.each([
    ['one script, no context change between the applies', '#!/bin/sh\nkubectl apply -f hub.yaml\nkubectl apply -f worker.yaml\n'],
    [
      'one script, the same context named twice',
      '#!/bin/sh\nkubectl config use-context hub\nkubectl apply -f hub.yaml\nkubectl --context hub apply -f worker.yaml\n',
    ],
    [
      'one script, KUBECONFIG exported and then given as a flag: the same file',
      '#!/bin/sh\nexport KUBECONFIG=hub.kubeconfig\nkubectl apply -f hub.yaml\nkubectl --kubeconfig=hub.kubeconfig apply -f worker.yaml\n',
    ],
  ])('%s: an error', (_, script) => {
    const files = { 'hub.yaml': queue('gpu'), 'worker.yaml': queue('cpu'), 'setup.sh': script };
    expect(found(files)).toEqual([
      expect.stringMatching(
        /^error LocalQueue 'team' sets spec\.clusterQueue 'cpu' here and 'gpu' at .*hub\.yaml:1; the same script or README step applies both/,
      ),
    ]);
  });

  test('two kustomize roots (overlays, alternatives): a warning that names the condition', () => {
    const files = {
      'overlays/gpu/kustomization.yaml': 'resources:\n  - queue.yaml\n',
      'overlays/gpu/queue.yaml': queue('gpu'),
      'overlays/cpu/kustomization.yaml': 'resources:\n  - queue.yaml\n',
      'overlays/cpu/queue.yaml': queue('cpu'),
    };
    expect(found(files)).toEqual([
      expect.stringMatching(/^warning .*different deliveries.*if both are applied to one cluster, spec\.clusterQueue is immutable/),
    ]);
  });

  test.each([
    ['the same ClusterQueue in both', { 'a.yaml': queue('gpu'), 'b.yaml': queue('gpu') }],
    ['another LocalQueue name', { 'a.yaml': queue('gpu'), 'b.yaml': queue('cpu', 'team-cpu') }],
    ['one declaration leaves the field out (no transition rule runs)', { 'a.yaml': queue('gpu'), 'b.yaml': queue(undefined) }],
    [
      'one kustomize build (kustomize refuses it: duplicate-object says so)',
      { 'kustomization.yaml': 'resources:\n  - a.yaml\n  - b.yaml\n', 'a.yaml': queue('gpu'), 'b.yaml': queue('cpu') },
    ],
    [
      'scripts that apply each to a cluster they name, not the same one',
      {
        'hub/queue.yaml': queue('gpu'),
        'spoke/queue.yaml': queue('cpu'),
        'setup.sh': '#!/bin/sh\nkubectl --context hub apply -f hub/\nkubectl --context spoke apply -f spoke/\n',
      },
    ],
    [
      'two scripts, each switching the current context before applying its file',
      {
        'hub.yaml': queue('gpu'),
        'worker.yaml': queue('cpu'),
        'a.sh': '#!/bin/sh\nkubectl config use-context hub\nkubectl apply -f hub.yaml\n',
        'b.sh': '#!/bin/sh\nkubectl config use-context worker\nkubectl apply -f worker.yaml\n',
      },
    ],
    [
      'a wrapper function runs the context switch and the apply',
      {
        'hub.yaml': queue('gpu'),
        'worker.yaml': queue('cpu'),
        'a.sh': '#!/bin/sh\nrun() { echo "$*"; "$@"; }\nHUB=hub\nrun kubectl config use-context k3d-$HUB\nrun kubectl apply -f hub.yaml\n',
        'b.sh': '#!/bin/sh\nrun() { echo "$*"; "$@"; }\nrun kubectl config use-context k3d-worker\nrun kubectl apply -f worker.yaml\n',
      },
    ],
    [
      'one script, KUBECONFIG= before one apply and --kubeconfig on the other, two files',
      {
        'hub.yaml': queue('gpu'),
        'worker.yaml': queue('cpu'),
        'setup.sh': '#!/bin/sh\nKUBECONFIG=hub.kubeconfig kubectl apply -f hub.yaml\nkubectl --kubeconfig worker.kubeconfig apply -f worker.yaml\n',
      },
    ],
    [
      'oc login to another server before each apply',
      {
        'hub.yaml': queue('gpu'),
        'worker.yaml': queue('cpu'),
        'setup.sh':
          '#!/bin/sh\noc login --server=https://api.hub.example:6443\noc apply -f hub.yaml\noc login https://api.worker.example:6443\noc apply -f worker.yaml\n',
      },
    ],
    [
      'a validation loop that only dry-runs each file, beside scripts for two clusters',
      {
        'hub.yaml': queue('gpu'),
        'worker.yaml': queue('cpu'),
        'a.sh': '#!/bin/sh\nkubectl config use-context hub\nkubectl apply -f hub.yaml\n',
        'b.sh': '#!/bin/sh\nkubectl config use-context worker\nkubectl apply -f worker.yaml\n',
        'lint.sh': '#!/bin/sh\nkubectl apply --dry-run=client -f hub.yaml\nkubectl apply --dry-run=client -f worker.yaml\n',
      },
    ],
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});
