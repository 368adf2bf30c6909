import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { hubCacheOf } from '../hub-cache';
import { HUB_ID, hubOffline, OFFLINE_ENV } from '../hub-download';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { ContainerLine } from '../container-line';
import { Problem, Rule } from '../rule';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';

const tidy = (p: string) => path.posix.normalize(p).replace(/(.)\/$/, '$1');

/** A word of a command line that fetches weights itself: the hub CLI, huggingface_hub's download functions, git clone of a repository. */
const DOWNLOADS = /(^|\/)(huggingface-cli|hf)$|snapshot_download|hf_hub_download|^git$|(^|\/)(wget|curl)$/;

/** The volume a folder of a container lies on, with the mount that puts it there. */
function volumeAt(folder: string, container: Loose, pod: Loose): { name: string; at: string; volume: Loose } | undefined {
  const mount = mappings(container.volumeMounts)
    .map((m) => ({ name: text(m.name) ?? '', at: tidy(text(m.mountPath) ?? '') }))
    .filter(({ at }) => at !== '.' && (folder === at || folder.startsWith(`${at === '/' ? '' : at}/`)))
    .sort((a, b) => b.at.length - a.at.length)[0];
  const volume = mount && mappings(pod.volumes).find((v) => v.name === mount.name);
  return mount && volume ? { ...mount, volume } : undefined;
}

/** Whether a container's own words fetch anything (`hf download … && vllm serve …`). */
function downloadsItself(container: Loose): boolean {
  return [...strings(container.command), ...strings(container.args)].some((w) => w.split(/\s+/).some((x) => DOWNLOADS.test(x)));
}

/** Another container of the pod (an init container, a sidecar) that mounts the volume: it may fill it. */
function podFillers(m: Loose, pod: Loose, c: ContainerLine, volume: string): string[] {
  return containersOf(m)
    .filter((x) => x.container !== c.container && podSpecHolding(m, x.container, true) === pod)
    .filter((x) => mappings(x.container.volumeMounts).some((v) => v.name === volume))
    .map((x) => `${x.init ? 'init container' : 'container'} '${x.name}'`);
}

/** The workloads of the tree other than this one that mount a hostPath volume of that path: one of them may fill it on the nodes. */
function hostPathFillers(graph: ObjectGraph, o: GraphObject, hostPath: string): string[] {
  return graph.objects
    .filter((w) => w !== o && WORKLOAD_KINDS.includes(String(w.manifest.kind)))
    .filter((w) =>
      containersOf(w.manifest).some(({ container }) => {
        const pod = podSpecHolding(w.manifest, container, true) ?? {};
        return mappings(pod.volumes).some((v) => tidy(text(mapping(v.hostPath).path) ?? '') === hostPath);
      }),
    )
    .map((w) => graph.id(w));
}

/** The finding on one offline vLLM container whose hub cache lies on a volume nothing fills. */
function judge(o: GraphObject, graph: ObjectGraph, c: ContainerLine): Problem[] {
  const model = c.args.model();
  if (!c.args.invoked || !model || !HUB_ID.test(model) || !hubOffline(c.env) || downloadsItself(c.container)) return [];
  const downloadDir = c.args.value('--download-dir');
  const cache = downloadDir?.startsWith('/') ? { path: tidy(downloadDir), from: `--download-dir ${downloadDir}` } : undefined;
  const hub = cache ? undefined : hubCacheOf(c.env, '/root');
  const folder = cache ?? (hub && { path: hub.path, from: hub.variable ? `${hub.variable.name}=${hub.variable.value ?? ''}` : "the image's HOME, /root" });
  if (!folder) return [];
  const pod = podSpecHolding(o.manifest, c.container) ?? {};
  const at = volumeAt(folder.path, c.container, pod);
  if (!at) return [];
  const emptyDir = mapping(at.volume).emptyDir !== undefined;
  const host = mapping(mapping(at.volume).hostPath);
  const hostPath = text(host.path);
  const created = hostPath !== undefined && ['DirectoryOrCreate', undefined].includes(text(host.type));
  if (!emptyDir && !created) return [];
  if (podFillers(o.manifest, pod, c, at.name).length) return [];
  if (hostPath && hostPathFillers(graph, o, tidy(hostPath)).length) return [];
  const offline = OFFLINE_ENV.filter((n) => c.env.some((e) => e.name === n && e.value !== '0')).join(' and ');
  const where = emptyDir
    ? `the emptyDir volume '${at.name}' (mounted at ${at.at}), which starts empty in every new pod and which no init container or other container of the pod mounts to fill`
    : `the hostPath volume '${at.name}' (${hostPath}, type ${text(host.type) ?? 'unset'}), which the kubelet creates empty on a node where it is missing and which no init container nor other workload of the tree mounts to fill`;
  return [
    {
      ...(emptyDir ? {} : { severity: 'warning' as const }),
      message:
        `${c.where} serves the hub repository ${model} with ${offline} set, so huggingface_hub may not download it, and its hub cache ${folder.path} (${folder.from}) lies on ${where}: ` +
        `vLLM finds no snapshot there and exits at start (LocalEntryNotFoundError: "cannot find the requested files in the local cache")` +
        (emptyDir ? '' : ', unless the folder was filled on every node outside the tree') +
        `; fill the cache before the server starts (an init container running \`hf download ${model}\` into it, a PersistentVolumeClaim filled by a Job), or unset ${offline}`,
    },
  ];
}

export const hubOfflineCacheEmpty: Rule = {
  id: 'hub-offline-cache-empty',
  title:
    'vLLM serves a Hugging Face repository with HF_HUB_OFFLINE set, and its hub cache is an emptyDir (or a created hostPath) nothing fills: it finds nothing and exits',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  premise:
    "a container of a workload of the tree visibly starts vLLM with a hub repository id as its model (`org/name`), sets HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE (any value but 0), and its command line downloads nothing itself (no hf or huggingface-cli, snapshot_download, git, wget or curl); its hub cache (--download-dir, else HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, HOME/.cache/huggingface/hub, HOME being /root for vLLM's image) lies on an emptyDir volume of the pod, or on a hostPath volume of type DirectoryOrCreate (or unset); no init container or other container of the pod mounts that volume (it may fill it), and, for a hostPath, no other workload of the tree mounts that host folder. " +
    "An error for an emptyDir (empty in every new pod); a warning for a hostPath (the node's folder may have been filled outside the tree). Not judged: a PersistentVolumeClaim (it may be pre-filled), a model given as a path",
  example: '`{name: HF_HUB_OFFLINE, value: "1"}` and `args: [--model, Qwen/Qwen2.5-7B-Instruct` with HF_HOME on an `emptyDir: {}` volume',
  fix: 'fill the cache before the server starts (an init container running `hf download <repo>` into the same volume, or a PersistentVolumeClaim a Job fills), or unset HF_HUB_OFFLINE so vLLM downloads the model',
  source:
    'huggingface_hub constants.py (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE; HF_HUB_CACHE from HF_HOME, XDG_CACHE_HOME, ~/.cache) and _snapshot_download.py snapshot_download (offline with nothing cached: LocalEntryNotFoundError); vLLM vllm/model_executor/model_loader/weight_utils.py download_weights_from_hf (--download-dir as cache_dir); Kubernetes volumes: an emptyDir is created empty with its pod, a hostPath of type DirectoryOrCreate is created empty where it is missing',
  check(o, { graph }) {
    return workloadVllmLines(o.manifest).flatMap((c) => judge(o, graph, c));
  },
};
