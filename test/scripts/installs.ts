import { scriptInstalledBases } from '../../lib/manifests/script-installs';
import { kueueRelease, parseKueueVersion } from '../../lib/platform/kueue-releases';
import { cliInProcess, writeTree } from '../util';

/**
 * The Kueue release a tree's own install step names (Kueue's documented installs: `kubectl apply --server-side -f
 * …/releases/download/vX.Y.Z/manifests.yaml`, or its Helm chart at a version) decides which Kueue the tree is judged
 * for, where no Subscription, v1beta2 object or setting says it.
 */
const RELEASE_URL = 'https://github.com/kubernetes-sigs/kueue/releases/download/v0.12.0/manifests.yaml';

describe('install steps of scripts and READMEs', () => {
  test('a kubectl apply of the release manifests, with the version literal or in a variable set before it', () => {
    const found = scriptInstalledBases([
      { script: 'install.sh', text: `#!/bin/bash\nset -e\nkubectl apply --server-side -f ${RELEASE_URL}\n` },
      {
        script: 'README.md',
        text: '## Install Kueue\n\n```bash\nVERSION=v0.14.2\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/$VERSION/manifests.yaml\n```\n',
      },
    ]);
    expect(found.map((f) => [f.file, f.entry, f.base.release])).toEqual([
      ['install.sh', RELEASE_URL, '0.12'],
      ['README.md', 'https://github.com/kubernetes-sigs/kueue/releases/download/v0.14.2/manifests.yaml', '0.14'],
    ]);
  });

  test('the URL on the line a backslash continues: the continuation is no word of the command', () => {
    const found = scriptInstalledBases([{ script: 'setup.md', text: `# Setup\n\n\`\`\`bash\nkubectl apply --server-side -f \\\n  ${RELEASE_URL}\n\`\`\`\n` }]);
    expect(found.map((f) => [f.file, f.entry, f.base.release])).toEqual([['setup.md', RELEASE_URL, '0.12']]);
  });

  test("Kueue's Helm chart at a version, with --version joined or apart", () => {
    const found = scriptInstalledBases([
      { script: 'a.sh', text: 'helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version=0.13.4 --namespace kueue-system --create-namespace\n' },
      { script: 'b.sh', text: 'helm upgrade --install kueue oci://registry.k8s.io/kueue/charts/kueue --version 0.16.1 -n kueue-system\n' },
    ]);
    expect(found.map((f) => [f.file, f.base.release])).toEqual([
      ['a.sh', '0.13'],
      ['b.sh', '0.16'],
    ]);
  });

  test('the forms scripts write: --version="X" quoted, a wrapper function, --kubeconfig before the subcommand, a version variable with a comment', () => {
    const found = scriptInstalledBases([
      {
        script: 'helm.sh',
        text: 'helm upgrade --install kueue oci://registry.k8s.io/kueue/charts/kueue --version="0.11.3" --create-namespace --namespace=kueue-system -f values.yaml\n',
      },
      {
        script: 'remote.sh',
        text: `run() {\n  echo "+ $*"\n  "$@"\n}\nrun kubectl --kubeconfig="$WORKER_KUBECONFIG" apply --server-side -f ${RELEASE_URL}\n`,
      },
      {
        script: 'setup.sh',
        text: 'QUEUE_RELEASE="v0.13.1"  # the newest when written\nrun_cmd kubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/$QUEUE_RELEASE/manifests.yaml\n',
      },
    ]);
    expect(found.map((f) => [f.file, f.entry, f.base.release])).toEqual([
      ['helm.sh', 'https://github.com/kubernetes-sigs/kueue/releases/download/v0.11.3/manifests.yaml', '0.11'],
      ['remote.sh', RELEASE_URL, '0.12'],
      ['setup.sh', 'https://github.com/kubernetes-sigs/kueue/releases/download/v0.13.1/manifests.yaml', '0.13'],
    ]);
  });

  test('near misses: prose outside a fenced block, a comment, a version the script sets twice, an unset variable, another project', () => {
    const found = scriptInstalledBases([
      { script: 'README.md', text: `Kueue is installed with kubectl apply -f ${RELEASE_URL} (see their docs).\n` },
      { script: 'c.sh', text: `# kubectl apply -f ${RELEASE_URL}\n` },
      {
        script: 'd.sh',
        text: 'VERSION=v0.12.0\nVERSION=v0.16.0\nkubectl apply -f https://github.com/kubernetes-sigs/kueue/releases/download/$VERSION/manifests.yaml\n',
      },
      { script: 'e.sh', text: 'kubectl apply -f https://github.com/kubernetes-sigs/kueue/releases/download/${KUEUE_VERSION}/manifests.yaml\n' },
      { script: 'f.sh', text: 'kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.15.0/cert-manager.yaml\n' },
      { script: 'g.sh', text: 'helm install kueue oci://registry.k8s.io/kueue/charts/kueue\n' },
      // a wrapper around a command that only reads the release
      { script: 'h.sh', text: `run_cmd kubectl --kubeconfig=worker.yaml delete -f ${RELEASE_URL}\n` },
    ]);
    expect(found).toEqual([]);
  });
});

