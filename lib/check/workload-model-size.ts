import { checkpointSizeOfName } from '../catalog/model-families';
import { Loose, mapping, mappings, stringMap, text } from '../manifests/access';
import { parseQuantity } from '../private/quantity';
import { ObjectGraph } from './graph';
import { podSpecHolding, ContainerLine } from './workload-lines';
import { VllmArgs } from './vllm-args';

/** The least size a checkpoint's name tells, and what the size assumed. */
export interface NamedWeights {
  readonly model: string;
  readonly parameters: number;
  readonly bits: number;
  readonly bytes: number;
  /** What was assumed of the bits: the suffix of the name, the --quantization flag, or BF16 for a name with none. */
  readonly assumed: string;
}

/**
 * Bits per weight an online --quantization method stores (vLLM model_executor/layers/quantization: the 4-bit
 * methods pack int4 or fp4, fp8 stores one byte); a method not listed leaves the size unknown.
 */
const QUANTIZATION_BITS: Readonly<Record<string, number>> = {
  awq: 4,
  awq_marlin: 4,
  gptq: 4,
  gptq_marlin: 4,
  bitsandbytes: 4,
  mxfp4: 4,
  fp8: 8,
  fbgemm_fp8: 8,
};

/**
 * The model a vLLM container serves, with `$(VAR)` filled from a literal env value or a ConfigMap key of the tree
 * (kustomize keeps the reference in step with a generated ConfigMap's hashed name); undefined when not known.
 */
export function servedModelOf(c: ContainerLine, args: VllmArgs, graph: ObjectGraph, namespace: string | undefined): string | undefined {
  const written = args.model();
  if (written === undefined) return undefined;
  const variable = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(written.trim());
  if (!variable) return args.unknown('--model') || /[$<{]/.test(written) ? undefined : written;
  // the last entry of a name wins (the kubelet's env order)
  const entry = [...mappings(c.container.env)].reverse().find((e) => e.name === variable[1]);
  if (!entry) return undefined;
  if (typeof entry.value === 'string') return /[$<{]/.test(entry.value) ? undefined : entry.value;
  const ref = mapping(mapping(entry.valueFrom).configMapKeyRef);
  const map = graph.find('ConfigMap', ref.name, namespace);
  const value = map ? stringMap(map.manifest.data)[String(ref.key)] : undefined;
  return value && !/[$<{]/.test(value) ? value.trim() : undefined;
}

/**
 * The least the weights of `model` take: the parameters its name spells at the bits its name or --quantization
 * states (the fewer), else 16 (the least any loader reads a checkpoint with no quantization suffix at: BF16/FP16).
 */
export function namedWeightsOf(model: string, args: VllmArgs): NamedWeights | undefined {
  const size = checkpointSizeOfName(model);
  if (!size) return undefined;
  const method = args.value('--quantization');
  if (args.unknown('--quantization')) return undefined;
  const flagBits = method === undefined ? undefined : QUANTIZATION_BITS[method.toLowerCase()];
  if (method !== undefined && flagBits === undefined) return undefined;
  const bits = Math.min(size.bits, flagBits ?? 16);
  const assumed =
    flagBits !== undefined && flagBits < size.bits
      ? `${bits} bits by --quantization ${method}`
      : size.bits < 16
        ? `${bits} bits by its quantization suffix`
        : '16 bits, BF16, as its name states no quantization';
  return { model, parameters: size.parameters, bits, bytes: (size.parameters * bits) / 8, assumed };
}

/**
 * Where vLLM downloads a Hugging Face model: --download-dir, else the hub cache of huggingface_hub
 * (huggingface_hub/constants.py: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub,
 * ~/.cache/huggingface/hub); `~` stays when HOME is not set on the container.
 */
export function downloadLocationOf(c: ContainerLine, args: VllmArgs): string | undefined {
  if (args.unknown('--download-dir')) return undefined;
  const dir = args.value('--download-dir');
  if (dir) return dir;
  const env = new Map(mappings(c.container.env).map((e) => [String(e.name), typeof e.value === 'string' ? e.value : undefined] as const));
  const set = (name: string) => (env.has(name) ? (env.get(name) ?? null) : undefined);
  for (const [name, suffix] of [
    ['HF_HUB_CACHE', ''],
    ['HUGGINGFACE_HUB_CACHE', ''],
    ['HF_HOME', '/hub'],
    ['XDG_CACHE_HOME', '/huggingface/hub'],
    ['HOME', '/.cache/huggingface/hub'],
  ] as const) {
    const v = set(name);
    if (v === null || (v && v.includes('$'))) return undefined; // from a reference not read here
    if (v) return `${v.replace(/\/+$/, '')}${suffix}`;
  }
  return '~/.cache/huggingface/hub';
}

/** The volume mounted where `location` lies (the deepest mount that holds it), and its size when the tree states one. */
export function volumeHolding(
  m: Loose,
  c: ContainerLine,
  location: string,
  graph: ObjectGraph,
): { volume: string; mountPath: string; size: string; bytes: number; kind: string } | undefined {
  const holds = (mountPath: string) => {
    const p = mountPath.replace(/\/+$/, '');
    if (location.startsWith('~')) {
      // HOME unknown: a mount at <anything>/.cache[/huggingface[/hub]] holds the default cache
      const at = p.lastIndexOf('/.cache');
      return at >= 0 && location.startsWith(`~${p.slice(at)}`) && (location.length === p.length - at + 1 || location[p.length - at + 1] === '/');
    }
    return location === p || location.startsWith(`${p}/`);
  };
  const mount = mappings(c.container.volumeMounts)
    .filter((v) => typeof v.mountPath === 'string' && typeof v.name === 'string' && holds(v.mountPath) && !v.subPath)
    .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
  if (!mount) return undefined;
  const name = String(mount.name);
  const volume = mappings(mapping(podSpecHolding(m, c.container)).volumes).find((v) => v.name === name);
  const sized = volume ? sizeOfVolume(volume, m, graph) : sizeOfClaimTemplate(m, name);
  return sized && { volume: name, mountPath: String(mount.mountPath), ...sized };
}

function sizeOfVolume(volume: Loose, m: Loose, graph: ObjectGraph): { size: string; bytes: number; kind: string } | undefined {
  if (volume.emptyDir !== undefined) return sized(mapping(volume.emptyDir).sizeLimit, 'emptyDir sizeLimit');
  const claim = text(mapping(volume.persistentVolumeClaim).claimName);
  const pvc = claim ? graph.find('PersistentVolumeClaim', claim, graph.namespaceOf(m)) : undefined;
  return pvc ? sized(mapping(mapping(mapping(pvc.manifest.spec).resources).requests).storage, `PersistentVolumeClaim ${claim}`) : undefined;
}

function sizeOfClaimTemplate(m: Loose, name: string): { size: string; bytes: number; kind: string } | undefined {
  const t = mappings(mapping(m.spec).volumeClaimTemplates).find((v) => text(mapping(v.metadata).name) === name);
  return t ? sized(mapping(mapping(mapping(t.spec).resources).requests).storage, `volumeClaimTemplate ${name}`) : undefined;
}

function sized(value: unknown, kind: string): { size: string; bytes: number; kind: string } | undefined {
  const bytes = parseQuantity(value);
  return bytes === undefined || bytes <= 0 ? undefined : { size: String(value), bytes, kind };
}
