import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { committedRepository, writeTree } from '../util';

/**
 * default-queue-annotation: the annotation kueue.x-k8s.io/default-queue, which Kueue does not read, on a LocalQueue
 * whose name is not the one Kueue (or OpenShift AI's DataScienceCluster) makes the namespace's default.
 */
describe('default-queue-annotation: which LocalQueue is the default', () => {
  const queue = (name: string, annotated = true) =>
    `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: ${name}\n  namespace: ray-demo\n` +
    (annotated ? '  annotations:\n    kueue.x-k8s.io/default-queue: "true"\n' : '') +
    'spec:\n  clusterQueue: research\n';
  const dsc = (localQueue: string) =>
    `apiVersion: datasciencecluster.opendatahub.io/v1\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n` +
    `      managementState: Unmanaged\n      defaultLocalQueueName: ${localQueue}\n`;

  function found(files: Record<string, string>): string[] {
    const dir = writeTree('default-queue-annotation-', files);
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['default-queue-annotation'], ...read }).map((f) => `${f.severity} ${f.message}`);
  }

  test("another name: a warning that Kueue takes the LocalQueue named 'default'", () => {
    expect(found({ 'queue.yaml': queue('local-queue-default') })).toEqual([
      expect.stringMatching(
        /^warning is annotated kueue\.x-k8s\.io\/default-queue: "true", which Kueue does not read: .*named 'default'.*name this LocalQueue 'default'/,
      ),
    ]);
  });

  test("a DataScienceCluster that names another default: the warning names the DataScienceCluster's", () => {
    expect(found({ 'queue.yaml': queue('local-queue-default'), 'dsc.yaml': dsc('team-default') })).toEqual([
      expect.stringMatching(/defaultLocalQueueName 'team-default'.*name this LocalQueue 'team-default'/),
    ]);
  });

  test('the DataScienceCluster of the repository, outside the checked folder: the warning names it and its file', () => {
    const root = committedRepository('default-queue-repository-', {
      'queues/queue.yaml': queue('local-queue-default'),
      'cluster/dsc.yaml': dsc('team-default'),
    });
    const read = readManifests([path.join(root, 'queues')]);
    const said = runChecks(read.manifests, { platform: 'rhoai-3.0', rules: ['default-queue-annotation'], ...read }).map((f) => f.message);
    expect(said).toEqual([expect.stringMatching(/the DataScienceCluster's in .*cluster\/dsc\.yaml \(line 1\) defaultLocalQueueName 'team-default'/)]);
    // near miss: the LocalQueue has the name the repository's DataScienceCluster gives
    const named = committedRepository('default-queue-repository-', { 'queues/queue.yaml': queue('team-default'), 'cluster/dsc.yaml': dsc('team-default') });
    const again = readManifests([path.join(named, 'queues')]);
    expect(runChecks(again.manifests, { platform: 'rhoai-3.0', rules: ['default-queue-annotation'], ...again })).toEqual([]);
  });

  test.each([
    ['the LocalQueue is named default', { 'queue.yaml': queue('default') }],
    ["the LocalQueue has the DataScienceCluster's default name", { 'queue.yaml': queue('team-default'), 'dsc.yaml': dsc('team-default') }],
    ['no annotation', { 'queue.yaml': queue('local-queue-default', false) }],
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});
