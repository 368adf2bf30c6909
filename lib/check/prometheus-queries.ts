import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { GraphObject } from './graph-object';

/** A PromQL expression an object gives Prometheus, and the field that holds it. */
export interface PrometheusQuery {
  readonly where: string;
  readonly query: string;
}

/** The adapter rule lists of prometheus-adapter's config (kubernetes-sigs/prometheus-adapter pkg/config: rules, externalRules, resourceRules is no list). */
const ADAPTER_RULE_LISTS = ['rules', 'externalRules'] as const;

/** seriesQuery and metricsQuery of each prometheus-adapter rule in a config mapping. */
function adapterQueries(config: Loose, where: string): PrometheusQuery[] {
  return ADAPTER_RULE_LISTS.flatMap((list) =>
    mappings(config[list]).flatMap((rule, i) =>
      (['seriesQuery', 'metricsQuery'] as const).flatMap((field) => {
        const query = text(rule[field]);
        return query ? [{ where: `${where} ${list}[${i}].${field}`, query }] : [];
      }),
    ),
  );
}

/** The queries of a ConfigMap holding a prometheus-adapter config (a data value with seriesQuery). */
function configMapQueries(o: GraphObject): PrometheusQuery[] {
  return Object.entries(mapping(o.manifest.data)).flatMap(([key, value]) => {
    if (typeof value !== 'string' || !value.includes('seriesQuery')) return [];
    const parsed = parseOne(value);
    return 'value' in parsed && isMapping(parsed.value) ? adapterQueries(parsed.value, `data.${key}`) : [];
  });
}

/**
 * The PromQL an object hands to Prometheus: a KEDA prometheus trigger's query (ScaledObject, ScaledJob), a
 * PrometheusRule's expr, a prometheus-adapter config's seriesQuery and metricsQuery (its ConfigMap). Empty for any other.
 */
export function prometheusQueries(o: GraphObject): PrometheusQuery[] {
  const spec = mapping(o.manifest.spec);
  switch (o.manifest.kind) {
    case 'ScaledObject':
    case 'ScaledJob':
      return mappings(spec.triggers).flatMap((t, i) => {
        const query = t.type === 'prometheus' ? text(mapping(t.metadata).query) : undefined;
        return query ? [{ where: `spec.triggers[${i}].metadata.query`, query }] : [];
      });
    case 'PrometheusRule':
      return mappings(spec.groups).flatMap((g, gi) =>
        mappings(g.rules).flatMap((r, ri) => {
          const query = text(r.expr);
          return query ? [{ where: `spec.groups[${gi}].rules[${ri}].expr`, query }] : [];
        }),
      );
    case 'ConfigMap':
      return configMapQueries(o);
    default:
      return [];
  }
}
