import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { EnvEntry } from './command-line';

/** Where huggingface_hub keeps downloads, and the variable that put it there (none: the home folder's default). */
export interface HubCache {
  readonly path: string;
  readonly variable?: EnvEntry;
}

/**
 * The Hugging Face hub cache a container downloads into, as huggingface_hub's constants.py resolves it:
 * HF_HUB_CACHE (or its older name HUGGINGFACE_HUB_CACHE), else HF_HOME/hub, HF_HOME defaulting to
 * $XDG_CACHE_HOME/huggingface and XDG_CACHE_HOME to ~/.cache. `home` is HOME when the container does not set it.
 * Undefined when a variable that decides it is set from a Secret or ConfigMap, or holds a variable or a relative path.
 */
export function hubCacheOf(env: readonly EnvEntry[], home: string): HubCache | undefined {
  const get = (name: string) => env.filter((e) => e.name === name).pop();
  const chain: [string, (v: string) => string][] = [
    ['HF_HUB_CACHE', (v) => v],
    ['HUGGINGFACE_HUB_CACHE', (v) => v],
    ['HF_HOME', (v) => `${v}/hub`],
    ['XDG_CACHE_HOME', (v) => `${v}/huggingface/hub`],
    ['HOME', (v) => `${v}/.cache/huggingface/hub`],
  ];
  for (const [name, path] of chain) {
    const variable = get(name);
    if (!variable) continue;
    if (variable.value === undefined || variable.value.includes('$') || !variable.value.startsWith('/')) return undefined;
    return { path: tidy(path(variable.value)), variable };
  }
  return { path: tidy(`${home}/.cache/huggingface/hub`) };
}

const tidy = (path: string) => path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

/** Volume sources whose files the kubelet writes and the container may not (configMap, secret, downwardAPI, projected). */
const READ_ONLY_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'];

/** Folders of an image's filesystem every user may write (mode 1777) while the root filesystem is writable. */
const WORLD_WRITABLE = /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/;

/** Why a non-root user cannot write a folder of a container; undefined when it can, or when that is not known. */
export function notWritable(path: string, container: Loose, pod: Loose, claims: readonly string[]): string | undefined {
  const mount = mappings(container.volumeMounts)
    .map((m) => ({ m, at: tidy(text(m.mountPath) ?? '') }))
    .filter(({ at }) => at !== '' && (path === at || path.startsWith(`${at === '/' ? '' : at}/`)))
    .sort((a, b) => b.at.length - a.at.length)[0];
  if (mount) {
    const name = text(mount.m.name) ?? '';
    if (mount.m.readOnly === true) return `on the volume '${name}', mounted readOnly at ${mount.at}`;
    const volume = mappings(pod.volumes).find((v) => v.name === name);
    const source = READ_ONLY_SOURCES.find((s) => isMapping(volume?.[s]));
    // a claim template of that name, an emptyDir, a claim, a host path or a volume the tree does not show: writable or unknown
    if (source && !claims.includes(name)) return `on the ${source} volume '${name}' at ${mount.at}, which the kubelet mounts read-only`;
    return undefined;
  }
  if (mapping(container.securityContext).readOnlyRootFilesystem === true)
    return 'on the read-only root filesystem (readOnlyRootFilesystem: true), no volume mounted there';
  if (WORLD_WRITABLE.test(path)) return undefined;
  return "on the image's own filesystem, owned by root, no volume mounted there";
}
