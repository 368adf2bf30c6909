import { finite, mapping, stringMap, text } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { deliverersOf } from '../argocd/application';
import { Rule } from '../rule';
import { QUEUE_LABEL, SYNC_WAVE_ANNOTATION } from '../../k8s/keys';

export const argocdSyncOrder: Rule = {
  id: 'argocd-sync-order',
  title: 'an Argo CD Application syncs no later than the Application that delivers the cluster objects it needs',
  severity: 'warning',
  appliesTo: ['Application'],
  premise:
    'both Applications, a parent Application that delivers both (waves order only the children of one app-of-apps) and what they deliver are in the checked input',
  example:
    'the serving app in `argocd.argoproj.io/sync-wave: "0"` and the app with its ClusterQueue in `argocd.argoproj.io/sync-wave: "1"`, children of one parent Application',
  fix: 'give the app with the cluster prerequisites an earlier sync wave',
  source: 'Argo CD applies lower waves first; a LocalQueue or InferenceService synced before its ClusterQueue, flavor or runtime stays unready',
  check(o, { graph }) {
    const wave = (m: Record<string, unknown>) => finite(stringMap(mapping(m.metadata).annotations)[SYNC_WAVE_ANNOTATION]) ?? 0;
    const mine = placedSources(graph, o).flatMap((s) => s.objects);
    // what its objects need from elsewhere: the ClusterQueues of its LocalQueues, the LocalQueues its workloads name
    const needs = new Set<string>([
      ...mine.filter((x) => x.manifest.kind === 'LocalQueue').map((x) => `ClusterQueue/${text(mapping(x.manifest.spec).clusterQueue) ?? ''}`),
      ...mine
        .map((x) => stringMap(mapping(x.manifest.metadata).labels)[QUEUE_LABEL])
        .filter(Boolean)
        .map((q) => `LocalQueue/${q}`),
    ]);
    if (!needs.size) return [];
    const out = [];
    const parents = deliverersOf(o, graph);
    for (const other of graph.ofKind('Application')) {
      // outside one parent's sync, waves on Applications order nothing (argocd-wave-ignored says so)
      if (other === o || !deliverersOf(other, graph).some((p) => parents.includes(p))) continue;
      const provides = placedSources(graph, other)
        .flatMap((s) => s.objects)
        .some((x) => needs.has(`${String(x.manifest.kind)}/${text(mapping(x.manifest.metadata).name) ?? ''}`));
      if (provides && wave(other.manifest) >= wave(o.manifest)) {
        out.push({
          message: `syncs in wave ${wave(o.manifest)}, no later than Application '${text(mapping(other.manifest.metadata).name) ?? ''}' (wave ${wave(other.manifest)}) that delivers the Kueue queues its objects need: give that app an earlier wave`,
        });
      }
    }
    return out;
  },
};
