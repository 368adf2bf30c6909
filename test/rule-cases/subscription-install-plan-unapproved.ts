import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { cliInProcess, writeTree } from '../util';

/**
 * subscription-install-plan-unapproved: OLM makes a Manual Subscription's InstallPlan unapproved and installs nothing
 * until something approves it.
 */
const subscription = (approval: string) => ({
  apiVersion: 'operators.coreos.com/v1alpha1',
  kind: 'Subscription',
  metadata: { name: 'gpu-operator-certified', namespace: 'nvidia-gpu-operator' },
  spec: {
    channel: 'v25.3',
    name: 'gpu-operator-certified',
    source: 'certified-operators',
    sourceNamespace: 'openshift-marketplace',
    installPlanApproval: approval,
  },
});

async function findings(files: Record<string, string>): Promise<{ severity: string; object: string; message: string }[]> {
  const dir = writeTree('install-plan-', files);
  const report = JSON.parse((await cliInProcess(['check', dir, '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'subscription-install-plan-unapproved');
}

describe('subscription-install-plan-unapproved', () => {
  test('Manual approval and nothing approving: a warning naming the package and the approval step', async () => {
    const [f, ...rest] = await findings({ 'sub.yaml': YAML.stringify(subscription('Manual')) });
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.object).toBe('Subscription/nvidia-gpu-operator/gpu-operator-certified');
    expect(f.message).toMatch(/package gpu-operator-certified with spec.approved false and installs nothing until it is approved/);
  });

  test('near misses: Automatic approval; a script patching the InstallPlan approved; a CronJob that approves plans', async () => {
    expect(await findings({ 'sub.yaml': YAML.stringify(subscription('Automatic')) })).toEqual([]);
    const script =
      '#!/bin/sh\noc apply -f sub.yaml\nsleep 30\noc patch installplan install-abcde -n nvidia-gpu-operator --type merge -p \'{"spec":{"approved":true}}\'\n';
    expect(await findings({ 'sub.yaml': YAML.stringify(subscription('Manual')), 'install.sh': script })).toEqual([]);
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'plan-approver', namespace: 'nvidia-gpu-operator' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  {
                    name: 'oc',
                    image: 'quay.io/example/oc:4.18',
                    command: ['sh', '-c', 'oc get installplans -o name | xargs -I{} oc patch {} --type merge -p \'{"spec":{"approved":true}}\''],
                  },
                ],
              },
            },
          },
        },
      },
    };
    expect(await findings({ 'sub.yaml': `${YAML.stringify(subscription('Manual'))}---\n${YAML.stringify(cron)}` })).toEqual([]);
  });

  test("a script's approval in any form: options in any order, the plan in a variable or a command substitution, kubectl or oc", async () => {
    const sub = YAML.stringify(subscription('Manual'));
    const forms = [
      'kubectl -n nvidia-gpu-operator patch --type=merge installplan "$PLAN" --patch \'{"spec":{"approved":true}}\'',
      'oc patch installplan $(oc get installplan -n nvidia-gpu-operator -o jsonpath=\'{.items[0].metadata.name}\') -n nvidia-gpu-operator -p=\'{"spec":{"approved":true}}\' --type merge',
      'oc patch -n nvidia-gpu-operator $(oc get ip -n nvidia-gpu-operator -o name | head -1) --type merge -p \'{"spec":{"approved":true}}\'',
      'oc patch installplan.operators.coreos.com/${PLAN} -n nvidia-gpu-operator --type=json -p \'[{"op":"replace","path":"/spec/approved","value":true}]\'',
    ];
    for (const line of forms)
      expect(
        await findings({ 'sub.yaml': sub, 'install.sh': `#!/bin/sh\nPLAN=$(oc get sub x -o jsonpath='{.status.installPlanRef.name}')\n${line}\n` }),
      ).toEqual([]);
  });

  test('a script that sets approved false, or patches another object approved: the warning stays', async () => {
    const sub = YAML.stringify(subscription('Manual'));
    const refuse = 'oc patch installplan "$PLAN" -n nvidia-gpu-operator --type merge -p \'{"spec":{"approved":false}}\'';
    const other = 'oc patch subscription gpu-operator-certified -n nvidia-gpu-operator --type merge -p \'{"spec":{"approved":true}}\'';
    expect((await findings({ 'sub.yaml': sub, 'install.sh': `#!/bin/sh\n${refuse}\n` })).map((f) => f.severity)).toEqual(['warning']);
    expect((await findings({ 'sub.yaml': sub, 'install.sh': `#!/bin/sh\n${other}\n` })).map((f) => f.severity)).toEqual(['warning']);
  });

  test("a script of the repository's scripts folder, above the checked folder, that approves: no finding", async () => {
    const root = writeTree('install-plan-repo-', {
      'manifests/sub.yaml': YAML.stringify(subscription('Manual')),
      'scripts/install.sh':
        '#!/bin/bash\noc apply -f manifests/sub.yaml\nIP=$(oc get subscription gpu-operator-certified -n nvidia-gpu-operator -o jsonpath=\'{.status.installPlanRef.name}\')\noc patch installplan "$IP" -n nvidia-gpu-operator --type merge -p \'{"spec":{"approved":true}}\'\n',
    });
    fs.mkdirSync(path.join(root, '.git'));
    const report = JSON.parse((await cliInProcess(['check', path.join(root, 'manifests'), '--json'])).out);
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'subscription-install-plan-unapproved')).toEqual([]);
  });
});
