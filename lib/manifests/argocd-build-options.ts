import { isMapping, mapping, text } from './access';
import { LoadedManifest, ManifestReadError } from './loaded';

/** The argocd-cm key whose flags Argo CD's repo server adds to every `kustomize build` (argo-cd util/settings/settings.go). */
export const BUILD_OPTIONS_KEY = 'kustomize.buildOptions';

/** The kustomize build options an input declares for Argo CD, and where. */
export interface ArgoBuildOptions {
  /** The flags as written, e.g. `--load-restrictor=LoadRestrictionsNone --enable-helm`. */
  readonly flags: string;
  /** Whether they lift kustomize's load restrictor (files outside a kustomization's folder may be listed). */
  readonly loadRestrictionsNone: boolean;
  /** The object that declares them, e.g. `ArgoCD openshift-gitops (spec.kustomizeBuildOptions)`, and its file. */
  readonly from: string;
  readonly file: string;
}

/**
 * The build options the input gives Argo CD: `kustomize.buildOptions` of a ConfigMap argocd-cm, or of an `ArgoCD`
 * resource (argocd-operator controllers/argocd/configmap.go: `spec.kustomizeBuildOptions` and `spec.extraConfig` are
 * written into argocd-cm). argo-cd util/settings/settings.go KustomizeSettings.GetOptions gives these default options to
 * every Application without `spec.source.kustomize.version`; the options of a named version
 * (`kustomize.buildOptions.<version>`) go with that version's binary only, and are not read here.
 */
export function argoBuildOptions(manifests: readonly LoadedManifest[]): ArgoBuildOptions | undefined {
  for (const { manifest: m, file } of manifests) {
    if (!isMapping(m)) continue;
    const name = text(mapping(m.metadata).name) ?? '';
    let flags: string | undefined;
    let from = '';
    if (m.kind === 'ConfigMap' && m.apiVersion === 'v1' && name === 'argocd-cm') {
      flags = text(mapping(m.data)[BUILD_OPTIONS_KEY]);
      from = `ConfigMap argocd-cm (data.${BUILD_OPTIONS_KEY})`;
    } else if (m.kind === 'ArgoCD' && /^argoproj\.io\/v1(alpha1|beta1)$/.test(String(m.apiVersion))) {
      const spec = mapping(m.spec);
      // the operator writes extraConfig last: it wins over the typed field
      flags = text(mapping(spec.extraConfig)[BUILD_OPTIONS_KEY]) ?? text(spec.kustomizeBuildOptions);
      from = `ArgoCD ${name} (spec.${text(mapping(spec.extraConfig)[BUILD_OPTIONS_KEY]) !== undefined ? `extraConfig['${BUILD_OPTIONS_KEY}']` : 'kustomizeBuildOptions'})`;
    }
    if (!flags?.trim()) continue;
    return { flags: flags.trim(), loadRestrictionsNone: loadRestrictor(flags) === 'LoadRestrictionsNone', from, file };
  }
  return undefined;
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
  '--enable-helm': "Helm charts of kustomizations (helmCharts) are inflated by Argo CD, not by check's own build (add --kustomize kubectl)",
  '--enable-alpha-plugins': 'kustomize plugins (generators and transformers) run in Argo CD, not in check',
  '--enable-exec': 'exec plugins run in Argo CD, not in check',
};

/** The note that says which options were taken from which object, and which of them check does not apply. */
export function buildOptionsNote(options: ArgoBuildOptions): ManifestReadError {
  const words = options.flags.split(/\s+/).map((w) => w.split('=')[0]);
  const unhonoured = Object.keys(NOT_HONOURED).filter((f) => words.includes(f));
  const taken = options.loadRestrictionsNone
    ? 'check builds every kustomization of the input with --load-restrictor LoadRestrictionsNone, as Argo CD builds its Applications'
    : 'check applies none of them to its own build';
  const notes = unhonoured.map((f) => `${f}: ${NOT_HONOURED[f]}`);
  return {
    file: options.file,
    severity: 'info',
    message: `${options.from} sets Argo CD's kustomize build options '${options.flags}': ${taken}${notes.length ? `; not applied by check: ${notes.join('; ')}` : ''}`,
  };
}
