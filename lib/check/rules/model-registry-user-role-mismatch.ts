import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import { Rule } from '../rule';
import { APP_INSTANCE_LABEL } from '../../k8s/keys';

/**
 * A model registry user role: the model registry operator's Role `registry-user-<registry>` (the Registry User role the
 * dashboard's permissions tab binds), told by its name, its app.kubernetes.io/instance label or its description.
 * Source: opendatahub-io/model-registry-operator internal/controller/config/templates/role.yaml.tmpl.
 */
function isRegistryUserRole(m: Loose): boolean {
  if (m.kind !== 'Role' && m.kind !== 'ClusterRole') return false;
  const meta = mapping(m.metadata);
  const instance = stringMap(meta.labels)[APP_INSTANCE_LABEL] ?? '';
  const description = stringMap(meta.annotations)['openshift.io/description'] ?? '';
  return /registry-user-/.test(text(meta.name) ?? '') || instance.startsWith('registry-user-') || description.startsWith('Can access Model Registry');
}

/** The names the role lets its holders get among Services (the registry's Service is named after the ModelRegistry). */
function serviceNames(m: Loose): string[] {
  return mappings(m.rules)
    .filter((r) => strings(r.resources).includes('services') && strings(r.verbs).some((v) => v === 'get' || v === '*'))
    .flatMap((r) => strings(r.resourceNames));
}

/** The ModelRegistries of the tree a role in `ns` (undefined: a ClusterRole) can reach. */
function registriesFor(graph: ObjectGraph, ns: string | undefined, cluster: boolean): string[] {
  return graph
    .ofKind('ModelRegistry')
    .filter((r) => cluster || graph.namespaceOf(r.manifest) === ns)
    .flatMap((r) => text(mapping(r.manifest.metadata).name) ?? []);
}

export const modelRegistryUserRoleMismatch: Rule = {
  id: 'model-registry-user-role-mismatch',
  title: "a model registry user Role or ClusterRole grants get on a Service named after no ModelRegistry of the tree: the registry's users get 403",
  severity: 'warning',
  appliesTo: ['Role', 'ClusterRole'],
  premise:
    "the model registry operator serves each ModelRegistry through a Service named after it and gives its users the Role registry-user-<name>, which grants get on services and endpoints with resourceNames [<name>]; the dashboard and clients reach a registry only where that access holds. A role shaped like that one (its name holds registry-user-, or its instance label or description says it is a registry's user role) whose services resourceNames name none of the tree's ModelRegistries (in the Role's namespace; any namespace for a ClusterRole) grants nothing on the registry the tree makes, so its subjects get 403. A warning, since a registry of that name may exist outside the tree",
  example: 'ClusterRole `team-registry-user-registry` with `resourceNames: [registry]` while the ModelRegistry is `team-registry`',
  fix: "put the ModelRegistry's name in resourceNames (or bind the operator's own Role registry-user-<name> in the registry's namespace)",
  source:
    'opendatahub-io/model-registry-operator internal/controller/config/templates/role.yaml.tmpl (registry-user-{{.Name}}: services and endpoints get, resourceNames [{{.Name}}]) and service.yaml.tmpl (Service {{.Name}}); Kubernetes RBAC: a rule with resourceNames matches only requests for those names',
  check(o, { graph }) {
    const m = o.manifest;
    if (!isRegistryUserRole(m)) return [];
    const names = serviceNames(m);
    const registries = registriesFor(graph, graph.namespaceOf(m), m.kind === 'ClusterRole');
    if (names.length === 0 || registries.length === 0 || names.some((n) => registries.includes(n))) return [];
    return [
      {
        message:
          `this registry user role grants get on services ${names.map((n) => `'${n}'`).join(', ')}, but the tree's ModelRegistry is ${registries.map((n) => `'${n}'`).join(', ')} ` +
          "and the operator names the registry's Service after it: the rule matches no registry of the tree, so its subjects get 403 from the registry; " +
          `set resourceNames to ${registries.map((n) => `'${n}'`).join(', ')}`,
      },
    ];
  },
};
