import type { Loose } from '../manifests/access';
import { readsRunContext } from '../private/run-memo';

/**
 * The files the tree's ConfigMaps show the containers of a checked tree, known while a check runs: a start-up script
 * kept in a ConfigMap and mounted into the container it starts. Outside a run nothing is known.
 */

/** A file a container sees from a ConfigMap of the tree. */
export interface MountedFile {
  /** The path in the container. */
  readonly path: string;
  /** The ConfigMap key's text. */
  readonly text: string;
  /** Where the text is written, for messages: `ConfigMap 'vllm-start' key start.sh`. */
  readonly from: string;
  /** Whether the file's mode lets it be run as a program (an execute bit of the item's mode or the volume's defaultMode). */
  readonly executable: boolean;
}

/** The file a container sees at a path, when a ConfigMap of the tree shows one there. */
export type FileReader = (path: string) => MountedFile | undefined;

/** A variable a container gets from the envFrom ConfigMaps of the tree: its value and where it is written. */
export interface EnvFromValue {
  readonly name: string;
  readonly value: string;
  /** `ConfigMap vllm-config key VLLM_EXTRA_ARGS`, for messages. */
  readonly from: string;
}

/**
 * The reader of a container's ConfigMap files; undefined for a container that mounts none the tree holds. With it,
 * the variables the container's envFrom ConfigMaps of the tree give it (a shell script it runs expands them).
 */
export interface ContainerFiles {
  (container: Loose): FileReader | undefined;
  readonly envFrom?: (container: Loose) => readonly EnvFromValue[] | undefined;
  /** Whether an envFrom source of the container is one the tree does not show whole (a Secret, a ConfigMap not in the tree). */
  readonly envFromOpen?: (container: Loose) => boolean;
}

let current: ContainerFiles | undefined;

/** Runs `run` knowing the containers' ConfigMap files (the outer run's are restored when it returns). */
export function withMountedFiles<T>(files: ContainerFiles, run: () => T): T {
  const outer = current;
  current = files;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** The reader of the files the tree's ConfigMaps show a container, the same function for the same container within a run. */
export function mountedFilesOf(container: Loose): FileReader | undefined {
  readsRunContext();
  return current?.(container);
}

/** The variables the envFrom ConfigMaps of the tree give a container, in the kubelet's order; undefined when none is known. */
export function envFromValuesOf(container: Loose): readonly EnvFromValue[] | undefined {
  readsRunContext();
  return current?.envFrom?.(container);
}

/** Whether a container's envFrom names a source whose variables the tree does not show (a Secret, a ConfigMap not in the tree): it may set any variable. */
export function envFromOpenOf(container: Loose): boolean {
  readsRunContext();
  return current?.envFromOpen?.(container) ?? false;
}

/** Whether a container's command line depends on the tree of this run: a ConfigMap file it runs, or an envFrom value it expands. */
export function readsTreeFiles(container: Loose): boolean {
  return mountedFilesOf(container) !== undefined || envFromValuesOf(container) !== undefined;
}

/** The files known now (a memo key: a line read before they are known is not the line read after). */
export function knownFiles(): ContainerFiles | undefined {
  readsRunContext();
  return current;
}
