import * as fs from 'fs';
import * as path from 'path';
import type { ValuesSource } from '../helm/user-values';
import { Loose, mapping, mappings, text } from './access';
import { gitIgnoredValues, unreadableValues } from './unread-values';

/** What a delivery asks helm template for: the release, namespace, values and capabilities. */
export interface ChartRequest {
  readonly releaseName: string;
  readonly namespace: string;
  /**
   * The namespace the delivery puts namespaced objects without one in, where it applies them and states it (an
   * install, an Argo CD destination); absent for `helm template`, whose output keeps no namespace, or one not stated.
   */
  readonly releaseNamespace?: string;
  readonly values: ValuesSource[];
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly includeCrds: boolean;
  /** The delivery renders against a cluster the files do not show (an Argo CD sync): its version and APIs are unknown. */
  readonly clusterUnknown: boolean;
  /** Values files of the delivery this check cannot read (helm-secrets, SOPS), left out of the render, with why. */
  readonly unread?: readonly string[];
}

/** Argo CD's build environment (reposerver/repository/repository.go newEnv) for the variables a delivery may name in its values. */
function buildEnv(app: Loose): Record<string, string> {
  const meta = mapping(app.metadata);
  return { ARGOCD_APP_NAME: text(meta.name) ?? '', ARGOCD_APP_NAMESPACE: text(mapping(mapping(app.spec).destination).namespace) ?? '' };
}

/** A value with Argo CD's build variables filled ($ARGOCD_APP_NAME …); undefined when it names one the files do not tell. */
function filled(value: string, env: Record<string, string>): string | undefined {
  let unknown = false;
  const out = value.replace(/\$\{?(ARGOCD_[A-Z_]+)\}?/g, (all, name: string) => {
    if (name in env) return env[name];
    unknown = true;
    return all;
  });
  return unknown ? undefined : out;
}

/**
 * Argo CD's escaping of a parameter's value before `--set` (reposerver helmTemplate cleanSetParameters): commas
 * escaped unless the value is a `{…}` list.
 */
function cleanSet(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}

const sameRepo = (a: unknown, b: unknown) => {
  const norm = (u: unknown) =>
    (typeof u === 'string' ? u : '')
      .toLowerCase()
      .replace(/\.git$/, '')
      .replace(/\/+$/, '');
  return norm(a) === norm(b);
};

/**
 * Where a values file of a source is: relative to the chart folder, `/…` at the root of its repository, or `$ref/…` at the root of the repository of the
 * source whose `ref` it names (reposerver resolves the ref source's checkout root, whatever that source's path), known
 * when that is the chart's repository (its root the chart folder less the source's path).
 */
function valuesFilePath(f: string, chartDir: string, app: Loose, source: Loose): string | undefined {
  const root = repositoryRoot(chartDir, source);
  // an absolute path is the repository's (argo-cd util/io/path/resolved.go ResolveValueFilePathOrUrl joins it to repoRoot)
  if (f.startsWith('/')) return root === undefined ? undefined : path.join(root, f);
  if (!f.startsWith('$')) return /^[a-z]+:\/\//i.test(f) ? undefined : path.resolve(chartDir, f);
  const [ref, ...rest] = f.slice(1).split('/');
  const named = mappings(mapping(app.spec).sources).find((x) => text(x.ref) === ref);
  if (!named || !sameRepo(named.repoURL, source.repoURL) || root === undefined) return undefined;
  return path.resolve(root, ...rest);
}

