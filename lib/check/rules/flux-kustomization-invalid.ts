import * as path from 'path';
import { isMapping, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isRemote } from '../../manifests/kustomization';
import { applyPatches } from '../../manifests/patches';
import { builtAt, fluxPlace, inputFolder, isFluxKustomization, workTreeHolds } from '../flux-kustomizations';
import { LEFT_OUT_HEDGE, RepositoryRoot } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';

/**
 * Flux's patches join the folder's kustomization (fluxcd/pkg kustomize_generator.go GenerateManifest), whose patches
 * run before its namespace and name prefix or suffix: where either may rename, the target is compared without it.
 */
function comparableTarget(target: Loose, spec: Loose, renames: boolean): Loose {
  const t = { ...target };
  if (renames || text(spec.targetNamespace)) delete t.namespace;
  if (renames || [spec.namePrefix, spec.nameSuffix].some((v) => text(v))) delete t.name;
  return t;
}

/** Flux patches that select nothing in the objects the path builds (placeholders and selectors are not judged). */
function patchProblems(o: GraphObject, place: string, built: NonNullable<ReturnType<typeof builtAt>>): Problem[] {
  const spec = mapping(o.manifest.spec);
  const patches = mappings(spec.patches).map((p) => ({ patch: p.patch, target: comparableTarget(mapping(p.target), spec, built.renames) }));
  // a parent's patch that gives every child a default patch (fluxParentPatched) may select nothing in one child's build on purpose
  const inherited = o.fluxParentPatched?.patches ?? [];
  const judged = patches.map((p, i) => ({ ...p, i })).filter((p) => isMapping(p.target) && !JSON.stringify(p).includes('${') && !inherited.includes(p.i));
  if (!judged.length || !built.objects.length) return [];
  return judged.flatMap((p) => {
    const r = applyPatches(
      { patches: [{ patch: p.patch, target: p.target }] },
      built.objects.map((b) => b.manifest),
      () => undefined,
    );
    // as a kustomization's: a target meant for an object of the build is an error, one naming nothing of it a warning
    const judged = [...r.mistargeted.map((m) => ({ m, severity: 'error' as const })), ...r.unselected.map((m) => ({ m, severity: 'warning' as const }))];
    return judged.map(({ m, severity }) => {
      // the reader's words: `patches[0] target {…} selects no object of this build: … so it has no effect<; hint>`
      const target = /target (\{.*?\}) selects/.exec(m)?.[1] ?? '';
      const hint = m.split('so it has no effect')[1] ?? '';
      return {
        severity,
        message:
          `spec.patches[${p.i}] target ${target} selects no object that path '${place}' builds: Flux writes spec.patches into the kustomization it builds there, ` +
          `and kustomize applies the patch to nothing, without an error${hint.replace('point it at an object of the build, or remove it', 'retarget it at an object that path builds, or move it to the Kustomization that deploys the object')}`,
      };
    });
  });
}

/** spec.components that are not local folders below the path: Flux refuses them, kustomize fails on a missing one. */
function componentProblems(graph: ObjectGraph, o: GraphObject, place: string): Problem[] {
  const spec = mapping(o.manifest.spec);
  return strings(spec.components).flatMap((c) => {
    if (isRemote(c) || path.posix.isAbsolute(c))
      return [
        {
          message: `spec.components entry '${c}' is not a local relative path: Flux refuses it ("component path must be local and relative"); name a folder relative to spec.path`,
        },
      ];
    const folder = path.posix.join(place, c);
    if (spec.ignoreMissingComponents === true || c.includes('${') || inputFolder(graph, folder) || workTreeHolds(graph, folder)) return [];
    return [
      {
        message: `spec.components entry '${c}' names no folder below path '${place}': kustomize build fails and Flux applies nothing of this Kustomization; fix the component's path (relative to spec.path) or set spec.ignoreMissingComponents`,
      },
    ];
  });
}

/**
 * A path missing from the input: an error where the input is a git work tree of the repository (a clone holds every
 * folder), else a warning that names the assumed root, as argocd-path-not-in-input says it for Argo CD.
 */
