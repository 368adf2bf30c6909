import { AWS_INSTANCE_LABEL_PREFIXES, awsInstanceLabel } from '../catalog/aws-instance-labels';
import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { INSTANCE_TYPE_LABEL } from '../k8s/keys';

/**
 * A NodePool requirement as Karpenter holds it (kubernetes-sigs/karpenter pkg/scheduling/requirement.go Requirement):
 * a set of values or its complement, with integer bounds. In is the set; NotIn and Exists its complement; DoesNotExist
 * the empty set; Gt and Lt the complement with a bound (Gte and Lte, where the release has them, a bound one further).
 */
interface Held {
  readonly complement: boolean;
  readonly values: ReadonlySet<string>;
  readonly gt?: number;
  readonly lt?: number;
}

function held(operator: string, values: readonly string[]): Held | undefined {
  const n = Number(values[0]);
  switch (operator) {
    case 'In':
      return { complement: false, values: new Set(values) };
    case 'NotIn':
      return { complement: true, values: new Set(values) };
    case 'Exists':
      return { complement: true, values: new Set() };
    case 'DoesNotExist':
      return { complement: false, values: new Set() };
    case 'Gt':
    case 'Gte':
      return Number.isInteger(n) ? { complement: true, values: new Set(), gt: operator === 'Gt' ? n : n - 1 } : undefined;
    case 'Lt':
    case 'Lte':
      return Number.isInteger(n) ? { complement: true, values: new Set(), lt: operator === 'Lt' ? n : n + 1 } : undefined;
    default:
      return undefined;
  }
}

/** Whether a value is within integer bounds (requirement.go withinIntPtrs: with a bound, a value that is no integer is outside). */
function within(value: string, gt: number | undefined, lt: number | undefined): boolean {
  if (gt === undefined && lt === undefined) return true;
  const n = Number(value);
  return Number.isInteger(n) && (gt === undefined || n > gt) && (lt === undefined || n < lt);
}

/** Two requirements of one key together (requirement.go Intersection). */
function intersect(a: Held, b: Held): Held {
  const gt = a.gt === undefined ? b.gt : b.gt === undefined ? a.gt : Math.max(a.gt, b.gt);
  const lt = a.lt === undefined ? b.lt : b.lt === undefined ? a.lt : Math.min(a.lt, b.lt);
  const complement = a.complement && b.complement;
  let values: string[];
  if (a.complement && b.complement) values = [...a.values, ...b.values];
  else if (a.complement) values = [...b.values].filter((v) => !a.values.has(v));
  else if (b.complement) values = [...a.values].filter((v) => !b.values.has(v));
  else values = [...a.values].filter((v) => b.values.has(v));
  values = values.filter((v) => complement || within(v, gt, lt));
  return complement ? { complement, values: new Set(values), gt, lt } : { complement, values: new Set(values) };
}

/** Whether a held requirement admits a value (requirement.go Has). */
function has(r: Held, value: string): boolean {
  return (r.complement ? !r.values.has(value) : r.values.has(value)) && within(value, r.gt, r.lt);
}

/** Whether a held requirement admits no value at all: an empty set, or bounds no integer lies between. */
function admitsNone(r: Held): boolean {
  if (!r.complement) return r.values.size === 0;
  return r.gt !== undefined && r.lt !== undefined && r.lt - r.gt <= 1;
}

/**
 * Labels every node Karpenter launches carries (karpenter.sh v1 WellKnownLabels; the AWS provider's instance labels
 * that every EC2 type has, under karpenter.k8s.aws/ or EKS Auto Mode's eks.amazonaws.com/): requirements on them that
 * admit no value leave no instance type. A label not every type carries (a GPU's name) is not judged this way: types
 * without it satisfy an empty set.
 */
const ALWAYS_SET = new Set([
  INSTANCE_TYPE_LABEL,
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'topology.kubernetes.io/zone',
  'karpenter.sh/capacity-type',
  ...['instance-category', 'instance-family', 'instance-generation', 'instance-size', 'instance-cpu', 'instance-memory'].flatMap((n) =>
    AWS_INSTANCE_LABEL_PREFIXES.map((p) => `${p}${n}`),
  ),
]);

