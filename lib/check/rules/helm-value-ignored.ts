import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader while it renders a Helm chart a delivery of the input names (lib/helm/ignored-values.ts),
 * not on an object: a value the chart never reads changes nothing of what is applied.
 */
export const helmValueIgnored: RuleMetadata = {
  id: 'helm-value-ignored',
  title:
    'a Helm delivery gives a value that no template of the chart reads and that the chart does not define (a key misspelt or at the wrong depth): Helm renders as if it were not set',
  severity: 'warning',
  appliesTo: ['(charts)'],
  premise:
    "a chart of the input rendered with a delivery's values (an Argo CD Application, a Flux HelmRelease, a script's or README's helm install; not a chart rendered with its defaults alone): each value the delivery sets (a scalar, a list or an empty map, from values files, inline values or --set) that the templates of the render never asked for (a field `.a.b`, index, get, hasKey, dig, pluck or a range over its map, through variables, with, include, tpl, dict and default; a value printed, serialized, copied or given to any other function counts with everything under it as read; the root chart's NOTES.txt counts) and whose path the chart's defaults (values.yaml, the subcharts' under their names) do not hold, where the deepest part of the path the defaults hold is a map listing its keys (a default `{}` is free-form, such as annotations); values under `global`, `tags`, a dependency's condition, or a subchart that is disabled or not rendered are Helm's or another chart's and are not judged. One finding per delivery names the values, each with the chart's path ending in the same key where there is one",
  example:
    'a chart whose subchart `engine` reads `.Values.runtimeClassName`, delivered with `runtimeClassName: nvidia` one level too deep (under engine.engine): the GPU pod starts without the nvidia runtime',
  fix: 'move the value to the path the chart reads (`helm show values <chart>` lists them; the finding names the nearest), or remove it',
  source:
    "helm pkg/chartutil/coalesce.go (values merge with no schema: an unknown key is kept and ignored) and pkg/engine/engine.go (templates read values by path; a key no template reads renders nothing); text/template's field, index and range semantics (Go text/template exec.go) for what counts as read; helm pkg/chartutil/dependencies.go (conditions, tags, aliases) for the values Helm reads itself",
};
