import { isMapping, Loose, mapping, text } from './access';
import { LoadedManifest, ManifestReadError } from './loaded';

/** The argocd-cm key whose flags Argo CD's repo server adds to every `kustomize build` (argo-cd util/settings/settings.go). */
export const BUILD_OPTIONS_KEY = 'kustomize.buildOptions';

/** The kustomize build options an input declares for Argo CD, and where. */
export interface ArgoBuildOptions {
  /** The default flags as written, e.g. `--load-restrictor=LoadRestrictionsNone --enable-helm` ('' when only versions have some). */
  readonly flags: string;
  /** The flags of each named kustomize version (`kustomize.buildOptions.<version>`), for Applications that name it. */
  readonly versions: Readonly<Record<string, string>>;
  /** The object that declares them, e.g. `ArgoCD openshift-gitops (spec.kustomizeBuildOptions)`, and its file. */
  readonly from: string;
  readonly file: string;
}

/** The argocd-cm settings of an object: a ConfigMap argocd-cm's data, or what argocd-operator writes there from an ArgoCD. */
function settingsOf(m: Loose): { settings: Record<string, string | undefined>; from: (key: string) => string } | undefined {
  const name = text(mapping(m.metadata).name) ?? '';
  if (m.kind === 'ConfigMap' && m.apiVersion === 'v1' && name === 'argocd-cm') {
    const data = mapping(m.data);
    return { settings: Object.fromEntries(Object.keys(data).map((k) => [k, text(data[k])])), from: (key) => `ConfigMap argocd-cm (data.${key})` };
  }
  if (m.kind !== 'ArgoCD' || !/^argoproj\.io\/v1(alpha1|beta1)$/.test(String(m.apiVersion))) return undefined;
  const spec = mapping(m.spec);
  const extra = mapping(spec.extraConfig);
  // the operator writes extraConfig last: it wins over the typed field
  const settings: Record<string, string | undefined> = { [BUILD_OPTIONS_KEY]: text(spec.kustomizeBuildOptions) };
  for (const k of Object.keys(extra)) settings[k] = text(extra[k]);
  return { settings, from: (key) => `ArgoCD ${name} (spec.${key in extra ? `extraConfig['${key}']` : 'kustomizeBuildOptions'})` };
}

/**
 * The build options the input gives Argo CD: `kustomize.buildOptions` of a ConfigMap argocd-cm, or of an `ArgoCD`
 * resource (argocd-operator controllers/argocd/configmap.go: `spec.kustomizeBuildOptions` and `spec.extraConfig` are
 * written into argocd-cm). argo-cd util/settings/settings.go KustomizeSettings.GetOptions gives the default options to
 * every Application without `spec.source.kustomize.version`, and `kustomize.buildOptions.<version>` to those naming it.
 */
export function argoBuildOptions(manifests: readonly LoadedManifest[]): ArgoBuildOptions | undefined {
  for (const { manifest: m, file } of manifests) {
    const found = isMapping(m) ? settingsOf(m) : undefined;
    if (!found) continue;
    const versions: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.settings))
      if (k.startsWith(`${BUILD_OPTIONS_KEY}.`) && v?.trim()) versions[k.slice(BUILD_OPTIONS_KEY.length + 1)] = v.trim();
    const flags = found.settings[BUILD_OPTIONS_KEY]?.trim() ?? '';
    if (!flags && !Object.keys(versions).length) continue;
    return { flags, versions, from: found.from(flags ? BUILD_OPTIONS_KEY : `${BUILD_OPTIONS_KEY}.${Object.keys(versions)[0]}`), file };
  }
  return undefined;
}

/** Whether flags lift kustomize's load restrictor (files outside a kustomization's folder may be listed). */
export function liftsRestrictor(flags: string): boolean {
  return loadRestrictor(flags) === 'LoadRestrictionsNone';
}

/** Whether flags enable kustomize's Helm chart inflation (`--enable-helm`): Argo CD then inflates helmCharts. */
export function enablesHelm(flags: string): boolean {
  return flags
    .trim()
    .split(/\s+/)
    .some((w) => w === '--enable-helm' || w === '--enable-helm=true');
}

/** The value of `--load-restrictor` in the flags (`--load-restrictor X` or `--load-restrictor=X`), if any. */
export function loadRestrictor(flags: string): string | undefined {
  const words = flags.trim().split(/\s+/);
  let value: string | undefined;
  words.forEach((w, i) => {
    if (w === '--load-restrictor') value = words[i + 1];
    else if (w.startsWith('--load-restrictor=')) value = w.slice('--load-restrictor='.length);
  });
  return value;
}

/** Flags Argo CD honours that the reader's own build cannot: what each would add, in words. */
const NOT_HONOURED: Record<string, string> = {
  '--enable-helm':
    'Helm charts of kustomizations (helmCharts) that Argo CD pulls from a chart repository are not fetched by check (a local chart is inflated as Argo CD inflates it; add --kustomize kubectl for the others)',
  '--enable-alpha-plugins': 'kustomize plugins (generators and transformers) run in Argo CD, not in check',
  '--enable-exec': 'exec plugins run in Argo CD, not in check',
};

/** The note that says which options were taken from which object, and which of them check does not apply. */
export function buildOptionsNote(options: ArgoBuildOptions): ManifestReadError {
  const sets = [...(options.flags ? [options.flags] : []), ...Object.values(options.versions)];
  const words = sets.flatMap((f) => f.split(/\s+/).map((w) => w.split('=')[0]));
  const unhonoured = Object.keys(NOT_HONOURED).filter((f) => words.includes(f));
  const versions = Object.entries(options.versions).map(([v, f]) => `'${f}' for Applications with kustomize.version ${v}`);
  const applied = [
    ...(sets.some(liftsRestrictor)
      ? ['check builds the kustomizations with --load-restrictor LoadRestrictionsNone where these options give it, as Argo CD builds its Applications']
      : []),
    ...(sets.some(enablesHelm)
      ? ["check inflates the kustomizations' helmCharts with a local chart where these options give --enable-helm, as Argo CD does"]
      : []),
  ];
  const taken = applied.length ? applied.join('; ') : 'check applies none of them to its own build';
  const notes = unhonoured.map((f) => `${f}: ${NOT_HONOURED[f]}`);
  return {
    file: options.file,
    severity: 'info',
    message:
      `${options.from} sets Argo CD's kustomize build options ${[...(options.flags ? [`'${options.flags}'`] : []), ...versions].join(', ')}: ${taken}` +
      `${notes.length ? `; not applied by check: ${notes.join('; ')}` : ''}`,
  };
}
