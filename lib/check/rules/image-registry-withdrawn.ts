import { insteadOfTag, WITHDRAWN_REGISTRIES, WITHDRAWN_TAGS, withdrawnRegistryOf, withdrawnTagOf } from '../../catalog/withdrawn-registries';
import { parseImageReference } from '../../catalog/vllm-images';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { referencesWithTemplates } from './image-reference-invalid';

/** A deleted tag as the registry rule's finding reads it: always an error, the pull finds no manifest. */
function deletedTag(ref: string): { what: string; instead: string; severity: 'error' } | undefined {
  const { repository, tag, digest } = parseImageReference(ref);
  const deleted = withdrawnTagOf(repository, tag, digest);
  return deleted && { what: deleted.what, instead: insteadOfTag(deleted, repository, tag), severity: 'error' };
}

export const imageRegistryWithdrawn: Rule = {
  id: 'image-registry-withdrawn',
  title:
    'an image comes from a registry that no longer serves or keeps it (gcr.io/kubebuilder, k8s.gcr.io, the k8s-staging registries), or names a tag its publisher deleted or moved (nvidia/cuda:11.0-base, a versioned docker.io/bitnami tag)',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'Template'],
  premise:
    "a container or init container image (the images image-reference-invalid reads, no template placeholder) is under a registry path whose owner withdrew it: gcr.io/kubebuilder/ (removed with Container Registry in 2025: the pull fails, an error); k8s.gcr.io/ (frozen in 2023, redirected to registry.k8s.io: a warning naming registry.k8s.io); gcr.io/k8s-staging-*/ and us-central1-docker.pkg.dev/k8s-staging-images/ (staging builds are deleted after 90 days: a warning; not the moving tags the project's post-submit job pushes again with every merge, main, master, latest, latest-main and nightly, nor no tag, which always name a recent build); or names a tag its publisher deleted, an error: NVIDIA's CUDA images (nvidia/cuda on Docker Hub, nvcr.io/nvidia/cuda) without a patch version in the tag (11.0-base, 10.2-cudnn7-devel-ubuntu18.04), and their latest tag (or no tag); tags with a patch version (11.0.3-base-ubuntu20.04, 12.x) and references by digest are not judged; and any tag but latest of a Docker Hub bitnami/<name> image (bitnami/kubectl:1.33), moved to docker.io/bitnamilegacy on 2025-08-28 (the message names the legacy image, frozen, and a maintained one). A cluster that pulls through its own mirror may still serve the image: the error stands for the pull as written",
  example: '`image: gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1` as the sidecar of a vendored controller Deployment',
  fix: 'pull the image from where it lives now, or a tag its publisher still publishes (the message names it), or take a newer release of the manifest that no longer names it',
  source: [...WITHDRAWN_REGISTRIES, ...WITHDRAWN_TAGS].map((r) => r.source).join('; '),
  scope: 'object',
  check(o) {
    const seen = new Set<string>();
    return referencesWithTemplates(o.manifest).flatMap(({ where, ref }): Problem[] => {
      const withdrawn = holdsTemplate(ref) ? undefined : (withdrawnRegistryOf(ref) ?? deletedTag(ref));
      if (!withdrawn || seen.has(ref)) return [];
      seen.add(ref);
      const fails = withdrawn.severity === 'error' ? 'the pull fails (ErrImagePull, ImagePullBackOff) and the pod never starts' : 'pulls may stop working';
      return [{ severity: withdrawn.severity, message: `${where} '${ref}': ${withdrawn.what}, so ${fails}; ${withdrawn.instead}` }];
    });
  },
};
