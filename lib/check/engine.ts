import { ModelProfile } from '../planning/model-profile';
import { GraphObject, ObjectGraph, storageLocationOf } from './graph';
import { CheckContext, Finding, Rule } from './rule';
import { MEMORY_RULES } from './rules/memory';
import { SCHEDULING_RULES } from './rules/scheduling';
import { SECURITY_RULES } from './rules/security';
import { SERVING_RULES } from './rules/serving';
import { STORAGE_RULES } from './rules/storage';

/** Every rule, grouped by concern (serving, scheduling, storage, security, memory). */
export const ALL_RULES: readonly Rule[] = [...SERVING_RULES, ...SCHEDULING_RULES, ...STORAGE_RULES, ...SECURITY_RULES, ...MEMORY_RULES];

/** Annotation prefix that acknowledges a finding on one object: `checks.cdk8s-vllm.io/<rule-id>: <reason>`. */
export const ACKNOWLEDGE_PREFIX = 'checks.cdk8s-vllm.io/';

/** One object to check: any parsed YAML document, and the file it came from. */
export interface CheckInput {
  /** The object as parsed; documents that are not Kubernetes objects are passed over. */
  readonly manifest: unknown;
  /** The file it came from, for the findings. */
  readonly file?: string;
}

/** Options of a check run. */
export interface CheckOptions {
  /** Model profiles by storage location (`s3://bucket/path/`). */
  readonly models?: ReadonlyMap<string, ModelProfile>;
  /**
   * Ids of the rules to run.
   * @default - every rule
   */
  readonly rules?: readonly string[];
}

/**
 * Runs the rules over an object graph. Findings on an object that acknowledges the rule (annotation
 * `checks.cdk8s-vllm.io/<rule>` with a reason) are kept but downgraded to warnings, with the reason.
 * Sorted: errors first, then by object and rule.
 */
export function runChecks(objects: readonly CheckInput[], options: CheckOptions = {}): Finding[] {
  const graph = new ObjectGraph(objects as readonly GraphObject[]);
  const models = options.models ?? new Map<string, ModelProfile>();
  const modelOf = (o: GraphObject) => {
    const location = storageLocationOf(o.manifest);
    return (location ? models.get(location) : undefined) ?? ModelProfile.fromAnnotation(o.manifest.metadata?.annotations?.[ModelProfile.ANNOTATION]);
  };
  const ctx: CheckContext = { graph, models, modelOf };
  const findings: Finding[] = [];
  for (const rule of options.rules ? ALL_RULES.filter((r) => options.rules!.includes(r.id)) : ALL_RULES) {
    for (const r of rule.check(ctx)) {
      const reason: string | undefined = r.object.manifest.metadata?.annotations?.[`${ACKNOWLEDGE_PREFIX}${rule.id}`];
      findings.push({
        rule: rule.id,
        severity: reason ? 'warning' : r.severity,
        object: graph.id(r.object),
        message: reason ? `${r.message} [acknowledged: ${reason}]` : r.message,
        ...(r.object.file ? { file: r.object.file } : {}),
        ...(reason ? { acknowledged: reason } : {}),
      });
    }
  }
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return findings.sort((a, b) => rank(a) - rank(b) || a.object.localeCompare(b.object) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}
