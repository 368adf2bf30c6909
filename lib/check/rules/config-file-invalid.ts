import { mapping } from '../../manifests/access';
import { parseImageReference } from '../../catalog/vllm-images';
import { ConfigTextError, configTextError } from '../config-file-text';
import { KeyMount, keyMounts } from '../config-map-mounts';
import { Problem, Rule } from '../rule';

/**
 * Programs that read their configuration file as written when they start and exit when it does not parse, by the
 * last path segment of their image's repository: what they do, and where their source says so.
 */
const STRICT_READERS: readonly { readonly repository: RegExp; readonly name: string; readonly effect: string }[] = [
  {
    repository: /^prometheus-adapter$/,
    name: 'prometheus-adapter',
    effect:
      'prometheus-adapter exits at start ("unable to load metrics discovery config"), so the custom metrics API it serves is down and every HPA on it gets no metrics',
  },
  {
    repository: /^prometheus$/,
    name: 'Prometheus',
    effect: 'Prometheus exits at start ("Error loading config"; its rule files load with the config), and restarts in a loop',
  },
  { repository: /^alertmanager$/, name: 'Alertmanager', effect: 'Alertmanager exits at start (its configuration does not load), and restarts in a loop' },
  {
    repository: /^(opentelemetry-collector|otelcol)/,
    name: 'the OpenTelemetry collector',
    effect: 'the OpenTelemetry collector exits at start (it cannot unmarshal its configuration), and restarts in a loop',
  },
];

/** The program of a mount's image that reads its configuration as written, if it is a known one. */
function strictReader(mount: KeyMount): (typeof STRICT_READERS)[number] | undefined {
  if (!mount.image) return undefined;
  const last = parseImageReference(mount.image).repository.split('/').pop() ?? '';
  return STRICT_READERS.find((r) => r.repository.test(last));
}

/** What the key's failure does, said by the mounts that show it as a file. */
function mountedEffect(mounts: readonly KeyMount[]): string {
  const first = mounts[0];
  const more = mounts.length > 1 ? ` (and ${mounts.length - 1} more ${mounts.length > 2 ? 'containers' : 'container'})` : '';
  const reader = mounts.map(strictReader).find((r) => r !== undefined);
  const effect = reader
    ? reader.effect
    : 'the program that reads that file cannot load it (Prometheus, Alertmanager, prometheus-adapter and the OpenTelemetry collector exit at start; a dashboard loader skips the dashboard)';
  return `${first.container} of ${first.holder} reads it as ${first.path}${more}: ${effect}`;
}

/** The finding on a key that does not parse: an error where a container mounts it, a warning where none of the tree does. */
function keyProblem(key: string, failed: ConfigTextError, mounts: readonly KeyMount[]): Problem {
  const head = `data key '${key}' is not valid ${failed.format}: ${failed.reason}, at line ${failed.line} of the key (\`${failed.text.slice(0, 80)}\`)`;
  const fix =
    failed.format === 'YAML'
      ? 'fix the YAML there (an item indented under the one before it, a value that needs quotes, a tab as indentation)'
      : 'fix the JSON there (a trailing comma, a missing comma or quote)';
  // the program that fails runs in the mounting workloads' pods: latent while none of them runs a pod
  if (mounts.length) return { failsIn: mounts.map((m) => m.object), message: `${head}; ${mountedEffect(mounts)}; ${fix}` };
  return {
    severity: 'warning',
    message: `${head}; no container of the tree mounts the key, so what reads it (an operator that selects the ConfigMap, a pod made elsewhere) meets the same error; ${fix}`,
  };
}

export const configFileInvalid: Rule = {
  id: 'config-file-invalid',
  title:
    'a ConfigMap key named as a YAML or JSON file (config.yaml, prometheus.yml, a .json dashboard) does not parse: the program that reads it cannot load it, and most exit at start',
  severity: 'error',
  appliesTo: ['ConfigMap'],
  premise:
    "a data key whose name ends in .yaml, .yml or .json, its text parsed as that format the way a Go program reads its configuration file (gopkg.in/yaml and sigs.k8s.io/yaml: the first document only, a repeated key no syntax error, go-yaml's lenient indentation of flow collections and quoted strings kept; JSON strictly, for a text that starts as JSON, Python's NaN and Infinity let through); " +
    'an error where a container of the tree mounts the key as a file (a configMap volume or projected source of the ConfigMap, whole or with items listing the key, mounted whole or by a subPath naming the file), naming what a known reader does (prometheus-adapter, Prometheus and its rule files, Alertmanager, the OpenTelemetry collector exit at start); a warning where no container of the tree mounts it; ' +
    "not judged: an empty key, a ConfigMap of a file the tree renders before applying it (a Helm chart's template, an envsubst or sed template) where the key holds the renderer's syntax, and a key holding `{{ }}` or `{% %}` that parses once those template actions are left out, unless a reader known to parse the file as written (one of those above) mounts it: the program that renders the text first never meets the template",
  example:
    'a prometheus-adapter `config.yaml` whose second rule, `- seriesQuery: gpu_utilization`, is indented under the first, mounted by the adapter Deployment with `--config=/etc/adapter/config.yaml`',
  fix: "make the key parse: indent each list item at its siblings' column, quote values holding `: ` or starting with `{`, `*`, `@` or a backtick, drop trailing commas from JSON",
  source:
    'kubernetes-sigs/prometheus-adapter cmd/adapter/adapter.go (loadConfig → klog.Fatalf "unable to load metrics discovery config"), pkg/config/loader.go (gopkg.in/yaml.v2 UnmarshalStrict); prometheus/prometheus cmd/prometheus/main.go (config.LoadFile at start: "Error loading config", os.Exit(2); rule files parsed by rulefmt with the first reload); prometheus/alertmanager cmd/alertmanager/main.go (the configuration loaded at start, exit on error); open-telemetry/opentelemetry-collector otelcol (an invalid configuration stops the collector); go-yaml decodes the first document of a file',
  check(o, { graph }) {
    // a file the tree renders before applying it holds the renderer's text, not the program's
    const rendered = o.template !== undefined || o.renderedWith !== undefined;
    return Object.entries(mapping(o.manifest.data)).flatMap(([key, value]): Problem[] => {
      if (typeof value !== 'string' || (rendered && /\{\{|\$\{|\{%/.test(value))) return [];
      const failed = configTextError(key, value);
      if (!failed) return [];
      const mounts = keyMounts(graph, o, key);
      // a template's own syntax fails only a reader that does not render it first
      if (failed.templated && !mounts.some((m) => strictReader(m))) return [];
      return [keyProblem(key, failed, failed.templated ? mounts.filter((m) => strictReader(m)) : mounts)];
    });
  },
};
