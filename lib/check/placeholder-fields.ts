import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { PLACEHOLDER_WORD } from '../manifests/placeholder-word';
import { apiGroupOf } from '../k8s/api-version';
import { isLabelValue } from '../private/names';
import { ANGLE_PLACEHOLDER } from './template-syntax';

/**
 * Placeholders left in fields a controller or the API server reads as written, beyond names, images and containers:
 * the selector terms and node role of a Karpenter or EKS Auto Mode NodeClass, label values and a Service's selector,
 * and a serving object's storage URI. Said by unrendered-placeholder, which judges the object's delivery.
 */

/** A placeholder of such a field: where, the token, how sure its failure is, and what the literal does there. */
export interface FieldPlaceholder {
  readonly where: string;
  readonly token: string;
  readonly severity: 'error' | 'warning';
  readonly harm: string;
}

/** A renderer's syntax (`${VAR}`, `$VAR`, `{{ … }}`) or a hand-filled slot (`<NAME>`, `<<NAME>>`, a placeholder word). */
const SYNTAX = /\$\{[A-Za-z_][\w]*(?:[:?+=-][^}]*)?\}|\$[A-Za-z_]\w*|\{\{[^{}]*\}\}/;

/** The placeholder a value holds, or undefined. */
export function slotToken(value: string): string | undefined {
  const v = value.trim();
  if (!v || v.includes('\n')) return undefined;
  return (SYNTAX.exec(v) ?? ANGLE_PLACEHOLDER.exec(v) ?? PLACEHOLDER_WORD.exec(v))?.[0];
}

/** The API groups of the NodeClasses whose selector terms pick AWS resources: Karpenter's EC2NodeClass, EKS Auto Mode's NodeClass. */
const NODE_CLASS_GROUPS = ['karpenter.k8s.aws', 'eks.amazonaws.com'];

/**
 * The selector-term lists of a NodeClass and what the controller says when none of their terms matches (karpenter-provider-aws
 * pkg/controllers/nodeclass subnet.go, securitygroup.go, ami.go, capacityreservation.go: the condition is set False).
 */
const SELECTOR_TERMS: readonly (readonly [string, string, string])[] = [
  ['subnetSelectorTerms', 'subnet', 'SubnetsReady=False: "SubnetSelector did not match any Subnets"'],
  ['securityGroupSelectorTerms', 'security group', 'SecurityGroupsReady=False: "SecurityGroupSelector did not match any SecurityGroups"'],
  ['amiSelectorTerms', 'AMI', 'AMIsReady=False: "AMISelector did not match any AMIs"'],
  ['capacityReservationSelectorTerms', 'capacity reservation', 'CapacityReservationsReady=False'],
];

/** The placeholders of one selector term: its tag values, its id and name. */
function termSlots(term: Loose, at: string): { where: string; token: string }[] {
  const fields: [string, string | undefined][] = [
    ...Object.entries(stringMap(term.tags)).map(([k, v]): [string, string] => [`${at}.tags.${k}`, v]),
    [`${at}.id`, text(term.id)],
    [`${at}.name`, text(term.name)],
  ];
  return fields.flatMap(([where, v]) => {
    const token = v === undefined ? undefined : slotToken(v);
    return token ? [{ where, token }] : [];
  });
}

/**
 * The placeholders of a NodeClass's selector terms (`karpenter.sh/discovery: <<CLUSTER_NAME>>`) and node role: no AWS
 * resource carries the literal (AWS tag values and IAM role names admit neither `<`, `>`, `$` nor braces), so a term
 * holding one matches nothing. An error where every term of the list holds one (the terms are ORed): the controller
 * sets the NodeClass not Ready and its NodePools launch no node; a warning where another term may still match.
 */
export function nodeClassPlaceholders(m: Loose): FieldPlaceholder[] {
  if (!NODE_CLASS_GROUPS.includes(apiGroupOf(m.apiVersion)) || !/NodeClass$/.test(String(m.kind))) return [];
  const spec = mapping(m.spec);
  const out: FieldPlaceholder[] = SELECTOR_TERMS.flatMap(([field, what, condition]) => {
    const terms = mappings(spec[field]).map((t, i) => termSlots(t, `spec.${field}[${i}]`));
    const all = terms.length > 0 && terms.every((slots) => slots.length > 0);
    return terms.flat().map((s): FieldPlaceholder => ({
      ...s,
      severity: all ? 'error' : 'warning',
      harm: all
        ? `no ${what} carries that literal, so no term of ${field} matches and the controller sets the NodeClass not Ready (${condition}): its NodePools launch no node and the pods waiting for them stay Pending`
        : `no ${what} carries that literal, so that term of ${field} matches nothing (the other terms, ORed, still select)`,
    }));
  });
  const role = text(spec.role);
  const token = role === undefined ? undefined : slotToken(role);
  if (token)
    out.push({
      where: 'spec.role',
      token,
      severity: 'error',
      harm: 'no IAM role has that name, so the controller cannot make the instance profile (InstanceProfileReady=False): the NodeClass is not Ready and launches no node',
    });
  return out;
}

