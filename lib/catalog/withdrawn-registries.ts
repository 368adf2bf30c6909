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
  /**
   * Tags the registry keeps serving though it deletes old builds: moving tags the publisher's CI pushes again with each
   * build, so the image they name is never old. A reference by digest is never one of them.
   */
  readonly republished?: RegExp;
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
      'kubernetes/k8s.io registry.k8s.io (images are promoted from k8s-staging-* to registry.k8s.io); kubernetes-sigs/security-profiles-operator docs/verification.md ("Staging images are deleted after 90 days", us-central1-docker.pkg.dev/k8s-staging-images); ' +
      "kubernetes/test-infra config/jobs/image-pushing (each project's post-submit job builds and pushes its images on every merge; its cloudbuild.yaml tags them with the branch, EXTRA_TAG=$_PULL_BASE_REF: main, and latest or nightly where its Makefile adds them)",
    // the default branch's tags and the latest/nightly aliases are pushed again with every merge: the build they name is recent
    republished: /^(main|master|latest|latest-main|nightly)$/,
  },
];

/** The withdrawn registry an image reference names, if any. */
export function withdrawnRegistryOf(image: string): WithdrawnRegistry | undefined {
  // the tag of the last path segment (`host:port/` is no tag); none stands for latest; a digest pins one build
  const tag = image.includes('@') ? undefined : (/:([\w][\w.-]*)$/.exec(image.slice(image.lastIndexOf('/') + 1))?.[1] ?? 'latest');
  return WITHDRAWN_REGISTRIES.find((r) => r.prefix.test(image) && !(tag !== undefined && r.republished?.test(tag)));
}

/** Tags of one repository that its publisher deleted: a pull of them finds no manifest. */
export interface WithdrawnTag {
  /**
   * The repository, Docker Hub's spelled short (`nvidia/cuda`), as parseImageReference gives it; any of these, or any
   * repository a pattern matches (`bitnami/<name>`).
   */
  readonly repositories: readonly (string | RegExp)[];
  /** The tags deleted; `latest` stands for a reference without a tag. */
  readonly tag: RegExp;
  readonly what: string;
  /** What to pull instead: words, or words made of the repository and tag pulled. */
  readonly instead: string | ((repository: string, tag: string) => string);
  readonly source: string;
}

/**
 * NVIDIA's CUDA images. Since CUDA 11.2.1 (March 2021) every tag names the patch release and the OS
 * (`11.2.1-base-ubuntu20.04`); the container support policy (October 2022) deletes end-of-life tags from Docker Hub and
 * NGC six months after they go end of life, a point release going end of life when the next one of its version comes
 * out; and the project's tag lists, the supported tags and the unsupported tags that "still exist", hold no tag
 * without a patch version. The `latest` tag was removed in 2021. Tags with a patch version are not judged here, though
 * superseded ones were deleted too: which are left is the lists' to say.
 */
export const WITHDRAWN_TAGS: readonly WithdrawnTag[] = [
  {
    repositories: ['nvidia/cuda', 'nvcr.io/nvidia/cuda'],
    tag: /^\d+\.\d+-(base|runtime|devel|cudnn\d+-(runtime|devel))(-[a-z]+[0-9.]*)?$/,
    what: "NVIDIA deleted the CUDA image tags without a patch version (such as 11.0-base, 10.2-devel-ubuntu18.04): every tag NVIDIA publishes now names the patch release and the OS, and end-of-life tags are deleted from Docker Hub and NGC (the registry answers 'manifest unknown')",
    instead:
      'pull a tag NVIDIA still publishes, with the patch release and the OS (11.0.3-base-ubuntu20.04 for 11.0-base, or a current 12.x tag such as 12.4.1-base-ubuntu22.04: doc/supported-tags.md and doc/unsupported-tags.md of the CUDA container images project list them)',
    source:
      'NVIDIA CUDA container images (gitlab.com/nvidia/container-images/cuda) doc/support-policy.md (end-of-life tags deleted from Docker Hub and NGC after six months; only the latest point release of a version supported), doc/unsupported-tags.md ("These tags still exist": none without a patch version), README (tags with the patch version from CUDA 11.2.1); NVIDIA/libnvidia-container#181 (nvidia/cuda:11.0-base "manifest unknown", NVIDIA: use 11.0.3-base), NVIDIA/nvidia-docker#1735 (11.0-base-ubuntu20.04 "manifest unknown")',
  },
  {
    repositories: ['nvidia/cuda', 'nvcr.io/nvidia/cuda'],
    tag: /^latest$/,
    what: 'NVIDIA removed the latest tag of its CUDA images on Docker Hub and NGC in 2021, so a pull without a tag finds no manifest',
    instead: 'name a tag with the CUDA release and the OS (12.4.1-base-ubuntu22.04)',
    source:
      'NVIDIA CUDA container images README ("Deprecated: latest tag": docker pull nvidia/cuda fails with "manifest unknown", "This is not a bug"); NVIDIA/nvidia-docker#1454',
  },
  {
    // Bitnami's Docker Hub catalog: from 2025-08-28 every versioned tag of docker.io/bitnami/* was moved to
    // docker.io/bitnamilegacy/* (frozen); what is left under docker.io/bitnami is the latest tag of the few images of
    // the Bitnami Secure Images trial, and for the others no tag at all
    repositories: [/^bitnami\/[a-z0-9._-]+$/],
    tag: /^(?!latest$)/,
    what: 'Bitnami moved every versioned tag of its Docker Hub images from docker.io/bitnami to docker.io/bitnamilegacy on 2025-08-28, leaving under docker.io/bitnami only the latest tag of a few images',
    instead: (repository, tag) =>
      `pull docker.io/bitnamilegacy/${repository.slice('bitnami/'.length)}:${tag} (the same image, frozen: it gets no more updates), or move to an image its publisher maintains${
        repository === 'bitnami/kubectl' ? ' (registry.k8s.io/kubectl:v<version>, from Kubernetes 1.28: kubectl alone, with no shell to run a script)' : ''
      }`,
    source:
      'bitnami/containers#83267 ("Upcoming changes to the Bitnami catalog (effective August 28th, 2025)": versioned tags moved from docker.io/bitnami to docker.io/bitnamilegacy, no longer updated; free hardened images on the latest tag only); bitnami/containers#88999 (bitnami/kubectl version tags gone, maintainer: moved to docker.io/bitnamilegacy, a small subset kept on latest only); kubernetes/kubernetes#116672 (registry.k8s.io/kubectl, from v1.28)',
  },
];

/** What the deleted tag's entry says to pull instead of `repository:tag`. */
export function insteadOfTag(withdrawn: WithdrawnTag, repository: string, tag: string | undefined): string {
  return typeof withdrawn.instead === 'string' ? withdrawn.instead : withdrawn.instead(repository, tag ?? 'latest');
}

/** The deleted tag an image reference names, if any: by its repository and tag (no tag is `latest`; a digest is not judged). */
export function withdrawnTagOf(repository: string, tag: string | undefined, digest: string | undefined): WithdrawnTag | undefined {
  if (digest) return undefined;
  const named = (r: string | RegExp) => (typeof r === 'string' ? r === repository : r.test(repository));
  return WITHDRAWN_TAGS.find((t) => t.repositories.some(named) && t.tag.test(tag ?? 'latest'));
}
