import { derivedImageOf } from '../private/image-lineage';
import { Loose, mappings, strings, text } from '../manifests/access';
import { perRun } from '../private/run-memo';
import { SourcedWord, vllmInvocation } from './vllm-args';
import { shellCommandWords, shellScriptIndex, shellWords } from './shell-words';
import { EnvFromValue, envFromOpenOf, envFromValuesOf, FileReader, mountedFilesOf, readsTreeFiles } from './mounted-files';
import { mountedScriptLine } from './mounted-script';

export { shellScriptIndex, shellWords } from './shell-words';

/** The env hook of KServe's LLMInferenceService configs (their `vllm serve` script expands it) and of wrappers that copy it. */
export const VLLM_ADDITIONAL_ARGS = 'VLLM_ADDITIONAL_ARGS';

/**
 * Images whose entrypoint is vLLM's OpenAI server (`vllm serve` in current vllm/vllm-openai, the api_server module
 * before): a repository named vllm-openai under any registry and organisation (mirrors and rebuilds of the
 * Dockerfile's vllm-openai target), tagged, by digest or bare.
 */
export const VLLM_SERVER_IMAGE = /(^|\/)vllm-openai(-rocm)?([:@]|$)/;

/** Open Data Hub's and OpenShift AI 2.x's vLLM images (quay.io/modh/vllm, quay.io/opendatahub/vllm). */
export const OPENDATAHUB_VLLM_IMAGE = /^quay\.io\/(modh|opendatahub)\/vllm[:@]/;

/**
 * Red Hat AI Inference Server's vLLM images (registry.redhat.io/rhaiis/vllm-cuda-rhel9, -rocm-, -cpu-, …, and rhaii/… as
 * OpenShift AI 3 names them), also the
 * image of OpenShift AI 3's vLLM runtime templates. The product's documentation runs them as `podman run … -p
 * 8000:8000 <image> --model …`: the arguments go straight to vLLM's OpenAI server, as with the api_server module
 * that opendatahub-io/vllm's Dockerfile.ubi, the build they come from, sets as ENTRYPOINT.
 */
export const RHAIIS_VLLM_IMAGE = /^registry\.redhat\.io\/rhaiis?\/vllm-[a-z0-9-]+[:@]/;

/**
 * The Red Hat AI Services UBI 9 build of vLLM (quay.io/rh-aiservices-bu/vllm-openai-ubi9), whose Containerfile
 * (rh-aiservices-bu/llm-on-openshift llm-servers/vllm) sets `ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]`.
 */
export const AISERVICES_VLLM_IMAGE = /^quay\.io\/rh-aiservices-bu\/vllm-openai-ubi9[:@]/;

/**
 * llm-d's early development images, built from llm-d/llm-d's Dockerfile, Dockerfile.nixl and Dockerfile.lmcache
 * (April to June 2025, IMAGES.md: llm-d-dev tags vllm-nixl-0.0.N, lmcache-0.0.N, lmcache-nixl-0.0.N), each with
 * ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]. Later llm-d images come from other Dockerfiles
 * and are not taken for known.
 */
export const LLMD_DEV_VLLM_IMAGE = /^(ghcr|quay)\.io\/llm-d\/llm-d-dev:(vllm-nixl|lmcache|lmcache-nixl)-0\.0\.\d+$/;

/**
 * Images whose entrypoint is known, and its words: vLLM's own image runs `vllm serve` (vllm-project/vllm
 * docker/Dockerfile), Open Data Hub's and OpenShift AI's builds and Red Hat AI Inference Server the api_server module
 * (opendatahub-io/vllm Dockerfile.ubi). None of these entrypoints reads an env variable into the command line.
 */
