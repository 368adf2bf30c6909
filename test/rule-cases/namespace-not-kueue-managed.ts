import * as fs from 'fs';
import * as path from 'path';
import { readManifests, runChecks } from '../../lib';
import { cliInProcess, committedRepository, ruleFound, severityObjectMessages, writeTree } from '../util';

/**
 * namespace-not-kueue-managed and the scripts of the tree: a script that labels the namespace after it is made
 * (`oc label namespace "$NS" kueue.openshift.io/managed=true` in a loop) manages it as a Namespace label would.
 */
describe('namespace-not-kueue-managed: a namespace a script of the tree labels', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n';
  const job =
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  namespace: team-a\n  labels:\n    kueue.x-k8s.io/queue-name: team-queue\n' +
    `spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'e'.repeat(64)}\n`;
  const subscription =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    'spec:\n  channel: stable-v1.3\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  function found(script: string): string[] {
    const dir = writeTree('kueue-managed-script-', { 'namespace.yaml': namespace, 'job.yaml': job, 'subscription.yaml': subscription, 'setup.sh': script });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['namespace-not-kueue-managed'], ...read }).map((f) => f.severity);
  }

  test('a loop labels it kueue.openshift.io/managed=true: nothing to say', () => {
    const script = '#!/bin/bash\nfor NS in team-a team-b; do\n  oc label namespace "${NS}" \\\n    kueue.openshift.io/managed=true --overwrite\ndone\n';
    expect(found(script)).toEqual([]);
  });

  test('the script labels another namespace, or removes the label: still an error', () => {
    expect(found('#!/bin/bash\noc label namespace team-b kueue.openshift.io/managed=true\n')).toEqual(['error']);
    expect(found('#!/bin/bash\noc label ns team-a kueue.openshift.io/managed-\n')).toEqual(['error']);
  });
});

/**
 * namespace-not-kueue-managed and LocalQueues set up for Jobs sent later: where the tree or its repository installs the
 * Red Hat build of Kueue, a Namespace of LocalQueues without the managed label takes no Job into the queues.
 */
describe('namespace-not-kueue-managed: LocalQueues in an unlabelled namespace, no workload in the tree', () => {
  const namespace = (labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n${labels}`;
  const localQueue =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: LocalQueue\nmetadata:\n  name: team-a-queue\n  namespace: team-a\nspec:\n  clusterQueue: shared\n';
  const subscription =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    'spec:\n  channel: stable-v1.3\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  function found(files: Record<string, string>, folder = 'queues'): [string, string, string][] {
    const root = writeTree('kueue-managed-queues-', files);
    fs.mkdirSync(path.join(root, '.git'));
    const read = readManifests([path.join(root, folder)]);
    return severityObjectMessages(ruleFound('namespace-not-kueue-managed', read.manifests, { platform: 'rhoai-3.3', alone: true, ...read }));
  }

  test('the repository installs the operator elsewhere: a warning on the Namespace naming its LocalQueue', () => {
    const [f, ...rest] = found({ 'setup/sub.yaml': subscription, 'queues/ns.yaml': namespace(), 'queues/lq.yaml': localQueue });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toBe('Namespace/team-a');
    expect(f[2]).toMatch(
      /LocalQueue 'team-a-queue' is here but the Namespace lacks the label kueue\.openshift\.io\/managed: "true": this repository installs the Red Hat build of Kueue/,
    );
  });

  test('a README or CI workflow of the repository above the folder labels it: nothing to say; one labelling another namespace leaves the warning', () => {
    const files = { 'setup/sub.yaml': subscription, 'queues/ns.yaml': namespace(), 'queues/lq.yaml': localQueue };
    const readme = (ns: string) => `# Queues\n\n\`\`\`bash\noc label namespace ${ns} kueue.openshift.io/managed=true\n\`\`\`\n`;
    expect(found({ ...files, 'README.md': readme('team-a') })).toEqual([]);
    const workflow =
      'on: push\njobs:\n  setup:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Label the queue namespaces\n        run: |\n          kubectl label ns team-a kueue.openshift.io/managed=true\n';
    expect(found({ ...files, '.github/workflows/queues.yaml': workflow })).toEqual([]);
    expect(found({ ...files, 'README.md': readme('team-b') }).map(([s]) => s)).toEqual(['warning']);
  });

  test('near misses: the label set, or no install of the Red Hat build of Kueue in the tree or the repository', () => {
    const labelled = namespace('  labels:\n    kueue.openshift.io/managed: "true"\n');
    expect(found({ 'setup/sub.yaml': subscription, 'queues/ns.yaml': labelled, 'queues/lq.yaml': localQueue })).toEqual([]);
    expect(found({ 'queues/ns.yaml': namespace(), 'queues/lq.yaml': localQueue })).toEqual([]);
  });
});

