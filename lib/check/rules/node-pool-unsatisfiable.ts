import { GpuInstanceType } from '../../catalog/instance-type';
import { AWS_INSTANCE_LABELS, awsInstanceLabel } from '../../catalog/aws-instance-labels';
import { Loose } from '../../manifests/access';
import { INSTANCE_TYPE_LABEL } from '../../k8s/keys';
import { nodePoolTypes } from '../karpenter-shapes';
import { requirementText, unsatisfiable, writtenRequirements } from '../karpenter-requirements';
import { Problem, Rule } from '../rule';

/**
 * The catalog's instance types a NodePool's instance-type or instance-family requirement names, none of which the
 * pool's other requirements on AWS instance labels admit (a GPU name or count the family does not carry): a reason,
 * naming what each family carries; undefined when some type remains or the catalog does not know the names.
 */
function catalogMismatch(pool: Loose): string | undefined {
  const reqs = writtenRequirements(pool);
  if (nodePoolTypes(pool)?.length !== 0) return undefined;
  const naming = reqs.filter((r) => r.operator === 'In' && (r.key === INSTANCE_TYPE_LABEL || awsInstanceLabel(r.key) === 'instance-family'));
  const named = nodePoolTypes({ ...pool, spec: { template: { spec: { requirements: naming } } } });
  if (!named?.length) return undefined;
  const narrowing = reqs.filter((r) => !naming.includes(r) && awsInstanceLabel(r.key) && awsInstanceLabel(r.key) !== 'instance-family');
  const labels = [...new Set(narrowing.map((r) => awsInstanceLabel(r.key)!))];
  const shown = (t: GpuInstanceType) => `${t.name} (${labels.map((l) => `${l} ${AWS_INSTANCE_LABELS[l].of(t) ?? '?'}`).join(', ')})`;
  const listed = named.length > 4 ? `${named.slice(0, 4).map(shown).join(', ')} and ${named.length - 4} more` : named.map(shown).join(', ');
  return `${naming.map(requirementText).join(' and ')} name${naming.length > 1 ? '' : 's'} instance types none of which ${narrowing.map(requirementText).join(' and ')} admit${narrowing.length > 1 ? '' : 's'}: ${listed}`;
}

export const nodePoolUnsatisfiable: Rule = {
  id: 'node-pool-unsatisfiable',
  title: 'a Karpenter NodePool whose requirements no instance type satisfies: it never launches a node',
  severity: 'error',
  appliesTo: ['NodePool'],
  premise:
    'a Karpenter NodePool (karpenter.sh, on EKS Auto Mode too) whose spec.template.spec.requirements, intersected key by key as Karpenter does, admit no instance type: ' +
    'the requirements of one key share no value (In sets with no value in common, In and NotIn of the same values, Gt and Lt with no integer between), on a label every node carries (instance type, architecture, OS, zone, capacity type, and the AWS instance category, family, generation, size, CPU and memory under karpenter.k8s.aws/ or eks.amazonaws.com/); ' +
    "the instance types or families it names, none of whose names agree with its category, generation or size requirements (a family's category is its letters, trn2 of trn, p5 of p); " +
    "or the catalog's types of the families it names, none of which carry the GPU name, GPU count, CPU or memory its other requirements ask. Karpenter then finds no instance type for any pod and never launches a node; pods that only this NodePool could place stay Pending",
  example: 'requirements `key: karpenter.k8s.aws/instance-category` In `values: ["g"]` beside `key: karpenter.k8s.aws/instance-family` In `values: ["p5"]`',
  fix: 'make the requirements agree: name a category that holds the family (p for p5), drop one of the two, or choose a family that carries the GPU asked for',
  source:
    'kubernetes-sigs/karpenter pkg/scheduling/requirements.go (Requirements.Add intersects the requirements of a key) and requirement.go (Intersection, Has: In sets, NotIn complements, Gt/Lt integer bounds); ' +
    'aws/karpenter-provider-aws pkg/providers/instancetype/types.go (instance-category, -family, -generation, -gpu-name, -gpu-count of each EC2 type); the eks.amazonaws.com/instance-* labels of EKS Auto Mode mean the same',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (!String(m.apiVersion ?? '').startsWith('karpenter.sh/')) return [];
    // an In with no values is refused by the CRD's own rule, which field-value-invalid reads
    if (writtenRequirements(m).some((r) => r.operator === 'In' && !r.values.length)) return [];
    const reasons = unsatisfiable(m);
    const catalog = reasons.length ? undefined : catalogMismatch(m);
    const all = catalog ? [catalog] : reasons;
    return all.map((why): Problem => ({
      message: `spec.template.spec.requirements: ${why}; no instance type satisfies them all, so Karpenter never launches a node from this NodePool and the pods only it could place stay Pending: make the requirements agree`,
    }));
  },
};