/** The kinds whose pod template is spec.template and whose selector is a LabelSelector (apps/v1, batch/v1 Job). */
const APPS_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** What the API server says of a label value that is not one (apimachinery ValidateLabels, IsValidLabelValue). */
const LABEL_REFUSED =
  "no label value admits '<', '>', '$', '{' or '}' (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit): the API server refuses the object";

/**
 * Label selector values holding a placeholder: a workload's matchLabels and a Service's selector (the LabelSelector
 * validation, ValidateService's ValidateLabels of spec.selector). One that is no label value is refused, an error; a
 * Service's selector value that is one (`app: REPLACE_ME`) selects only pods carrying that literal, a warning (a pod
 * of the tree may carry it too). The labels objects carry are left to the rules that read them.
 */
export function labelPlaceholders(m: Loose): FieldPlaceholder[] {
  const spec = mapping(m.spec);
  const maps: [string, Record<string, string>][] = [
    ...(APPS_KINDS.includes(String(m.kind))
      ? [['spec.selector.matchLabels', stringMap(mapping(spec.selector).matchLabels)] as [string, Record<string, string>]]
      : []),
    ...(m.kind === 'Service' ? [['spec.selector', stringMap(spec.selector)] as [string, Record<string, string>]] : []),
  ];
  return maps.flatMap(([at, labels]) =>
    Object.entries(labels).flatMap(([k, v]): FieldPlaceholder[] => {
      const token = slotToken(v);
      if (!token) return [];
      if (!isLabelValue(v)) return [{ where: `${at}.${k}`, token, severity: 'error', harm: LABEL_REFUSED }];
      return m.kind === 'Service'
        ? [
            {
              where: `${at}.${k}`,
              token,
              severity: 'warning',
              harm: 'the Service selects only pods labelled with that literal, and sends nothing to the pods meant',
            },
          ]
        : [];
    }),
  );
}

/** The storage URIs of a serving object: an InferenceService's (any component's storageUri and storageUris), an LLMInferenceService's model uri. */
function storageUris(m: Loose): { where: string; uri: string }[] {
  const out: { where: string; uri: string }[] = [];
  const walk = (v: unknown, at: string, depth: number): void => {
    if (depth > 6 || !v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [k, x] of Object.entries(v as Loose)) {
      if (k === 'storageUri' && typeof x === 'string') out.push({ where: `${at}.${k}`, uri: x });
      else if (k === 'storageUris') mappings(x).forEach((u, i) => typeof u.uri === 'string' && out.push({ where: `${at}.${k}[${i}].uri`, uri: u.uri }));
      else if (k !== 'containers' && k !== 'initContainers') walk(x, `${at}.${k}`, depth + 1);
    }
  };
  if (m.kind === 'InferenceService') walk(mapping(m.spec), 'spec', 0);
  const model = mapping(mapping(m.spec).model);
  if (m.kind === 'LLMInferenceService' && typeof model.uri === 'string') out.push({ where: 'spec.model.uri', uri: model.uri });
  return out;
}

/**
 * A hand-filled slot (`<BUCKET>`, `<<MODEL_PATH>>`, `YOUR_BUCKET`) in a storage URI (not a pvc:// one: the claim's name is
 * judged where claims are): KServe's storage initializer fetches the literal, which no bucket, repository or path holds
 * (kserve storage Storage.download_files: "Failed to fetch model. No model found in …"), so the init container fails
 * and the predictor never starts; an error. A renderer's `${VAR}` there is the spec walk's, judged with the object's delivery.
 */
export function storageUriPlaceholders(m: Loose): FieldPlaceholder[] {
  return storageUris(m).flatMap(({ where, uri }): FieldPlaceholder[] => {
    const v = uri.trim();
    if (/^pvc:\/\//.test(v) || SYNTAX.test(v)) return [];
    const token = (ANGLE_PLACEHOLDER.exec(v) ?? PLACEHOLDER_WORD.exec(v))?.[0];
    return token
      ? [
          {
            where,
            token,
            severity: 'error',
            harm: 'the storage initializer fetches from that literal location, which holds no model ("Failed to fetch model"): the init container fails and the predictor never starts',
          },
        ]
      : [];
  });
}
