import { runChecks } from '../../lib';

/**
 * secret-not-in-tree on a pod's imagePullSecrets: the kubelet skips a missing pull Secret and pulls without it
 * (pkg/kubelet/kubelet_pods.go getPullSecretsForPod), so a private registry refuses the pull.
 */
type Doc = Record<string, unknown>;
const pulls = (docs: Doc[]) =>
  runChecks(docs.map((manifest) => ({ manifest })))
    .filter((f) => f.rule === 'secret-not-in-tree')
    .map((f) => [f.severity, f.object, f.message]);

const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } };
const registrySecret = (name: string, type = 'kubernetes.io/dockerconfigjson'): Doc => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'apps' },
  type,
  data: { '.dockerconfigjson': 'e30=' },
});
const cronJob = (pullSecret: string): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'worker', namespace: 'apps' },
  spec: {
    schedule: '0 * * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            imagePullSecrets: [{ name: pullSecret }],
            containers: [{ name: 'worker', image: 'ghcr.io/example/worker:1.0' }],
          },
        },
      },
    },
  },
});

describe('secret-not-in-tree: imagePullSecrets', () => {
  test('the tree defines the namespace and another registry Secret there, and nothing makes the one named: an error naming it', () => {
    expect(pulls([namespace, registrySecret('ghcr-creds'), cronJob('ghcr-pull-secret')])).toEqual([
      [
        'error',
        'CronJob/apps/worker',
        expect.stringMatching(
          /^imagePullSecrets names Secret ghcr-pull-secret in 'apps', which nothing of the tree makes.*\(ghcr-creds\).*ImagePullBackOff.*name ghcr-creds/,
        ),
      ],
    ]);
    expect(pulls([namespace, registrySecret('legacy', 'kubernetes.io/dockercfg'), cronJob('ghcr-pull-secret')]).map(([s]) => s)).toEqual(['error']);
  });

  test('near misses: the tree does not settle it (a warning), or holds the Secret (nothing)', () => {
    // no registry Secret in the namespace: made outside the tree, as a secretKeyRef's
    expect(pulls([namespace, cronJob('ghcr-pull-secret')])).toEqual([
      [
        'warning',
        'CronJob/apps/worker',
        expect.stringMatching(/^imagePullSecrets names Secret ghcr-pull-secret in 'apps', not defined in the tree: unless it is created outside/),
      ],
    ]);
    // the namespace is not the tree's
    expect(pulls([registrySecret('ghcr-creds'), cronJob('ghcr-pull-secret')]).map(([s]) => s)).toEqual(['warning']);
    // an Opaque Secret is no registry credential
    expect(pulls([namespace, { ...registrySecret('other'), type: 'Opaque' }, cronJob('ghcr-pull-secret')]).map(([s]) => s)).toEqual(['warning']);
    expect(pulls([namespace, registrySecret('ghcr-creds'), cronJob('ghcr-creds')])).toEqual([]);
  });
});
