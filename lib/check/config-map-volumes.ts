import { Loose, mapping, mappings, text } from '../manifests/access';
import type { FileReader, MountedFile } from './mounted-files';

/**
 * ConfigMap volumes as the kubelet shows them in a container: which key is a file at which path, with which mode.
 */

/** One ConfigMap volume (or projected source) of a pod: the ConfigMap's name and the file path of each key it shows. */
export interface ConfigMapVolume {
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
export function configMapVolumes(pod: Loose): ConfigMapVolume[] {
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
export function mountedAt(mount: Loose, file: string): string | undefined {
  const dir = (text(mount.mountPath) ?? '').replace(/\/+$/, '');
  const sub = text(mount.subPath)?.replace(/^\/+|\/+$/g, '');
  if (!sub) return `${dir}/${file}`;
  if (sub === file) return dir;
  return file.startsWith(`${sub}/`) ? `${dir}/${file.slice(sub.length + 1)}` : undefined;
}

/** A path as the container's file system resolves it: repeated and trailing slashes and `.` steps dropped. */
function cleanPath(path: string): string {
  return path
    .replace(/\/(\.\/)+/g, '/')
    .replace(/\/+/g, '/')
    .replace(/(.)\/$/, '$1');
}

/**
 * The files a container of a pod sees from ConfigMaps (`configMaps` gives those of a name the pod's namespace may
 * hold): a key of a configMap volume or projected source the container mounts, at the path mountedAt gives it. A
 * path two same-named ConfigMaps (overlays, alternatives) fill with different texts is not known.
 */
export function podFileReader(pod: Loose, container: Loose, configMaps: (name: string) => readonly Loose[]): FileReader | undefined {
  const volumes = configMapVolumes(pod);
  const mounts = mappings(container.volumeMounts).filter((m) => volumes.some((v) => v.volume === m.name));
  if (!mounts.length) return undefined;
  const files = new Map<string, MountedFile | undefined>();
  const find = (path: string): MountedFile | undefined => {
    const found = mounts.flatMap((mount) =>
      volumes
        .filter((v) => v.volume === mount.name)
        .flatMap((v) =>
          configMaps(v.name).flatMap((cm): MountedFile[] =>
            Object.entries(mapping(cm.data)).flatMap(([key, value]) => {
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
