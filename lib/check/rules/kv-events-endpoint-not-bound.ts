import { mapping, mappings, text } from '../../manifests/access';
import { MULTI_POD_KINDS } from '../pod-templates';
import { WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/** The host of a `tcp://HOST:PORT` endpoint, and its port. */
const TCP_ENDPOINT = /^tcp:\/\/(.+):(\d+)$/;

/**
 * Whether vLLM binds the endpoint rather than connects to it: ZmqEventPublisher._socket_setup binds when the endpoint
 * holds `*` or `::`, or is ipc:// or inproc://, and connects otherwise (vllm/distributed/kv_events.py).
 */
function binds(endpoint: string): boolean {
  return endpoint.includes('*') || endpoint.includes('::') || endpoint.startsWith('ipc://') || endpoint.startsWith('inproc://');
}

/** What names the pod's own address in the host: a `$(VAR)` of an env entry set from status.podIP, or 0.0.0.0. */
function ownAddress(host: string, line: ContainerLine): string | undefined {
  if (host === '0.0.0.0') return '0.0.0.0 (every address of the pod, as a bind would take it)';
  const variable = /^\$\(([A-Za-z_]\w*)\)$/.exec(host)?.[1];
  const entry = mappings(line.container.env).find((e) => e.name === variable);
  const field = text(mapping(mapping(entry?.valueFrom).fieldRef).fieldPath);
  return field === 'status.podIP' || field === 'status.podIPs' ? `$(${variable}), the pod's own IP (env ${variable} from ${field})` : undefined;
}

/** The finding for one container whose KV-events endpoint names its own address without a wildcard. */
function endpointProblem(line: ContainerLine): Problem[] {
  const config = line.args.invoked ? line.args.value('--kv-events-config') : undefined;
  if (!config || /"enable_kv_cache_events"\s*:\s*false/.test(config) || /"publisher"\s*:\s*"null"/.test(config)) return [];
  const endpoint = /"endpoint"\s*:\s*"([^"]*)"/.exec(config)?.[1];
  const tcp = endpoint === undefined || binds(endpoint) ? undefined : TCP_ENDPOINT.exec(endpoint);
  const own = tcp ? ownAddress(tcp[1], line) : undefined;
  if (!tcp || !own) return [];
  return [
    {
      message:
        `${line.where} runs vLLM with --kv-events-config endpoint '${endpoint}', the host ${own}: vLLM's ZMQ publisher binds only an endpoint holding a wildcard (\`*\`, \`::\`) ` +
        `and connects to any other, so it connects to its own pod's port ${tcp[2]}, where nothing listens, and the subscribers that connect to the pod (the inference scheduler's KV-cache indexer) receive no events; ` +
        `write "endpoint": "tcp://*:${tcp[2]}" so vLLM listens there`,
    },
  ];
}

export const kvEventsEndpointNotBound: Rule = {
  id: 'kv-events-endpoint-not-bound',
  title: "vLLM's --kv-events-config endpoint names the pod's own address instead of a wildcard: the publisher connects there and nothing listens",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    'a container visibly starts vLLM\'s server with --kv-events-config enabling KV cache events (not "enable_kv_cache_events": false nor "publisher": "null") whose "endpoint" is `tcp://HOST:PORT` without `*` or `::` and HOST names the pod\'s own address: `$(VAR)` of an env entry set from status.podIP, or 0.0.0.0; not judged: an endpoint naming another host (a Service of a subscriber that binds: vLLM connecting to it is the intended design), localhost (a sidecar of the pod may bind), ipc:// and inproc://',
  example: '`--kv-events-config` with `"endpoint":"tcp://$(POD_IP):5556"` and env POD_IP from `status.podIP`',
  fix: 'write the endpoint with a wildcard host, `"endpoint": "tcp://*:5556"`, so vLLM binds the port and subscribers connect to the pod',
  source:
    'vllm/distributed/kv_events.py ZmqEventPublisher._socket_setup ("bind if wildcard / * present, else connect": bind for `*`, `::`, ipc://, inproc://), the same since KV cache events came in vLLM v0.9.0 through the main branch (b4e69e0); vLLM docs and llm-d guides publish on tcp://*:5557',
  check(o) {
    return workloadVllmLines(o.manifest).flatMap(endpointProblem);
  },
};
