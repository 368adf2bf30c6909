import { Loose, mapping, stringMap, text } from '../manifests/access';
import { ObjectGraph } from './graph';
import { isvcDeploymentMode, knativeMode } from './kserve-mode';
import { Platform } from './platform';

/**
 * The registries whose tags Knative Serving does not resolve to digests by default (knative/serving
 * pkg/deployment/config.go defaultConfig RegistriesSkippingTagResolving: kind.local, ko.local, dev.local).
 */
const DEFAULT_SKIPPED = ['kind.local', 'ko.local', 'dev.local'];

/** The keys of config-deployment that name the registries to skip (pkg/deployment/config.go, the current and the legacy one). */
const SKIP_KEYS = ['registries-skipping-tag-resolving', 'registriesSkippingTagResolving'];

/**
 * The registry go-containerregistry gives a reference (name.NewTag with WeakValidation): the first part where it has
 * a dot, a port or is `localhost`, else Docker Hub, which it spells index.docker.io (docker.io is normalised to it).
 */
export function tagRegistry(ref: string): string {
  const first = ref.split('/')[0];
  if (ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first === 'docker.io' ? 'index.docker.io' : first;
  return 'index.docker.io';
}

/** The registries Knative skips on the tree's cluster: the defaults, or what a config-deployment ConfigMap or a KnativeServing of the tree sets. */
function skippedRegistries(graph: ObjectGraph): string[] {
  return graph.once('knative-tag-resolution:skipped', () => {
    const configs: Record<string, string>[] = [
      ...graph
        .ofKind('ConfigMap')
        .filter((c) => text(mapping(c.manifest.metadata).name) === 'config-deployment')
        .map((c) => stringMap(c.manifest.data)),
      ...graph.ofKind('KnativeServing').map((k) => stringMap(mapping(mapping(k.manifest.spec).config).deployment)),
    ];
    const set = configs.flatMap((c) => SKIP_KEYS.flatMap((k) => (c[k] === undefined ? [] : [c[k]])));
    return set.length ? set.flatMap((s) => s.split(',').map((r) => r.trim())) : DEFAULT_SKIPPED;
  });
}

/** How Knative serves the object's pods, where it does: certainly (a Knative Service, or the InferenceService's mode is said) or assumed. */
export interface KnativeResolution {
  readonly certain: boolean;
  /** Why the object runs on Knative, as a sentence part. */
  readonly why: string;
}

/**
 * Whether Knative resolves the image's tag to a digest before any pod runs it: the object is a Knative Service, or an
 * InferenceService in Serverless mode (kserve-mode), the image is named by tag, and its registry is not one Knative
 * skips. The reconciler asks the registry for the tag's digest when it creates the revision (pkg/reconciler/revision
 * reconcileDigest, resolve.go digestResolver.Resolve), and a failure leaves the revision ContainerMissing ("Unable to
 * fetch image …: failed to resolve image to digest"), whatever the nodes hold.
 */
export function knativeResolution(m: Loose, ref: string, platform: Platform, graph: ObjectGraph): KnativeResolution | undefined {
  if (ref.includes('@') || skippedRegistries(graph).includes(tagRegistry(ref))) return undefined;
  if (m.kind === 'Service' && String(m.apiVersion ?? '').startsWith('serving.knative.dev/')) return { certain: true, why: 'a Knative Service' };
  if (m.kind !== 'InferenceService') return undefined;
  const mode = knativeMode(m, platform, graph);
  if (!mode) return undefined;
  return { certain: mode === 'certain', why: `KServe runs it on Knative (${isvcDeploymentMode(m, platform, graph).why})` };
}

/** What becomes of the revision of an image no registry holds, and the fix that works under Knative. */
export function knativeEffect(ref: string, k: KnativeResolution): { effect: string; fix: string } {
  return {
    effect:
      `${k.why}, and Knative resolves the tag to a digest from the registry (${tagRegistry(ref)}) when it creates the revision, which no loading onto the nodes replaces: ` +
      `the revision fails ("Unable to fetch image '${ref}': failed to resolve image to digest") and no pod starts`,
    fix:
      `push it to a registry the cluster reaches and name that registry, or name it under a registry Knative skips (kind.local/, dev.local/ by default) and load it onto the nodes under that name, ` +
      `or add ${tagRegistry(ref)} to registries-skipping-tag-resolving in knative-serving's config-deployment`,
  };
}
