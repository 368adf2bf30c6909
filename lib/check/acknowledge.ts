import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ALL_RULES } from './engine';
import { REGISTERED_RULES } from './registry';
import { ACKNOWLEDGE_PREFIX } from '../k8s/keys';

/**
 * Acknowledges a known finding of one rule on one object, so that a team can ship a deliberate exception.
 * It is rendered as the annotation `checks.cdk8s-vllm.io/<rule>: <reason>`, so `cdk8s-vllm check` on the
 * YAML honours it too; acknowledged findings are still printed, as warnings, with the reason.
 *
 * @param scope a construct whose default child is the object (e.g. an S3ModelInferenceService), or the ApiObject
 * @param rule the rule id, e.g. `gpu-memory-fit`
 * @param reason why the finding is accepted; required, shown with every report
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, reason: string): void {
  if (!ALL_RULES.some((r) => r.id === rule) && REGISTERED_RULES.some((r) => r.id === rule)) {
    throw new Error(
      `${scope.node.path}: '${rule}' is found outside the rule engine (about the input or the constructs, not an object) and cannot be acknowledged: fix what it names`,
    );
  }
  if (!ALL_RULES.some((r) => r.id === rule)) {
    throw new Error(`${scope.node.path}: cannot acknowledge unknown rule '${rule}'; rules are ${ALL_RULES.map((r) => r.id).join(', ')}`);
  }
  if (!reason || reason.trim().length < 10) {
    throw new Error(`${scope.node.path}: acknowledging '${rule}' needs a reason a reviewer can judge (at least 10 characters)`);
  }
  ApiObject.of(scope).metadata.addAnnotation(`${ACKNOWLEDGE_PREFIX}${rule}`, reason.trim());
}
