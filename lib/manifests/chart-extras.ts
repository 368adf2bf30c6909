import * as path from 'path';
import { isMapping, mapping, mappings, text } from './access';
import type { LoadedManifest, ManifestReadError } from './loaded';

/**
 * Manifests that sit in a chart's folder but outside what helm renders of it (templates/, crds/, charts/): a release
 * of the chart never applies them. The reader walks a chart's other folders as any folder,
 * for the kustomizations and directory sources some Application points at there; a plain manifest that no such
 * source names is test data or an example once the chart is known to be delivered.
 */

const slash = (p: string) => p.split(path.sep).join('/').replace(/^\.\//, '').replace(/\/+$/, '');

/**
 * The folders helm renders of a chart: helm pkg/chart/loader/load.go puts templates/ in Templates and charts/ in the
 * dependencies, every other file in Files (read by .Files.Get, never rendered); pkg/chart/chart.go CRDObjects takes crds/.
 */
const RENDERED_FOLDERS = ['templates', 'crds', 'charts'];

/** The repository paths that the input's Argo CD Applications (their sources) and Flux Kustomizations (spec.path) name. */
function sourcePaths(manifests: readonly LoadedManifest[]): string[] {
  return manifests.flatMap((m) => {
    if (!isMapping(m.manifest)) return [];
    const spec = mapping(m.manifest.spec);
    if (m.manifest.kind === 'Application' || m.manifest.kind === 'ApplicationSet') {
      const s = m.manifest.kind === 'Application' ? spec : mapping(mapping(spec.template).spec);
      return [mapping(s.source), ...mappings(s.sources)].flatMap((x) => (text(x.path) ? [path.posix.normalize(slash(text(x.path)!))] : []));
    }
    return m.manifest.kind === 'Kustomization' && text(spec.path) ? [path.posix.normalize(slash(text(spec.path)!))] : [];
  });
}

/**
 * Whether a source path names a folder of the chart that holds the file (the file's folder or one above it, below the
 * chart: a path naming the chart itself is the chart's delivery), by trailing segments.
 */
function namesFolderOf(chart: string, file: string, sourcePath: string): boolean {
  if (!sourcePath || sourcePath === '.' || sourcePath.startsWith('..')) return false;
  const base = slash(chart);
  const below = slash(path.relative(chart, path.dirname(file))).split('/');
  return below.some((_, i) => {
    const f = `${base}/${below.slice(0, i + 1).join('/')}`;
    return f === sourcePath || f.endsWith(`/${sourcePath}`);
  });
}

/**
 * The manifests of a delivered chart's folder that helm does not render and no source of the input names (read from
 * files as written, built by no kustomization), removed from `manifests`, with a note naming them; the chart's own
 * checked folder (`check/…` renders, `helm template <chart>`) keeps them, as nothing says who applies the chart.
 */
export function droppedChartExtras(chart: string, delivery: string, manifests: LoadedManifest[]): ManifestReadError | undefined {
  if (delivery.startsWith('check/')) return undefined;
  const named = sourcePaths(manifests);
  const dropped = new Set<string>();
  for (let i = manifests.length - 1; i >= 0; i--) {
    const m = manifests[i];
    if (m.helmRendering || m.kustomizations?.length || !m.file) continue;
    const rel = path.relative(chart, m.file).split(path.sep);
    if (rel.length < 2 || rel[0] === '..' || path.isAbsolute(rel[0]) || RENDERED_FOLDERS.includes(rel[0])) continue;
    if (named.some((p) => namesFolderOf(chart, m.file, p))) continue;
    dropped.add(rel.join('/'));
    manifests.splice(i, 1);
  }
  if (!dropped.size) return undefined;
  const files = [...dropped].sort().join(', ');
  return {
    file: chart,
    message:
      `holds manifests outside templates/ and crds/ (${files}): helm renders only those folders, so ${delivery}, which installs the chart, does not apply them, and no source of the input names their folder; ` +
      'they are not checked (point an Application or Kustomization at their folder, or move them under templates/, to have them applied)',
    severity: 'info',
  };
}
