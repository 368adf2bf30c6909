import { isMapping, Loose, mapping, stringMap, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { ObjectGraph } from '../graph';
import { perRun } from '../../private/run-memo';
import { placedPods } from '../llm-pools';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** The MIG strategies of NVIDIA's device plugin and GPU feature discovery (k8s-device-plugin api/config/v1 flags.go MigStrategy*). */
type MigStrategy = 'none' | 'single' | 'mixed';
const STRATEGIES: readonly MigStrategy[] = ['none', 'single', 'mixed'];

/** Where the tree states a MIG strategy, in words, and the strategy. */
interface StatedStrategy {
  readonly strategy: MigStrategy;
  readonly where: string;
  /** The script step that sets it, when a script does: a later step of the same script overrides an earlier one. */
  readonly step?: { readonly script: string; readonly line: number };
}

/** The strategies stated, of each script only the last its steps set (the steps run in order). */
function lastOfEachScript(stated: readonly StatedStrategy[]): StatedStrategy[] {
  return stated.filter((s) => !s.step || !stated.some((o) => o.step?.script === s.step!.script && o.step.line > s.step!.line));
}

/** One thing a pod asks of its node that only some MIG strategies produce, and those strategies. */
interface MigAsk {
  readonly what: string;
  readonly producedBy: readonly MigStrategy[];
  readonly why: string;
}

/** The product label GPU feature discovery writes (k8s-device-plugin internal/lm/resource.go). */
const PRODUCT_LABEL = 'nvidia.com/gpu.product';
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
    if (key === PRODUCT_LABEL && /-MIG-/.test(value))
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

/** A stated strategy, if the value is one. */
function strategyOf(value: unknown): MigStrategy | undefined {
  const v = text(value);
  return v !== undefined && (STRATEGIES as readonly string[]).includes(v) ? (v as MigStrategy) : undefined;
}

/**
 * The MIG strategies the tree states for the GPU Operator: ClusterPolicy spec.mig.strategy, the gpu-operator chart's
 * mig.strategy in a Flux HelmRelease or a script's `helm install|upgrade … --set mig.strategy=…`. Without one, the
 * flags.migStrategy of the device-plugin configs of its ConfigMaps (the operator sets MIG_STRATEGY on the plugin,
 * which overrides its config file: k8s-device-plugin api/config/v1 config.go updateFromCLIFlags).
 */
function statedStrategies(graph: ObjectGraph): StatedStrategy[] {
  const operator: StatedStrategy[] = [];
  const push = (value: unknown, where: string, step?: StatedStrategy['step']) => {
    const strategy = strategyOf(value);
    if (strategy) operator.push({ strategy, where, ...(step ? { step } : {}) });
  };
  for (const o of graph.ofKind('ClusterPolicy'))
    push(mapping(mapping(o.manifest.spec).mig).strategy, `ClusterPolicy ${text(mapping(o.manifest.metadata).name) ?? ''} spec.mig.strategy`);
  for (const o of graph.ofKind('HelmRelease')) {
    const spec = mapping(o.manifest.spec);
    if (/gpu-operator/.test(text(mapping(mapping(spec.chart).spec).chart) ?? ''))
      push(mapping(mapping(spec.values).mig).strategy, `HelmRelease ${text(mapping(o.manifest.metadata).name) ?? ''} values mig.strategy`);
  }
  for (const c of graph.helmCommands) {
    if (c.refused || !c.positionals.some((p) => /(^|\/)gpu-operator$/.test(p))) continue;
    for (const s of c.sets)
      if (s.key === 'mig.strategy')
        push(s.value, `${c.script} line ${c.line} (helm ${c.verb} --set mig.strategy=${s.value})`, { script: c.script, line: c.line });
  }
  for (const p of graph.scriptPatches) {
    if (!/^clusterpolic(y|ies)(\.nvidia\.com)?(\/|$)/.test(p.resource)) continue;
    for (const f of p.fields)
      if (f.path === 'spec.mig.strategy')
        push(f.value, `${p.script} line ${p.line} (patch of the ClusterPolicy's spec.mig.strategy)`, { script: p.script, line: p.line });
  }
  if (operator.length) return lastOfEachScript(operator);
  return graph.ofKind('ConfigMap').flatMap((o) =>
    Object.entries(stringMap(o.manifest.data)).flatMap(([key, body]) => {
      if (!/migStrategy/.test(body)) return [];
      const parsed = parseOne(body);
      const strategy = 'value' in parsed && isMapping(parsed.value) ? strategyOf(mapping(parsed.value.flags).migStrategy) : undefined;
      return strategy ? [{ strategy, where: `ConfigMap ${text(mapping(o.manifest.metadata).name) ?? ''} ${key} flags.migStrategy` }] : [];
    }),
  );
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
