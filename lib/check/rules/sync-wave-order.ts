import { finite, mapping, stringMap, text } from '../../manifests/access';
import { Loose } from '../../manifests/access';
import { Rule } from '../rule';
import { SYNC_WAVE_ANNOTATION } from '../../k8s/keys';

const wave = (m: Loose) => finite(stringMap(mapping(m.metadata).annotations)[SYNC_WAVE_ANNOTATION]) ?? 0;

export const syncWaveOrder: Rule = {
  id: 'sync-wave-order',
  title: 'an InferenceService syncs in an earlier Argo CD wave than its ServingRuntime, or a LocalQueue before its ClusterQueue',
  severity: 'warning',
  appliesTo: ['InferenceService', 'LocalQueue'],
  premise: 'both objects are in the tree (one Argo CD application orders waves only within itself)',
  example: '`argocd.argoproj.io/sync-wave: "1"` on the service and `argocd.argoproj.io/sync-wave: "5"` on its runtime',
  fix: 'give the dependent object a later wave',
  source: 'Argo CD applies lower sync waves first and waits for them to be healthy',
  check(o, { graph }) {
    if (o.manifest.kind === 'InferenceService') {
      const rt = graph.runtimeOf(o.manifest);
      if (rt && wave(o.manifest) < wave(rt.manifest)) {
        return [
          {
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
