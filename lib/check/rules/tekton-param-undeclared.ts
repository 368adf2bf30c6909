import { Loose, mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { meantAmong } from '../near-names';
import { Problem, Rule } from '../rule';
import { declaredParams, EMPTY_SUBSTITUTION, pipelineTaskTexts, stepTexts, TEKTON_GROUP, TektonParam, TektonText, tektonReferences } from '../tekton-variables';

/** task_validation.go validateTaskContextVariables: the names under $(context.taskRun.…) and $(context.task.…). */
const TASK_CONTEXT: readonly (readonly [string, string, readonly string[]])[] = [
  ['context\\.taskRun', 'context.taskRun', ['name', 'namespace', 'uid']],
  ['context\\.task', 'context.task', ['name', 'retry-count']],
];

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ') || 'none';

/** Why the webhook refuses one `$(params.…)` reference against the declared params, if it does. */
function paramRefusal(ref: ReturnType<typeof tektonReferences>[number], params: readonly TektonParam[], declares: string): string | undefined {
  if (ref.tooDeep) return `${ref.expression} has more than two dot-separated parts after params (write $(params["name.with.dots"]))`;
  const param = params.find((p) => p.name === ref.name);
  const names = params.map((p) => p.name);
  if (!param) {
    const meant = meantAmong(ref.name, names);
    return `${ref.expression} names no parameter ${declares}${meant || (names.length > 6 ? ` (${names.length} declared)` : ` (${quoted(names)})`)}`;
  }
  if (param.keys?.size && ref.key !== undefined && !param.keys.has(ref.key)) {
    return `${ref.expression} names no key of object parameter '${param.name}' (properties ${quoted([...param.keys])})`;
  }
  return undefined;
}

/** The problems of strings read against one set of params (and, for steps, the context and results names). */
function refusals(texts: readonly TektonText[], params: readonly TektonParam[], declares: string, kind: string, results?: readonly string[]): Problem[] {
  return texts.flatMap(({ at, value }): Problem[] => {
    const refused = tektonReferences(value, 'params').flatMap((r) => paramRefusal(r, params, declares) ?? []);
    if (results) {
      const context = TASK_CONTEXT.flatMap(([prefix, shown, names]) =>
        tektonReferences(value, prefix)
          .filter((r) => !names.includes(r.name))
          .map((r) => `${r.expression} is no ${shown} variable (${quoted(names)})`),
      );
      const unknownResults = at.endsWith('.script') ? tektonReferences(value, 'results').filter((r) => !results.includes(r.name)) : [];
      refused.push(...context, ...unknownResults.map((r) => `${r.expression} names no result the task declares (${quoted(results)})`));
    }
    const problems: Problem[] = [...new Set(refused)].map((why) => ({
      message: `${at}: ${why}; Tekton's validating webhook refuses the ${kind} ("non-existent variable in …"), so it is never created`,
    }));
    if (EMPTY_SUBSTITUTION.test(value)) {
      problems.push({
        severity: 'warning',
        message: `${at}: an empty $() is no Tekton variable, so nothing replaces it: the task gets the literal text "$()" (in a shell script, an empty command substitution); write the $(params.NAME) or $(tasks.NAME.results.NAME) meant`,
      });
    }
    return problems;
  });
}

/** A task spec's steps against its params (and, embedded in a Pipeline, the Pipeline's as well). */
function taskSpecRefusals(spec: Loose, at: string, kind: string, extra: readonly TektonParam[] = []): Problem[] {
  const params = [...declaredParams(spec), ...extra];
  const results = mappings(spec.results).flatMap((r) => text(r.name) ?? []);
  const texts = mappings(spec.steps).flatMap((s, i) => stepTexts(s, `${at}.steps[${i}]`));
  return refusals(texts, params, extra.length ? 'of the task or the Pipeline' : 'the Task declares', kind, results);
}

function pipelineRefusals(spec: Loose): Problem[] {
  const params = declaredParams(spec);
  return (['tasks', 'finally'] as const).flatMap((list) =>
    mappings(spec[list]).flatMap((task, i) => {
      const at = `spec.${list}[${i}] (${text(task.name) ?? 'unnamed'})`;
      const own = refusals(pipelineTaskTexts(task, at), params, 'the Pipeline declares', 'Pipeline');
      const embedded = mapping(task.taskSpec);
      return embedded.steps ? [...own, ...taskSpecRefusals(embedded, `${at}.taskSpec`, 'Pipeline', params)] : own;
    }),
  );
}

export const tektonParamUndeclared: Rule = {
  id: 'tekton-param-undeclared',
  title: 'a Tekton Pipeline or Task refers to a parameter it does not declare ($(params.X)): the validating webhook refuses it',
  severity: 'error',
  appliesTo: ['Pipeline', 'Task'],
  premise:
    "a tekton.dev Pipeline whose tasks or finally tasks pass $(params.NAME) (in params, when expressions or matrix params) where spec.params declares no NAME, or an object parameter's $(params.NAME.KEY) with no such property; a Task (or a Pipeline's embedded taskSpec) whose steps read $(params.NAME) it does not declare, $(context.taskRun|task.X) outside the known names or, in a script, $(results.NAME.path) of an undeclared result. Array and object references ($(params.a[*]), $(params.o.key)), $(tasks.…), $(workspaces.…) and $(context.pipelineRun.…) are not judged. An empty $() is a warning: nothing validates or replaces it",
  example: 'a Pipeline task param `$(params.model-relative-path)` where spec.params declares `checkpoint-name` and `checkpointFolder` only',
  fix: 'declare the parameter under spec.params (name, type, default) or refer to the name declared; replace an empty $() with the variable meant',
  source:
    'tektoncd/pipeline pkg/apis/pipeline/v1/pipeline_validation.go (Pipeline.Validate → validatePipelineParameterUsage → validatePipelineTaskParameterUsage, validateUsageOfDeclaredPipelineTaskParameters with the Pipeline\'s params added for embedded tasks), param_types.go (validatePipelineParametersVariablesInTaskParameters, validateObjectVariable), when_validation.go, task_validation.go (Task.Validate → ValidateUsageOfDeclaredParameters; validateStepVariables, validateTaskContextVariables, validateTaskResultsVariables), pkg/substitution/substitution.go (ValidateNoReferencesToUnknownVariables: "non-existent variable in …"; ExtractVariablesFromString: two dot-separated parts at most); v1beta1 the same. The webhook runs on create and update of a Pipeline or Task, inline specs of a PipelineRun are judged with propagated params and not here',
  scope: 'object',
  check(o) {
    if (apiGroupOf(o.manifest.apiVersion) !== TEKTON_GROUP) return [];
    const spec = mapping(o.manifest.spec);
    return o.manifest.kind === 'Pipeline' ? pipelineRefusals(spec) : taskSpecRefusals(spec, 'spec', 'Task');
  },
};
