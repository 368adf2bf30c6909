import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { chartReleases } from '../chart-releases';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { deliverersOf, waveOf } from './application';

/** The argocd-cm key that gives Applications a health status (argo-cd docs operator-manual/health.md "Argocd App"). */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';
/** The argocd-cm key of the older single-block form, `argoproj.io/Application: {health.lua: …}` (util/settings/settings.go resourceCustomizationsKey). */
const CUSTOMIZATIONS_KEY = 'resource.customizations';
/** The argo-cd Helm chart (argoproj/argo-helm charts/argo-cd). */
const ARGO_CD_CHART = 'argo-cd';

/**
 * Whether the Argo CD instance that syncs the tree assesses the health of Applications: `configured` where the tree
 * gives the customisation, `absent` where the tree holds that instance's configuration without it (Argo CD has no
 * built-in Application health since 1.8), `unknown` where the tree holds no configuration of Argo CD, or some the
 * check cannot read. `where` names what was read, for messages.
 */
export interface ApplicationHealth {
  readonly state: 'configured' | 'absent' | 'unknown';
  readonly where: string;
  /** Of an unknown state: the tree holds a configuration whose part that may give the check the check does not read. */
  readonly unread?: true;
}

/**
 * Whether `resource.customizations` (a YAML block keyed by `group/Kind`, wildcards allowed: settings.go
 * GetResourceOverrides, util/lua getWildcardHealthOverrideLua) gives argoproj.io/Application a health.lua.
 */
