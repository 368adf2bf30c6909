import * as path from 'path';
import { apiGroupOf } from '../../k8s/api-version';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { deliverersOf } from '../argocd/application';
import { destinationNamespace } from '../argocd/destination-namespace';
import { repeatedInSource, walkOrder } from '../argocd/repeated-resources';
import { keysLostToPods } from '../lost-keys';
import { placedSources } from '../argocd-paths';
import { Problem } from '../rule';
import { GraphObject, locationOf, sameDeclaration, unitOf } from '../graph-object';
import { ObjectGraph } from '../graph';
import { generatedFrom } from '../application-sets';
import { Rule } from '../rule';
import { declared } from '../declarations';
import { sharedDestination } from './cluster-object-conflict';
import { Applied, appliesObject } from '../script-delivery';
import { alternativeArms } from '../../manifests/script-branches';
import { deliveryOf, scriptApplying } from '../applied-together';

/** apiVersion group, kind, namespace and name: what makes two declarations one object. */
export function identity(o: GraphObject, namespace: string | undefined): string {
  const group = apiGroupOf(o.manifest.apiVersion);
  return `${group}/${String(o.manifest.kind)}/${namespace ?? ''}/${text(mapping(o.manifest.metadata).name) ?? ''}`;
}

export const named = (o: GraphObject) => {
  const meta = mapping(o.manifest.metadata);
  const name = text(meta.name);
  // a name or namespace holding a token the sed of its file's rendering replaces (`app-V_ACC`) is not known before it runs
  const filled = [name, text(meta.namespace)].some((v) => v !== undefined && o.template !== undefined && o.sedFills?.some((t) => v.includes(t)));
  return !!name && !filled;
};

/**
 * The objects of a kind by the key `idOf` gives them (none: left out), in the graph's order, grouped once per run:
 * comparing each object with every other of its kind grows with the square of the tree.
 */
export function groupedOnce(
  graph: ObjectGraph,
  purpose: string,
  kind: string,
  idOf: (x: GraphObject) => string | undefined,
): ReadonlyMap<string, GraphObject[]> {
  return graph.once(`duplicate-object:${purpose}:${kind}`, () => {
    const byId = new Map<string, GraphObject[]>();
    for (const x of graph.ofKind(kind)) {
      const id = idOf(x);
      if (id === undefined) continue;
      const list = byId.get(id);
      if (list) list.push(x);
      else byId.set(id, [x]);
    }
    return byId;
  });
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
    'Ingress',
    'ServiceMonitor',
    'PodMonitor',
    'ConfigMap',
    'Secret',
    'ServiceAccount',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'NetworkPolicy',
    'Role',
    'RoleBinding',
    'PersistentVolumeClaim',
    'MachineSet',
    'Application',
    'ApplicationSet',
    'AppProject',
  ],
  premise:
    'both declarations are in one kustomize build, in charts of an app that go to one cluster, or in the folder an Argo CD Application of the input syncs, files of kustomize folders that a recursive directory source reads as written included, or in the folder (or file) a script or README of the tree applies whole (`kubectl apply -f dir/`, `-R`), or in files one script (not a README, whose commands are often alternatives) applies by several commands to one cluster (not commands in different arms of one if or case, of which one run takes one), when the copies differ (the copy of the last command stays) (in a kustomize build an error, kustomize refuses it; a build check makes itself is refused by kustomize-build-fails instead, which keeps the first copy, so only objects given with their kustomization are judged here; where an Argo CD directory source or kubectl reads the files, both sync and the copy read last stays: an error only when a Secret or ConfigMap key a pod of the tree reads by name is held only by a copy that does not stay, else a warning); loose files nothing delivers, and other roots, are often alternatives: not judged here (two loose files of a plain tree applied whole are judged by object-defined-twice), except two documents of one file, which whoever applies the file applies together, the later replacing the earlier (a warning; an error when a key a pod of the tree reads is held only by the earlier copy); two Applications one declaration of an ApplicationSet generates (list elements, or the git directory generator folders where the input shows the repository) with one name; one Application (name and namespace) that two ApplicationSets of one delivery generate, or that an ApplicationSet generates under the name of a plain Application there (an error, a warning when the specs are the same); one namespaced object that two Applications of the input (two elements of one ApplicationSet, say) deliver to one cluster with different content, both declarations naming the namespace (an error when one delivery applies both Applications: documents of one file, elements of one ApplicationSet, objects of one kustomize build or of one app-of-apps Application, and both sync automatically (spec.syncPolicy.automated); else a warning, since Applications in loose files are often alternatives applied one at a time, and a manual Application changes the cluster only when someone syncs it: they overwrite each other, SharedResourceWarning; not judged when either declaration is in a kustomization kustomize refuses to build); check reads every declaration as written, none merged into another, and the other rules judge each copy; an object whose name or namespace holds a token the sed of a script that renders its file replaces (`app-V_ACC` under `sed -i "s|V_ACC|$ACC|"`) is not judged: its name is not known before the script runs',
  example:
    "an ApplicationSet named `'{{path.basename}}'` over git directories `apps/*` and `apps/*/*` that excludes `path: apps/old` but not the `apps/old/serving` below it, so apps/serving and apps/old/serving both make `serving`",
  fix: 'rename one, or delete the copy',
  source:
    'kustomize: "may not add resource with an already registered id"; argo-cd applicationset/controllers/applicationset_controller.go validateGeneratedApplications: "ApplicationSet … contains applications with duplicate name"; createOrUpdateInCluster: controllerutil.SetControllerReference refuses an Application another ApplicationSet controls ("already owned by another ApplicationSet controller") and takes over one that has no controller; kubectl apply: the later document replaces the earlier; argo-cd controller/state.go DeduplicateTargetObjects: a repeated target keeps the last one read, in filepath.Walk order (`result = append(result, targets[len(targets)-1])`, condition RepeatedResourceWarning "Resource %s appeared %d times among application resources."), and the app still syncs; argo-cd controller/state.go: an object whose tracking names another Application is SharedResourceWarning ("… is part of applications … and …")',
  check(o, { graph }) {
    const application = o.manifest.kind === 'Application';
    return [
      ...(application ? [...repeatedInApplication(o, graph), ...generatedTwice(o, graph), ...claimedTwice(o, graph)] : []),
      ...declaredTwice(o, graph),
      ...sharedByApplications(o, graph),
    ];
  },
};

