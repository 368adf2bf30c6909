import * as fs from 'fs';
import * as path from 'path';
import type { ValuesSource } from '../helm/user-values';
import type { ChartRequest } from './chart-values';
import { HelmCommand, helmCommandsOf } from './script-helm';
import { expandParameters, TreeScript, unquoteShellWord, variablesOf } from './script-text';
import { gitIgnoredValues, unreadableValues, withoutUnread } from './unread-values';

/** A chart of the input that a script, Makefile or README command installs or renders: who, and with what arguments. */
export interface ScriptChartDelivery {
  readonly chart: string;
  /** `<script> (line N)`, as the findings name the delivery. */
  readonly delivery: string;
  /** The arguments; or why they are unknown (the chart then renders with its defaults too). */
  readonly request: ChartRequest | string;
  readonly capped?: string;
  readonly who?: string;
  /** The documentation file whose command this is (a README), where it is one. */
  readonly documentedIn?: string;
}

/** Documentation, not a script that runs: a README's or other Markdown's command. */
const MARKDOWN = /\.(md|markdown)$/i;

/**
 * A word with the script's variables filled in (script-text expandParameters): each one the script sets to one literal
 * value (a `${X:-default}` whose X the script does not set takes its default), then unquoted. Unknown, with the first
 * variable not known, otherwise; a command substitution is never known.
 */
