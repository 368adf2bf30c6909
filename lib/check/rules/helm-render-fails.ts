import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader while it renders a Helm chart of the input that a delivery of the input names
 * (lib/manifests/chart-deliveries.ts), not on an object: a render that fails applies nothing of the chart.
 */
export const helmRenderFails: RuleMetadata = {
  id: 'helm-render-fails',
  title:
    'a Helm chart of the tree that an Argo CD Application delivers fails to render with its values (`required`, `fail`, a template error, output that is no YAML): the sync fails',
  severity: 'error',
  appliesTo: ['(charts)'],
  premise:
    "a chart folder of the input that an Argo CD Application's source path names (no remote chart, no directory, kustomize or plugin settings), or that a Flux HelmRelease renders from a GitRepository (spec.chart.spec with a GitRepository sourceRef, or a chartRef to such a HelmChart: release name spec.releaseName else `<targetNamespace>-<name>`, shortened past 53 characters as helm-controller does; the target namespace; the source's valuesFiles, then valuesFrom ConfigMaps and Secrets of the input in order, a valuesKey merged or set at targetPath, then spec.values; a missing key of one not optional fails the release), or the checked folder when it is a chart, its packaged subcharts (charts/*.tgz) unpacked as helm's loader unpacks them (a path leaving the chart, an absolute path, a file over 5 MiB or 100 MiB in all refused as helm refuses them), is rendered as helm template renders it with the delivery's arguments (release name, destination namespace, values files relative to the chart, values or valuesObject, parameters as --set or --set-string, fileParameters, kubeVersion, apiVersions, skipCrds): when every input is known (the values files are in the input, no function whose output differs at each render, no construct not implemented, no capability of the cluster asked) and Helm itself fails (a `required` value missing, a `fail` call, a template error such as a field of nil, comparing values of different types, an include of no template, a document that does not parse as YAML), the render fails as it would in the repo server; so does a values file the source names (relative to the chart, or `$ref/…` at the root of the repository a `ref` source names) that the repository does not hold, where the input is its git work tree from the root (a clone holds every file of its commit) and ignoreMissingValueFiles is not set; a chart whose inputs are not all known is not rendered, said as a warning naming why",
  example: 'an Application with `path: charts/vllm` whose values leave out `model`, read by `{{ required "model must be set" .Values.model | quote }}`',
  fix: 'give the chart the values it requires (values files, `helm.values`, parameters), or mend the template the message names; `helm template <chart> -f <values>` then succeeds',
  source:
    'helm pkg/engine/engine.go (render: the template\'s execution error, `required` and `fail` as execution errors; missingkey=zero), pkg/release/v1/util/manifest.go SplitManifests and the YAML parse of each manifest ("YAML parse error on …"); argo-cd reposerver/repository/repository.go helmTemplate (value files resolved against the chart folder or the checkout root of the ref source, a missing one refused unless ignoreMissingValueFiles): a failed helm template is a ComparisonError, and nothing of the Application is synced; helm pkg/chart/loader/archive.go LoadArchiveFiles and load.go LoadFiles (packaged subcharts); fluxcd helm-controller internal/chartutil/values.go ChartValuesFromReferences and ReplacePathValue, api/v2 GetReleaseName, internal/release ShortenName: a release whose values or render fail is not installed',
};
