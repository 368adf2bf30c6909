import { Loose, mapping, mappings, text } from '../../manifests/access';
import { containerPieces, EnvEntry } from '../command-line';
import { runAsOf, sccGranted } from '../container-user';
import { onOpenShift } from '../platform';
import { hubCacheOf, notWritable } from '../hub-cache';
import { HUB_ID, hubOffline } from '../hub-download';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';
import type { GraphObject } from '../graph-object';

/**
 * vLLM's own images built to run as root (vllm-project/vllm docker/Dockerfile target vllm-openai and
 * docker/Dockerfile.cpu: no USER but root, caches under /root/.cache; Ubuntu 22.04 bases, whose /etc/passwd has no
 * user at uid 1000). Not the opt-in vllm-openai-nonroot build, not the ROCm image (other bases), not Red Hat's or
 * Open Data Hub's builds (quay.io/modh, registry.redhat.io/rhaiis, quay.io/opendatahub: built for arbitrary uids with a
 * writable HOME), not images built FROM vLLM's (their USER and HOME are not known).
 */
const ROOT_VLLM_IMAGE = /^((docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?vllm\/vllm-openai(-cpu)?([:@]|$)/;

/** The `vllm` user (uid 2000, HOME /home/vllm) that vllm-openai images ship since vllm-project/vllm#40275: runs with a home of its own. */
const IMAGE_VLLM_UID = 2000;

/** One container that starts vLLM, with what decides its user and its cache. */
interface Served {
  readonly where: string;
  readonly container: Loose;
  /** The pod spec: securityContext and volumes (an InferenceService's predictor, with its runtime's volumes). */
  readonly pod: Loose;
  /** Names of a StatefulSet's volume claim templates (volumes the pod spec does not list). */
  readonly claims: readonly string[];
  readonly env: readonly EnvEntry[];
  readonly args: VllmArgs;
}

export const vllmCacheNotWritable: Rule = {
  id: 'vllm-cache-not-writable',
  title: "vLLM's own image run as a non-root user with no writable cache for the model it downloads, or with runAsNonRoot and no uid",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS.filter((k) => k !== 'LLMInferenceService'), ...MULTI_POD_KINDS],
  premise:
    "a container runs vLLM's own root image (vllm/vllm-openai or vllm/vllm-openai-cpu on Docker Hub; not -nonroot, -rocm, Red Hat's or Open Data Hub's vLLM images, nor an image built from them) and visibly starts vLLM's server; " +
    "either runAsNonRoot is true with no runAsUser (container or pod) on Kubernetes, where the kubelet refuses the root image, or it runs as a uid other than 0 and 2000 (the image's own vllm user in newer releases) while vLLM downloads its model: a Hugging Face id, not offline (HF_HUB_OFFLINE), no --download-dir, no volume at the model's path, " +
    "and the hub cache (HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else $HOME/.cache/huggingface/hub with HOME=/ for a uid the image's /etc/passwd lacks) lies on no writable volume (emptyDir, claim, not readOnly) and not under /tmp of a writable root filesystem; where none of those variables is set and a volume is mounted under /root/.cache (root's cache, written for the image's own user), the message says that volume is never used and names the HF_HOME that would use it; " +
    "on OpenShift (a platform told, or a tree whose marks place it on OpenShift whatever its release) a container that sets no runAsUser runs as restricted-v2's uid of the namespace's range: a warning, and not judged when the tree grants any SecurityContextConstraints (anyuid and others)",
  example: '`runAsUser: 1000` with `image: vllm/vllm-openai:v0.10.1` serving `Qwen/Qwen2.5-1.5B-Instruct` and no HF_HOME',
  fix: 'set HF_HOME (and VLLM_CACHE_ROOT, or HOME for both) to a folder on a writable volume: an emptyDir mounted at /cache with HF_HOME=/cache/huggingface; for runAsNonRoot also set runAsUser',
  source:
    'huggingface_hub constants.py (HF_HOME from XDG_CACHE_HOME or ~/.cache, HF_HUB_CACHE = HF_HOME/hub); vllm/envs.py (VLLM_CACHE_ROOT from XDG_CACHE_HOME or ~/.cache/vllm); runc libcontainer (HOME from the image\'s /etc/passwd entry of the uid, "/" when it has none: user.GetExecUser defaults); ' +
    'kubelet pkg/kubelet/kuberuntime verifyRunAsNonRoot ("container has runAsNonRoot and image will run as root", CreateContainerConfigError); OpenShift restricted-v2 SCC (MustRunAsRange: a uid from the namespace\'s openshift.io/sa.scc.uid-range)',
  check(o, ctx) {
    const served = o.manifest.kind === 'InferenceService' ? servedByService(o, ctx) : servedByWorkload(o.manifest);
    const granted = () => sccGranted(ctx.graph);
    return served.flatMap((s) => judge(s, ctx, granted));
  },
};

/** The containers of a workload (a LeaderWorkerSet's, a JobSet's, … templates too) that start vLLM's server. */
function servedByWorkload(m: Loose): Served[] {
  const claims = mappings(mapping(m.spec).volumeClaimTemplates).map((t) => text(mapping(t.metadata).name) ?? '');
  return workloadVllmLines(m)
    .filter((c) => c.args.invoked)
    .map((c) => ({ where: c.where, container: c.container, pod: podSpecHolding(m, c.container) ?? {}, claims, env: c.env, args: c.args }));
}

/** An InferenceService's serving container merged with its runtime's, in its predictor's pod with the runtime's volumes. */
function servedByService(o: GraphObject, ctx: CheckContext): Served[] {
  const container = ctx.graph.servingContainer(o);
  const command = ctx.graph.vllmCommand(o);
  if (!container || !command?.args.invoked) return [];
  const predictor = mapping(mapping(o.manifest.spec).predictor);
  const runtime = ctx.graph.runtimeOf(o.manifest);
  const volumes = [...mappings(predictor.volumes), ...mappings(mapping(runtime?.manifest.spec).volumes)];
  const where = `kserve-container${runtime ? ` (runtime '${text(runtime.manifest.metadata?.name) ?? ''}')` : ''}`;
  return [{ where, container, pod: { ...predictor, volumes }, claims: [], env: containerPieces(container, where).env, args: command.args }];
}

function judge(s: Served, ctx: CheckContext, granted: () => boolean): Problem[] {
  const image = text(s.container.image) ?? '';
  if (!ROOT_VLLM_IMAGE.test(image)) return [];
  const user = runAsOf(s.container, s.pod);
  if (user.unknown || user.uid?.value === 0 || user.uid?.value === IMAGE_VLLM_UID) return [];
  const openshift = onOpenShift(ctx);
  if (user.uid) return cacheProblems(s, image, `runs as uid ${user.uid.value} (${user.uid.from})`, 'error');
  if (user.nonRootFrom && !openshift) {
    return [
      {
        message:
          `${s.where}: runAsNonRoot is true (${user.nonRootFrom}) and no runAsUser is set, but ${image} runs as root (vLLM's Dockerfile sets no other USER): ` +
          `the kubelet refuses to start the container (CreateContainerConfigError: "container has runAsNonRoot and image will run as root"); ` +
          `set runAsUser to a non-zero uid and give vLLM a writable cache (HF_HOME on an emptyDir), or drop runAsNonRoot`,
      },
    ];
  }
  if (!openshift || granted()) return [];
  const why =
    "sets no runAsUser, so on OpenShift the restricted-v2 SecurityContextConstraints run it as a uid of the namespace's range (unless its ServiceAccount is granted anyuid outside the tree)";
  return cacheProblems(s, image, why, 'warning');
}

/** A non-root container downloading its model with no writable Hugging Face cache. */
function cacheProblems(s: Served, image: string, who: string, severity: 'error' | 'warning'): Problem[] {
  const model = s.args.model();
  if (!model || s.args.unknown('--model') || !HUB_ID.test(model) || hubOffline(s.env) || s.args.value('--download-dir') !== undefined) return [];
  // a volume at the model's path (under the working directory) holds the weights: vLLM loads that folder
  if (mappings(s.container.volumeMounts).some((m) => (text(m.mountPath) ?? '').replace(/\/+$/, '').endsWith(`/${model}`))) return [];
  const cache = hubCacheOf(s.env, '/');
  if (!cache) return [];
  const reason = notWritable(cache.path, s.container, s.pod, s.claims);
  if (!reason) return [];
  const where = cache.variable
    ? `${cache.variable.name}=${cache.variable.value ?? ''} puts the Hugging Face cache at ${cache.path}, ${reason}`
    : `no HF_HOME, HF_HUB_CACHE, XDG_CACHE_HOME or HOME is set, and a uid with no entry in the image's /etc/passwd gets HOME=/ from the container runtime, so the Hugging Face cache is ${cache.path}, ${reason}`;
  const unused = cache.variable ? undefined : rootCacheMount(s.container);
  return [
    {
      severity,
      message:
        `${s.where}: ${image} is built to run as root (its caches under /root/.cache) but ${who}; ${where}: ` +
        `vLLM downloads ${model} at start and fails with PermissionError, and the pod crash-loops` +
        (unused
          ? `; the volume mounted at ${unused} is root's cache folder, which this uid's HOME does not name, so it is never used: set HF_HOME to a folder on it (HF_HOME=${unused.endsWith('/huggingface') ? unused : `${unused}/huggingface`}), and VLLM_CACHE_ROOT, or HOME for both`
          : '; set HF_HOME (and VLLM_CACHE_ROOT, or HOME for both) to a folder on a writable volume, e.g. an emptyDir mounted at /cache with HF_HOME=/cache/huggingface'),
    },
  ];
}

/**
 * A volume mounted under root's cache folder (/root/.cache, /root/.cache/huggingface), written for the image's root
 * user: a non-root uid's HOME is / (or its own passwd entry's folder), so huggingface_hub never looks there.
 */
function rootCacheMount(container: Loose): string | undefined {
  return mappings(container.volumeMounts)
    .map((m) => (text(m.mountPath) ?? '').replace(/\/+$/, ''))
    .find((at) => at === '/root/.cache' || at.startsWith('/root/.cache/'));
}
