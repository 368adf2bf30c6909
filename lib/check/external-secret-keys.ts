import { Loose, mapping, mappings, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { GraphObject } from './graph-object';
import { PodObjectReference } from './pod-references';
import { containersOf, podSpecOf } from './pods';
import { holdsRendererSyntax } from './template-syntax';

/** The ExternalSecret (external-secrets.io) of the tree that writes the Secret of that name: spec.target.name, else its own name. */
function writers(graph: ObjectGraph, name: string, ns: string | undefined): GraphObject[] {
  return graph
    .ofKind('ExternalSecret')
    .filter((o) => String(o.manifest.apiVersion ?? '').startsWith('external-secrets.io/'))
    .filter((o) => {
      const own = graph.namespaceOf(o.manifest);
      return (
        (ns === undefined || own === undefined || own === ns) &&
        (text(mapping(mapping(o.manifest.spec).target).name) ?? text(mapping(o.manifest.metadata).name)) === name
      );
    });
}

/** The keys the provider's data gives (spec.data[].secretKey); undefined where spec.dataFrom may give any. */
function providerKeys(spec: Loose): string[] | undefined {
  if (mappings(spec.dataFrom).length) return undefined;
  const keys = mappings(spec.data).map((d) => text(d.secretKey));
  return keys.every((k): k is string => k !== undefined) ? keys : undefined;
}

/** The Secret keys one templateFrom entry writes, or undefined where they are not known (KeysAndValues, a literal). */
function templateFromKeys(entry: Loose): string[] | undefined {
  // a target other than Data writes labels or annotations (TemplateTarget; matched case-insensitively)
  if ((text(entry.target) ?? 'Data').toLowerCase() !== 'data') return [];
  if (entry.literal !== undefined) return undefined;
  const items = [...mappings(mapping(entry.configMap).items), ...mappings(mapping(entry.secret).items)];
  if (items.some((i) => (text(i.templateAs) ?? 'Values') !== 'Values')) return undefined;
  const keys = items.map((i) => text(i.key));
  return keys.every((k): k is string => k !== undefined) ? keys : undefined;
}

/**
 * The keys of the Secret one ExternalSecret makes, ported from external-secrets pkg/controllers/externalsecret
 * externalsecret_controller_template.go ApplyTemplate and pkg/controllers/templating parser.go: no template: the
 * provider's keys; a template: its data keys and its templateFrom items' keys (templateAs Values), plus the provider's
 * where mergePolicy is Merge or the template writes no data. Undefined where they are not known: dataFrom, a literal,
 * KeysAndValues, a creationPolicy that keeps the existing Secret's keys (Merge, CreateOrMerge) or makes none (None).
 */
function madeKeys(es: Loose): string[] | undefined {
  const spec = mapping(es.spec);
  const target = mapping(spec.target);
  if (['Merge', 'CreateOrMerge', 'None'].includes(text(target.creationPolicy) ?? 'Owner')) return undefined;
  if (target.template === undefined || target.template === null) return providerKeys(spec);
  const template = mapping(target.template);
  const own = Object.keys(mapping(template.data));
  const from = mappings(template.templateFrom).map(templateFromKeys);
  if (from.some((k) => k === undefined)) return undefined;
  const templated = [...own, ...from.flatMap((k) => k ?? [])];
  const withProvider = text(template.mergePolicy) === 'Merge' || (!own.length && !mappings(template.templateFrom).length);
  if (!withProvider) return templated;
  const provider = providerKeys(spec);
  return provider && [...templated, ...provider];
}

/** The keys of the Secret the tree's ExternalSecrets make (one or several of that target), with the source named; undefined where unknown. */
export function externalSecretKeys(graph: ObjectGraph, name: string, ns: string | undefined): { keys: Set<string>; source: string } | undefined {
  const found = writers(graph, name, ns);
  if (!found.length) return undefined;
  const keys = found.map((o) => madeKeys(o.manifest));
  if (keys.some((k) => k === undefined || k.some(holdsRendererSyntax))) return undefined;
  const names = found.map((o) => `ExternalSecret ${text(mapping(o.manifest.metadata).name) ?? '<unnamed>'}`).join(' and ');
  return { keys: new Set(keys.flatMap((k) => k ?? [])), source: `${names} makes` };
}

/** A key a container reads by mounting one key of a Secret or ConfigMap volume with subPath. */
export interface SubPathReference extends PodObjectReference {
  readonly mountPath: string;
}

/**
 * The keys containers read as files through subPath mounts of a configMap or secret volume without items (each key
 * is a file of the volume's root; a subPath `key/more` reads into the key's file, `key` first): a subPath naming no
 * key of the object mounts no file. Volumes with items (whose paths the subPath names), optional ones and subPathExpr
 * are left out.
 */
export function subPathReferences(m: Loose): SubPathReference[] {
  const volumes = new Map(mappings(podSpecOf(m)?.volumes).map((v) => [text(v.name), v]));
  return containersOf(m).flatMap(({ name: container, container: c }) =>
    mappings(c.volumeMounts).flatMap((mount): SubPathReference[] => {
      const subPath = text(mount.subPath);
      const v = volumes.get(text(mount.name));
      if (!subPath || !v || holdsRendererSyntax(subPath)) return [];
      const source =
        v.secret !== undefined
          ? { kind: 'Secret' as const, s: mapping(v.secret), name: text(mapping(v.secret).secretName) }
          : v.configMap !== undefined
            ? { kind: 'ConfigMap' as const, s: mapping(v.configMap), name: text(mapping(v.configMap).name) }
            : undefined;
      if (!source?.name || holdsRendererSyntax(source.name) || source.s.optional === true || mappings(source.s.items).length) return [];
      return [
        {
          kind: source.kind,
          name: source.name,
          via: 'volume',
          where: `container '${container}' mounts volume '${String(v.name)}' with subPath ${subPath}, so it`,
          keys: [subPath.split('/')[0]],
          mountPath: text(mount.mountPath) ?? '',
        },
      ];
    }),
  );
}
