import * as fs from 'fs';
import * as path from 'path';
import { mapping, mappings, strings, text } from '../../manifests/access';
import { placedSources, samePlace } from '../argocd-paths';
import { generatedFrom } from '../application-sets';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

/** The raw sources of an Application that carry a path, with the field a message names, in placedSources' order. */
function pathSources(app: GraphObject): { field: string; source: Record<string, unknown> }[] {
  const spec = mapping(app.manifest.spec);
  return [
    { field: 'spec.source', source: mapping(spec.source) },
    ...mappings(spec.sources).map((source, i) => ({ field: `spec.sources[${i}]`, source })),
  ].filter((s) => text(s.source.path));
}

const isFolder = (p: string) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The folders from a chart's up to the filesystem's root: one of them is the repository's. */
function ancestors(folder: string): string[] {
  const up = path.dirname(folder);
  return up === folder ? [] : [up, ...ancestors(up)];
}

/**
 * What is wrong with a value file read in a chart folder: it is a folder there, or it is not there while a folder
 * above the chart (the repository's root, as a generator's path is) holds it. Undefined when it is a file, or when
 * nothing of the input shows where it was meant.
 */
function valueFileProblem(chart: string, file: string): string | undefined {
  const resolved = path.resolve(chart, file);
  if (isFolder(resolved)) return `is a folder (${resolved}), not a file`;
  if (fs.existsSync(resolved) || path.isAbsolute(file)) return undefined;
  const meant = ancestors(chart).find((a) => fs.existsSync(path.join(a, file)));
  if (meant === undefined) return undefined;
  const there = path.join(meant, file);
  return `does not exist there (${resolved}); it names ${isFolder(there) ? 'the folder' : 'the file'} ${there}, a path from a folder above the chart`;
}

/** The valueFiles of a source, resolved in its folder, that name a folder of the checked tree. */
function folderValueFiles(app: GraphObject, graph: ObjectGraph): Problem[] {
  const raw = pathSources(app);
  const set = generatedFrom(app);
  return placedSources(graph, app).flatMap((placed, i) => {
    const { field, source } = raw[i] ?? { field: '', source: {} };
    // the chart folder of the input the path names: valueFiles are read in a chart's folder, and one folder only
    const charts = placed.place === undefined ? [] : graph.charts.filter((c) => samePlace(c, placed.place!));
    if (charts.length !== 1 || !raw[i]) return [];
    return strings(mapping(source.helm).valueFiles).flatMap((file, j) => {
      // another source's file ($ref/…), a URL, or a value still to be filled is not judged here
      if (/^\$|^[a-z]+:\/\//i.test(file) || holdsTemplate(file)) return [];
      const problem = valueFileProblem(charts[0], file);
      if (!problem) return [];
      const generated = set
        ? `, as ${set} fills its template from its generators' parameters (a git files generator's {{path}} is the folder of the file it found, from the repository's root: write {{path}}/<file> from the root, with a leading /)`
        : '';
      return [
        {
          message: `${field}.helm.valueFiles[${j}] '${file}', read from source path '${placed.path}', ${problem}${generated}: the repo server fails to render the chart and the Application never syncs; name a values file`,
        },
      ];
    });
  });
}

export const argocdValueFileNotFile: Rule = {
  id: 'argocd-value-file-not-file',
  title: "an Argo CD Application's helm.valueFiles names a folder of its chart's repository, not a file: the render fails",
  severity: 'error',
  appliesTo: ['Application'],
  premise:
    "an Application (one an ApplicationSet of the tree generates, its template filled from the generators' parameters, included) whose source with a path the checked tree holds (argocd-path-missing's placement of source.path) lists in helm.valueFiles a relative path that, joined to that folder, is a folder of the checked tree, or is missing there while a folder above the chart (the repository's root, from which a git generator's path parameter is written) holds it; not judged: a `$ref/…` file of another source, a URL, a value holding a template, a path the tree does not show",
  example:
    'an ApplicationSet whose git files generator reads `path: models/*/values.yaml` and whose template lists `- "{{path}}"` under `valueFiles:` of `path: charts/serving`',
  fix: 'name a values file (with a git files generator, `{{path}}/<file>` or the path of the file the generator read)',
  source:
    "Argo CD reposerver/repository/repository.go helmTemplate (each valueFiles entry resolved relative to the source path, read as a file; a folder fails the render); applicationset/generators/git.go (the files generator's path parameter is the folder of the matched file, path.filename its name)",
  check(o, { graph }) {
    return folderValueFiles(o, graph);
  },
};