/** The repository's root as the input shows it: the chart folder less the source's path (undefined when they do not agree). */
function repositoryRoot(chartDir: string, source: Loose): string | undefined {
  const own = path.posix.normalize(String(source.path ?? '').replace(/^\.\//, '')).replace(/\/+$/, '');
  const dir = chartDir.split(path.sep).join('/').replace(/\/+$/, '');
  return dir.endsWith(own) ? dir.slice(0, dir.length - own.length) || '.' : undefined;
}

/**
 * Why a values file missing from the input fails the sync, when the input is the repository's git work tree from its
 * root (a clone holds every file of its commit): reposerver helmTemplate refuses a values file that is not there
 * unless ignoreMissingValueFiles is set.
 */
function missingInRepository(file: string, raw: string, chartDir: string, source: Loose): { fails: string } | undefined {
  const root = repositoryRoot(chartDir, source);
  if (root === undefined || !fs.existsSync(path.join(root, '.git')) || path.relative(root, file).startsWith('..')) return undefined;
  return {
    fails: `its values file ${raw} is not in the repository (${path.relative(root, file)} does not exist at its root's git work tree), so Argo CD's manifest generation fails`,
  };
}

/** The values files of a source (missing ones skipped with ignoreMissingValueFiles). */
function valueFiles(
  chartDir: string,
  helm: Loose,
  env: Record<string, string>,
  app: Loose,
  source: Loose,
  unread: string[],
): ValuesSource[] | string | { fails: string } {
  const out: ValuesSource[] = [];
  for (const raw of (Array.isArray(helm.valueFiles) ? helm.valueFiles : []).map(String)) {
    const secret = unreadableValues(raw);
    if (secret) {
      unread.push(secret);
      continue;
    }
    const f = filled(raw, env);
    if (f === undefined) return `its values file ${raw} names a build variable the files do not tell`;
    const file = valuesFilePath(f, chartDir, app, source);
    if (file === undefined)
      return `its values file ${raw} is outside the chart's repository (a URL or another repository's source), which this check does not follow`;
    if (!fs.existsSync(file)) {
      if (helm.ignoreMissingValueFiles === true) continue;
      // a values file .gitignore excludes is generated where the install runs (its values unknown here): rendered
      // without it, the findings of that render capped as for a file this check cannot read
      const ignored = gitIgnoredValues(raw, file, repositoryRoot(chartDir, source));
      if (ignored) {
        unread.push(ignored);
        continue;
      }
      return missingInRepository(file, raw, chartDir, source) ?? `its values file ${raw} is not in the checked files`;
    }
    const yaml = fs.readFileSync(file, 'utf8');
    const encrypted = unreadableValues(raw, yaml);
    if (encrypted) unread.push(encrypted);
    else out.push({ yaml, name: raw });
  }
  return out;
}

/**
 * helm template's arguments as Argo CD gives them for a source of an Application (argo-cd reposerver/repository
 * repository.go helmTemplate): release name (spec.source.helm.releaseName, else the Application's name), the
 * destination namespace, values files relative to the chart, `values` (or valuesObject, which wins) after them,
 * parameters as --set (--set-string with forceString), fileParameters as --set-file, kubeVersion and apiVersions,
 * --include-crds unless skipCrds. A string says why the values are not known.
 */
export function argoChartRequest(app: Loose, source: Loose, chartDir: string): ChartRequest | string | { fails: string } {
  const helm = mapping(source.helm);
  const env = buildEnv(app);
  const unread: string[] = [];
  const files = valueFiles(chartDir, helm, env, app, source, unread);
  if (!Array.isArray(files)) return files;
  const values: ValuesSource[] = [...files];
  if (helm.valuesObject !== undefined && helm.valuesObject !== null) values.push({ yaml: JSON.stringify(helm.valuesObject), name: 'valuesObject' });
  else if (typeof helm.values === 'string' && helm.values.trim()) values.push({ yaml: helm.values, name: 'values' });
  else if (helm.values && typeof helm.values === 'object') values.push({ yaml: JSON.stringify(helm.values), name: 'values' });
  for (const p of mappings(helm.parameters)) {
    const v = filled(String(p.value ?? ''), env);
    if (v === undefined || !text(p.name)) return `its parameter ${String(p.name)} names a build variable the files do not tell`;
    values.push({ set: `${text(p.name)}=${cleanSet(v)}`, asString: p.forceString === true });
  }
  for (const p of mappings(helm.fileParameters)) {
    const file = path.resolve(chartDir, String(p.path ?? ''));
    if (!fs.existsSync(file)) return `its file parameter ${String(p.name)} reads ${String(p.path)}, which is not in the checked files`;
    values.push({ setFile: String(p.name), text: fs.readFileSync(file, 'utf8') });
  }
  const kubeVersion = text(helm.kubeVersion);
  const destination = text(mapping(mapping(app.spec).destination).namespace);
  return {
    releaseName: text(helm.releaseName) ?? text(mapping(app.metadata).name) ?? 'release-name',
    namespace: text(mapping(mapping(app.spec).destination).namespace) ?? 'default',
    ...(destination ? { releaseNamespace: destination } : {}),
    values,
    ...(kubeVersion ? { kubeVersion } : {}),
    ...(Array.isArray(helm.apiVersions) ? { apiVersions: helm.apiVersions.map(String) } : {}),
    includeCrds: helm.skipCrds !== true,
    clusterUnknown: true,
    ...(unread.length ? { unread } : {}),
  };
}

/** `helm template <chart>` with no flags (the chart folder checked itself): its default values, helm's own capabilities. */
export const DEFAULT_CHART_REQUEST: ChartRequest = { releaseName: 'release-name', namespace: 'default', values: [], includeCrds: true, clusterUnknown: false };
