import { isMapping, Loose, mapping, text } from '../manifests/access';
import { shippedLlmConfigs } from '../platform/llm-configs';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { composeLlmSpec, LlmConfigLayer, LlmConfigLookup } from './llm-config-merge';
import { mainContainerOf } from './llm-pools';
import { Platform } from './platform';

/** One pod template of an LLMInferenceService as the controller renders it, with the presets merged under it. */
export interface MergedLlmPod {
  /** `main` (no prefill pool), `decode` or `prefill`. */
  readonly role: 'main' | 'decode' | 'prefill';
  /** The LeaderWorkerSet leader (or the Deployment's pod), or the workers. */
  readonly node: 'leader' | 'worker';
  /** Where the service writes it: `spec.template`, `spec.worker`, `spec.prefill.template`, `spec.prefill.worker`. */
  readonly path: string;
  /** The merged `main` container. */
  readonly main: Loose;
  /** The merged pod spec, `main` among its containers. */
  readonly pod: Loose;
  /** What set each probe and the command of `main`, in merge order: preset names, and `the service's spec`. */
  readonly setBy: Readonly<Record<'startupProbe' | 'livenessProbe' | 'command', readonly string[]>>;
}

/** The merged pods, or the presets that could not be found (the composition is then not judged). */
export type MergedLlmPods = { readonly pods: readonly MergedLlmPod[] } | { readonly missing: readonly string[] };

/** The service's own spec, as messages name it. */
export const SERVICE_SPEC = "the service's spec";

/**
 * The namespaces KServe's controller reads shipped presets from when the service's own namespace has none
 * (constants.KServeNamespace): `opendatahub` (Open Data Hub), `redhat-ods-applications` (OpenShift AI), `kserve`.
 */
const SYSTEM_NAMESPACES = ['opendatahub', 'redhat-ods-applications', 'kserve'];

/**
 * getConfig: a preset of the tree in the service's namespace first, then one in the controller's namespace, then the
 * platform's shipped preset of that name.
 */
export function presetLookup(graph: ObjectGraph, namespace: string | undefined, platform: Platform): LlmConfigLookup {
  const shipped = shippedLlmConfigs(platform);
  return (name) => {
    const inTree = [namespace, ...SYSTEM_NAMESPACES]
      .map((ns) =>
        ns === undefined
          ? undefined
          : graph.ofKind('LLMInferenceServiceConfig').find((c) => text(c.manifest.metadata?.name) === name && graph.namespaceOf(c.manifest) === ns),
      )
      .find((c) => c !== undefined);
    if (inTree) return { name: `LLMInferenceServiceConfig ${name} (in the tree)`, spec: mapping(inTree.manifest.spec) };
    const preset = shipped?.presets[name];
    return preset ? { name: `LLMInferenceServiceConfig ${name} (shipped with ${platform})`, spec: preset } : undefined;
  };
}

/** The pods of an LLMInferenceService with the platform's presets, its baseRefs and its own spec merged, as KServe merges them. */
export function mergedLlmPods(o: GraphObject, graph: ObjectGraph, platform: Platform): MergedLlmPods {
  const spec = mapping(o.manifest.spec);
  const composed = composeLlmSpec(spec, presetLookup(graph, graph.namespaceOf(o.manifest), platform));
  if (composed.missing.length) return { missing: composed.missing };
  const layers: LlmConfigLayer[] = [...composed.layers, { name: SERVICE_SPEC, spec }];
  const merged = composed.spec;
  const prefill = isMapping(merged.prefill);
  const pools: [MergedLlmPod['role'], string[]][] = prefill
    ? [
        ['decode', []],
        ['prefill', ['prefill']],
      ]
    : [['main', []]];
  const pods: MergedLlmPod[] = [];
  for (const [role, at] of pools) {
    for (const node of ['leader', 'worker'] as const) {
      const field = node === 'leader' ? 'template' : 'worker';
      const fields = [...at, field];
      const pod = mapping(dig(merged, fields));
      const main = mainContainerOf(pod);
      if (!main) continue;
      const setBy = (field: keyof MergedLlmPod['setBy']) =>
        layers
          .filter((l) => {
            const value = mainContainerOf(dig(l.spec, fields))?.[field];
            return Array.isArray(value) ? value.length > 0 : Object.keys(mapping(value)).length > 0;
          })
          .map((l) => l.name);
      pods.push({
        role,
        node,
        path: ['spec', ...fields].join('.'),
        main,
        pod,
        setBy: { startupProbe: setBy('startupProbe'), livenessProbe: setBy('livenessProbe'), command: setBy('command') },
      });
    }
  }
  return { pods };
}

function dig(v: unknown, fields: readonly string[]): unknown {
  return fields.reduce((acc: unknown, f) => mapping(acc)[f], v);
}

/** How a message names a merged pod: `the prefill worker pods (spec.prefill.worker)`. */
export function mergedPodLabel(p: MergedLlmPod, multiNode: boolean): string {
  const who = [p.role === 'main' ? '' : p.role, multiNode ? p.node : ''].filter(Boolean).join(' ');
  return `the ${who ? `${who} ` : ''}pods (${p.path})`;
}