/** The source paths of an Application, for messages. */
const sourcePaths = (app: GraphObject) =>
  [mapping(mapping(app.manifest.spec).source), ...mappings(mapping(app.manifest.spec).sources)].flatMap((s) => (text(s.path) ? [text(s.path)!] : []));

/**
 * An Application that an ApplicationSet generates under the name of an earlier one it generates (one declaration of
 * the set: a base read by two builds is two sets): argo-cd applicationset/controllers/applicationset_controller.go
 * validateGeneratedApplications refuses every later one with that name.
 */
function generatedTwice(o: GraphObject, graph: ObjectGraph): Problem[] {
  const set = generatedFrom(o);
  if (!set) return [];
  const name = text(mapping(o.manifest.metadata).name);
  const sameSet = (a: GraphObject) =>
    generatedFrom(a) === set && a.file === o.file && a.line === o.line && JSON.stringify(a.kustomizations ?? []) === JSON.stringify(o.kustomizations ?? []);
  const same = graph.ofKind('Application').filter((a) => sameSet(a) && text(mapping(a.manifest.metadata).name) === name);
  if (same.indexOf(o) < 1) return [];
  const paths = same.flatMap(sourcePaths).map((p) => `'${p}'`);
  return [
    {
      message:
        `${set} generates two Applications named '${name}'${paths.length ? ` (source paths ${paths.join(', ')})` : ''}; Argo CD's ApplicationSet ` +
        `controller refuses the later one ("ApplicationSet … contains applications with duplicate name: ${name}") and never creates it: ` +
        'make the template name differ per element, or exclude the folder that should make none (a git directory glob matches one folder level: ' +
        'an exclude `apps/old` leaves `apps/old/x`, add `apps/old/*`)',
    },
  ];
}

