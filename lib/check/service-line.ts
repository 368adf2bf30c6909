import { Loose, mapping, mappings, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { buildCommandLine, CommandLine, containerPieces, EnvEntry, LinePieces, unreadArgHooks } from './command-line';
import { mainContainerOf } from './llm-pools';
import { llmTemplateData, renderedLlmPieces } from './llm-placeholders';
import { mergeRuntimeContainer, placeholderMeta, renderPlaceholders, replacePlaceholders } from './runtime-merge';
import { ConfigResolver, configFileWords, SourcedWord, VllmArgs } from './vllm-args';
import { predictorModelOf } from './runtime-selection';
import { perRun } from '../private/run-memo';
import { podFileReader } from './config-map-volumes';
import type { FileReader } from './mounted-files';

/** A serving object and what its command line depends on, looked up by the caller. */
export interface ServiceInput {
  readonly manifest: Loose;
  /** The ServingRuntime an InferenceService names, when in the tree. */
  readonly runtime?: Loose;
  /** The namespace the object lands in, when known. */
  readonly namespace?: string;
  /** A ConfigMap of the object's namespace, by name. */
  readonly configMap: (name: string) => Loose | undefined;
}

/** vLLM's command line of a service: the container's words, and vLLM's reading of them. */
export interface ServiceLine {
  readonly line: CommandLine;
  readonly args: VllmArgs;
  /** The env of the serving container as it runs (runtime's and service's merged). */
  readonly env: readonly EnvEntry[];
  /** Env variables of flags that surely never reach vLLM (unreadArgHooks). */
  readonly unreadHooks: readonly EnvEntry[];
}

/** The runtime's kserve-container, the one KServe merges the model container into (MergeServingRuntimeAndInferenceServiceSpecs). */
function runtimeContainer(runtime: Loose | undefined): Loose {
  return mappings(mapping(runtime?.spec).containers).find((c) => c.name === 'kserve-container') ?? {};
}

/** An InferenceService's serving container as it runs: the model container merged into the runtime's, placeholders rendered. */
export function servingContainerOf(s: ServiceInput): Loose | undefined {
  // the graph's serving container and the service's command line both need it: merged once per run
  return perRun('serving-container', [s.manifest, s.runtime, s.namespace], () => mergedServingContainer(s));
}

function mergedServingContainer(s: ServiceInput): Loose | undefined {
  const predictor = mapping(mapping(s.manifest.spec).predictor);
  const model = predictorModelOf(s.manifest)?.spec;
  if (!model) return mappings(predictor.containers).find((c) => c.name === 'kserve-container');
  const merged = mergeRuntimeContainer(runtimeContainer(s.runtime), model);
  return renderPlaceholders({ name: 'kserve-container', ...merged }, placeholderMeta(s.manifest, s.namespace));
}

/** The words of an InferenceService's model container, each labelled with the object that wrote it. */
function modelPieces(s: ServiceInput, merged: Loose): LinePieces {
  const model = predictorModelOf(s.manifest)?.spec ?? {};
  const rc = runtimeContainer(s.runtime);
  const rt = `ServingRuntime '${text(mapping(s.runtime?.metadata).name) ?? ''}'`;
  const label = (list: unknown, from: string): SourcedWord[] => strings(list).map((word) => ({ word, from }));
  const own = new Set(mappings(model.env).map((e) => e.name));
  const meta = placeholderMeta(s.manifest, s.namespace);
  const rendered = (words: SourcedWord[]) => words.map((w) => ({ ...w, word: replacePlaceholders(w.word, meta) }));
  return {
    command: rendered(strings(model.command).length ? label(model.command, "the InferenceService's command") : label(rc.command, `${rt} command`)),
    args: rendered([...label(rc.args, `${rt} args`), ...label(model.args, "the InferenceService's args")]),
    env: mappings(merged.env).map((e) => ({
      name: String(e.name),
      value: typeof e.value === 'string' ? e.value : undefined,
      from: `${own.has(e.name) ? "the InferenceService's" : `${rt}`} env ${String(e.name)}`,
    })),
    image: text(merged.image),
    // the runtime's script, when its command runs one a ConfigMap shows the merged container
    ...filesOf(s, merged),
  };
}

/** The files the ConfigMaps of the service's namespace show its merged serving container (the runtime's volumes and the predictor's). */
function filesOf(s: ServiceInput, container: Loose): { files?: FileReader } {
  const files = podFileReader({ volumes: podOf(s, container).volumes }, container, (name) => [s.configMap(name)].filter((c): c is Loose => c !== undefined));
  return files ? { files } : {};
}

/** The pod volumes and the serving container of a service, for finding a config file it mounts. */
function podOf(s: ServiceInput, container: Loose | undefined): { volumes: Loose[]; mounts: Loose[] } {
  const spec = mapping(s.manifest.spec);
  const volumes =
    s.manifest.kind === 'LLMInferenceService'
      ? mappings(mapping(spec.template).volumes)
      : [...mappings(mapping(s.runtime?.spec).volumes), ...mappings(mapping(spec.predictor).volumes)];
  return { volumes, mounts: mappings(container?.volumeMounts) };
}

/**
 * A `--config` file that a ConfigMap of the tree provides: the file at the path of a volume mount of the container
 * (the mount's directory and a key, with the volume's items mapping keys to paths, or a subPath mount of the file).
 */
function configResolver(s: ServiceInput, container: Loose | undefined): ConfigResolver {
  const { volumes, mounts } = podOf(s, container);
  return (path) => {
    if (!/\.ya?ml$/.test(path)) return undefined; // vLLM refuses other extensions
    for (const mount of mounts) {
      const dir = String(mount.mountPath ?? '').replace(/\/+$/, '');
      const sub = text(mount.subPath);
      const rest = sub ? (path === dir ? sub : undefined) : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
      const cm = mapping(volumes.find((v) => v.name === mount.name)?.configMap);
      if (rest === undefined || !text(cm.name)) continue;
      const key = mappings(cm.items).find((i) => i.path === rest)?.key ?? (mappings(cm.items).length ? undefined : rest);
      const data = mapping(s.configMap(String(cm.name))?.data)[String(key)];
      if (typeof data !== 'string') return undefined;
      const parsed = parseOne(data);
      return 'value' in parsed ? configFileWords(parsed.value) : undefined;
    }
    return undefined;
  };
}

/**
 * vLLM's command line of a service, read from every place that passes it: an InferenceService's runtime command and
 * args then its own args (KServe concatenates them), an LLMInferenceService's main container (KServe's config adds
 * VLLM_ADDITIONAL_ARGS before the args), env hooks a shell or the kubelet expands, and a mounted config file.
 */
export function serviceCommandLine(s: ServiceInput): ServiceLine | undefined {
  let pieces: LinePieces | undefined;
  let container: Loose | undefined;
  if (s.manifest.kind === 'LLMInferenceService') {
    container = mainContainerOf(mapping(s.manifest.spec).template);
    // KServe renders the service's template actions ({{ .Spec.Model.Name }}, {{.Name}}) in the merged spec before the pods run
    pieces = container ? renderedLlmPieces(containerPieces(container, "container 'main'", true), llmTemplateData(s.manifest, s.namespace)) : undefined;
  } else {
    container = servingContainerOf(s);
    const custom = !predictorModelOf(s.manifest);
    pieces = container && (custom ? containerPieces(container, "container 'kserve-container'") : modelPieces(s, container));
  }
  if (!pieces) return undefined;
  const line = buildCommandLine(pieces);
  const args = VllmArgs.of(line.words, configResolver(s, container));
  return { line, args, env: pieces.env, unreadHooks: unreadArgHooks(line, pieces.env, args.invoked) };
}
