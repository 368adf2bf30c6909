import { Loose, mappings, text } from '../../manifests/access';
import { containerPieces } from '../command-line';
import { runAsOf, sccGranted } from '../container-user';
import { notWritable } from '../hub-cache';
import { HF_SERVER_IMAGE, hfServerModel, HUB_ID, hubOffline } from '../hub-download';
import { onOpenShift } from '../platform';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { podSpecHolding } from '../workload-lines';
import { CheckContext, Problem, Rule } from '../rule';

/**
 * The cache folder of each server's image, which runs as root: text-generation-inference's Dockerfile sets
 * HF_HOME=/data, text-embeddings-inference's sets HUGGINGFACE_HUB_CACHE=/data; both document a volume mounted at /data.
 */
const IMAGE_CACHE = '/data';

/** The variables that move huggingface_hub's cache, most specific first (huggingface_hub constants.py). */
const CACHE_VARIABLES = ['HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'HF_HOME'];

/** Why the container runs as a user other than the image's root; undefined when it runs as root or that is not known. */
function nonRootUser(container: Loose, pod: Loose, ctx: CheckContext): string | undefined {
  const user = runAsOf(container, pod);
  if (user.unknown || user.uid?.value === 0) return undefined;
  if (user.uid) return `runs as uid ${user.uid.value} (${user.uid.from})`;
  if (!onOpenShift(ctx) || sccGranted(ctx.graph)) return undefined;
  return "sets no runAsUser, so on OpenShift the restricted-v2 SecurityContextConstraints run it as a uid of the namespace's range (unless its ServiceAccount is granted anyuid outside the tree)";
}

/** A mount at root's own Hugging Face cache, which a non-root user with the image's cache variables never reads. */
function unusedRootCache(container: Loose, folder: string): string {
  const at = mappings(container.volumeMounts)
    .map((m) => text(m.mountPath) ?? '')
    .find((p) => /^\/root\/\.cache(\/huggingface)?\/?$/.test(p));
  return at ? `; the volume mounted at ${at} is never used, the cache being ${folder}` : '';
}

function judge(name: string, container: Loose, pod: Loose, ctx: CheckContext): Problem[] {
  const server = HF_SERVER_IMAGE.exec(text(container.image) ?? '');
  const env = containerPieces(container, name).env;
  const model = server ? hfServerModel(container, env) : undefined;
  if (!server || !model || !HUB_ID.test(model) || hubOffline(env)) return [];
  const set = CACHE_VARIABLES.map((v) => env.find((e) => e.name === v)).find((e) => e !== undefined);
  if (set && !set.value?.startsWith('/')) return [];
  const folder = set?.value ?? IMAGE_CACHE;
  const who = nonRootUser(container, pod, ctx);
  const reason = who && notWritable(folder, container, pod, []);
  if (!who || !reason) return [];
  const from = set ? `${set.name}=${folder}` : `the image's cache folder ${IMAGE_CACHE}`;
  return [
    {
      message:
        `container '${name}' (${server[2]}) ${who} and downloads ${model} into ${from}, ${reason}: the download fails with a permission error and the server exits` +
        unusedRootCache(container, folder) +
        `; mount a writable volume (an emptyDir, or a claim with fsGroup) at ${folder}, or set HF_HOME to a writable folder such as /tmp/hf`,
    },
  ];
}

export const hfServerCacheUnwritable: Rule = {
  id: 'hf-server-cache-unwritable',
  title: 'text-generation-inference or text-embeddings-inference run as non-root with no writable cache for the hub model it downloads',
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS],
  premise:
    "a container of Hugging Face's text-generation-inference or text-embeddings-inference image given a hub id (--model-id or MODEL_ID), not offline, runs as a uid other than 0 (runAsUser, or no runAsUser on OpenShift where restricted-v2 picks one, unless the tree grants an SCC), and its hub cache (HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE or HF_HOME from its env, else /data, which both images set) has no writable volume: " +
    "the image's own root-owned filesystem, a read-only root filesystem, or a configMap, secret or projected volume. A mount at /root/.cache/huggingface is named as unused. A warning: the image's cache variable is read from its Dockerfile, not from the tree",
  example:
    '`runAsUser: 1000` on a pod running `ghcr.io/huggingface/text-generation-inference:3.0.1` with `MODEL_ID` `example-org/chat-7b` and a volume at `/root/.cache/huggingface`',
  fix: 'mount a writable volume (an emptyDir, or a claim with fsGroup) at /data, or set HF_HOME to a writable folder such as /tmp/hf',
  source:
    'huggingface/text-generation-inference Dockerfile (ENV HF_HOME=/data, no USER) and launcher/src/main.rs (downloads MODEL_ID at start); huggingface/text-embeddings-inference Dockerfile (ENV HUGGINGFACE_HUB_CACHE=/data); huggingface_hub constants.py (HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub); OpenShift restricted-v2 SCC (MustRunAsRange)',
  check(o, ctx) {
    return containersOf(o.manifest)
      .filter((c) => !c.init)
      .flatMap(({ name, container }) => judge(name, container, podSpecHolding(o.manifest, container) ?? {}, ctx));
  },
};
