import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader while it renders a Helm chart of the input (lib/helm/subchart-values.ts), not on an
 * object: a value an umbrella chart sets at its top for a subchart never reaches the subchart.
 */
export const helmValuesNotPassed: RuleMetadata = {
  id: 'helm-values-not-passed',
  title:
    'a chart with dependencies sets at its top a value that none of its templates reads and that a subchart defines at its own top: Helm hands a subchart only the values under its name, so the subchart renders with its default',
  severity: 'error',
  appliesTo: ['(charts)'],
  premise:
    "a chart of the input rendered with its subcharts (a folder or .tgz in charts/, or a file:// dependency; import-values applied as Helm applies them), with a delivery's values or its defaults alone: a top-level key of the values (the chart's values.yaml, or the delivery's values files, inline values and --set) that no template of the render asked for (as helm-value-ignored counts reads: a value printed, copied or handed to a function counts as read; the chart's NOTES.txt counts), that is not `global`, `tags`, the name or alias of a dependency, or the first key of a dependency's condition, while an enabled subchart's own values.yaml holds the same key at its top. An error where the value holds an `enabled` switch (the key itself, or its `enabled`) other than the subchart's default: the subchart makes or leaves out objects against it; else a warning. Such a key is not also reported by helm-value-ignored",
  example:
    'an umbrella chart listing the dependency `chat-ui` whose values.yaml sets `localModels: {enabled: false}` at its top instead of under `chat-ui:`: the subchart still deploys its local model server',
  fix: "move the value under the dependency's name (or alias): `chat-ui: {localModels: {enabled: false}}`; values every chart shares go under `global:`",
  source:
    'Helm docs "Subcharts and Global Values" (a subchart reads only the values under its name in the parent, and global; "Overriding Values from a Parent Chart"); helm pkg/chartutil/coalesce.go CoalesceValues (each subchart\'s values are the parent\'s map under its name) and pkg/chartutil/dependencies.go processImportValues (import-values: exports.<name> or child/parent tables, the parent\'s values winning)',
};
