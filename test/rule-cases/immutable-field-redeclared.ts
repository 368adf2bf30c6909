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
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});
