import { Loose, mapping, mappings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import { MULTI_POD_KINDS, templatePods } from './pod-templates';
import { podSpecOf, WORKLOAD_KINDS } from './pods';

/** A container that sees a ConfigMap key as a file: where, and the program's image. */
export interface KeyMount {
  /** The object whose pods run the container (`Kind/namespace/name`). */
  readonly holder: string;
  /** `container 'c'`, with the pod template's path where the object runs several. */
  readonly container: string;
  readonly image?: string;
  /** The file's path in the container. */
  readonly path: string;
}

/** One ConfigMap volume (or projected source) of a pod: the ConfigMap's name and the file path of each key it shows. */
interface ConfigMapVolume {
  readonly volume: string;
  readonly name: string;
  /** The path of a key in the volume; undefined for a key the volume leaves out (items list others). */
  readonly pathOf: (key: string) => string | undefined;
}

/** A volume's keys as files: every key under its own name, or only those its items list, at their paths. */
function keyPaths(items: unknown): (key: string) => string | undefined {
  const listed = mappings(items);
  if (!listed.length) return (key) => key;
  return (key) => text(listed.find((i) => i.key === key)?.path);
}

/** The ConfigMap volumes and projected ConfigMap sources of a pod spec (kubelet: configmap and projected volume plugins). */
function configMapVolumes(pod: Loose): ConfigMapVolume[] {
  return mappings(pod.volumes).flatMap((v): ConfigMapVolume[] => {
    const volume = text(v.name) ?? '';
    const direct = mapping(v.configMap);
    const own = text(direct.name) ? [{ volume, name: String(direct.name), pathOf: keyPaths(direct.items) }] : [];
    const projected = mappings(mapping(v.projected).sources).flatMap((s) => {
      const cm = mapping(s.configMap);
      return text(cm.name) ? [{ volume, name: String(cm.name), pathOf: keyPaths(cm.items) }] : [];
    });
    return [...own, ...projected];
  });
}

/** Where a mount shows a volume's file: the mount path joined with it, or the mount path itself for a subPath of that file. */
function mountedAt(mount: Loose, file: string): string | undefined {
  const dir = (text(mount.mountPath) ?? '').replace(/\/+$/, '');
  const sub = text(mount.subPath)?.replace(/^\/+|\/+$/g, '');
  if (!sub) return `${dir}/${file}`;
  if (sub === file) return dir;
  return file.startsWith(`${sub}/`) ? `${dir}/${file.slice(sub.length + 1)}` : undefined;
}

/** The pod specs of an object, each with the words that place a container in it. */
function podsOf(m: Loose): { spec: Loose; where: string }[] {
  if (MULTI_POD_KINDS.includes(String(m.kind))) return templatePods(m).map((p) => ({ spec: mapping(p.manifest.spec), where: p.prefix.replace(/\.$/, '') }));
  if (m.kind === 'ServingRuntime' || m.kind === 'ClusterServingRuntime') return [{ spec: mapping(m.spec), where: '' }];
  const spec = WORKLOAD_KINDS.includes(String(m.kind)) ? podSpecOf(m) : undefined;
  return spec ? [{ spec, where: '' }] : [];
}

/** Every mount of a ConfigMap key by a container of the object: the ConfigMap's name, its key, and where it shows. */
function objectMounts(o: GraphObject, id: string): { name: string; key: (key: string) => KeyMount[] }[] {
  return podsOf(o.manifest).flatMap(({ spec, where }) => {
    const containers = [...mappings(spec.initContainers), ...mappings(spec.containers)];
    return configMapVolumes(spec).map((v) => ({
      name: v.name,
      key: (key: string): KeyMount[] => {
        const file = v.pathOf(key);
        if (file === undefined) return [];
        return containers.flatMap((c) =>
          mappings(c.volumeMounts)
            .filter((mount) => mount.name === v.volume)
            .flatMap((mount): KeyMount[] => {
              const path = mountedAt(mount, file);
              const container = `${where ? `${where} ` : ''}container '${text(c.name) ?? '<unnamed>'}'`;
              return path ? [{ holder: id, container, image: text(c.image), path }] : [];
            }),
        );
      },
    }));
  });
}

/**
 * The containers of the tree that mount a key of a ConfigMap as a file (a configMap volume or a projected source
 * showing the key, by its items or whole, mounted whole or by a subPath naming the key's file), in the ConfigMap's
 * namespace.
 */
export function keyMounts(graph: ObjectGraph, configMap: GraphObject, key: string): KeyMount[] {
  const index = graph.once('config-map-mounts', () => {
    const byName = new Map<string, { ns: string | undefined; key: (key: string) => KeyMount[] }[]>();
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      for (const m of objectMounts(o, graph.id(o))) byName.set(m.name, [...(byName.get(m.name) ?? []), { ns, key: m.key }]);
    }
    return byName;
  });
  const name = text(mapping(configMap.manifest.metadata).name);
  const ns = graph.namespaceOf(configMap.manifest);
  return (index.get(name ?? '') ?? []).filter((m) => m.ns === undefined || ns === undefined || m.ns === ns).flatMap((m) => m.key(key));
}
