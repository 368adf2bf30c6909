import { mapping, mappings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { Problem, Rule } from '../rule';

/** Prometheus duration units in milliseconds (prometheus/common model.ParseDuration: y is 365 days, w 7 days). */
const UNIT_MS: Record<string, number> = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** A Prometheus duration ("1m30s", "500ms") in milliseconds; undefined when it does not parse (another rule's matter). */
function durationMs(value: string): number | undefined {
  if (!/^(\d+(y|w|d|h|ms|m|s))+$/.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/**
 * The interval a Prometheus applies to an endpoint that sets none: the Prometheus resource's spec.scrapeInterval,
 * "30s" by the CRD's default (prometheus-operator pkg/apis/monitoring/v1 CommonPrometheusFields.ScrapeInterval).
 */
const DEFAULT_SCRAPE_INTERVAL = '30s';

/** The endpoint lists of the two monitor kinds (ServiceMonitorSpec.Endpoints, PodMonitorSpec.PodMetricsEndpoints). */
function endpointsOf(o: GraphObject): { field: string; endpoints: Record<string, unknown>[] } {
  const spec = mapping(o.manifest.spec);
  return o.manifest.kind === 'PodMonitor'
    ? { field: 'spec.podMetricsEndpoints', endpoints: mappings(spec.podMetricsEndpoints) }
    : { field: 'spec.endpoints', endpoints: mappings(spec.endpoints) };
}

/** The first endpoint whose scrapeTimeout is longer than its interval (the operator stops at the first). */
function timeoutOverInterval(o: GraphObject): Problem[] {
  const { field, endpoints } = endpointsOf(o);
  for (const [i, e] of endpoints.entries()) {
    const timeout = text(e.scrapeTimeout);
    const interval = text(e.interval);
    const timeoutMs = timeout === undefined ? undefined : durationMs(timeout);
    const intervalMs = durationMs(interval ?? DEFAULT_SCRAPE_INTERVAL);
    if (timeoutMs === undefined || intervalMs === undefined || timeoutMs <= intervalMs) continue;
    const against = interval
      ? `its interval ${interval}`
      : `the Prometheus resource's scrapeInterval, which the endpoint takes as it sets no interval (${DEFAULT_SCRAPE_INTERVAL} unless the Prometheus resource sets another)`;
    return [
      {
        ...(interval ? {} : { severity: 'warning' as const }),
        message:
          `${field}[${i}].scrapeTimeout ${timeout} is longer than ${against}: prometheus-operator rejects the whole ${o.manifest.kind} ("scrapeTimeout … greater than scrapeInterval …", an InvalidConfiguration event) and Prometheus scrapes none of its targets; ` +
          `make scrapeTimeout at most the interval (or set a longer interval)`,
      },
    ];
  }
  return [];
}

export const monitorScrapeTimeoutExceedsInterval: Rule = {
  id: 'monitor-scrape-timeout-exceeds-interval',
  title: "a ServiceMonitor's or PodMonitor's endpoint has a scrapeTimeout longer than its interval: prometheus-operator drops the monitor",
  severity: 'error',
  appliesTo: ['ServiceMonitor', 'PodMonitor'],
  premise:
    "an endpoint of the ServiceMonitor (spec.endpoints) or PodMonitor (spec.podMetricsEndpoints) sets scrapeTimeout to a longer Prometheus duration than its interval: an error; when the endpoint sets no interval it takes the selecting Prometheus resource's scrapeInterval, which the files may not show, and a timeout over its default 30s is a warning",
  example: 'an endpoint with `interval: 10s` and `scrapeTimeout: 20s`',
  fix: 'set scrapeTimeout to at most the interval, or lengthen the interval',
  source:
    'prometheus-operator pkg/prometheus/resource_selector.go checkServiceMonitor / checkPodMonitor → validateScrapeIntervalAndTimeout (an unset interval is the Prometheus scrapeInterval) → promcfg.go CompareScrapeTimeoutToScrapeInterval ("scrapeTimeout %q greater than scrapeInterval %q"); selectObjects leaves a monitor that fails the check out of the generated configuration with an InvalidConfiguration event',
  scope: 'object',
  check(o) {
    return timeoutOverInterval(o);
  },
};
