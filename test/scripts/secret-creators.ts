import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * A Secret that only a Job's script of the tree creates: where kustomize refuses the build that holds the Job (a Job
 * with only metadata.generateName: "missing metadata.name in object"), the Job never runs, and the finding says so
 * rather than "not defined in the tree"; where the Job is delivered, a note saying when Argo CD runs it.
 */

const JOB_SCRIPT = `      containers:
        - name: oc
          image: registry.example.com/tools/oc:4.16
          command: ["/bin/sh", "-c"]
          args:
            - |
              KEY=$(oc get secret bucket -o jsonpath='{.data.key}' | base64 -d)
              cat << EOF | oc apply -f-
              apiVersion: v1
              kind: Secret
              metadata:
                name: model-bucket
              stringData:
                AWS_ACCESS_KEY_ID: "\${KEY}"
              EOF
`;

const job = (metadata: string) => `apiVersion: batch/v1
kind: Job
metadata:
${metadata}
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  template:
    spec:
      restartPolicy: Never
${JOB_SCRIPT}`;

const reader = (secret = 'model-bucket') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sync
spec:
  selector:
    matchLabels: {app: sync}
  template:
    metadata:
      labels: {app: sync}
    spec:
      containers:
        - name: sync
          image: registry.example.com/tools/s3-sync:1.0
          envFrom:
            - secretRef:
                name: ${secret}
`;

function verdicts(jobMetadata: string, secret?: string, beside = ''): [string, string][] {
  const dir = writeTree('script-creator-', {
    'bucket/kustomization.yaml': 'namespace: models\nresources:\n  - make-connection.yaml\n',
    'bucket/make-connection.yaml': job(jobMetadata) + beside,
    'serving/kustomization.yaml': 'namespace: models\nresources:\n  - sync.yaml\n',
    'serving/sync.yaml': reader(secret),
  });
  const read = readManifests([dir]);
  return runChecks(read.manifests, { platform: 'kserve', refused: read.refused, builds: read.builds })
    .filter((f) => f.rule === 'secret-not-in-tree')
    .map((f) => [f.severity, f.message.replace(dir, '<tree>').replace(dir, '<tree>')]);
}

describe('secret-not-in-tree: a Secret that a Job of the tree creates by its script', () => {
  test('the Job has only generateName, so kustomize refuses its root: a warning naming the Job, the root and why', () => {
    expect(verdicts('  generateName: make-connection-')).toEqual([
      [
        'warning',
        "references Secret model-bucket in 'models', which only the script of Job/(generateName make-connection-) (<tree>/bucket/make-connection.yaml) creates, " +
          'and kustomize refuses the build of <tree>/bucket that holds it (it has no metadata.name, only generateName, "missing metadata.name in object"): ' +
          'nothing of that root is applied, so the Secret is never made and the pod fails with CreateContainerConfigError; fix that build',
      ],
    ]);
  });

  test('near miss: the Job is named, so it is delivered: a note saying which Job makes it and at which hook', () => {
    const [[severity, message], ...rest] = verdicts('  name: make-connection');
    expect(rest).toEqual([]);
    expect(severity).toBe('info');
    expect(message).toMatch(
      /^Secret model-bucket is not a manifest of the tree: the script of Job\/models\/make-connection \(at its PostSync hook\) creates it when it runs/,
    );
  });

  test('a named Job in a root kustomize refuses for another resource: the warning points to that build failure', () => {
    const nameless = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: settings-\ndata:\n  a: b\n';
    expect(verdicts('  name: make-connection', undefined, nameless)).toEqual([
      [
        'warning',
        expect.stringMatching(
          /only the script of Job\/models\/make-connection \(.*\) creates, and kustomize refuses the build of <tree>\/bucket that holds it \(see kustomize-build-fails\)/,
        ),
      ],
    ]);
  });

  test('near miss: the refused Job makes another Secret: the reference is plainly not defined in the tree', () => {
    expect(verdicts('  generateName: make-connection-', 'other-bucket')).toEqual([
      ['warning', expect.stringMatching(/^references Secret other-bucket in 'models', not defined in the tree/)],
    ]);
  });
});
