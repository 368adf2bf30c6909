import { parseImageReference, VLLM_REPOSITORIES } from './vllm-images';

/**
 * Image repositories of vLLM that manifests name by hand: vLLM's own on Docker Hub (vllm/vllm-openai, -rocm, -cpu:
 * vLLM docs deployment/docker.md and the CPU and ROCm installation pages). Kept to these: vendors' registries hold
 * real repositories one edit apart (Red Hat's registry.redhat.io/rhaiis/… and rhaii/… are both published), which
 * would read as typos of each other.
 */
export const WELL_KNOWN_REPOSITORIES: readonly string[] = VLLM_REPOSITORIES;

/** Whether two strings are one edit apart: one character inserted, deleted or substituted, or two neighbours swapped. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rest = (x: string, n: number) => x.slice(i + n);
  if (a.length === b.length) {
    if (rest(a, 1) === rest(b, 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, 2) === rest(b, 2);
  }
  return a.length > b.length ? rest(a, 1) === rest(b, 0) : rest(a, 0) === rest(b, 1);
}

/**
 * The well-known repository an image's repository is a typo of (one edit away, not itself one), and the reference
 * meant: the same tag, with vLLM's `v` put back when its own repository is meant (its release tags are `v0.10.1`,
 * lib/catalog/vllm-images.ts); undefined for any other image.
 */
export function misspeltRepository(image: string): { intended: string; meant: string } | undefined {
  const { repository, tag, digest } = parseImageReference(image);
  if (WELL_KNOWN_REPOSITORIES.includes(repository) || gluedVersion(image)) return undefined;
  const intended = WELL_KNOWN_REPOSITORIES.find((r) => oneEditApart(repository, r));
  if (!intended) return undefined;
  const vllmTag = tag && VLLM_REPOSITORIES.includes(intended) && /^\d+\.\d+/.test(tag) ? `v${tag}` : tag;
  return { intended, meant: `${intended}${vllmTag ? `:${vllmTag}` : ''}${digest ? `@${digest}` : ''}` };
}

/** A version as image tags spell it: `v0.10.0`, `0.10.1.1`, `1`. */
const GLUED_VERSION = /^v?\d+(?:\.\d+)*$/;

/**
 * A well-known repository with a version glued on without its `:` (`vllm/vllm-openaiv0.10.0`): a repository that does
 * not exist, read as an untagged image. The reference meant is the repository with that version as its tag, vLLM's
 * `v` put back (its release tags are `v0.10.1`); undefined for any other image.
 */
export function gluedVersion(image: string): { repository: string; intended: string; meant: string } | undefined {
  const { repository, digest } = parseImageReference(image);
  // the longest first: vllm/vllm-openai-rocm0.10 is -rocm's, not vllm/vllm-openai's
  const intended = [...WELL_KNOWN_REPOSITORIES]
    .sort((a, b) => b.length - a.length)
    .find((r) => repository.startsWith(r) && GLUED_VERSION.test(repository.slice(r.length)));
  if (!intended) return undefined;
  const version = repository.slice(intended.length);
  const tag = VLLM_REPOSITORIES.includes(intended) && !version.startsWith('v') ? `v${version}` : version;
  return { repository, intended, meant: `${intended}:${tag}${digest ? `@${digest}` : ''}` };
}
