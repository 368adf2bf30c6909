import { Loose, mapping, mappings, text } from '../manifests/access';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import type { ContainerFiles, FileReader, MountedFile } from './mounted-files';
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
  /** The file mode of a key: its item's mode, else the volume's defaultMode, else the kubelet's 0644. */
  readonly modeOf: (key: string) => number;
}

/** The mode the kubelet gives a ConfigMap volume's files when none is set (k8s.io/api core/v1 ConfigMapVolumeSourceDefaultMode). */
const DEFAULT_FILE_MODE = 0o644;

/** A volume's mode of each key: the item's, else the volume's defaultMode, else 0644. */
function keyModes(items: unknown, defaultMode: unknown): (key: string) => number {
  const fallback = typeof defaultMode === 'number' ? defaultMode : DEFAULT_FILE_MODE;
  return (key) => {
    const mode = mappings(items).find((i) => i.key === key)?.mode;
    return typeof mode === 'number' ? mode : fallback;
  };
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
    const own = text(direct.name)
      ? [{ volume, name: String(direct.name), pathOf: keyPaths(direct.items), modeOf: keyModes(direct.items, direct.defaultMode) }]
      : [];
    const projected = mappings(mapping(v.projected).sources).flatMap((s) => {
      const cm = mapping(s.configMap);
      const modeOf = keyModes(cm.items, mapping(v.projected).defaultMode);
      return text(cm.name) ? [{ volume, name: String(cm.name), pathOf: keyPaths(cm.items), modeOf }] : [];
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

/** A path as the container's file system resolves it: repeated and trailing slashes and `.` steps dropped. */
function cleanPath(path: string): string {
  return path
    .replace(/\/(\.\/)+/g, '/')
    .replace(/\/+/g, '/')
    .replace(/(.)\/$/, '$1');
}

/**
 * The files a container sees from the tree's ConfigMaps (of its object's namespace): a key of a configMap volume or
 * projected source the container mounts, at the path mountedAt gives it. A path two same-named ConfigMaps of the tree
 * (overlays, alternatives) fill with different texts is not known.
 */
function containerReader(graph: ObjectGraph, pod: Loose, container: Loose, ns: string | undefined): FileReader | undefined {
  const volumes = configMapVolumes(pod);
  const mounts = mappings(container.volumeMounts).filter((m) => volumes.some((v) => v.volume === m.name));
  if (!mounts.length) return undefined;
  const files = new Map<string, MountedFile | undefined>();
  const find = (path: string): MountedFile | undefined => {
    const found = mounts.flatMap((mount) =>
      volumes
        .filter((v) => v.volume === mount.name)
        .flatMap((v) =>
          graph.findAll('ConfigMap', v.name, ns).flatMap((cm): MountedFile[] =>
            Object.entries(mapping(cm.manifest.data)).flatMap(([key, value]) => {
              const file = v.pathOf(key);
              const at = file === undefined ? undefined : mountedAt(mount, file);
              if (typeof value !== 'string' || at === undefined || cleanPath(at) !== path) return [];
              return [{ path, text: value, from: `ConfigMap '${v.name}' key ${key}`, executable: (v.modeOf(key) & 0o111) !== 0 }];
            }),
          ),
        ),
    );
    return found.length && found.every((f) => f.text === found[0].text) ? found[0] : undefined;
  };
  return (path) => {
    const clean = cleanPath(path);
    if (!files.has(clean)) files.set(clean, find(clean));
    return files.get(clean);
  };
}

/**
 * The readers of the files the tree's ConfigMaps show its containers (every pod spec of its workloads, KServe serving
 * objects and kinds of several pods), built once per check run; undefined for a container that mounts none.
 */
export function containerFiles(graph: ObjectGraph): ContainerFiles {
  const index = graph.once('container-files', () => {
    const readers = new Map<Loose, FileReader>();
    for (const o of graph.objects) {
      const ns = graph.namespaceOf(o.manifest);
      for (const { spec } of podsOf(o.manifest)) {
        for (const c of [...mappings(spec.initContainers), ...mappings(spec.containers)]) {
          const reader = containerReader(graph, spec, c, ns);
          if (reader) readers.set(c, reader);
        }
      }
    }
    return readers;
  });
  return (container) => index.get(container);
}
