import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ValuesSource } from '../helm/user-values';
import { isMapping, Loose, mapping, mappings, text } from './access';
import type { ChartRequest } from './chart-values';

/** Whether an object is a Flux HelmRelease (helm-controller). */
export function isHelmRelease(m: unknown): m is Loose {
  return isMapping(m) && m.kind === 'HelmRelease' && String(m.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/');
}

/** helm-controller's bound on a release name (internal/release ShortenName: Helm's 53 characters). */
const MAX_RELEASE_NAME = 53;

/**
 * The release name helm-controller gives a HelmRelease (api v2 GetReleaseName, internal/release ShortenName):
 * spec.releaseName, else `<targetNamespace>-<name>` when a target namespace is set, else the name; a name over 53
 * characters is cut to 40 and suffixed with `-` and the first 12 hex digits of its SHA-256.
 */
export function fluxReleaseName(hr: Loose): string {
  const spec = mapping(hr.spec);
  const name = text(mapping(hr.metadata).name) ?? '';
  const target = text(spec.targetNamespace);
  const full = text(spec.releaseName) ?? (target ? `${target}-${name}` : name);
  if (full.length <= MAX_RELEASE_NAME) return full;
  return `${full.slice(0, 40)}-${crypto.createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}

/** The source of a HelmRelease's chart when it is a path of a GitRepository: the source's name and the chart's path in it. */
export interface GitChart {
  readonly repository: Loose | undefined;
  readonly url: string | undefined;
  readonly chartPath: string;
}

const sameObject = (m: unknown, kind: string, name: string, namespace: string) =>
  isMapping(m) && m.kind === kind && text(mapping(m.metadata).name) === name && (text(mapping(m.metadata).namespace) ?? namespace) === namespace;

/**
 * The GitRepository and chart path a HelmRelease renders: spec.chart.spec with sourceRef kind GitRepository (chart the
 * path in it), or spec.chartRef naming a HelmChart of the input whose spec does (helm-controller v2 chartRef: kinds
 * OCIRepository and HelmChart). Undefined for a chart from a HelmRepository or an OCI artifact.
 */
export function gitChartOf(hr: Loose, manifests: readonly { manifest: unknown }[]): GitChart | undefined {
  const spec = mapping(hr.spec);
  const ns = text(mapping(hr.metadata).namespace) ?? 'default';
  let chartSpec = mapping(mapping(spec.chart).spec);
  let specNs = ns;
  const ref = mapping(spec.chartRef);
  if (text(ref.kind) === 'HelmChart' && text(ref.name)) {
    specNs = text(ref.namespace) ?? ns;
    const chart = manifests.find((m) => sameObject(m.manifest, 'HelmChart', text(ref.name)!, specNs));
    if (!chart) return undefined;
    chartSpec = mapping(mapping(chart.manifest).spec);
  }
  const source = mapping(chartSpec.sourceRef);
  if (text(source.kind) !== 'GitRepository' || !text(chartSpec.chart)) return undefined;
  const sourceNs = text(source.namespace) ?? specNs;
  const repository = manifests.find((m) => sameObject(m.manifest, 'GitRepository', text(source.name) ?? '', sourceNs))?.manifest as Loose | undefined;
  return { repository, url: text(mapping(repository?.spec).url), chartPath: text(chartSpec.chart)! };
}

/** The values of one valuesFrom reference, as ChartValuesFromReferences reads them; or why the release fails, or why they are unknown. */
function referenceValues(ref: Loose, ns: string, manifests: readonly { manifest: unknown }[]): ValuesSource | null | string | { fails: string } {
  const kind = text(ref.kind) ?? '';
  const name = text(ref.name) ?? '';
  const key = text(ref.valuesKey) ?? 'values.yaml';
  const optional = ref.optional === true;
  if (kind !== 'ConfigMap' && kind !== 'Secret') return { fails: `its valuesFrom reference ${kind}/${name} is of a kind helm-controller does not read` };
  const found = manifests.find((m) => sameObject(m.manifest, kind, name, ns))?.manifest as Loose | undefined;
  if (!found)
    return optional ? null : `its valuesFrom ${kind} ${ns}/${name} is not in the checked files (helm-controller fails the release if the cluster lacks it too)`;
  if (isMapping(found.sops)) return `its valuesFrom ${kind} ${ns}/${name} is encrypted with SOPS`;
  let data: string | undefined;
  if (kind === 'ConfigMap') data = text(mapping(found.data)[key]);
  else {
    const plain = text(mapping(found.stringData)[key]);
    const encoded = text(mapping(found.data)[key]);
    data = plain ?? (encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8'));
  }
  if (data === undefined)
    return optional ? null : { fails: `its valuesFrom ${kind} ${ns}/${name} has no key ${key}, so helm-controller fails the release (ErrKeyNotFound)` };
  const target = text(ref.targetPath);
  if (!target) return { yaml: data, name: `${kind} ${ns}/${name} ${key}` };
  // internal/chartutil/values.go ReplacePathValue: a quoted value is set as a string, otherwise parsed as --set parses it
  const quoted = /^'.*'$|^".*"$/s.test(data);
  return { set: `${target}=${quoted ? data.replace(/^['"]+|['"]+$/g, '') : data}`, asString: quoted };
}

/**
 * helm-controller's arguments for a HelmRelease whose chart is a folder of the input (helm-controller
 * internal/chartutil/values.go ChartValuesFromReferences, internal/reconcile, api v2): the release name
 * (fluxReleaseName), the target namespace (spec.targetNamespace, else the HelmRelease's; spec.storageNamespace only
 * says where Helm keeps the release, not where objects go), the chart's values files of the source
 * (spec.chart.spec.valuesFiles, relative to the repository's root), then valuesFrom in order (a ConfigMap's or
 * Secret's valuesKey, `values.yaml` by default, merged, or set at targetPath), then spec.values; CRDs of crds/
 * unless install.crds is Skip. A string says why the values are unknown.
 */
export function fluxChartRequest(
  hr: Loose,
  chartDir: string,
  git: GitChart,
  manifests: readonly { manifest: unknown }[],
): ChartRequest | string | { fails: string } {
  const spec = mapping(hr.spec);
  const ns = text(mapping(hr.metadata).namespace) ?? 'default';
  if (mappings(spec.postRenderers).length) return 'its postRenderers (kustomize patches of the rendered objects) are not applied by check';
  const values: ValuesSource[] = [];
  const own = chartDir.split(path.sep).join('/').replace(/\/+$/, '');
  const chartPath = path.posix.normalize(git.chartPath.replace(/^\.\//, '')).replace(/\/+$/, '');
  const root = own.endsWith(chartPath) ? own.slice(0, own.length - chartPath.length) || '.' : undefined;
  for (const f of Array.isArray(mapping(mapping(spec.chart).spec).valuesFiles)
    ? (mapping(mapping(spec.chart).spec).valuesFiles as unknown[]).map(String)
    : []) {
    const file = root === undefined ? undefined : path.resolve(root, f);
    if (!file || !fs.existsSync(file)) return `its values file ${f} is not in the checked files`;
    values.push({ yaml: fs.readFileSync(file, 'utf8'), name: f });
  }
  for (const ref of mappings(spec.valuesFrom)) {
    const v = referenceValues(ref, ns, manifests);
    if (v === null) continue;
    if (typeof v === 'string' || 'fails' in v) return v;
    values.push(v);
  }
  if (isMapping(spec.values)) values.push({ yaml: JSON.stringify(spec.values), name: 'spec.values' });
  // a HelmRelease written without a namespace takes the one its applier gives, which the files may not tell
  const stated = text(spec.targetNamespace) ?? text(mapping(hr.metadata).namespace);
  return {
    releaseName: fluxReleaseName(hr),
    namespace: text(spec.targetNamespace) ?? ns,
    ...(stated ? { releaseNamespace: stated } : {}),
    values,
    includeCrds: text(mapping(spec.install).crds) !== 'Skip',
    clusterUnknown: true,
  };
}

/**
 * A Flux source object of the input (source.toolkit.fluxcd.io), found by kind, name and namespace (a reference without a
 * namespace names its own; `ns` undefined: not known, any).
 */
export function fluxSourceObject(manifests: readonly { readonly manifest: unknown }[], kind: string, name: string, ns: string | undefined): Loose | undefined {
  const found = manifests.find(
    (m) =>
      isMapping(m.manifest) &&
      m.manifest.kind === kind &&
      String(m.manifest.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/') &&
      text(mapping(m.manifest.metadata).name) === name &&
      (ns === undefined || (text(mapping(m.manifest.metadata).namespace) ?? ns) === ns),
  );
  return found?.manifest as Loose | undefined;
}
