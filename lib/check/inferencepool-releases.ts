import { treeReleases } from './chart-releases';
import { ObjectGraph } from './graph';
import type { HelmCommand } from '../manifests/script-helm';

/**
 * The releases of the Gateway API Inference Extension's inferencepool chart (oci://registry.k8s.io/
 * gateway-api-inference-extension/charts/inferencepool, or a repository's `inferencepool` chart), and the objects each
 * makes: the InferencePool named after the release, and its endpoint picker's Deployment and Service
 * `<release>-epp` (the release lower-cased, trimmed and cut to 40 characters), all in the release namespace
 * (gateway-api-inference-extension config/charts/inferencepool templates/inferencepool.yaml `name: {{ .Release.Name }}`,
 * templates/_helpers.tpl "gateway-api-inference-extension.name", v0.3.0 to v1.3; config/charts/epplib from v1.4).
 */

/** The chart a helm command or release names: the inference extension's inferencepool chart, by URL, repository/name or packaged archive. */
const POOL_CHART = /(^|\/)inferencepool(-v?\d[^/]*\.tgz)?$/;
/** The helper's cut of the release name in the picker's name (`trunc 40`). */
const PICKER_BASE_LENGTH = 40;

/** A release of the chart: its name, namespace (undefined: the context's), and where it is installed, for messages. */
export interface PoolRelease {
  readonly release: string;
  readonly namespace?: string;
  readonly where: string;
}

/** The name of the picker Deployment and Service a release makes (the chart's "gateway-api-inference-extension.name"). */
export const pickerOfRelease = (release: string): string => `${release.toLowerCase().trim().slice(0, PICKER_BASE_LENGTH)}-epp`;

/** A helm command's release of the chart; `repository`: a command of the repository around the checked folder, whose path is from its root. */
function commandRelease(h: HelmCommand, repository: boolean): PoolRelease | undefined {
  if (h.verb === 'template' || h.positionals.length < 2 || !POOL_CHART.test(h.positionals[1])) return undefined;
  const namespace = [...h.options].reverse().find((o) => o.name === 'namespace')?.value;
  const text = h.text.length > 160 ? `${h.text.slice(0, 157)}…` : h.text;
  return { release: h.positionals[0], namespace, where: `${repository ? "the repository's " : ''}${h.script}:${h.line} (\`${text}\`)` };
}

/** Every release of the chart the tree or the repository around it installs: helm commands of its scripts and guides, Argo CD, Flux and helmfile releases. */
export function poolReleases(graph: ObjectGraph): PoolRelease[] {
  return graph.once('inferencepool-releases', () => [
    ...graph.helmCommands.flatMap((h) => commandRelease(h, false) ?? []),
    ...graph.repositoryHelmCommands.flatMap((h) => commandRelease(h, true) ?? []),
    ...treeReleases(graph)
      .filter((r) => POOL_CHART.test(r.chart))
      .map((r) => ({ release: r.release, namespace: r.namespace, where: r.origin })),
  ]);
}

/**
 * What the chart's releases into a namespace say of an object: made (a release makes it), or the releases there that
 * make others (for a message); undefined where no release of the chart goes there. A release without a namespace
 * goes to the context's, which may be any.
 */
export function poolReleaseVerdict(
  graph: ObjectGraph,
  kind: string,
  name: string,
  ns: string | undefined,
): { made: true; release: PoolRelease } | { made: false; releases: PoolRelease[] } | undefined {
  const there = poolReleases(graph).filter((r) => r.namespace === undefined || ns === undefined || r.namespace === ns);
  if (!there.length || !['InferencePool', 'Service', 'Deployment'].includes(kind)) return undefined;
  const made = there.find((r) => (kind === 'InferencePool' ? r.release === name : pickerOfRelease(r.release) === name));
  return made ? { made: true, release: made } : { made: false, releases: there };
}

/** The words that name the releases seen that make other objects than the one referenced. */
export function otherReleasesWords(kind: string, releases: readonly PoolRelease[]): string {
  const each = releases
    .slice(0, 3)
    .map(
      (r) =>
        `release '${r.release}' at ${r.where} makes ${kind === 'InferencePool' ? `InferencePool '${r.release}'` : `Service '${pickerOfRelease(r.release)}'`}`,
    )
    .join('; ');
  return `the inference extension's inferencepool chart names the pool after the release and its picker '<release>-epp': ${each}`;
}
