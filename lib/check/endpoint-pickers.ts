import { eppFlagKind } from '../catalog/epp-releases';
import { GoFlag, goFlags, lastGoFlag } from '../private/go-flags';
import { holdsLabels, Loose, mapping, mappings, stringMap, strings, text } from '../manifests/access';
import { chartReleases } from './chart-releases';
import type { HelmCommand } from '../manifests/script-helm';
import { GraphObject } from './graph-object';
import { ObjectGraph } from './graph';
import { containersOf, podLabelsOf, SERVICE_BACKEND_KINDS } from './pods';

/**
 * The endpoint picker (EPP) of the Gateway API Inference Extension, as the tree runs it: the images that are one
 * (gateway-api-inference-extension's epp, llm-d's inference scheduler, which embeds it, and its OpenShift AI build),
 * the Services in front of them, and the model servers an InferencePool selects.
 */

/**
 * The images of an endpoint picker: registry.k8s.io/gateway-api-inference-extension/epp, ghcr.io/llm-d/llm-d-inference-scheduler
 * (published as llm-d-router-endpoint-picker since the repository became llm-d/llm-d-router), odh-llm-d-inference-scheduler-rhel9.
 */
export const PICKER_IMAGE = /gateway-api-inference-extension\/epp[:@]|inference-scheduler(-rhel\d+)?[:@]|llm-d-router-endpoint-picker[:@]/;

/** The charts whose install makes an endpoint picker (the extension's inferencepool chart, llm-d's charts). */
const PICKER_CHART = /inferencepool|llm-d|epp|inference-scheduler/i;

/** Whether a workload runs an endpoint picker: a container of a picker image. */
function runsPicker(w: GraphObject): boolean {
  return containersOf(w.manifest).some((c) => PICKER_IMAGE.test(text(c.container.image) ?? ''));
}

/** The workloads of the tree that run an endpoint picker, in any namespace. */
export function pickerWorkloads(graph: ObjectGraph): GraphObject[] {
  return graph.once('endpoint-pickers:workloads', () => SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)).filter(runsPicker));
}

/** Whether the object sits in the namespace, one without a namespace of its own going wherever it is applied (so anywhere). */
function mayBeIn(graph: ObjectGraph, o: GraphObject, ns: string | undefined): boolean {
  const own = graph.namespaceOf(o.manifest);
  return own === undefined || ns === undefined || own === ns;
}

/** The flags an endpoint picker is told its pool by: --pool-name (v1 releases), -poolName (earlier), with one or two dashes. */
const POOL_FLAGS = ['pool-name', 'poolName'];

/** The pool flag a picker's words give (cmd/epp runner flags, the last given), or undefined where they give none. */
export function poolFlag(words: readonly string[]): GoFlag | undefined {
  return lastGoFlag(goFlags(words, { kind: eppFlagKind }), ...POOL_FLAGS);
}

/** The pool a picker workload serves as its arguments say, or undefined where they do not. */
function servedPool(w: GraphObject): string | undefined {
  for (const c of containersOf(w.manifest)) {
    const pool = poolFlag([...strings(c.container.command), ...strings(c.container.args)]);
    if (pool) return pool.value;
  }
  return undefined;
}

/**
 * The Services of the namespace in front of an endpoint picker of the tree that may serve the pool (their selector
 * picks a picker workload's pods, whose arguments name this pool or none), each with it.
 */
export function pickerServices(graph: ObjectGraph, ns: string | undefined, pool: string): { service: string; workload: GraphObject }[] {
  const pickers = pickerWorkloads(graph).filter((w) => mayBeIn(graph, w, ns) && (servedPool(w) ?? pool) === pool);
  return graph
    .ofKind('Service')
    .filter((s) => s.manifest.apiVersion === 'v1' && mayBeIn(graph, s, ns))
    .flatMap((s) => {
      const selector = stringMap(mapping(s.manifest.spec).selector);
      const workload = Object.keys(selector).length ? pickers.find((w) => holdsLabels(stringMap(podLabelsOf(w.manifest)), selector)) : undefined;
      const service = text(mapping(s.manifest.metadata).name);
      return workload && service ? [{ service, workload }] : [];
    });
}

/** The labels an InferencePool selects its model servers by: v1 selector.matchLabels, v1alpha2 selector itself (a map of labels). */
export function poolSelector(pool: Loose): Record<string, string> {
  const selector = mapping(mapping(pool.spec).selector);
  return selector.matchLabels !== undefined ? stringMap(selector.matchLabels) : stringMap(selector);
}

/** The workloads of the tree whose pods the InferencePool selects: its model servers. */
export function poolModelServers(graph: ObjectGraph, pool: GraphObject): GraphObject[] {
  const selector = poolSelector(pool.manifest);
  if (!Object.keys(selector).length) return [];
  const ns = graph.namespaceOf(pool.manifest);
  return SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)).filter(
    (w) => mayBeIn(graph, w, ns) && holdsLabels(stringMap(podLabelsOf(w.manifest)), selector),
  );
}

/**
 * Whether anything of the tree may run an endpoint picker: a workload of a picker image, an LLMInferenceService
 * (KServe makes its scheduler), a Helm chart folder of the input, or the install of a chart that makes one (an Argo CD or Flux release, a script's
 * `helm install|upgrade`).
 */
export function treeMayRunPicker(graph: ObjectGraph): boolean {
  // a Helm chart folder of the input is not rendered: it may hold the picker
  if (pickerWorkloads(graph).length || graph.ofKind('LLMInferenceService').length || graph.charts.length) return true;
  if (chartReleases(graph).some((r) => PICKER_CHART.test(r.chart))) return true;
  return graph.helmCommands.some((h) => h.verb !== 'template' && h.positionals.some((p) => PICKER_CHART.test(p)));
}