const KNOWN_ENTRYPOINTS: readonly { readonly image: RegExp; readonly words: readonly string[] }[] = [
  { image: VLLM_SERVER_IMAGE, words: ['vllm', 'serve'] },
  { image: OPENDATAHUB_VLLM_IMAGE, words: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
  { image: RHAIIS_VLLM_IMAGE, words: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
  { image: AISERVICES_VLLM_IMAGE, words: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
  { image: LLMD_DEV_VLLM_IMAGE, words: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] },
];

/** The words of the entrypoint of an image whose entrypoint is vLLM's server (vllm-openai, Open Data Hub's, Red Hat AI Inference Server's); undefined for any other image. */
export function vllmServerEntrypoint(image: string | undefined): readonly string[] | undefined {
  return knownEntrypoint(image)?.words;
}

/**
 * An image's known entrypoint and where it comes from: its own (KNOWN_ENTRYPOINTS), or that of the image the tree tags
 * it from or builds it from when the build sets no ENTRYPOINT or CMD of its own (a Dockerfile inherits its base's).
 */
function knownEntrypoint(image: string | undefined): { words: readonly string[]; from: string } | undefined {
  const own = KNOWN_ENTRYPOINTS.find((e) => e.image.test(image ?? ''));
  if (own) return { words: own.words, from: "the image's entrypoint" };
  const derived = derivedImageOf(image);
  const base = derived?.keepsEntrypoint ? KNOWN_ENTRYPOINTS.find((e) => e.image.test(derived.base)) : undefined;
  return base ? { words: base.words, from: `the entrypoint of ${derived!.base} (${derived!.how})` } : undefined;
}

/**
 * Images built with vLLM whose entrypoint does not start vLLM's server: the container's own command (or its first
 * args) must name the program. Vertex AI Model Garden's pytorch-vllm-serve images are always given it, as
 * `command: ["python3", "-m", "vllm.entrypoints.api_server"]` (GoogleCloudPlatform/kubernetes-engine-samples
 * ai-ml/llm-serving-gemma/vllm, whose 7B manifest without it was fixed by adding it) or as the first words of Vertex's
 * serving container args (GoogleCloudPlatform/vertex-ai-samples Model Garden notebooks: `python -m
 * vllm.entrypoints.api_server --model=…`).
 */
export const NOT_SERVER_ENTRYPOINTS: readonly { readonly image: RegExp; readonly described: string; readonly command: readonly string[] }[] = [
  {
    image: /^us-docker\.pkg\.dev\/vertex-ai(-restricted)?\/vertex-vision-model-garden-dockers\/pytorch-vllm-serve([:@]|$)/,
    described: "Vertex AI Model Garden's pytorch-vllm-serve image",
    command: ['python3', '-m', 'vllm.entrypoints.api_server'],
  },
];

/** An env variable of a container as the kubelet and a shell see it: its literal value, or none (valueFrom, envFrom). */
export interface EnvEntry {
  readonly name: string;
  readonly value?: string;
  /** Where it is set, for messages. */
  readonly from: string;
}

/** The parts of a container that make its command line, each word labelled with the place it was written. */
export interface LinePieces {
  readonly command: readonly SourcedWord[];
  readonly args: readonly SourcedWord[];
  readonly env: readonly EnvEntry[];
  readonly image?: string;
  /**
   * The main container of an LLMInferenceService that sets no command: KServe's well-known config runs `vllm serve`
   * in a script that evals `${VLLM_ADDITIONAL_ARGS}` and then the container's args (config/llmisvcconfig/config-llm-template.yaml).
   */
  readonly llmConfig?: boolean;
  /** The files the tree's ConfigMaps show the container: a script its command runs is read from them. */
  readonly files?: FileReader;
  /** The variables the container's envFrom ConfigMaps of the tree give it, which its env overrides. */
  readonly envFrom?: readonly EnvFromValue[];
  /** Whether an envFrom source the tree does not show whole (a Secret, a ConfigMap not in the tree) may set any variable. */
  readonly envFromOpen?: boolean;
}

/** A container's command line: its words, the env variables it expands, and whether its program is known. */
export interface CommandLine {
  readonly words: readonly SourcedWord[];
  /** Env variables whose values reach the command line (a shell's $VAR, the kubelet's $(VAR), KServe's LLM config). */
  readonly expanded: ReadonlySet<string>;
  /** False when no command is set and the image's entrypoint is not known: an entrypoint may read any env variable. */
  readonly programKnown: boolean;
  /** The variables the container's envFrom ConfigMaps of the tree give it (its env overrides them), as the server started reads them. */
  readonly envFrom?: readonly EnvEntry[];
  /** Whether an envFrom source the tree does not show whole may set any other variable. */
  readonly envFromOpen?: boolean;
}

/** Whether a command line holds a reference the shell or the kubelet expands ($VAR, ${VAR}, $(VAR)): its values are not all known. */
export function hasExpansion(args: readonly string[]): boolean {
  return args.some((a) => /\$(\{|\(|[A-Za-z_])/.test(a));
}

/**
 * The pieces of one container, labelled with `where` (e.g. "container 'vllm'"). The same pieces object for the same
 * container, label and reading within a check run, so that buildCommandLine's per-run memo serves every rule asking.
 */
export function containerPieces(container: Loose, where: string, llmConfig = false): LinePieces {
  const files = mountedFilesOf(container);
  const envFrom = envFromValuesOf(container);
  const envFromOpen = envFromOpenOf(container);
  return perRun('container-pieces', [container, where, llmConfig, files, envFrom, envFromOpen], () => ({
    command: strings(container.command).map((word) => ({ word, from: `${where} command` })),
    args: strings(container.args).map((word) => ({ word, from: `${where} args` })),
    env: envEntries(container.env, where),
    image: text(container.image),
    llmConfig: llmConfig && !strings(container.command).length,
    ...(files ? { files } : {}),
    ...(envFrom ? { envFrom } : {}),
    ...(envFromOpen ? { envFromOpen } : {}),
  }));
}

/** A container's env list as entries: literal values kept, the rest (valueFrom) known by name only. */
export function envEntries(env: unknown, where: string): EnvEntry[] {
  return mappings(env)
    .filter((e) => typeof e.name === 'string')
    .map((e) => ({ name: String(e.name), value: typeof e.value === 'string' ? e.value : undefined, from: `${where} env ${String(e.name)}` }));
}

/**
 * The command line a container runs, as the kubelet and a shell build it: `$(VAR)` in command and args replaced by the
 * env variable's literal value (k8s.io/kubernetes third_party/forked/golang/expansion: `$$` escapes, unknown names stay),
 * a `sh -c` script split into words with `$VAR`, `${VAR}` and `"$@"` expanded, and the image's entrypoint when no
 * command is set (KNOWN_ENTRYPOINTS; another image's entrypoint is unknown, and an env hook it may read is kept as
 * uncertain words).
 */
export function buildCommandLine(p: LinePieces): CommandLine {
  // once per run for the same pieces: a serving container's line is asked for by a dozen rules, and a long `sh -c`
  // script costs most of a check's time in splitting and expanding
  return perRun('command-line', [p], () => {
    const line = assembleCommandLine(p);
    // the server the line starts reads its env as the kubelet set it: envFrom's variables, then the env over them
    return p.envFrom || p.envFromOpen ? { ...line, ...(p.envFrom ? { envFrom: p.envFrom } : {}), ...(p.envFromOpen ? { envFromOpen: true } : {}) } : line;
  });
}

function assembleCommandLine(p: LinePieces): CommandLine {
  const env = new Map<string, EnvEntry>();
  // the kubelet sets envFrom's variables first and the container's env over them
  for (const e of p.envFrom ?? []) env.set(e.name, e);
  for (const e of p.env) env.set(e.name, e);
  const expanded = new Set<string>();
  const kubelet = (w: SourcedWord) => ({ ...w, word: expandKubelet(w.word, env, expanded) });
  const command = p.command.map(kubelet);
  const args = p.args.map(kubelet);
  const hook = env.get(VLLM_ADDITIONAL_ARGS);
  const hookWords = (uncertain: boolean) =>
    hook?.value !== undefined ? shellWords(hook.value).map((word) => ({ word, from: hook.from, ...(uncertain ? { uncertain } : {}) })) : [];
  if (!command.length) {
    if (p.llmConfig) {
      if (hook) expanded.add(VLLM_ADDITIONAL_ARGS);
      const config = "KServe's LLMInferenceService config";
      return {
        words: [...['vllm', 'serve', '/mnt/models'].map((word) => ({ word, from: config })), ...hookWords(false), ...args.flatMap(splitCommandLineArg)],
        expanded,
        programKnown: true,
      };
    }
    const entrypoint = knownEntrypoint(p.image);
    if (entrypoint) return { words: [...entrypoint.words.map((word) => ({ word, from: entrypoint.from })), ...args], expanded, programKnown: true };
    return { words: [...args, ...hookWords(true)], expanded, programKnown: false };
  }
  const list = [...command, ...args];
  const script = shellScriptIndex(list.map((w) => w.word));
  const written = (): CommandLine => {
    if (script === undefined) return { words: list, expanded, programKnown: true };
    const forwarded = list.slice(script + 2); // `sh -c script $0 $1 …`: "$@" is what follows $0
    // one label for the script's words (a long script has thousands)
    const from = `${list[script].from} (shell script)`;
    const scriptWords = shellCommandWords(list[script].word).flatMap((word) => expandShell(word, from, env, expanded, forwarded));
    return { words: [...list.slice(0, script), ...scriptWords], expanded, programKnown: true };
  };
  const line = written();
  // a script file a ConfigMap of the tree shows the container, run by the command, is read where the command line
  // itself starts no vLLM server
  if (!p.files || vllmInvocation(line.words.map((w) => w.word))) return line;
  const scriptLine = mountedScriptLine(list, p.files, env, expanded);
  return scriptLine ? { words: scriptLine, expanded, programKnown: true } : line;
}

/**
 * An args entry of an LLMInferenceService's main container as the config's shell reads it: OpenShift AI's
 * config-llm-template (odh-kserve 3.4) runs `eval "vllm serve /mnt/models … $@"`, which splits every entry again, so
 * a whole command line written as one entry (`"--model=/mnt/models --max-model-len=2048 …"`) reaches vLLM as its
 * words. Only an entry holding a further flag after a blank is split: a one-word entry, or a JSON value with blanks
 * (`--kv-transfer-config={"kv_role": "kv_both"}`), is kept whole.
 */
function splitCommandLineArg(arg: SourcedWord): SourcedWord[] {
  if (!/\s-{1,2}[A-Za-z]/.test(arg.word)) return [arg];
  return shellWords(arg.word).map((word) => ({ word, from: arg.from }));
}

/** The kubelet's `$(VAR)` expansion of one command or args word, with the env's literal values. */
function expandKubelet(word: string, env: ReadonlyMap<string, EnvEntry>, expanded: Set<string>): string {
  return word.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const value = env.get(name ?? '')?.value;
    if (value === undefined) return m;
    expanded.add(name ?? '');
    return value;
  });
}

/** A shell's expansion of one word of a script (labelled `from`): `"$@"` to the forwarded words, `$VAR` alone to its value's words, `$VAR` inside a word in place. */
function expandShell(word: string, from: string, env: ReadonlyMap<string, EnvEntry>, expanded: Set<string>, forwarded: readonly SourcedWord[]): SourcedWord[] {
  if (!word.includes('$')) return [{ word, from }];
  if (word === '$@' || word === '$*') return [...forwarded];
  const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word);
  const entry = whole ? env.get(whole[1]) : undefined;
  if (whole && entry) expanded.add(entry.name);
  if (entry?.value !== undefined) return shellWords(entry.value).map((w) => ({ word: w, from: entry.from }));
  const replaced = word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, braced: string | undefined, bare: string | undefined) => {
    const e = env.get(braced ?? bare ?? '');
    if (e) expanded.add(e.name);
    return e?.value ?? m;
  });
  return [{ word: replaced, from }];
}

