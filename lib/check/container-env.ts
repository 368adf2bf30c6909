import { Loose, mapping, mappings, text } from '../manifests/access';
import { ObjectGraph } from './graph';

/** A variable an envFrom source gives a container: its value when the tree shows it, and the source, for messages. */
export interface EnvFromEntry {
  readonly value?: string;
  /** `ConfigMap vllm-config`, `Secret hf (prefix HF_)`. */
  readonly source: string;
}

/** The variables a container's envFrom sources give it, as far as the tree shows their keys. */
export interface EnvFromView {
  /** Each variable by its name in the container (the source's prefix prepended), the later source winning. */
  readonly entries: ReadonlyMap<string, EnvFromEntry>;
  /** The sources the tree does not hold (`ConfigMap app-env`): they may set any variable. */
  readonly unknown: readonly string[];
}

/** The keys and values of a ConfigMap or Secret of the tree as envFrom reads them, or undefined when the tree does not hold it. */
function sourceValues(
  graph: ObjectGraph,
  kind: 'ConfigMap' | 'Secret',
  name: string | undefined,
  ns: string | undefined,
): Map<string, string | undefined> | undefined {
  const o = name === undefined ? undefined : graph.find(kind, name, ns);
  if (o) {
    const values = new Map<string, string | undefined>();
    // the kubelet reads a ConfigMap's data only (binaryData gives no variable)
    for (const [k, v] of Object.entries(mapping(o.manifest.data))) values.set(k, kind === 'Secret' ? decoded(v) : text(v));
    // the API server merges a Secret's stringData over its data
    if (kind === 'Secret') for (const [k, v] of Object.entries(mapping(o.manifest.stringData))) values.set(k, text(v));
    return values;
  }
  const made = kind === 'Secret' && name !== undefined ? graph.scriptSecretKeys(name, ns) : undefined;
  return made ? new Map([...made.keys].map((k) => [k, undefined])) : undefined;
}

/** A Secret's data value decoded from base64, or undefined when it is not a string. */
function decoded(v: unknown): string | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/**
 * What a container's envFrom gives it, in the kubelet's order: each ConfigMap's data and each Secret's data, in the
 * order listed, every key with the entry's prefix, a later source overriding an earlier one; the container's env
 * entries then override them all, and the Services' link variables are added only under names still unset
 * (kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables).
 */
export function envFromView(graph: ObjectGraph, container: Loose, ns: string | undefined): EnvFromView {
  const entries = new Map<string, EnvFromEntry>();
  const unknown: string[] = [];
  for (const from of mappings(container.envFrom)) {
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const name = text(mapping(from.configMapRef ?? from.secretRef).name);
    const prefix = text(from.prefix) ?? '';
    const source = `${kind} ${name ?? '<unnamed>'}${prefix ? ` (prefix ${prefix})` : ''}`;
    const values = sourceValues(graph, kind, name, ns);
    if (!values) unknown.push(source);
    for (const [k, value] of values ?? []) entries.set(`${prefix}${k}`, { ...(value === undefined ? {} : { value }), source });
  }
  return { entries, unknown };
}

/**
 * Whether a container's env or envFrom sets a variable: `set` (naming where), `unknown` when only an envFrom source
 * the tree does not hold may set it (naming those sources), `unset` when the tree shows it is set nowhere.
 */
export function envSetting(
  graph: ObjectGraph,
  container: Loose,
  ns: string | undefined,
  name: string,
): { readonly state: 'set'; readonly by: string } | { readonly state: 'unknown'; readonly sources: readonly string[] } | { readonly state: 'unset' } {
  if (mappings(container.env).some((e) => text(e.name) === name)) return { state: 'set', by: 'env' };
  const view = envFromView(graph, container, ns);
  const given = view.entries.get(name);
  if (given) return { state: 'set', by: given.source };
  return view.unknown.length ? { state: 'unknown', sources: view.unknown } : { state: 'unset' };
}
