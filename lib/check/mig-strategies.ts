import { isMapping, mapping, stringMap, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import type { ObjectGraph } from './graph';
import { renderedWithoutDeliveryValues } from './graph-object';

/** The MIG strategies of NVIDIA's device plugin and GPU feature discovery (k8s-device-plugin api/config/v1 flags.go MigStrategy*). */
export type MigStrategy = 'none' | 'single' | 'mixed';
export const STRATEGIES: readonly MigStrategy[] = ['none', 'single', 'mixed'];

/** Where the tree states a MIG strategy, in words, and the strategy. */
export interface StatedStrategy {
  readonly strategy: MigStrategy;
  readonly where: string;
  /** The script step that sets it, when a script does: a later step of the same script overrides an earlier one. */
  readonly step?: { readonly script: string; readonly line: number };
}

/** The strategies stated, of each script only the last its steps set (the steps run in order). */
function lastOfEachScript(stated: readonly StatedStrategy[]): StatedStrategy[] {
  return stated.filter((s) => !s.step || !stated.some((o) => o.step?.script === s.step!.script && o.step.line > s.step!.line));
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
export function statedStrategies(graph: ObjectGraph): StatedStrategy[] {
  const operator: StatedStrategy[] = [];
  const push = (value: unknown, where: string, step?: StatedStrategy['step']) => {
    const strategy = strategyOf(value);
    if (strategy) operator.push({ strategy, where, ...(step ? { step } : {}) });
  };
  // a ClusterPolicy of a chart rendered with its defaults states the chart's default, not the strategy its release sets
  for (const o of graph.ofKind('ClusterPolicy').filter((x) => !renderedWithoutDeliveryValues(x)))
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
