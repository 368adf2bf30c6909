import { isMapping, mappings, text } from '../../manifests/access';
import { ARGO_WORKFLOW_KINDS, argoWorkflowSpec } from '../argo-workflow-pods';
import { Rule } from '../rule';

/**
 * Container fields that Argo's Template type does not have (argoproj/argo-workflows pkg/apis/workflow/v1alpha1
 * workflow_types.go Template, f016ad89): written beside `container:` or `script:` they belong to no field, and the
 * controller's decode drops them (the installed CRDs keep unknown fields, x-kubernetes-preserve-unknown-fields).
 * `resource` (singular) is a template type of its own, not listed.
 */
const CONTAINER_ONLY_FIELDS = [
  'resources',
  'env',
  'envFrom',
  'volumeMounts',
  'command',
  'args',
  'image',
  'imagePullPolicy',
  'workingDir',
  'ports',
  'livenessProbe',
  'readinessProbe',
];

/** The template fields that hold the container a misplaced field belongs in. */
const CONTAINER_FIELDS = ['container', 'script'];

export const argoTemplateFieldMisplaced: Rule = {
  id: 'argo-template-field-misplaced',
  title:
    'an Argo Workflows template writes a container field (resources, env, volumeMounts, …) beside its container or script instead of inside it: Argo drops it',
  severity: 'error',
  appliesTo: [...ARGO_WORKFLOW_KINDS],
  premise:
    'a template of a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow has `container:` or `script:` and, at the template level, a field only a container has',
  example: 'a template with `resources:` requesting `nvidia.com/gpu: 1` next to its `script:`',
  fix: "move the field under the template's container: or script: (for a containerSet, under each container)",
  source:
    'argoproj/argo-workflows workflow_types.go Template has no resources, env, volumeMounts, command, args or image field: the controller decodes the template without them (the CRDs it installs preserve unknown fields, so the API server keeps them unseen) and `argo lint` refuses them as unknown fields; the pod runs without the request, on any node',
  scope: 'object',
  check(o) {
    const { spec, path } = argoWorkflowSpec(o.manifest);
    return mappings(spec.templates).flatMap((t, i) => {
      const holder = CONTAINER_FIELDS.find((f) => isMapping(t[f]));
      if (!holder) return [];
      const misplaced = CONTAINER_ONLY_FIELDS.filter((f) => t[f] !== undefined);
      return misplaced.map((f) => ({
        message:
          `${path}.templates[${i}] (${text(t.name) ?? 'unnamed'}).${f} is written beside \`${holder}:\`, where Argo's Template has no such field: it is dropped` +
          `${f === 'resources' ? ', and the pod runs without these requests and limits' : ''}; move it under ${holder}:`,
      }));
    });
  },
};