function blockHasApplicationHealth(block: unknown): boolean {
  if (typeof block !== 'string') return false;
  const parsed = parseOne(block);
  const overrides = parsed && 'value' in parsed ? mapping(parsed.value) : {};
  return Object.entries(overrides).some(([key, v]) => {
    const pattern = new RegExp(`^${key.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return pattern.test('argoproj.io/Application') && text(mapping(v)['health.lua']) !== undefined;
  });
}

/** Whether argocd-cm data (or settings an operator writes there) give Applications a health check, in either form. */
function settingsGiveHealth(data: Loose): boolean {
  return text(data[APPLICATION_HEALTH_KEY]) !== undefined || blockHasApplicationHealth(data[CUSTOMIZATIONS_KEY]);
}

/**
 * An `ArgoCD` resource of argocd-operator (OpenShift GitOps): controllers/argocd/configmap.go writes
 * spec.resourceHealthChecks as `resource.customizations.health.<group>_<kind>` keys, spec.resourceCustomizations as
 * `resource.customizations`, and spec.extraConfig over them.
 */
function operatorGivesHealth(spec: Loose): boolean {
  return (
    mappings(spec.resourceHealthChecks).some((h) => text(h.group) === 'argoproj.io' && text(h.kind) === 'Application' && !!text(h.check)) ||
    blockHasApplicationHealth(spec.resourceCustomizations) ||
    settingsGiveHealth(mapping(spec.extraConfig))
  );
}

/** The argocd-cm data the argo-cd chart writes from its values: `configs.cm` (chart 5 and later), `server.config` before. */
const chartSettings = (values: Loose): Loose => ({ ...mapping(mapping(values.server).config), ...mapping(mapping(values.configs).cm) });

/** ConfigMaps named argocd-cm the tree holds: objects of its builds, and files written as kustomize patches of one (a remote install's). */
function configMaps(graph: ObjectGraph): { data: Loose; file?: string }[] {
  const named = (m: unknown) => isMapping(m) && m.kind === 'ConfigMap' && text(mapping(m.metadata).name) === 'argocd-cm';
  return [
    ...graph.ofKind('ConfigMap').filter((c) => named(c.manifest)),
    ...graph.plain.filter((p) => named(p.manifest)).map((p) => ({ manifest: p.manifest as Loose, file: p.file })),
    ...graph.leftOut.filter((p) => named(p.manifest)).map((p) => ({ manifest: p.manifest as Loose, file: p.file })),
  ].map((c) => ({ data: mapping(c.manifest.data), ...(c.file ? { file: c.file } : {}) }));
}

/** The tree's scripts that patch argocd-cm (`kubectl patch configmap argocd-cm -p …`), and whether a patch sets the key. */
function scriptPatched(graph: ObjectGraph): { gives: boolean; where: string } | undefined {
  const patches = graph.scriptPatches.filter((p) => /^(cm|configmaps?)\/argocd-cm$/.test(p.resource));
  if (!patches.length) return undefined;
  const gives = patches.some((p) =>
    p.fields.some((f) => f.path === `data.${APPLICATION_HEALTH_KEY}` || (f.path === `data.${CUSTOMIZATIONS_KEY}` && blockHasApplicationHealth(f.value))),
  );
  return { gives, where: `${patches[0].script}:${patches[0].line}` };
}

/** Releases of the argo-cd chart: Applications, HelmReleases and helmfile entries, then `helm install|upgrade` commands of the scripts. */
function chartInstalls(graph: ObjectGraph): { gives: boolean; readable: boolean; where: string }[] {
  const releases = chartReleases(graph)
    .filter((r) => r.chart === ARGO_CD_CHART || r.chart.endsWith(`/${ARGO_CD_CHART}`))
    .map((r) => ({ gives: settingsGiveHealth(chartSettings(r.values)), readable: !r.valuesElsewhere, where: `${graph.id(r.object)} (chart ${r.chart})` }));
  const commands = graph.helmCommands
    .filter((c) => ['install', 'upgrade'].includes(c.verb) && /(^|\/)argo-cd$/.test(c.positionals[1] ?? ''))
    .map((c) => ({
      gives: c.sets.some((s) => s.key.replace(/\\\./g, '.').endsWith(APPLICATION_HEALTH_KEY)),
      readable: !c.options.some((o) => o.name === 'values'),
      where: `${c.script}:${c.line}`,
    }));
  return [...releases, ...commands];
}

/** Whether the tree installs Argo CD from its published manifests (argoproj/argo-cd manifests/install.yaml and the like), argocd-cm as shipped. */
function publishedInstall(graph: ObjectGraph): string | undefined {
  const published = /argoproj\/argo-cd\/(.*\/)?manifests\//;
  return graph.remoteApplies.find((r) => published.test(r.url))?.url ?? graph.installed.find((i) => published.test(i.entry))?.entry;
}

/**
 * Whether, and where, the tree gives Applications a health check: argocd-cm (either form; also a kustomize patch of
 * it or a script's `kubectl patch`), an ArgoCD resource, or the values of an argo-cd chart release.
 */
export function applicationHealth(graph: ObjectGraph): ApplicationHealth {
  return graph.once('argocd-application-health', (): ApplicationHealth => {
    const cms = configMaps(graph);
    const given = cms.find((c) => settingsGiveHealth(c.data));
    if (given) return { state: 'configured', where: `ConfigMap argocd-cm${given.file ? ` (${given.file})` : ''}` };
    const operators = graph.ofKind('ArgoCD');
    const operator = operators.find((a) => operatorGivesHealth(mapping(a.manifest.spec)));
    if (operator) return { state: 'configured', where: graph.id(operator) };
    const patched = scriptPatched(graph);
    if (patched?.gives) return { state: 'configured', where: `the patch of argocd-cm at ${patched.where}` };
    const charts = chartInstalls(graph);
    const chart = charts.find((c) => c.gives);
    if (chart) return { state: 'configured', where: chart.where };
    // values the check does not read (a values file, valuesFrom) may give it
    const unread = charts.find((c) => !c.readable);
    if (unread) return { state: 'unknown', where: `the values of ${unread.where}`, unread: true };
    const seen = [
      ...cms.map(() => 'ConfigMap argocd-cm'),
      ...operators.map((a) => graph.id(a)),
      ...(patched ? [`the patch of argocd-cm at ${patched.where}`] : []),
      ...charts.map((c) => c.where),
      ...(publishedInstall(graph) ? [`Argo CD's published manifests (${publishedInstall(graph)})`] : []),
    ];
    return seen.length ? { state: 'absent', where: seen[0] } : { state: 'unknown', where: 'no Argo CD configuration in the repository' };
  });
}

/**
 * Whether the checked input gives Applications a health check (applicationHealth: argocd-cm, an ArgoCD resource, the
 * values of an argo-cd chart release, a patch of argocd-cm).
 */
export function applicationHealthConfigured(graph: ObjectGraph): boolean {
  return applicationHealth(graph).state === 'configured';
}

/**
 * Whether Argo CD syncs Application `first` before `then`: both are children of one parent Application whose sync
 * orders them by waves (first's lower), and Applications have a health check, without which a parent's wave is done
 * as soon as the child object exists.
 */
export function orderedBefore(first: GraphObject, then: GraphObject, graph: ObjectGraph): boolean {
  if (!applicationHealthConfigured(graph)) return false;
  const parents = deliverersOf(then, graph);
  return deliverersOf(first, graph).some((p) => parents.includes(p)) && (waveOf(first) ?? 0) < (waveOf(then) ?? 0);
}
