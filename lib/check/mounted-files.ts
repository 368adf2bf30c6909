import type { Loose } from '../manifests/access';

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

/** The reader of a container's ConfigMap files; undefined for a container that mounts none the tree holds. */
export type ContainerFiles = (container: Loose) => FileReader | undefined;

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
  return current?.(container);
}

/** The files known now (a memo key: a line read before they are known is not the line read after). */
export function knownFiles(): ContainerFiles | undefined {
  return current;
}
