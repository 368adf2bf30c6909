import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, text } from './access';
import type { ChartDelivery } from './chart-deliveries';
import { argoChartRequest } from './chart-values';
import type { ManifestReadError } from './loaded';
import { yamlLib } from './yaml-documents';

/** A Validated Patterns repository's global values file (validatedpatterns.io: the pattern's root holds it). */
const GLOBAL_VALUES = 'values-global.yaml';

/**
 * The values the pattern operator sets from the cluster and hands every application as parameters
 * (validatedpatterns/clustergroup-chart templates/_helpers.tpl clustergroup.app.globalvalues.helmparameters): not in
 * the repository, so placeholders that render. global.namespace is $ARGOCD_APP_NAMESPACE, which Argo CD fills.
 */
const OPERATOR_GLOBALS: Readonly<Record<string, string>> = {
  'global.repoURL': 'https://git.example.com/pattern.git',
  'global.targetRevision': 'main',
  'global.namespace': '$ARGOCD_APP_NAMESPACE',
  'global.hubClusterDomain': 'apps.hub.example.com',
  'global.localClusterDomain': 'apps.hub.example.com',
  'global.clusterDomain': 'hub.example.com',
  'global.clusterVersion': '4.19',
  'global.clusterPlatform': 'AWS',
};

/** One YAML file's first document as a mapping; empty when it is missing or not a mapping. */
function readValues(file: string): Loose {
  if (!fs.existsSync(file)) return {};
  try {
    const doc: unknown = yamlLib().parse(fs.readFileSync(file, 'utf8'));
    return isMapping(doc) ? doc : {};
  } catch {
    return {};
  }
}

/** The pattern root a checked folder is or is inside: the nearest folder up to its git work tree's root holding values-global.yaml. */
function patternRoot(checked: string): string | undefined {
  for (let dir = path.resolve(checked); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, GLOBAL_VALUES))) return dir;
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return undefined;
  }
}

/** An application entry's Argo CD Application as the clustergroup chart makes it (templates/plumbing/applications.yaml, single source). */
function applicationOf(app: Loose, key: string, pattern: string, group: string, shared: readonly string[]): Loose {
  const argoNamespace = `${pattern}-${group}`;
  const overrides = (Array.isArray(app.overrides) ? app.overrides : []).filter(isMapping);
  const parameters = [
    ...Object.entries({ ...OPERATOR_GLOBALS, 'global.pattern': pattern }).map(([name, value]) => ({ name, value })),
    ...overrides.map((o) => ({ name: text(o.name), value: String(o.value ?? ''), ...(o.forceString === true ? { forceString: true } : {}) })),
  ];
  const extra = Array.isArray(app.extraValueFiles) ? app.extraValueFiles.map(String) : [];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: text(app.name) ?? key, namespace: argoNamespace },
    spec: {
      destination: { namespace: text(app.namespace) ?? argoNamespace },
      source: {
        repoURL: OPERATOR_GLOBALS['global.repoURL'],
        path: text(app.path),
        helm: { ignoreMissingValueFiles: true, valueFiles: [`/${GLOBAL_VALUES}`, `/values-${group}.yaml`, ...shared, ...extra], parameters },
      },
    },
  };
}

/** What the pattern's values name: its cluster group, that group's values file and its application entries. */
interface Pattern {
  readonly root: string;
  readonly name: string;
  readonly group: string;
  readonly groupFile: string;
  readonly clusterGroup: Loose;
}

function patternAt(checked: string): Pattern | undefined {
  const root = patternRoot(checked);
  if (!root) return undefined;
  const global = readValues(path.join(root, GLOBAL_VALUES));
  const group = text(mapping(global.main).clusterGroupName);
  const groupFile = group ? path.join(root, `values-${group}.yaml`) : undefined;
  if (!group || !groupFile || !fs.existsSync(groupFile)) return undefined;
  const name = text(mapping(global.global).pattern) ?? path.basename(root);
  return { root, name, group, groupFile, clusterGroup: mapping(readValues(groupFile).clusterGroup) };
}

/** A file of the pattern named as the checked folder names it. */
const named = (checked: string, file: string) => path.join(checked, path.relative(path.resolve(checked), file));

