/** The options of reading manifests (readManifests): the size cap, standard input, the real kustomize and its load restrictor. */

/** kustomize's `--load-restrictor` values. */
export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

/** Options of reading. */
export interface ReadOptions {
  /**
   * Largest file read, in bytes; a larger one is reported, not read (YAML parsing needs many times the file size).
   * @default 16 MiB
   */
  readonly maxFileBytes?: number;
  /**
   * Standard input, for the path `-` (tests pass a string); given the byte budget, it should read no more than one
   * byte beyond it. @default - file descriptor 0, read in chunks up to the budget
   */
  readonly stdin?: (maxBytes: number) => Uint8Array | string;
  /**
   * Builds a kustomization root with the real kustomize (the CLI passes `kubectl kustomize`), so that patches,
   * generators, images and Helm charts are applied exactly; its output is read instead of the root's files.
   * @default - the reader follows resources itself and reports what it does not apply
   */
  readonly build?: (dir: string, flags?: readonly string[]) => { readonly output: string } | { readonly error: string; readonly unreachable?: boolean };
  /**
   * kustomize's `--load-restrictor`: `LoadRestrictionsNone` lets a kustomization list files outside its folder (Argo
   * CD's `kustomize.buildOptions`), for every root or per root folder. readManifests sets it when the input declares
   * those options.
   * @default LoadRestrictionsRootOnly
   */
  readonly loadRestrictor?: LoadRestrictor | ((root: string) => LoadRestrictor);
  /**
   * kustomize's `--enable-helm`: a kustomization's helmCharts with a local chart are inflated (rendered), for every
   * root or per root folder. readManifests sets it where Argo CD's kustomize.buildOptions or a script of the
   * repository builds a root with it.
   * @default false
   */
  readonly enableHelm?: boolean | ((root: string) => boolean);
  /**
   * Folders of charts pulled ahead of the check (`<name>-<version>.tgz` archives as `helm pull` writes them, and
   * unpacked charts holding a Chart.yaml): a remote chart a HelmRelease or Application installs that one of them holds
   * (name and version, a range resolved against what is there) is rendered as a chart of the input. The CLI passes
   * `--charts` and Helm's repository cache.
   * @default - none
   */
  readonly chartFolders?: readonly string[];
}