/**
 * kgateway's endpoint picker deployer: with the inference extension enabled and auto-provisioning on (its chart's
 * inferenceExtension.enabled and inferenceExtension.autoProvision; the controller's EnableInferExt and
 * InferExtAutoProvision settings), kgateway's InferencePool controller renders an endpoint picker for each pool as the
 * release `<pool>-endpoint-picker` in the pool's namespace, whose Service has that name (kgateway
 * internal/kgateway/controller start.go, internal/kgateway/deployer inference extension rendering; v2.0 and v2.1).
 */
export const KGATEWAY_PICKER_SUFFIX = '-endpoint-picker';

/**
 * kgateway's controller chart (oci://cr.kgateway.dev/kgateway-dev/charts/kgateway, or a packaged kgateway-<version>.tgz),
 * not its CRD chart (kgateway-crds).
 */
const KGATEWAY_CHART = /(^|[/-])kgateway(-v?\d[^/]*\.tgz)?$/;

/** The chart a helm install or upgrade names: its second positional (the first with --generate-name, not read here). */
const chartOf = (h: HelmCommand) => h.positionals[1] ?? h.positionals[0] ?? '';

/** Whether a value as Helm reads a `--set` or a values file's true. */
const isTrue = (v: unknown) => v === true || v === 'true';

/** A kgateway install with the inference extension enabled: where (for messages), and whether auto-provisioning is set on. */
export interface KgatewayInstall {
  readonly where: string;
  /**
   * inferenceExtension.autoProvision is true; false where it is not given: kgateway's builds before auto-provisioning
   * became a switch (kgateway pull request 10903, in v2.0.0's development) deployed the picker with the extension
   * enabled alone, its releases since need the switch (default false).
   */
  readonly autoProvision: boolean;
  /**
   * The version of a development build the install names (`--version v2.0.0-main`, `2.1.0-dev`, or such a version in
   * the chart's reference), whose picker deployment may precede the autoProvision switch: not a release's behaviour.
   */
  readonly development?: string;
}

/** A version of a kgateway development build: a `-dev` or `-main` pre-release (its CI pushes charts of the main branch so), or `main`/`dev` alone. */
const DEVELOPMENT_VERSION = /^v?\d+\.\d+\.\d+-(?:dev|main)\b|^(?:main|dev)$/i;

/** The development build a helm command installs: its --version, else a version written in the chart's reference (`…/kgateway:v2.0.0-main`, `kgateway-v2.0.0-main.tgz`). */
function developmentBuild(h: HelmCommand): string | undefined {
  const version = [...h.options].reverse().find((o) => o.name === 'version')?.value;
  if (version !== undefined) return DEVELOPMENT_VERSION.test(version) ? version : undefined;
  return /(?:kgateway[:-])(v?\d+\.\d+\.\d+-(?:dev|main)[\w.-]*?)(?:\.tgz)?$/i.exec(chartOf(h))?.[1];
}

/** The switches of the inference extension a chart's values or `--set` flags give (undefined: not given). */
function switches(get: (key: 'enabled' | 'autoProvision') => unknown): { enabled: boolean; autoProvision?: boolean } {
  const auto = get('autoProvision');
  return { enabled: isTrue(get('enabled')), ...(auto === undefined ? {} : { autoProvision: isTrue(auto) }) };
}

/**
 * Where the tree, or the repository above it, installs kgateway with the inference extension enabled and
 * auto-provisioning not set off (its chart by a helm command, an Argo CD or Flux release; its controller's
 * KGW_ENABLE_INFER_EXT and KGW_INFER_EXT_AUTO_PROVISION): the install that says most; undefined where none does.
 */
export function kgatewayProvisioning(graph: ObjectGraph): KgatewayInstall | undefined {
  return graph.once('endpoint-pickers:kgateway', () => {
    const found: KgatewayInstall[] = [];
    for (const h of [...graph.helmCommands, ...graph.repositoryHelmCommands]) {
      if (h.verb === 'template' || !KGATEWAY_CHART.test(chartOf(h))) continue;
      const value = (key: string) => [...h.sets].reverse().find((s) => s.key === `inferenceExtension.${key}`)?.value;
      const on = switches(value);
      const text = h.text.length > 160 ? `${h.text.slice(0, 157)}…` : h.text;
      const development = developmentBuild(h);
      if (on.enabled && on.autoProvision !== false)
        found.push({ where: `${h.script}:${h.line} (\`${text}\`)`, autoProvision: on.autoProvision === true, ...(development ? { development } : {}) });
    }
    for (const r of chartReleases(graph)) {
      const on = switches((key) => mapping(r.values.inferenceExtension)[key]);
      if (KGATEWAY_CHART.test(r.chart) && on.enabled && on.autoProvision !== false)
        found.push({ where: `${graph.id(r.object)} (kgateway's chart)`, autoProvision: on.autoProvision === true });
    }
    // the controller's own settings (settings.go EnableInferExt, InferExtAutoProvision, read from KGW_ variables)
    for (const w of SERVICE_BACKEND_KINDS.flatMap((k) => graph.ofKind(k)))
      for (const { container } of containersOf(w.manifest)) {
        const env = new Map(mappings(container.env).map((e) => [text(e.name), text(e.value)]));
        if (env.get('KGW_ENABLE_INFER_EXT') === 'true' && env.get('KGW_INFER_EXT_AUTO_PROVISION') === 'true')
          found.push({ where: `${graph.id(w)} (KGW_INFER_EXT_AUTO_PROVISION true)`, autoProvision: true });
      }
    return found.find((f) => f.autoProvision) ?? found[0];
  });
}
