import { ModelProfile } from '../planning/model-profile';
import { GraphObject, ObjectGraph } from './graph';

export type Severity = 'error' | 'warning';

/** One problem found in the manifests. */
export interface Finding {
  /** Stable rule id, e.g. `runtime-format-mismatch`. */
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds. */
  readonly object: string;
  /** What is wrong, naming the field, and how to fix it. */
  readonly message: string;
  /** File the object came from. */
  readonly file?: string;
  /** The reason given when the finding was acknowledged on the object; acknowledged errors do not fail. */
  readonly acknowledged?: string;
}

/** What the rules see. */
export interface CheckContext {
  readonly graph: ObjectGraph;
  /** Model profiles by storage location (`s3://bucket/path/`), for the memory rules. */
  readonly models: ReadonlyMap<string, ModelProfile>;
  /**
   * The model a service serves: the profile given for its storage location, else the one a construct recorded on it
   * (annotation `cdk8s-vllm.io/model-profile`). Throws, naming the annotation, when the recorded one is invalid.
   */
  modelOf(o: GraphObject): ModelProfile | undefined;
}

/** A problem a rule reports on one object. */
export interface RuleResult {
  readonly severity: Severity;
  readonly object: GraphObject;
  readonly message: string;
}

/** A check over the whole object graph. */
export interface Rule {
  readonly id: string;
  /** One line for the README and `check --rules`. */
  readonly title: string;
  check(ctx: CheckContext): RuleResult[];
}

export const error = (object: GraphObject, message: string): RuleResult => ({ severity: 'error', object, message });
export const warning = (object: GraphObject, message: string): RuleResult => ({ severity: 'warning', object, message });
