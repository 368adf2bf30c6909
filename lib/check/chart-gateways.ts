import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { repositoryObjectsOf } from './found-elsewhere';
import { locationOf } from './graph-object';
import { ObjectGraph } from './graph';

/**
 * The Gateway the Traefik Helm chart makes from its values (traefik/traefik-helm-chart traefik/templates/gateway.yaml
 * and values.yaml): one Gateway when gateway.enabled (true by default) and providers.kubernetesGateway.enabled (false
 * by default), named gateway.name or else traefik-gateway, in gateway.namespace, else namespaceOverride, else the
 * release's namespace.
 */
function traefikGateway(values: Loose, releaseNamespace: string | undefined): { name: string; namespace: string | undefined } | undefined {
  const gateway = mapping(values.gateway);
  if (gateway.enabled === false || mapping(mapping(values.providers).kubernetesGateway).enabled !== true) return undefined;
  return {
    name: text(gateway.name) || 'traefik-gateway',
    namespace: text(gateway.namespace) || text(values.namespaceOverride) || releaseNamespace,
  };
}

/** A chart release written as a manifest: the chart's name, its values, the namespace it installs into. */
interface ChartRelease {
  readonly chart: string;
  readonly values: Loose;
  readonly namespace: string | undefined;
  /** Values it takes from where the check does not read them: a HelmRelease's spec.valuesFrom, an Argo CD source's helm.valueFiles. */
  readonly unseenValues: boolean;
}

/** Values written inline as YAML text (an Argo CD source's helm.values) or as an object (helm.valuesObject). */
function valuesOf(helm: Loose): Loose {
  const written = text(helm.values);
  const parsed = written ? parseOne(written) : undefined;
  const values = parsed && 'value' in parsed && isMapping(parsed.value) ? parsed.value : {};
  return { ...values, ...mapping(helm.valuesObject) };
}

/**
 * The chart releases a manifest writes: a Flux HelmRelease (spec.chart.spec.chart, spec.values, spec.targetNamespace
 * or its own namespace) or an Argo CD Application's Helm sources (chart, helm.values or valuesObject,
 * spec.destination.namespace). `namespace` is where the manifest itself lands.
 */
function releasesOf(m: Loose, namespace: string | undefined): ChartRelease[] {
  const spec = mapping(m.spec);
  if (m.kind === 'HelmRelease') {
    const chart = text(mapping(mapping(spec.chart).spec).chart);
    const unseenValues = mappings(spec.valuesFrom).length > 0;
    return chart ? [{ chart, values: mapping(spec.values), namespace: text(spec.targetNamespace) || namespace, unseenValues }] : [];
  }
  if (m.kind !== 'Application') return [];
  const target = text(mapping(spec.destination).namespace);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const chart = text(s.chart);
    const unseenValues = Array.isArray(mapping(s.helm).valueFiles) && (mapping(s.helm).valueFiles as unknown[]).length > 0;
    return chart ? [{ chart, values: valuesOf(mapping(s.helm)), namespace: target, unseenValues }] : [];
  });
}

/** Whether every chart an object installs is one whose Gateways are modelled here (traefik): what it makes of them is known. */
export function gatewaysModelled(m: Loose): boolean {
  const releases = releasesOf(m, undefined);
  return releases.length > 0 && releases.every((r) => r.chart === 'traefik' && !r.unseenValues);
}

/** A release of the Traefik chart makes the Gateway: 'made' by the values it shows, 'maybe' where values it takes from elsewhere may name it into that namespace. */
function traefikMakes(r: ChartRelease, name: string, ns: string | undefined): 'made' | 'maybe' | undefined {
  if (r.chart !== 'traefik') return undefined;
  const gateway = traefikGateway(r.values, r.namespace);
  if (gateway !== undefined && gateway.name === name && (ns === undefined || gateway.namespace === ns)) return 'made';
  const written = text(mapping(r.values.gateway).namespace) || text(r.values.namespaceOverride) || r.namespace;
  return r.unseenValues && (ns === undefined || written === ns) ? 'maybe' : undefined;
}

/** A release that makes a Gateway through its chart's values (chartMadeGateway), as a finding names it, and whether only values the check does not read may make it. */
export interface ChartGateway {
  readonly release: string;
  readonly maybe: boolean;
}

/**
 * Where a chart release of the tree, or of the repository around the checked folder, makes the Gateway of that name in
 * that namespace through the chart's values (the Traefik chart's gateway values): the release, as a finding names it;
 * one whose values come partly from elsewhere (valuesFrom, valueFiles) and may make it where no release surely does.
 */
export function chartMadeGateway(graph: ObjectGraph, name: string, ns: string | undefined): ChartGateway | undefined {
  const makes = (m: Loose, namespace: string | undefined) => {
    const found = releasesOf(m, namespace).map((r) => traefikMakes(r, name, ns));
    return found.includes('made') ? 'made' : found.includes('maybe') ? 'maybe' : undefined;
  };
  const kinds = ['HelmRelease', 'Application'];
  const inTree = kinds.flatMap((k) => graph.ofKind(k)).map((o) => ({ o, made: makes(o.manifest, graph.namespaceOf(o.manifest)) }));
  const outside = repositoryObjectsOf(graph)
    .filter((o) => kinds.includes(o.kind))
    .map((o) => ({ o, made: makes(o.manifest, o.namespace || text(mapping(o.manifest.metadata).namespace)) }));
  const all = [
    ...inTree.map((x) => ({ made: x.made, named: `${graph.id(x.o)}${locationOf(x.o) ? ` (${locationOf(x.o)})` : ''}` })),
    ...outside.map((x) => ({ made: x.made, named: `${x.o.kind} '${x.o.name}' (${x.o.file}, line ${x.o.line})` })),
  ];
  const best = all.find((x) => x.made === 'made') ?? all.find((x) => x.made === 'maybe');
  return best && { release: best.named, maybe: best.made === 'maybe' };
}