/** One application entry's delivery of a chart of the input; or a note where its chart is remote. */
function entryDelivery(p: Pattern, checked: string, key: string, app: Loose, charts: readonly string[]): ChartDelivery | ManifestReadError | undefined {
  const where = `${path.basename(p.groupFile)} clusterGroup.applications.${key}`;
  if (app.disabled === true || app.kustomize === true || app.plugin) return undefined;
  if (text(app.chart))
    return {
      file: named(checked, p.groupFile),
      severity: 'info',
      message: `${where} installs the remote chart ${text(app.chart)}${text(app.repoURL) ? ` of ${text(app.repoURL)}` : ''}, which is not in the checked files: not rendered`,
    };
  const folder = text(app.path) ? path.resolve(p.root, text(app.path)!) : undefined;
  const chart = folder ? charts.find((c) => path.resolve(c) === folder) : undefined;
  if (!chart) return undefined;
  const shared = (Array.isArray(p.clusterGroup.sharedValueFiles) ? p.clusterGroup.sharedValueFiles : []).map(String);
  const application = applicationOf(app, key, p.name, p.group, shared);
  const source = mapping(mapping(application.spec).source);
  const templated = mapping(source.helm).parameters.find((x: Loose) => String(x.value).includes('{{'));
  const request = templated
    ? `its override ${String(templated.name)} is a template the clustergroup chart fills (tpl), which this check does not follow`
    : argoChartRequest(application, source, folder!);
  const delivery = `Application/${String(application.metadata.namespace)}/${String(application.metadata.name)}`;
  const generated = `the Validated Patterns clustergroup chart from ${where}`;
  if (typeof request === 'string' || 'fails' in request) return { chart, delivery, generated, request };
  // helm's values of the clustergroup: the group's name and hub flag the operator sets, under the files' own
  const group = { yaml: JSON.stringify({ clusterGroup: { name: p.group, isHubCluster: true } }), name: 'the pattern operator' };
  const sharedValues = [group.name, `/${GLOBAL_VALUES}`, `/values-${p.group}.yaml`, ...shared];
  return { chart, delivery, generated, sharedValues, request: { ...request, values: [group, ...request.values] } };
}

/**
 * The charts of a Validated Pattern (validatedpatterns.io) that the checked folder is, or is inside: values-global.yaml
 * names the cluster group (main.clusterGroupName), whose values-<group>.yaml lists clusterGroup.applications; the
 * pattern operator's clustergroup chart makes one Argo CD Application per entry (templates/plumbing/applications.yaml:
 * path, namespace, value files /values-global.yaml, /values-<group>.yaml, sharedValueFiles and extraValueFiles with
 * ignoreMissingValueFiles, the operator's global.* values and the entry's overrides as parameters). Each local chart
 * renders as that Application delivers it; a note says the cluster's values are placeholders, and names remote charts.
 */
export function patternDeliveries(checked: string, charts: readonly string[]): { deliveries: ChartDelivery[]; notes: ManifestReadError[] } {
  const p = patternAt(checked);
  if (!p) return { deliveries: [], notes: [] };
  const apps = p.clusterGroup.applications;
  const entries: [string, Loose][] = Array.isArray(apps)
    ? apps.filter(isMapping).map((a, i) => [text(a.name) ?? String(i), a])
    : Object.entries(mapping(apps)).flatMap(([k, a]): [string, Loose][] => (isMapping(a) ? [[k, a]] : []));
  const found = entries.map(([key, app]) => entryDelivery(p, checked, key, app, charts)).filter((x) => x !== undefined);
  const deliveries = found.filter((x): x is ChartDelivery => 'chart' in x);
  const notes = found.filter((x): x is ManifestReadError => !('chart' in x));
  if (deliveries.length) {
    const shown = Object.entries(OPERATOR_GLOBALS)
      .filter(([k]) => k !== 'global.namespace')
      .map(([k, v]) => `${k}=${v}`);
    notes.push({
      file: named(checked, path.join(p.root, GLOBAL_VALUES)),
      severity: 'info',
      message: `its cluster group ${p.group}'s applications (${path.basename(p.groupFile)}) are rendered as the clustergroup chart makes their Argo CD Applications, with placeholders for the values the pattern operator sets from the cluster: ${shown.join(', ')}, clusterGroup.name=${p.group}, clusterGroup.isHubCluster=true`,
    });
  }
  return { deliveries, notes };
}
