import { readManifests, runChecks } from '../../lib';
import * as fs from 'fs';
import * as path from 'path';
import { cliInProcess, writeTree } from '../util';

/**
 * kueue-instance-missing and OpenShift AI: where the DataScienceCluster leaves the kueue component Unmanaged, the
 * OpenShift AI operator makes the Red Hat build of Kueue's custom resource itself.
 */
describe('kueue-instance-missing: a DataScienceCluster that leaves Kueue Unmanaged', () => {
  const subscription =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    'spec:\n  channel: stable-v1.3\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  const clusterQueue =
    'apiVersion: kueue.x-k8s.io/v1beta1\nkind: ClusterQueue\nmetadata:\n  name: gpu\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '    - coveredResources: [cpu]\n      flavors:\n        - name: default-flavor\n          resources:\n            - name: cpu\n              nominalQuota: 8\n';
  const dsc = (state: string) =>
    `apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n      managementState: ${state}\n`;
  function found(files: Record<string, string>): string[] {
    const dir = writeTree('kueue-instance-', { 'subscription.yaml': subscription, 'cluster-queue.yaml': clusterQueue, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['kueue-instance-missing'], ...read }).map((f) => f.severity);
  }

  test('Unmanaged: the OpenShift AI operator makes the Kueue custom resource, nothing to say', () => {
    expect(found({ 'dsc.yaml': dsc('Unmanaged') })).toEqual([]);
  });

  test('no DataScienceCluster, or one that removes Kueue: the error stays', () => {
    expect(found({})).toEqual(['error']);
    expect(found({ 'dsc.yaml': dsc('Removed') })).toEqual(['error']);
  });
});

/**
 * kueue-instance-missing and a DataScienceCluster the tree patches: `oc patch datasciencecluster … kueue Unmanaged` in
 * a script, a README or the container of a Job (an Argo CD hook) sets what a manifest would.
 */
