import { mapping, text } from '../../manifests/access';
import { apiGroupOf } from '../../k8s/api-version';
import { sameDelivery } from '../applied-together';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/** An HPA's scaleTargetRef as one workload: API group, kind and name (the version does not change the object). */
function targetOf(o: GraphObject): string | undefined {
  const ref = mapping(mapping(o.manifest.spec).scaleTargetRef);
  const kind = text(ref.kind);
  const name = text(ref.name);
  if (!kind || !name) return undefined;
  return `${apiGroupOf(ref.apiVersion ?? '')}/${kind}/${name}`;
}

/**
 * The other HPAs of the namespace with the same target, said on every HPA of the group but the first by name (one
 * finding per shared target): the HPA controller finds the target's pods under several HPAs and scales with none.
 */
function sharedTarget(o: GraphObject, graph: ObjectGraph): Problem[] {
  const target = targetOf(o);
  const ns = graph.namespaceOf(o.manifest);
  // objects that give no namespace land together in the one an apply names: compared as such
  if (!target) return [];
  const group = graph
    .ofKind('HorizontalPodAutoscaler')
    .filter((h) => String(h.manifest.apiVersion ?? '').startsWith('autoscaling/') && graph.namespaceOf(h.manifest) === ns && targetOf(h) === target);
  const name = (h: GraphObject) => text(mapping(h.manifest.metadata).name) ?? '';
  const sorted = [...group].sort((a, b) => name(a).localeCompare(name(b)) || (a.file ?? '').localeCompare(b.file ?? ''));
  // the same HPA read twice (alternative files of one name) replaces itself when applied
  const others = sorted.filter((h) => h !== o && name(h) !== name(o));
  if (!others.length || sorted[0] === o || name(sorted[0]) === name(o)) return [];
  const applied = others.filter((h) => sameDelivery(o, h, graph));
  const [, kind, workload] = target.split('/');
  const consequence = `the HPA controller finds the pods of ${kind} '${workload}' controlled by several HPAs, sets ScalingActive False (AmbiguousSelector: "pods by selector … are controlled by multiple HPAs") on each and scales with none of them`;
  const fix = `keep one HPA for '${workload}' and give it all the metrics (an HPA scales on the largest replica count its metrics ask for)`;
  return [
    {
      ...(applied.length ? {} : { severity: 'warning' as const }),
      message:
        `spec.scaleTargetRef names ${kind} '${workload}', which ${others.map((h) => graph.id(h)).join(', ')} also ${others.length > 1 ? 'scale' : 'scales'}: ${consequence}` +
        (applied.length
          ? ''
          : '; nothing in the tree applies them together (they may be alternatives), but if they are applied together, that is what happens') +
        `; ${fix}`,
    },
  ];
}

export const hpaTargetShared: Rule = {
  id: 'hpa-target-shared',
  title: 'two HorizontalPodAutoscalers scale one workload: the HPA controller scales with neither',
  severity: 'error',
  appliesTo: ['HorizontalPodAutoscaler'],
  premise:
    "two HorizontalPodAutoscalers (autoscaling/v1 or v2) of one namespace have one scaleTargetRef (API group, kind and name), under different names: the HPA controller lists the pods of each HPA's target and refuses to act on pods another HPA also controls; " +
    'an error when one file, kustomize build, Argo CD Application or script delivers both, else a warning (loose files may be alternatives); said once, on each HPA but the first by name. ' +
    "A ScaledObject beside an HPA of the same target is scaled-object-hpa-conflict's",
  example: 'HPAs `name: chat-by-queue` and `name: chat-by-gpu` in one file, both with `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat}`',
  fix: 'keep one HPA per workload and list every metric in it (the HPA takes the largest replica count its metrics propose)',
  source:
    'kubernetes pkg/controller/podautoscaler/horizontal.go validateAndParseSelector (hpasControllingPodsUnderSelector: more than one HPA over the pods sets ScalingActive False, reason AmbiguousSelector, "pods by selector %v are controlled by multiple HPAs", and reconcileAutoscaler stops there) and computeReplicasForMetrics (one HPA takes the largest proposal of its metrics)',
  check(o, { graph }) {
    return sharedTarget(o, graph);
  },
};
