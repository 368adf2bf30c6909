import { holdsLabels, mapping, stringMap, text } from '../../manifests/access';
import { deliverersOf } from '../argocd/application';
import { GraphObject } from '../graph-object';
import { podClaims } from '../pod-claims';
import { podReferences } from '../pod-references';
import { podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { Applied, appliesObject } from '../script-delivery';
import { heldOnlyElsewhere } from '../held-elsewhere';
import { judgedNamespace } from '../tree-namespaces';
import { deliveredTogether } from '../applied-together';
import { locationOf } from '../graph-object';

/** What the object's pods need from their namespace: the claims they mount and the ConfigMaps and Secrets they read. */
function needed(m: GraphObject['manifest']): { kind: string; name: string; field: string }[] {
  return [
    ...podClaims(m).map((c) => ({ kind: 'PersistentVolumeClaim', name: c.name, field: c.field })),
    ...podReferences(m).map((r) => ({ kind: r.kind, name: r.name, field: r.where })),
  ];
}

/** What its own file puts in a namespace while the workload, applied without -n, goes to the context's. */
function apartInFile(o: GraphObject, by: Applied, graph: ObjectGraph): Problem[] {
  return needed(o.manifest).flatMap(({ kind, name, field }) => {
    const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
    const placed = all.filter((x) => x.file === o.file && text(mapping(x.manifest.metadata).namespace));
    if (!placed.length || all.some((x) => !text(mapping(x.manifest.metadata).namespace))) return [];
    const elsewhere = [...new Set(placed.map((x) => text(mapping(x.manifest.metadata).namespace)))].map((n) => `'${n}'`).join(', ');
    // past a cd the reader cannot follow, the file is assumed to be the one file of the tree of that name
    const assumed = by.afterCd ? ` (after \`${by.afterCd}\`, which check cannot follow, taken for the one file of the tree of that name)` : '';
    return [
      {
        ...(assumed ? { severity: 'warning' as const } : {}),
        message:
          `${field} '${name}': the object has no namespace and ${by.script} (line ${by.line}) applies it with \`${by.command}\`${assumed}, without -n, so it goes to the kubeconfig context's namespace (default unless the context sets another), ` +
          `while its own file defines ${kind} '${name}' only in namespace ${elsewhere}: a pod finds it in its own namespace only, so the pods stay Pending or fail to start (${kind.toLowerCase()} "${name}" not found); ` +
          `set metadata.namespace: ${elsewhere.split(', ')[0].replace(/'/g, '')} on the ${String(o.manifest.kind)}`,
      },
    ];
  });
}

/**
 * The workload goes to the namespace of its script's -n, while what it uses has no namespace of its own and the
 * scripts apply (or create) it only without -n: that lands in the kubeconfig context's namespace. A warning: the
 * context may be set to the same namespace (`kubectl config set-context --current --namespace`).
 */
function apartByScripts(o: GraphObject, by: Applied, graph: ObjectGraph): Problem[] {
  const target = by.namespace!;
  return needed(o.manifest).flatMap(({ kind, name, field }) => {
    const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
    const created = graph.scriptCreated.filter((c) => c.kind === kind && c.name === name);
    if (all.some((x) => text(mapping(x.manifest.metadata).namespace)) || created.some((c) => c.namespace !== undefined)) return [];
    const applied = all.map((x) => graph.scriptApplied.filter((a) => appliesObject(a, x)));
    // each declaration is applied, and only without -n; or, with none in the tree, each script creation is without -n
    if (all.length ? applied.some((list) => !list.length || list.some((a) => a.namespace)) : !created.length) return [];
    const first = all.length ? applied[0][0] : created[0];
    const how = 'command' in first ? `applies it with \`${first.command}\`` : `creates it`;
    return [
      {
        severity: 'warning' as const,
        message:
          `${field} '${name}': ${by.script} (line ${by.line}) applies the ${String(o.manifest.kind)} with \`${by.command}\`, into namespace '${target}', ` +
          `but ${kind} '${name}' has no namespace and ${first.script} (line ${first.line}) ${how} without -n, so it lands in the kubeconfig context's namespace (default unless the context sets another; assumed not '${target}'): ` +
          `a pod finds it in its own namespace only, so the pods stay Pending or fail to start (${kind.toLowerCase()} "${name}" not found); apply it with -n ${target} too, or give both a metadata.namespace`,
      },
    ];
  });
}

/**
 * The scripts' commands that apply an object without a namespace, when every one that does so gives no -n and no Argo
 * CD Application syncs it: it lands in the kubeconfig context's namespace. None otherwise.
 */
function contextPlaced(x: GraphObject, graph: ObjectGraph): Applied[] {
  if (text(mapping(x.manifest.metadata).namespace) || !x.file || deliverersOf(x, graph).length) return [];
  const appliers = graph.scriptApplied.filter((a) => appliesObject(a, x));
  return appliers.every((a) => !a.namespace) ? appliers : [];
}

/** A script of the tree runs `oc new-project <namespace>`, which makes it the current project: what it applies later without -n may land there. */
const madeCurrent = (graph: ObjectGraph, namespace: string) => graph.scriptCreated.some((c) => c.kind === 'Project' && c.name === namespace);

/**
 * The warning on a reference between two objects of one file, one in a namespace it states, the other (`unstated`,
 * in words) with none and applied without -n.
 */
function splitFile(what: string, unstated: string, by: Applied, namespace: string, harm: string): Problem {
  return {
    severity: 'warning',
    message:
      `${what}, but ${unstated} has no namespace and ${by.script} (line ${by.line}) applies the file with \`${by.command}\`, without -n: it lands in the kubeconfig context's namespace ` +
      `(assumed not '${namespace}': nothing in the tree sets the context), so ${harm}; set metadata.namespace: ${namespace} on it, or apply the file with -n ${namespace}`,
  };
}

const named = (x: GraphObject) => `${String(x.manifest.kind)} '${text(mapping(x.manifest.metadata).name) ?? ''}'`;

/**
 * A workload that states its namespace, using a claim, ConfigMap or Secret of its own file that states none and that
 * the scripts apply without -n (none of that name is in its namespace): the file splits them. A warning: the context's
 * namespace may be the workload's.
 */
function statedUsesUnstated(o: GraphObject, graph: ObjectGraph, namespace: string): Problem[] {
  return needed(o.manifest).flatMap(({ kind, name, field }) => {
    const all = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
    if (all.some((x) => graph.namespaceOf(x.manifest) === namespace) || madeCurrent(graph, namespace)) return [];
    const partner = all.find((x) => x.file === o.file && contextPlaced(x, graph).length);
    if (!partner) return [];
    const harm = `the pods find no ${kind} '${name}' in their namespace and stay Pending or fail to start`;
    return [
      splitFile(
        `${field} '${name}' is read in namespace '${namespace}'`,
        `${named(partner)} of the same file`,
        contextPlaced(partner, graph)[0],
        namespace,
        harm,
      ),
    ];
  });
}

/**
 * A Service without a namespace, applied without -n, whose selector matches only pods of its own file's workloads that
 * state a namespace: it lands apart from them, selects no pod, and its DNS name is not in their namespace.
 */
function unstatedServiceOfStated(o: GraphObject, graph: ObjectGraph): Problem[] {
  const by = contextPlaced(o, graph)[0];
  const selector = stringMap(mapping(o.manifest.spec).selector);
  if (!by || !Object.keys(selector).length) return [];
  const selected = graph.objects.filter((x) => WORKLOAD_KINDS.includes(String(x.manifest.kind)) && holdsLabels(stringMap(podLabelsOf(x.manifest)), selector));
  const namespaces = [...new Set(selected.map((x) => text(mapping(x.manifest.metadata).namespace)))];
  const workload = selected.find((x) => x.file === o.file);
  if (!workload || namespaces.length !== 1 || namespaces[0] === undefined || madeCurrent(graph, namespaces[0])) return [];
  const ns = namespaces[0];
  const harm = `it selects no pod there, and ${text(mapping(o.manifest.metadata).name) ?? ''}.${ns} does not resolve`;
  return [splitFile(`the selector matches the pods of ${named(workload)}, in namespace '${ns}' only`, 'the Service', by, ns, harm)];
}

/**
 * A workload whose namespace is known (its own, or the one its delivery gives it) using a claim, ConfigMap or Secret
 * that the tree makes only in other namespaces, each known: the pods look in their own. Where the tree creates the
 * workload's namespace, a claim or ConfigMap is pod-reference-not-found's, which names where the tree has it. An error
 * where the two are delivered together (one delivery puts them apart), else a warning (one of that name may be made in
 * the workload's namespace outside the tree).
 */
function apartByDelivery(o: GraphObject, graph: ObjectGraph): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  const created = judgedNamespace(graph, o) !== undefined;
  const stated = text(mapping(o.manifest.metadata).namespace) !== undefined;
  const seen = new Set<string>();
  return needed(o.manifest).flatMap(({ kind, name, field }) => {
    const elsewhere = heldOnlyElsewhere(graph, kind, name, ns);
    if (!elsewhere || (created && kind !== 'Secret') || seen.has(`${kind}/${name}`)) return [];
    seen.add(`${kind}/${name}`);
    const held = graph.ofKind(kind).filter((x) => text(mapping(x.manifest.metadata).name) === name);
    const together = !!o.file && held.some((x) => !!x.file && deliveredTogether(o, x, graph));
    const where = elsewhere.map((n) => `'${n}'`).join(', ');
    const at = locationOf(held[0]);
    return [
      {
        ...(together ? {} : { severity: 'warning' as const }),
        message:
          `${field} '${name}': the ${String(o.manifest.kind)} runs in namespace '${ns!}'${stated ? '' : ' (the one its delivery gives it)'}, but the tree makes ${kind} '${name}' only in namespace ${where}${at ? ` (${at})` : ''}` +
          `${together ? ', in the same delivery' : `, in another delivery (one made in '${ns!}' outside the tree may be meant, assumed not)`}: a pod finds it in its own namespace only, so the pods stay Pending or fail to start (${kind.toLowerCase()} "${name}" not found); ` +
          `put the two in one namespace (the ${String(o.manifest.kind)}'s metadata.namespace, or the ${kind}'s)`,
      },
    ];
  });
}

