import * as fs from 'fs';
import * as path from 'path';
import type { RenderOutcome } from '../helm/chart-render';
import type { ValuesSource } from '../helm/user-values';
import { isMapping, Loose, mapping, mappings, strings, text } from './access';
import type { AppTemplateMajor } from './app-template-names';
import { APP_TEMPLATE_MAJORS } from './app-template-names';
import { exactVersion, isAppTemplateChart, pinnedMajor } from './app-template-releases';
import { renderAppTemplate } from './app-template-render';
import { helmHook, helmTestHook, renderer, userValues } from './chart-deliveries';
import { parseOne } from './yaml-documents';

/** kustomize's default chart home (api/types/helmchartargs.go HelmDefaultHome), relative to the kustomization. */
const DEFAULT_CHART_HOME = 'charts';
/** helm template's release name when none is given (kustomize passes --generate-name, which `helm template` leaves at its default). */
const DEFAULT_RELEASE_NAME = 'release-name';
/** HelmChartInflationGenerator.go legalMergeOptions. */
const MERGE_OPTIONS = ['merge', 'override', 'replace'];

/** An object a helmCharts entry inflated: the template file it came from, and the chart folder. */
export interface InflatedObject {
  readonly file: string;
  readonly index: number;
  readonly manifest: unknown;
  readonly chart: string;
  /** Of an object check rendered itself from the entry's values (app-template-render.ts): what from, as findings say. */
  readonly model?: string;
}

/** What the helmCharts entries of one kustomization gave: objects, refusals (kustomize fails), and entries not rendered (warnings). */
export interface Inflation {
  readonly objects: InflatedObject[];
  readonly refusals: string[];
  readonly notRendered: string[];
}

/** The chart home as kustomize resolves it (absChartHome): relative to the kustomization; `<name>-<version>` below it for a pulled chart. */
function chartHome(dir: string, k: Loose, entry: Loose): string {
  const home = text(mapping(k.helmGlobals).chartHome) || DEFAULT_CHART_HOME;
  const abs = path.isAbsolute(home) ? home : path.join(dir, home);
  return text(entry.version) && text(entry.repo) ? path.join(abs, `${text(entry.name)}-${text(entry.version)}`) : abs;
}

/**
 * A file the generator loads through kustomize's loader (api/internal/loader/fileloader.go Load): relative to the
 * kustomization's folder, inside it unless the load restrictor is lifted; its text, or kustomize's refusal.
 */
function loaded(dir: string, file: string, unrestricted: boolean): { text: string } | { refused: string } {
  const abs = path.resolve(dir, file);
  if (!unrestricted && path.relative(dir, abs).startsWith('..')) return { refused: `security; file '${abs}' is not in or below '${dir}'` };
  if (!fs.existsSync(abs)) return { refused: `evalsymlink failure on '${abs}' : lstat ${abs}: no such file or directory` };
  return { text: fs.readFileSync(abs, 'utf8') };
}

/**
 * mergo.Merge of valuesInline into the values file's map (HelmChartInflationGenerator.go replaceValuesInline): maps
 * merged key by key; with `override` the inline value wins (a null one excepted, which mergo skips), with `merge` the
 * file's value stays and only keys it lacks are added.
 */
export function mergoMerge(dst: Loose, src: Loose, override: boolean): Loose {
  const out: Loose = { ...dst };
  for (const [key, v] of Object.entries(src)) {
    if (v === null || v === undefined) continue;
    const have = out[key];
    if (isMapping(have) && isMapping(v)) out[key] = mergoMerge(have, v, override);
    else if (override || !(key in out) || have === null) out[key] = v;
  }
  return out;
}

/**
 * The values files kustomize hands helm for an entry (Generate: createNewMergedValuesFile or copyValuesFile, then
 * additionalValuesFiles as -f): the values file (valuesFile, else `<chartHome>/<name>/values.yaml`), replaced by or
 * merged with valuesInline as valuesMerge says; or kustomize's refusal.
 */
