import { mapping, mappings, stringMap, text } from '../../manifests/access';
import { HARDWARE_PROFILE_ANNOTATION } from '../../k8s/keys';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { placedPods } from '../llm-pools';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { statedTaints } from '../stated-taints';
import { close } from './service-selector-unmatched';

/** A toleration `{key, operator: Equal, value, effect: NoSchedule}` of a workload's pod. */
interface EqualToleration {
  readonly o: GraphObject;
  readonly key: string;
  readonly value: string;
  readonly label: string;
}

const NO_SCHEDULE = 'NoSchedule';

/** A taint value that only flags the node (`nvidia.com/gpu=true`), as against one naming a pool or a GPU type. */
const FLAG_VALUE = /^(true|yes|present|enabled|on|1)$/i;

/** The NoSchedule tolerations with operator Equal (the default) of an object's pods, each with its pod's label. */
function equalTolerations(o: GraphObject): EqualToleration[] {
  if (stringMap(mapping(o.manifest.metadata).annotations)[HARDWARE_PROFILE_ANNOTATION]) return [];
  return placedPods(o.manifest).flatMap(({ manifest, label }) =>
    mappings(mapping(podSpecOf(manifest)).tolerations).flatMap((t) => {
      const key = text(t.key);
      if (!key || (text(t.operator) ?? 'Equal') !== 'Equal' || text(t.effect) !== NO_SCHEDULE) return [];
      return [{ o, key, value: text(t.value) ?? '', label }];
    }),
  );
}

/** Whether two declarations are one object (kind, namespace and name): a base built by two roots, an overlay's copy. */
function sameObject(a: GraphObject, b: GraphObject, graph: ObjectGraph): boolean {
  return graph.id(a) === graph.id(b);
}

/** The toleration of the pod that lets it onto nodes tainted with `key` and `value` anyway: Exists, or that value. */
function toleratesAlso(o: GraphObject, key: string, values: readonly string[]): boolean {
  return placedPods(o.manifest).some(({ manifest }) =>
    mappings(mapping(podSpecOf(manifest)).tolerations).some(
      (t) =>
        text(t.key) === key && (text(t.operator) === 'Exists' || values.includes(text(t.value) ?? '')) && [undefined, NO_SCHEDULE].includes(text(t.effect)),
    ),
  );
}

/** Every workload's Equal NoSchedule tolerations by key, read once per check run (the rule compares each with all). */
function tolerationsByKey(graph: ObjectGraph): ReadonlyMap<string, readonly EqualToleration[]> {
  return graph.once('toleration-value-odd:by-key', () => {
    const byKey = new Map<string, EqualToleration[]>();
    for (const t of WORKLOAD_KINDS.flatMap((k) => graph.ofKind(k)).flatMap(equalTolerations)) {
      const same = byKey.get(t.key) ?? [];
      same.push(t);
      byKey.set(t.key, same);
    }
    return byKey;
  });
}

function oddOne(x: EqualToleration, graph: ObjectGraph): Problem[] {
  const all = tolerationsByKey(graph).get(x.key) ?? [];
  // the common case first: another workload tolerates the same value, so this one is not odd
  if (all.some((t) => t.value === x.value && !sameObject(t.o, x.o, graph))) return [];
  const others = all.filter((t) => !sameObject(t.o, x.o, graph));
  if (new Set(others.map((t) => graph.id(t.o))).size < 2) return [];
  const values = [...new Set(others.map((t) => t.value))].sort();
  // the odd one out: a flag value (true, yes) where the others name the nodes' pool or type (l4-gpu, NVIDIA-A10G-SHARED);
  // two pool names that differ are two pools, each tolerated on purpose
  if (!FLAG_VALUE.test(x.value) || values.some((v) => FLAG_VALUE.test(v) || close(v, x.value))) return [];
  if (toleratesAlso(x.o, x.key, values)) return [];
  const stated = statedTaints(graph).filter((s) => s.taint.key === x.key && s.taint.effect === NO_SCHEDULE);
  if (stated.some((s) => s.taint.value === x.value || s.taint.value === '*')) return [];
  const siblings = values.map((v) => `${v || '""'} (${[...new Set(others.filter((t) => t.value === v).map((t) => graph.id(t.o)))].slice(0, 2).join(', ')})`);
  const taints = stated.length
    ? `; the taints the tree states carry ${[...new Set(stated.map((s) => `${x.key}=${s.taint.value ?? ''}`))].join(', ')} (${stated.map((s) => s.where).join(', ')})`
    : ', and no taint the tree states (MachineSets, node pools, `kubectl taint`) carries it';
  return [
    {
      message:
        `${x.label}tolerates ${x.key}=${x.value}:NoSchedule (operator Equal) while every other workload of the tree that tolerates ${x.key}:NoSchedule gives another value: ${siblings.join(', ')}${taints}. ` +
        `On nodes tainted as those workloads expect, a toleration of another value does not match and the pods stay Pending ("node(s) had untolerated taint"); ` +
        `tolerate the key with operator Exists, or write the value the nodes' taint carries`,
    },
  ];
}

export const tolerationValueOdd: Rule = {
  id: 'toleration-value-odd',
  title:
    "a toleration gives a flag value (true) for a taint key every other workload of the tree tolerates with the nodes' pool names: the pods may find no node",
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a pod's NoSchedule toleration with operator Equal (the default) for a key whose other NoSchedule Equal tolerations in the tree (other workloads: Deployments, InferenceServices, …) (of two workloads or more) all give other values: this one a flag value (true, yes, present, enabled, on, 1; any case), theirs names of node pools or types (none a flag value, none close to this one), where the pod has no other toleration (Exists, or one of those values) for the key and no taint the tree states (MachineSet, eksctl node group, Karpenter NodePool, Kueue ResourceFlavor nodeTaints, a script's `kubectl taint nodes` or `oc adm taint nodes`) carries its value; a warning, as the nodes' taints are not in the tree (taint-not-tolerated is the error where the pod selects MachineSets of the tree)",
  example:
    "`tolerations: [{key: nvidia.com/gpu, operator: Equal, value: 'True', effect: NoSchedule}]` while the other InferenceServices tolerate nvidia.com/gpu with values l4-gpu and l40-gpu",
  fix: 'tolerate the key with operator Exists, or write the value the nodes are tainted with',
  source:
    'kube-scheduler TaintToleration plugin and core/v1 Toleration.ToleratesTaint: an Equal toleration matches a taint of the same key, value and effect only; k8s.io/kubectl pkg/cmd/taint for the `key=value:Effect` syntax',
  check(o, { graph }) {
    return equalTolerations(o).flatMap((x) => oddOne(x, graph));
  },
};
