import * as fs from 'fs';
import * as path from 'path';
import { isMapping } from '../../manifests/access';
import { placedSources } from '../argocd-paths';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';

/**
 * A file name that marks a manifest template a script or README renders before applying it: `app-of-apps.yaml.tpl`,
 * `root.yml.template`, `parent-template.yaml`, `root.tmpl`.
 */
const TEMPLATE_FILE = /(\.(tpl|tmpl|template)$)|([.\-_](tpl|tmpl|template)\.ya?ml$)/i;
/** A manifest file of a Helm chart's templates folder (Helm renders it; a Go template is no YAML until then). */
const CHART_TEMPLATE = /\.(ya?ml|tpl)$/i;
/** Bounds: a larger file is no Application template; the number of files read per check run. */
const MAX_TEMPLATE_BYTES = 256 * 1024;
const MAX_TEMPLATES = 2000;

/** A document that declares an Argo CD Application at its top level. */
const APPLICATION_KIND = /^kind:\s*["']?Application["']?\s*$/m;
/** A source's path line (`path: clusters/${CLUSTER}/apps`), quoted or not. */
const PATH_LINE = /^\s+(?:-\s+)?path:\s*["']?([^"'#\n]+?)["']?\s*$/gm;
/** A token a renderer fills: `${X}`, `$X`, `$(x)`, `{{ x }}`, `<your-cluster>`. */
const TOKEN = /\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*|\{\{.*?\}\}|<[^<>/]+>/;

const slash = (p: string) => p.split('\\').join('/');
const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A template's source path as a pattern of the folders it can name once filled: each token any text. */
function pathPattern(p: string): RegExp | undefined {
  const tidy = p.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (!tidy || tidy === '.') return undefined;
  const parts = tidy.split(TOKEN).map(escape);
  return new RegExp(`(^|/)${parts.join('.+')}$`);
}

/** The files of the input that may hold a template of an Application: template-named files, and a chart's templates. */
function templateFiles(graph: ObjectGraph): string[] {
  const charts = graph.charts.map((c) => slash(c).replace(/\/+$/, ''));
  const out: string[] = [];
  for (const folder of graph.folders ?? []) {
    const inChart = charts.some((c) => slash(folder).startsWith(`${c}/templates`));
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) if (TEMPLATE_FILE.test(name) || (inChart && CHART_TEMPLATE.test(name))) out.push(path.join(folder, name));
    if (out.length >= MAX_TEMPLATES) break;
  }
  return out.slice(0, MAX_TEMPLATES);
}

/** The Applications written in template files of the input, each with its file and the patterns of its source paths. */
function templatedApplications(graph: ObjectGraph): { file: string; paths: RegExp[] }[] {
  return graph.once('argocd-templated-applications', () =>
    templateFiles(graph).flatMap((file) => {
      let text: string;
      try {
        if (fs.statSync(file).size > MAX_TEMPLATE_BYTES) return [];
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      return text
        .split(/^---\s*$/m)
        .filter((doc) => APPLICATION_KIND.test(doc) && /argoproj\.io\//.test(doc))
        .map((doc) => ({ file, paths: [...doc.matchAll(PATH_LINE)].flatMap((m) => pathPattern(m[1]) ?? []) }))
        .filter((a) => a.paths.length > 0);
    }),
  );
}

/** The folders an object is delivered from: the kustomizations that build it, else its file's folder. */
function placesOf(o: GraphObject): string[] {
  const own = o.kustomizations?.length ? [...o.kustomizations] : o.file ? [path.dirname(o.file)] : [];
  return own.map((f) => slash(f).replace(/\/+$/, ''));
}

/**
 * An Application the tree holds outside the objects it applies that delivers an object, in words: one in a file no
 * kustomization of its folder lists (an app-of-apps applied by hand beside the children it syncs), or one written in a
 * template a script or README renders (`app-of-apps.yaml.tpl` syncing `clusters/${CLUSTER}/applications`, a Helm
 * template), whose path names the object's folder once filled. Undefined when none does.
 */
export function heldDeliverer(o: GraphObject, graph: ObjectGraph): string | undefined {
  for (const left of graph.leftOut) {
    const manifest = left.manifest;
    if (!isMapping(manifest) || manifest.kind !== 'Application' || left.manifest === o.manifest) continue;
    const parent: GraphObject = { manifest, ...(left.file ? { file: left.file } : {}) };
    if (placedSources(graph, parent).some((s) => s.objects.includes(o))) return `the Application of ${left.file ?? 'a file'}, which no kustomization lists`;
  }
  const places = placesOf(o);
  const template = templatedApplications(graph).find((a) => a.paths.some((p) => places.some((f) => p.test(f))));
  return template && `the Application template ${template.file}`;
}