/**
 * namespace-not-kueue-managed and Jobs written suspended, in a GitOps repository whose cluster set-up (the OpenShift AI
 * operator's and the Red Hat build of Kueue's Subscriptions) lives beside the checked app folder: on Kueue 0.15 or
 * later (Red Hat build 1.3) nothing reconciles a Job of an unmanaged namespace, so one written `suspend: true` never runs.
 */
describe('namespace-not-kueue-managed: suspended Jobs in an unlabelled namespace, the platform told by the repository', () => {
  const rhods =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: rhods-operator\n  namespace: redhat-ods-operator\n' +
    'spec:\n  channel: stable-3.4\n  name: rhods-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  const kueueOperator = (channel: string) =>
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    `spec:\n  channel: ${channel}\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n`;
  const namespace = (labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n${labels}`;
  const job = (suspend: boolean) =>
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n  namespace: team-a\n  labels:\n    kueue.x-k8s.io/queue-name: team-queue\n' +
    `spec:\n  suspend: ${suspend}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: main\n          image: registry.example.com/train@sha256:${'e'.repeat(64)}\n`;
  const app = (suspend = true, labels = '') => ({ 'apps/train/namespace.yaml': namespace(labels), 'apps/train/job.yaml': job(suspend) });
  async function found(files: Record<string, string>): Promise<[string, string][]> {
    const root = committedRepository('kueue-managed-suspended-', files);
    const r = await cliInProcess(['check', path.join(root, 'apps/train'), '--json']);
    const out = JSON.parse(r.out) as { findings: { rule: string; severity: string; object: string; message: string }[] };
    return out.findings.filter((f) => f.rule === 'namespace-not-kueue-managed').map((f) => [f.severity, f.message]);
  }

  test('the repository subscribes the Red Hat build of Kueue 1.3: an error, nothing ever unsuspends the Job', async () => {
    const [f, ...rest] = await found({
      ...app(),
      'operators/rhoai/subscription.yaml': rhods,
      'operators/kueue/subscription.yaml': kueueOperator('stable-v1.3'),
    });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('error');
    expect(f[1]).toMatch(
      /^Job\/team-a\/train carries kueue\.x-k8s\.io\/queue-name and is written with suspend: true, but the Namespace lacks the label kueue\.openshift\.io\/managed: "true": Kueue 0\.16 \(Red Hat build of Kueue 1\.3\) skips unmanaged namespaces .*nothing ever unsuspends it: it never runs; add the label$/,
    );
  });

  test("only the platform's default Kueue: a warning that names the assumption", async () => {
    const [f, ...rest] = await found({ ...app(), 'operators/rhoai/subscription.yaml': rhods });
    expect(rest).toEqual([]);
    expect(f[0]).toBe('warning');
    expect(f[1]).toMatch(/nothing ever unsuspends it: it never runs; add the label\. Kueue 0\.16 \(Red Hat build of Kueue 1\.3\) is assumed/);
  });

  test('near misses: Kueue 1.2 (0.14) still reconciles the Job, a Job not written suspended, the label set: as before', async () => {
    const older = await found({ ...app(), 'operators/rhoai/subscription.yaml': rhods, 'operators/kueue/subscription.yaml': kueueOperator('stable-v1.2') });
    expect(older.map(([s, m]) => [s, /never runs/.test(m)])).toEqual([['warning', false]]);
    const running = await found({
      ...app(false),
      'operators/rhoai/subscription.yaml': rhods,
      'operators/kueue/subscription.yaml': kueueOperator('stable-v1.3'),
    });
    expect(running.map(([s, m]) => [s, /never runs/.test(m)])).toEqual([['warning', false]]);
    const labelled = app(true, '  labels:\n    kueue.openshift.io/managed: "true"\n');
    expect(await found({ ...labelled, 'operators/rhoai/subscription.yaml': rhods, 'operators/kueue/subscription.yaml': kueueOperator('stable-v1.3') })).toEqual(
      [],
    );
  });

  test("near misses: the folder's own mark places it off OpenShift, or the repository tells no platform: upstream Kueue, nothing to say", async () => {
    const gke = 'apiVersion: cloud.google.com/v1\nkind: ComputeClass\nmetadata:\n  name: gpu\nspec:\n  priorities:\n    - machineFamily: a2\n';
    expect(await found({ ...app(), 'apps/train/compute-class.yaml': gke, 'operators/rhoai/subscription.yaml': rhods })).toEqual([]);
    expect(await found({ ...app(), 'other/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' })).toEqual([]);
  });
});
