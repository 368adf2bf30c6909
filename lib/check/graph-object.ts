import type { Loose } from '../manifests/access';
import type { DroppedEnv, FluxParentPatched, FluxSubstitution, HelmRendering } from '../manifests/loaded';

/** A manifest the rules look at, and where it came from. */
export interface GraphObject {
  readonly manifest: Loose;
  readonly file?: string;
  /** 1-based line of the document's start in the file. */
  readonly line?: number;
  /** The kustomization folders that built it, outermost first. */
  readonly kustomizations?: readonly string[];
  /** The other kustomization roots whose builds hold this object unchanged (the reader keeps one copy of what several roots build alike). */
  readonly alsoBuiltBy?: readonly string[];
  /**
   * The set of objects applied together to one cluster, when not a kustomization: the charts of a cdk8s app that go
   * to one cluster (all of them, unless a fleet sends them to several).
   */
  readonly unit?: string;
  /** The comment written just before the document (`# …` lines; the file's head for its first document), as its author's note. */
  readonly comment?: string;
  /**
   * Variables of a container env list that a repeated `env` key dropped (the last list is the one applied) and that the
   * kept list does not set: by container name, for the rules to say what the container runs without.
   */
  readonly droppedEnv?: readonly DroppedEnv[];
  /** What declared it, when not a file: the construct path in a cdk8s app. */
  readonly origin?: string;
  /** The path of the cdk8s-vllm construct that rendered it, in an app of the constructs (its advice may name the construct's props). */
  readonly construct?: string;
  /** Read from a folder walk, outside kustomize folders (`readManifests` tells it): nothing in the input says it is applied. */
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
  /** Of an object read from a Flux Kustomization's path: how its post-build substitution treated it (flux-followed.ts). */
  readonly fluxSubstitution?: FluxSubstitution;
  /** Why the reader takes the file for a template rendered before it is applied (`readManifests` tells it). */
  readonly template?: string; /** The namespace its file gave it, when a kustomization's `namespace:` moved it to another. */
  readonly movedFrom?: string;
  /** A kustomization's `namespace:` gave it its namespace (its file gave none, or another: movedFrom). */
  readonly namespacedByBuild?: true;
  /** The name a kustomize generator gave it before the build appended its content hash. */
  readonly hashedFrom?: string;
  /** The names the kustomize build gave it before its final one (namePrefix, nameSuffix, content hash), first to last. */
  readonly renamedFrom?: readonly string[];
  /**
   * Read from a file of the repository outside the checked folders: an Argo CD Application that syncs a checked folder
   * (outside-delivery.ts), which the rules read as the folder's delivery and no finding is said on. `root` is the
   * repository's root as the checked folder shows it, where its remotes do not tell it.
   */
  readonly outside?: OutsideSource;
  /** The OpenShift Template that holds it (Template/NAMESPACE/NAME), for an object read from a Template's `objects` (template-objects.ts). */
  readonly fromTemplate?: string;
  /** Of an object a Helm chart of the input renders: the chart's folder and the delivery whose values rendered it (`Application/ns/name`). */
  readonly helmRendering?: HelmRendering;
  /** Of a Flux Kustomization its parents' spec.patches changed: those parents, and the spec.patches entries they put there (flux-followed.ts). */
  readonly fluxParentPatched?: FluxParentPatched;
}

/** Where an object read outside the checked folders comes from. */
export interface OutsideSource {
  /** The file, as a path like the checked folders' (`repo/apps/x.yaml`), and the document's line. */
  readonly file: string;
  readonly line: number;
  /** The ApplicationSet it was generated from, when it was. */
  readonly set?: string;
  /** The checked folder (as named) and its path in the repository, where the root is known only from the work tree. */
  readonly root?: { readonly folder: string; readonly within: string };
}

/**
 * Whether an object comes from a chart render whose values are not a delivery's (the chart's defaults, its ci/ values,
 * or a delivery missing a values file it could not read): what such an object states is what the chart would do, not a
 * fact of the tree, so a finding elsewhere may not rest on it as certain. The engine caps findings on it.
 */
export function renderedWithoutDeliveryValues(o: GraphObject): boolean {
  const r = o.helmRendering;
  return r !== undefined && !r.valuesFree && (r.delivery.startsWith('check/') || r.capped !== undefined);
}

/** The set of objects built and applied together that an object belongs to: its chart in an app, its outermost kustomization, or '' for loose files. */
export function unitOf(o: GraphObject): string {
  // a chart's render is applied as one, per delivery (its release)
  return o.unit ?? o.kustomizations?.[0] ?? (o.helmRendering ? `${o.helmRendering.folder}#${o.helmRendering.delivery}` : '');
}

/** Whether an object is applied with the set `unit` names (unitOf): its own, or another root that builds it alike. */
export function inUnit(o: GraphObject, unit: string): boolean {
  return unitOf(o) === unit || (o.alsoBuiltBy?.includes(unit) ?? false);
}

/** Whether two objects are one declaration read twice (a base built by two roots): the same file and line. */
export function sameDeclaration(a: GraphObject, b: GraphObject): boolean {
  return a.file !== undefined && a.file === b.file && a.line === b.line;
}

/** Where an object was read, `file:line`, or the construct that declared it, for messages; undefined when neither is known. */
export function locationOf(o: GraphObject): string | undefined {
  if (o.file === undefined) return o.origin;
  return `${o.file}${o.line ? `:${o.line}` : ''}`;
}
