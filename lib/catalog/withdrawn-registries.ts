/** A registry (or a registry path) that no longer serves, or no longer keeps, the images it once did. */
export interface WithdrawnRegistry {
  /** The reference prefix, up to a path segment's end (`gcr.io/kubebuilder/`), or a pattern of such prefixes. */
  readonly prefix: RegExp;
  /** What became of it, in words, with its date. */
  readonly what: string;
  /** Where the images are now, or what to do. */
  readonly instead: string;
  /** An error where the pull fails for certain; a warning where it may still work today and stop tomorrow. */
  readonly severity: 'error' | 'warning';
  /** Who said so. */
  readonly source: string;
}

export const WITHDRAWN_REGISTRIES: readonly WithdrawnRegistry[] = [
  {
    prefix: /^gcr\.io\/kubebuilder\//,
    what: "kubebuilder's images on gcr.io were removed with Google Container Registry's shutdown (unavailable from 2025-03-18)",
    instead:
      "for kube-rbac-proxy, drop the sidecar (controller-runtime serves metrics behind WithAuthenticationAndAuthorization) or use the upstream project's quay.io/brancz/kube-rbac-proxy; for a vendored release manifest, take a newer release that no longer names it",
    severity: 'error',
    source:
      'kubernetes-sigs/kubebuilder discussion #3907 ("Action Required: gcr.io/kubebuilder/kube-rbac-proxy … unavailable from March 18, 2025"); Google Cloud, "Prepare for Container Registry shutdown"',
  },
  {
    prefix: /^k8s\.gcr\.io\//,
    what: 'k8s.gcr.io was frozen on 2023-04-03 (no new images or tags) and now redirects to registry.k8s.io, which the Kubernetes project may stop doing',
    instead: 'write the same image under registry.k8s.io/',
    severity: 'warning',
    source:
      'Kubernetes blog 2023-02-06, "k8s.gcr.io Image Registry Will Be Frozen From the 3rd of April 2023"; Kubernetes blog 2023-03-10, "k8s.gcr.io Redirect to registry.k8s.io"',
  },
  {
    prefix: /^(gcr\.io\/k8s-staging-[a-z0-9-]+|us-central1-docker\.pkg\.dev\/k8s-staging-images)\//,
    what: "the Kubernetes project's staging registry holds builds awaiting promotion and deletes them (after 90 days): a staging image is not kept",
    instead: 'use the promoted image on registry.k8s.io (the same digest), or a released version',
    severity: 'warning',
    source:
      'kubernetes/k8s.io registry.k8s.io (images are promoted from k8s-staging-* to registry.k8s.io); kubernetes-sigs/security-profiles-operator docs/verification.md ("Staging images are deleted after 90 days", us-central1-docker.pkg.dev/k8s-staging-images)',
  },
];

/** The withdrawn registry an image reference names, if any. */
export function withdrawnRegistryOf(image: string): WithdrawnRegistry | undefined {
  return WITHDRAWN_REGISTRIES.find((r) => r.prefix.test(image));
}
