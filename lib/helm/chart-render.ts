import * as fs from 'fs';
import * as path from 'path';
import { capabilities, CapabilitySource } from './capabilities';
import { loadArchive, loadChart } from './chart-load';
import { ChartNode, chartTree, resolveValues } from './dependencies';
import { filesObject } from './files-object';
import { renderFuncs } from './funcs';
import { GoMap, isGoMap, NotRendered, TemplateError } from './go-values';
import { HelmFail } from './helm-funcs';
import { splitManifests } from './manifest-split';
import { Exec, STRUCTS, TemplateFunc } from './template-exec';
import { Node } from './template-nodes';
import { TemplateSyntaxError } from './template-lex';
import { parseTemplate } from './template-parse';
import { IgnoredValue, ignoredValues } from './ignored-values';
import { ValueReads } from './value-reads';
import { SubchartValueAtTop, subchartValuesAtTop } from './subchart-values';

/** What a render is asked for: helm template's flags, as a delivery gives them. */
export interface RenderRequest {
  readonly chartDir: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** The user values (values files, inline values and --set merged in order). */
  readonly values: GoMap;
  readonly capabilities: CapabilitySource;
  /** Render crds/ too (helm template --include-crds; Argo CD passes it unless skipCrds). */
  readonly includeCrds: boolean;
}

/** One object of the output, with the template (`<chart>/templates/<file>`) and the file it came from. */
export interface RenderedObject {
  readonly source: string;
  readonly file: string;
  readonly index: number;
  readonly manifest: unknown;
}

/**
 * A render's outcome: the objects; or a failure Helm itself would have (`required`, `fail`, a template error, output
 * that is no YAML: `helmFails`), or what this check cannot know or does not implement (then nothing is guessed).
 */
export type RenderOutcome =
  | {
      readonly ok: true;
      readonly objects: RenderedObject[];
      readonly ignored: readonly IgnoredValue[];
      /** The parent's top-level values meant for a subchart, which Helm hands to none (helm-values-not-passed). */
      readonly atTop: readonly SubchartValueAtTop[];
    }
  | { readonly ok: false; readonly helmFails: boolean; readonly reason: string; readonly unparsed?: boolean };

interface TemplateFile {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly node: ChartNode;
  readonly values: GoMap;
  readonly chartPath: string;
}

/** Every template of the enabled charts, with the values its chart sees (a subchart its own part of the tree). */
function templateFiles(node: ChartNode, values: GoMap, chartPath: string): TemplateFile[] {
  const own = [...node.chart.templates].map(([rel, text]) => ({
    name: `${chartPath}/${rel}`,
    file: path.join(node.chart.dir, rel),
    text,
    node,
    values,
    chartPath,
  }));
  const subs = node.subcharts.flatMap((s) => {
    const own = values[s.name];
    return templateFiles(s, isGoMap(own) ? own : {}, `${chartPath}/charts/${s.name}`);
  });
  return [...own, ...subs];
}

