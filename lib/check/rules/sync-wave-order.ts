import { finite, mapping, stringMap, text } from '../../manifests/access';
import { Loose } from '../../manifests/access';
import * as path from 'path';
import { Problem, Rule } from '../rule';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/keys';
import { deliverersOf } from '../argocd/application';
import { GraphObject, sameDeclaration } from '../graph-object';
import { ObjectGraph } from '../graph';

const wave = (m: Loose) => finite(stringMap(mapping(m.metadata).annotations)[SYNC_WAVE_ANNOTATION]) ?? 0;

export const syncWaveOrder: Rule = {
  id: 'sync-wave-order',
  title: 'an InferenceService syncs in an earlier Argo CD wave than its ServingRuntime, or a LocalQueue before its ClusterQueue',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LocalQueue'],
  premise:
    "both objects are in the tree (one Argo CD application orders waves only within itself); an error where an Argo CD Application or ApplicationSet of the input delivers both, since Argo CD's health of an InferenceService (resource_customizations serving.kserve.io/InferenceService) stays unready without its runtime and the later wave is never applied; " +
    "where one kustomization lists both directly (its own folder or a file of it) but no Application of the input syncs it, a warning that says the deadlock comes if Argo CD syncs that folder; no finding where a PolicyGenerator (policy.open-cluster-management.io, listed in a kustomization's generators) wraps the objects into Policies, whose configuration-policy controller applies them with no notion of waves; a warning otherwise",
  example: '`argocd.argoproj.io/sync-wave: "1"` on the service and `argocd.argoproj.io/sync-wave: "5"` on its runtime',
  fix: 'give the dependent object a later wave',
  source:
    'Argo CD applies lower sync waves first and waits for them to be healthy, for what it applies itself (Argo CD docs "Sync Phases and Waves"; gitops-engine pkg/sync/sync_context.go); argo-cd resource_customizations/serving.kserve.io/InferenceService/health.lua reads the service Ready condition; open-cluster-management-io policy-generator-plugin (policies[].manifests[].path, relative to the kustomization)',
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService') {
      const rt = graph.runtimeOf(o.manifest);
      return rt && wave(o.manifest) < wave(rt.manifest) ? serviceBeforeRuntime(o, rt, graph) : [];
    }
    const cq = graph.find('ClusterQueue', text(mapping(o.manifest.spec).clusterQueue));
    if (cq && wave(o.manifest) < wave(cq.manifest)) {
      return [{ message: `sync wave ${wave(o.manifest)} comes before its ClusterQueue's (${wave(cq.manifest)}): give it a later wave` }];
    }
    return [];
  },
};

/**
 * A service in an earlier wave than its runtime: a sync that never completes where an Application of the input applies
 * both; where only a kustomization lists both, the same on the condition that Argo CD syncs it; nothing where the
 * policy framework applies them (no waves there); else the service is only reconciled without its runtime for a while.
 */
function serviceBeforeRuntime(o: GraphObject, rt: GraphObject, graph: ObjectGraph): Problem[] {
  const waves = `sync wave ${wave(o.manifest)} comes before its runtime's (${wave(rt.manifest)})`;
  const deadlock =
    'Argo CD waits for the service to be healthy before the next wave, and without its runtime it never is, so the runtime is never applied and the sync never completes';
  const app = sharedDeliverer(o, rt, graph);
  if (app) return [{ severity: 'error', message: `${waves} in ${app}: ${deadlock}: give the service a later wave than the runtime` }];
  if (policyWrapped(o, graph)) return [];
  const folder = sharedKustomization(o, rt);
  if (folder)
    return [
      {
        message:
          `${waves}, and the kustomization of ${folder} lists both: if Argo CD syncs this folder (no Application or ApplicationSet of the input does), ` +
          `${deadlock.replace('Argo CD waits', 'it waits')}; give the service a later wave than the runtime`,
      },
    ];
  return [{ message: `${waves}; the service is reconciled without a runtime first: give it a later wave` }];
}

/**
 * The kustomization folder that lists both objects itself: an Application on that folder or on one that includes it
 * would sync both; one on a folder inside it, only what that folder's own kustomization lists, neither object here.
 */
function sharedKustomization(a: GraphObject, b: GraphObject): string | undefined {
  const own = (o: GraphObject) => o.kustomizations?.[o.kustomizations.length - 1];
  const folder = own(a);
  return folder !== undefined && folder === own(b) ? folder : undefined;
}

/**
 * Whether a PolicyGenerator of the tree wraps the object into Policies: its file, or a kustomization that builds it (in
 * any copy of its declaration), lies at or under a path the generator reads.
 */
function policyWrapped(o: GraphObject, graph: ObjectGraph): boolean {
  const paths = graph.builds.flatMap((b) => b.policyGenerated ?? []);
  if (!paths.length) return false;
  const copies = graph.objects.filter((x) => x === o || sameDeclaration(x, o));
  const places = copies.flatMap((x) => [x.file ?? '', ...(x.kustomizations ?? []), ...(x.alsoBuiltBy ?? [])]).filter(Boolean);
  return places.some((place) => paths.some((p) => place === p || place.startsWith(`${p}${path.sep}`)));
}

/** The Application of the tree that delivers both objects (waves order only within one), if any. */
function sharedDeliverer(a: GraphObject, b: GraphObject, graph: ObjectGraph): string | undefined {
  const ofB = new Set(deliverersOf(b, graph));
  const app = deliverersOf(a, graph).find((x) => ofB.has(x));
  return app ? graph.id(app) : undefined;
}
