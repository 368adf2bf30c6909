import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { envFromView } from '../container-env';
import type { ObjectGraph } from '../graph';
import { mountedFilesOf } from '../mounted-files';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { templateContainers } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/**
 * The inference extension's LoRA syncer: its image (gateway-api-inference-extension tools/dynamic-lora-sidecar, built
 * as lora-syncer), or its program sidecar.py run with the variable that names its configuration.
 */
const SYNCER_IMAGE = /(^|\/)(lora-syncer|dynamic-lora-sidecar)([:@]|$)/;
const SYNCER_PROGRAM = /(^|\/)sidecar\.py$/;
/** Where the syncer reads its configuration (sidecar.py CONFIG_MAP_FILE: DYNAMIC_LORA_ROLLOUT_CONFIG, else this path; --config overrides). */
const CONFIG_ENV = 'DYNAMIC_LORA_ROLLOUT_CONFIG';
const DEFAULT_CONFIG = '/config/configmap.yaml';
/** The variable that makes vLLM's API server register /v1/load_lora_adapter (vllm/envs.py: "1" or "true", any case). */
const RUNTIME_LORA = 'VLLM_ALLOW_RUNTIME_LORA_UPDATING';
/** The addresses of the pod itself: the syncer's default host is localhost (sidecar.py LoraReconciler.host). */
const OWN_HOSTS = ['localhost', '127.0.0.1', '::1', '0.0.0.0'];

function isSyncer(c: Loose): boolean {
  if (SYNCER_IMAGE.test(text(c.image) ?? '')) return true;
  const words = [...strings(c.command), ...strings(c.args)].flatMap((w) => w.split(/\s+/));
  return words.some((w) => SYNCER_PROGRAM.test(w)) && mappings(c.env).some((e) => e.name === CONFIG_ENV);
}

/** What the syncer's configuration file tells, where a ConfigMap of the tree shows it: the server it loads into and the adapters. */
interface SyncerConfig {
  readonly host: string;
  readonly port: string;
  readonly adapters: readonly string[];
  readonly from?: string;
}

function syncerConfig(c: Loose): SyncerConfig {
  const words = [...strings(c.command), ...strings(c.args)];
  const flag = words.findIndex((w) => w === '--config' || w.startsWith('--config='));
  const given = flag < 0 ? undefined : words[flag].includes('=') ? words[flag].slice('--config='.length) : words[flag + 1];
  const path = given ?? text(mappings(c.env).find((e) => e.name === CONFIG_ENV)?.value) ?? DEFAULT_CONFIG;
  const file = mountedFilesOf(c)?.(path);
  const parsed = file ? parseOne(file.text) : undefined;
  const config = mapping(mapping(parsed && 'value' in parsed ? parsed.value : undefined).vLLMLoRAConfig);
  return {
    host: text(config.host) ?? 'localhost',
    port: String(config.port ?? '8000'),
    adapters: mappings(mapping(config.ensureExist).models).flatMap((m) => text(m.id) ?? []),
    ...(file ? { from: file.from } : {}),
  };
}

/** The containers of each pod a workload runs (its own, and each of its pod templates'), init containers included. */
function podsOf(m: Loose): { where: string; container: Loose }[][] {
  const own = containersOf(m).map((c) => ({ where: `${c.init ? 'init container' : 'container'} '${c.name}'`, container: c.container }));
  const templates = new Map<string, { where: string; container: Loose }[]>();
  for (const c of templateContainers(m)) {
    const key = c.where.slice(0, c.where.lastIndexOf(c.init ? ' init container ' : ' container '));
    templates.set(key, [...(templates.get(key) ?? []), { where: c.where, container: c.container }]);
  }
  return [own, ...templates.values()].filter((p) => p.length);
}

/** How vLLM's container sets the variable: `on`, `unset`, a value that is off, or undefined where the tree does not tell. */
function runtimeLoading(graph: ObjectGraph, line: ContainerLine, ns: string | undefined): 'on' | 'unset' | { off: string } | undefined {
  // a script may export it before it starts vLLM
  if ([...strings(line.container.command), ...strings(line.container.args)].some((w) => w.includes(RUNTIME_LORA))) return undefined;
  const own = mappings(line.container.env).find((e) => e.name === RUNTIME_LORA);
  const view = own ? undefined : envFromView(graph, line.container, ns);
  const from = own ? { value: typeof own.value === 'string' ? own.value : undefined, valueFrom: own.valueFrom !== undefined } : view!.entries.get(RUNTIME_LORA);
  if (!from) return view!.unknown.length ? undefined : 'unset';
  if (from.value === undefined || from.value.includes('$')) return undefined;
  return ['1', 'true'].includes(from.value.trim().toLowerCase()) ? 'on' : { off: from.value };
}

/** The vLLM container the syncer loads into: the one listening on its port, else the pod's only vLLM server. */
function target(lines: readonly ContainerLine[], config: SyncerConfig): ContainerLine | undefined {
  const port = (l: ContainerLine) => l.args.value('--port') ?? '8000';
  return lines.find((l) => !l.args.unknown('--port') && port(l) === config.port) ?? (lines.length === 1 ? lines[0] : undefined);
}

