import { mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

export const clusterBindingSubjectNamespaceMissing: Rule = {
  id: 'cluster-binding-subject-namespace-missing',
  title: 'a ClusterRoleBinding names a ServiceAccount subject without its namespace: the API server refuses the binding',
  severity: 'error',
  appliesTo: ['ClusterRoleBinding'],
  premise:
    'a subject of a ClusterRoleBinding of kind ServiceAccount with no namespace (absent or empty); ' +
    "the API server's validation requires it for a cluster-scoped binding (a ServiceAccount exists only in a namespace, and a ClusterRoleBinding has none to lend it), " +
    'so the create is refused with "subjects[i].namespace: Required value"; a RoleBinding\'s subject without namespace is valid (it means the binding\'s own namespace) and is not judged',
  example: 'a ClusterRoleBinding `token-reviewer` whose subject `kind: ServiceAccount` `name: router-scheduler` has no namespace',
  fix: 'write the namespace where the ServiceAccount lives on the subject (`namespace: llm`), or make it a RoleBinding in that namespace if the grant is meant for it alone',
  source:
    "kubernetes pkg/apis/rbac/validation/validation.go ValidateRoleBindingSubject (ServiceAccount subject: field.Required(namespace) when !isNamespaced, that is for a ClusterRoleBinding); pkg/registry/rbac/validation appliesToUser (a RoleBinding subject without namespace takes the binding's)",
  scope: 'object',
  check(o) {
    const role = mapping(o.manifest.roleRef);
    const out: Problem[] = [];
    mappings(o.manifest.subjects).forEach((s, i) => {
      if (s.kind !== 'ServiceAccount' || text(s.namespace)) return;
      const name = text(s.name) ?? '';
      out.push({
        message:
          `subjects[${i}] is ServiceAccount '${name}' with no namespace: the API server refuses the ClusterRoleBinding ("subjects[${i}].namespace: Required value"), ` +
          `so none of its subjects gets ${String(role.kind ?? 'the role')} '${text(role.name) ?? ''}'; set subjects[${i}].namespace to the namespace where '${name}' lives`,
      });
    });
    return out;
  },
};
