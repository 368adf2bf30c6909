import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/**
 * queue-not-found and a workload written without a namespace: it matches a LocalQueue of any namespace in the tree,
 * but kubectl applies it into one, the context's unless told; where its queue exists only in one other namespace,
 * that is where it must go.
 */
describe('queue-not-found: a namespace-less workload whose LocalQueue the tree defines only in one namespace', () => {
  const queue = (namespace: string) =>
    `apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-queue\n  namespace: ${namespace}\nspec:\n  clusterQueue: shared\n`;
  const job = (namespace?: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n${namespace ? `  namespace: ${namespace}\n` : ''}  labels:\n    kueue.x-k8s.io/queue-name: team-queue\n` +
    `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'c'.repeat(64)}\n`;
  const CLUSTER_QUEUE =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ClusterQueue\nmetadata:\n  name: shared\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '    - coveredResources: [cpu]\n      flavors:\n        - name: plain\n          resources:\n            - name: cpu\n              nominalQuota: 8\n';

  function found(files: Record<string, string>): string[] {
    const dir = writeTree('queue-namespaceless-', { 'cluster-queue.yaml': CLUSTER_QUEUE, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...read }).map((f) => `${f.severity} ${f.message}`);
  }

  test('the queue only in team-c: a warning naming team-c and -n team-c', () => {
    expect(found({ 'queue.yaml': queue('team-c'), 'job.yaml': job() })).toEqual([
      expect.stringMatching(
        /^warning has no metadata\.namespace, .*'team-queue' names a LocalQueue the tree defines only in 'team-c'.*apply it with -n team-c$/,
      ),
    ]);
  });

  test.each([
    ['the Job names team-c', { 'queue.yaml': queue('team-c'), 'job.yaml': job('team-c') }],
    [
      'a queue of that name in two namespaces (where it lands, one may serve it)',
      { 'queue.yaml': `${queue('team-c')}---\n${queue('team-d')}`, 'job.yaml': job() },
    ],
    [
      'a script applies the Job with -n team-c',
      { 'queue.yaml': queue('team-c'), 'jobs/job.yaml': job(), 'run.sh': '#!/bin/sh\nkubectl apply -n team-c -f jobs/job.yaml\n' },
    ],
    [
      'a kustomization gives it the namespace',
      { 'queue.yaml': queue('team-c'), 'jobs/job.yaml': job(), 'jobs/kustomization.yaml': 'namespace: team-c\nresources:\n  - job.yaml\n' },
    ],
  ])('near miss, %s: silent', (_, files) => {
    expect(found(files)).toEqual([]);
  });
});

describe('queue-not-found: a queue name only in the deprecated annotation, on a Kueue that still reads it', () => {
  const files = {
    'queue.yaml': 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-queue\n  namespace: lab\nspec:\n  clusterQueue: shared\n',
    'job.yaml':
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  namespace: lab\n  annotations:\n    kueue.x-k8s.io/queue-name: team-queue\n' +
      `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'d'.repeat(64)}\n`,
  };
  const found = (kueue?: string) => {
    const dir = writeTree('queue-annotation-', files);
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...(kueue ? { kueue } : {}), ...read }).map(
      (f) => `${f.severity} ${f.message}`,
    );
  };

  test('Kueue 0.14 stated: an info that 0.15 and later read only the label', () => {
    expect(found('0.14')).toEqual([
      expect.stringMatching(/^info the queue name 'team-queue' is only in the deprecated annotation .*Kueue 0\.14 still reads.*move it to metadata\.labels/),
    ]);
  });

  test('Kueue 0.16 stated: an error, the annotation is not read', () => {
    expect(found('0.16').map((f) => f.split(' ')[0])).toEqual(['error']);
  });

  test('near miss, the label: silent', () => {
    const dir = writeTree('queue-label-', { ...files, 'job.yaml': files['job.yaml'].replace('annotations:', 'labels:') });
    const read = readManifests([dir]);
    expect(runChecks(read.manifests, { platform: 'kserve', kueue: '0.14', rules: ['queue-not-found'], ...read })).toEqual([]);
  });
});

/**
 * queue-not-found on OpenShift AI, a workload whose namespace the tree does not give: the operator's `default'
 * LocalQueue exists in whichever Kueue-managed namespace it is applied to.
 */
describe("queue-not-found: OpenShift AI's default LocalQueue for a workload written without a namespace", () => {
  const job = (queue: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  labels:\n    kueue.x-k8s.io/queue-name: ${queue}\n` +
    `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'d'.repeat(64)}\n`;
  function found(queue: string): string[] {
    const dir = writeTree('queue-operator-default-', { 'job.yaml': job(queue) });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['queue-not-found'], ...read }).map((f) => f.severity);
  }

  test("'default': the operator makes it where the workload lands, nothing to say", () => {
    expect(found('default')).toEqual([]);
  });

  test('another name the tree does not define: still a warning', () => {
    expect(found('team-queue')).toEqual(['warning']);
  });
});

describe('queue-not-found: a kind whose Kueue integration is off ignores the label', () => {
  const queue = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: batch-queue\n  namespace: lab\nspec:\n  clusterQueue: shared\n';
  const spec = `spec:\n  restartPolicy: Never\n  containers:\n    - name: main\n      image: registry.example.com/probe@sha256:${'d'.repeat(64)}\n`;
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\n  namespace: lab\n  labels:\n    kueue.x-k8s.io/queue-name: missing-queue\n${spec}`;
  const job = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: probe\n  namespace: lab\n  labels:\n    kueue.x-k8s.io/queue-name: missing-queue\nspec:\n  template:\n    ${spec.replace(/\n/g, '\n    ').trimEnd()}\n`;
  const config = (frameworks: string) =>
    `apiVersion: config.kueue.x-k8s.io/v1beta1\nkind: Configuration\nnamespace: kueue-system\n${frameworks ? `integrations:\n  frameworks:\n${frameworks}` : ''}`;
  const scriptMaking = (frameworks: string) =>
    `#!/bin/sh\nkubectl create configmap kueue-manager-config -n kueue-system --from-literal=controller_manager_config.yaml='\n${config(frameworks)}' --dry-run=client -o yaml | kubectl apply -f -\n`;
  const configMap = (frameworks: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kueue-manager-config\n  namespace: kueue-system\ndata:\n  controller_manager_config.yaml: |\n${config(
      frameworks,
    )
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n')}`;

  function found(files: Record<string, string>, kueue?: string): string[] {
    const dir = writeTree('queue-integration-', { 'queue.yaml': queue, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...read, ...(kueue ? { kueue } : {}) }).map(
      (f) => `${f.severity} ${f.message}`,
    );
  }

  test("a Pod, and a script's Kueue configuration that enables batch/job only: a warning that the label has no effect", () => {
    expect(found({ 'pod.yaml': pod, 'setup.sh': scriptMaking('    - "batch/job"\n') })).toEqual([
      "warning label kueue.x-k8s.io/queue-name 'missing-queue' names no LocalQueue of the tree in 'lab', and has no effect: Kueue manages a Pod only under its 'pod' integration, " +
        'which the Kueue configuration of ConfigMap kueue-manager-config made by setup.sh:2 (integrations.frameworks: batch/job) does not enable, so the Pod runs at once, outside any queue: ' +
        'drop the label, or enable the integration and name a LocalQueue that exists',
    ]);
  });

  test('a Configuration naming no frameworks gets batch/job alone: the Pod is ignored, the Job is judged', () => {
    expect(found({ 'pod.yaml': pod, 'kueue.yaml': configMap('') })).toEqual([
      expect.stringMatching(
        /^warning .*has no effect: Kueue manages a Pod only under its 'pod' integration, which the Kueue configuration of ConfigMap\/kueue-system\/kueue-manager-config \(integrations\.frameworks: batch\/job\)/,
      ),
    ]);
    expect(found({ 'job.yaml': job, 'kueue.yaml': configMap('') })).toEqual([
      expect.stringMatching(
        /^error label kueue\.x-k8s\.io\/queue-name 'missing-queue' names no LocalQueue in 'lab' \(it has batch-queue\); Kueue never admits/,
      ),
    ]);
  });

  test('no configuration in the tree: Kueue 0.14 ships the pod integration off (a warning, the cluster may enable it), 0.16 on (an error)', () => {
    expect(found({ 'pod.yaml': pod }, '0.14')).toEqual([
      expect.stringMatching(
        /^warning .*has no effect: .*which Kueue 0\.14's shipped configuration, which comments out pod, .*; if the cluster's Kueue configuration enables it, Kueue never admits the Pod/,
      ),
    ]);
    expect(found({ 'pod.yaml': pod }, '0.16')).toEqual([expect.stringMatching(/^error label .* names no LocalQueue in 'lab'/)]);
  });

  test('near miss: the configuration enables pod: the error stays', () => {
    expect(found({ 'pod.yaml': pod, 'kueue.yaml': configMap('    - "batch/job"\n    - "pod"\n') })).toEqual([
      expect.stringMatching(/^error label kueue\.x-k8s\.io\/queue-name 'missing-queue' names no LocalQueue in 'lab'/),
    ]);
  });
});

/**
 * queue-not-found and the annotation on a Kueue release the tree's README installs: the release is read from the
 * install step (the version in a variable set on the same line), and the annotation judged by it.
 */
describe('queue-not-found: the annotation judged by the Kueue release a README installs', () => {
  const job =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: sample-batch\n  namespace: crew\n  annotations:\n    kueue.x-k8s.io/queue-name: crew-queue\n' +
    `spec:\n  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/batch@sha256:${'e'.repeat(64)}\n`;
  const queue = 'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: crew-queue\n  namespace: crew\nspec:\n  clusterQueue: crew-total\n';
  const UNREAD =
    "the queue name 'crew-queue' is only in the annotation kueue.x-k8s.io/queue-name, which Kueue 0.16 no longer reads (Kueue 0.15 dropped it for the label): " +
    "the workload is not queued under 'crew-queue' (Kueue treats it as naming no queue); move it to metadata.labels (kueue.x-k8s.io/queue-name: crew-queue)";
  const readme = (version: string) =>
    `# Batch\n\n\`\`\`shell\nVERSION=${version}; kubectl apply -f https://github.com/kubernetes-sigs/kueue/releases/download/$VERSION/manifests.yaml\n\`\`\`\n`;
  function found(files: Record<string, string>): string[] {
    const dir = writeTree('queue-readme-kueue-', { 'job.yaml': job, 'queue.yaml': queue, ...files });
    const read = readManifests([dir]);
    const installed = [...read.remoteBases, ...read.scriptInstalled];
    return runChecks(read.manifests, { platform: 'kserve', rules: ['queue-not-found'], ...read, installed }).map((f) => `${f.severity} ${f.message}`);
  }

  test('README installs Kueue v0.3.2, which reads the annotation: an info, not an error', () => {
    expect(found({ 'README.md': readme('v0.3.2') })).toEqual([
      "info the queue name 'crew-queue' is only in the deprecated annotation kueue.x-k8s.io/queue-name, which Kueue 0.3 still reads when the label is absent, " +
        'but Kueue 0.15 and later read only the label (the workload is then not queued): move it to metadata.labels (kueue.x-k8s.io/queue-name: crew-queue)',
    ]);
  });

  test('README installs Kueue v0.16.1: the error stands', () => {
    expect(found({ 'README.md': readme('v0.16.1') })).toEqual([`error ${UNREAD}`]);
  });

  test('no install step: a warning naming the assumption', () => {
    expect(found({})).toEqual([
      `warning ${UNREAD}. Kueue 0.16 is assumed (the default for upstream KServe; no kueue-operator Subscription, v1beta2 object or setting tells it); ` +
        'state the cluster\'s Kueue with --kueue <version> or "kueue" in .cdk8s-vllm.json; an older Kueue that reads it is possible: nothing names the release the cluster runs, and Kueue up to 0.14 reads it',
    ]);
  });
});