/**
 * An Application that an ApplicationSet generates under the name (and namespace) of one another ApplicationSet of the
 * same delivery generates, or of a plain Application there. argo-cd applicationset/controllers/applicationset_controller.go
 * createOrUpdateInCluster makes each generated Application its set's (controllerutil.SetControllerReference): the
 * second set is refused ("… is already owned by another ApplicationSet controller …"), and a plain Application, which
 * has no controller, is taken over and rewritten while whatever applies it writes it back.
 */
function claimedTwice(o: GraphObject, graph: ObjectGraph): Problem[] {
  const set = generatedFrom(o);
  const name = text(mapping(o.manifest.metadata).name);
  const delivery = set && name ? deliveryOf(o, graph) : undefined;
  if (!set || !delivery) return [];
  const namespace = graph.namespaceOf(o.manifest);
  const others = graph
    .ofKind('Application')
    .filter(
      (a) =>
        generatedFrom(a) !== set &&
        text(mapping(a.manifest.metadata).name) === name &&
        graph.namespaceOf(a.manifest) === namespace &&
        deliveryOf(a, graph) === delivery,
    );
  const paths = (a: GraphObject) =>
    sourcePaths(a)
      .map((p) => `'${p}'`)
      .join(', ') || 'no path';
  // two sets: reported once, on the set whose id sorts later
  const earlierSets = [...new Set(others.map(generatedFrom).filter((s): s is string => s !== undefined && s < set))];
  const plain = others.filter((a) => !generatedFrom(a));
  const out: Problem[] = earlierSets.map((other) => ({
    message:
      `${set} and ${other} both generate Application '${name}' (source ${paths(o)} here); the ApplicationSet controller makes an Application its set's, ` +
      `so whichever set comes second is refused ("Object ${namespace ?? ''}/${name} is already owned by another ApplicationSet controller …", UpdateApplicationError) and its Application never exists: ` +
      'give one template another name (a per-element suffix)',
  }));
  for (const a of plain) {
    const same = JSON.stringify(a.manifest.spec ?? {}) === JSON.stringify(o.manifest.spec ?? {});
    out.push({
      severity: same ? 'warning' : 'error',
      message:
        `${set} generates Application '${name}', the name of the Application declared at ${locationOf(a) ?? 'another place of the input'}; the ApplicationSet controller takes an Application with no controller over and writes its own spec, ` +
        (same
          ? 'the same spec here, but the two claim one Application (deleting either one deletes it)'
          : `so the plain one's settings (source ${paths(a)}) are overwritten and written back in turn`) +
        ': rename one, or keep only one',
    });
  }
  return out;
}

/**
 * Objects an Application's directory source reads twice from files of kustomize folders (argo-cd controller/state.go
 * DeduplicateTargetObjects: the last one read is kept, with a RepeatedResourceWarning condition, and the app syncs): a
 * warning, an error only when a key a pod reads is held only by a copy that is not kept.
 */
function repeatedInApplication(app: GraphObject, graph: ObjectGraph): Problem[] {
  return placedSources(graph, app).flatMap((s) =>
    repeatedInSource(graph, s, destinationNamespace(app.manifest)).map((r) => {
      const lost = r.differ ? keysLostToPods(graph, r.kept, r.dropped) : [];
      return {
        severity: lost.length ? ('error' as const) : ('warning' as const),
        message:
          `directory source '${s.path}' reads ${r.id} ${r.files.length} times (${r.files.join(', ')}); Argo CD keeps the last one read, ${r.files[r.files.length - 1]}, ` +
          `and reports "Resource … appeared ${r.files.length} times among application resources" (RepeatedResourceWarning), and syncs` +
          copiesOutcome(r.differ, lost) +
          ': delete the copies, or leave them out with directory.exclude',
      };
    }),
  );
}

/**
 * What keeping one copy of several does, for a message: nothing lost (the same copies), keys a pod reads lost (an
 * error: the pod fails), or other settings that may or may not be meant (a warning).
 */
function copiesOutcome(differ: boolean, lost: readonly string[]): string {
  if (!differ) return '; the copies are the same, so nothing is lost';
  if (lost.length) return `, so the keys only the other copies hold never reach the cluster, and pods read them: ${lost.join(', ')}`;
  return '; the copies differ, so only the kept one reaches the cluster (no key a pod of the tree reads is lost): make sure it is the one meant';
}

