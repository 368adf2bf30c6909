import { ChartNode } from './dependencies';
import { GoMap, isGoMap } from './go-values';
import { ValueReads } from './value-reads';

/** A top-level value of a parent chart that none of its templates reads and that one of its subcharts defines at its own top. */
export interface SubchartValueAtTop {
  readonly key: string;
  /** The name the subchart renders under (the dependency's alias, else its name): where the value belongs. */
  readonly subchart: string;
  /** Set by the delivery's values (files, inline values, --set) rather than the chart's own values.yaml. */
  readonly given: boolean;
  /** An `enabled` switch in it that differs from the subchart's default: objects are made or left out against it. */
  readonly toggles?: string;
}

/** The `enabled` booleans at or just under a value, as dotted paths relative to its key. */
function switchesOf(v: unknown): [string, boolean][] {
  if (typeof v === 'boolean') return [['', v]];
  if (!isGoMap(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => (k === 'enabled' && typeof x === 'boolean' ? [['enabled', x] as [string, boolean]] : []));
}

/** The first switch of the value that the subchart's default at the same key does not already hold. */
function differingSwitch(key: string, value: unknown, subDefault: unknown): string | undefined {
  for (const [rel, on] of switchesOf(value)) {
    if (key !== 'enabled' && rel === '') continue;
    const theirs = rel === '' ? subDefault : isGoMap(subDefault) ? subDefault[rel] : undefined;
    if (theirs !== on) return `${rel ? `${key}.${rel}` : key}: ${String(on)}`;
  }
  return undefined;
}

/**
 * The parent's top-level values meant for a subchart (helm docs "Subcharts and Global Values": a subchart sees only the
 * values under its name, and `global`): a key of the coalesced values that no template of the render read (`reads`,
 * kept while the templates ran), that is not `global`, `tags`, a subchart's name or the first key of a dependency's
 * condition, and that an enabled subchart's own values.yaml holds at its top. Helm hands that value to no chart.
 */
export function subchartValuesAtTop(tree: ChartNode, given: GoMap, values: GoMap, reads: ValueReads): SubchartValueAtTop[] {
  const names = new Set([...tree.subcharts.map((s) => s.name), ...tree.chart.dependencies.map((d) => d.alias ?? d.name)]);
  const conditionKeys = new Set(tree.chart.dependencies.flatMap((d) => (d.condition ?? '').split(',').map((c) => c.trim().split('.')[0])));
  return Object.keys(values).flatMap((key) => {
    if (key === 'global' || key === 'tags' || names.has(key) || conditionKeys.has(key)) return [];
    if (values[key] === null || values[key] === undefined || reads.wasRead(values, [key])) return [];
    const sub = tree.subcharts.find((s) => Object.prototype.hasOwnProperty.call(s.chart.values, key));
    if (!sub) return [];
    const toggles = differingSwitch(key, values[key], sub.chart.values[key]);
    return [{ key, subchart: sub.name, given: Object.prototype.hasOwnProperty.call(given, key), ...(toggles ? { toggles } : {}) }];
  });
}
