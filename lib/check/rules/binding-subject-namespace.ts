import { Loose, mapping, mappings, text } from '../../manifests/access';
import { deliveredTogether } from '../applied-together';
import { destinationNamespace } from '../argocd/destination-namespace';
import { GraphObject } from '../graph-object';
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

/** A DNS label, as a namespace name is one. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The ServiceAccounts of the name that a kustomization's namespace: of the binding's build puts in another namespace
 * than the subject's, where that build puts nothing at all in the subject's namespace: kustomize's namespace
 * transformer moved the account and left the subject behind (api/filters/namespace sets the namespace of subjects
 * named `default` only; api/filters/nameref setMapping follows an account to its new namespace only where the
 * subject's namespace is the one the account had in its own file, or its namespace before this root's transformers:
 * filterMapCandidatesByNamespace).
 */
function movedAccounts(graph: ObjectGraph, o: GraphObject, name: string, subjectNs: string): GraphObject[] {
  if (!o.kustomizations?.length) return [];
  const build = graph.objects.filter((x) => x.kustomizations?.length && deliveredTogether(o, x, graph));
  if (build.some((x) => graph.namespaceOf(x.manifest) === subjectNs)) return [];
  return build.filter((x) => x.manifest.kind === 'ServiceAccount' && x.namespacedByBuild && text(mapping(x.manifest.metadata).name) === name);
}

/** A subject left in the namespace a kustomize build moved its account out of (movedAccounts): an error where pods run as the moved account. */
function leftBehind(graph: ObjectGraph, o: GraphObject, s: Loose, i: number): Problem[] {
  const [name, other] = [text(s.name), text(s.namespace)];
  if (s.kind !== 'ServiceAccount' || !name || !other || !NAMESPACE_NAME.test(other)) return [];
  const moved = movedAccounts(graph, o, name, other);
  if (moved.length !== 1) return [];
  const ns = graph.namespaceOf(moved[0].manifest)!;
  const role = mapping(o.manifest.roleRef);
  const pods = podsRunningAs(graph, name, ns);
  const runs = pods.length ? `, where ${pods.join(', ')} ${pods.length > 1 ? 'run' : 'runs'} as it and get${pods.length > 1 ? '' : 's'} none of it` : '';
  return [
    {
      ...(pods.length ? {} : { severity: 'warning' as const }),
      message:
        `subjects[${i}] is ServiceAccount '${name}' of namespace '${other}', but the kustomize build puts ServiceAccount '${name}' in '${ns}' and nothing in '${other}': ` +
        "kustomize's namespace transformer sets the namespace of subjects named `default` only, and follows an account to its new namespace only where the subject names the namespace the account's own file gives (not one a kustomization's namespace: set), " +
        `so the binding gives ${String(role.kind ?? 'the role')} '${text(role.name) ?? ''}' to an account in '${other}', not to the build's account in '${ns}'${runs}; ` +
        `set subjects[${i}].namespace: ${ns}, or write the namespace in the ServiceAccount's own file so that kustomize moves the subject with it`,
    },
  ];
}

/** The username the API server gives a ServiceAccount's token (k8s.io/apiserver serviceaccount.MakeUsername). */
const ACCOUNT_USERNAME = /^system:serviceaccount:([a-z0-9][-a-z0-9]*):([^:]+)$/;

/**
 * A User subject written as an account's username whose account the tree makes only in other namespaces: the username
 * matches the account of the namespace it names alone, so the grant goes to an account the tree does not make (a
 * warning: the cluster may hold that one).
 */
function userNamesOtherAccount(graph: ObjectGraph, s: Loose, i: number): Problem[] {
  const match = s.kind === 'User' ? ACCOUNT_USERNAME.exec(text(s.name) ?? '') : null;
  if (!match) return [];
  const [, ns, name] = match;
  const accounts = graph.ofKind('ServiceAccount').filter((a) => text(mapping(a.manifest.metadata).name) === name);
  const elsewhere = [...new Set(accounts.map((a) => graph.namespaceOf(a.manifest)))];
  // an account of unknown namespace may be the one named; so may one a script makes
  if (!elsewhere.length || elsewhere.some((n) => n === undefined || n === ns) || graph.scriptCreating('ServiceAccount', name, ns)) return [];
  const there = elsewhere.map((n) => `'${n}'`).join(', ');
  return [
    {
      severity: 'warning',
      message:
        `subjects[${i}] is User '${text(s.name)}', the username of ServiceAccount '${name}' of namespace '${ns}', while the tree makes ServiceAccount '${name}' only in ${there}: ` +
        `the authorizer matches that username to the account of '${ns}' alone, so the tree's account gets nothing of the binding unless an account of that name is made in '${ns}' outside the tree; ` +
        `write the subject as kind: ServiceAccount, name: ${name}, namespace: ${elsewhere[0]!}`,
    },
  ];
}