/** Words by container and reading (plain, or LLMInferenceService config): several rules read each serving container's line. */
const wordsOf = [new WeakMap<Loose, readonly string[]>(), new WeakMap<Loose, readonly string[]>()];

/** A container's command line as words: command then args, a shell's `-c` script split and expanded, the image's entrypoint. */
export function commandLineOf(container: Loose | undefined, llmConfig = false): readonly string[] {
  if (!container) return [];
  const words = () => buildCommandLine(containerPieces(container, 'the container', llmConfig)).words.map((w) => w.word);
  // a line read from a ConfigMap's script holds for this run's tree only
  if (readsTreeFiles(container)) return perRun('command-line-words', [container, llmConfig], words);
  const memo = wordsOf[llmConfig ? 1 : 0];
  let known = memo.get(container);
  if (!known) {
    known = words();
    memo.set(container, known);
  }
  return known;
}

/** Env variables named like a wrapper's extra arguments (EXTRA_ARGS, VLLM_ARGS, VLLM_ADDITIONAL_ARGS, …). */
const ARGS_HOOK = /(^|_)ARGS$/;

/**
 * Env variables that hold command-line flags no part of the command line expands, where that is certain: the program is
 * known (a command, or an image whose entrypoint is known) and visibly starts vLLM, which reads VLLM_* settings from
 * the environment (vllm/envs.py) but no variable of extra arguments.
 */
export function unreadArgHooks(line: CommandLine, env: readonly EnvEntry[], startsVllm: boolean): EnvEntry[] {
  if (!line.programKnown || !startsVllm) return [];
  return env.filter((e) => ARGS_HOOK.test(e.name) && e.value !== undefined && /(^|\s)--?[A-Za-z]/.test(e.value) && !line.expanded.has(e.name));
}

/** What says a container means to run vLLM on CPUs: `--device cpu` (older vLLM), VLLM_TARGET_DEVICE=cpu, VLLM_CPU_* settings. */
export function cpuIntent(c: Loose): string | undefined {
  const words = [...strings(c.command), ...strings(c.args)].join(' ');
  const device = /--device(?:=|\s+)["']?cpu\b/.exec(words);
  if (device) return `'${device[0]}'`;
  const env = mappings(c.env);
  if (env.some((e) => e.name === 'VLLM_TARGET_DEVICE' && text(e.value)?.toLowerCase() === 'cpu')) return 'VLLM_TARGET_DEVICE=cpu';
  const cpuSetting = env.find((e) => typeof e.name === 'string' && e.name.startsWith('VLLM_CPU_'));
  return cpuSetting ? `the CPU backend's ${String(cpuSetting.name)}` : undefined;
}