/** A requirement as written, for messages: `karpenter.k8s.aws/instance-family In [p5]`. */
export interface WrittenRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export function requirementText(r: WrittenRequirement): string {
  return `${r.key} ${r.operator}${r.operator === 'Exists' || r.operator === 'DoesNotExist' ? '' : ` [${r.values.join(', ')}]`}`;
}

/** The requirements of a NodePool's template (karpenter.sh v1 and v1beta1 spec.template.spec.requirements). */
export function writtenRequirements(pool: Loose): WrittenRequirement[] {
  return mappings(mapping(mapping(mapping(pool.spec).template).spec).requirements).map((r) => ({
    key: text(r.key) ?? '',
    operator: text(r.operator) ?? '',
    values: strings(r.values),
  }));
}

/** The requirements of each key intersected, with those written for it; undefined for a key whose requirement is not read (an operator or bound not known). */
function byKey(reqs: readonly WrittenRequirement[]): Map<string, { held?: Held; written: WrittenRequirement[] }> {
  const out = new Map<string, { held?: Held; written: WrittenRequirement[] }>();
  for (const r of reqs) {
    const h = held(r.operator, r.values);
    const known = out.get(r.key);
    if (!known) out.set(r.key, { held: h, written: [r] });
    else out.set(r.key, { held: known.held && h && intersect(known.held, h), written: [...known.written, r] });
  }
  return out;
}

/** What an instance type's name tells of its AWS labels: family, size, and the family's category and generation (aws-instance-labels.ts). */
function derived(label: string, value: string): Record<string, string | undefined> {
  const family = label === 'instance-type' ? value.split('.')[0] : value;
  return {
    ...(label === 'instance-type' ? { 'instance-family': family, 'instance-size': value.split('.')[1] } : {}),
    'instance-category': /^([a-z]+)\d/.exec(family)?.[1],
    'instance-generation': /^[a-z]+(\d+)/.exec(family)?.[1],
  };
}

/**
 * Why no instance type satisfies a NodePool's requirements, as Karpenter intersects them: a key whose requirements
 * together admit no value (In sets that share none, In and NotIn of the same values, Gt and Lt with no integer between),
 * on a label every node carries; or instance types or families none of whose names agree with the category, generation
 * or size requirements under the same prefix (a family's category is its letters, its generation its number).
 * Empty when the requirements leave some type possible, as far as names tell.
 */
export function unsatisfiable(pool: Loose): string[] {
  const keys = byKey(writtenRequirements(pool));
  const out: string[] = [];
  for (const [key, { held: h, written }] of keys) {
    if (h && ALWAYS_SET.has(key) && admitsNone(h) && written.some((w) => w.operator !== 'DoesNotExist'))
      out.push(`${written.map(requirementText).join(' and ')} admit${written.length > 1 ? '' : 's'} no value`);
  }
  if (out.length) return out;
  for (const prefix of ['', ...AWS_INSTANCE_LABEL_PREFIXES]) {
    const namesKey = prefix ? `${prefix}instance-family` : INSTANCE_TYPE_LABEL;
    const names = keys.get(namesKey);
    if (!names?.held || names.held.complement) continue;
    const label = prefix ? 'instance-family' : 'instance-type';
    const checks = (value: string) =>
      Object.entries(derived(label, value)).filter(([name, v]) => {
        const typePrefix = prefix || AWS_INSTANCE_LABEL_PREFIXES.find((p) => keys.has(`${p}${name}`));
        const r = typePrefix ? keys.get(`${typePrefix}${name}`) : undefined;
        return v !== undefined && r?.held && !has(r.held, v);
      });
    const values = [...names.held.values];
    if (!values.length || values.some((v) => !checks(v).length)) continue;
    const against = [...new Set(values.flatMap((v) => checks(v).map(([name]) => name)))];
    const conflicting = [...keys.entries()].filter(([k]) => against.includes(awsInstanceLabel(k) ?? '')).flatMap(([, e]) => e.written);
    out.push(
      `${names.written.map(requirementText).join(' and ')} and ${conflicting.map(requirementText).join(' and ')} exclude each other: ${values
        .map(
          (v) =>
            `${v} is ${Object.entries(derived(label, v))
              .filter(([n]) => against.includes(n))
              .map(([n, d]) => `${n} ${d}`)
              .join(', ')}`,
        )
        .join('; ')}`,
    );
  }
  return out;
}
