import { ModelProfile } from '../planning/model-profile';
import { Platform, PlatformConflict } from './platform';
import type { KueueChoice } from './kueue-version';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** error: fails the check; warning: a reviewer should act on it; info: worth knowing, nothing to change (SARIF note). */
export type Severity = 'error' | 'warning' | 'info';

/** The appliesTo entry of a rule that judges every object, whatever its kind (kind-not-served). */
export const ANY_KIND = '*';

/** One problem found in the manifests. */
export interface Finding {
  /** Stable rule id, e.g. `runtime-format-mismatch`. */
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind/namespace/name`, `Kind/name` for objects without a namespace, or a file for input problems. */
  readonly object: string;
  /** What is wrong, naming the field, and how to fix it. */
  readonly message: string;
  /** File the object came from. */
  readonly file?: string;
  /** 1-based line in the file where the object starts. */
  readonly line?: number;
  /** The reason given when the finding was acknowledged on the object; acknowledged errors do not fail. */
  readonly acknowledged?: string;
  /**
   * Set when the finding says the same thing of every object it applies to: a limitation of the check ("model
   * unknown, GPU fit not checked") or a note. The phrase the text output counts such findings under, on one line.
   */
  readonly summary?: string;
  /**
   * Set on a note that says what a check could not judge (a model or node shape it does not know), so that a reader
   * never takes silence for a verdict: reported at synth beside the warnings, and fatal with them under strict checks.
   */
  readonly limitation?: true;
}

/** What the rules see. */
export interface CheckContext {
  readonly graph: ObjectGraph;
  /** The platform the manifests are for (given, set by the project, or told by the tree): mode names, API versions. */
  readonly platform: Platform;
  /**
   * The platform is the default, told neither by the user nor by the tree: a verdict that holds only on that platform
   * (what its shipped presets set) is a warning that says so, not an error.
   */
  readonly platformAssumed?: boolean;
  /**
   * The platforms the tree may target where the platform is assumed (PlatformChoice.candidates): a verdict that holds
   * on every one of them is no assumption. Every platform when unknown.
   */
  readonly platformCandidates?: readonly Platform[];
  /**
   * The platform is upstream KServe and the tree's marks place it on OpenShift (a Route, an openshift-* namespace, `oc`
   * in a script): OpenShift's own parts (its OLM, its SCCs) are there (PlatformChoice.openShift).
   */
  readonly platformOnOpenShift?: boolean;
  /**
   * The platform was inferred from the tree's marks, not given (--platform, the project file): an OpenShift mark alone
   * (a Route, `oc` in a script) leaves OpenShift AI the platform judged, though the tree may run on OpenShift without it.
   */
  readonly platformInferred?: boolean;
  /**
   * The tree's signals conflict and the platform was not given (PlatformChoice.conflict): the engine makes an error
   * that does not hold on the overruled platforms a warning naming the conflict.
   */
  readonly platformConflict?: PlatformConflict;
  /**
   * The Kueue release the cluster runs (stated, told by the tree, or the platform's default: source `default`, where a
   * verdict that holds only on that release is a warning naming the assumption).
   */
  readonly kueue: KueueChoice;
  /**
   * The model a service serves: the profile given for its storage location, else the one a construct recorded on it
   * (annotation `cdk8s-vllm.io/model-profile`), else the bundled profile of the Hugging Face id its storage URI or
   * vLLM command line names (models/index.json). Throws, naming the annotation, when the recorded one is invalid.
   */
  modelOf(o: GraphObject): ModelProfile | undefined;
}

/** A problem a rule reports on the object it was called with; the rule's default severity unless it says. */
export interface Problem {
  readonly message: string;
  readonly severity?: Severity;
  /** The phrase repeated findings are counted under (see Finding.summary). */
  readonly summary?: string;
  /** What the check could not judge (see Finding.limitation). */
  readonly limitation?: true;
  /** What harms only once the object is applied (a placeholder that replaces the real value): not said of files nothing applies. */
  readonly onceApplied?: true;
  /**
   * The object of the checked input a problem of an Application is about (what it syncs): where the Application lies
   * outside the checked folder (GraphObject.outside), the finding is said on this object, else not at all.
   */
  readonly on?: GraphObject;
  /**
   * The workloads whose pods fail, where the problem is reported on another object (a Service, ConfigMap, Secret,
   * claim, route or monitor whose failure shows in their pods): the engine lowers an error to a latent warning when
   * none of them runs pods (scaled-to-zero.ts), as it does for a finding on the workload itself, and caps it as it caps
   * theirs (a base's own copy, a chart rendered with its defaults).
   */
  readonly failsIn?: readonly GraphObject[];
  /**
   * A failure of a chart's own install with its default values (`helm install` of the chart as it stands), which the
   * message says: not capped where the chart is rendered with its defaults alone, since those are the failing input.
   */
  readonly chartDefaults?: true;
}

/** What the rule list, the README table and SARIF's rule metadata say about a rule. */
export interface RuleMetadata {
  /** Stable id, kebab-case. */
  readonly id: string;
  /** One line: what the rule catches. */
  readonly title: string;
  /** Severity of its findings unless a finding says otherwise. */
  readonly severity: Severity;
  /** The kinds the engine calls the rule on; `*` (ANY_KIND) for every object, whatever its kind. */
  readonly appliesTo: readonly string[];
  /** When the rule judges an object at all; objects outside the premise get no finding. */
  readonly premise: string;
  /**
   * One line: a manifest that fails. Its fragments in backticks occur in the rule's fires fixture
   * (test/rules/<id>/fires/), the tree the tests check it on.
   */
  readonly example: string;
  /** How to fix it. */
  readonly fix: string;
  /** The behaviour it guards against: vLLM, KServe, Kueue, OpenShift AI or the API server, with where it is stated. */
  readonly source: string;
}

/** A rule: its metadata and a check of one object. The engine does the iteration. */
export interface Rule extends RuleMetadata {
  /**
   * The harm is in the repository, not the cluster (a credential anyone with read access reads): the rule also judges
   * the objects of files that sit in a kustomize folder but that no build applies.
   */
  readonly judgesUnapplied?: true;
  /**
   * The rule's problems on an Application judge what it syncs with its options, not the Application's own fields: on an
   * Application outside the checked folder that syncs it (taken as its delivery), a problem naming an object of the
   * folder (Problem.on) is said on that object.
   */
  readonly judgesDelivery?: true;
  /**
   * What the check reads: `object` for a rule that reads nothing but the object it is called with (its manifest and
   * where it was read), the platform and the Kueue release. The engine passes such a rule a context whose graph and
   * modelOf are out of reach (reading them is an error that stops the run) and keeps its problems past the run while
   * the object is unchanged (object-scope.ts). `graph` (the default) for every other rule: one that finds another
   * object, counts objects, or asks the model a service serves.
   * @default 'graph'
   */
  readonly scope?: 'object' | 'graph';
  check(object: GraphObject, ctx: CheckContext): Problem[];
}
