/** A manifest read from disk or a stream, with where it came from. */
export interface LoadedManifest {
  /** File path as given (relative paths stay relative), or `<stdin>`. */
  readonly file: string;
  /** Index of the document in a multi-document file. */
  readonly index: number;
  /** 1-based line of the file where the document starts. */
  readonly line: number;
  /** The object as parsed (a mapping for a Kubernetes object). */
  readonly manifest: unknown;
  /** The kustomization folders that built it, outermost first (empty for a file read on its own). */
  readonly kustomizations?: readonly string[];
  /** The other kustomization roots whose builds hold this object unchanged (the reader keeps one copy of what several roots build alike). */
  readonly alsoBuiltBy?: readonly string[];
  /** The comment written just before the document (`# …` lines; the file's head for its first document), as its author's note. */
  readonly comment?: string;
  /**
   * Variables of a container env list that a repeated `env` key dropped (the last list is the one applied) and that the
   * kept list does not set: by container name, for the rules to say what the container runs without.
   */
  readonly droppedEnv?: readonly DroppedEnv[];
  /**
   * Of a file no build of the input reads: the kustomization near it that lists it (a build of its own beside the
   * checked one, such as an overlay folder below the checked root that the checked build does not include).
   */
  readonly ownKustomization?: string;
  /** Of a file no build reads, beside a kustomization a build reads outside the checked folders: not a file of the checked tree. */
  readonly besideBuild?: boolean;
  /** Set for a file met walking a folder, outside kustomize folders: nothing in the input says it is applied. */
  readonly walked?: boolean;
  /** What the shell fills in the object when its script runs: the `${VAR}`, `$(cmd)` of an unquoted heredoc it applies (`cat <<EOF | oc apply -f -`). */
  readonly shellFills?: readonly string[];
  /**
   * The literal tokens a script's sed replaces in the file before it is applied (`s|<REPO_URL>|$URL|g`: `<REPO_URL>`):
   * those of the renderer its template reason names.
   */
  readonly sedFills?: readonly string[];
  /** The sed of its rendering replaces its sedFills and nothing else: a placeholder none of them matches is applied as written. */
  readonly sedExact?: true;
  /** Met walking checked folders none of whose scripts, Makefiles, READMEs or CI workflows deploys or renders anything. */
  readonly unscripted?: true;
  /** The program that renders the file before it is applied, as its template reason names it (`envsubst`, `sed`, …). */
  readonly renderedWith?: string;
  /** The script that renders it edits its file, or the kustomization that builds it, in place (`sed -i`): any delivery reads the filled file. */
  readonly renderedInPlace?: boolean;
  /**
   * The variables envsubst fills in the object where a script pipes its file or its kustomize build through envsubst
   * straight into an apply: all of them, or those its SHELL-FORMAT argument names.
   */
  readonly envsubstFills?: 'all' | readonly string[];
  /** Why a file read outside kustomizations is taken for a template that is rendered before it is applied. */
  readonly template?: string; /** The namespace its file gave it, when a kustomization's `namespace:` moved it to another. */
  readonly movedFrom?: string;
  /** A kustomization's `namespace:` gave it its namespace (its file gave none, or another: movedFrom). */
  readonly namespacedByBuild?: true;
  /** The name a generator gave it before kustomize appended its content hash (a configMapGenerator's `name:`, with any prefix). */
  readonly hashedFrom?: string;
  /** The names the build gave it before its final one (namePrefix, nameSuffix, a generator's content hash), first to last. */
  readonly renamedFrom?: readonly string[];
  /** Of an object read from a Flux Kustomization's path: how its post-build substitution treated it (flux-followed.ts). */
  readonly fluxSubstitution?: FluxSubstitution;
  /** Of an object a Helm chart of the input renders: the chart's folder and the delivery whose values rendered it. */
  readonly helmRendering?: HelmRendering;
  /** Of a Flux Kustomization its parents' spec.patches changed: those parents, and the spec.patches entries they put there. */
  readonly fluxParentPatched?: FluxParentPatched;
}

/** A Flux Kustomization as the spec.patches of the parent Kustomizations that build it leave it (flux-parent-patches.ts). */
export interface FluxParentPatched {
  /** The parents, as messages name them (`Kustomization flux-system/cluster-apps`). */
  readonly by: string;
  /** The indexes of its spec.patches entries that a parent's patch put there: the parent's defaults, not its own. */
  readonly patches: readonly number[];
}

/** Something in the input that could not be read, or a kustomization feature that is not applied. */
export interface ManifestReadError {
  readonly file: string;
  /** 1-based line, when the problem is at one. */
  readonly line?: number;
  readonly message: string;
  /** What kind of problem: the input rule id (`unreadable-input` for errors, `input-not-followed` for warnings, unless set). */
  readonly kind?:
    | 'duplicate-key'
    | 'kustomize-patch-invalid'
    | 'kustomize-build-fails'
    | 'script-apply-path-missing'
    | 'script-flag-unknown'
    | 'file-not-delivered'
    | 'helm-render-fails'
    | 'helm-value-ignored'
    | 'helm-values-not-passed'
    | 'image-reference-invalid'
    | 'input-not-followed';
  /**
   * Errors lose objects (a file that does not parse); warnings only mean the result may differ from the build; notes
   * say how the input was read.
   */
  readonly severity: 'error' | 'warning' | 'info';
  /** The documentation file (a README) whose command the problem is of: such problems of one file are said as one finding unless --verbose. */
  readonly documentedIn?: string;
  /**
   * What follows from this problem in other builds (a replacement whose source the missing file generates): said on
   * this finding, counted, and listed each under --verbose.
   */
  readonly consequences?: readonly { readonly file: string; readonly message: string }[];
  /** Part of a list the message shortens (`marker`, a count of the rest), and the rest in full, which --verbose says instead. */
  readonly elided?: { readonly marker: string; readonly full: string };
}