describe('check judges the Kueue the tree installs', () => {
  const queues = `apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata:
  name: default-flavor
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: cluster-queue
spec:
  namespaceSelector: {}
  resourceGroups:
    - coveredResources: [cpu, memory]
      flavors:
        - name: default-flavor
          resources:
            - name: cpu
              nominalQuota: 9
            - name: memory
              nominalQuota: 36Gi
`;

  test("the README's install step names the release, and the output says where it was read", async () => {
    const dir = writeTree('kueue-installed-', {
      'README.md': `# Queues\n\n\`\`\`bash\nVERSION=v0.12.0\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/$VERSION/manifests.yaml\nkubectl apply -f queues.yaml\n\`\`\`\n`,
      'queues.yaml': queues,
    });
    const r = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
    const report = JSON.parse(r.out);
    expect(report.kueue).toMatchObject({ release: '0.12', source: 'tree' });
    expect(report.kueue.reason).toMatch(/README\.md installs 'https:\/\/github\.com\/kubernetes-sigs\/kueue\/releases\/download\/v0\.12\.0\/manifests\.yaml'/);
  });

  test('a release older than those whose CRDs were read (v0.9.1) is judged as serving v1beta1 only: no deprecation warning', async () => {
    const dir = writeTree('kueue-older-', {
      'setup.sh': `#!/bin/bash\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.9.1/manifests.yaml\nkubectl apply -f queues.yaml\n`,
      'queues.yaml': queues,
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(report.kueue).toMatchObject({ release: '0.9', source: 'tree' });
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'deprecated-api-version')).toEqual([]);
    // the flag takes such a release too; one from before v1beta1 (0.2) stays unknown
    expect(parseKueueVersion('v0.7.0')).toEqual({ release: '0.7' });
    expect(kueueRelease('0.7')).toMatchObject({ served: ['v1beta1'], deprecated: [], storage: 'v1beta1', readsQueueAnnotation: true });
    expect(parseKueueVersion('0.2')).toBeUndefined();
  });

  test('any Markdown file of the tree that documents setup is read, in a bare fence too: v0.8.0 still reads the queue annotation', async () => {
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: sample
  namespace: team-a
  annotations: {kueue.x-k8s.io/queue-name: team-a-queue}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: main, image: busybox, resources: {requests: {cpu: '1', memory: 1Gi}}}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: LocalQueue
metadata: {name: team-a-queue, namespace: team-a}
spec: {clusterQueue: cluster-queue}
`;
    const dir = writeTree('kueue-setup-md-', {
      'docs/cluster-setup.md': `# Cluster\n\n### install Kueue\n\`\`\`\nkubectl apply --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.8.0/manifests.yaml\n\n\`\`\`\n`,
      'queues.yaml': queues,
      'job.yaml': job,
    });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(report.kueue).toMatchObject({ release: '0.8', source: 'tree' });
    expect(report.kueue.reason).toMatch(/docs\/cluster-setup\.md installs/);
    // the annotation names the queue on 0.8: only an info that Kueue 0.15 and later read the label alone
    expect(
      report.findings
        .filter((f: { rule: string }) => f.rule === 'queue-not-found' || f.rule === 'deprecated-api-version')
        .map((f: { severity: string }) => f.severity),
    ).toEqual(['info']);
  });

  test('without an install step the platform default stays, marked as assumed', async () => {
    const dir = writeTree('kueue-assumed-', { 'README.md': '# Queues\n\n```bash\nkubectl apply -f queues.yaml\n```\n', 'queues.yaml': queues });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    expect(report.kueue.source).toBe('default');
  });
});
