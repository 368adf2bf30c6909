import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { strategicMerge } from '../manifests/strategic-merge';
import { parseOne } from '../manifests/yaml-documents';

/**
 * The pods an Argo Workflows spec runs, one per template that runs a container (container, script, containerSet), as
 * the workflow controller builds them (argoproj/argo-workflows workflow/controller/workflowpod.go, f016ad89):
 * createWorkflowPod names the main container `main` (a script's `source` is staged, not a container field), adds the
 * template's init containers and sidecars (addInitContainers, addSidecars); addSchedulingConstraints takes the
 * template's nodeSelector, affinity, tolerations, schedulerName, priorityClassName and securityContext, else the
 * workflow's (spec.podPriorityClassName for the class); the service account is the template's, else the workflow's
 * (setupServiceAccount); the volumes are the workflow's and the template's (createVolumes, addVolumeReferences); the
 * labels and annotations are spec.podMetadata's and then the template's metadata (addMetadata); and the workflow's
 * podSpecPatch, then the template's, is merged into the pod spec (processPodSpecPatch). The executor's own init and
 * wait containers are not shown: they are the controller's, not the tree's.
 */
/** The kinds that hold an Argo Workflows spec, and where (a CronWorkflow's is spec.workflowSpec). */
export const ARGO_WORKFLOW_KINDS: readonly string[] = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

/** The workflow spec of an Argo Workflows object and the path it is written at. */
export function argoWorkflowSpec(m: Loose): { spec: Loose; path: string } {
  return m.kind === 'CronWorkflow' ? { spec: mapping(mapping(m.spec).workflowSpec), path: 'spec.workflowSpec' } : { spec: mapping(m.spec), path: 'spec' };
}

export function argoWorkflowPods(spec: Loose, path: string): { path: string; template: Loose }[] {
  return mappings(spec.templates).flatMap((t, i) => {
    const containers = mainContainers(t);
    if (containers.length === 0) return [];
    const pod = withParameters(
      patched(
        { ...scheduling(spec, t), containers: [...containers, ...mappings(t.sidecars)], ...(t.initContainers ? { initContainers: t.initContainers } : {}) },
        [spec.podSpecPatch, t.podSpecPatch],
      ),
      parameterValues(spec, t),
    );
    const metadata = mapping(spec.podMetadata);
    const own = mapping(t.metadata);
    return [
      {
        path: `${path}.templates[${i}] (${text(t.name) ?? 'unnamed'})`,
        template: {
          metadata: {
            labels: { ...mapping(metadata.labels), ...mapping(own.labels) },
            annotations: { ...mapping(metadata.annotations), ...mapping(own.annotations) },
          },
          spec: pod,
        },
      },
    ];
  });
}

/** The template's main containers: `main` for container and script (runScriptTemplate: the source is staged, not a field), containerSet's as written. */
function mainContainers(t: Loose): Loose[] {
  if (isMapping(t.container)) return [{ name: 'main', ...t.container }];
  if (isMapping(t.script)) {
    const { source: _source, ...script } = t.script;
    return [{ name: 'main', ...script }];
  }
  return mappings(mapping(t.containerSet).containers);
}

