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
  readonly image?: string;
}

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
      containerPieces(container, `container '${name}'`).env.map((e) => ({ where: `container '${name}'`, name: e.name, image: text(container.image) })),
    );
}

/** The names of an env block of chart values: a list of {name, value}, or a map of name to value (app-template's form). */
function envNames(env: unknown): string[] {
  if (Array.isArray(env)) return mappings(env).flatMap((e) => (text(e.name) ? [text(e.name) as string] : []));
  return isMapping(env) ? Object.keys(env) : [];
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
      ? envNames(values.extraEnv).map((name) => ({ where: 'values extraEnv', name, image: valuesImage(mapping(values.image), 'ollama/ollama') }))
      : [];
  const controllers = Object.entries(mapping(values.controllers)).flatMap(([c, controller]) =>
    Object.entries(mapping(mapping(controller).containers)).flatMap(([k, container]) => {
      const image = valuesImage(mapping(mapping(container).image));
      if (!OLLAMA_IMAGE.test(image ?? '')) return [];
      return envNames(mapping(container).env).map((name) => ({ where: `values controllers.${c}.containers.${k}.env`, name, image }));
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

/** The finding on one name, or none where the release the image names reads it. */
function judge(e: WrittenEnv): Problem[] {
  const verdict = ollamaEnv(e.name);
  const release = releaseOf(e.image);
  if (verdict.known) {
    if (!release || compareOllamaReleases(release, OLLAMA_NEWEST) > 0) return [];
    const after = verdict.last !== OLLAMA_NEWEST && compareOllamaReleases(release, verdict.last) > 0;
    const before = compareOllamaReleases(release, verdict.first) < 0;
    if (!after && !before) return [];
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
  title: 'an OLLAMA_* environment variable the Ollama server does not read (OLLAMA_NUM_CTX for OLLAMA_CONTEXT_LENGTH): the setting is ignored',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS, 'HelmRelease', 'Application'],
  premise:
    "a container that runs Ollama (the ollama/ollama image, or `ollama serve`) sets in its env a name beginning OLLAMA_ that no Ollama release reads (the OLLAMA_* names of envconfig/config.go and of the Go sources of every release tag, v0.0.1 to v0.32.15), or, with the image's tag naming a release, a name that release does not read (one read only before it, or only after); also the env a chart release's inline values give an Ollama container where the tree does not render the chart: the ollama chart's extraEnv, and app-template-style values' controllers.<c>.containers.<k>.env (a map or a list) whose image is ollama/ollama. Model options written as variables (OLLAMA_NUM_CTX, OLLAMA_NUM_GPU) are named as such, with the server variable that does the same where there is one. A warning: the server starts, without the setting",
  example: '`env: [{name: OLLAMA_NUM_CTX, value: "8192"}]` on an ollama/ollama:0.6.5 container',
  fix: 'use the name Ollama reads (OLLAMA_CONTEXT_LENGTH for the default context length; `ollama serve --help` or envconfig/config.go lists them), or set the model option in a Modelfile PARAMETER or the request',
  source: `${OLLAMA_ENV_SOURCE}; ollama/ollama api/types.go Options (num_ctx, num_gpu, num_thread: options of a request or Modelfile); otwld/ollama-helm templates/deployment.yaml (extraEnv in the ollama container's env)`,
  check(o, ctx) {
    const kind = o.manifest.kind;
    const written = kind === 'HelmRelease' || kind === 'Application' ? releaseEnv(o, ctx.graph) : workloadEnv(o.manifest);
    return written.filter((e) => /^OLLAMA_[A-Z0-9_]+$/.test(e.name)).flatMap(judge);
  },
};