function missingPath(o: GraphObject, root: RepositoryRoot): Problem {
  const written = text(mapping(o.manifest.spec).path);
  if (root.whole)
    return {
      message:
        `spec.path '${written}' names no folder of the repository (${root.reading}): kustomize-controller fails "kustomization path not found" and applies nothing; ` +
        'point spec.path at a folder of the repository, relative to its root',
    };
  return {
    severity: 'warning',
    message:
      `spec.path '${written}' is not in the checked input (${root.reading}; ${LEFT_OUT_HEDGE}): if the repository has no such folder, ` +
      'kustomize-controller fails "kustomization path not found" and applies nothing; point spec.path at a folder of the repository, relative to its root, or check the repository\'s clone to judge it',
  };
}

/**
 * A suspended Kustomization (spec.suspend: true) is not reconciled: kustomize-controller skips it and applies nothing
 * (fluxcd/kustomize-controller kustomization_controller.go Reconcile: "Reconciliation is suspended for this object"), so what it would refuse is a note, not a failure.
 */
function suspended(o: GraphObject, problems: Problem[]): Problem[] {
  if (mapping(o.manifest.spec).suspend !== true) return problems;
  return problems.map((p) => ({
    severity: 'info',
    message: `${p.message} (the Kustomization is suspended, spec.suspend: true, so Flux applies nothing of it now; this holds once it is resumed)`,
  }));
}

function fluxProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const at = fluxPlace(graph, o);
  if (!at) return [];
  const { place, repoPath, root } = at;
  if (!inputFolder(graph, place)) return [missingPath(o, root)];
  const built = builtAt(graph, place);
  return [...componentProblems(graph, o, place), ...(built ? patchProblems(o, repoPath, built) : [])];
}

export const fluxKustomizationInvalid: Rule = {
  id: 'flux-kustomization-invalid',
  title: 'a Flux Kustomization whose path is not in the repository, whose component is missing, or whose patch selects nothing that path builds',
  severity: 'error',
  appliesTo: ['Kustomization'],
  premise:
    "a kustomize.toolkit.fluxcd.io Kustomization whose source is the GitRepository flux-system (the repository flux bootstrap syncs, which the input shows); its spec.path is read from the repository's root: a checked folder that is the root of a git work tree, else the one top folder holding the first folder of a path of two folders or more of such Kustomizations; a path missing from a git work tree is an error, every problem of a suspended Kustomization (spec.suspend: true, which kustomize-controller does not reconcile) a note, one missing from a root that is no git work tree a warning (the checked folder may be a copy of a part of the repository, as argocd-path-not-in-input says for Argo CD); paths with ${var} (a parent's postBuild substitutes them) are not judged; spec.components are folders relative to spec.path (ignoreMissingComponents lets them be missing); a spec.patches target is compared with the objects the path builds (its kustomization, or the manifests below a folder without one and without kustomizations below), without its namespace or name where a targetNamespace, namePrefix or nameSuffix may rename, and not at all when that build lists a remote resource, a Helm chart or a generator; as in a kustomization, a target meant for an object of the build (another group or version, a kind in other case) is an error, one naming nothing the path builds a warning; a patch that a parent Kustomization's own spec.patches put in every child it builds (a target selecting kind Kustomization of kustomize.toolkit.fluxcd.io, by name regex, label or annotation selector) is a default for all of them, which one child's path may well not need, and is not judged on the child; where the checked folder lies inside a git work tree, spec.path is read from that work tree's root (a missing path an error), and a GitRepository of the tree whose url is a remote of the work tree, or the tree's only GitRepository, is the repository as flux-system is",
  example:
    '`path: ./apps/nai-helm` with `patches` whose `target` is `kind: HelmRelease` `version: v2beta1` `name: nai-core` while the path builds that HelmRelease at v2',
  fix: 'point spec.path at a folder of the repository, fix the components, and point each patch target at an object the path builds',
  source:
    'fluxcd/kustomize-controller internal/controller/kustomization_controller.go ("kustomization path not found"); fluxcd/pkg kustomize/kustomize_generator.go GenerateManifest (spec.patches, targetNamespace, namePrefix, nameSuffix and components written into the folder\'s kustomization, "component path \'%s\' must be local and relative", ignoreMissingComponents) and findOrGenerateKustomization (no kustomization: every manifest below); kustomize PatchTransformer applies a patch to m.Select(target) and says nothing when it is empty',
  check(o, { graph }) {
    return isFluxKustomization(o.manifest) ? suspended(o, fluxProblems(graph, o)) : [];
  },
};
