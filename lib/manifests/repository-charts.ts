import * as path from 'path';
import { mapping, text } from './access';
import { GitCheckout } from './git-checkout';
import { repositoryScriptsAbove } from './repository-scripts';
import { helmCommandsOf } from './script-helm';
import { workTreeOf } from './work-tree';
import { parseOne } from './yaml-documents';

/** A local Helm chart of a git repository (a folder with a Chart.yaml) and the Services its templates name. */
export interface RepositoryChart {
  /** The chart's name (Chart.yaml `name`). */
  readonly name: string;
  /** Its folder, from the repository's root ('/'-separated). */
  readonly folder: string;
  /** Service names its templates write literally. */
  readonly literal: readonly string[];
  /** Suffixes a Service name adds to the release name or fullname (`{{ .Release.Name }}-api`: `-api`; '' for the name alone). */
  readonly releaseSuffixes: readonly string[];
  readonly fullnameSuffixes: readonly string[];
  /** Release names a script or guide of the repository installs the chart as (`helm install mlflow infrastructure/helm/mlflow`). */
  readonly releases: readonly string[];
}

/** A template's Service name: `{{ .Release.Name }}`, `{{ include "<x>.fullname" . }}` (with a literal suffix), or a literal. */
const RELEASE_NAME = /^\{\{-?\s*\.Release\.Name\s*-?\}\}([\w.-]*)$/;
const FULLNAME = /^\{\{-?\s*(?:include|template)\s+"[\w.-]*fullname"\s+\.\s*-?\}\}([\w.-]*)$/;

/** The metadata.name of each `kind: Service` document of a template text, as written (the line after `metadata:`). */
function serviceNames(source: string): string[] {
  return source
    .split(/^---\s*$/m)
    .filter((doc) => /^kind:\s*Service\s*$/m.test(doc))
    .flatMap((doc) => {
      const m = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*(.+?)\s*$/m.exec(doc);
      return m ? [m[1].replace(/^["']|["']$/g, '')] : [];
    });
}

/**
 * The local Helm charts of the git repository holding a checked folder, with the Services their templates name and
 * the releases the repository's scripts and guides install them as. Only read, never judged: a rule about to call a
 * Service missing asks whether such a chart would make it (Helm's `helm create` scaffold names a chart's objects
 * `{{ include "<chart>.fullname" . }}`: the release name, when it contains the chart's name, else `<release>-<chart>`).
 */
export function repositoryCharts(checkout: GitCheckout): RepositoryChart[] {
  const tree = workTreeOf(checkout);
  if (!tree) return [];
  const files = tree.manifestFiles();
  const commands = helmCommandsOf(repositoryScriptsAbove(checkout.folder)?.scripts ?? []);
  return files
    .filter((f) => path.basename(f.file) === 'Chart.yaml')
    .flatMap((chart) => {
      const parsed = parseOne(chart.text);
      const name = 'value' in parsed ? text(mapping(parsed.value).name) : undefined;
      if (!name) return [];
      const dir = path.dirname(chart.file);
      const folder = path.relative(tree.root, dir).split(path.sep).join('/');
      const names = files.filter((f) => path.dirname(f.file) === path.join(dir, 'templates')).flatMap((f) => serviceNames(f.text));
      const suffixes = (re: RegExp) => names.flatMap((n) => (re.exec(n) ? [re.exec(n)![1]] : []));
      const releases = commands.filter((c) => (c.positionals[1] ?? '').replace(/^\.\/|\/$/g, '').endsWith(folder)).map((c) => c.positionals[0]);
      return [
        {
          name,
          folder,
          literal: names.filter((n) => !n.includes('{{')),
          releaseSuffixes: suffixes(RELEASE_NAME),
          fullnameSuffixes: suffixes(FULLNAME),
          releases: [...new Set(releases.filter(Boolean))],
        },
      ];
    });
}

/**
 * Whether a chart would make a Service of the name: one its templates write, or one named from a release the
 * repository installs it as (the chart's own name standing for the release where none is named).
 */
export function chartMakesService(chart: RepositoryChart, service: string): boolean {
  if (chart.literal.includes(service)) return true;
  const releases = chart.releases.length ? chart.releases : [chart.name];
  return releases.some((r) => {
    const fullname = r.includes(chart.name) ? r : `${r}-${chart.name}`;
    return chart.releaseSuffixes.some((s) => `${r}${s}` === service) || chart.fullnameSuffixes.some((s) => `${fullname}${s}` === service);
  });
}
