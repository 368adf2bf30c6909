import { Loose, mapping, mappings, text } from '../manifests/access';
import type { RepositoryObject } from '../manifests/repository-objects';
import { imageRepositoryName, parseImageReference } from '../catalog/vllm-images';
import { chartReleases } from './chart-releases';
import { ObjectGraph } from './graph';
import { containersOf, serviceBackends } from './pods';

/** What one install of the tree says of the Traefik major it runs. */
export interface TraefikInstall {
  /** The install as a message names it: an object's id with the chart version or image, or a script's helm command. */
  readonly origin: string;
  readonly major: number;
  /** The version is written (a chart version, an image tag), not taken from what `latest` is today. */
  readonly stated: boolean;
  /** A manifest of the repository outside the checked folder, not of the tree. */
  readonly repository?: boolean;
}

/**
 * The first Traefik chart release of the v3 line: traefik/traefik-helm-chart v28.0.0 ("Traefik v3 is now GA", its
 * Chart.yaml appVersion v3.0.0); the releases before it (10.x to 27.x) install Traefik v2.
 */
const FIRST_V3_CHART = 28;

/** The Traefik image's repository names: Docker Hub's official traefik image, and the mirror k3s pulls (rancher/mirrored-library-traefik). */
const TRAEFIK_IMAGES = ['traefik', 'mirrored-library-traefik'];

/** The major of a written version (`28.3.0`, `v3.1`, `^27`, `3.x`); undefined for a range that spans majors or a moving tag. */
function majorOf(version: string): number | undefined {
  const m = /^(?:[\^~=]|v)?\s*v?(\d+)(?:\.(?:\d+|x|\*)){0,2}(?:-[\w.]+)?$/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** A chart version's Traefik major, or the image tag the release's values set (image.tag, a Traefik version). */
function chartInstall(origin: string, version: string | undefined, imageTag: string | undefined): TraefikInstall | undefined {
  const tagged = imageTag !== undefined ? majorOf(imageTag) : undefined;
  if (tagged !== undefined) return { origin: `${origin} (image.tag ${imageTag})`, major: tagged, stated: true };
  if (version === undefined || version === '*' || version === '')
    return { origin: `${origin} (no chart version: the latest, a v3 chart)`, major: 3, stated: false };
  const major = majorOf(version);
  if (major === undefined) return undefined;
  return { origin: `${origin} (chart version ${version})`, major: major >= FIRST_V3_CHART ? 3 : 2, stated: true };
}

/** The Traefik installs of the tree's chart releases (Flux, Argo CD) and scripts' helm install/upgrade of a traefik chart. */
function chartInstalls(graph: ObjectGraph): TraefikInstall[] {
  const releases = chartReleases(graph)
    .filter((r) => r.chart === 'traefik')
    .map((r) => chartInstall(graph.id(r.object), r.version, text(mapping(r.values.image).tag)));
  const commands = graph.helmCommands
    .filter((h) => (h.verb === 'install' || h.verb === 'upgrade') && /(^|\/)traefik$/.test(h.positionals[1] ?? ''))
    .map((h) => {
      const version = h.options.find((o) => o.name === 'version')?.value;
      const tag = h.sets.find((s) => s.key === 'image.tag')?.value;
      return chartInstall(`\`${h.text}\` (${h.script}:${h.line})`, version, tag);
    });
  return [...releases, ...commands].filter((i): i is TraefikInstall => i !== undefined);
}

/** The Traefik containers of the tree's workloads, by their image's tag (none or latest: today's v3). */
function imageInstalls(graph: ObjectGraph): TraefikInstall[] {
  return serviceBackends(graph).flatMap((w) =>
    containersOf(w.manifest)
      .filter(({ container, init }) => !init && TRAEFIK_IMAGES.includes(imageRepositoryName(text(container.image) ?? '')))
      .flatMap(({ container }): TraefikInstall[] => {
        const image = text(container.image) as string;
        const tag = parseImageReference(image).tag;
        if (tag === undefined || tag === 'latest') return [{ origin: `${graph.id(w)} (image ${image}, the latest: v3)`, major: 3, stated: false }];
        const major = majorOf(tag);
        return major === undefined ? [] : [{ origin: `${graph.id(w)} (image ${image})`, major, stated: true }];
      }),
  );
}

/**
 * A traefik chart source of a manifest of the repository outside the checked folder: a Flux HelmRelease's
 * spec.chart.spec (chart, version), or its spec.chartRef to an OCIRepository of the repository whose URL ends in
 * /traefik (ref.tag); an Argo CD Application's source or sources naming chart traefik (targetRevision).
 */
function repositorySources(o: RepositoryObject, all: readonly RepositoryObject[]): { version?: string; values: Loose }[] {
  const spec = mapping(o.manifest.spec);
  if (o.kind === 'Application')
    return [mapping(spec.source), ...mappings(spec.sources)]
      .filter((s) => text(s.chart) === 'traefik')
      .map((s) => ({ version: text(s.targetRevision), values: mapping(mapping(s.helm).valuesObject) }));
  if (o.kind !== 'HelmRelease') return [];
  const chart = mapping(mapping(spec.chart).spec);
  if (text(chart.chart)) return text(chart.chart) === 'traefik' ? [{ version: text(chart.version), values: mapping(spec.values) }] : [];
  const ref = mapping(spec.chartRef);
  const oci = all.find((x) => x.kind === 'OCIRepository' && x.name === text(ref.name) && (text(ref.namespace) ?? o.namespace) === x.namespace);
  const url = text(mapping(oci?.manifest.spec).url)?.replace(/\/+$/, '');
  return url?.endsWith('/traefik') ? [{ version: text(mapping(mapping(oci?.manifest.spec).ref).tag), values: mapping(spec.values) }] : [];
}

/** The Traefik chart installs of the repository around the checked folder (read as the Kueue release is), where the tree shows none. */
function repositoryInstalls(graph: ObjectGraph): TraefikInstall[] {
  const all = graph.repositoryObjects();
  return all.flatMap((o) =>
    repositorySources(o, all)
      .map((s) => chartInstall(`${o.kind} ${o.name} in ${o.file}:${o.line}`, s.version, text(mapping(s.values.image).tag)))
      .flatMap((i) => (i ? [{ ...i, repository: true }] : [])),
  );
}

/** Every Traefik install the tree shows, with the major it runs; where it shows none, those of the repository around it. */
export function traefikInstalls(graph: ObjectGraph): TraefikInstall[] {
  return graph.once('traefik-installs', () => {
    const own = [...chartInstalls(graph), ...imageInstalls(graph)];
    return own.length ? own : repositoryInstalls(graph);
  });
}
