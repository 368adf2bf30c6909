import { compareOllamaReleases, OLLAMA_ENV_SOURCE, OLLAMA_NEWEST, ollamaEnv } from '../../catalog/ollama-envs';
import { isMapping, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { ChartRelease, chartReleases } from '../chart-releases';
import { containerPieces } from '../command-line';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Ollama's own image (docker.io/ollama/ollama and its mirrors' copies, the :rocm tags too). */
const OLLAMA_IMAGE = /(^|\/)ollama\/ollama([:@]|$)/;

/** The release an image tag names (`0.6.5`, `v0.30.1-rocm`), when it names one. */
function releaseOf(image: string | undefined): string | undefined {
  return /:v?(\d+\.\d+\.\d+)(?:[-@]|$)/.exec(image ?? '')?.[1];
}

/** One env variable as written, with where it was written and the image of its container. */
interface WrittenEnv {
  readonly where: string;
  readonly name: string;
  readonly value?: string;
  readonly image?: string;
}

/**
 * The GPU library folders (lib/ollama/<name>) Ollama's images ship from 0.30, when its runners became llama-server
 * builds (ollama/ollama Dockerfile, targets amd64 and arm64: cuda_v12, cuda_v13, vulkan, the JetPack builds; target
 * rocm, the -rocm tags: rocm_v7_2). discover/runner.go keeps, of a requested OLLAMA_LLM_LIBRARY not starting mlx_,
 * only the folder of that name: a name the image lacks skips every GPU library, and the server runs on the CPU.
 */
const LIBRARY_FOLDERS_SINCE = '0.30.0';
const LIBRARY_FOLDERS = ['cuda_v12', 'cuda_v13', 'vulkan', 'cuda_jetpack5', 'cuda_jetpack6'];
const ROCM_LIBRARY_FOLDERS = ['rocm_v7_2'];

/** Whether a container runs Ollama: its image is Ollama's, or its command line runs `ollama serve`. */
function runsOllama(container: Loose): boolean {
  if (OLLAMA_IMAGE.test(text(container.image) ?? '')) return true;
  const words = [...strings(container.command), ...strings(container.args)].join(' ').split(/\s+/);
  return words.some((w, i) => /(^|\/)ollama$/.test(w) && words[i + 1] === 'serve');
}

/** The OLLAMA_* variables of a workload's Ollama containers. */
function workloadEnv(m: Loose): WrittenEnv[] {
  return containersOf(m)
    .filter((c) => !c.init && runsOllama(c.container))
    .flatMap(({ name, container }) =>
      containerPieces(container, `container '${name}'`).env.map((e) => ({
        where: `container '${name}'`,
        name: e.name,
        value: e.value,
        image: text(container.image),
      })),
    );
}

/** The variables of an env block of chart values: a list of {name, value}, or a map of name to a value or {value} (app-template's form). */
function envEntries(env: unknown): { name: string; value?: string }[] {
  if (Array.isArray(env)) return mappings(env).flatMap((e) => (text(e.name) ? [{ name: text(e.name) as string, value: text(e.value) }] : []));
  return isMapping(env) ? Object.entries(env).map(([name, v]) => ({ name, value: text(v) ?? text(mapping(v).value) })) : [];
}

/** An image of chart values: `repository` and `tag` (the ollama chart's and app-template's image block). */
function valuesImage(image: Loose, fallback?: string): string | undefined {
  const repository = text(image.repository) ?? fallback;
  if (!repository) return undefined;
  const tag = text(image.tag) ?? (typeof image.tag === 'number' ? String(image.tag) : undefined);
  return tag ? `${repository}:${tag}` : repository;
}

/**
 * The OLLAMA_* variables a chart release's inline values give an Ollama container: the ollama chart's extraEnv
 * (otwld/ollama-helm templates/deployment.yaml puts it in the ollama container's env; its image defaults to
 * ollama/ollama), and the containers of app-template-style values (controllers.<c>.containers.<k>.env, a map or a
 * list) whose image is Ollama's.
 */
function chartEnv(r: ChartRelease): WrittenEnv[] {
  const values = r.values;
  const own =
    r.chart === 'ollama'
      ? envEntries(values.extraEnv).map((e) => ({ where: 'values extraEnv', ...e, image: valuesImage(mapping(values.image), 'ollama/ollama') }))
      : [];
  const controllers = Object.entries(mapping(values.controllers)).flatMap(([c, controller]) =>
    Object.entries(mapping(mapping(controller).containers)).flatMap(([k, container]) => {
      const image = valuesImage(mapping(mapping(container).image));
      if (!OLLAMA_IMAGE.test(image ?? '')) return [];
      return envEntries(mapping(container).env).map((e) => ({ where: `values controllers.${c}.containers.${k}.env`, ...e, image }));
    }),
  );
  return [...own, ...controllers];
}

/** The release's env where the tree does not render its chart (a rendered chart's Deployment is judged itself). */
function releaseEnv(o: GraphObject, graph: ObjectGraph): WrittenEnv[] {
  const id = graph.id(o);
  if (graph.objects.some((x) => x.helmRendering?.delivery === id)) return [];
  return chartReleases(graph)
    .filter((r) => r.object === o)
    .flatMap(chartEnv);
}