export const bindingSubjectNamespace: Rule = {
  id: 'binding-subject-namespace',
  title:
    "a RoleBinding grants a ServiceAccount of a namespace the tree never mentions, while the tree's pods run as the same-named account of the binding's own namespace, or a (Cluster)RoleBinding subject stays in the namespace a kustomize build moved its account out of: the pods get nothing; a User subject written as the username of an account the tree makes in another namespace",
  severity: 'error',
  appliesTo: ['RoleBinding', 'ClusterRoleBinding'],
  premise:
    "a ServiceAccount subject's namespace differs from the RoleBinding's, the tree declares a ServiceAccount of that name in the binding's namespace and workloads there run as it, and nothing of the tree is in, creates or syncs into the subject's namespace; " +
    "subjects of other namespaces the tree knows, or whose name the binding's namespace does not hold, are common and not judged; " +
    'and a RoleBinding or ClusterRoleBinding of a kustomize build whose ServiceAccount subject names namespace Y while that build (the objects delivered with it) puts exactly one ServiceAccount of that name in another namespace X and nothing at all in Y: ' +
    "kustomize's namespace transformer sets the namespace of subjects named default only, and its name reference moves a subject with its account only where the subject's namespace is the one the account's own file gives (or it had before that root's transformers), not one an inner kustomization's namespace: set, so the subject keeps Y (as kubectl kustomize builds it); " +
    'an error where workloads in X run as the account, a warning where none does; ' +
    "a User subject named as an account's username, system:serviceaccount:<ns>:<name>, where the tree makes ServiceAccount <name> only in other namespaces (each known) and no script makes it in <ns>: a warning, since the cluster may hold that account",
  example:
    "a RoleBinding in namespace `vllm` whose subject is ServiceAccount `model-puller` in `namespace: vllm-lpanza`, while the tree's pods in vllm run as `serviceAccountName: model-puller`",
  fix: "set the subject's namespace to the binding's (where the pods' account is), or bind the account in the namespace you meant",
  source:
    'kustomize api/filters/namespace roleBindingHack (subjects named default) and api/filters/nameref setMapping with filterMapCandidatesByNamespace (a subject follows its account by the original or current namespace it names), checked against kubectl kustomize v5.7; kubernetes pkg/registry/rbac/validation appliesToUser (a ServiceAccount subject matches only system:serviceaccount:<its namespace>:<name>, a User subject the username as written) and k8s.io/apiserver pkg/authentication/serviceaccount MakeUsername; OpenShift SCC admission (an SCC applies to a pod only if its account is granted `use` on it)',
  check(o, { graph }) {
    const ns = o.manifest.kind === 'RoleBinding' ? graph.namespaceOf(o.manifest) : undefined;
    const role = mapping(o.manifest.roleRef);
    const out: Problem[] = [];
    mappings(o.manifest.subjects).forEach((s, i) => {
      out.push(...userNamesOtherAccount(graph, s, i));
      const name = text(s.name);
      const other = text(s.namespace);
      const sameNamed = ns !== undefined && name !== undefined && graph.find('ServiceAccount', name, ns) !== undefined;
      if (s.kind !== 'ServiceAccount' || !name || !other || other === ns || !NAMESPACE_NAME.test(other)) return;
      const pods = sameNamed && ns && !treeKnowsNamespace(graph, other) ? podsRunningAs(graph, name, ns) : [];
      if (!pods.length) {
        out.push(...leftBehind(graph, o, s, i));
        return;
      }
      out.push({
        message:
          `subjects[${i}] is ServiceAccount '${name}' of namespace '${other}', of which the tree holds nothing, while the tree's ServiceAccount '${name}' is in '${ns}', where ${pods.join(', ')} ${pods.length > 1 ? 'run' : 'runs'} as it: ` +
          `the binding gives ${String(role.kind ?? 'the role')} '${text(role.name) ?? ''}' to an account in '${other}', so the pods in '${ns}' get none of it; set subjects[${i}].namespace: ${ns}`,
      });
    });
    return out;
  },
};