/** helm engine.go sortTemplates: deepest paths first, then names in reverse order; a later define of a name wins. */
function parseOrder(files: TemplateFile[]): TemplateFile[] {
  const depth = (n: string) => n.split('/').length;
  return [...files].sort((a, b) => depth(b.name) - depth(a.name) || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

function chartObject(node: ChartNode, root: boolean): GoMap {
  const m = node.chart.metadata;
  const cap = (k: string) =>
    k === 'apiVersion' ? 'APIVersion' : k === 'appVersion' ? 'AppVersion' : k === 'kubeVersion' ? 'KubeVersion' : k[0].toUpperCase() + k.slice(1);
  const o: GoMap = {
    Name: node.name,
    Version: '',
    AppVersion: '',
    Description: '',
    Type: '',
    Home: '',
    Icon: '',
    KubeVersion: '',
    Deprecated: false,
    Keywords: [],
    Sources: [],
    Maintainers: [],
    Annotations: {},
    Dependencies: [],
    Condition: '',
    Tags: '',
  };
  for (const [k, v] of Object.entries(m)) if (k !== 'name') o[cap(k)] = v;
  o.IsRoot = root;
  STRUCTS.add(o);
  return o;
}

function topData(f: TemplateFile, req: RenderRequest, caps: GoMap, root: ChartNode): GoMap {
  const release: GoMap = { Name: req.releaseName, Namespace: req.namespace, IsInstall: true, IsUpgrade: false, Revision: 1n, Service: 'Helm' };
  STRUCTS.add(release);
  const template: GoMap = { Name: f.name, BasePath: `${f.chartPath}/templates` };
  const subcharts: GoMap = {};
  for (const s of f.node.subcharts) subcharts[s.name] = { Values: f.values[s.name] ?? {}, Chart: chartObject(s, false) };
  return {
    Values: f.values,
    Release: release,
    Chart: chartObject(f.node, f.node === root),
    Capabilities: caps,
    Files: filesObject(f.node.chart.files),
    Template: template,
    Subcharts: subcharts,
  };
}

function crdObjects(node: ChartNode, chartPath: string): RenderedObject[] {
  const own = [...node.chart.crds].flatMap(([rel, text]) =>
    splitManifests(text, `${chartPath}/${rel}`).map((d) => ({ ...d, file: path.join(node.chart.dir, rel) })),
  );
  return [...own, ...node.subcharts.flatMap((s) => crdObjects(s, `${chartPath}/charts/${s.name}`))];
}

function failure(e: unknown): RenderOutcome {
  if (e instanceof NotRendered) return { ok: false, helmFails: false, reason: e.message };
  if (e instanceof HelmFail || e instanceof TemplateError || e instanceof TemplateSyntaxError) return { ok: false, helmFails: true, reason: e.message };
  if (e instanceof RangeError) return { ok: false, helmFails: false, reason: `the templates nest too deeply for this check (${e.message})` };
  return { ok: false, helmFails: false, reason: e instanceof Error ? e.message : String(e) };
}

/**
 * Every template parsed, as helm engine.go parses them all before it executes one: a template that does not parse
 * fails the render whatever the values (`unparsed`), where it belongs to the chart itself or to a subchart no condition
 * or tag can disable (another delivery's values may leave that subchart out).
 */
function parsedTemplates(files: readonly TemplateFile[]): Map<string, Node[]> | RenderOutcome {
  const set = new Map<string, Node[]>();
  for (const f of files) {
    try {
      const parsed = parseTemplate(f.text, f.name);
      set.set(f.name, parsed.root);
      for (const [k, v] of parsed.defines) set.set(k, v);
    } catch (e) {
      if (!(e instanceof TemplateSyntaxError)) throw e;
      return { ok: false, helmFails: true, reason: e.message, unparsed: alwaysEnabled(f.node, files) };
    }
  }
  return set;
}

/** Whether a chart of the render is the root or a subchart (of subcharts) that no dependency's condition or tag governs. */
function alwaysEnabled(node: ChartNode, files: readonly TemplateFile[]): boolean {
  const nodes = [...new Set(files.map((f) => f.node))];
  const parent = nodes.find((n) => n.subcharts.includes(node));
  if (!parent) return true;
  const dep = parent.chart.dependencies.find((d) => (d.alias ?? d.name) === node.name);
  return !dep?.condition && !dep?.tags.length && alwaysEnabled(parent, files);
}

/**
 * The root chart's NOTES.txt run for what it reads of the values (helm renders it for the release notes, which are no
 * object): a value only the notes print is read all the same. Its failure is no failure of the render. Whether the
 * chart has notes.
 */
function notesRead(exec: Exec, files: readonly TemplateFile[], set: Map<string, Node[]>, data: (f: TemplateFile) => GoMap, root: ChartNode): boolean {
  const notes = files.find((f) => f.node === root && path.posix.basename(f.name) === 'NOTES.txt');
  if (!notes) return false;
  try {
    exec.run(set.get(notes.name)!, data(notes), notes.name);
  } catch {
    // the notes' own error is Helm's to print after the install, not a failure of the objects
  }
  return true;
}

/** Each enabled subchart's part of the values, which Helm hands to it as its .Values: asked of its parent's map. */
function handedToSubcharts(reads: ValueReads, node: ChartNode, values: GoMap): void {
  for (const s of node.subcharts) {
    reads.key(values, s.name);
    const own = values[s.name];
    if (isGoMap(own)) handedToSubcharts(reads, s, own);
  }
}

/** A chart folder, or a packaged chart (`<name>-<version>.tgz`, as helm pull writes it: helm pkg/chart/loader/load.go Loader picks the archive loader for a file). */
function loadedChart(at: string): ReturnType<typeof loadChart> {
  return at.endsWith('.tgz') && fs.statSync(at, { throwIfNoEntry: false })?.isFile() ? loadArchive(at, fs.readFileSync(at)) : loadChart(at);
}

/** helm template for a chart folder of the input (or a packaged chart of the chart cache): the objects its templates (and crds/) make with the given values. */
export function renderChart(req: RenderRequest): RenderOutcome {
  try {
    const { tree, values } = resolveValues(chartTree(loadedChart(req.chartDir)), req.values);
    const files = parseOrder(templateFiles(tree, values, tree.name));
    const set = parsedTemplates(files);
    if (!(set instanceof Map)) return set;
    const funcs = new Map<string, TemplateFunc>();
    const exec = new Exec(set, funcs);
    handedToSubcharts(exec.reads, tree, values);
    for (const [k, fn] of renderFuncs(exec)) funcs.set(k, fn);
    const caps = capabilities(req.capabilities);
    const objects: RenderedObject[] = req.includeCrds ? crdObjects(tree, tree.name) : [];
    for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const base = path.posix.basename(f.name);
      if (base.startsWith('_') || base === 'NOTES.txt') continue;
      const text = exec.run(set.get(f.name)!, topData(f, req, caps, tree), f.name).replace(/<no value>/g, '');
      objects.push(...splitManifests(text, f.name).map((d) => ({ ...d, file: f.file })));
    }
    let ignored = ignoredValues(req.values, values, tree, exec.reads);
    let atTop = subchartValuesAtTop(tree, req.values, values, exec.reads);
    // the notes run only when a value seems ignored: what they read may clear it
    if ((ignored.length || atTop.length) && notesRead(exec, files, set, (f) => topData(f, req, caps, tree), tree)) {
      ignored = ignoredValues(req.values, values, tree, exec.reads);
      atTop = subchartValuesAtTop(tree, req.values, values, exec.reads);
    }
    // a value meant for a subchart is that finding's, not also an unknown key of the chart
    const placed = new Set(atTop.map((a) => a.key));
    return { ok: true, objects, ignored: ignored.filter((i) => !placed.has(i.path.split('.')[0])), atTop };
  } catch (e) {
    return failure(e);
  }
}
