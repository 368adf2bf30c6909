import { mapping, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { GraphObject, locationOf, sameDeclaration, unitOf } from '../graph';
import { generatedFrom } from '../application-sets';
import { Rule } from '../rule';

/** apiVersion group, kind, namespace and name: what makes two declarations one object. */
function identity(o: GraphObject, namespace: string | undefined): string {
  const group = (text(o.manifest.apiVersion) ?? '').split('/').slice(0, -1).join('/');
  return `${group}/${String(o.manifest.kind)}/${namespace ?? ''}/${text(mapping(o.manifest.metadata).name) ?? ''}`;
}

export const duplicateObject: Rule = {
  id: 'duplicate-object',
  title: 'one namespaced object (kind, namespace, name) is declared twice in one build: kustomize refuses it, kubectl applies whichever comes last',
  severity: 'error',
  appliesTo: [
    'InferenceService',
    'LLMInferenceService',
    'ServingRuntime',
    'LocalQueue',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'Job',
    'CronJob',
    'Pod',
    'Service',
    'Route',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'PersistentVolumeClaim',
    'MachineSet',
    'Application',
    'ApplicationSet',
    'AppProject',
  ],
  premise:
    'both declarations are in one kustomize build, or in charts of an app that go to one cluster (loose files and other roots are often alternatives: not judged)',
  example: 'two files of one kustomization that each declare InferenceService `name: llm` in `namespace: ai`',
  fix: 'rename one, or delete the copy',
  source: 'kustomize: "may not add resource with an already registered id"; kubectl apply: the later document replaces the earlier',
  check(o, { graph }) {
    if (isClusterScoped(String(o.manifest.kind)) || generatedFrom(o)) return [];
    // loose files are often alternatives (examples, variants) rather than one delivery: not judged
    if (!unitOf(o)) return [];
    // the declarations of each object, grouped once per run (comparing every pair would grow with the square of the tree)
    const groups = graph.once(`duplicate-object:${String(o.manifest.kind)}`, () => {
      const byId = new Map<string, GraphObject[]>();
      for (const x of graph.ofKind(String(o.manifest.kind))) {
        if (!unitOf(x) || generatedFrom(x)) continue;
        const id = `${unitOf(x)}\0${identity(x, graph.namespaceOf(x.manifest))}`;
        byId.set(id, [...(byId.get(id) ?? []), x]);
      }
      return byId;
    });
    const same = groups.get(`${unitOf(o)}\0${identity(o, graph.namespaceOf(o.manifest))}`) ?? [];
    const index = same.indexOf(o);
    // one file read twice (a base under two roots of one build) is one declaration; report each later copy once
    const earlier = same.slice(0, index).filter((x) => !sameDeclaration(x, o));
    if (!earlier.length) return [];
    const files = earlier.map(locationOf).filter((l): l is string => l !== undefined);
    const where = files.length ? ` (also at ${files.join(', ')})` : '';
    const unit = o.unit !== undefined ? `cluster (${o.unit}${o.origin ? `, here by ${o.origin}` : ''})` : `kustomize build of ${unitOf(o)}`;
    const effect =
      o.unit !== undefined ? 'the rendered objects overwrite each other' : 'kustomize refuses the build ("may not add resource with an already registered id")';
    return [{ message: `is declared twice${where} in the same ${unit}; ${effect}: rename one, or delete the copy` }];
  },
};
