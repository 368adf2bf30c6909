/**
 * Which nodes a pod's node selection admits: its nodeSelector AND its required node affinity, whose terms are ORed
 * and whose expressions are ANDed. Ported from the scheduler's NodeAffinity filter (kubernetes
 * staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: GetRequiredNodeAffinity,
 * LazyErrorNodeSelector, nodeSelectorRequirementsAsSelector; operators as apimachinery labels.NewRequirement).
 */
import { Loose, isMapping, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { isLabelKey, isLabelValue } from '../private/names';

/** One NodeSelectorRequirement: a label's (or, in matchFields, the node name's) key, operator and values. */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** One term of the required node affinity; a term that does not parse matches no node, as in the scheduler. */
interface NodeTerm {
  readonly expressions: readonly NodeRequirement[];
  readonly fields: readonly NodeRequirement[];
  readonly parses: boolean;
}

/** A pod's node selection. */
export interface NodeSelection {
  /** The labels every node must carry with these values. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The required node affinity's terms (ORed); undefined when the pod has none, so that every node passes it. */
  readonly terms?: readonly NodeTerm[];
}

/** A node as the selection sees it: its labels, and its name when known. */
export interface NodeShape {
  readonly labels: Readonly<Record<string, string>>;
  readonly name?: string;
}

const LABEL_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
/** strconv.ParseInt(v, 10, 64): an optional sign and decimal digits. */
const INTEGER = /^[+-]?\d+$/;

function requirementsOf(v: unknown): NodeRequirement[] {
  return mappings(v).map((e) => ({ key: text(e.key) ?? '', operator: text(e.operator) ?? '', values: strings(e.values) }));
}

/** Whether a label requirement parses (labels.NewRequirement): a valid key and values, as many values as its operator takes. */
function labelRequirementParses(r: NodeRequirement): boolean {
  if (!LABEL_OPERATORS.has(r.operator) || !isLabelKey(r.key) || !r.values.every(isLabelValue)) return false;
  if (r.operator === 'In' || r.operator === 'NotIn') return r.values.length > 0;
  if (r.operator === 'Exists' || r.operator === 'DoesNotExist') return r.values.length === 0;
  return r.values.length === 1 && INTEGER.test(r.values[0]);
}

/** Whether a matchFields requirement parses (nodeSelectorRequirementsAsFieldSelector: In or NotIn with one value). */
function fieldRequirementParses(r: NodeRequirement): boolean {
  return (r.operator === 'In' || r.operator === 'NotIn') && r.values.length === 1;
}

/**
 * The node selection of a pod spec. `nodeSelector` stands in for the pod's own (a webhook's, e.g. an OpenShift AI
 * hardware profile's). Empty terms match no node and are dropped (NewLazyErrorNodeSelector).
 */
export function nodeSelectionOf(pod: Loose, nodeSelector?: Record<string, string>): NodeSelection {
  const required = mapping(mapping(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution;
  const selector = nodeSelector ?? stringMap(pod.nodeSelector);
  if (!isMapping(required)) return { nodeSelector: selector };
  const terms = mappings(required.nodeSelectorTerms)
    .map((t) => ({ expressions: requirementsOf(t.matchExpressions), fields: requirementsOf(t.matchFields) }))
    .filter((t) => t.expressions.length || t.fields.length)
    .map((t) => ({ ...t, parses: t.expressions.every(labelRequirementParses) && t.fields.every(fieldRequirementParses) }));
  return { nodeSelector: selector, terms };
}

/** Whether a label set satisfies one requirement (labels.Requirement.Matches). */
function labelsMeet(labels: Readonly<Record<string, string>>, r: NodeRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(value);
    case 'NotIn':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default: {
      if (!has || !INTEGER.test(value)) return false;
      return r.operator === 'Gt' ? BigInt(value) > BigInt(r.values[0]) : BigInt(value) < BigInt(r.values[0]);
    }
  }
}

function termMatches(term: NodeTerm, node: NodeShape): boolean {
  if (!term.parses || !term.expressions.every((r) => labelsMeet(node.labels, r))) return false;
  // the node's name is a field only when it has one (extractNodeFields)
  if (node.name === undefined || node.name === '') return true;
  return term.fields.every((r) => (r.operator === 'In') === (r.values[0] === node.name));
}

/** Whether the scheduler lets the pod onto the node (RequiredNodeAffinity.Match). */
export function admitsNode(selection: NodeSelection, node: NodeShape): boolean {
  if (!Object.entries(selection.nodeSelector).every(([k, v]) => node.labels[k] === v)) return false;
  return selection.terms === undefined || selection.terms.some((t) => termMatches(t, node));
}

/**
 * The selection restricted to some label keys, as Kueue reads it against a flavor's node labels (kueue
 * pkg/scheduler/flavorassigner flavorSelector): requirements on other keys are dropped, and a term left with none
 * lets every node through, so the affinity then says nothing.
 */
export function restrictedToKeys(selection: NodeSelection, keys: ReadonlySet<string>): NodeSelection {
  const nodeSelector = Object.fromEntries(Object.entries(selection.nodeSelector).filter(([k]) => keys.has(k)));
  if (!selection.terms) return { nodeSelector };
  const terms = selection.terms.map((t) => {
    const expressions = t.expressions.filter((r) => keys.has(r.key));
    return { expressions, fields: [], parses: expressions.every(labelRequirementParses) };
  });
  return !terms.length || terms.some((t) => !t.expressions.length) ? { nodeSelector } : { nodeSelector, terms };
}

/** What a pod's node selection admits for one label. */
export interface AdmittedValues {
  /** Whether every node the pod may run on carries the label (a nodeSelector, or In, Exists, Gt or Lt in every term). */
  readonly required: boolean;
  /** The values it may have, when every admitting term lists them; undefined when other values pass too. */
  readonly values?: readonly string[];
}

/** One term's admission for a key: undefined when the term admits no node. */
function termAdmits(term: NodeTerm, key: string, selected: string | undefined): { required: boolean; values?: string[] } | undefined {
  if (!term.parses) return undefined;
  let values: string[] | undefined = selected === undefined ? undefined : [selected];
  let required = selected !== undefined;
  let absent = false;
  for (const r of term.expressions.filter((e) => e.key === key)) {
    if (r.operator === 'DoesNotExist') absent = true;
    else if (r.operator !== 'NotIn') required = true;
    if (r.operator === 'In') values = values ? values.filter((v) => r.values.includes(v)) : [...r.values];
    else if (values) values = values.filter((v) => labelsMeet({ [key]: v }, r));
  }
  if (absent) return required ? undefined : { required: false, values: [] };
  if (values && !values.length && required) return undefined;
  return { required, values };
}

/**
 * Which values of a label a pod's node selection admits: the nodeSelector's value AND, over the affinity's terms
 * (ORed), what each term's expressions on the label leave. A selection that admits no node at all admits no value and
 * requires nothing, so that no reader infers a placement from it.
 */
export function admittedValues(selection: NodeSelection, key: string): AdmittedValues {
  const selected = selection.nodeSelector[key];
  const terms = selection.terms ?? [{ expressions: [], fields: [], parses: true }];
  const admitting = terms.map((t) => termAdmits(t, key, selected)).filter((t) => t !== undefined);
  // no node at all (a term that does not parse, e.g. a template's ${VAR} value): nothing is claimed of its nodes
  if (!admitting.length) return { required: false, values: [] };
  const open = admitting.some((t) => !t.values);
  const values = open ? undefined : [...new Set(admitting.flatMap((t) => t.values!))];
  return { required: admitting.every((t) => t.required), ...(values ? { values } : {}) };
}
