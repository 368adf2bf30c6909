import { Loose, mapping } from '../manifests/access';
import { podSpecOf } from './pods';
import { MULTI_POD_KINDS, podTemplatesOf } from './pod-templates';

/**
 * The pod specs of a workload, each with the prefix its containers are named with: the one pod spec of a Deployment,
 * Pod, Job … (an InferenceService's predictor), or each pod template of a kind that runs several (`spec.workerGroupSpecs[0].template `).
 */
export function podSpecsWithPrefix(m: Loose): { prefix: string; spec: Loose }[] {
  if (MULTI_POD_KINDS.includes(String(m.kind))) return podTemplatesOf(m).map((t) => ({ prefix: `${t.path} `, spec: mapping(t.template.spec) }));
  const spec = podSpecOf(m);
  return spec ? [{ prefix: '', spec }] : [];
}