/** The references a script's apply puts apart from the workload, one side landing in the kubeconfig context's namespace. */
function apartByContext(o: GraphObject, graph: ObjectGraph): Problem[] {
  const stated = text(mapping(o.manifest.metadata).namespace);
  if (stated && o.file) return statedUsesUnstated(o, graph, stated);
  if (stated || !o.file || deliverersOf(o, graph).length) return [];
  const appliers = graph.scriptApplied.filter((a) => appliesObject(a, o));
  const plain = appliers.find((a) => !a.namespace);
  if (plain) return apartInFile(o, plain, graph);
  return appliers.length && appliers.every((a) => a.namespace === appliers[0].namespace) ? apartByScripts(o, appliers[0], graph) : [];
}

export const referenceInOtherNamespace: Rule = {
  id: 'reference-in-other-namespace',
  title:
    'a workload mounts or reads a claim, ConfigMap or Secret that the tree makes only in another namespace (its own known, or given by its delivery), or, without a namespace and applied by a script without -n, one its own file puts in a namespace: it lands elsewhere and never finds it',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, 'Service'],
  premise:
    "a workload whose namespace is known: its metadata.namespace, else the one its delivery gives a namespace-less object (an Argo CD Application's destination.namespace, a Flux Kustomization's targetNamespace, the one -n every command of the tree's scripts applying it names; a kustomization's namespace: is already on the built object; none where the delivery does not say), mounts a PersistentVolumeClaim or reads a ConfigMap or Secret (without optional: true) of which the tree makes objects of that name only in other namespaces, each known the same way (in a namespace the tree creates, a claim or ConfigMap is pod-reference-not-found's, which names where the tree has it): an error where one delivery of the tree applies both (a file, kustomize build, Application, script or README block: it puts them apart), else a warning (one of that name may be made in the workload's namespace outside the tree); " +
    'a workload without metadata.namespace that a script or README of the tree applies with `kubectl|oc apply|create -f` and no `-n` (and no Argo CD Application syncs) goes to the namespace of the kubeconfig context; ' +
    'it mounts a PersistentVolumeClaim or reads a ConfigMap or Secret (without optional: true) that the same file defines only with an explicit metadata.namespace, and no object of that name is in the tree without one: ' +
    'the file puts the two apart, since a pod finds claims, ConfigMaps and Secrets of its own namespace only; ' +
    'a warning where the command follows a `cd` check cannot follow and the file is taken for the one file of the tree of that name; ' +
    'and a workload without a namespace that the scripts apply only with one `-n` while the claim, ConfigMap or Secret it uses has no namespace and the scripts apply (or create) it only without `-n`: a warning (it lands in the context namespace, assumed not that one); ' +
    'and the other way round, a warning too (the context may be set to that namespace; nothing in the tree says): a workload that states metadata.namespace X and mounts or reads a claim, ConfigMap or Secret that its own file defines without one, applied only without -n and synced by no Argo CD Application (none of that name in X), ' +
    "or a Service without a namespace, so applied, whose selector matches only pods of workloads that state one namespace X, one of them in the Service's file: the Service lands apart, selects no pod and <name>.X does not resolve",
  example: 'a Job without a namespace mounting claim `model-cache`, defined in the same file in namespace `diffusion`, applied by `kubectl apply -f job.yaml`',
  fix: 'give the workload the namespace of what it uses (metadata.namespace), or apply the file with -n <namespace> after removing the other namespace',
  source:
    'kubectl apply: an object without metadata.namespace goes to -n, else to the kubeconfig context namespace (k8s.io/cli-runtime resource.Builder DefaultNamespace); gitops-engine pkg/sync/sync_context.go (the destination namespace set on namespace-less objects); fluxcd/kustomize-controller (targetNamespace set as the namespace of the generated kustomization); kube-scheduler VolumeBinding: persistentvolumeclaim "…" not found (Pending); kubelet: CreateContainerConfigError for a missing ConfigMap or Secret',
  check(o, { graph }) {
    if (o.manifest.kind === 'Service') return unstatedServiceOfStated(o, graph);
    // what the tree makes in another known namespace, and what it leaves to the kubeconfig context: never one reference both
    return [...apartByDelivery(o, graph), ...apartByContext(o, graph)];
  },
};
