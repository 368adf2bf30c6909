import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** grafana-operator v5's API group (api/v1beta1). */
const GRAFANA_GROUP = 'grafana.integreatly.org/';

/** `${NAME}` in a string: what grafana-operator replaces with a valuesFrom value whose key is NAME. */
const VARIABLE = /\$\{([^}]+)\}/g;

/** The string leaves of a value, each with its dotted path below `at`. */
function leaves(node: unknown, at: string): { path: string; value: string }[] {
  if (typeof node === 'string') return [{ path: at, value: node }];
  if (Array.isArray(node)) return node.flatMap((x, i) => leaves(x, `${at}[${i}]`));
  if (isMapping(node)) return Object.entries(node).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
  return [];
}

/** A valuesFrom targetPath as a dotted path (`$.a.b`, `a['b']` → `a.b`); undefined for a JSONPath that selects by pattern. */
function dottedTarget(targetPath: string): string | undefined {
  if (/\*|\.\.|\?|:/.test(targetPath)) return undefined;
  return targetPath
    .replace(/^\$\.?/, '')
    .replace(/\[['"]([^'"]+)['"]\]/g, '.$1')
    .replace(/^\./, '');
}

/** The key a valuesFrom entry reads: its secretKeyRef's or configMapKeyRef's key. */
function keyOf(entry: Loose): string | undefined {
  const from = mapping(entry.valueFrom);
  return text(mapping(from.secretKeyRef).key) ?? text(mapping(from.configMapKeyRef).key);
}

/**
 * Whether a valuesFrom entry fills `${name}` at the path: its key is the name and its targetPath is the path (or a
 * JSONPath pattern, which may select it).
 */
function fills(entries: readonly Loose[], name: string, at: string): boolean {
  return entries.some((e) => {
    if (keyOf(e) !== name) return false;
    const target = text(e.targetPath);
    if (!target) return false;
    const dotted = dottedTarget(target);
    return dotted === undefined || dotted === at;
  });
}

export const grafanaDatasourceVariableUnfilled: Rule = {
  id: 'grafana-datasource-variable-unfilled',
  title: 'a GrafanaDatasource field holds ${VAR} that no spec.valuesFrom fills: Grafana gets the literal text',
  severity: 'error',
  appliesTo: ['GrafanaDatasource'],
  premise:
    "grafana-operator v5 builds a GrafanaDatasource from spec.datasource and replaces `${KEY}` (and `$KEY`) in a string field only through spec.valuesFrom: for each entry it reads the Secret or ConfigMap key, finds the fields at targetPath (a JSONPath below spec.datasource) and replaces the key's name there; nothing else fills a variable, not the environment of the operator or of Grafana. " +
    'A `${NAME}` in a string field of spec.datasource that no valuesFrom entry with key NAME targets (targetPath naming that field, or a JSONPath pattern that may select it) goes to Grafana as written: a header `Bearer ${TOKEN}` authenticates nothing, a URL holding it names no host. ' +
    'Not judged: a datasource of another group, a field the entry targets by a pattern',
  example: "`httpHeaderValue1: 'Bearer ${GRAFANA_TOKEN}'` in secureJsonData with no valuesFrom entry for it",
  fix: "add a spec.valuesFrom entry whose targetPath names the field and whose secretKeyRef (or configMapKeyRef) key is the variable's name",
  source:
    'grafana/grafana-operator controllers/datasource_controller.go buildDatasourceModel (for each ValuesFrom: getReferencedValue, JSONPath "$."+TargetPath, strings.ReplaceAll of "${key}" and "$key"); api/v1beta1 grafanadatasource_types.go (ValuesFrom, TargetPath)',
  check(o) {
    if (!String(o.manifest.apiVersion ?? '').startsWith(GRAFANA_GROUP)) return [];
    const spec = mapping(o.manifest.spec);
    const entries = mappings(spec.valuesFrom);
    const problems: Problem[] = [];
    for (const { path, value } of leaves(spec.datasource, '')) {
      for (const match of value.matchAll(VARIABLE)) {
        const name = match[1];
        if (fills(entries, name, path)) continue;
        problems.push({
          message:
            `spec.datasource.${path} holds \${${name}}, and no spec.valuesFrom entry with key '${name}' targets ${path}: grafana-operator fills a variable only from valuesFrom (not from any environment), so Grafana gets '${value}' as written and the datasource's queries fail: ` +
            `add a valuesFrom entry with targetPath: ${path} and a secretKeyRef (or configMapKeyRef) whose key is '${name}'`,
        });
      }
    }
    return problems;
  },
};
