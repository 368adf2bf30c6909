import { isDestinationPermitted, isGroupKindNamePermitted, isSourcePermitted, projectName } from '../lib/check/argocd/app-project';
import { apiGroupOf } from '../lib/k8s/api-version';
import { deliveredBy, destinationOf, projectOf, repositoriesOf } from '../lib/check/argocd/application';
import { ObjectGraph } from '../lib/check/graph';

/**
 * What Argo CD's permission logic (as ported) refuses of every Application of a graph, written and generated:
 * a missing project, the destination, each repository, and each object it delivers (kind, and namespace). Empty
 * when Argo CD accepts them all; an Application that delivers nothing is listed too, so that the check cannot pass
 * by reading nothing.
 */
export function argoCdRefusals(graph: ObjectGraph): string[] {
  const out: string[] = [];
  for (const a of graph.ofKind('Application')) {
    const app = graph.id(a);
    const project = projectOf(a, graph);
    if (!project) {
      out.push(`${app}: project not in the tree`);
      continue;
    }
    const p = project.manifest;
    if (isDestinationPermitted(p, destinationOf(a)) !== true) out.push(`${app}: destination ${JSON.stringify(destinationOf(a))} in ${projectName(p)}`);
    for (const r of repositoriesOf(a)) if (!isSourcePermitted(p, r)) out.push(`${app}: repository ${r}`);
    const delivered = deliveredBy(a, graph);
    if (!delivered.length) out.push(`${app}: delivers nothing`);
    for (const x of delivered) {
      const namespace: string = x.manifest.metadata.namespace ?? '';
      if (!isGroupKindNamePermitted(p, apiGroupOf(x.manifest.apiVersion), x.manifest.kind, x.manifest.metadata.name, namespace !== '')) {
        out.push(`${app}: kind of ${graph.id(x)}`);
      } else if (namespace && isDestinationPermitted(p, { ...destinationOf(a), namespace }) !== true) out.push(`${app}: namespace of ${graph.id(x)}`);
    }
  }
  return out;
}
