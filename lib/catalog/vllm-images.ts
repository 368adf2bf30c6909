import { derivedImageOf } from '../private/image-lineage';
import { compareVllmVersions, VLLM_RELEASES } from './vllm-architectures';
import { FLAG_RELEASES } from './vllm-flags';

/**
 * The vLLM version of a container image, where its reference proves it. vLLM's own repositories tag each release
 * `v<version>` with an optional platform suffix (.buildkite/release-pipeline.yaml: v0.11.0, v0.11.0-x86_64,
 * v0.12.0-aarch64-cu129, the ROCm image's v0.11.0-base), also as a registry mirror serves them under the same path.
 * Forks whose tag names a vLLM version are not read: ROCm/vllm's v0.8.5+rocm, for one, registers architectures upstream
 * v0.8.5 does not have. An image another repository builds under vLLM's name, tagged with a release and build ids only
 * (`ghcr.io/acme/vllm-cpu:v0.11.0-cfc13f2`), is read as that release, marked `rebuilt` (rebuiltRelease).
 */
export const VLLM_REPOSITORIES: readonly string[] = ['vllm/vllm-openai', 'vllm/vllm-openai-rocm', 'vllm/vllm-openai-cpu'];

/**
 * Every repository vLLM publishes its release images to, tagged the same way: Docker Hub's, and the public ECR
 * repositories of its CPU builds (vLLM docs getting_started/installation/cpu, "Pre-built images":
 * public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo:v<version>, and its arm64 twin).
 */
const VLLM_RELEASE_REPOSITORIES: readonly string[] = [
  ...VLLM_REPOSITORIES,
  'public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo',
  'public.ecr.aws/q9t5s3a7/vllm-arm64-cpu-release-repo',
];

/** A vLLM release tag and an optional suffix: v0.6.3, v0.8.5.post1, v0.9.0.1, v0.10.1-cu128. Release candidates and nightlies are not releases. */
const RELEASE_TAG = /^v?(\d+\.\d+\.\d+(?:\.post\d+|\.\d+)?)(?:-(?!rc)[a-z][\w.-]*)?$/i;

/**
 * The name of a repository that builds vLLM itself, wherever it is hosted: vLLM's own names (vllm, vllm-openai, and
 * the platform builds vllm-openai-cpu, vllm-openai-rocm, vllm-cpu-release-repo), and the same with the accelerator the
 * build is for (vllm-cpu, vllm-rocm, vllm-cuda, vllm-tpu, vllm-xpu…), as people name the images they build from a
 * vLLM release (docker/Dockerfile.cpu, Dockerfile.rocm, Dockerfile.tpu of vllm-project/vllm).
 */
const VLLM_BUILD_NAME = /^vllm(?:-openai)?(?:-(?:cpu|rocm|cuda|tpu|xpu|hpu|neuron|arm64|aarch64|amd64))?$/;

/**
 * Forks whose builds carry a vLLM version with their own changes: ROCm's (rocm/vllm registers architectures upstream
 * does not have), and Red Hat's and Open Data Hub's (read by their annotations and product versions instead).
 */
const FORK_REPOSITORY = /^(?:[^/]+\/)*(?:rocm|modh|opendatahub|rhaiis|rhaii|rhoai)\/[^/]+$/;

/**
 * A tag of an image built from a vLLM release: `v<release>` and build ids only after it, each a git commit (7 to 40
 * hex digits), a number (a build number, a date) or a platform word of vLLM's own tags (cu128, x86_64, aarch64, cpu,
 * base): `v0.11.0-cfc13f2`, `v0.10.1-20250812`. Any other suffix (`-rc1`, `-patched`) may be another version scheme.
 */
const BUILD_TAG = /^v(\d+\.\d+\.\d+(?:\.post\d+|\.\d+)?)((?:-(?:[0-9a-f]{7,40}|\d+|cu\d+|x86_64|aarch64|arm64|amd64|cpu|base))*)$/i;

/**
 * Red Hat AI Inference Server images, whose tags are the product's version: the vLLM core of each release, as Red Hat's
 * "Supported product and hardware configurations" states it (Red Hat AI Inference Server 3.0: vLLM core 0.8.4).
 */
