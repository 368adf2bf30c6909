import { Loose, mapping, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/**
 * Azure's OS disk size bounds (openshift/machine-api-operator pkg/webhooks/machine_webhook.go validateAzure:
 * "diskSizeGB must be greater than zero and less than 32768"; azureMaxDiskSizeGB).
 */
const AZURE_MAX_DISK_GB = 32768;

/** Whether an AWSResourceReference ({id, arn, filters}) names something. */
function referenced(ref: unknown): boolean {
  const r = mapping(ref);
  return text(r.id) !== undefined || text(r.arn) !== undefined || Array.isArray(r.filters);
}

/**
 * What machine-api's webhooks say of an AWSMachineProviderConfig after defaulting (defaultAWS fills instanceType,
 * placement.region, userDataSecret and credentialsSecret from the cluster): validateAWS refuses it without ami.id (an
 * AMI by arn or filters is refused too) and only warns for no subnet or no iamInstanceProfile.
 */
function awsProblems(value: Loose): Problem[] {
  if (text(mapping(value.ami).id) === undefined) {
    const other = referenced(value.ami) ? ' (ami.arn and ami.filters are refused: only ami.id counts)' : '';
    return [
      {
        severity: 'error',
        message:
          `providerSpec.value (AWSMachineProviderConfig) has no ami.id${other}: machine-api's admission webhook refuses the MachineSet ` +
          `(providerSpec.ami: Required value: expected providerSpec.ami.id to be populated), so no Machine is made; ` +
          `set ami.id to the cluster's RHCOS AMI (the one its worker MachineSets use)`,
      },
    ];
  }
  const absent = [
    referenced(value.subnet) ? undefined : 'subnet (the instance lands in whatever subnet of the region AWS lists first)',
    mapping(value.iamInstanceProfile).id === undefined ? 'iamInstanceProfile (the node has no instance role)' : undefined,
  ].filter((a): a is string => a !== undefined);
  if (!absent.length) return [];
  return [
    {
      severity: 'warning',
      message:
        `providerSpec.value (AWSMachineProviderConfig) sets no ${absent.join(' and no ')}: machine-api's webhook admits it with the warning ` +
        `"nodes may be unable to join the cluster"; copy them (and securityGroups, tags) from a worker MachineSet of the cluster`,
    },
  ];
}

/** validateAzure refuses an OS disk size outside 1..32767 GB; defaultAzure sets no size. */
function azureProblems(value: Loose): Problem[] {
  const size = Number(mapping(value.osDisk).diskSizeGB ?? 0);
  if (size > 0 && size < AZURE_MAX_DISK_GB) return [];
  return [
    {
      severity: 'error',
      message:
        `providerSpec.value (AzureMachineProviderSpec) osDisk.diskSizeGB is ${size ? size : 'unset'}: machine-api's admission webhook refuses the MachineSet ` +
        `(diskSizeGB must be greater than zero and less than ${AZURE_MAX_DISK_GB}); set osDisk.diskSizeGB (e.g. 128)`,
    },
  ];
}

const PROVIDERS: Record<string, (value: Loose) => Problem[]> = {
  AWSMachineProviderConfig: awsProblems,
  AzureMachineProviderSpec: azureProblems,
};

export const machineProviderSpecIncomplete: Rule = {
  id: 'machine-provider-spec-incomplete',
  title:
    "an OpenShift MachineSet's providerSpec lacks what machine-api's webhook requires for its cloud (AWS ami.id, Azure osDisk.diskSizeGB): the MachineSet is refused",
  severity: 'error',
  appliesTo: ['MachineSet'],
  premise:
    "a machine.openshift.io MachineSet whose spec.template.spec.providerSpec.value is an AWSMachineProviderConfig without ami.id, or an AzureMachineProviderSpec without an osDisk.diskSizeGB in 1..32767: machine-api's validating webhook (after its defaulting webhook has filled region, instance type, user data and credentials secrets) refuses it; an AWS one with ami.id but no subnet or no iamInstanceProfile is a warning (the webhook admits it, warning that nodes may not join). Other providers are not judged",
  example:
    'a MachineSet whose providerSpec.value is `{apiVersion: machine.openshift.io/v1beta1, kind: AWSMachineProviderConfig, instanceType: g6.2xlarge}` and nothing else',
  fix: "copy the providerSpec of one of the cluster's worker MachineSets (ami.id, subnet, securityGroups, iamInstanceProfile, placement, tags) and change only instanceType/vmSize",
  source:
    'openshift/machine-api-operator pkg/webhooks/machine_webhook.go (defaultAWS, validateAWS, defaultAzure, validateAzure; the MachineSet webhooks of machineset_webhook.go run them on spec.template); openshift/machine-api-provider-aws pkg/actuators/machine/instances.go (getAMI: "AMI ID or AMI filters need to be specified"; getSubnetIDs without subnet or zone takes any subnet)',
  scope: 'object',
  check(o) {
    if (!(text(o.manifest.apiVersion) ?? '').startsWith('machine.openshift.io/')) return [];
    const value = mapping(mapping(mapping(mapping(mapping(o.manifest.spec).template).spec).providerSpec).value);
    const judge = PROVIDERS[text(value.kind) ?? ''];
    return judge ? judge(value) : [];
  },
};
