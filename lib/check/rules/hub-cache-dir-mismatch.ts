import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { tokensOf } from '../../manifests/script-commands';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { hubCacheOf } from '../hub-cache';
import { HUB_ID, hubOffline } from '../hub-download';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { podSpecHolding, workloadVllmLines } from '../workload-lines';
import { perText } from '../../private/run-memo';

/** A download into a hub cache named by hand: `hf download REPO --cache-dir X` (huggingface-cli too). */
interface CacheDownload {
  readonly owner: GraphObject;
  readonly where: string;
  readonly repo: string;
  readonly cacheDir: string;
  /** Where the folder lies: a volume of the pod and the path inside it. */
  readonly place: Place;
}

/** A folder of a container as a volume holds it: the claim (or the pod's own volume) and the path within it. */
interface Place {
  readonly volume: string;
  readonly within: string;
}

const tidy = (p: string) => path.posix.normalize(p).replace(/(.)\/$/, '$1');

/** The downloads a command runs with --cache-dir: `hf download REPO … --cache-dir X`, `huggingface-cli download …`. */
function cacheDownloadsOf(commandText: string): { repo: string; cacheDir: string }[] {
  const out: { repo: string; cacheDir: string }[] = [];
  for (const segment of commandText.split(/&&|\|\||[;|\n]/)) {
    const words = tokensOf(segment);
    const at = words.findIndex((w, i) => (w.endsWith('huggingface-cli') || w === 'hf') && words[i + 1] === 'download');
    if (at < 0) continue;
    const rest = words.slice(at + 2);
    const repo = rest.find((w) => !w.startsWith('-'));
    const flag = rest.findIndex((w) => w === '--cache-dir' || w.startsWith('--cache-dir='));
    const cacheDir = flag < 0 ? undefined : rest[flag].includes('=') ? rest[flag].split(/=(.*)/s)[1] : rest[flag + 1];
    if (repo && HUB_ID.test(repo) && cacheDir?.startsWith('/') && !/[$`]/.test(cacheDir)) out.push({ repo, cacheDir: tidy(cacheDir) });
  }
  return out;
}

/**
 * The volume a container's folder lies on, with the path inside it: a claim (by name in the namespace: every pod that
 * mounts it sees the same files) or the pod's own volume (an emptyDir its init containers and containers share).
 */
function placeOf(folder: string, container: Loose, pod: Loose, owner: string, ns: string): Place | undefined {
  const mount = mappings(container.volumeMounts)
    .map((m) => ({ m, at: tidy(text(m.mountPath) ?? '') }))
    .filter(({ at }) => at !== '.' && (folder === at || folder.startsWith(`${at === '/' ? '' : at}/`)))
    .sort((a, b) => b.at.length - a.at.length)[0];
  if (!mount) return undefined;
  const name = text(mount.m.name) ?? '';
  const claim = text(mapping(mappings(pod.volumes).find((v) => v.name === name)?.persistentVolumeClaim).claimName);
  const within = tidy(path.posix.join('/', text(mount.m.subPath) ?? '', folder.slice(mount.at.length)));
  return { volume: claim ? `claim ${ns}/${claim}` : `${owner} volume ${name}`, within };
}

/** The --cache-dir downloads of the tree's workloads. */
function treeCacheDownloads(graph: ObjectGraph): CacheDownload[] {
  return graph.once('hub-cache-dir-mismatch:downloads', () =>
    graph.objects
      .filter((o) => WORKLOAD_KINDS.includes(String(o.manifest.kind)))
      .flatMap((o) =>
        containersOf(o.manifest).flatMap((c) => {
          const commandText = [...strings(c.container.command), ...strings(c.container.args)].join(' ');
          const ns = graph.namespaceOf(o.manifest) ?? '';
          const pod = podSpecHolding(o.manifest, c.container, true) ?? {};
          return perText('hf-cache-downloads', commandText, cacheDownloadsOf).flatMap((d) => {
            const place = placeOf(d.cacheDir, c.container, pod, graph.id(o), ns);
            return place ? [{ ...d, owner: o, where: `${c.init ? 'init container' : 'container'} '${c.name}'`, place }] : [];
          });
        }),
      ),
  );
}

export const hubCacheDirMismatch: Rule = {
  id: 'hub-cache-dir-mismatch',
  title:
    "a download step fills a Hugging Face hub cache (--cache-dir) on a volume where the model server's own hub cache is another folder: the server does not find the model",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS],
  premise:
    "a container or init container of a workload of the tree runs `hf download REPO` or `huggingface-cli download REPO` with --cache-dir X (an absolute path, no variable) on a volume it mounts (a claim, or a volume of its own pod); a container of a workload of the same namespace visibly starts vLLM serving that same repository id, with its hub cache set by a variable (HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else HOME/.cache/huggingface/hub: one of them written, since the image's HOME is not known) on the same claim or pod volume, at another folder of it than X: --cache-dir names the hub cache itself, so the snapshot lies in X/models--org--name while the server looks in its own cache; " +
    'an error where the server is offline (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE set but not 0: huggingface_hub raises LocalEntryNotFoundError and vLLM exits), else a warning (the server downloads the model a second time at start, and the download step was for nothing)',
  example:
    '`hf download Qwen/Qwen3-8B --cache-dir /cache/huggingface` in a Job, and vLLM serving `Qwen/Qwen3-8B` with HF_HOME `/cache/huggingface` and `HF_HUB_OFFLINE` set',
  fix: "give the download the server's hub cache: --cache-dir X/hub when the server sets HF_HOME=X (or set HF_HOME=X in the download step and drop --cache-dir), or set HF_HUB_CACHE to the download's --cache-dir in the server",
  source:
    'huggingface_hub constants.py (HF_HUB_CACHE = HF_HOME/hub, HF_HOME from XDG_CACHE_HOME or ~/.cache/huggingface) and file_download.py / _snapshot_download.py (cache_dir is the hub cache: snapshots under cache_dir/models--org--name; offline, a repository missing there raises LocalEntryNotFoundError); huggingface_hub cli download (--cache-dir passed as cache_dir)',
  check(o, { graph }) {
    const ns = graph.namespaceOf(o.manifest) ?? '';
    const downloads = treeCacheDownloads(graph).filter((d) => (graph.namespaceOf(d.owner.manifest) ?? '') === ns);
    if (!downloads.length) return [];
    return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
      const model = c.args.model();
      if (!c.args.invoked || !model || !HUB_ID.test(model)) return [];
      const cache = hubCacheOf(c.env, '/');
      if (!cache?.variable) return [];
      const place = placeOf(cache.path, c.container, podSpecHolding(o.manifest, c.container, true) ?? {}, graph.id(o), ns);
      const d = place && downloads.find((x) => x.repo === model && x.place.volume === place.volume && x.place.within !== place.within);
      if (!d || !place) return [];
      const offline = hubOffline(c.env);
      const effect = offline
        ? 'with HF_HUB_OFFLINE set it cannot download it either: huggingface_hub raises LocalEntryNotFoundError and vLLM exits at start'
        : 'so it downloads the model again at start, and the download step was for nothing';
      return [
        {
          severity: offline ? 'error' : 'warning',
          message:
            `${c.where} serves ${model} from the hub cache ${cache.path} (${cache.variable.name}=${cache.variable.value ?? ''}), but ${graph.id(d.owner)} ${d.where} downloads it with --cache-dir ${d.cacheDir}, ` +
            `which huggingface_hub takes as the hub cache itself: on ${place.volume} the snapshot lands in ${path.posix.join(d.place.within, `models--${model.replace('/', '--')}`)}, not under ${place.within}, where the server looks; ${effect}; ` +
            `download with --cache-dir ${cache.path} (the server's hub cache), or point the server's HF_HUB_CACHE at ${d.cacheDir}`,
        },
      ];
    });
  },
};
