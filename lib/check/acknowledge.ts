import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ANY_KIND } from './rule';
import { engineRuleKinds, RuleKinds } from './rule-kinds-cache';
import { ACKNOWLEDGE_PREFIX } from '../k8s/keys';

/**
 * Acknowledges a known finding of one rule, so that a team can ship a deliberate exception.
 * It is rendered as the annotation `checks.cdk8s-vllm.io/<rule>: <reason>`, so `cdk8s-vllm check` on the
 * YAML honours it too; acknowledged findings are still printed, as warnings, with the reason.
 *
 * @param scope the object the finding is on: an ApiObject, or a construct whose default child is the object (e.g. an
 * S3ModelInferenceService); or any other construct or chart (e.g. an ArgoCdDelivery), whose objects of the kinds the
 * rule judges all get the acknowledgement (one construct's Applications, say)
 * @param rule the rule id, e.g. `gpu-memory-fit`
 * @param reason why the finding is accepted; required, shown with every report
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, reason: string): void {
  const judged = engineRuleKinds().find((r) => r.id === rule);
  if (!judged) throw notAcknowledgeable(scope, rule);
  if (!reason || reason.trim().length < 10) {
    throw new Error(`${scope.node.path}: acknowledging '${rule}' needs a reason a reviewer can judge (at least 10 characters)`);
  }
  for (const o of acknowledgedObjects(scope, judged)) o.metadata.addAnnotation(`${ACKNOWLEDGE_PREFIX}${rule}`, reason.trim());
}

/** Why `rule`, which no rule of the engine has as its id, cannot be acknowledged: a finding made outside the engine, or no finding at all. */
function notAcknowledgeable(scope: IConstruct, rule: string): Error {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: every rule module, for an error
  const { REGISTERED_RULES } = require('./registry') as typeof import('./registry');
  if (REGISTERED_RULES.some((r) => r.id === rule)) {
    return new Error(
      `${scope.node.path}: '${rule}' is found outside the rule engine (about the input or the constructs, not an object) and cannot be acknowledged: fix what it names`,
    );
  }
  return new Error(
    `${scope.node.path}: cannot acknowledge unknown rule '${rule}'; rules are ${engineRuleKinds()
      .map((r) => r.id)
      .join(', ')}`,
  );
}

/**
 * The objects an acknowledgement on `scope` lands on: the scope when it is an ApiObject or has a default child (the
 * object a construct stands for), else every ApiObject under it of a kind the rule judges. None is an error naming
 * the kinds, since the acknowledgement would silence nothing.
 */
function acknowledgedObjects(scope: IConstruct, rule: RuleKinds): ApiObject[] {
  if (ApiObject.isApiObject(scope) || scope.node.defaultChild) return [ApiObject.of(scope)];
  const judged = (o: ApiObject) => rule.appliesTo.includes(ANY_KIND) || rule.appliesTo.includes(o.kind);
  const objects = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && judged(c));
  if (!objects.length) {
    throw new Error(
      `${scope.node.path}: holds no object '${rule.id}' judges (${rule.appliesTo.join(', ')}), so acknowledging it there silences nothing: acknowledge it on the construct or object the finding names`,
    );
  }
  return objects;
}
