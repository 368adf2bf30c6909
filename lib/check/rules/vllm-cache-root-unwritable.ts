import { isRedHatVllmBuild } from '../../catalog/vllm-images';
import { Loose, text } from '../../manifests/access';
import { containerPieces, EnvEntry } from '../command-line';
import { runAsOf, sccGranted } from '../container-user';
import { GraphObject } from '../graph-object';
import { onOpenShift } from '../platform';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { CheckContext, Problem, Rule } from '../rule';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';

/**
 * vLLM images built for OpenShift's arbitrary uids, whose HOME is a folder the root group may write (Red Hat AI
 * Inference Server's registry.redhat.io/rhaiis/… and rhaii/… as OpenShift AI 3 names them, OpenShift AI's registry.redhat.io/rhoai/… and quay.io/modh/…, Open Data
 * Hub's quay.io/opendatahub/…): OpenShift AI's own vLLM templates (odh-model-controller config/runtimes/vllm-*-template.yaml)
 * run them with HF_HOME=/tmp/hf_home and nothing else, and vLLM's cache under HOME works there: the images set
 * HOME=/home/vllm and make it group-writable for the root group every OpenShift uid runs in (opendatahub-io/vllm
 * Dockerfile.ubi, vllm-openai stage: useradd --uid 2000 --gid 0 vllm, chmod g+rwx $HOME, ENV HOME=/home/vllm).
 * A mirror of them (the same path under another registry host) is the same image.
 */
const ARBITRARY_UID_IMAGE = /^(registry\.redhat\.io\/(rhaiis|rhaii|rhoai)\/|quay\.io\/(modh|opendatahub|rhoai)\/)/;

/** The variables vLLM derives its cache root from (vllm/envs.py VLLM_CACHE_ROOT, else XDG_CACHE_HOME/vllm, else ~/.cache/vllm). */
const CACHE_ROOT_VARIABLES = ['VLLM_CACHE_ROOT', 'XDG_CACHE_HOME', 'HOME'];

/** The Hugging Face cache variables whose setting shows the author moved one cache off HOME (huggingface_hub constants.py). */
const HUB_VARIABLES = ['HF_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE'];

/** A container that starts vLLM, with its pod and its environment. */
interface Served {
  readonly where: string;
  readonly container: Loose;
  readonly pod: Loose;
  readonly env: readonly EnvEntry[];
  readonly eager: boolean;
}

/** The vLLM containers of a workload or ServingRuntime, with the environment its InferenceServices add to a runtime's. */
function served(o: GraphObject, ctx: CheckContext): Served[] {
  const users = o.manifest.kind === 'ServingRuntime' ? ctx.graph.servicesOf(o) : [];
  // a service that sets the cache root in its own container settles it for the runtime's pods it runs
  const servicesSet = users.some((i) => {
    const c = ctx.graph.servingContainer(i);
    return c !== undefined && containerPieces(c, 'kserve-container').env.some((e) => CACHE_ROOT_VARIABLES.includes(e.name));
  });
  if (servicesSet) return [];
  return workloadVllmLines(o.manifest)
    .filter((l) => l.args.invoked)
    .map((l) => ({
      where: l.where,
      container: l.container,
      pod: podSpecHolding(o.manifest, l.container) ?? {},
      env: l.env,
      eager: l.args.enabled('--enforce-eager') === true,
    }));
}

