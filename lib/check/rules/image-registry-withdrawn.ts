import { WITHDRAWN_REGISTRIES, withdrawnRegistryOf } from '../../catalog/withdrawn-registries';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';
import { referencesWithTemplates } from './image-reference-invalid';

export const imageRegistryWithdrawn: Rule = {
  id: 'image-registry-withdrawn',
  title: 'an image comes from a registry that no longer serves or keeps it (gcr.io/kubebuilder, k8s.gcr.io, the k8s-staging registries)',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS, 'ServingRuntime', 'Template'],
  premise:
    'a container or init container image (the images image-reference-invalid reads, no template placeholder) is under a registry path whose owner withdrew it: gcr.io/kubebuilder/ (removed with Container Registry in 2025: the pull fails, an error); k8s.gcr.io/ (frozen in 2023, redirected to registry.k8s.io: a warning naming registry.k8s.io); gcr.io/k8s-staging-*/ and us-central1-docker.pkg.dev/k8s-staging-images/ (staging builds are deleted after 90 days: a warning). A cluster that pulls through its own mirror may still serve the image: the error stands for the pull as written',
  example: '`image: gcr.io/kubebuilder/kube-rbac-proxy:v0.13.1` as the sidecar of a vendored controller Deployment',
  fix: 'pull the image from where it lives now (the message names it), or take a newer release of the manifest that no longer names it',
  source: WITHDRAWN_REGISTRIES.map((r) => r.source).join('; '),
  check(o) {
    const seen = new Set<string>();
    return referencesWithTemplates(o.manifest).flatMap(({ where, ref }): Problem[] => {
      const withdrawn = holdsTemplate(ref) ? undefined : withdrawnRegistryOf(ref);
      if (!withdrawn || seen.has(ref)) return [];
      seen.add(ref);
      const fails = withdrawn.severity === 'error' ? 'the pull fails (ErrImagePull, ImagePullBackOff) and the pod never starts' : 'pulls may stop working';
      return [{ severity: withdrawn.severity, message: `${where} '${ref}': ${withdrawn.what}, so ${fails}; ${withdrawn.instead}` }];
    });
  },
};