/**
 * A namespaced object (kind, namespace, name) that two Argo CD Applications of the input deliver to one cluster with
 * different content (two elements of one ApplicationSet whose folders each declare it): each sync of one rewrites the
 * other's, Argo CD marks both with SharedResourceWarning ("… is part of applications … and …", argo-cd
 * controller/state.go), and with selfHeal they take it back in turn. Only where both declarations name their
 * namespace (in the file or by their kustomization), and reported on the later one.
 */
function sharedByApplications(o: GraphObject, graph: ObjectGraph): Problem[] {
  const namespace = graph.namespaceOf(o.manifest);
  if (isClusterScoped(String(o.manifest.kind)) || generatedFrom(o) || !named(o) || !namespace) return [];
  const delivery = deliveryOf(o, graph);
  // the declarations of each object, grouped once per run (filtering the kind for each object grew with the square of the tree)
  const same = groupedOnce(graph, 'shared', String(o.manifest.kind), (x) => identity(x, graph.namespaceOf(x.manifest))).get(identity(o, namespace)) ?? [];
  const clash = same
    .slice(0, same.indexOf(o))
    .filter((x) => !sameDeclaration(x, o) && !generatedFrom(x) && deliveryOf(x, graph) !== delivery && declared(x, false) !== declared(o, false))
    .map((x) => ({ x, shared: sharedDestination(graph, x, o) }))
    .find((c) => c.shared && c.shared.apps.length > 1);
  // a declaration of a root kustomize refuses to build is delivered by no sync: kustomize-build-fails says so
  if (!clash?.shared || graph.inFailedBuild(o) || graph.inFailedBuild(clash.x)) return [];
  const [first, second] = clash.shared.apps;
  const effect =
    `each sync of one overwrites the other's copy, Argo CD reports "${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? ''} ` +
    `is part of applications ${first} and ${second}" (SharedResourceWarning), and with selfHeal they rewrite it in turn`;
  const where = `is declared differently at ${locationOf(clash.x) ?? 'another place of the input'}`;
  // Applications that no ApplicationSet, kustomization or app-of-apps applies together may be alternatives (a base
  // and its variants, applied one at a time): a clash only if both are applied
  // and Applications that do not both sync on their own change the cluster only when someone syncs them: a conflict
  // only if both are synced (Argo CD applies a manual Application on request)
  if (!clash.shared.together || !clash.shared.automatic) {
    const why = clash.shared.together
      ? 'they do not both sync automatically (no spec.syncPolicy.automated): Argo CD applies a manual one only when someone syncs it (they may be alternatives)'
      : 'nothing in the input applies both (they may be alternatives)';
    return [
      {
        severity: 'warning',
        message: `${where}, and Argo CD Applications ${first} and ${second} deliver it to cluster ${clash.shared.cluster}; ${why}, but if both are applied, ${effect}: apply only one, or give each its own name`,
      },
    ];
  }
  return [
    {
      message: `${where}, and Argo CD delivers both to cluster ${clash.shared.cluster} (${first} and ${second}): ${effect}: declare it in one Application, or give each its own name`,
    },
  ];
}

/**
 * What a script delivery is part of: one run of the script, whose commands apply their files and folders one after
 * another to one cluster (its context, when it names one), so two files it applies by two commands are applied together.
 */
export function scriptRun(o: GraphObject, delivery: string, graph: ObjectGraph): string {
  if (!delivery.startsWith('script:')) return delivery;
  const a = scriptApplying(o, graph);
  // a README's commands are often alternatives (this file, or that one): only a script runs them all
  return a && !/\.(md|markdown)$/i.test(a.script) ? `script-run:${a.script}\0${a.context ?? ''}` : delivery;
}

/**
 * Whether every script command that applies one copy is in another arm of an if or case than every command that
 * applies the other (`if [ "$GPU" = true ]; then kubectl apply -f gpu.yaml; else kubectl apply -f cpu.yaml; fi`): the
 * shell runs one arm, so one run applies one copy.
 */
