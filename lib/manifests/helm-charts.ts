import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, mappings, text } from './access';

/** kustomize's default chart home (api/types/helmchartargs.go HelmDefaultHome), relative to the kustomization. */
const DEFAULT_CHART_HOME = 'charts';

function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * Folders near the kustomization that hold a chart of that name: `<folder>/<name>` with a Chart.yaml, for the
 * kustomization's folder, its subfolders and its parent (where a wrong chartHome usually points instead).
 */
function chartsNamed(dir: string, name: string): string[] {
  const homes = [dir, path.dirname(dir)];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) homes.push(path.join(dir, e.name));
  return homes.map((h) => path.join(h, name)).filter((c) => fs.existsSync(path.join(c, 'Chart.yaml')));
}

/**
 * The helmCharts entries kustomize cannot inflate because their chart is neither local nor pulled: ported from
 * kustomize api/internal/builtins/HelmChartInflationGenerator.go (validateArgs: chartHome defaults to `charts`;
 * absChartHome: a relative chartHome is joined to the kustomization's folder; Generate: when chartExistsLocally finds
 * no folder `<chartHome>/<name>` and `repo` is empty, "no repo specified for pull, no chart found at …"). An entry
 * with a repo is pulled, and an absolute chartHome names a folder of the machine that builds: neither is judged.
 */
export function missingLocalCharts(dir: string, k: Loose): string[] {
  const chartHome = text(mapping(k.helmGlobals).chartHome) || DEFAULT_CHART_HOME;
  if (path.isAbsolute(chartHome)) return [];
  const missing = mappings(k.helmCharts)
    .filter((chart) => !text(chart.repo))
    .map((chart) => text(chart.name) ?? '')
    .filter((name) => name && !isFolder(path.join(dir, chartHome, name)));
  if (!missing.length) return [];
  // kustomize stops at the first; the others fail the same way, so they are said with it
  const found = missing.flatMap((name) => chartsNamed(dir, name)).map((c) => path.relative(dir, path.dirname(c)) || '.');
  const homes = [...new Set(found)];
  const home = `helmGlobals.chartHome '${chartHome}'${mapping(k.helmGlobals).chartHome === undefined ? ' (the default)' : ''}`;
  const shown = missing.length > 3 ? `${missing.slice(0, 3).join(', ')} and ${missing.length - 3} more` : missing.join(', ');
  return [
    `helmCharts ${missing.length > 1 ? 'entries' : 'entry'} ${shown} ${missing.length > 1 ? 'have' : 'has'} no repo, and no chart folder is at '${path.join(path.relative(dir, path.join(dir, chartHome)) || '.', missing[0])}'` +
      `${missing.length > 1 ? ' (and the like)' : ''} (${home} + name): kustomize refuses it ("no repo specified for pull, no chart found")` +
      (homes.length
        ? `; charts of ${found.length === missing.length ? 'these names' : 'some of these names'} are under '${homes.join("', '")}': set helmGlobals.chartHome to '${homes[0]}'`
        : '; add the chart there or give the entry a repo to pull it from'),
  ];
}