/** A file of a folder that Argo CD's directory source reads (reposerver findManifests) but that gave check no object. */
export interface UnreadFile {
  readonly file: string;
  /**
   * `jsonnet`: Argo CD evaluates it (with directory.jsonnet extVars, tlas and libs), check does not; `not-manifest`: a
   * .json file that is not one Kubernetes object, which Argo CD refuses; `unparsable`: YAML that does not parse, which
   * Argo CD cannot unmarshal; `no-api-version`: a document with a kind but no apiVersion, which the apply refuses;
   * `skipped`: YAML holding no object (a Helm values file, a configuration), which Argo CD passes over without a word;
   * `kindless`: YAML with a document that is no object with a kind, which Argo CD refuses (an object before it, or the
   * words apiVersion:, kind: and metadata: in the file).
   */
  readonly kind: 'jsonnet' | 'not-manifest' | 'unparsable' | 'no-api-version' | 'skipped' | 'kindless';
  /**
   * What a `not-manifest` file holds, in words ("a JSON array"); the parser's problem for `unparsable` and
   * `no-api-version` ones; why Argo CD refuses a `kindless` one.
   */
  readonly holds?: string;
  /** Whether the reader already reported the file's problem as an error of the input (a file of a folder read whole). */
  readonly reported?: boolean;
  /** The objects an `unparsable` file seems to declare, read from its top-level kind and metadata.name lines. */
  readonly declares?: readonly { readonly kind: string; readonly name: string }[];
}

/** What a kustomization's own build does, as the reader built it. */
export interface KustomizationBuild {
  /** The kustomization's folder, as the reader names folders. */
  readonly folder?: string;
  /** Whether it sets namespace, namePrefix or nameSuffix: names and namespaces after its patches differ from before. */
  readonly renames: boolean;
  /** Whether a step the reader did not follow (a remote resource, a Helm chart, a generator plugin) may add objects to its build. */
  readonly partlyBuilt: boolean;
  /** Whether kustomize refuses to build it (a kustomize-build-fails error on its kustomization file): it delivers nothing. */
  readonly fails?: boolean;
  /** The names its configMapGenerator and secretGenerator entries give (before any hash): what it makes when it builds. */
  readonly generated?: readonly string[];
  /**
   * The files and folders its PolicyGenerator generators wrap into Policies (policy-generators.ts): what they hold
   * reaches the clusters through the policy framework, not through what applies this kustomization's output.
   */
  readonly policyGenerated?: readonly string[];
}

/** Where a rendered object comes from: the chart folder, and the delivery whose values rendered it (`Application/ns/name`). */
export interface HelmRendering {
  readonly folder: string;
  readonly delivery: string;
  /** How a render no delivery gives was made ("rendered with …"): its findings are warnings at most, saying so. */
  readonly capped?: string;
  /**
   * Of an object of such a render: its template, a file of the chart itself (not of a subchart, which values may turn
   * off), holds no template action, so any values render it alike and its findings are not capped.
   */
  readonly valuesFree?: boolean;
  /**
   * Of an object the check renders itself from a release's values, by its model of a chart not in the input
   * (app-template-render.ts): what it was rendered from, as findings on it say (`app-template 4.1.1 values of HelmRelease ai/ollama`).
   */
  readonly model?: string;
}

/** A variable a repeated container `env` key dropped: the container, the variable and its literal value, and the line of the dropped list. */
export interface DroppedEnv {
  readonly container: string;
  readonly name: string;
  readonly value?: string;
  readonly line: number;
}

/** How Flux's post-build substitution treated an object (kustomize_varsub.go SubstituteVariables). */
export interface FluxSubstitution {
  /** The Flux Kustomization whose build holds the object, as messages name it (`Kustomization flux-system/ollama`). */
  readonly by: string;
  /** Variables written without a default that no substitute or substituteFrom gives: Flux renders them empty. */
  readonly empty: readonly string[];
  /**
   * Where each of those is written: the field's path in the object (`data.entrypoint.sh`,
   * `spec.template.spec.containers[0].args[1]`), and whether its value is a multi-line block (a script, a file).
   */
  readonly emptyIn?: readonly { readonly variable: string; readonly field: string; readonly block: boolean }[];
  /** Variables a substituteFrom ConfigMap or Secret may give: rendered, their value unknown here. */
  readonly unknown: readonly string[];
  /** Why Flux's substitution fails on the object ("variable substitution failed"), if it does. */
  readonly error?: string;
}