describe('kueue-instance-missing: a patch of the DataScienceCluster', () => {
  const subscription =
    'apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: kueue-operator\n  namespace: openshift-kueue-operator\n' +
    'spec:\n  channel: stable-v1.3\n  name: kueue-operator\n  source: redhat-operators\n  sourceNamespace: openshift-marketplace\n';
  const clusterQueue =
    'apiVersion: kueue.x-k8s.io/v1beta2\nkind: ClusterQueue\nmetadata:\n  name: team\nspec:\n  namespaceSelector: {}\n  resourceGroups:\n' +
    '    - coveredResources: [cpu]\n      flavors:\n        - name: default-flavor\n          resources:\n            - name: cpu\n              nominalQuota: 4\n';
  const unmanaged = `'{"spec":{"components":{"kueue":{"managementState":"Unmanaged"}}}}'`;
  /** A Job whose container runs `script` under bash -c (an Argo CD Sync hook). */
  const hookJob = (script: string) =>
    'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: set-kueue\n  namespace: redhat-ods-applications\n  annotations:\n    argocd.argoproj.io/hook: Sync\n' +
    'spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: oc\n          image: registry.redhat.io/openshift4/ose-cli:v4.17\n' +
    `          command:\n            - /bin/bash\n            - -c\n            - |\n${script
      .split('\n')
      .map((l) => `              ${l}`)
      .join('\n')}\n`;
  function found(files: Record<string, string>): { severity: string; message: string }[] {
    const dir = writeTree('kueue-instance-patch-', { 'subscription.yaml': subscription, 'cluster-queue.yaml': clusterQueue, ...files });
    const read = readManifests([dir]);
    return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['kueue-instance-missing'], ...read }).map((f) => ({
      severity: f.severity,
      message: f.message,
    }));
  }

  test('a hook Job that merge-patches the kueue component Unmanaged: the operator makes the Kueue, nothing to say', () => {
    expect(found({ 'job.yaml': hookJob(`set -euo pipefail\noc patch datasciencecluster default-dsc --type=merge -p \\\n  ${unmanaged}`) })).toEqual([]);
  });

  test('a JSON patch, a group-qualified name or the short name dsc: the same', () => {
    const json = `'[{"op":"replace","path":"/spec/components/kueue/managementState","value":"Unmanaged"}]'`;
    expect(found({ 'job.yaml': hookJob(`oc patch dsc/default-dsc --type json -p ${json}`) })).toEqual([]);
    expect(
      found({ 'job.yaml': hookJob(`kubectl patch datascienceclusters.datasciencecluster.opendatahub.io default-dsc --type merge --patch ${unmanaged}`) }),
    ).toEqual([]);
  });

  test('the command of a container in exec form, and a script a mounted ConfigMap holds', () => {
    const exec =
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: set-kueue\n  namespace: redhat-ods-applications\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n' +
      '      containers:\n        - name: oc\n          image: registry.redhat.io/openshift4/ose-cli:v4.17\n' +
      `          command: [oc, patch, datasciencecluster, default-dsc, --type=merge, -p, ${JSON.stringify('{"spec":{"components":{"kueue":{"managementState":"Unmanaged"}}}}')}]\n`;
    expect(found({ 'job.yaml': exec })).toEqual([]);
    const mounted =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dsc-scripts\n  namespace: redhat-ods-applications\ndata:\n  set-kueue.sh: |\n' +
      `    #!/bin/bash\n    oc patch dsc default-dsc --type=merge -p ${unmanaged}\n---\n` +
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: set-kueue\n  namespace: redhat-ods-applications\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n' +
      '      containers:\n        - name: oc\n          image: registry.redhat.io/openshift4/ose-cli:v4.17\n          command: [/bin/bash, /scripts/set-kueue.sh]\n' +
      '          volumeMounts:\n            - name: scripts\n              mountPath: /scripts\n      volumes:\n        - name: scripts\n          configMap:\n            name: dsc-scripts\n';
    expect(found({ 'job.yaml': mounted })).toEqual([]);
  });

  test('a script, a README or a Makefile recipe of the tree that patches it: the same', () => {
    expect(found({ 'setup.sh': `#!/bin/sh\noc patch datasciencecluster default-dsc --type merge -p ${unmanaged}\n` })).toEqual([]);
    expect(found({ 'README.md': `# Setup\n\n\`\`\`bash\noc patch dsc default-dsc --type=merge -p ${unmanaged}\n\`\`\`\n` })).toEqual([]);
    expect(found({ Makefile: `kueue:\n\toc patch dsc default-dsc --type=merge -p ${unmanaged}\n` })).toEqual([]);
  });

  test("a DataScienceCluster manifest that removes Kueue, patched Unmanaged by a hook: the patch is the DataScienceCluster's last word", () => {
    const dsc =
      'apiVersion: datasciencecluster.opendatahub.io/v2\nkind: DataScienceCluster\nmetadata:\n  name: default-dsc\nspec:\n  components:\n    kueue:\n      managementState: Removed\n';
    expect(found({ 'dsc.yaml': dsc })).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(found({ 'dsc.yaml': dsc, 'job.yaml': hookJob(`oc patch datasciencecluster default-dsc --type=merge -p ${unmanaged}`) })).toEqual([]);
  });

  test('a strategic merge patch (no --type): the API server refuses it for a custom resource, the error stays and says so', () => {
    const [f] = found({ 'job.yaml': hookJob(`oc patch datasciencecluster default-dsc -p ${unmanaged}`) });
    expect(f.severity).toBe('error');
    expect(f.message).toContain("the patch at Job/redhat-ods-applications/set-kueue container 'oc' line 1 would set");
    expect(f.message).toContain('give it --type=merge');
  });

  test('a script of the repository above the checked folder (its scripts/ folder) that patches it: the same; one that only reads it does not', async () => {
    const inRepository = async (script: string) => {
      const root = writeTree('kueue-instance-repo-', {
        'platform/kueue/subscription.yaml': subscription,
        'platform/kueue/cluster-queue.yaml': clusterQueue,
        'scripts/enable-kueue.sh': script,
      });
      fs.mkdirSync(path.join(root, '.git'));
      const { out } = await cliInProcess(['check', path.join(root, 'platform', 'kueue'), '--platform', 'rhoai-3.3', '--json']);
      return (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings
        .filter((f) => f.rule === 'kueue-instance-missing')
        .map((f) => f.severity);
    };
    expect(await inRepository(`#!/bin/sh\noc patch datasciencecluster default-dsc --type=merge -p ${unmanaged}\n`)).toEqual([]);
    expect(await inRepository('#!/bin/sh\noc get datasciencecluster default-dsc\n')).toEqual(['error']);
  });

  test('a patch that sets the component Removed, or patches another resource: the error stays', () => {
    const removed = `'{"spec":{"components":{"kueue":{"managementState":"Removed"}}}}'`;
    expect(found({ 'job.yaml': hookJob(`oc patch datasciencecluster default-dsc --type=merge -p ${removed}`) }).map((f) => f.severity)).toEqual(['error']);
    expect(found({ 'job.yaml': hookJob(`oc patch dscinitialization default-dsci --type=merge -p ${unmanaged}`) }).map((f) => f.severity)).toEqual(['error']);
  });
});
