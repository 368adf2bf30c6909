import * as path from 'path';
import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';
import { isRemote, KUSTOMIZATION_FILES } from '../manifests/kustomization';
import { parsePatchDocuments } from '../manifests/yaml-documents';
import { fluxInstanceObjects, fluxInstanceSync } from '../manifests/flux-instance-sync';
import { GraphObject } from './graph-object';
import { subfolderCheckouts } from './work-trees';
import { apiGroupOf } from '../k8s/api-version';
import { repositoryObjectsOf } from './found-elsewhere';
import { ObjectGraph } from './graph';

/** An object of the tree or of its git repository outside it: its kind, name, namespace (where known), manifest and where it is written. */
export interface FluxKnown {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly manifest: Loose;
  readonly where: string;
}

/** The API groups of Flux's objects (fluxcd source-controller api/v1, kustomize-controller api/v1, helm-controller api/v2). */
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';

/** The source kinds source-controller serves (api/v1 and v1beta2): what a sourceRef or chartRef names. */
export const FLUX_SOURCE_KINDS: readonly string[] = ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart'];

/** Every object of those Flux groups the tree and its repository hold, read once per check. */
export function fluxObjects(graph: ObjectGraph): FluxKnown[] {
  return graph.once('flux-references:objects', () => {
    const flux = (apiVersion: unknown) => [FLUX_SOURCE_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_HELM_GROUP].includes(apiGroupOf(apiVersion));
    const tree = graph.objects
      .filter((o) => flux(o.manifest.apiVersion))
      .map((o) => ({
        kind: String(o.manifest.kind),
        name: text(mapping(o.manifest.metadata).name) ?? '',
        namespace: graph.namespaceOf(o.manifest),
        manifest: o.manifest,
        where: graph.id(o),
      }));
    const repository = repositoryObjectsOf(graph)
      .filter((r) => flux(r.manifest.apiVersion))
      .map((r) => ({ kind: r.kind, name: r.name, namespace: r.namespace, manifest: r.manifest, where: `${r.file}:${r.line}` }));
    const made = [
      ...graph.objects.map((o) => ({ manifest: o.manifest, namespace: graph.namespaceOf(o.manifest), where: graph.id(o) })),
      ...repositoryObjectsOf(graph).map((r) => ({ manifest: r.manifest, namespace: r.namespace, where: `${r.file}:${r.line}` })),
    ].flatMap((x) => operatorMade(x.manifest, x.namespace, x.where));
    return [...tree, ...repository, ...made];
  });
}

/** The source and Kustomization the Flux Operator makes for a FluxInstance's sync (or the flux-instance chart's), as Flux objects of the tree. */
function operatorMade(manifest: Loose, namespace: string | undefined, where: string): FluxKnown[] {
  const sync = fluxInstanceSync(manifest, namespace);
  if (!sync) return [];
  return fluxInstanceObjects(sync).map((m) => ({ kind: String(m.kind), name: sync.name, namespace: sync.namespace, manifest: m, where: `${where} spec.sync` }));
}

/** A reference from one Flux object to another: its field, the kind and name it names, and the namespace it resolves in. */
export interface FluxReference {
  readonly field: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace written, else undefined (the referring object's own). */
  readonly namespace?: string;
}

/**
 * The sources a Flux object reads: a Kustomization's spec.sourceRef, a HelmRelease's spec.chart.spec.sourceRef and
 * spec.chartRef (kustomize-controller api/v1 KustomizationSpec.SourceRef, helm-controller api/v2 HelmChartTemplateSpec.SourceRef
 * and HelmReleaseSpec.ChartRef: a namespace left out is the object's own).
 */
export function sourceReferences(m: Loose): FluxReference[] {
  const group = apiGroupOf(m.apiVersion);
  const spec = mapping(m.spec);
  const refs: [string, Loose][] =
    group === FLUX_KUSTOMIZE_GROUP && m.kind === 'Kustomization'
      ? [['spec.sourceRef', mapping(spec.sourceRef)]]
      : group === FLUX_HELM_GROUP && m.kind === 'HelmRelease'
        ? [
            ['spec.chart.spec.sourceRef', mapping(mapping(mapping(spec.chart).spec).sourceRef)],
            ['spec.chartRef', mapping(spec.chartRef)],
          ]
        : [];
  return refs.flatMap(([field, ref]) => {
    const kind = text(ref.kind);
    const name = text(ref.name);
    return kind && name && FLUX_SOURCE_KINDS.includes(kind) ? [{ field, kind, name, namespace: text(ref.namespace) }] : [];
  });
}

/** The dependencies a Kustomization or HelmRelease waits for (spec.dependsOn: meta.NamespacedObjectReference, of its own kind). */
export function dependencyReferences(m: Loose): FluxReference[] {
  const group = apiGroupOf(m.apiVersion);
  const own = (group === FLUX_KUSTOMIZE_GROUP && m.kind === 'Kustomization') || (group === FLUX_HELM_GROUP && m.kind === 'HelmRelease');
  if (!own) return [];
  return mappings(mapping(m.spec).dependsOn).flatMap((d, i) => {
    const name = text(d.name);
    return name ? [{ field: `spec.dependsOn[${i}]`, kind: String(m.kind), name, namespace: text(d.namespace) }] : [];
  });
}

/** The namespace each kustomization of the repositories holding the checked folders sets, by each file or folder it lists (absolute). */
function listingNamespaces(graph: ObjectGraph): Map<string, string[]> {
  return graph.once('flux-references:listing-namespaces', () => {
    const out = new Map<string, string[]>();
    for (const c of subfolderCheckouts(graph)) {
      for (const { file, text: source } of c.workTree?.manifestFiles() ?? []) {
        if (!KUSTOMIZATION_FILES.includes(path.basename(file))) continue;
        const parsed = parsePatchDocuments(source);
        const doc = 'values' in parsed ? parsed.values[0] : undefined;
        const namespace = isMapping(doc) ? text(doc.namespace) : undefined;
        if (!isMapping(doc) || !namespace) continue;
        for (const entry of [...strings(doc.resources), ...strings(doc.bases)].filter((e) => !isRemote(e))) {
          const listed = path.resolve(path.dirname(file), entry);
          out.set(listed, [...(out.get(listed) ?? []), namespace]);
        }
      }
    }
    return out;
  });
}

/**
 * The namespaces an object of the tree may land in: its own (as the graph reads it), and those a kustomization of its
 * repository outside the checked folder sets when it lists the object's file or a folder above it (kustomize's
 * namespace transformer overrides the manifest's). Empty where none is known.
 */
export function landingNamespaces(graph: ObjectGraph, o: GraphObject): string[] {
  const own = graph.namespaceOf(o.manifest);
  const listed = listingNamespaces(graph);
  const outer: string[] = [];
  for (let at = o.file ? path.resolve(o.file) : undefined; at && at !== path.dirname(at); at = path.dirname(at)) outer.push(...(listed.get(at) ?? []));
  // the outermost kustomization's namespace wins over the manifest's (kustomize's namespace transformer): named first
  return [...new Set([...outer.reverse(), ...(own ? [own] : [])])];
}