function problemsOf(graph: ObjectGraph, m: Loose, syncer: { where: string; container: Loose }, lines: readonly ContainerLine[]): Problem[] {
  const config = syncerConfig(syncer.container);
  if (!OWN_HOSTS.includes(config.host) || (config.from && !config.adapters.length)) return [];
  const line = target(lines, config);
  if (!line || line.args.demo) return [];
  const ns = graph.namespaceOf(m);
  const loading = runtimeLoading(graph, line, ns);
  // a variable the tree does not give a value (`$(LORA_FLAGS)`, `$EXTRA_ARGS`) may hold the flag
  const opaque = line.args.unknown('--enable-lora') || line.args.words.some((w) => w.word.includes('$'));
  const lora = opaque ? undefined : line.args.enabled('--enable-lora') === true;
  const missing = [
    ...(lora === false ? [`without --enable-lora (vLLM refuses each load: "LoRA is not enabled. Use --enable-lora to enable LoRA.")`] : []),
    ...(loading === 'unset' || typeof loading === 'object'
      ? [
          `${loading === 'unset' ? `without ${RUNTIME_LORA}` : `with ${RUNTIME_LORA}=${loading.off}, which vLLM reads as off (it takes 1 or true)`} ` +
            '(vLLM registers no /v1/load_lora_adapter route and answers 404 Not Found)',
        ]
      : []),
  ];
  if (!missing.length) return [];
  const adapters = config.adapters.length ? ` (${config.adapters.slice(0, 3).join(', ')}${config.adapters.length > 3 ? ', …' : ''}, from ${config.from})` : '';
  return [
    {
      message:
        `${syncer.where} is the inference extension's LoRA syncer, which loads the adapters of its configuration${adapters} into ${line.where} at run time ` +
        `(POST http://${config.host}:${config.port}/v1/load_lora_adapter), but ${line.where} runs vLLM ${missing.join(' and ')}: every load fails, ` +
        `the adapters are never served and requests naming them get 404 ("The model … does not exist"); start vLLM with --enable-lora ` +
        `(with --max-loras and --max-lora-rank that fit the adapters) and set ${RUNTIME_LORA}=true in its env`,
    },
  ];
}

export const loraSyncerLoadingDisabled: Rule = {
  id: 'lora-syncer-loading-disabled',
  title:
    "the inference extension's LoRA syncer sidecar loads adapters into a vLLM server started without --enable-lora or without VLLM_ALLOW_RUNTIME_LORA_UPDATING: every load fails and the adapters are never served",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a container or init container of a pod runs the Gateway API Inference Extension's dynamic LoRA sidecar (an image named lora-syncer or dynamic-lora-sidecar, or sidecar.py with DYNAMIC_LORA_ROLLOUT_CONFIG in its env) beside a container that visibly starts vLLM's server; the server it loads into is the one on the port of its configuration file (vLLMLoRAConfig.port, 8000 by default, read where a ConfigMap of the tree is mounted at the file's path: DYNAMIC_LORA_ROLLOUT_CONFIG or --config, else /config/configmap.yaml), else the pod's only vLLM server; a configuration naming another host, or one listing no adapters to load, is not judged; vLLM's command line lacks --enable-lora (as the tree tells it: not where a variable without a value in the tree, or an unread --config file, may set it), or its env leaves VLLM_ALLOW_RUNTIME_LORA_UPDATING unset or sets it to a value other than 1 or true (any case; not judged where a valueFrom, an envFrom source the tree does not hold, or the command line itself may set it)",
  example:
    'an init container `lora-adapter-syncer` running `gateway-api-inference-extension/lora-syncer:main` beside a vLLM container whose args give `--max-loras` but not --enable-lora',
  fix: "start vLLM with --enable-lora (and --max-loras, --max-lora-rank that fit the adapters) and set VLLM_ALLOW_RUNTIME_LORA_UPDATING=true in its env, as the inference extension's vLLM manifests do; or drop the syncer and list the adapters with --lora-modules",
  source:
    'gateway-api-inference-extension tools/dynamic-lora-sidecar (README, sidecar/sidecar.py LoraReconciler.load_adapter: POST /v1/load_lora_adapter to vLLMLoRAConfig host:port, localhost:8000 by default; config/manifests/vllm/gpu-deployment.yaml runs it beside vLLM with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING); vllm/envs.py VLLM_ALLOW_RUNTIME_LORA_UPDATING ("1" or "true") and vllm/entrypoints/openai/api_server.py (the load and unload routes are registered only under it); vllm/v1/worker/lora_model_runner_mixin.py _ensure_lora_enabled ("LoRA is not enabled. Use --enable-lora to enable LoRA."); vLLM docs features/lora.md, "Dynamically serving LoRA Adapters"',
  check(o, { graph }) {
    const lines = workloadVllmLines(o.manifest).filter((l) => l.args.invoked);
    if (!lines.length) return [];
    return podsOf(o.manifest).flatMap((pod) => {
      const inPod = lines.filter((l) => pod.some((c) => c.container === l.container));
      return pod.filter((c) => isSyncer(c.container)).flatMap((s) => (inPod.length ? problemsOf(graph, o.manifest, s, inPod) : []));
    });
  },
};