/** The finding on OLLAMA_LLM_LIBRARY naming a library folder the image (0.30 or later) does not ship. */
function libraryMissing(e: WrittenEnv, release: string | undefined): Problem[] {
  const value = e.value?.trim();
  if (e.name !== 'OLLAMA_LLM_LIBRARY' || !value || value.includes('$') || value.startsWith('mlx_')) return [];
  if (!release || compareOllamaReleases(release, LIBRARY_FOLDERS_SINCE) < 0) return [];
  const rocm = /-rocm/.test(e.image ?? '');
  const folders = rocm ? ROCM_LIBRARY_FOLDERS : LIBRARY_FOLDERS;
  if (folders.includes(value)) return [];
  return [
    {
      message:
        `${e.where} sets OLLAMA_LLM_LIBRARY=${value}, but ${e.image} ships no GPU library folder of that name (its folders: ${folders.join(', ')}): ` +
        `Ollama's GPU discovery keeps only the folder OLLAMA_LLM_LIBRARY names and skips every other, so it finds no GPU and runs models on the CPU; ` +
        `set one of ${folders.join(', ')}, or unset it to let Ollama choose`,
    },
  ];
}

/** The finding on one name, or none where the release the image names reads it. */
function judge(e: WrittenEnv): Problem[] {
  const verdict = ollamaEnv(e.name);
  const release = releaseOf(e.image);
  if (verdict.known) {
    if (!release || compareOllamaReleases(release, OLLAMA_NEWEST) > 0) return [];
    const after = verdict.last !== OLLAMA_NEWEST && compareOllamaReleases(release, verdict.last) > 0;
    const before = compareOllamaReleases(release, verdict.first) < 0;
    if (!after && !before) return libraryMissing(e, release);
    const when = after ? `no longer reads (Ollama ${verdict.first} to ${verdict.last} read it)` : `does not read yet (from Ollama ${verdict.first})`;
    return [
      {
        message: `${e.where} sets env ${e.name}, which Ollama ${release} (the image ${e.image}) ${when}: the setting has no effect; remove it, or run a release that reads it`,
      },
    ];
  }
  const instead = verdict.option
    ? `; ${verdict.option} is a model option, read from a request's options or a Modelfile's PARAMETER, never from the server's environment` +
      (verdict.near ? `: the server-wide default is ${verdict.near}` : '')
    : verdict.near
      ? `; the nearest variable Ollama reads is ${verdict.near}`
      : '';
  return [
    {
      message: `${e.where} sets env ${e.name}, a variable no Ollama release reads (envconfig/config.go): Ollama ignores it${instead}; remove it, or set what Ollama reads`,
    },
  ];
}

export const ollamaEnvUnknown: Rule = {
  id: 'ollama-env-unknown',
  title:
    'an OLLAMA_* environment variable the Ollama server does not read (OLLAMA_NUM_CTX for OLLAMA_CONTEXT_LENGTH): the setting is ignored; or OLLAMA_LLM_LIBRARY naming a library the image lacks: no GPU is used',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, 'HelmRelease', 'Application'],
  premise:
    "a container that runs Ollama (the ollama/ollama image, or `ollama serve`) sets in its env a name beginning OLLAMA_ that no Ollama release reads (the OLLAMA_* names of envconfig/config.go and of the Go sources of every release tag, v0.0.1 to v0.32.15), or, with the image's tag naming a release, a name that release does not read (one read only before it, or only after); also the env a chart release's inline values give an Ollama container where the tree does not render the chart: the ollama chart's extraEnv, and app-template-style values' controllers.<c>.containers.<k>.env (a map or a list) whose image is ollama/ollama. Model options written as variables (OLLAMA_NUM_CTX, OLLAMA_NUM_GPU) are named as such, with the server variable that does the same where there is one. A warning: the server starts, without the setting. " +
    'Also OLLAMA_LLM_LIBRARY set to a name (not mlx_*) that is no GPU library folder of the image, where its tag names a release from 0.30 to 0.32.15 (cuda_v12, cuda_v13, vulkan, cuda_jetpack5, cuda_jetpack6; rocm_v7_2 on the -rocm tags): discover/runner.go then skips every library and the server runs on the CPU (a warning)',
  example: '`env: [{name: OLLAMA_NUM_CTX, value: "8192"}]` on an ollama/ollama:0.6.5 container',
  fix: 'use the name Ollama reads (OLLAMA_CONTEXT_LENGTH for the default context length; `ollama serve --help` or envconfig/config.go lists them), or set the model option in a Modelfile PARAMETER or the request',
  source: `${OLLAMA_ENV_SOURCE}; ollama/ollama api/types.go Options (num_ctx, num_gpu, num_thread: options of a request or Modelfile); otwld/ollama-helm templates/deployment.yaml (extraEnv in the ollama container's env); ollama/ollama discover/runner.go (a requested OLLAMA_LLM_LIBRARY keeps only the lib/ollama folder of that name) and Dockerfile from v0.30.0 (the folders each image target ships)`,
  check(o, ctx) {
    const kind = o.manifest.kind;
    const written = kind === 'HelmRelease' || kind === 'Application' ? releaseEnv(o, ctx.graph) : workloadEnv(o.manifest);
    return written.filter((e) => /^OLLAMA_[A-Z0-9_]+$/.test(e.name)).flatMap(judge);
  },
};