function inOtherArms(graph: ObjectGraph, a: GraphObject, b: GraphObject): boolean {
  const by = (x: GraphObject) => graph.scriptApplied.filter((c) => !c.kustomize && appliesObject(c, x));
  const first = by(a);
  const second = by(b);
  return first.length > 0 && second.length > 0 && first.every((x) => second.every((y) => x.script === y.script && alternativeArms(x.arms, y.arms)));
}

/** A later declaration of an object in one kustomize build, cdk8s cluster or set of Applications' folders. */
function declaredTwice(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (isClusterScoped(String(o.manifest.kind)) || generatedFrom(o)) return [];
  // loose files are often alternatives (examples, variants) rather than one delivery: not judged
  const delivery = deliveryOf(o, graph);
  // an object with only a generateName gets a new name at each create: copies do not collide
  if (!named(o)) return [];
  if (!delivery) return declaredTwiceInFile(o, graph);
  // the declarations of each object, grouped once per run (comparing every pair would grow with the square of the tree)
  const groups = groupedOnce(graph, 'delivered', String(o.manifest.kind), (x) => {
    const d = deliveryOf(x, graph);
    return !d || !named(x) || generatedFrom(x) ? undefined : `${scriptRun(x, d, graph)}\0${identity(x, graph.namespaceOf(x.manifest))}`;
  });
  const same = groups.get(`${scriptRun(o, delivery, graph)}\0${identity(o, graph.namespaceOf(o.manifest))}`) ?? [];
  const index = same.indexOf(o);
  // one file read twice (a base under two roots of one build) is one declaration; report each later copy once
  const earlier = same.slice(0, index).filter((x) => !sameDeclaration(x, o) && !inOtherArms(graph, x, o));
  if (!earlier.length) return [];
  const files = earlier.map(locationOf).filter((l): l is string => l !== undefined);
  const where = files.length ? ` (also at ${files.join(', ')})` : '';
  const script = delivery.startsWith('script:') ? scriptApplying(o, graph) : undefined;
  if (script) return appliedTwiceByScript(o, earlier, script, where, graph);
  if (!unitOf(o)) {
    const apps = deliverersOf(o, graph).map((a) => graph.id(a));
    const { kept, dropped, differ } = keptCopy([...earlier, o]);
    const lost = differ ? keysLostToPods(graph, kept.manifest, dropped) : [];
    return [
      {
        severity: lost.length ? 'error' : 'warning',
        message:
          `is declared twice${where} in what ${apps.join(', ')} syncs; Argo CD keeps only the last declaration, ${kept.file ? path.basename(kept.file) : 'the one read last'} ` +
          `("Resource … appeared 2 times among application resources", RepeatedResourceWarning), and syncs${copiesOutcome(differ, lost)}: rename one, or delete the copy`,
      },
    ];
  }
  const unit = o.unit !== undefined ? `cluster (${o.unit}${o.origin ? `, here by ${o.origin}` : ''})` : `kustomize build of ${unitOf(o)}`;
  const effect =
    o.unit !== undefined ? 'the rendered objects overwrite each other' : 'kustomize refuses the build ("may not add resource with an already registered id")';
  return [{ message: `is declared twice${where} in the same ${unit}; ${effect}: rename one, or delete the copy` }];
}

/**
 * A later document of one file that declares the object again, where nothing of the tree delivers the file: loose
 * files are often alternatives, but documents of one file are applied together by whoever applies it (`kubectl apply
 * -f file` applies each document in order: the later replaces the earlier). A warning, an error when a key a pod of
 * the tree reads is held only by a copy that does not stay (keysLostToPods); copies in two files stay not judged.
 */
