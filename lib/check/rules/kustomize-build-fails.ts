import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader while it builds a kustomization (lib/manifests/read-manifests.ts), not on an object:
 * a root kustomize refuses to build deploys nothing, whatever its objects say; the other roots of the input are
 * still read and checked.
 */
export const kustomizeBuildFails: RuleMetadata = {
  id: 'kustomize-build-fails',
  title:
    'a kustomization kustomize refuses to build: a missing resource, a base folder without a kustomization, a cycle, a field of the wrong shape, a name reference or replacement it cannot resolve, a local Helm chart that is not there, a resource that repeats a mapping key',
  severity: 'error',
  appliesTo: ['(kustomizations)'],
  premise:
    "a folder with a kustomization file is read as kustomize builds it (or built with --kustomize); remote resources are not fetched; of the well-known ones (Kueue's config/default or release manifests.yaml, KServe's release kserve.yaml) the Namespace and CRDs they create are known, and a local object with one of those ids in the same build is refused; when a listed resource file is missing, the files of the kustomization's folder it names nowhere whose names are close to a missing one (the likely renamed resources: `service.yaml` and `service-v2.yaml`, a few letters apart, or a distinctive word in common) are checked as if listed, said once as a warning; a leftover with an unrelated name is not read; files listed outside a kustomization's folder are one finding per kustomization, and none when the input's argocd-cm or ArgoCD resource sets --load-restrictor LoadRestrictionsNone in kustomize.buildOptions (Argo CD builds with it), nor for a root that only Flux Kustomizations build (kustomize-controller builds with LoadRestrictionsNone within the source; a script, kubectl apply -k or an Argo CD Application building it too keeps the finding); an empty kustomization that nothing of the input builds (no parent, Application path or script names it, not the folder checked) is a placeholder, said as a note; a helmCharts entry with no repo needs the folder `<helmGlobals.chartHome>/<name>` (chartHome `charts` by default, relative to the kustomization); a missing generator file (configMapGenerator, secretGenerator) that a .gitignore from its folder up to the work tree's root (or the checked folder) ignores is one each user creates (a credentials file): a warning saying to create it, not a refusal; listed resources a script of the tree writes before it builds the root (`envsubst < x.yaml.template > x.yaml.local`, also one file per match of a loop over a glob with its source beside it, `for t in *.yaml.template … \"${t%.template}.local\"`) are one warning per kustomization and script naming them, not a refusal each",
  example: '`resources: [../base]` where ../base holds manifests but no kustomization.yaml',
  fix: 'make the kustomization build: list paths that exist, give each listed folder a kustomization.yaml, fix the field the message names; `kubectl kustomize <dir>` then succeeds',
  source:
    'kustomize v5 (api/internal/target/kusttarget.go, api/internal/accumulator: it stops at the first missing resource, api/internal/loader/fileloader.go: "unable to find one of \'kustomization.yaml\'…", "cycle detected", "may not add resource with an already registered id" (api/resmap/reswrangler.go Append); api/internal/builtins/HelmChartInflationGenerator.go: "no repo specified for pull, no chart found"; kyaml converting a resource to a map with go-yaml v3 Unmarshal: "mapping key … already defined", after kyaml/yaml/rnode.go SetAnnotations merged repeated metadata.annotations); Argo CD reports the failed build as a ComparisonError and syncs nothing of the application; fluxcd/pkg kustomize/kustomize_generator.go SecureBuild (LoadRestrictionsNone, a filesystem bounded at the source root)',
};
