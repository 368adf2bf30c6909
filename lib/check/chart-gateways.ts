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
    return chart ? [{ chart, values: mapping(spec.values), namespace: text(spec.targetNamespace) || namespace }] : [];
  }
  if (m.kind !== 'Application') return [];
  const target = text(mapping(spec.destination).namespace);
  return [mapping(spec.source), ...mappings(spec.sources)].flatMap((s) => {
    const chart = text(s.chart);
    return chart ? [{ chart, values: valuesOf(mapping(s.helm)), namespace: target }] : [];
  });
}

/** Whether every chart an object installs is one whose Gateways are modelled here (traefik): what it makes of them is known. */
export function gatewaysModelled(m: Loose): boolean {
  const releases = releasesOf(m, undefined);
  return releases.length > 0 && releases.every((r) => r.chart === 'traefik');
}

/**
 * Where a chart release of the tree, or of the repository around the checked folder, makes the Gateway of that name in
 * that namespace through the chart's values (the Traefik chart's gateway values): the release, as a finding names it.
 */
export function chartMadeGateway(graph: ObjectGraph, name: string, ns: string | undefined): string | undefined {
  const made = (m: Loose, namespace: string | undefined) =>
    releasesOf(m, namespace).some((r) => {
      const gateway = r.chart === 'traefik' ? traefikGateway(r.values, r.namespace) : undefined;
      return gateway !== undefined && gateway.name === name && (ns === undefined || gateway.namespace === ns);
    });
  const kinds = ['HelmRelease', 'Application'];
  const inTree = kinds.flatMap((k) => graph.ofKind(k)).find((o) => made(o.manifest, graph.namespaceOf(o.manifest)));
  if (inTree) return `${graph.id(inTree)}${locationOf(inTree) ? ` (${locationOf(inTree)})` : ''}`;
  const outside = repositoryObjectsOf(graph).find(
    (o) => kinds.includes(o.kind) && made(o.manifest, text(mapping(o.manifest.metadata).namespace) || o.namespace),
  );
  return outside && `${outside.kind} '${outside.name}' (${outside.file}, line ${outside.line})`;
}
