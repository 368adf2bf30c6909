import { runChecks } from '../../lib';

/**
 * scc-refuses-pod on a Pod created directly: SCC admission (openshift/apiserver-library-go sccadmission admission.go)
 * tries the SCCs of the pod's ServiceAccount and of the user creating it, so a bare Pod is refused only when its
 * creator may use no SCC that allows it; a controller creates its workload's pods with its own account.
 */
const NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gpu-lab' } };
const privileged = { containers: [{ name: 'probe', image: 'registry.example.com/tools/probe:1.0', securityContext: { privileged: true } }] };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: 'gpu-lab' }, spec: privileged };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'probe', namespace: 'gpu-lab' },
  spec: { selector: { matchLabels: { app: 'probe' } }, template: { metadata: { labels: { app: 'probe' } }, spec: privileged } },
};
const found = (...manifests: object[]) =>
  runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-2', rules: ['scc-refuses-pod'] },
  ).map((f) => [f.severity, f.object, f.message]);

describe('scc-refuses-pod: a Pod created directly', () => {
  test('a warning saying it depends on who creates it (a cluster-admin may use privileged), even where the tree settles the account', () => {
    expect(found(NS, pod)).toEqual([
      [
        'warning',
        'Pod/gpu-lab/probe',
        expect.stringMatching(
          /^ServiceAccount 'default' in namespace 'gpu-lab' may use only restricted-v2; .*refuses this pod: container 'probe' is privileged; a Pod created directly is admitted by the SCCs of its ServiceAccount and of the user who creates it: .*cluster-admin may use privileged/,
        ),
      ],
    ]);
  });

  test("near miss: the same pod template in a Deployment stays an error, its ReplicaSet creating the pods with the account's SCCs alone", () => {
    expect(found(NS, deployment)).toEqual([['error', 'Deployment/gpu-lab/probe', expect.stringMatching(/its ReplicaSet cannot create the pods/)]]);
  });
});
