import { catalogedChartRepository } from '../../catalog/chart-repositories';
import { Loose, mapping, mappings, text } from '../../manifests/access';
import { repositoryObjectsOf } from '../found-elsewhere';
import { ObjectGraph } from '../graph';
import { locationOf } from '../graph-object';
import { meantCandidate } from '../near-names';
import { Problem, Rule } from '../rule';

/** A chart a release asks a repository for: the chart's name, the repository's URL and where the URL was read. */
interface ChartAsked {
  readonly chart: string;
  readonly url: string;
  /** The field (and object) naming the chart, as the message says it. */
  readonly field: string;
  /** The HelmRepository the URL comes from, where it is another object. */
  readonly via?: string;
}

/**
 * The URL of the HelmRepository a Flux HelmRelease's chart comes from (spec.chart.spec.sourceRef, its namespace the
 * HelmRelease's unless given): the tree's, else one a manifest of its git repository defines outside the checked folder.
 */
function helmRepositoryUrl(graph: ObjectGraph, release: Loose): { url: string; via: string } | undefined {
  const ref = mapping(mapping(mapping(release.spec).chart).spec).sourceRef;
  const source = mapping(ref);
  const name = text(source.name);
  if (text(source.kind) !== 'HelmRepository' || !name) return undefined;
  const ns = text(source.namespace) ?? graph.namespaceOf(release);
  const own = graph.ofKind('HelmRepository').find((r) => text(mapping(r.manifest.metadata).name) === name && graph.namespaceOf(r.manifest) === ns);
  const ownUrl = own && text(mapping(own.manifest.spec).url);
  if (own && ownUrl) return { url: ownUrl, via: `HelmRepository '${name}'${locationOf(own) ? ` (${locationOf(own)})` : ''}` };
  const made = repositoryObjectsOf(graph).find((r) => r.kind === 'HelmRepository' && r.name === name && (r.namespace === undefined || r.namespace === ns));
  const madeUrl = made && text(mapping(made.manifest.spec).url);
  return made && madeUrl ? { url: madeUrl, via: `HelmRepository '${name}' (${made.file}:${made.line})` } : undefined;
}

/** The charts the tree's Flux HelmReleases and Argo CD Applications ask a Helm repository for. */
function chartsAsked(graph: ObjectGraph, m: Loose): ChartAsked[] {
  if (m.kind === 'HelmRelease' && String(m.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/')) {
    const chart = text(mapping(mapping(mapping(m.spec).chart).spec).chart);
    const repo = chart ? helmRepositoryUrl(graph, m) : undefined;
    return chart && repo ? [{ chart, url: repo.url, field: 'spec.chart.spec.chart', via: repo.via }] : [];
  }
  if (m.kind === 'Application' && String(m.apiVersion ?? '').startsWith('argoproj.io/')) {
    const spec = mapping(m.spec);
    const single = mapping(spec.source);
    const sources = text(single.repoURL) ? [{ s: single, at: 'spec.source' }] : mappings(spec.sources).map((s, i) => ({ s, at: `spec.sources[${i}]` }));
    return sources.flatMap(({ s, at }) => {
      const chart = text(s.chart);
      const url = text(s.repoURL);
      return chart && url ? [{ chart, url, field: `${at}.chart` }] : [];
    });
  }
  return [];
}

/** The finding for a chart name the catalogued repository does not serve and that misspells one it does. */
function nearMiss(asked: ChartAsked): Problem | undefined {
  const repo = catalogedChartRepository(asked.url);
  if (!repo || repo.charts.includes(asked.chart)) return undefined;
  const meant = meantCandidate(
    asked.chart,
    repo.charts.map((name) => ({ name })),
  );
  if (!meant) return undefined;
  const from = `${asked.url}${asked.via ? ` (${asked.via})` : ''}`;
  const fails = `the chart fetch fails (Flux's source-controller finds no such chart in the repository index and the release is never installed; Argo CD's repo server cannot pull it)`;
  if (!repo.complete)
    return {
      severity: 'warning',
      message: `${asked.field} '${asked.chart}' is not a chart known of ${from}; did you mean '${meant.name}'? The repository serves more charts than check knows, so this may be one of them; if not, ${fails}`,
    };
  return { message: `${asked.field}: no chart named '${asked.chart}' in ${from}; did you mean '${meant.name}'? ${fails[0].toUpperCase()}${fails.slice(1)}` };
}

export const chartNameNotInRepository: Rule = {
  id: 'chart-name-not-in-repository',
  title:
    'a Flux HelmRelease or Argo CD Application asks a well-known chart repository for a chart it does not serve, a near miss of one it does: the chart fetch fails',
  severity: 'error',
  appliesTo: ['HelmRelease', 'Application'],
  premise:
    "the chart's repository URL is one of a small catalog of well-known GPU and LLM chart repositories with the charts each serves (NVIDIA's k8s-device-plugin and gpu-operator pages, NGC's nvidia repository, KubeRay's, Kueue's OCI charts, vLLM production-stack's, the Ollama and Open WebUI charts: lib/catalog/chart-repositories.ts, each entry with its source): a Flux HelmRelease's HelmRepository (spec.chart.spec.sourceRef, of the tree or of a manifest of its git repository) or an Argo CD Application source's repoURL; " +
    'and the chart name is not one of them but a near miss of one (one edit, two in names of eight characters or more; case and separators aside). An error where the catalog lists all the charts of the repository, a warning where it lists only some (a vendor catalog such as NGC). Repositories outside the catalog, and names near no catalogued chart, are not judged',
  example: 'a HelmRelease with `chart: nvidia-device-pugin` from a HelmRepository of `https://nvidia.github.io/k8s-device-plugin`',
  fix: 'write the chart name the repository serves (the message names it)',
  source:
    'helm pkg/repo/index.go IndexFile.Get (a name the index lacks: ErrNoChartName "no chart name found"), which fluxcd/source-controller internal/helm/repository chart_repository.go GetChartVersion calls (the HelmChart is not Ready and the HelmRelease is never installed), and oci_chart_repository.go (an OCI repository: the chart is <url>/<chart>, a missing one fails the pull); ' +
    'argo-cd util/helm/client.go ExtractChart (helm pull of the chart from repoURL); the chart lists of lib/catalog/chart-repositories.ts',
  check(o, { graph }) {
    return chartsAsked(graph, o.manifest).flatMap((a) => nearMiss(a) ?? []);
  },
};
