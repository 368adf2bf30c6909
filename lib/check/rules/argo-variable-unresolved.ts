import { mapping, mappings, text } from '../../manifests/access';
import { ARGO_WORKFLOW_KINDS, argoWorkflowSpec } from '../argo-workflow-pods';
import { Problem, Rule } from '../rule';

/** A `{{…}}` tag as Argo's template.Validate reads it (argo-workflows util/template): the text between the braces, trimmed. */
const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The parameter names a template declares as inputs. */
const inputNames = (t: Record<string, unknown>) => new Set(mappings(mapping(t.inputs).parameters).flatMap((p) => text(p.name) ?? []));

/** What is wrong with one tag of a template, if anything Argo's validation refuses. */
function unresolved(tag: string, inputs: ReadonlySet<string>): string | undefined {
  const singular = /^workflow\.parameter\.(.+)$/.exec(tag);
  if (singular) {
    const name = singular[1];
    const better = inputs.has(name) ? `{{inputs.parameters.${name}}} (an input of this template)` : `{{workflow.parameters.${name}}}`;
    return `{{${tag}}} is no Argo variable (workflow parameters are {{workflow.parameters.NAME}}): write ${better}`;
  }
  const input = /^inputs\.parameters\.([^.]+)$/.exec(tag);
  if (input && !inputs.has(input[1])) {
    return `{{${tag}}} names no input of this template (inputs.parameters declares ${[...inputs].map((n) => `'${n}'`).join(', ') || 'none'}): declare it or fix the name`;
  }
  return undefined;
}

export const argoVariableUnresolved: Rule = {
  id: 'argo-variable-unresolved',
  title:
    'an Argo Workflows template uses a variable Argo cannot resolve ({{workflow.parameter.X}}, an undeclared {{inputs.parameters.X}}): the workflow is refused at submission',
  severity: 'error',
  appliesTo: [...ARGO_WORKFLOW_KINDS],
  premise:
    'a template of a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow holds {{workflow.parameter.NAME}} (singular: never defined) or {{inputs.parameters.NAME}} where its inputs.parameters has no NAME; expressions ({{=…}}) are not read',
  example: 'a script source reading `{{workflow.parameter.model-path}}`',
  fix: 'write {{workflow.parameters.NAME}} for a workflow argument, or {{inputs.parameters.NAME}} for a parameter the template declares under inputs.parameters',
  source:
    'argoproj/argo-workflows workflow/validate/validate.go (f016ad89) resolveAllVariables: a tag under a workflow variable prefix (common.GlobalVarValidWorkflowVariablePrefix: item., steps., inputs., outputs., pod., workflow., tasks.) that is neither in the template\'s scope (its declared inputs) nor a global parameter fails with "failed to resolve {{…}}"; ValidateWorkflow runs on submit (argo submit, the API server, the controller before it starts the workflow) and lint',
  scope: 'object',
  check(o) {
    const { spec, path } = argoWorkflowSpec(o.manifest);
    return mappings(spec.templates).flatMap((t, i): Problem[] => {
      const inputs = inputNames(t);
      // an inline step or task template has inputs of its own: its tags are not this template's
      const own = JSON.stringify(t, (key, value: unknown) => (key === 'inline' ? undefined : value));
      const tags = [...new Set([...own.matchAll(TAG)].map((m) => m[1]))];
      return tags.flatMap((tag) => {
        const why = tag.startsWith('=') ? undefined : unresolved(tag, inputs);
        return why
          ? [{ message: `${path}.templates[${i}] (${text(t.name) ?? 'unnamed'}): ${why}; Argo refuses the workflow with "failed to resolve {{${tag}}}"` }]
          : [];
      });
    });
  },
};
