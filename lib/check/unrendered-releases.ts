import { isMapping, mapping, mappings, text } from '../manifests/access';
import { deliveryKey } from '../manifests/chart-deliveries';
import { fluxReleaseName, isHelmRelease } from '../manifests/flux-chart-values';
import { HelmCommand } from '../manifests/script-helm';
import { argoChartSaid, fluxChartSaid } from '../manifests/unfetched-charts';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';

/** A release of the tree that check did not render, as a finding names it: what may make an object the graph lacks. */
export interface UnseenInstall {
  /** Who installs what: `HelmRelease/flux-system/api (the chart of OCIRepository …, release 'api')`. */
  readonly said: string;
  /** The namespace it installs into. */
  readonly namespace: string;
  /** The object that installs it (none for a script's command). */
  readonly object?: GraphObject;
}

/** The delivery keys of the renders in the graph (a rendered release's objects are judged as they are). */
function renderedDeliveries(graph: ObjectGraph): Set<string> {
  return graph.once('unrendered-releases:rendered', () => new Set(graph.objects.flatMap((o) => (o.helmRendering ? [o.helmRendering.delivery] : []))));
}

/** The namespace a Flux HelmRelease installs into: spec.targetNamespace, else its own (helm-controller api v2). */
export const fluxTargetNamespace = (graph: ObjectGraph, o: GraphObject): string | undefined =>
  text(mapping(o.manifest.spec).targetNamespace) ?? graph.namespaceOf(o.manifest);

/** The Flux HelmReleases of the graph no render is of: their chart (a registry's, an OCI artifact) is not in the input. */
export function unrenderedHelmReleases(graph: ObjectGraph): GraphObject[] {
  const rendered = renderedDeliveries(graph);
  return graph.ofKind('HelmRelease').filter((o) => isHelmRelease(o.manifest) && !rendered.has(deliveryKey(o.manifest)));
}

/** An Application or HelmRelease that delivers what the input does not show, named with its chart where it has one. */
export function deliverySaid(graph: ObjectGraph, o: GraphObject): string {
  const m = o.manifest;
  if (isHelmRelease(m)) return `${graph.id(o)} (${fluxChartSaid(m, graph.objects, true)}, release '${fluxReleaseName(m)}')`;
  const spec = mapping(o.manifest.spec);
  const charts = [mapping(spec.source), ...mappings(spec.sources)].filter((s) => isMapping(s) && text(s.chart));
  return charts.length ? `${graph.id(o)} (${charts.map(argoChartSaid).join(', ')})` : `${graph.id(o)} (a source the input does not show)`;
}

/** The namespace a helm command names (-n, --namespace): helm's default otherwise is the context's, unknown here. */
const helmNamespace = (c: HelmCommand) => c.options.find((x) => x.name === 'namespace')?.value;

/**
 * The helm install, upgrade and template (piped to an apply) commands of the scripts, into the namespace they name,
 * whose chart no render of the graph is of (a chart of a repository, `repo/chart` or oci://, or a local one left unrendered).
 */
export function scriptInstalls(graph: ObjectGraph): UnseenInstall[] {
  return graph.once('unrendered-releases:scripts', () => {
    const done = [...renderedDeliveries(graph)];
    return graph.helmCommands.flatMap((c) => {
      const ns = helmNamespace(c);
      if (!['install', 'upgrade', 'template'].includes(c.verb) || !ns || c.positionals.length < 2) return [];
      if (done.some((d) => d.endsWith(`${c.script} (line ${c.line})`))) return [];
      return [{ said: `helm ${c.verb} ${c.positionals[0]} ${c.positionals[1]} in ${c.script} (line ${c.line})`, namespace: ns }];
    });
  });
}
