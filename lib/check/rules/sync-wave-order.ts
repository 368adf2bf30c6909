import { finite, mapping, stringMap, text } from '../../manifests/access';
import { Loose } from '../../manifests/access';
import { Rule } from '../rule';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/keys';
import { deliverersOf } from '../argocd/application';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';

const wave = (m: Loose) => finite(stringMap(mapping(m.metadata).annotations)[SYNC_WAVE_ANNOTATION]) ?? 0;

export const syncWaveOrder: Rule = {
  id: 'sync-wave-order',
  title: 'an InferenceService syncs in an earlier Argo CD wave than its ServingRuntime, or a LocalQueue before its ClusterQueue',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LocalQueue'],
  premise:
    "both objects are in the tree (one Argo CD application orders waves only within itself); an error where one Application delivers both, since Argo CD's health of an InferenceService (resource_customizations serving.kserve.io/InferenceService) stays unready without its runtime and the later wave is never applied: an Application of the tree that delivers both, " +
    'or one kustomization that lists both directly (its own folder or a file of it: any Application that syncs one of them syncs the other with it, whether or not the tree holds the Application); a warning otherwise',
  example: '`argocd.argoproj.io/sync-wave: "1"` on the service and `argocd.argoproj.io/sync-wave: "5"` on its runtime',
  fix: 'give the dependent object a later wave',
  source:
    'Argo CD applies lower sync waves first and waits for them to be healthy (gitops-engine pkg/sync/sync_context.go); argo-cd resource_customizations/serving.kserve.io/InferenceService/health.lua reads the service Ready condition',
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService') {
      const rt = graph.runtimeOf(o.manifest);
      if (rt && wave(o.manifest) < wave(rt.manifest)) {
        const app = sharedDeliverer(o, rt, graph) ?? sharedKustomization(o, rt);
        return [
          app
            ? {
                severity: 'error' as const,
                message:
                  `sync wave ${wave(o.manifest)} comes before its runtime's (${wave(rt.manifest)}) in ${app}: Argo CD waits for the service to be healthy before the next wave, ` +
                  'and without its runtime it never is, so the runtime is never applied and the sync never completes: give the service a later wave than the runtime',
              }
            : {
                message: `sync wave ${wave(o.manifest)} comes before its runtime's (${wave(rt.manifest)}); the service is reconciled without a runtime first: give it a later wave`,
              },
        ];
      }
      return [];
    }
    const cq = graph.find('ClusterQueue', text(mapping(o.manifest.spec).clusterQueue));
    if (cq && wave(o.manifest) < wave(cq.manifest)) {
      return [{ message: `sync wave ${wave(o.manifest)} comes before its ClusterQueue's (${wave(cq.manifest)}): give it a later wave` }];
    }
    return [];
  },
};

/**
 * The kustomization that lists both objects itself, as the Application that syncs either (from the tree or not)
 * names it: an Application on that folder or on one that includes it syncs both; one on a folder inside it, only
 * what that folder's own kustomization lists, which is neither object here.
 */
function sharedKustomization(a: GraphObject, b: GraphObject): string | undefined {
  const own = (o: GraphObject) => o.kustomizations?.[o.kustomizations.length - 1];
  const folder = own(a);
  return folder !== undefined && folder === own(b) ? `the one Application that syncs the kustomization of ${folder}` : undefined;
}

/** The Application of the tree that delivers both objects (waves order only within one), if any. */
function sharedDeliverer(a: GraphObject, b: GraphObject, graph: ObjectGraph): string | undefined {
  const ofB = new Set(deliverersOf(b, graph));
  const app = deliverersOf(a, graph).find((x) => ofB.has(x));
  return app ? graph.id(app) : undefined;
}