function declaredTwiceInFile(o: GraphObject, graph: ObjectGraph): Problem[] {
  if (!o.file || unitOf(o) || o.unit !== undefined) return [];
  const groups = groupedOnce(graph, 'one-file', String(o.manifest.kind), (x) =>
    !x.file || !named(x) || generatedFrom(x) || unitOf(x) || x.unit !== undefined || deliveryOf(x, graph)
      ? undefined
      : `${x.file}\0${identity(x, graph.namespaceOf(x.manifest))}`,
  );
  const same = (groups.get(`${o.file}\0${identity(o, graph.namespaceOf(o.manifest))}`) ?? []).slice().sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const earlier = same.slice(0, same.indexOf(o)).filter((x) => !sameDeclaration(x, o));
  if (!earlier.length) return [];
  const last = same[same.length - 1];
  const differ = new Set(same.map((x) => JSON.stringify(x.manifest))).size > 1;
  const lost = differ
    ? keysLostToPods(
        graph,
        last.manifest,
        same.slice(0, -1).map((x) => x.manifest),
      )
    : [];
  const lines = earlier.map((x) => x.line).filter((l): l is number => l !== undefined);
  return [
    {
      severity: lost.length ? 'error' : 'warning',
      message:
        `is declared twice in ${path.basename(o.file)}${lines.length ? ` (also at line ${lines.join(', ')})` : ''}; whoever applies the file applies both documents, ` +
        `in order, and the later one${last.line ? `, at line ${last.line},` : ''} replaces the earlier` +
        copiesOutcome(differ, lost) +
        ': delete the copy, or rename one',
    },
  ];
}

/** Of the declarations of one object, the one read last (by file, in filepath.Walk order), the others, and whether they differ. */
export function keptCopy(all: readonly GraphObject[]): { kept: GraphObject; dropped: Loose[]; differ: boolean } {
  const sorted = [...all].sort((a, b) => walkOrder(a.file ?? '', b.file ?? ''));
  const kept = sorted[sorted.length - 1];
  const differ = new Set(all.map((x) => JSON.stringify(x.manifest))).size > 1;
  return { kept, dropped: sorted.slice(0, -1).map((x) => x.manifest), differ };
}

/** Of copies applied by the commands of one script, the one the last command applies (each command applies what it reads in order), the others, and whether they differ. */
function lastApplied(all: readonly GraphObject[], commands: readonly Applied[]): { kept: GraphObject; dropped: Loose[]; differ: boolean } {
  const order = all.map((x, i) => ({ x, line: commands[i].line })).sort((a, b) => a.line - b.line || walkOrder(a.x.file ?? '', b.x.file ?? ''));
  const kept = order[order.length - 1].x;
  const differ = new Set(all.map((x) => JSON.stringify(x.manifest))).size > 1;
  return { kept, dropped: order.slice(0, -1).map((e) => e.x.manifest), differ };
}

/**
 * A later declaration of an object in the folder (or file) a script of the tree applies, or in files its commands apply one after another: kubectl apply reads a
 * folder's files in name order (cli-runtime resource/visitor.go ExpandPathsToFileVisitors: filepath.Walk) and applies
 * each document, so the copy read last is the one that stays; an error when the copies differ, a warning when they
 * are the same or when where the command runs was assumed (after a `cd` the reader cannot follow).
 */
function appliedTwiceByScript(o: GraphObject, earlier: readonly GraphObject[], script: Applied, where: string, graph: ObjectGraph): Problem[] {
  const commands = [...earlier, o].map((x) => scriptApplying(x, graph) ?? script);
  // copies applied by one command: the one read last stays; by several commands: the one the last command applies
  const byCommand = new Set(commands.map((c) => c.line)).size > 1;
  const { kept, dropped, differ } = byCommand ? lastApplied([...earlier, o], commands) : keptCopy([...earlier, o]);
  // the same object applied again by a later command changes nothing
  if (byCommand && !differ) return [];
  const lines = [...new Map(commands.map((c) => [c.line, c])).values()].sort((a, b) => a.line - b.line);
  const command = lines.map((c) => `\`${c.command}\` (${c.script}:${c.line})`).join(' and ');
  const assumed = script.afterCd ? ` (after \`${script.afterCd}\`, which check cannot follow, taken for the one folder of the tree of that name)` : '';
  const lost = differ ? keysLostToPods(graph, kept.manifest, dropped) : [];
  return [
    {
      severity: lost.length && !assumed ? 'error' : 'warning',
      message:
        `is declared twice${where} in what ${command} appl${lines.length > 1 ? 'y' : 'ies'}${assumed}; kubectl applies both, and the copy read last, ${path.basename(kept.file ?? '')}, stays` +
        copiesOutcome(differ, lost) +
        ': delete the copy, or move the alternative out of the folder the command applies',
    },
  ];
}
