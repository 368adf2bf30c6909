import { ALL_RULES } from './engine';
import { RuleMetadata } from './rule';
import { kustomizeBuildFails } from './rules/kustomize-build-fails';
import { kustomizePatchInvalid } from './rules/kustomize-patch-invalid';
import { scriptApplyPathMissing } from './rules/script-apply-path-missing';
import { scriptFlagUnknown } from './rules/script-flag-unknown';
import { fileNotDelivered } from './rules/file-not-delivered';
import { helmRenderFails } from './rules/helm-render-fails';
import { helmValueIgnored } from './rules/helm-value-ignored';
import { helmValuesNotPassed } from './rules/helm-values-not-passed';

/** Ids of the findings about the input itself rather than an object. */
export const INPUT_RULES: readonly RuleMetadata[] = [
  {
    id: 'unreadable-input',
    title: 'a file or document that cannot be read as Kubernetes YAML (parse error, binary, too large, FIFO, device, symlink loop)',
    severity: 'error',
    appliesTo: ['(files)'],
    premise: 'always',
    example: 'a tab in the indentation of `name: vllm-config`',
    fix: 'fix or remove the file; the rest of the tree is still checked',
    source: 'kubectl and Argo CD refuse to apply a file that does not parse',
  },
  {
    id: 'duplicate-key',
    title: 'a YAML mapping repeats a key: the reader keeps one value and drops the other (the object is still checked, with the last value)',
    severity: 'warning',
    appliesTo: ['(files)'],
    premise:
      'a file applied as written (kubectl or oc apply -f, an Argo CD directory source), which decode each document with sigs.k8s.io/yaml, where the last value of a repeated key wins without an error, and send the decoded object: ' +
      'a warning when the values differ (the first is dropped silently), a note when they are equal (nothing is lost), an error where apiVersion and kind repeat with other values (two objects written without a `---`: the first one is never created); ' +
      "in a file a kustomization lists, kustomize decides: a repeat it builds (an object's metadata.annotations written twice, merged with the first winning, or a key repeated inside them) is no finding and the object is read as built, one it refuses is kustomize-build-fails; " +
      'a strategic-merge patch keeps the first of a repeated key, as kustomize applies it; in a document that is no Kubernetes object (a Helm values file, a compose file) no API server judges it: a warning that the last value wins (Helm reads values with sigs.k8s.io/yaml, non-strict), a note when the values are equal',
    example: 'a ConfigMap whose `data:` lists `MAX_MODEL_LEN` twice, with two values',
    fix: 'keep one of the values (for two objects written as one, put a line `---` between them)',
    source:
      "k8s.io/cli-runtime pkg/resource/visitor.go StreamVisitor (k8s.io/apimachinery pkg/util/yaml NewYAMLOrJSONDecoder: sigs.k8s.io/yaml, go-yaml v2 non-strict, the last value wins) and kubectl sends the decoded object re-encoded, so the API server's strict field validation never sees the repeat (kubectl 1.34: `create --dry-run=client -o yaml` prints the last value); " +
      'argo-cd reposerver/repository/repository.go getObjsFromYAMLOrJSON → splitYAMLOrJSON (the same decoder) for a directory source; kustomize (kyaml, go-yaml v3) refuses a repeated key ("mapping key … already defined"); helm pkg/chartutil/values.go ReadValues (sigs.k8s.io/yaml.Unmarshal, non-strict)',
  },
  kustomizeBuildFails,
  kustomizePatchInvalid,
  scriptApplyPathMissing,
  scriptFlagUnknown,
  fileNotDelivered,
  helmRenderFails,
  helmValueIgnored,
  helmValuesNotPassed,
  {
    id: 'input-not-followed',
    title: 'part of the input is not applied by check (remote bases, Helm charts, patches selected by labels, a document that is not an object)',
    severity: 'warning',
    appliesTo: ['(files)'],
    premise:
      "a kustomization uses a field check does not apply, a document is not a Kubernetes object, or a file is a template check does not render: {{ … }} markers outside quoted scalars, or a file judged as a template (a *.tmpl name, a README beside it or its own comment running envsubst, a script of the tree rendering it) that fails to parse at a line holding a ${VAR} placeholder (a whole-line block such as `${TAINTS_BLOCK}`); elsewhere such a failure is unreadable-input; a Helm release whose chart is not in the input (a Flux HelmRelease of a Helm repository, an OCIRepository or a HelmChart no chart folder of the input renders for; each chart source of an Argo CD Application) is a note naming the release, its namespace and the source of the chart, as the objects it makes are not checked; so is an Argo CD ApplicationSet whose generators check cannot expand offline (an SCM provider, pull request, plugin or cluster decision generator, a clusters generator selecting by labels, a git generator on a repository the input does not show, also inside a matrix or merge), naming why: the Applications it makes are not checked, and objects missing from the destination namespace of its template are said as warnings at most. Documents that are no object are counted in one summary line (--verbose lists each), a note where all are the input of a tool (Helm values files: values.yaml, values-<env>.yaml, <name>-values.yaml; the fleet.yaml of Rancher Fleet), which is never a manifest Flux Kustomizations are followed as kustomize-controller follows them: spec.path read from the root of the git work tree the checked folder lies in (or from a checked folder that is no work tree, where the path is a folder of it), where the source is the GitRepository flux-system or one of the tree whose url is the work tree's remote (or the tree's only GitRepository), a folder outside the checked ones read as theirs; one not followed (an OCIRepository or Bucket source, another repository's GitRepository, a path with a variable, a missing path, a suspended one, a path outside a checked folder that is no work tree) is a note naming it and why",
    example: 'a patch in a kustomization.yaml whose target selects by `labelSelector:` (also: Helm charts, remote bases, vars)',
    fix: 'check the built output: cdk8s-vllm check --kustomize kubectl <dir>, or kubectl kustomize <dir> | cdk8s-vllm check -',
    source:
      "the objects kustomize builds may differ from the files; Helm (values files passed with -f) and Rancher Fleet (fleet.yaml, a bundle's options) read these files themselves; argo-cd applicationset/generators (scm_provider.go, pull_request.go, plugin.go, duck_type.go query services or resources outside the tree; cluster.go lists the cluster Secrets its selector matches; git.go reads the repository it names); fluxcd/kustomize-controller internal/controller/kustomization_controller.go (the source's artifact root joined with spec.path) and fluxcd/pkg kustomize/kustomize_generator.go scanManifests (a folder without a kustomization: its YAML files and the builds of the folders below holding one)",
  },
];

/**
 * Findings made at synth outside the rule engine, on the constructs rather than the rendered objects
 * (check/app-checks): they stop the synth like an error rule, and cannot be acknowledged.
 */
export const SYNTH_RULES: readonly RuleMetadata[] = [
  {
    id: 'json-patch-dropped',
    title: "a JSON patch (addJsonPatch) on a typed object whose path is not in the rendered object: the binding's schema has no such field",
    severity: 'error',
    appliesTo: ['(constructs)'],
    premise: 'a construct carries a JSON patch that adds, replaces, copies or moves a value',
    example: "JsonPatch.add('/spec/predictor/minReplica', 1) on an InferenceService (the field is minReplicas)",
    fix: "fix the patch's path, or set the field through the construct's props",
    source: 'cdk8s typed bindings (cdk8s import) render only the fields their schema knows, after applying the patches: an unknown path vanishes',
  },
];

/** Every finding id the tool can emit, with its metadata: the engine's rules, then the input and synth findings. */
export const REGISTERED_RULES: readonly RuleMetadata[] = [...ALL_RULES, ...INPUT_RULES, ...SYNTH_RULES];
