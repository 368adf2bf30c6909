import { Loose, mapping, stringMap } from '../../manifests/access';
import { MigStrategy, StatedStrategy, statedStrategies, STRATEGIES } from '../mig-strategies';
import { perRun } from '../../private/run-memo';
import { placedPods } from '../llm-pools';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { GFD_PRODUCT_LABEL } from '../../k8s/keys';

/** One thing a pod asks of its node that only some MIG strategies produce, and those strategies. */
interface MigAsk {
  readonly what: string;
  readonly producedBy: readonly MigStrategy[];
  readonly why: string;
}

/** A MIG slice's profile (`1g.5gb`, `1c.2g.20gb`, `1g.10gb+me`), as the device plugin names it. */
const PROFILE = String.raw`(?:\d+c\.)?\d+g\.\d+gb(?:\+[a-z]+)?`;
/** The resource a MIG slice is under `mixed` (renamed `.shared` by time-slicing's renameByDefault). */
const MIG_RESOURCE = new RegExp(String.raw`^nvidia\.com/mig-${PROFILE}(?:\.shared)?$`);
/** The labels GFD writes per MIG profile under `mixed` (`nvidia.com/mig-1g.5gb.count`, `.memory`, …). */
const MIG_PROFILE_LABEL = new RegExp(String.raw`^nvidia\.com/mig-${PROFILE}\.[a-z.]+$`);

/**
 * What the pod asks that depends on the MIG strategy: under `mixed` the device plugin advertises each slice as
 * nvidia.com/mig-<profile> and GFD labels nvidia.com/mig-<profile>.count, leaving gpu.product the whole GPU's name;
 * under `single` slices are nvidia.com/gpu and gpu.product gets the `-MIG-<profile>` suffix; under `none` neither
 * (k8s-device-plugin internal/rm/device_map.go, internal/lm/resource.go; docs "MIG strategies").
 */
function migAsks(m: Loose): MigAsk[] {
  const spec = mapping(podSpecOf(m));
  const selector = stringMap(spec.nodeSelector);
  const out: MigAsk[] = [];
  for (const [key, value] of Object.entries(selector)) {
    if (key === GFD_PRODUCT_LABEL && /-MIG-/.test(value))
      out.push({
        what: `nodeSelector ${key}: ${value}`,
        producedBy: ['single'],
        why: 'GPU feature discovery adds the -MIG-<profile> suffix to the product only under the single strategy',
      });
    else if (MIG_PROFILE_LABEL.test(key))
      out.push({ what: `nodeSelector ${key}`, producedBy: ['mixed'], why: 'GPU feature discovery writes per-profile labels only under the mixed strategy' });
    else if (key === 'nvidia.com/mig.strategy' && (STRATEGIES as readonly string[]).includes(value))
      out.push({ what: `nodeSelector ${key}: ${value}`, producedBy: [value as MigStrategy], why: 'GPU feature discovery labels the strategy it runs with' });
  }
  for (const { name, container } of containersOf(m)) {
    const r = mapping(container.resources);
    for (const resource of Object.keys({ ...mapping(r.limits), ...mapping(r.requests) }))
      if (MIG_RESOURCE.test(resource))
        out.push({
          what: `container '${name}' resource ${resource}`,
          producedBy: ['mixed'],
          why: 'the device plugin advertises MIG slices as nvidia.com/mig-<profile> only under the mixed strategy (under single they are nvidia.com/gpu)',
        });
  }
  return out;
}

export const migStrategyMismatch: Rule = {
  id: 'mig-strategy-mismatch',
  title: 'a pod selects a GPU label or asks for a MIG resource that the MIG strategy the tree sets never produces: it stays Pending',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a pod template that selects (nodeSelector) nvidia.com/gpu.product with a -MIG- suffix, a per-profile label nvidia.com/mig-<profile>.*, or nvidia.com/mig.strategy, or asks for a nvidia.com/mig-<profile> resource; judged against the MIG strategies the tree states for the GPU Operator (ClusterPolicy spec.mig.strategy, a Flux HelmRelease's or a script's `helm install|upgrade … --set mig.strategy=` of the gpu-operator chart), else against its device-plugin configs' flags.migStrategy: an error when no stated strategy produces what the pod asks (or the pod asks for what no one strategy produces), a warning when the tree states several and only some produce it (which one the cluster runs depends on which step ran last)",
  example: '`nvidia.com/gpu.product: NVIDIA-A100-PCIE-40GB-MIG-1g.5gb` selected by a Deployment, with an install script running `--set mig.strategy=mixed`',
  fix: 'ask for what the strategy produces: under mixed, a nvidia.com/mig-<profile> resource (and select the whole GPU product or nvidia.com/mig-<profile>.count); under single, nvidia.com/gpu with the -MIG-<profile> product; or change the strategy',
  source:
    'NVIDIA k8s-device-plugin docs "MIG support" and gpu-feature-discovery "Generated Labels" (internal/lm/resource.go: the single strategy suffixes gpu.product with -MIG-<profile>, mixed writes nvidia.com/mig-<profile>.* labels; internal/rm: mixed advertises nvidia.com/mig-<profile>, single nvidia.com/gpu); the scheduler leaves a pod whose selector or resources no node offers Pending',
  check(o, { graph }) {
    const stated = perRun('mig-strategies', [graph], () => statedStrategies(graph));
    return placedPods(o.manifest).flatMap(({ manifest, label }) => mismatches(manifest, stated).map((p) => ({ ...p, message: `${label}${p.message}` })));
  },
};

function mismatches(m: Loose, stated: readonly StatedStrategy[]): Problem[] {
  const asks = migAsks(m);
  if (!asks.length) return [];
  const possible = STRATEGIES.filter((s) => asks.every((a) => a.producedBy.includes(s)));
  if (!possible.length)
    return [
      {
        message: `${asks.map((a) => a.what).join(' and ')} exist under no one MIG strategy (${asks.map((a) => `${a.what}: ${a.producedBy.join('/')}`).join('; ')}): no node offers both, and the pod stays Pending`,
      },
    ];
  if (!stated.length) return [];
  const fitting = stated.filter((s) => possible.includes(s.strategy));
  if (fitting.length === stated.length) return [];
  const against = stated.filter((s) => !possible.includes(s.strategy));
  const ask = asks.find((a) => against.some((s) => !a.producedBy.includes(s.strategy)))!;
  const named = (list: readonly StatedStrategy[]) => list.map((s) => `${s.strategy} (${s.where})`).join(', ');
  return [
    {
      ...(fitting.length ? { severity: 'warning' as const } : {}),
      message:
        `${ask.what} exists only under the MIG strategy ${ask.producedBy.join('/')} (${ask.why}), but the tree sets ${named(against)}: ` +
        `there no node matches and the pod stays Pending` +
        (fitting.length ? `; the tree also sets ${named(fitting)}, and which one the cluster runs depends on which step ran last` : '') +
        '; ask for what the strategy produces, or change the strategy',
    },
  ];
}
