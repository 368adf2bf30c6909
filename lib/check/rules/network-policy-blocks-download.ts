import { Loose, mapping, mappings, stringMap, strings, text } from '../../manifests/access';
import { selectorMatches } from '../argocd/label-selector';
import { EnvEntry, envEntries } from '../command-line';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { HF_SERVER_IMAGE, hfServerModel, HUB_ID, hubOffline } from '../hub-download';
import { otherPolicyKinds, policiesIn, policyTypesOf, predictorPodLabels } from '../network-policies';
import { containersOf, podLabelsOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { storageLocationOf } from '../serving-model';
import { workloadVllmLines } from '../workload-lines';

/** Variables that send huggingface_hub elsewhere than huggingface.co: a mirror, or a proxy the policy may allow. */
const ELSEWHERE_ENV = ['HF_ENDPOINT', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'];

/** A mount that may already hold the weights, from which huggingface_hub serves them when the Hub cannot be reached. */
const CACHE_MOUNT = /(^|\/)\.(cache|ollama)(\/|$)|huggingface|models?(\/|$)/i;

/** What a pod downloads from huggingface.co, and whether a volume may already hold it. */
export interface Download {
  readonly what: string;
  readonly cached: boolean;
}

function fetchesFromHub(env: readonly EnvEntry[]): boolean {
  return !hubOffline(env) && !env.some((e) => ELSEWHERE_ENV.includes(e.name));
}

/** A workload's downloads: vLLM containers given a hub id, not offline, no mirror or proxy. */
function workloadDownloads(m: Loose): Download[] {
  return workloadVllmLines(m)
    .filter((c) => c.args.invoked && !c.args.unknown('--model') && fetchesFromHub(c.env))
    .flatMap((c) => {
      const model = c.args.model();
      if (!model || !HUB_ID.test(model)) return [];
      const cached = mappings(c.container.volumeMounts).some((v) => CACHE_MOUNT.test(text(v.mountPath) ?? ''));
      return [{ what: `${c.where} (vLLM) downloads ${model} from huggingface.co`, cached }];
    });
}

/**
 * A container's own script that fetches from the Hub: huggingface_hub's snapshot_download or hf_hub_download, the
 * `huggingface-cli download` or `hf download` command, or a URL of huggingface.co (git clone, curl, wget).
 */
const HUB_FETCH = /\b(snapshot_download|hf_hub_download)\s*\(|\b(huggingface-cli|hf)\s+download\b|https?:\/\/huggingface\.co\//;

/** A workload's containers (init containers first among them) whose command or args fetch from the Hub, not offline, no mirror or proxy. */
function scriptDownloads(m: Loose): Download[] {
  return containersOf(m).flatMap(({ name, container, init }) => {
    const where = `${init ? 'init container' : 'container'} '${name}'`;
    const line = [...strings(container.command), ...strings(container.args)].join(' ');
    const call = HUB_FETCH.exec(line);
    if (!call || !fetchesFromHub(envEntries(container.env, where))) return [];
    const cached = mappings(container.volumeMounts).some((v) => CACHE_MOUNT.test(text(v.mountPath) ?? ''));
    const how = call[1] ? `${call[1]}()` : call[2] ? `${call[2]} download` : 'a huggingface.co URL';
    return [{ what: `${where} downloads from huggingface.co (${how} in its command)`, cached }];
  });
}

/** TGI and TEI containers given a hub id, not offline, no mirror or proxy. */
function hfServerDownloads(m: Loose): Download[] {
  return containersOf(m).flatMap(({ name, container, init }) => {
    const image = text(container.image) ?? '';
    const server = HF_SERVER_IMAGE.exec(image);
    const where = `${init ? 'init container' : 'container'} '${name}'`;
    const env = envEntries(container.env, where);
    const model = server ? hfServerModel(container, env) : undefined;
    if (!server || !model || !HUB_ID.test(model) || !fetchesFromHub(env)) return [];
    const cached = mappings(container.volumeMounts).some((v) => CACHE_MOUNT.test(text(v.mountPath) ?? ''));
    return [{ what: `${where} (${server[2]}) downloads ${model} from huggingface.co`, cached }];
  });
}

/** `ollama pull NAME` or `ollama run NAME` in a container's command, args or postStart hook: a download from Ollama's registry (ollama/ollama server/images.go PullModel). */
const OLLAMA_PULL = /\bollama\s+(pull|run)\s+([\w.:/-]+)/;

/** Containers that pull an Ollama model at start, from registry.ollama.ai (or huggingface.co for an hf.co/ name). */
function ollamaDownloads(m: Loose): Download[] {
  return containersOf(m).flatMap(({ name, container, init }) => {
    const hook = mapping(mapping(mapping(container.lifecycle).postStart).exec).command;
    const line = [...strings(container.command), ...strings(container.args), ...strings(hook)].join(' ');
    const pull = OLLAMA_PULL.exec(line);
    if (!pull) return [];
    const where = `${init ? 'init container' : 'container'} '${name}'`;
    const host = /^(hf\.co|huggingface\.co)\//.test(pull[2]) ? 'huggingface.co' : 'registry.ollama.ai';
    const cached = mappings(container.volumeMounts).some((v) => CACHE_MOUNT.test(text(v.mountPath) ?? ''));
    return [{ what: `${where} pulls the Ollama model ${pull[2]} from ${host} (ollama ${pull[1]} in its command)`, cached }];
  });
}

/** Whether a port list lets HTTPS (443/TCP) through: none given is every port; a named port may be https. */
function letsHttps(ports: unknown): boolean {
  const list = mappings(ports);
  if (!list.length) return true;
  return list.some((p) => {
    if ((text(p.protocol) ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    const port = Number(p.port);
    if (Number.isNaN(port)) return true; // a named port: the destination's name, not judged
    const end = p.endPort === undefined ? port : Number(p.endPort);
    return port <= 443 && 443 <= end;
  });
}

/**
 * Whether an egress rule can reach an address outside the cluster: its `to` is empty (every destination) or has an
 * ipBlock; podSelector and namespaceSelector peers, `namespaceSelector: {}` too, select pods, never external
 * addresses (k8s.io/api networking/v1 types.go NetworkPolicyPeer; kubernetes.io docs, "Network Policies").
 */
function reachesOutside(rule: Loose): boolean {
  const to = mappings(rule.to);
  return letsHttps(rule.ports) && (!to.length || to.some((peer) => peer.ipBlock !== undefined));
}

/** What a workload's pods download from the Hub or Ollama's registry (vLLM, TGI and TEI on a hub id, a script's fetch, `ollama pull`), and whether a volume may already hold it. */
export function allDownloads(m: Loose): Download[] {
  return [...workloadDownloads(m), ...scriptDownloads(m), ...hfServerDownloads(m), ...ollamaDownloads(m)];
}

function selectingPolicies(graph: ObjectGraph, o: GraphObject, labels: Record<string, string>): GraphObject[] {
  return policiesIn(graph, graph.namespaceOf(o.manifest))
    .filter((p) => policyTypesOf(p.manifest).includes('Egress'))
    .filter((p) => selectorMatches(mapping(p.manifest.spec).podSelector ?? {}, labels) === true);
}

function judge(graph: ObjectGraph, o: GraphObject, downloads: readonly Download[], labels: Record<string, string>): Problem[] {
  if (!downloads.length) return [];
  const policies = selectingPolicies(graph, o, labels);
  if (!policies.length || policies.some((p) => mappings(mapping(p.manifest.spec).egress).some(reachesOutside))) return [];
  const distinct = [...new Set(policies.map((p) => text(mapping(p.manifest.metadata).name)))];
  const names = distinct.map((n) => `NetworkPolicy '${n}'`).join(', ');
  const others = otherPolicyKinds(graph);
  return downloads.map((d) => {
    const unsure = d.cached || others.length > 0;
    const because = [
      ...(d.cached ? ['a volume at its cache folder may already hold the weights'] : []),
      ...(others.length ? [`the tree's ${others.join(', ')} may allow what NetworkPolicies deny`] : []),
    ];
    return {
      severity: unsure ? ('warning' as const) : ('error' as const),
      message:
        `${d.what}, but ${names} select${distinct.length > 1 ? '' : 's'} its pod for egress and allow${distinct.length > 1 ? '' : 's'} no address outside the cluster on 443 ` +
        `(podSelector and namespaceSelector peers, namespaceSelector: {} too, match cluster pods only): the download times out and the pod never serves` +
        `${unsure ? ` (unless ${because.join(', or ')})` : ''}. Add an egress rule to an ipBlock (0.0.0.0/0, except the cluster's ranges) on TCP 443, or serve the weights from a volume (HF_HUB_OFFLINE=1 for Hugging Face's libraries, a pre-filled OLLAMA_MODELS for Ollama)`,
    };
  });
}

export const networkPolicyBlocksDownload: Rule = {
  id: 'network-policy-blocks-download',
  title:
    "a NetworkPolicy limits the egress of a pod that downloads its model from Hugging Face or Ollama's registry to cluster pods: the download cannot leave the cluster",
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "a pod that downloads from huggingface.co (a container that starts vLLM on a hub id, not offline: no HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE, no HF_ENDPOINT mirror, no HTTPS proxy; or a text-generation-inference or text-embeddings-inference container given a hub id in --model-id or MODEL_ID, likewise not offline; or a container or init container whose own command or args fetch from the Hub: snapshot_download, hf_hub_download, huggingface-cli or hf download, a huggingface.co URL; or an InferenceService's hf:// storage URI; or a container whose command, args or postStart hook runs `ollama pull` or `ollama run`, which downloads from registry.ollama.ai, or huggingface.co for an hf.co/ name) is selected by NetworkPolicies of its namespace (a default-deny `podSelector: {}` among them) that restrict egress (policyTypes Egress, or egress rules with policyTypes unset), and none of their egress rules reaches outside the cluster on TCP 443: every peer is a podSelector or namespaceSelector (an empty `to` or an ipBlock reaches outside). A warning where a volume at a cache folder may already hold the weights or the tree has Cilium, Calico or AdminNetworkPolicy policies, which may allow it",
  example: '`namespaceSelector: {}` as the only egress peer of the policy selecting a vLLM pod that downloads `Qwen/Qwen2.5-1.5B-Instruct`',
  fix: 'add an egress rule with an ipBlock (0.0.0.0/0, the cluster ranges excepted) on TCP 443, or pre-load the weights into a volume and set HF_HUB_OFFLINE=1 (for Ollama, a volume at OLLAMA_MODELS filled beforehand)',
  source:
    'Kubernetes NetworkPolicy semantics: k8s.io/api networking/v1 types.go (NetworkPolicyPeer: podSelector/namespaceSelector select pods, ipBlock selects IP ranges; an empty `to` matches all destinations; PolicyTypes defaults) and kubernetes.io/docs/concepts/services-networking/network-policies (policies are additive: traffic is allowed if any policy selecting the pod allows it); huggingface/text-generation-inference launcher/src/main.rs and text-embeddings-inference router/src/main.rs (--model-id, env MODEL_ID, downloaded from the Hub at start); ollama/ollama server/images.go PullModel (registry.ollama.ai)',
  check(o, { graph }) {
    if (o.manifest.kind !== 'InferenceService') return judge(graph, o, allDownloads(o.manifest), stringMap(podLabelsOf(o.manifest)));
    const uri = storageLocationOf(o.manifest);
    if (!uri?.startsWith('hf://')) return [];
    const download = { what: `the storage initializer downloads ${uri} from huggingface.co`, cached: false };
    return judge(graph, o, [download], predictorPodLabels(o.manifest));
  },
};