function judge(s: Served): Problem[] {
  const image = text(s.container.image) ?? '';
  // no image, one a template or the platform fills in, or a build for arbitrary uids: HOME is not this rule's to judge
  if (!image || /[$({]/.test(image) || ARBITRARY_UID_IMAGE.test(image) || isRedHatVllmBuild(image) || s.eager) return [];
  const user = runAsOf(s.container, s.pod);
  if (user.unknown || user.uid) return [];
  const hub = s.env.find((e) => HUB_VARIABLES.includes(e.name) && e.value?.startsWith('/'));
  if (!hub || s.env.some((e) => CACHE_ROOT_VARIABLES.includes(e.name))) return [];
  return [
    {
      message:
        `${s.where}: ${hub.name}=${hub.value ?? ''} moves the Hugging Face cache off the home folder, but nothing moves vLLM's own (no VLLM_CACHE_ROOT, XDG_CACHE_HOME or HOME is set): ` +
        `vLLM keeps its cache in ~/.cache/vllm (its torch.compile cache among others) and creates it at start; on OpenShift the restricted-v2 SecurityContextConstraints run ${image} as a uid of the namespace's range, which has no entry in the image's /etc/passwd, so HOME is / unless the image sets a writable one, and vLLM fails with PermissionError: '/.cache' and the pod crash-loops; ` +
        `set VLLM_CACHE_ROOT to a writable folder too (e.g. /tmp/vllm_cache, or HOME=/tmp for every cache), unless the image's HOME is writable by any uid`,
    },
  ];
}

export const vllmCacheRootUnwritable: Rule = {
  id: 'vllm-cache-root-unwritable',
  title: "a vLLM container on OpenShift moves the Hugging Face cache off HOME but not vLLM's own cache, with an image not built for arbitrary uids",
  severity: 'warning',
  appliesTo: [...WORKLOAD_KINDS.filter((k) => k !== 'InferenceService' && k !== 'LLMInferenceService'), ...MULTI_POD_KINDS, 'ServingRuntime'],
  premise:
    "on OpenShift (a platform told, or a tree whose marks place it there), a container (a ServingRuntime's or a workload's) that visibly starts vLLM's server without --enforce-eager, sets no runAsUser (so restricted-v2 gives it a uid of the namespace's range) and the tree grants no SecurityContextConstraints, sets HF_HOME or HF_HUB_CACHE to an absolute path but none of VLLM_CACHE_ROOT, XDG_CACHE_HOME and HOME (nor does an InferenceService of the tree that uses the runtime), and runs an image that is not a Red Hat or Open Data Hub build for arbitrary uids (registry.redhat.io/rhaiis, rhaii, rhoai, quay.io/modh, quay.io/opendatahub, or a mirror keeping their path, e.g. mirror.example.com:5000/rhaiis/vllm-cuda-rhel9: HOME=/home/vllm, writable by the root group every OpenShift uid runs in, which OpenShift AI's own vLLM runtime templates rely on) and not one a template fills in: " +
    "vLLM's cache lands under the home folder, / for a uid the image's /etc/passwd lacks unless the image sets HOME. A warning: the image's HOME is not in the files",
  example:
    '`name: HF_HOME` with `value: /tmp/hf` and nothing else in the env of a ServingRuntime running `image: quay.io/example-team/vllm-cpu-build:0.11.0` on OpenShift AI',
  fix: 'set VLLM_CACHE_ROOT (or XDG_CACHE_HOME, or HOME for every cache) to a writable folder such as /tmp/vllm_cache, or run an image built for arbitrary uids',
  source:
    'vllm/envs.py get_default_cache_root and VLLM_CACHE_ROOT (XDG_CACHE_HOME, else ~/.cache, joined with vllm) and vllm/compilation (torch_compile_cache under VLLM_CACHE_ROOT, created at start unless eager); runc libcontainer user.GetExecUser (HOME "/" for a uid with no /etc/passwd entry); OpenShift restricted-v2 SCC (MustRunAsRange); ' +
    'opendatahub-io/vllm Dockerfile.ubi (vllm-openai stage: useradd --uid 2000 --gid 0 vllm, chmod g+rwx $HOME, ENV HOME=/home/vllm); ' +
    'opendatahub-io/odh-model-controller config/runtimes/vllm-cuda-template.yaml and vllm-cpu-template.yaml (HF_HOME=/tmp/hf_home alone, no runAsUser, for the Red Hat images built for arbitrary uids: registry.redhat.io/rhaiis and rhaii vllm-*-rhel9, rhoai/odh-vllm-*, quay.io/modh/vllm)',
  check(o, ctx) {
    if (!onOpenShift(ctx) || sccGranted(ctx.graph)) return [];
    return served(o, ctx).flatMap(judge);
  },
};
