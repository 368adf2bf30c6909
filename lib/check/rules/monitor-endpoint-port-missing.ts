import { Loose, mapping, mappings } from '../../manifests/access';
import { Problem, Rule } from '../rule';

/** The endpoint list of a monitor: a ServiceMonitor's spec.endpoints, a PodMonitor's spec.podMetricsEndpoints. */
function endpointsOf(m: Loose): { field: string; endpoints: Loose[] } {
  const spec = mapping(m.spec);
  return m.kind === 'PodMonitor'
    ? { field: 'spec.podMetricsEndpoints', endpoints: mappings(spec.podMetricsEndpoints) }
    : { field: 'spec.endpoints', endpoints: mappings(spec.endpoints) };
}

/** The port an endpoint names, as written: port, targetPort, or a PodMonitor's portNumber. */
function portOf(ep: Loose): string | undefined {
  for (const key of ['port', 'targetPort', 'portNumber']) {
    const v = ep[key];
    if ((typeof v === 'string' && v) || typeof v === 'number') return `${key} ${String(v)}`;
  }
  return undefined;
}

/** The fields an endpoint sets, for the message: `interval: 30s, path: /metrics`. */
const fieldsOf = (ep: Loose) =>
  Object.entries(ep)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');

export const monitorEndpointPortMissing: Rule = {
  id: 'monitor-endpoint-port-missing',
  title: 'a ServiceMonitor or PodMonitor endpoint names no port beside one that does: one endpoint split in two by a stray list dash',
  severity: 'warning',
  appliesTo: ['ServiceMonitor', 'PodMonitor'],
  scope: 'object',
  premise:
    'a ServiceMonitor endpoint (spec.endpoints) with neither port nor targetPort, or a PodMonitor endpoint (spec.podMetricsEndpoints) with neither port, portNumber nor targetPort, while another endpoint of the same monitor names one: prometheus-operator filters targets by port only when the endpoint names one, so this endpoint scrapes every port of every Service (or container) the monitor selects — the ports that serve no metrics become targets that are down, and the port the other endpoint names is scraped twice. A YAML list item begun too early (`- port: metrics` then `- interval: 30s`) splits one endpoint this way. A monitor whose only endpoint names no port is not judged (scraping every port may be meant)',
  example: '`- port: metrics` then `- interval: 30s` as two items of `endpoints:`',
  fix: "merge the endpoint's fields into the endpoint above it (remove the stray `-`), or name the port it scrapes",
  source:
    'prometheus-operator pkg/prometheus/promcfg.go generateServiceMonitorConfig and generatePodMonitorConfig ("Filter targets based on correct port for the endpoint": a keep relabeling on the port name only when ep.Port, ep.TargetPort or ep.PortNumber is set; otherwise every discovered port stays a target)',
  check(o) {
    const { field, endpoints } = endpointsOf(o.manifest);
    const named = endpoints.map((ep, i) => ({ i, port: portOf(ep) })).filter((e) => e.port !== undefined);
    if (!named.length) return [];
    const what = o.manifest.kind === 'PodMonitor' ? 'container port of the pods' : 'port of the Services';
    return endpoints.flatMap((ep, i): Problem[] => {
      if (portOf(ep) !== undefined) return [];
      const other = [...named].reverse().find((e) => e.i < i) ?? named[0];
      const fields = fieldsOf(ep);
      return [
        {
          message:
            `${field}[${i}] (${fields || 'empty'}) names no port while ${field}[${other.i}] names ${other.port}: prometheus-operator keeps every ${what} the monitor selects as a target of this endpoint, so the ports that serve no metrics are down targets and ${other.port} is scraped twice; ` +
            `it reads as one endpoint split in two by a stray list dash: move ${fields ? `${fields} ` : 'its fields '}into ${field}[${other.i}], or name the port it scrapes`,
        },
      ];
    });
  },
};