function valuesOf(dir: string, entry: Loose, home: string, unrestricted: boolean): ValuesSource[] | { refused: string } {
  const name = text(entry.name)!;
  const file = text(entry.valuesFile) ?? path.join(home, name, 'values.yaml');
  const inline = mapping(entry.valuesInline);
  const mode = text(entry.valuesMerge) ?? 'override';
  const base = mode === 'replace' && Object.keys(inline).length ? { text: '' } : loaded(dir, file, unrestricted);
  if ('refused' in base) return base;
  const out: ValuesSource[] = [];
  if (!Object.keys(inline).length) out.push({ yaml: base.text, name: file });
  else if (mode === 'replace') out.push({ yaml: JSON.stringify(inline), name: 'valuesInline' });
  else {
    // kustomize reads the values file with sigs.k8s.io/yaml into a map and writes the merged map back for helm
    const parsed = parseOne(base.text);
    const map = 'value' in parsed ? (parsed.value ?? {}) : undefined;
    if (!isMapping(map)) return { refused: `the values file ${file} is no mapping (${'error' in parsed ? parsed.error : 'error unmarshaling JSON'})` };
    out.push({ yaml: JSON.stringify(mergoMerge(map, inline, mode === 'override')), name: 'valuesInline' });
  }
  for (const extra of strings(entry.additionalValuesFiles)) {
    const more = loaded(dir, extra, unrestricted);
    if ('refused' in more) return { refused: `could not load additionalValuesFile: ${more.refused}` };
    out.push({ yaml: more.text, name: extra });
  }
  return out;
}

/**
 * The values an app-template entry renders with: its valuesFile (else none: the chart's own values.yaml, which the
 * model's defaults stand for), valuesInline laid over as valuesMerge says, then additionalValuesFiles.
 */
function appTemplateValues(dir: string, entry: Loose, unrestricted: boolean): ValuesSource[] | { refused: string } {
  if (text(entry.valuesFile)) return valuesOf(dir, entry, dir, unrestricted);
  const out: ValuesSource[] = [{ yaml: JSON.stringify(mapping(entry.valuesInline)), name: 'valuesInline' }];
  for (const extra of strings(entry.additionalValuesFiles)) {
    const more = loaded(dir, extra, unrestricted);
    if ('refused' in more) return { refused: `could not load additionalValuesFile: ${more.refused}` };
    out.push({ yaml: more.text, name: extra });
  }
  return out;
}

/**
 * An entry pulling the bjw-s app-template chart (isAppTemplateChart) at a version of a major the model ports: its
 * objects rendered from its values by the model (app-template-render.ts), as a HelmRelease's are; undefined for any
 * other entry, which stays a note.
 */
function appTemplateEntry(dir: string, entry: Loose, unrestricted: boolean, file: string): { objects: InflatedObject[] } | { notRendered: string } | undefined {
  const name = text(entry.name)!;
  const version = text(entry.version);
  if (!modelledEntry(entry)) return undefined;
  const major = pinnedMajor(version) as AppTemplateMajor;
  const said = `helmCharts entry ${name} (app-template ${version})`;
  const values = appTemplateValues(dir, entry, unrestricted);
  if ('refused' in values) return { notRendered: `${said} is not rendered: ${values.refused}` };
  let given: Record<string, unknown>;
  try {
    given = userValues(values);
  } catch (e) {
    return { notRendered: `${said} is not rendered: ${(e as Error).message}` };
  }
  const release = text(entry.releaseName) ?? DEFAULT_RELEASE_NAME;
  const out = renderAppTemplate({ release, namespace: text(entry.namespace) ?? 'default', values: given, version: exactVersion(version), major });
  if ('unmodelled' in out) return { notRendered: `${said}, whose objects check renders from the entry's values, is not rendered: ${out.unmodelled}` };
  const model = `app-template ${version} values of the helmCharts entry ${name} of ${file}`;
  return { objects: out.objects.map((manifest, index) => ({ file, index, manifest, chart: `app-template@${version}`, model })) };
}

/** Whether an entry pulls app-template at a version of a major the model ports. */
const modelledEntry = (entry: Loose): boolean =>
  isAppTemplateChart(text(entry.repo), text(entry.name)) && APP_TEMPLATE_MAJORS.includes(pinnedMajor(text(entry.version)) as AppTemplateMajor);

/**
 * Whether every helmCharts entry of a kustomization is one check renders from its values (the app-template chart at a
 * ported major): such a kustomization's objects are known even where nothing of the input shows the build enabling
 * Helm, as they are when it does.
 */
export function onlyModelledCharts(k: Loose): boolean {
  const entries = mappings(k.helmCharts);
  return entries.length > 0 && entries.every(modelledEntry);
}

