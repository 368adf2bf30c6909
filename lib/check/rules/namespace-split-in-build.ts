import * as path from 'path';
import { mapping, mappings, text } from '../../manifests/access';
import { sameBuildOrFolder } from '../applied-together';
import { deliverersOf } from '../argocd/application';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { meantCandidate } from '../near-names';
import { podClaims } from '../pod-claims';
import { podReferences } from '../pod-references';
import { podSpecValues } from '../pod-spec-fields';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { appliesObject } from '../script-delivery';

/** What the object's pods need from their namespace: claims, ConfigMaps and Secrets, and the account they run as. */
function needed(m: GraphObject['manifest']): { kind: string; name: string; field: string }[] {
  return [
    ...podClaims(m).map((c) => ({ kind: 'PersistentVolumeClaim', name: c.name, field: c.field })),
    ...podReferences(m).map((r) => ({ kind: r.kind, name: r.name, field: r.where })),
    // the account every namespace has is not the build's to place
    ...podSpecValues(m, 'serviceAccountName')
      .filter(({ value }) => value !== 'default')
      .map(({ field, value }) => ({ kind: 'ServiceAccount', name: value, field })),
  ];
}

/**
 * An object without a namespace that nothing of the tree places: no kustomize namespace: (the build would have set
 * it), no Argo CD destination, no script applying or creating it (one applying it without -n is
 * reference-in-other-namespace's); applied as written, it goes to the namespace of -n, else the context's.
 */
function unplaced(x: GraphObject, graph: ObjectGraph, kind: string, name: string): boolean {
  // a misspelt namespace key (`nasmespace:`) is field-unknown's error, the one cause of the split
  const keys = Object.keys(mapping(x.manifest.metadata)).filter((k) => k !== 'namespace' && k !== 'name');
  if (keys.some((k) => meantCandidate(k, [{ name: 'namespace' }]))) return false;
  if (text(mapping(x.manifest.metadata).namespace) || graph.namespaceOf(x.manifest) !== undefined || deliverersOf(x, graph).length) return false;
  return !graph.scriptApplied.some((a) => appliesObject(a, x)) && !graph.scriptCreating(kind, name);
}

/** The namespace kubectl applies to without -n when the kubeconfig context names none (k8s.io/client-go tools/clientcmd DefaultClientConfig, metav1.NamespaceDefault). */
const DEFAULT_NAMESPACE = 'default';

/** `oc new-project <namespace>` in a script makes it the current project: what is applied later without -n may land there. */
const madeCurrent = (graph: ObjectGraph, namespace: string) => graph.scriptCreated.some((c) => c.kind === 'Project' && c.name === namespace);

const named = (x: GraphObject) => `${String(x.manifest.kind)} '${text(mapping(x.manifest.metadata).name) ?? ''}'`;

/** The object of that kind and name that the build of `o` defines without a namespace nothing places, where none of that name is in `namespace`. */
function unplacedPartner(o: GraphObject, graph: ObjectGraph, kind: string, name: string, namespace: string): GraphObject | undefined {
  // kubectl's namespace when neither -n nor the context names one is default: there the two meet unless something sends the build elsewhere
  if (namespace === DEFAULT_NAMESPACE) return undefined;
  const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
  if (all.some((x) => graph.namespaceOf(x.manifest) === namespace) || madeCurrent(graph, namespace)) return undefined;
  return all.find((x) => x !== o && sameBuildOrFolder(o, x, graph) && unplaced(x, graph, kind, name));
}

/** The warning on a reference from an object in a namespace it states to one of its build with none. */
function split(what: string, partner: GraphObject, o: GraphObject, namespace: string, harm: string): Problem {
  const where = partner.file === o.file ? 'of the same file' : `(${partner.file ? path.basename(partner.file) : 'the input'}, in the same build)`;
  return {
    message:
      `${what}, but ${named(partner)} ${where} has no namespace, and nothing of the tree gives it one (no kustomize namespace:, Argo CD destination, or script applying it with -n): ` +
      `applied as written it lands in the namespace \`kubectl apply -n\` names, else the kubeconfig context's (default unless the context sets another), not in '${namespace}' unless that is the one, so ${harm}; ` +
      `set metadata.namespace: ${namespace} on ${named(partner)} too (or a kustomize namespace: ${namespace} for the whole build)`,
  };
}

/** What the pods suffer when the object of `kind` is not in their namespace. */
function podHarm(kind: string, name: string, o: GraphObject): string {
  return kind === 'ServiceAccount'
    ? `the ${String(o.manifest.kind)}'s pods are never created there (serviceaccount "${name}" not found)`
    : `the pods find no ${kind} '${name}' in their namespace and stay Pending or fail to start (${kind.toLowerCase()} "${name}" not found)`;
}

