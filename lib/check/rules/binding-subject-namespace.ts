import { mapping, mappings, text } from '../../manifests/access';
import { destinationNamespace } from '../argocd/destination-namespace';
import { ObjectGraph } from '../graph';
import { podSpecValues } from '../pod-spec-fields';
import { Problem, Rule } from '../rule';
import { namespacesCreated } from '../tree-namespaces';

/** Whether the tree has anything to do with the namespace: an object in it, one creating it, an Application syncing into it. */
function treeKnowsNamespace(graph: ObjectGraph, ns: string): boolean {
  return graph.once(`binding-subject-namespace:${ns}`, () => {
    if (namespacesCreated(graph).has(ns)) return true;
    return graph.objects.some((o) => graph.namespaceOf(o.manifest) === ns || (o.manifest.kind === 'Application' && destinationNamespace(o.manifest) === ns));
  });
}

/** The workloads of the namespace whose pods run as the account, by kind and name. */
function podsRunningAs(graph: ObjectGraph, account: string, ns: string): string[] {
  return graph.objects
    .filter((o) => graph.namespaceOf(o.manifest) === ns && podSpecValues(o.manifest, 'serviceAccountName').some((v) => v.value === account))
    .map((o) => `${String(o.manifest.kind)} ${text(mapping(o.manifest.metadata).name) ?? ''}`);
}

export const bindingSubjectNamespace: Rule = {
  id: 'binding-subject-namespace',
  title:
    "a RoleBinding grants a ServiceAccount of a namespace the tree never mentions, while the tree's pods run as the same-named account of the binding's own namespace: they get nothing",
  severity: 'error',
  appliesTo: ['RoleBinding'],
  premise:
    "a ServiceAccount subject's namespace differs from the RoleBinding's, the tree declares a ServiceAccount of that name in the binding's namespace and workloads there run as it, and nothing of the tree is in, creates or syncs into the subject's namespace; " +
    "subjects of other namespaces the tree knows, or whose name the binding's namespace does not hold, are common and not judged",
  example:
    "a RoleBinding in namespace `vllm` whose subject is ServiceAccount `model-puller` in `namespace: vllm-lpanza`, while the tree's pods in vllm run as `serviceAccountName: model-puller`",
  fix: "set the subject's namespace to the binding's (where the pods' account is), or bind the account in the namespace you meant",
  source:
    'kubernetes pkg/registry/rbac/validation appliesToUser (a ServiceAccount subject matches only system:serviceaccount:<its namespace>:<name>); OpenShift SCC admission (an SCC applies to a pod only if its account is granted `use` on it)',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest);
    if (!ns) return [];
    const role = mapping(o.manifest.roleRef);
    const out: Problem[] = [];
    mappings(o.manifest.subjects).forEach((s, i) => {
      const name = text(s.name);
      const other = text(s.namespace);
      if (s.kind !== 'ServiceAccount' || !name || !other || other === ns || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(other)) return;
      if (!graph.find('ServiceAccount', name, ns) || treeKnowsNamespace(graph, other)) return;
      const pods = podsRunningAs(graph, name, ns);
      if (!pods.length) return;
      out.push({
        message:
          `subjects[${i}] is ServiceAccount '${name}' of namespace '${other}', of which the tree holds nothing, while the tree's ServiceAccount '${name}' is in '${ns}', where ${pods.join(', ')} ${pods.length > 1 ? 'run' : 'runs'} as it: ` +
          `the binding gives ${String(role.kind ?? 'the role')} '${text(role.name) ?? ''}' to an account in '${other}', so the pods in '${ns}' get none of it; set subjects[${i}].namespace: ${ns}`,
      });
    });
    return out;
  },
};
