import { readsRunContext } from './run-memo';

/**
 * The images a checked tree makes from others, known while a check runs: `docker tag vllm/vllm-openai:v0.8.5 lab-vllm:1`
 * in a script, or a `docker build -t lab-vllm:1` of a Dockerfile whose final stage is FROM a vLLM image. A container
 * running such an image runs its base's program at its base's version, unless the build gives it its own entrypoint.
 * Outside a run nothing is known.
 */
export interface DerivedImage {
  /** The reference the tree gives the image (`lab-vllm:1`). */
  readonly image: string;
  /** The reference it is made from (`vllm/vllm-openai:v0.8.5`). */
  readonly base: string;
  /** How, for messages: `docker tag … (deploy.sh:12)`, `built from docker/vllm/Dockerfile (FROM vllm/vllm-openai:v0.8.5)`. */
  readonly how: string;
  /** False when the build sets its own ENTRYPOINT or CMD: the base's entrypoint is not what runs. */
  readonly keepsEntrypoint: boolean;
  /** The WORKDIR the build sets, when it sets one ('' when not to a directory known here); unset: the base's holds. */
  readonly workdir?: string;
}

let current: readonly DerivedImage[] = [];

/** Runs `run` knowing the tree's derived images (the outer run's are restored when it returns). */
export function withDerivedImages<T>(derived: readonly DerivedImage[], run: () => T): T {
  const outer = current;
  current = derived;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** A reference as a registry resolves it: Docker Hub's prefixes dropped, `latest` when no tag is written, no digest. */
function normalised(ref: string): string {
  const noDigest = ref.trim().split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const withTag = colon > slash ? noDigest : `${noDigest}:latest`;
  return withTag.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
}

/** Where the tree makes an image from another, if it does; a chain (tagged from an image built from vLLM's) is followed to its start. */
export function derivedImageOf(image: string | undefined): DerivedImage | undefined {
  readsRunContext();
  if (image === undefined || !current.length) return undefined;
  const seen = new Set<string>();
  let found: DerivedImage | undefined;
  let ref = normalised(image);
  for (;;) {
    const step = current.find((d) => normalised(d.image) === ref);
    if (!step || seen.has(ref)) return found;
    seen.add(ref);
    found = found
      ? {
          image: found.image,
          base: step.base,
          how: `${found.how}, ${step.how}`,
          keepsEntrypoint: found.keepsEntrypoint && step.keepsEntrypoint,
          ...((found.workdir ?? step.workdir) !== undefined ? { workdir: found.workdir ?? step.workdir } : {}),
        }
      : step;
    ref = normalised(step.base);
  }
}
