import { isMapping, Loose, mapping, text } from '../manifests/access';
import type { ScriptPatch } from '../manifests/script-patches';
import { repositoryPatches, treePatches } from './container-patches';
import type { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';

/**
 * The DataScienceClusters as the tree leaves them: each manifest with the `oc|kubectl patch` commands the tree runs
 * on it applied (its scripts', READMEs', Makefiles' and its Jobs' and Pods' containers': treePatches), and the one a
 * patch alone shows where the tree patches a DataScienceCluster another folder makes.
 */

/** One DataScienceCluster as the tree leaves it. */
export interface EffectiveDsc {
  /** Its name, where the manifest or the patch gives one. */
  readonly name?: string;
  /** The manifest (only its spec where a patch alone shows it), with the patches applied. */
  readonly manifest: Loose;
  /** The manifest of the tree, where it has one. */
  readonly object?: GraphObject;
  /** The patches applied to it, in the order they run. */
  readonly patches: readonly ScriptPatch[];
  /**
   * Where the tree holds no DataScienceCluster, the file and line of the git repository outside the checked folder
   * that holds this one (`cluster/dsc.yaml (line 1)`): the cluster's set-up beside the checked app.
   */
  readonly file?: string;
}

/** The API group of the DataScienceCluster (opendatahub-operator api/datasciencecluster). */
const DSC_GROUP = 'datasciencecluster.opendatahub.io/';

/** The DataScienceClusters of the repository outside the checked folders, each file's object once. */
function repositoryDscs(graph: ObjectGraph): { name?: string; manifest: Loose; file: string }[] {
  const seen = new Set<string>();
  return graph
    .repositoryObjects()
    .filter((r) => r.kind === 'DataScienceCluster' && (text(r.manifest.apiVersion) ?? '').startsWith(DSC_GROUP))
    .filter((r) => !seen.has(`${r.file}:${r.line}`) && seen.add(`${r.file}:${r.line}`))
    .map((r) => ({ name: r.name, manifest: r.manifest, file: `${r.file} (line ${r.line})` }));
}

/**
 * The resource a patch command names, when it is a DataScienceCluster: its plural, singular or short name (the CRD's
 * shortName dsc), optionally group-qualified (opendatahub-operator api/datasciencecluster datasciencecluster_types.go,
 * kubebuilder:resource scope=Cluster, shortName=dsc); or a command substitution that gets one (`$(oc get dsc -o name)`).
 */
const DSC_RESOURCE = /^(datascienceclusters?|dsc)(\.v\w+)?(\.datasciencecluster\.opendatahub\.io)?(\/|$)/;
const DSC_SUBSTITUTION = /^\$\(.*\b(datascienceclusters?|dsc)\b/;

/**
 * Whether the API server applies the patch to a custom resource: a JSON merge patch or a JSON patch. kubectl patch's
 * default, a strategic merge patch, it refuses for a custom resource (kubernetes/apiextensions-apiserver
 * pkg/apiserver/customresource_handler.go: the patch types it supports are JSON patch, merge patch and apply;
 * kubernetes #53558; kubectl patch --help: "Strategic merge patch is not supported for custom resources").
 */
export const appliesToCustomResource = (p: ScriptPatch): boolean => p.type === 'merge' || p.type === 'json';

/** The DataScienceCluster a patch names (undefined: one got by a command substitution, any of them), or false for another resource. */
function patchedName(p: ScriptPatch): string | undefined | false {
  if (DSC_SUBSTITUTION.test(p.resource)) return undefined;
  const m = DSC_RESOURCE.exec(p.resource);
  if (!m) return false;
  return p.resource.slice(m[0].length) || undefined;
}

/** The patches of the tree (and, with `repository`, of its repository's scripts above it) on a DataScienceCluster, in the order they run. */
export function dscPatches(graph: ObjectGraph, repository = false): readonly ScriptPatch[] {
  return graph.once(`dsc-settings:patches:${repository}`, () =>
    [...treePatches(graph), ...(repository ? repositoryPatches(graph) : [])].filter((p) => patchedName(p) !== false),
  );
}

/** A copy of `m` with the value at a dotted path set (a merge patch's null removes the field). */
function withField(m: Loose, path: string, value: unknown): Loose {
  const [head, ...rest] = path.split('.');
  const copy: Loose = { ...m };
  if (!rest.length) {
    if (value === null) delete copy[head];
    else copy[head] = value;
  } else copy[head] = withField(isMapping(m[head]) ? m[head] : {}, rest.join('.'), value);
  return copy;
}

/** The manifest with the fields of the patches set. */
const patched = (m: Loose, patches: readonly ScriptPatch[]): Loose =>
  patches.reduce((acc, p) => p.fields.reduce((x, f) => withField(x, f.path, f.value), acc), m);

/**
 * The DataScienceClusters as the tree leaves them (EffectiveDsc): each of the tree's with the patches that name it or
 * any (a command substitution) applied; where the tree holds none, those of its git repository outside the checked
 * folders (EffectiveDsc.file); for a name the tree's patches alone give, that one. Patches the API server
 * refuses for a custom resource (a strategic merge patch: appliesToCustomResource) are left out. With `repository`,
 * the patches of the repository's scripts above the checked folder too (repositoryPatches), applied last.
 */
export function effectiveDscs(graph: ObjectGraph, repository = false): readonly EffectiveDsc[] {
  return graph.once(`dsc-settings:effective:${repository}`, () => {
    const patches = dscPatches(graph, repository).filter(appliesToCustomResource);
    const on = (name: string | undefined) => patches.filter((p) => patchedName(p) === undefined || patchedName(p) === name);
    const tree = graph.ofKind('DataScienceCluster').map((o): EffectiveDsc => {
      const name = text(mapping(o.manifest.metadata).name);
      const applied = on(name);
      return { ...(name ? { name } : {}), manifest: patched(o.manifest, applied), object: o, patches: applied };
    });
    // where the tree has none, the cluster's own in a folder beside it (operators/, cluster/) is the one its rules read
    const own = tree.length
      ? tree
      : repositoryDscs(graph).map((d): EffectiveDsc => {
          const applied = on(d.name);
          return { ...(d.name ? { name: d.name } : {}), manifest: patched(d.manifest, applied), patches: applied, file: d.file };
        });
    const named = new Set(own.map((d) => d.name));
    const elsewhere = [...new Set(patches.map(patchedName))].filter((n): n is string => typeof n === 'string' && !named.has(n));
    const shown = elsewhere.map((name): EffectiveDsc => {
      const applied = on(name);
      return { name, manifest: patched({ kind: 'DataScienceCluster', metadata: { name } }, applied), patches: applied };
    });
    // a substitution alone (`oc patch $(oc get dsc -o name) …`) shows the cluster's DataScienceCluster, whatever its name
    const any = !own.length && !shown.length && patches.length ? [{ manifest: patched({ kind: 'DataScienceCluster' }, patches), patches }] : [];
    return [...own, ...shown, ...any];
  });
}

/** A DataScienceCluster's spec.components.<name> (kueue, kserve, workbenches…), empty where it sets none. */
export const dscComponent = (m: Loose | undefined, name: string): Loose => mapping(mapping(mapping(m?.spec).components)[name]);

/** Where a patch is run, for messages: `setup.sh line 4`, `Job ns/x container 'patch' line 2`. */
export const patchPlace = (p: ScriptPatch): string => `${p.script} line ${p.line}`;
