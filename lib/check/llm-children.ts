import { createHash } from 'crypto';
import { Loose, mapping, stringMap, text } from '../manifests/access';
import type { Platform } from './platform';

/**
 * Objects KServe's and OpenShift AI's controllers make for an LLMInferenceService, named after it: a reference to one
 * of them names something the tree makes, through the service, though no manifest of the tree holds it.
 */
export interface LlmChild {
  readonly kind: string;
  /** The suffix the controller gives the service's name (knative kmeta.ChildName). */
  readonly suffix: string;
  /** The platforms whose controllers make it; every platform with LLMInferenceService when unset. */
  readonly platforms?: readonly Platform[];
  /** An annotation the service must carry for the controller to make it. */
  readonly annotation?: string;
  /** Who makes it, as messages name it, and the source that decides. */
  readonly maker: string;
  readonly source: string;
}

/** The MaaS tiers annotation: odh-model-controller grants the tiers it lists access to the service. */
export const MAAS_TIERS_ANNOTATION = 'alpha.maas.opendatahub.io/tiers';

export const LLM_CHILDREN: readonly LlmChild[] = [
  {
    kind: 'Secret',
    suffix: '-kserve-self-signed-certs',
    maker: "KServe's LLMInferenceService controller",
    source:
      'kserve pkg/controller/llmisvc workload_tls_self_signed.go (reconcileSelfSignedCertsSecret, expectedSelfSignedCertsSecret: kmeta.ChildName(name, "-kserve-self-signed-certs") in the service\'s namespace)',
  },
  {
    kind: 'Role',
    suffix: '-model-post-access',
    // OpenShift AI 3.4 stopped making it and removes those left (MaaSRBACCleanupRunner)
    platforms: ['rhoai-3.0', 'rhoai-3.3'],
    annotation: MAAS_TIERS_ANNOTATION,
    maker: 'odh-model-controller (for the MaaS tiers annotation, OpenShift AI 3.0–3.3)',
    source:
      'opendatahub-io/odh-model-controller internal/controller/utils GetMaaSRoleName (kmeta.ChildName(name, "-model-post-access")), made for an LLMInferenceService annotated alpha.maas.opendatahub.io/tiers up to OpenShift AI 3.3; 3.4 removes it (MaaSRBACCleanupRunner)',
  },
];

/** knative.dev/pkg kmeta.ChildName: the longest name Kubernetes permits. */
const LONGEST_NAME = 63;
/** kmeta's head: what of the parent is kept before the 32 hex digits of its MD5 hash. */
const HASH_HEAD = LONGEST_NAME - 32;

/**
 * knative.dev/pkg kmeta/names.go ChildName, for suffixes of at most 30 characters (those of LLM_CHILDREN): the parent
 * and suffix joined, or, when that is longer than 63, the parent cut short and its MD5 hash spliced in before the suffix.
 */
export function childName(parent: string, suffix: string): string {
  if (parent.length <= LONGEST_NAME - suffix.length) return parent + suffix;
  return parent.slice(0, HASH_HEAD - suffix.length) + createHash('md5').update(parent).digest('hex') + suffix;
}

/** Whether the controllers make `child` for the service (manifest) on one of the platforms it may run on. */
function makes(child: LlmChild, service: Loose, platforms: readonly Platform[] | undefined): boolean {
  if (child.annotation && stringMap(mapping(service.metadata).annotations)[child.annotation] === undefined) return false;
  return !child.platforms || !platforms || platforms.some((p) => child.platforms?.includes(p));
}

/**
 * The LLMInferenceService of the services given that the controllers make the object of that kind and name for (its
 * child), with what makes it; undefined where none does. `platforms`: those the tree may run on (unset: any).
 */
export function llmChildOf(
  services: readonly Loose[],
  kind: string,
  name: string,
  platforms?: readonly Platform[],
): { service: string; child: LlmChild } | undefined {
  for (const child of LLM_CHILDREN.filter((c) => c.kind === kind)) {
    for (const service of services) {
      const own = text(mapping(service.metadata).name);
      if (own && childName(own, child.suffix) === name && makes(child, service, platforms)) return { service: own, child };
    }
  }
  return undefined;
}