function filledWord(word: string, vars: ReadonlyMap<string, readonly string[]>): { value: string } | { unknown: string } {
  if (/\$\(|`/.test(word)) return { unknown: word };
  let unknown: string | undefined;
  const value = expandParameters(word, ({ name, fallback, written }) => {
    const values = [...new Set(vars.get(name) ?? [])];
    if (values.length === 1 && !values[0].includes('$')) return values[0];
    if (!values.length && fallback !== undefined) return fallback;
    unknown ??= `$${name}`;
    return written;
  });
  return unknown ? { unknown } : { value: unquoteShellWord(value) };
}

/** The chart folder of the input a chart argument names, looked for beside the script, then at the checked folder's root. */
function chartAt(word: string, folder: string, script: string, charts: readonly string[]): string | undefined {
  if (!/^(\.{1,2}\/|\/)|\//.test(word) && !charts.some((c) => path.basename(c) === word)) return undefined;
  const candidates = [path.join(folder, path.dirname(script)), folder].map((b) => path.resolve(b, word));
  return charts.find((c) => candidates.includes(path.resolve(c)));
}

/** Where a command's file word may be: beside the script, else at the checked folder's root. */
const placesOf = (word: string, folder: string, script: string) => [path.join(folder, path.dirname(script)), folder].map((b) => path.resolve(b, word));

/** A file a command names, beside the script, else at the checked folder's root. */
function fileAt(word: string, folder: string, script: string): string | undefined {
  return placesOf(word, folder, script).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Of a values file a command names that is not there: why it is left out, where a .gitignore excludes it at either place. */
function ignoredAt(word: string, folder: string, script: string): string | undefined {
  for (const f of placesOf(word, folder, script)) {
    const ignored = gitIgnoredValues(word, f, folder);
    if (ignored) return ignored;
  }
  return undefined;
}

/** How a command's file words are found: the file, or why a missing values file is left out. */
interface FileLookup {
  readonly at: (w: string) => string | undefined;
  readonly ignored: (w: string) => string | undefined;
}

type Options = HelmCommand['options'];

/** helm's user values of a command, in helm's order (pkg/cli/values/options.go MergeValues: files, then --set, --set-string, --set-file). */
function valuesOf(options: Options, { at, ignored }: FileLookup, unread: string[]): ValuesSource[] | string {
  const files: ValuesSource[] = [];
  for (const o of options.filter((x) => x.name === 'values')) {
    for (const raw of (o.value ?? '').split(',')) {
      const secret = unreadableValues(raw);
      const file = secret ? undefined : at(raw);
      // a values file .gitignore excludes is made where the command runs: rendered without it, capped (as for Argo CD's)
      const left = secret ?? (file ? undefined : ignored(raw));
      if (left) unread.push(left);
      else if (!file) return `its values file ${raw} is not in the checked files`;
      else {
        const yaml = fs.readFileSync(file, 'utf8');
        const encrypted = unreadableValues(raw, yaml);
        if (encrypted) unread.push(encrypted);
        else files.push({ yaml, name: raw });
      }
    }
  }
  const sets = (name: string, asString: boolean) => options.filter((x) => x.name === name).map((x): ValuesSource => ({ set: x.value ?? '', asString }));
  const setFiles: ValuesSource[] = [];
  for (const o of options.filter((x) => x.name === 'set-file')) {
    const [key, ...rest] = (o.value ?? '').split('=');
    const file = at(rest.join('='));
    if (!file) return `its --set-file ${o.value} reads a file not in the checked files`;
    setFiles.push({ setFile: key, text: fs.readFileSync(file, 'utf8') });
  }
  return [...files, ...sets('set', false), ...sets('set-string', true), ...setFiles];
}

/** The flags of a command this check does not render with: the render would differ from helm's. */
const UNREAD_FLAGS = new Set(['set-json', 'set-literal', 'post-renderer', 'reuse-values', 'reset-then-reuse-values', 'version', 'repo']);

/** helm install|upgrade|template's request for a local chart, from the command's flags with the script's variables filled. */
function commandRequest(c: HelmCommand, release: string, options: Options, files: FileLookup): ChartRequest | string {
  const flag = options.find((o) => UNREAD_FLAGS.has(o.name));
  if (flag) return `its command gives --${flag.name}, which this check does not render with`;
  const unread: string[] = [];
  const values = valuesOf(options, files, unread);
  if (typeof values === 'string') return values;
  const last = (name: string) => options.filter((o) => o.name === name).at(-1)?.value;
  const kubeVersion = last('kube-version');
  return {
    releaseName: release,
    namespace: last('namespace') ?? 'default',
    // helm install|upgrade applies the objects in the release namespace; helm template prints them without one, and
    // without --namespace the release goes to the kube context's namespace, which the script does not tell
    ...(c.verb !== 'template' && last('namespace') ? { releaseNamespace: last('namespace') } : {}),
    values,
    includeCrds: c.verb !== 'template' || options.some((o) => o.name === 'include-crds'),
    clusterUnknown: c.verb !== 'template' || !kubeVersion,
    ...(kubeVersion ? { kubeVersion } : {}),
    ...(unread.length ? { unread } : {}),
  };
}

/** The flags whose values make the render: a variable elsewhere (--timeout $T) leaves it known. */
const RENDER_FLAGS = new Set(['values', 'set', 'set-string', 'set-file', 'namespace', 'kube-version', 'include-crds', ...UNREAD_FLAGS]);

/** One helm command's delivery of a chart of the input, if its chart argument is one. */
function commandDelivery(c: HelmCommand, t: TreeScript, folder: string, charts: readonly string[]): ScriptChartDelivery | undefined {
  const vars = variablesOf(t.text);
  const fill = (w: string) => filledWord(w, vars);
  const generated = c.options.some((o) => o.name === 'generate-name');
  const [first, second] = c.positionals;
  const chartWord = c.verb === 'template' || generated ? (second ?? first) : second;
  const releaseWord = c.verb === 'template' && second === undefined ? 'release-name' : generated ? undefined : first;
  const chartFilled = chartWord === undefined ? undefined : fill(chartWord);
  if (!chartFilled || !('value' in chartFilled)) return undefined;
  const chart = chartAt(chartFilled.value, folder, t.script, charts);
  if (!chart) return undefined;
  const docs = MARKDOWN.test(t.script);
  const delivery = `${path.join(folder, t.script)} (line ${c.line})`;
  const base = {
    chart,
    delivery,
    ...(docs
      ? {
          capped: `rendered as ${delivery} documents it, a command of the documentation rather than a delivery`,
          who: `as ${delivery} documents it`,
          documentedIn: path.join(folder, t.script),
        }
      : {}),
  };
  if (releaseWord === undefined) return { ...base, request: 'its command generates the release name (--generate-name), which names the objects' };
  const read = c.options.filter((o) => RENDER_FLAGS.has(o.name));
  const words = [releaseWord, ...read.map((o) => o.value ?? '')].map(fill);
  const unknown = words.find((w): w is { unknown: string } => 'unknown' in w);
  if (unknown) return { ...base, request: `its command names ${unknown.unknown}, which the script does not set to one literal value` };
  const options = read.map((o) => ({ name: o.name, ...(o.value !== undefined ? { value: (fill(o.value) as { value: string }).value } : {}) }));
  const request = commandRequest(c, (fill(releaseWord) as { value: string }).value, options, {
    at: (w) => fileAt(w, folder, t.script),
    ignored: (w) => ignoredAt(w, folder, t.script),
  });
  if (docs || typeof request === 'string' || !request.unread?.length) return { ...base, request };
  const capped = withoutUnread(request.unread);
  return { ...base, request, capped, who: `as ${delivery} delivers it, ${capped}` };
}

/**
 * The charts of the input that the scripts, Makefiles and READMEs of a checked folder install or render (`helm
 * install|upgrade [--install]|template <release> <local chart> …`), with the command's release, namespace and values
 * (the script's literal variables filled in). A script or Makefile runs what it says, as real a delivery as an Argo CD
 * Application; a README's command is documentation, so what it renders is judged at warning level at most.
 */
export function scriptChartDeliveries(folder: string, scripts: readonly TreeScript[], charts: readonly string[]): ScriptChartDelivery[] {
  return scripts.flatMap((t) =>
    helmCommandsOf([t]).flatMap((c) => {
      if (c.refused || !['install', 'upgrade', 'template'].includes(c.verb)) return [];
      const d = commandDelivery(c, t, folder, charts);
      return d ? [d] : [];
    }),
  );
}
