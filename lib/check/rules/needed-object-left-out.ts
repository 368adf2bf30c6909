import * as path from 'path';
import { Loose, mapping, stringMap, text } from '../../manifests/access';
import { deployedByRepository } from '../found-elsewhere';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { claimMadeByController, podClaims } from '../pod-claims';
import { podReferences, projectedReferences } from '../pod-references';
import { componentPods, MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { podLabelsOf, SERVICE_BACKEND_KINDS, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { judgedNamespace } from '../tree-namespaces';
import { alsoBy, firstById } from '../one-per-cause';

/** An object a listed object needs by name, and what happens without it. */
interface Need {
  readonly kind: 'PersistentVolumeClaim' | 'ConfigMap';
  readonly name: string;
  readonly field: string;
  /** What the pods do without it, after the words naming them (`stay Pending (…)`). */
  readonly waits: string;
}

/** Where the only definition of a needed object is: a file beside a kustomization that builds the object, or another folder. */
interface Copy {
  readonly file: string;
  /** The kustomization of the object's build whose folder holds the file (as messages name it), when one does. */
  readonly kustomization?: string;
}

/** What the pods of the object are, as messages name them. */
const podsOf = (m: Loose): string => (m.kind === 'InferenceService' ? 'the predictor pods KServe makes' : `the ${String(m.kind)}'s pods`);

/** The pod specs of the object: its own, and each template of the kinds that run several kinds of pods. */
const podsOfObject = (m: Loose) => [{ manifest: m, prefix: '' }, ...templatePods(m), ...componentPods(m)];

/**
 * The claims and ConfigMaps the object's pods need (mounted, or read without optional: true): without a claim the pod
 * stays Pending (kube-scheduler VolumeBinding), without a ConfigMap it stays ContainerCreating (a volume, FailedMount)
 * or in CreateContainerConfigError (env).
 */
function podNeeds(m: Loose): Need[] {
  const pods = podsOfObject(m);
  const claims = pods.flatMap(({ manifest, prefix }) =>
    podClaims(manifest).map((c) => ({
      kind: 'PersistentVolumeClaim' as const,
      name: c.name,
      field: `${prefix}${c.field}`,
      waits: `stay Pending (persistentvolumeclaim "${c.name}" not found)`,
    })),
  );
  const configMaps = pods.flatMap(({ manifest }) =>
    [...podReferences(manifest), ...projectedReferences(manifest)]
      .filter((r) => r.kind === 'ConfigMap')
      .map((r) => ({
        kind: 'ConfigMap' as const,
        name: r.name,
        field: r.where.replace(/ items$/, ''),
        waits: `${r.via === 'volume' ? 'stay in ContainerCreating (FailedMount: ' : 'stay in CreateContainerConfigError ('}configmap "${r.name}" not found)`,
      })),
  );
  return [...claims, ...configMaps].filter((n, i, all) => all.findIndex((x) => x.kind === n.kind && x.name === n.name) === i);
}

/** Whether the tree (or a controller, a script of it) makes the object in the namespace. */
function made(graph: ObjectGraph, need: Need, ns: string | undefined): boolean {
  if (graph.find(need.kind, need.name, ns) || graph.scriptCreating(need.kind, need.name, ns)) return true;
  if (need.kind === 'PersistentVolumeClaim' && ns !== undefined && claimMadeByController(graph, need.name, ns)) return true;
  return need.kind === 'ConfigMap' && (need.name === 'kube-root-ca.crt' || need.name === 'openshift-service-ca.crt');
}

/** The folders of the kustomizations that built the object, innermost last. */
const kustomizationFolders = (o: GraphObject): string[] => (o.kustomizations ?? []).map((k) => path.resolve(k));

/**
 * The only definition of the needed object the tree or its repository holds: a file the tree's kustomizations leave out
 * (beside a kustomization of the object's build, or elsewhere), else a manifest of another folder of the repository.
 */
function copyOf(graph: ObjectGraph, o: GraphObject, need: Need, ns: string | undefined): Copy | undefined {
  const folders = kustomizationFolders(o);
  const left = graph.leftOut.filter((l) => {
    const m = mapping(l.manifest);
    const lns = text(mapping(m.metadata).namespace);
    return m.kind === need.kind && text(mapping(m.metadata).name) === need.name && (lns === undefined || ns === undefined || lns === ns) && l.file;
  });
  const beside = left.find((l) => folders.includes(path.dirname(path.resolve(l.file!))));
  if (beside) return { file: beside.file!, kustomization: `the kustomization of ${path.dirname(beside.file!)}` };
  if (left.length) return { file: left[0].file! };
  // with a namespace, pod-reference-not-found says what the repository deploys outside the folder
  const elsewhere = ns === undefined ? deployedByRepository(graph, need.kind, need.name, ns) : undefined;
  return elsewhere ? { file: elsewhere.object.file } : undefined;
}

/** One left-out object the object needs: what names it, and where its only definition is. */
interface Missing {
  readonly need: Need;
  readonly copy: Copy;
}

/** The left-out objects the object's pods need: each needed object the tree does not make whose only definition is found. */
function missingOf(graph: ObjectGraph, o: GraphObject): Missing[] {
  if (judgedNamespace(graph, o)) return [];
  const ns = graph.namespaceOf(o.manifest);
  return podNeeds(o.manifest)
    .filter((n) => !made(graph, n, ns))
    .flatMap((need) => {
      const copy = copyOf(graph, o, need, ns);
      return copy ? [{ need, copy }] : [];
    });
}

/** One cause: the left-out object (its kind, namespace, name and file) and whether a kustomization of the build sits beside it. */
const causeOf = (graph: ObjectGraph, o: GraphObject, { need, copy }: Missing): string =>
  JSON.stringify([need.kind, graph.namespaceOf(o.manifest) ?? '', need.name, copy.file, copy.kustomization ?? '']);

/** The objects of the tree that need each left-out object, first by id: a claim eight services mount is one file to list. */
function referrers(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('needed-object-left-out:referrers', () => {
    const by = new Map<string, GraphObject[]>();
    for (const kind of neededObjectLeftOut.appliesTo)
      for (const x of graph.ofKind(kind)) for (const m of missingOf(graph, x)) by.set(causeOf(graph, x, m), [...(by.get(causeOf(graph, x, m)) ?? []), x]);
    return firstById(graph, by);
  });
}

/**
 * The objects that share a cause with the object, the object first; none where another is first (it says the cause).
 * An object the run's graph does not index (an OpenShift Template's, judged in a graph of its own) is alone.
 */
function sharing(graph: ObjectGraph, o: GraphObject, cause: string): GraphObject[] {
  const all = referrers(graph).get(cause) ?? [o];
  if (!all.includes(o)) return [o];
  return all[0] === o ? all : [];
}

/** The finding for a needed object defined only where the build does not reach, said once for all the objects that need it. */
function leftOutProblem(graph: ObjectGraph, users: readonly GraphObject[], { need, copy }: Missing): Problem {
  const [o, ...others] = users;
  const also = alsoBy(
    'needed',
    others.map((x) => graph.id(x)),
    graph.id(o),
  );
  const ids = new Set(users.map((x) => graph.id(x)));
  const without = `${ids.size > 1 ? 'the pods of each' : podsOf(o.manifest)} ${need.waits}`;
  const subject = `${need.field} names ${need.kind} '${need.name}'${also}`;
  // the pods that wait are those of every object that needs it: latent only while none of them runs a pod
  const failsIn = users;
  if (copy.kustomization)
    return {
      failsIn,
      message:
        `${subject}, which the build does not make: ${copy.file} defines it, beside ${copy.kustomization}, which does not list that file in resources, so kustomize leaves it out and ${without}: ` +
        `add ${path.basename(copy.file)} to the resources of ${copy.kustomization}`,
    };
  return {
    severity: 'warning',
    failsIn,
    message:
      `${subject}, which the tree does not make: the only definition is ${copy.file}, in a folder this ${o.kustomizations?.length ? 'build' : 'tree'} does not apply; ` +
      `unless that folder is applied first into the same namespace, ${without}: apply it first, or add the ${need.kind} to this tree`,
  };
}

/** The Service file the build leaves out that would select the workload's pods, with its name. */
function unlistedServiceOf(graph: ObjectGraph, o: GraphObject): { file: string; name: string } | undefined {
  if (!SERVICE_BACKEND_KINDS.includes(String(o.manifest.kind)) || judgedNamespace(graph, o)) return undefined;
  const ns = graph.namespaceOf(o.manifest);
  const labels = stringMap(podLabelsOf(o.manifest));
  const selects = (s: Loose) => {
    const selector = Object.entries(stringMap(mapping(s.spec).selector));
    return selector.length > 0 && selector.every(([k, v]) => labels[k] === v);
  };
  const sameNamespace = (s: Loose) => [undefined, ns].includes(text(mapping(s.metadata).namespace)) || ns === undefined;
  if (graph.ofKind('Service').some((s) => sameNamespace(s.manifest) && selects(s.manifest))) return undefined;
  const folders = kustomizationFolders(o);
  const left = graph.leftOut.find(
    (l) =>
      mapping(l.manifest).kind === 'Service' &&
      l.file &&
      folders.includes(path.dirname(path.resolve(l.file))) &&
      sameNamespace(mapping(l.manifest)) &&
      selects(mapping(l.manifest)),
  );
  return left ? { file: left.file!, name: text(mapping(mapping(left.manifest).metadata).name) ?? '' } : undefined;
}

/** The workloads each left-out Service file would select, first by id. */
function serviceReferrers(graph: ObjectGraph): Map<string, GraphObject[]> {
  return graph.once('needed-object-left-out:services', () => {
    const by = new Map<string, GraphObject[]>();
    for (const kind of SERVICE_BACKEND_KINDS)
      for (const x of graph.ofKind(kind)) {
        const left = unlistedServiceOf(graph, x);
        if (left) by.set(JSON.stringify([left.file, left.name]), [...(by.get(JSON.stringify([left.file, left.name])) ?? []), x]);
      }
    return firstById(graph, by);
  });
}

/**
 * The Service the tree leaves out that would select the workload's pods: a file beside a kustomization of the
 * workload's build defines a Service selecting them, the build lists no Service that does. Said once per Service file,
 * on the first workload it would select, naming the others.
 */
function unlistedService(graph: ObjectGraph, o: GraphObject): Problem | undefined {
  const left = unlistedServiceOf(graph, o);
  if (!left) return undefined;
  const all = serviceReferrers(graph).get(JSON.stringify([left.file, left.name])) ?? [o];
  if (all.includes(o) && all[0] !== o) return undefined;
  const others = [...new Set(all.map((x) => graph.id(x)))].filter((id) => id !== graph.id(o));
  const pods = others.length
    ? `the pods of ${graph.id(o)} nor those of ${others.length} other workload${others.length > 1 ? 's' : ''} (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})`
    : `the ${String(o.manifest.kind)}'s pods`;
  const kustomization = `the kustomization of ${path.dirname(left.file)}`;
  return {
    severity: 'warning',
    message:
      `no Service of the build selects ${pods}: Service '${left.name}' of ${left.file} selects them, beside ${kustomization}, which does not list that file in resources, ` +
      `so kustomize leaves it out and nothing in the cluster can reach the pods by a Service name: add ${path.basename(left.file)} to the resources of ${kustomization}`,
  };
}

export const neededObjectLeftOut: Rule = {
  id: 'needed-object-left-out',
  title:
    'an object a pod needs (a claim, a ConfigMap) or the Service that reaches it is defined only in a file the kustomization does not list, or in another folder',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    'a pod-bearing object of the tree needs another by name that the tree does not make, in a namespace the tree does not create (where it creates the namespace, pod-reference-not-found says it): a PersistentVolumeClaim its pods mount, a ConfigMap they read without optional: true; ' +
    'and the only definition of that object is a file the build leaves out. An error where the file sits in the folder of a kustomization that builds the object and that kustomization does not list it in resources: the pods cannot start without it (a claim: Pending; a ConfigMap: ContainerCreating or CreateContainerConfigError), and kustomize builds only what is listed; ' +
    'a warning where the file is in another folder of the tree that no build reads, or, for an object without a namespace, where the only definition is a manifest of another folder of the repository that the checked folder does not apply (a sibling folder a README applies first, into the same namespace, may make it); ' +
    'a warning where a workload of the build (not a Job) has no Service of the build selecting its pods while a Service in an unlisted file beside a kustomization of its build does (nothing reaches the pods by a Service name). ' +
    'Each left-out object (and each left-out Service file) is said once, on the first object by kind, namespace and name that needs it, counting and naming the others; an error there is latent only while none of them runs a pod. ' +
    "Not judged: objects a controller or a script of the tree makes (a StatefulSet's claims, kube-root-ca.crt), names holding a renderer's syntax, Secrets (secret-not-in-tree), a route's Service (ingress-backend-not-found, gateway-reference-not-found)",
  example: '`claimName: orders-db` in a Deployment of a kustomization whose folder holds `orders-db-pvc.yaml`, which `resources:` does not list',
  fix: "add the file to the kustomization's resources (or apply the folder that defines the object first)",
  source:
    'kustomize api/krusty: a build holds only the resources its kustomization lists; kube-scheduler VolumeBinding (persistentvolumeclaim "…" not found: Pending); kubelet (configmap "…" not found: FailedMount, CreateContainerConfigError); OpenShift router and Gateway API (a route whose backend Service is missing answers 503 or 500, ResolvedRefs BackendNotFound)',
  check(o, { graph }) {
    // each left-out object once, on the first object (by id) that needs it, naming the others
    const problems = missingOf(graph, o).flatMap((m) => {
      const users = sharing(graph, o, causeOf(graph, o, m));
      return users.length ? [leftOutProblem(graph, users, m)] : [];
    });
    const service = unlistedService(graph, o);
    return service ? [...problems, service] : problems;
  },
};
