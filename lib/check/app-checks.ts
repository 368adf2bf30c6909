import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { runChecks } from './engine';
import { Finding } from './rule';

/**
 * The rules, run at synth over every object of a cdk8s app, through cdk8s's own validation: `app.synth()`,
 * `Testing.synth()`, `cdk8s synth` and `KustomizeTree` all validate the whole app before writing, so an error
 * finding stops each of them with the rule id and the same message `cdk8s-vllm check` prints.
 *
 * One validation is registered on the root of the construct tree, however many constructs ask for it.
 */
const registered = new WeakSet<IConstruct>();
const lastFindings = new WeakMap<IConstruct, readonly Finding[]>();

/** Registers the app-wide checks on the root of `scope`'s tree (once). */
export function registerAppChecks(scope: IConstruct): void {
  const root = scope.node.root;
  if (registered.has(root)) return;
  registered.add(root);
  root.node.addValidation({
    validate: () => {
      const findings = checkApp(root);
      lastFindings.set(root, findings);
      return findings.filter((f) => f.severity === 'error').map(formatFinding);
    },
  });
}

/** Findings of the last validation of the app `scope` belongs to (warnings included), or undefined before any. */
export function lastAppFindings(scope: IConstruct): readonly Finding[] | undefined {
  return lastFindings.get(scope.node.root);
}

/** Runs the rules over every ApiObject below `root`. */
export function checkApp(root: IConstruct): Finding[] {
  const objects = root.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => ({ manifest: o.toJson() as Record<string, unknown> }));
  return runChecks(objects);
}

/** One finding on one line: `error gpu-memory-fit InferenceService ns/name: message`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.rule} ${f.object}: ${f.message}`;
}
