import { readManifests, runChecks } from '../../lib';
import { writeTree } from '../util';

/** machine-provider-spec-incomplete: what machine-api's webhooks require of a MachineSet's providerSpec, after their defaulting. */
const machineSet = (value: string, apiVersion = 'machine.openshift.io/v1beta1') =>
  `apiVersion: ${apiVersion}\nkind: MachineSet\nmetadata:\n  name: demo-gpu-a\n  namespace: openshift-machine-api\nspec:\n  replicas: 1\n` +
  `  selector:\n    matchLabels: {machine.openshift.io/cluster-api-machineset: demo-gpu-a}\n  template:\n    metadata:\n      labels: {machine.openshift.io/cluster-api-machineset: demo-gpu-a}\n` +
  `    spec:\n      providerSpec:\n        value: ${value}\n`;

function found(value: string, apiVersion?: string): [string, string, string][] {
  const dir = writeTree('provider-spec-', { 'machineset.yaml': machineSet(value, apiVersion) });
  const read = readManifests([dir]);
  return runChecks(read.manifests, { platform: 'rhoai-3.3', rules: ['machine-provider-spec-incomplete'], ...read }).map((f) => [
    f.severity,
    f.object,
    f.message,
  ]);
}

const AWS = 'kind: AWSMachineProviderConfig, apiVersion: machine.openshift.io/v1beta1, instanceType: g6.2xlarge';

describe('machine-provider-spec-incomplete', () => {
  test('AWS without ami.id: the webhook refuses the MachineSet, an error', () => {
    const [f, ...rest] = found(`{${AWS}}`);
    expect(rest).toEqual([]);
    expect(f[0]).toBe('error');
    expect(f[1]).toBe('MachineSet/openshift-machine-api/demo-gpu-a');
    expect(f[2]).toMatch(
      /AWSMachineProviderConfig\) has no ami\.id: machine-api's admission webhook refuses the MachineSet \(providerSpec\.ami: Required value/,
    );
  });

  test('AWS with an AMI by filters only: refused too, and said so', () => {
    expect(found(`{${AWS}, ami: {filters: [{name: name, values: [rhcos-*]}]}}`)[0][2]).toMatch(/ami\.arn and ami\.filters are refused: only ami\.id counts/);
  });

  test('AWS with ami.id but no subnet and no instance profile: a warning, as the webhook warns', () => {
    const [f] = found(`{${AWS}, ami: {id: ami-0123456789abcdef0}}`);
    expect(f[0]).toBe('warning');
    expect(f[2]).toMatch(/sets no subnet .* and no iamInstanceProfile .*nodes may be unable to join the cluster/);
  });

  test('Azure without an OS disk size: an error', () => {
    const [f] = found('{kind: AzureMachineProviderSpec, apiVersion: machine.openshift.io/v1beta1, vmSize: Standard_NC24ads_A100_v4}');
    expect(f[0]).toBe('error');
    expect(f[2]).toMatch(/osDisk\.diskSizeGB is unset: machine-api's admission webhook refuses the MachineSet/);
  });

  test('near misses: a complete AWS spec, an Azure disk size, another provider, a Cluster API MachineSet', () => {
    expect(found(`{${AWS}, ami: {id: ami-0123456789abcdef0}, subnet: {id: subnet-0abc}, iamInstanceProfile: {id: demo-worker-profile}}`)).toEqual([]);
    expect(found('{kind: AzureMachineProviderSpec, vmSize: Standard_NC24ads_A100_v4, osDisk: {diskSizeGB: 128}}')).toEqual([]);
    expect(found('{kind: GCPMachineProviderSpec, machineType: a2-highgpu-1g}')).toEqual([]);
    expect(found(`{${AWS}}`, 'cluster.x-k8s.io/v1beta1')).toEqual([]);
  });
});