/** A workload that states its namespace, using what its build defines without one. */
function workloadSplit(o: GraphObject, graph: ObjectGraph, namespace: string): Problem[] {
  const seen = new Set<string>();
  return needed(o.manifest).flatMap(({ kind, name, field }) => {
    const partner = unplacedPartner(o, graph, kind, name, namespace);
    // one finding per object used: a ConfigMap read by several variables is one cause
    if (!partner || seen.has(`${kind}/${name}`)) return [];
    seen.add(`${kind}/${name}`);
    const verb = kind === 'ServiceAccount' ? 'runs the pods as' : kind === 'PersistentVolumeClaim' ? 'mounts' : 'reads';
    return [split(`${field} ${verb} ${kind} '${name}' in namespace '${namespace}'`, partner, o, namespace, podHarm(kind, name, o))];
  });
}

/** The namespace a ServiceAccount subject of a binding names: its own, else (a RoleBinding's) the binding's stated one. */
function subjectNamespace(o: GraphObject, s: Record<string, unknown>): string | undefined {
  return text(s.namespace) || (o.manifest.kind === 'RoleBinding' ? text(mapping(o.manifest.metadata).namespace) : undefined);
}

/**
 * A binding granting a ServiceAccount of namespace X that its build defines only without a namespace nothing places:
 * the grant reaches no account there. Not said where a workload of the build in X runs as it: that finding names the cause.
 */
function bindingSplit(o: GraphObject, graph: ObjectGraph): Problem[] {
  return mappings(o.manifest.subjects).flatMap((s, i): Problem[] => {
    const [name, namespace] = [text(s.name), subjectNamespace(o, s)];
    if (text(s.kind) !== 'ServiceAccount' || !name || !namespace) return [];
    const partner = unplacedPartner(o, graph, 'ServiceAccount', name, namespace);
    if (!partner) return [];
    const users = graph.objects.filter(
      (w) => text(mapping(w.manifest.metadata).namespace) === namespace && podSpecValues(w.manifest, 'serviceAccountName').some((v) => v.value === name),
    );
    if (users.some((w) => sameBuildOrFolder(w, partner, graph))) return [];
    const role = mapping(o.manifest.roleRef);
    const harm = `the binding gives ${String(role.kind ?? 'the role')} '${text(role.name) ?? ''}' to an account that is not there, and the account the build makes gets none of it`;
    return [split(`subjects[${i}] grants ServiceAccount '${name}' of namespace '${namespace}'`, partner, o, namespace, harm)];
  });
}

export const namespaceSplitInBuild: Rule = {
  id: 'namespace-split-in-build',
  title:
    'a workload or binding states a namespace while the claim, ConfigMap, Secret or ServiceAccount it uses, of the same build, states none: applied without -n of that namespace, they land apart',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, 'RoleBinding', 'ClusterRoleBinding'],
  premise:
    'a workload that states metadata.namespace X mounts, reads or runs as (serviceAccountName, other than default) a PersistentVolumeClaim, ConfigMap, Secret or ServiceAccount that its build ' +
    '(its file, kustomize build, Argo CD Application or script, else its folder where nothing of the tree delivers either) defines only without a namespace, and nothing of the tree places that object ' +
    '(no kustomize namespace:, which would have set it, no Argo CD destination, no script applying or creating it: one applying it without -n is reference-in-other-namespace), and none of that name is in X, X other than default (the namespace kubectl uses where neither -n nor the context names one, so there the two meet as written): ' +
    "kubectl puts an object without a namespace in the namespace of -n, else the kubeconfig context's, so unless the build is applied with -n X the two land apart, and a pod finds claims, ConfigMaps, Secrets and its account in its own namespace only " +
    '(an account missing: the ReplicaSet or Job cannot create the pods); ' +
    "a RoleBinding or ClusterRoleBinding subject naming a ServiceAccount of X (a RoleBinding subject without namespace takes the binding's) that its build defines only so is the same, unless a workload of the build in X runs as it (that finding names the cause); " +
    'a warning: the namespace the build is applied to is not in the files',
  example: 'a Deployment in `namespace: cudnn-host` mounting claim `cudnn-pvc`, which pvc.yaml of the same folder defines with no namespace',
  fix: 'state the namespace on both objects (metadata.namespace), or on neither and apply the build with -n; in a kustomize build, set namespace: for the whole build',
  source:
    'kubectl apply: an object without metadata.namespace goes to -n, else to the kubeconfig context namespace (k8s.io/cli-runtime resource.Builder DefaultNamespace); ' +
    'kube-scheduler VolumeBinding: persistentvolumeclaim "…" not found; kubelet: CreateContainerConfigError for a missing ConfigMap or Secret; ' +
    'kubernetes plugin/pkg/admission/serviceaccount admission.go (the account of a pod is looked up in its namespace: serviceaccount "…" not found); ' +
    'pkg/registry/rbac/validation appliesToUser (a RoleBinding ServiceAccount subject without namespace is the binding namespace)',
  check(o, { graph }) {
    if (o.manifest.kind === 'RoleBinding' || o.manifest.kind === 'ClusterRoleBinding') return bindingSplit(o, graph);
    const namespace = text(mapping(o.manifest.metadata).namespace);
    return namespace && o.file ? workloadSplit(o, graph, namespace) : [];
  },
};