/** addSchedulingConstraints and setupServiceAccount: the template's field, else the workflow's; volumes from both. */
function scheduling(spec: Loose, t: Loose): Loose {
  // Go's len(map) > 0, len(list) > 0, s != "": an empty value inherits
  const set = (v: unknown) =>
    v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isMapping(v) && Object.keys(v).length === 0);
  const pick = (own: unknown, inherited: unknown) => (set(own) ? own : set(inherited) ? inherited : undefined);
  const fields: Record<string, unknown> = {
    serviceAccountName: pick(t.serviceAccountName, spec.serviceAccountName),
    nodeSelector: pick(t.nodeSelector, spec.nodeSelector),
    // tmpl.Affinity != nil: a template's `affinity: {}` clears the workflow's
    affinity: t.affinity !== undefined && t.affinity !== null ? t.affinity : spec.affinity,
    tolerations: pick(t.tolerations, spec.tolerations),
    schedulerName: pick(t.schedulerName, spec.schedulerName),
    priorityClassName: pick(t.priorityClassName, spec.podPriorityClassName),
    securityContext: pick(t.securityContext, spec.securityContext),
    volumes: [...mappings(spec.volumes), ...mappings(t.volumes)],
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * The pod spec with each podSpecPatch merged in, in order; a patch that holds `{{…}}` parameters (resolved only at run
 * time) or does not parse is left out, so its fields are judged as written without it.
 */
function patched(pod: Loose, patches: unknown[]): Loose {
  let spec = pod;
  for (const p of patches) {
    if (typeof p !== 'string' || p.includes('{{')) continue;
    // read as the controller reads it (JSON or YAML), through the reader's lazily loaded YAML library
    const read = parseOne(p);
    if (!('value' in read) || !isMapping(read.value)) continue;
    const parsed = read.value;
    const merged = strategicMerge({ apiVersion: 'v1', kind: 'Pod', spec }, { apiVersion: 'v1', kind: 'Pod', spec: parsed });
    if ('value' in merged) spec = mapping(merged.value.spec);
  }
  return spec;
}

/**
 * Argo's run-time variables (`{{workflow.parameters.x}}`, `{{inputs.parameters.x}}`, `{{steps.…}}`, `{{item}}`): the
 * controller fills them when it runs the workflow (common.GlobalVarValidWorkflowVariablePrefix, f016ad89), so a name
 * still holding one is known only then.
 */
export const ARGO_RUN_TIME_VARIABLE = /\{\{\s*(?:workflow|inputs|outputs|steps|tasks|item|pod)\b[^{}]*\}\}/;

/** A scalar parameter value written out: a string or number holding no tag of its own. */
const written = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? (String(v).includes('{{') ? undefined : String(v)) : undefined;

/** The parameters of a template that a step or task of the workflow passes as arguments when it calls the template. */
function passedParameters(spec: Loose, name: string): Set<string> {
  const calls = mappings(spec.templates).flatMap((t) => [
    ...mappings(mapping(t.dag).tasks),
    ...(Array.isArray(t.steps) ? t.steps.flatMap((g) => mappings(g)) : []),
  ]);
  return new Set(calls.filter((c) => c.template === name).flatMap((c) => mappings(mapping(c.arguments).parameters).flatMap((p) => text(p.name) ?? [])));
}

/**
 * The values the controller gives a template's variables where the workflow writes them: `workflow.parameters.NAME` from
 * spec.arguments.parameters[].value, `inputs.parameters.NAME` from the template's inputs.parameters[].value or default
 * when no step or task of the workflow passes that parameter (the caller's argument wins: workflow/controller
 * operator.go, substituteParams and ProcessArgs). A parameter given only at submission (valueFrom, no value) has none.
 */
function parameterValues(spec: Loose, t: Loose): Map<string, string> {
  const values = new Map<string, string>();
  for (const p of mappings(mapping(spec.arguments).parameters)) {
    const v = written(p.value);
    if (text(p.name) && v !== undefined) values.set(`workflow.parameters.${String(p.name)}`, v);
  }
  const passed = passedParameters(spec, text(t.name) ?? '');
  for (const p of mappings(mapping(t.inputs).parameters)) {
    const v = written(p.value) ?? written(p.default);
    if (text(p.name) && v !== undefined && !passed.has(String(p.name))) values.set(`inputs.parameters.${String(p.name)}`, v);
  }
  return values;
}

/** The pod spec with each variable of known value filled in, as the controller fills it before it creates the pod. */
function withParameters(pod: Loose, values: ReadonlyMap<string, string>): Loose {
  if (!values.size) return pod;
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (tag, name: string) => values.get(name) ?? tag);
    if (Array.isArray(v)) return v.map(fill);
    return isMapping(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v;
  };
  return fill(pod) as Loose;
}
