import { mapping, mappings, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { parseQuantity } from '../../private/quantity';
import { Problem, Rule } from '../rule';

/** The dashboard's size lists and what a size becomes (odh-dashboard OdhDashboardConfig: NotebookSize, ModelServerSize). */
const SIZE_LISTS = [
  { field: 'notebookSizes', made: 'workbench' },
  { field: 'modelServerSizes', made: 'model server' },
] as const;

/** The resources Kubernetes compares request against limit for; others (GPUs) are the accelerator profile's. */
const COMPARED = ['cpu', 'memory'] as const;

function sizeProblems(list: unknown, field: string, made: string): Problem[] {
  return mappings(list).flatMap((size, i): Problem[] => {
    const name = text(size.name) ?? `#${i}`;
    const requests = mapping(mapping(size.resources).requests);
    const limits = mapping(mapping(size.resources).limits);
    // one finding per size: its resources over their limits are one fault of that size
    const over = COMPARED.filter((r) => {
      const req = parseQuantity(requests[r]);
      const lim = parseQuantity(limits[r]);
      return req !== undefined && lim !== undefined && req > lim;
    });
    if (!over.length) return [];
    const said = over.map((r) => `${r} ${String(requests[r])} above its limit ${String(limits[r])}`).join(' and ');
    return [
      {
        message:
          `spec.${field} size '${name}' requests ${said}: the dashboard copies the size into the ${made}'s container resources, ` +
          `and the API server refuses every pod template with a request above its limit ("must be less than or equal to ${over[0]} limit"), so no ${made} of this size starts; ` +
          `raise the limit to at least the request or lower the request`,
      },
    ];
  });
}

export const dashboardSizeRequestsExceedLimits: Rule = {
  id: 'dashboard-size-requests-exceed-limits',
  title:
    'an OpenShift AI dashboard container size (notebookSizes, modelServerSizes) requests more CPU or memory than its limit: every workbench or model server created with that size is refused by the API server',
  severity: 'error',
  appliesTo: ['OdhDashboardConfig'],
  premise:
    'an OdhDashboardConfig (opendatahub.io) lists in spec.notebookSizes or spec.modelServerSizes a size whose resources.requests.cpu or .memory, as a quantity, is greater than its resources.limits of the same resource; the dashboard writes the size as the container resources of the Notebook (the workbench StatefulSet) or of the ServingRuntime/InferenceService it creates, whose pod template the API server then validates; a value that is not a quantity is not judged',
  example: '`notebookSizes` size `Small` with requests `cpu: "2"` and limits `cpu: 500m`',
  fix: "make each size's limits at least its requests (or drop the limit)",
  source:
    'kubernetes pkg/apis/core/validation/validation.go ValidateResourceRequirements ("must be less than or equal to cpu limit"); opendatahub-io/odh-dashboard OdhDashboardConfig notebookSizes / modelServerSizes (NotebookSize, ModelServerSize: name and resources), applied as the container resources of the workbench Notebook and of the model server',
  scope: 'object',
  check(o) {
    if (apiGroupOf(o.manifest.apiVersion) !== 'opendatahub.io') return [];
    const spec = mapping(o.manifest.spec);
    return SIZE_LISTS.flatMap(({ field, made }) => sizeProblems(spec[field], field, made));
  },
};