/** One entry rendered as `helm template` renders it for kustomize (templateCommand), or why not. */
function inflateEntry(
  dir: string,
  k: Loose,
  entry: Loose,
  unrestricted: boolean,
  file: string,
): { objects: InflatedObject[] } | { refused: string } | { notRendered: string } {
  const name = text(entry.name);
  if (!name) return { refused: 'helmCharts entry has no name: kustomize refuses it (chart name cannot be empty)' };
  const mode = text(entry.valuesMerge);
  if (mode !== undefined && !MERGE_OPTIONS.includes(mode))
    return { refused: `helmCharts entry ${name}: valuesMerge must be one of [${MERGE_OPTIONS.join(' ')}]: kustomize refuses it` };
  const home = chartHome(dir, k, entry);
  const chart = path.join(home, name);
  // a chart kustomize would pull (or a missing local one, refused by missingLocalCharts) is not rendered here, but for
  // the app-template chart, whose objects check renders from the values
  if (!fs.statSync(chart, { throwIfNoEntry: false })?.isDirectory()) {
    const modelled = text(entry.nameTemplate) ? undefined : appTemplateEntry(dir, entry, unrestricted, file);
    if (modelled) return modelled;
    return text(entry.repo) ? { notRendered: `helmCharts entry ${name} is pulled from ${text(entry.repo)}, which check does not fetch` } : { objects: [] };
  }
  if (text(entry.nameTemplate)) return { notRendered: `helmCharts entry ${name} names its release by a template (nameTemplate), which check does not follow` };
  const values = valuesOf(dir, entry, home, unrestricted);
  if ('refused' in values) return { refused: `helmCharts entry ${name}: ${values.refused}: kustomize refuses it` };
  let given: Record<string, unknown>;
  try {
    given = userValues(values);
  } catch (e) {
    return { refused: `helmCharts entry ${name}: ${(e as Error).message}: helm template fails, so kustomize refuses it` };
  }
  const kubeVersion = text(entry.kubeVersion);
  const out: RenderOutcome = renderer()({
    chartDir: chart,
    releaseName: text(entry.releaseName) ?? DEFAULT_RELEASE_NAME,
    namespace: text(entry.namespace) ?? 'default',
    values: given,
    // helm runs where kustomize builds: its own API versions, but which helm (and so which default Kubernetes version) is unknown
    capabilities: { clusterUnknown: false, kubeVersionUnknown: !kubeVersion, kubeVersion, apiVersions: strings(entry.apiVersions) },
    includeCrds: entry.includeCRDs === true,
  });
  if (!out.ok)
    return out.helmFails
      ? { refused: `helmCharts entry ${name}: helm template fails on the chart ${chart}: ${out.reason}: kustomize refuses it` }
      : { notRendered: `helmCharts entry ${name} (chart ${chart}) is not rendered: ${out.reason}` };
  const kept = out.objects.filter((o) => !(entry.skipHooks === true && helmHook(o.manifest)) && !(entry.skipTests === true && helmTestHook(o.manifest)));
  return { objects: kept.map((o) => ({ file: o.file, index: o.index, manifest: o.manifest, chart })) };
}

/**
 * The objects of a kustomization's helmCharts entries, inflated as kustomize's HelmChartInflationGenerator does with
 * --enable-helm (sigs.k8s.io/kustomize api/internal/builtins/HelmChartInflationGenerator.go: validateArgs, Generate,
 * templateCommand): each entry's local chart `<chartHome>/<name>` rendered with its release name, namespace, values,
 * includeCRDs, skipHooks, skipTests, kubeVersion and apiVersions; entries in order, their objects after the
 * kustomization's ConfigMap and Secret generators' (kusttarget.go configureBuiltinGenerators). An entry pulling the
 * app-template chart is rendered from its values by check's model of that chart (appTemplateEntry).
 */
export function inflateHelmCharts(dir: string, k: Loose, unrestricted: boolean, file: string = path.join(dir, 'kustomization.yaml')): Inflation {
  const result: Inflation = { objects: [], refusals: [], notRendered: [] };
  for (const entry of mappings(k.helmCharts)) {
    const r = inflateEntry(dir, k, entry, unrestricted, file);
    if ('refused' in r) result.refusals.push(r.refused);
    else if ('notRendered' in r) result.notRendered.push(r.notRendered);
    else result.objects.push(...r.objects);
  }
  return result;
}