const RHAIIS_REPOSITORY = /^registry\.redhat\.io\/rhaiis\/vllm-[a-z0-9-]+-rhel9$/;
const RHAIIS_VLLM: Readonly<Record<string, string>> = { '3.0.0': '0.8.4' };

/** An image reference's repository (registry and path, Docker Hub's spelled short), tag and digest. */
export function parseImageReference(image: string): { repository: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.trim().split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  const tag = colon > slash ? withTag.slice(colon + 1) : undefined;
  const repository = (colon > slash ? withTag.slice(0, colon) : withTag).replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The last part of an image's repository, without registry, path, tag or digest: `quay.io/org/x-operator:1.0` gives `x-operator`. */
export function imageRepositoryName(image: string): string {
  return parseImageReference(image).repository.split('/').pop() ?? '';
}

/**
 * The vLLM version an image runs, and how it is known (`rebuilt` where another repository built it from that release,
 * which may carry changes of its own); undefined when the reference does not prove it (a digest alone, `latest`, a
 * nightly, a fork, another repository's build not named as vLLM's or tagged otherwise).
 */
export function vllmVersionOfImageReference(image: string): { version: string; how: string; rebuilt?: true } | undefined {
  const own = versionOfReference(image);
  if (own) return own;
  // an image the tree tags or builds from a vLLM release runs that release
  const derived = derivedImageOf(image);
  const base = derived ? versionOfReference(derived.base) : undefined;
  return base && derived ? { ...base, how: `${base.how} of ${derived.base}, ${derived.how}` } : undefined;
}

/**
 * The newest vLLM release the catalogues hold (lib/catalog/data/vllm-architectures.json and vllm-flags.json): what
 * vLLM's own images at `latest` run at least, since Docker Hub's `latest` of vllm/vllm-openai is the newest release's
 * image (nightlies have their own tags).
 */
export const NEWEST_VLLM_RELEASE: string = [VLLM_RELEASES[VLLM_RELEASES.length - 1], FLAG_RELEASES[FLAG_RELEASES.length - 1]].sort(compareVllmVersions)[1];

/** Whether an image is one of vLLM's own repositories (or a mirror of one) at a moving tag, `latest` or none, without a digest: the newest release. */
export function isMovingVllmRelease(image: string | undefined): boolean {
  const { repository, tag, digest } = parseImageReference(image ?? '');
  return VLLM_RELEASE_REPOSITORIES.some((r) => repository === r || repository.endsWith(`/${r}`)) && !digest && (tag === undefined || tag === 'latest');
}

/**
 * The vLLM release an image runs, as every rule reads it: exact where its reference (or the image it is built from)
 * proves it, a floor (`atLeast`) where it is vLLM's own image at a moving tag, which runs the newest release; undefined
 * where nothing tells it (a digest alone, a nightly, another repository's build).
 */
export function vllmReleaseOfImage(image: string): { version: string; how: string; atLeast: boolean } | undefined {
  const exact = vllmVersionOfImageReference(image);
  if (exact) return { ...exact, atLeast: false };
  const base = derivedImageOf(image)?.base;
  const moving = isMovingVllmRelease(image) ? image : isMovingVllmRelease(base) ? base : undefined;
  if (!moving) return undefined;
  const how = `${moving}${moving === image ? '' : `, the base of ${image},`} follows vLLM's newest release, ${NEWEST_VLLM_RELEASE} or newer`;
  return { version: NEWEST_VLLM_RELEASE, how, atLeast: true };
}

/** The vLLM version a reference itself proves. */
function versionOfReference(image: string): { version: string; how: string; rebuilt?: true } | undefined {
  const { repository, tag } = parseImageReference(image);
  if (!tag) return undefined;
  // a registry mirror or pull-through cache (Nexus, Artifactory, Quay) keeps Docker Hub's path under its own host
  const hub = VLLM_RELEASE_REPOSITORIES.find((r) => repository === r || repository.endsWith(`/${r}`));
  if (hub) {
    const m = RELEASE_TAG.exec(tag);
    return m ? { version: m[1], how: hub === repository ? 'a vLLM release tag' : `a vLLM release tag of ${hub}, mirrored` } : undefined;
  }
  if (RHAIIS_REPOSITORY.test(repository) && RHAIIS_VLLM[tag]) {
    return { version: RHAIIS_VLLM[tag], how: `Red Hat AI Inference Server ${tag}, whose vLLM core is ${RHAIIS_VLLM[tag]}` };
  }
  return rebuiltRelease(repository, tag);
}

/**
 * The vLLM release an image of another repository is built from, where its name is vLLM's (VLLM_BUILD_NAME) and its
 * tag a release with build ids only (BUILD_TAG): `ghcr.io/acme/vllm-cpu:v0.11.0-cfc13f2` is vLLM 0.11.0 built for CPUs.
 * The version must be a vLLM release (lib/catalog/data/vllm-architectures.json) or newer than the newest one known.
 */
function rebuiltRelease(repository: string, tag: string): { version: string; how: string; rebuilt: true } | undefined {
  const name = repository.split('/').pop() ?? '';
  const m = BUILD_TAG.exec(tag);
  if (!m || !VLLM_BUILD_NAME.test(name) || FORK_REPOSITORY.test(repository)) return undefined;
  const release = VLLM_RELEASES.includes(m[1]) || compareVllmVersions(m[1], VLLM_RELEASES[VLLM_RELEASES.length - 1]) > 0;
  if (!release) return undefined;
  return { version: m[1], how: `the tag ${tag} of ${repository}, a repository named as vLLM's builds are, read as vLLM ${m[1]} built there`, rebuilt: true };
}

/**
 * Red Hat's builds of vLLM: Red Hat AI Inference Server's (registry.redhat.io/rhaiis/vllm-*, and rhaii/vllm-* as
 * OpenShift AI 3 names them), OpenShift AI's (registry.redhat.io/rhoai/odh-vllm-*) and Open Data Hub's quay.io/modh/vllm
 * and quay.io/opendatahub/vllm. OpenShift AI's runtime templates run these images and state their vLLM version in the
 * `opendatahub.io/runtime-version` annotation.
 */
const RED_HAT_VLLM_REPOSITORY =
  /^(registry\.redhat\.io\/(rhaiis|rhaii)\/vllm-[a-z0-9-]+|registry\.redhat\.io\/rhoai\/odh-vllm-[a-z0-9-]+|quay\.io\/(modh|opendatahub)\/vllm)$/;

/** Whether an image is one of Red Hat's (or Open Data Hub's) builds of vLLM. */
export function isRedHatVllmImage(image: string): boolean {
  return RED_HAT_VLLM_REPOSITORY.test(parseImageReference(image).repository);
}

/**
 * The same builds' repository paths under any registry host: a mirror (oc-mirror, a disconnected cluster's registry)
 * keeps the path after the host, and with it the image's user and HOME.
 */
const RED_HAT_VLLM_PATH = /(^|\/)((rhaiis|rhaii)\/vllm-[a-z0-9-]+|rhoai\/odh-vllm-[a-z0-9-]+|(modh|opendatahub)\/vllm)$/;

/** Whether an image is one of Red Hat's (or Open Data Hub's) builds of vLLM, at its own registry or mirrored. */
export function isRedHatVllmBuild(image: string): boolean {
  return isRedHatVllmImage(image) || RED_HAT_VLLM_PATH.test(parseImageReference(image).repository);
}

/**
 * The vLLM version an `opendatahub.io/runtime-version` annotation states (`v0.18.0`, `0.13.0`), for a runtime whose
 * image is Red Hat's build of vLLM: OpenShift AI's runtime templates (odh-model-controller's vllm-*-runtime-template)
 * write the vLLM version of their image there, and the dashboard shows it. Undefined for another image (a copy whose
 * image was changed says nothing of the new one) or a value that is not a release.
 */
export function vllmVersionOfRuntimeAnnotation(value: string | undefined, image: string): string | undefined {
  if (!value || !isRedHatVllmImage(image)) return undefined;
  const m = /^v?(\d+\.\d+\.\d+(?:\.post\d+|\.\d+)?)$/.exec(value.trim());
  return m ? m[1] : undefined;
}

/** A vLLM image built for one accelerator, and the CPU build to use instead. */
export interface AcceleratorBuild {
  readonly build: 'CUDA' | 'ROCm';
  /** The CPU build of the same distribution. */
  readonly cpuImage: string;
}

/**
 * The accelerator a vLLM image is built for, where its reference says so: vLLM's own images (vllm/vllm-openai is the
 * CUDA build, vllm/vllm-openai-rocm and rocm/vllm the ROCm ones; the CPU build is vllm/vllm-openai-cpu, vLLM docs
 * getting_started/installation/cpu), Red Hat AI Inference Server's (rhaiis/vllm-cuda-rhel9, vllm-rocm-rhel9; the CPU
 * one vllm-cpu-rhel9), OpenShift AI's (rhoai/odh-vllm-cuda-rhel9, odh-vllm-rocm-rhel9) and Open Data Hub's
 * quay.io/modh/vllm tags ending -cuda or -rocm, and NVIDIA's NGC build (nvcr.io/nvidia/vllm, built on the NGC PyTorch
 * container for CUDA only: catalog.ngc.nvidia.com, containers/vllm). Undefined for CPU builds and references that do not tell.
 */
export function acceleratorBuildOf(image: string): AcceleratorBuild | undefined {
  const derived = derivedImageOf(image);
  return buildOfReference(image) ?? (derived ? buildOfReference(derived.base) : undefined);
}

/** The accelerator a reference itself names. */
function buildOfReference(image: string): AcceleratorBuild | undefined {
  const { repository, tag } = parseImageReference(image);
  const hub = (r: string) => repository === r || repository.endsWith(`/${r}`);
  const upstreamCpu = 'vllm/vllm-openai-cpu (or public.ecr.aws/q9t5s3a7/vllm-cpu-release-repo)';
  if (hub('vllm/vllm-openai')) return { build: 'CUDA', cpuImage: upstreamCpu };
  if (hub('vllm/vllm-openai-rocm') || hub('rocm/vllm')) return { build: 'ROCm', cpuImage: upstreamCpu };
  if (repository === 'nvcr.io/nvidia/vllm') return { build: 'CUDA', cpuImage: upstreamCpu };
  const redHat = /^registry\.redhat\.io\/(rhaiis\/vllm|rhoai\/odh-vllm)-(cuda|rocm)-rhel9$/.exec(repository);
  if (redHat) return { build: redHat[2] === 'cuda' ? 'CUDA' : 'ROCm', cpuImage: `registry.redhat.io/${redHat[1]}-cpu-rhel9` };
  // Ray's images carry vLLM for Ray Serve LLM in ray-llm; a -cuXX (or -gpu) tag is built on NVIDIA's CUDA image (ray
  // docker/README: "-cuXX: based off of an NVIDIA CUDA image"), so its vLLM is the CUDA build
  if ((hub('rayproject/ray-llm') || hub('anyscale/ray-llm')) && /-(?:cu\d+|gpu)(?:-|$)/.test(tag ?? ''))
    return {
      build: 'CUDA',
      cpuImage: `vllm/vllm-openai-cpu, installed with ray[serve,llm] in a Ray image of your own (${repository}'s -cuXX images carry vLLM's CUDA build)`,
    };
  const modh = /^quay\.io\/(modh|opendatahub)\/vllm$/.test(repository) && /-(cuda|rocm)$/.exec(tag ?? '');
  if (modh) return { build: modh[1] === 'cuda' ? 'CUDA' : 'ROCm', cpuImage: 'a CPU build of vLLM (vllm/vllm-openai-cpu)' };
  return undefined;
}

/**
 * llm-d's inference simulator (github.com/llm-d/llm-d-inference-sim, published as ghcr.io/llm-d/llm-d-inference-sim,
 * earlier as ghcr.io/llm-d/vllm-sim): it answers vLLM's OpenAI API at once from canned or random text and loads no
 * weights, so no rule about vLLM's start-up, GPUs or memory applies to a container running it.
 */
const INFERENCE_SIMULATOR = /(^|\/)(llm-d-inference-sim|vllm-sim)([:@]|$)/;

/** Whether an image is a simulator of vLLM's API rather than vLLM. */
export function isInferenceSimulator(image: string | undefined): boolean {
  return image !== undefined && INFERENCE_SIMULATOR.test(image);
}
