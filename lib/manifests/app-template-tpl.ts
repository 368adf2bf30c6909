import { isMapping, Loose } from './access';
import type { AppTemplateMajor } from './app-template-names';
import { renderFuncs } from '../helm/funcs';
import { Exec, STRUCTS, TemplateFunc } from '../helm/template-exec';
import { parseTemplate } from '../helm/template-parse';

/*
 * The values app-template passes through Helm's `tpl` before printing them, evaluated where they use only what the
 * release states. Ported from the common library chart (bjw-s-labs/helm-charts charts/library/common/templates, 4.x):
 * lib/pod/fields/_volumes.tpl (persistence name, existingClaim), lib/container/fields/_env.tpl (env values),
 * lib/container/_valuesToObject.tpl (image tag), lib/container/fields/_probes.tpl (probe spec and port),
 * lib/common/_determineResourceNameFromValues.tpl (forceRename, prefix, suffix), classes/_*.tpl (labels and
 * annotations of each object), classes/_ingress.tpl, _route.tpl, _serviceMonitor.tpl (hosts, paths, names),
 * lib/pod/_spec.tpl (affinity, topologySpreadConstraints).
 */

/** Dotted value paths (`*` one key or index, `**` any depth below) whose strings the library runs through tpl. */
const TPL_PATHS: readonly string[] = [
  'persistence.*.name',
  'controllers.*.containers.*.env.**',
  'controllers.*.initContainers.*.env.**',
  'controllers.*.containers.*.image.tag',
  'controllers.*.initContainers.*.image.tag',
  'controllers.*.containers.*.probes.*.spec.**',
  'controllers.*.containers.*.probes.*.port',
  '*.*.forceRename',
  '*.*.prefix',
  '*.*.suffix',
  '*.*.labels.*',
  '*.*.annotations.*',
  'global.labels.*',
  'global.annotations.*',
  'ingress.*.hosts.*.host',
  'ingress.*.hosts.*.paths.*.path',
  'ingress.*.hosts.*.paths.*.service.name',
  'ingress.*.tls.*.hosts.*',
  'ingress.*.tls.*.secretName',
  'route.*.hostnames.*',
  'route.*.rules.*.backendRefs.*.name',
  'serviceMonitor.*.serviceName',
  'serviceMonitor.*.service.name',
  'serviceMonitor.*.selector.**',
  'serviceMonitor.*.endpoints.**',
  'defaultPodOptions.affinity.**',
  'defaultPodOptions.topologySpreadConstraints.**',
  'controllers.*.pod.affinity.**',
  'controllers.*.pod.topologySpreadConstraints.**',
];

/**
 * persistence.*.existingClaim: common 4.1.1's lib/pod/fields/_volumes.tpl sets the claim name to it as written
 * (tag common-4.1.1); the later library passes it through tpl. Evaluated only where the release pins a later version.
 */
function claimTemplated(major: AppTemplateMajor, version: string | undefined): boolean {
  if (major >= 5) return true;
  const m = /^4\.(\d+)\.(\d+)/.exec(version ?? '');
  return !!m && (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) > 1));
}

function matches(pattern: string, path: readonly string[]): boolean {
  const parts = pattern.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === '**') return path.length > i;
    if (i >= path.length || (parts[i] !== '*' && parts[i] !== path[i])) return false;
  }
  return parts.length === path.length;
}

/**
 * The functions a literal value may use: text/template's own and those of Sprig that only reshape their arguments
 * (no lookup, env, random, date or file access, whose result the tree does not tell).
 */
const LITERAL_FUNCS = new Set([
  'include', 'quote', 'squote', 'lower', 'upper', 'title', 'default', 'printf', 'print', 'println', 'trim', 'trimPrefix',
  'trimSuffix', 'trunc', 'replace', 'toString', 'and', 'or', 'not', 'eq', 'ne', 'len', 'index', 'empty', 'coalesce',
]); // prettier-ignore

/** The fullname include the library offers values (lib/chart/_names.tpl), as a define of its literal value. */
const FULLNAME = 'bjw-s.common.lib.chart.names.fullname';

/** The root context tpl gives a value: .Release, .Chart and .Values of the release (Helm's chart-render topData). */
export interface TplRoot {
  readonly release: string;
  readonly namespace: string;
  readonly version?: string;
  readonly fullname: string;
}

/** One value as tpl renders it with the release's literal context; undefined where it uses anything else. */
function evaluate(value: string, values: Loose, root: TplRoot): string | undefined {
  try {
    const parsed = parseTemplate(value, 'tpl');
    const defines = new Map(parsed.defines);
    defines.set(FULLNAME, parseTemplate(root.fullname.replace(/\{\{/g, ''), FULLNAME).root);
    const funcs = new Map<string, TemplateFunc>();
    const exec = new Exec(new Map([['tpl', parsed.root], ...defines]), funcs);
    for (const [k, fn] of renderFuncs(exec)) if (LITERAL_FUNCS.has(k)) funcs.set(k, fn);
    const release = { Name: root.release, Namespace: root.namespace, Service: 'Helm' };
    const chart = { Name: 'app-template', Version: root.version ?? '' };
    STRUCTS.add(release);
    STRUCTS.add(chart);
    const out = exec.run(parsed.root, { Values: values, Release: release, Chart: chart }, 'tpl');
    return out.includes('<no value>') ? undefined : out;
  } catch {
    return undefined;
  }
}

/** The values with each templated string the library runs through tpl evaluated, or the first one that is not. */
export function evaluateTemplates(values: Loose, major: AppTemplateMajor, root: TplRoot): { values: Loose } | { why: string } {
  let why: string | undefined;
  const walk = (node: unknown, path: string[]): unknown => {
    if (why !== undefined) return node;
    if (typeof node === 'string') {
      if (!node.includes('{{')) return node;
      const at = path.join('.');
      const claim = matches('persistence.*.existingClaim', path) && claimTemplated(major, root.version);
      if (!claim && !TPL_PATHS.some((p) => matches(p, path))) {
        why = `${at} holds a template ({{ … }}) where the chart prints the value as written or this check does not model its tpl`;
        return node;
      }
      const out = evaluate(node, values, root);
      if (out === undefined) why = `${at} holds a template (${node}) that uses more than the release's name, namespace, chart and literal values`;
      return out ?? node;
    }
    if (Array.isArray(node)) return node.map((x, i) => walk(x, [...path, String(i)]));
    if (isMapping(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    return node;
  };
  if (major < 4) return JSON.stringify(values).includes('{{') ? { why: 'its values hold a template ({{ … }}) that the chart renders with tpl' } : { values };
  const out = walk(values, []) as Loose;
  return why === undefined ? { values: out } : { why };
}
