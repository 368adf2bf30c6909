import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { ContainerLine, podSpecHolding, workloadVllmLines } from '../workload-lines';

/** vLLM's setting of the host its NIXL side channel listens on and advertises to the peer (vllm/envs.py, default "localhost"). */
const SIDE_CHANNEL_HOST = 'VLLM_NIXL_SIDE_CHANNEL_HOST';

/** A container that starts vLLM with the NixlConnector, its kv_role, and the pod it runs in. */
interface NixlServer {
  readonly object: GraphObject;
  readonly pod: Loose | undefined;
  readonly line: ContainerLine;
  readonly role: string;
}

/** The containers of a workload that start vLLM with `--kv-transfer-config` naming the NixlConnector. */
function nixlServers(object: GraphObject): NixlServer[] {
  return workloadVllmLines(object.manifest).flatMap((line) => {
    const config = line.args.invoked ? line.args.value('--kv-transfer-config') : undefined;
    if (!config || !/"kv_connector"\s*:\s*"NixlConnector"/.test(config)) return [];
    const role = /"kv_role"\s*:\s*"(\w+)"/.exec(config)?.[1] ?? 'kv_both';
    return [{ object, pod: podSpecHolding(object.manifest, line.container), line, role }];
  });
}

/** Every NixlConnector server of the tree, found once per run. */
function allNixlServers(graph: ObjectGraph): NixlServer[] {
  return graph.once('nixl-side-channel-host:servers', () =>
    [...WORKLOAD_KINDS, ...MULTI_POD_KINDS].flatMap((kind) => graph.ofKind(kind)).flatMap((o) => nixlServers(o)),
  );
}

/** Whether the container sets the host: an env entry (value or valueFrom), or its command's script. */
function setsHost(line: ContainerLine): boolean {
  return (
    line.env.some((e) => e.name === SIDE_CHANNEL_HOST) ||
    [...strings(line.container.command), ...strings(line.container.args)].some((w) => w.includes(SIDE_CHANNEL_HOST))
  );
}

function problemOf(server: NixlServer, peers: readonly NixlServer[]): Problem[] {
  const { line } = server;
  // in one pod the peers share the network namespace: localhost reaches the other container
  const samePod = peers.filter((p) => p.line.container !== line.container && p.pod !== undefined && p.pod === server.pod);
  const otherPods = peers.filter((p) => p.pod !== server.pod);
  if (setsHost(line) || (samePod.length && !otherPods.length)) return [];
  const envFrom = mappings(line.container.envFrom).length > 0;
  const base =
    `${line.where} runs vLLM with the NixlConnector (${server.role}) without ${SIDE_CHANNEL_HOST}: vLLM's default, localhost, is where its side channel listens and what it hands the peer ` +
    '(kv_transfer_params remote_host), so a decode instance in another pod connects to its own localhost and the KV handshake fails';
  const fix = `; set ${SIDE_CHANNEL_HOST} from the pod's IP (valueFrom.fieldRef.fieldPath: status.podIP)`;
  if (otherPods.length && !envFrom) {
    // the object's own peer (another role of the same StormService, the decode half of the same LeaderWorkerSet) first:
    // a peer of another object is named only where the object has none of its own
    const peer = otherPods.find((p) => p.object === server.object) ?? otherPods[0];
    const name = `${String(peer.object.manifest.kind)} '${text(mapping(peer.object.manifest.metadata).name) ?? ''}'`;
    return [{ message: `${base}; its peer ${peer.line.where} (${peer.role}) of ${name} runs in another pod${fix}` }];
  }
  const assumed = envFrom
    ? ` (unless the envFrom source of ${line.where} sets it)`
    : ' (no peer of it is in the tree: if prefill and decode run in one pod, localhost is right)';
  return [{ severity: 'warning', message: `${base}${assumed}${fix}` }];
}

export const nixlSideChannelHost: Rule = {
  id: 'nixl-side-channel-host',
  title: "vLLM's NixlConnector across pods without VLLM_NIXL_SIDE_CHANNEL_HOST: the peer is handed localhost and the KV handshake fails",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS.filter((k) => k !== 'LLMInferenceService'), ...MULTI_POD_KINDS],
  premise:
    'a container visibly starts vLLM\'s server with --kv-transfer-config naming "kv_connector":"NixlConnector" as kv_producer or kv_both (a consumer\'s host is handed to no one) and sets no VLLM_NIXL_SIDE_CHANNEL_HOST (env value or valueFrom, or its command\'s script); error when another pod of the tree also runs vLLM with the NixlConnector (prefill and decode as separate Deployments, LeaderWorkerSets or templates), warning when no peer is in the tree or an envFrom source may set it; quiet when every peer runs in the same pod (localhost is shared), and for LLMInferenceService (KServe\'s prefill and decode presets set it)',
  example:
    '`--kv-transfer-config` with `{"kv_connector":"NixlConnector","kv_role":"kv_producer"}` in one Deployment and `kv_consumer` in another, neither setting VLLM_NIXL_SIDE_CHANNEL_HOST',
  fix: 'set VLLM_NIXL_SIDE_CHANNEL_HOST from the pod IP (env valueFrom.fieldRef.fieldPath: status.podIP) in every prefill and decode container',
  source:
    'vllm/envs.py VLLM_NIXL_SIDE_CHANNEL_HOST (default "localhost", unchanged since the NixlConnector came in vLLM 0.9); vllm/distributed/kv_transfer/kv_connector/v1/nixl_connector.py NixlConnectorScheduler (the side channel listens on that host, request_finished hands it to the decode instance as remote_host, which connects there for the handshake); vLLM docs features/nixl_connector_usage.md ("Set when prefiller and decoder are on different machines")',
  check(o, { graph }) {
    // a consumer's own side channel is never handed to a peer: only a producer's (or kv_both's) host matters
    const mine = nixlServers(o).filter((s) => s.role !== 'kv_consumer');
    return mine.length ? mine.flatMap((s) => problemOf(s, allNixlServers(graph))) : [];
  },
};
