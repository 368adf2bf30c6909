import { isMapping, Loose, mapping, strings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';
import { podFileReader } from './config-map-volumes';
import type { ObjectGraph } from './graph';
import { containersOf, podSpecOf } from './pods';

/**
 * The ports a container's program binds by its own settings, beside what its containerPorts declare: the listen-address
 * flags of controller-runtime managers and other Go servers, and a controller-runtime configuration file it loads.
 */

/** What a bound port serves: a controller-runtime manager's metrics, health probes or webhooks, or a server's one address. */
export type BoundRole = 'metrics' | 'health' | 'webhook' | 'listen';

/** A port the container binds, with where that is written. */
export interface BoundPort {
  readonly port: number;
  readonly role: BoundRole;
  /** The evidence, as messages quote it: `--metrics-bind-address=:8443`, `ConfigMap 'manager-config' key config.yaml: metrics.bindAddress ":8443"`. */
  readonly from: string;
}

/**
 * Flags whose value is the address a program listens on: controller-runtime managers as kubebuilder scaffolds them
 * (cmd/main.go: --metrics-bind-address, --health-probe-bind-address; --metrics-addr before kubebuilder v3), and the
 * `--port` and `--listen-address` of many servers (vLLM's --port, exporters' --listen-address).
 */
const ADDRESS_FLAGS: Readonly<Record<string, BoundRole>> = {
  '--metrics-bind-address': 'metrics',
  '--metrics-addr': 'metrics',
  '--health-probe-bind-address': 'health',
  '--listen-address': 'listen',
  '--port': 'listen',
};

/** controller-runtime's default metrics address (pkg/metrics/server: DefaultBindAddress ":8080"), which a bind address setting replaces. */
export const MANAGER_DEFAULT_METRICS_PORT = 8080;

/** The port of an address (`:8443`, `0.0.0.0:8443`, `[::]:8443`, `8443`); none for `0` (the server turned off) or a value filled later. */
function portOf(address: unknown): number | undefined {
  const s = typeof address === 'number' ? String(address) : (text(address) ?? '');
  const m = /^(?:.*:)?(\d{1,5})$/.exec(s.trim());
  const port = m ? Number(m[1]) : undefined;
  return port !== undefined && port > 0 && port < 65536 ? port : undefined;
}

/** The value of a flag in the words: `--flag=value`, or the next word after `--flag`; the last one written wins. */
function flagValues(words: readonly string[]): { flag: string; value: string }[] {
  const out: { flag: string; value: string }[] = [];
  for (const [i, w] of words.entries()) {
    const eq = w.indexOf('=');
    const flag = eq > 0 ? w.slice(0, eq) : w;
    const value = eq > 0 ? w.slice(eq + 1) : words[i + 1];
    if (flag.startsWith('--') && value !== undefined) out.push({ flag, value });
  }
  return out;
}

/** The ports a controller-runtime configuration file sets (config/v1alpha1 ControllerManagerConfigurationSpec: metrics.bindAddress, health.healthProbeBindAddress, webhook.port). */
function configFilePorts(source: string, from: string): BoundPort[] {
  const parsed = parseOne(source);
  if ('error' in parsed || !isMapping(parsed.value)) return [];
  const c = parsed.value;
  const fields: [unknown, BoundRole, string][] = [
    [mapping(c.metrics).bindAddress, 'metrics', 'metrics.bindAddress'],
    [mapping(c.health).healthProbeBindAddress, 'health', 'health.healthProbeBindAddress'],
    [mapping(c.webhook).port, 'webhook', 'webhook.port'],
  ];
  return fields.flatMap(([value, role, key]) => {
    const port = portOf(value);
    return port === undefined ? [] : [{ port, role, from: `${from}: ${key} ${JSON.stringify(value)}` }];
  });
}

/**
 * The ports a container binds by its flags and by the controller-runtime configuration file its --config flag loads
 * (a ConfigMap of the tree mounted at that path). A flag given twice: the last one counts, as Go's flag package reads.
 */
export function boundPorts(graph: ObjectGraph, m: Loose, container: Loose): BoundPort[] {
  const words = [...strings(container.command), ...strings(container.args)];
  const byRole = new Map<BoundRole, BoundPort>();
  const flags = flagValues(words);
  const config = flags.filter((f) => f.flag === '--config').pop();
  if (config) {
    const ns = graph.namespaceOf(m);
    const reader = podFileReader(mapping(podSpecOf(m)), container, (name) => graph.findAll('ConfigMap', name, ns).map((o) => o.manifest));
    const file = reader?.(config.value);
    // the manager reads the file first and its flags over it (kubebuilder's scaffold: ctrl.ConfigFile().AtPath)
    for (const p of file ? configFilePorts(file.text, `--config=${config.value}, ${file.from}`) : []) byRole.set(p.role, p);
  }
  const listens: BoundPort[] = [];
  for (const { flag, value } of flags) {
    const role = Object.hasOwn(ADDRESS_FLAGS, flag) ? ADDRESS_FLAGS[flag] : undefined;
    const port = role === undefined ? undefined : portOf(value);
    if (role === undefined || port === undefined) continue;
    const bound = { port, role, from: `${flag}=${value}` };
    if (role === 'listen') listens.push(bound);
    else byRole.set(role, bound);
  }
  return [...byRole.values(), ...listens];
}

/** The serving containers of a workload (its containers and native sidecars) with the ports each binds. */
export function workloadBoundPorts(graph: ObjectGraph, m: Loose): { container: Loose; ports: BoundPort[] }[] {
  return containersOf(m)
    .filter((c) => !c.init || c.container.restartPolicy === 'Always')
    .map((c) => ({ container: c.container, ports: boundPorts(graph, m, c.container) }));
}
