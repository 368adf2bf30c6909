import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { buildCommandLine, containerPieces } from '../command-line';
import { ObjectGraph } from '../graph';
import { MULTI_POD_KINDS, podTemplatesOf } from '../pod-templates';
import { podSpecOf, SERVICE_BACKEND_KINDS } from '../pods';
import { runningServer } from '../model-servers';
import { Problem, Rule } from '../rule';
import { VllmArgs } from '../vllm-args';
import { probeTargets, vllmDefaultPort, vllmListenPort } from '../vllm-port';
import { loopbackPorts } from '../loopback';
import { allowListText } from '../allow-lists';

/**
 * Ports of containers a platform injects into pods beside the written ones, which a written container may call on
 * localhost: Istio's sidecar (15000-15090: admin 15000, outbound 15001, inbound 15006, HBONE 15008, health 15020-15021,
 * DNS 15053, Prometheus 15090; istio.io "Application requirements", ports used by Istio), Knative's queue-proxy (8012,
 * 8013, 8022, 9090, 9091 and profiling 8008; knative/serving pkg/apis/serving/k8s_validation.go reservedPorts), KServe's agent (9081,
 * pkg/constants InferenceServiceDefaultAgentPort) and the oauth-proxy / kube-rbac-proxy OpenShift AI adds (8443).
 */
const INJECTED_PORTS = new Set([8008, 8012, 8013, 8022, 9090, 9091, 9081, 8443]);
const injected = (port: number) => INJECTED_PORTS.has(port) || (port >= 15000 && port <= 15090);

/** The ports a pod's containers are known to listen on: declared containerPorts, ports their probes knock on, vLLM's and the other model servers' ports. */
function listenedPorts(containers: readonly Loose[]): Set<number> {
  const ports = new Set<number>();
  for (const c of containers) {
    for (const p of mappings(c.ports)) if (typeof p.containerPort === 'number') ports.add(p.containerPort);
    for (const t of probeTargets(c, 'container')) ports.add(t.port);
    const pieces = containerPieces(c, 'the container');
    const line = buildCommandLine(pieces);
    const vllm = vllmListenPort(VllmArgs.of(line.words), vllmDefaultPort(text(c.image)));
    if (vllm) ports.add(vllm.port);
    for (const p of runningServer(line, pieces.env, pieces.image)?.ports ?? []) ports.add(p.port);
  }
  return ports;
}

/**
 * The loopback ports a container's env values, command and args name, each with the field; not an allow-list the
 * program compares requests with (CORS origins, redirect URIs: allowListText), which it never connects to.
 */
function loopbackCalls(c: Loose): { port: number; field: string }[] {
  const words = (key: 'command' | 'args') => strings(c[key]).map((value, i, all) => ({ value, field: key, ...(i > 0 ? { previous: all[i - 1] } : {}) }));
  const texts = [
    ...mappings(c.env).flatMap((e) =>
      typeof e.value === 'string' ? [{ value: e.value, field: `env ${text(e.name) ?? '<unnamed>'}`, env: text(e.name) ?? '' }] : [],
    ),
    ...words('command'),
    ...words('args'),
  ].filter((t) => !allowListText(t));
  const seen = new Set<string>();
  // an address the container binds (--listen=127.0.0.1:9000, BIND_ADDR) is its own listener, not a call
  const binds = (value: string, field: string, i: number, all: readonly { value: string }[]) =>
    BINDING.test(`${field} ${value}`) || (i > 0 && BINDING.test(all[i - 1].value));
  return texts.flatMap(({ value, field }, i, all) =>
    binds(value, field, i, all)
      ? []
      : loopbackPorts(value)
          .map((port) => ({ port, field }))
          .filter((x) => {
            const key = `${x.port}/${x.field}`;
            return !seen.has(key) && seen.add(key) !== undefined;
          }),
  );
}

/** A flag or variable that names an address to listen on. */
const BINDING = /listen|bind/i;

/** What a port is in the tree's Services: a nodePort (any Service: node ports are cluster-wide), or a Service port in the namespace forwarding to another. */
function servicePortOf(graph: ObjectGraph, port: number, namespace: string | undefined): { kind: 'nodePort' | 'port'; service: string } | undefined {
  for (const s of graph.ofKind('Service')) {
    const name = `Service ${text(mapping(s.manifest.metadata).name) ?? '<unnamed>'}`;
    const ports = mappings(mapping(s.manifest.spec).ports);
    if (ports.some((p) => p.nodePort === port)) return { kind: 'nodePort', service: name };
    const forwards = ports.some((p) => p.port === port && p.targetPort !== undefined && p.targetPort !== port);
    if (forwards && graph.namespaceOf(s.manifest) === namespace) return { kind: 'port', service: name };
  }
  return undefined;
}

/** The pod specs of a workload, each with the path it is written at. */
function podSpecs(m: Loose): { spec: Loose; at: string }[] {
  if (MULTI_POD_KINDS.includes(String(m.kind))) return podTemplatesOf(m).map((t) => ({ spec: mapping(t.template.spec), at: `${t.path}.spec` }));
  const spec = podSpecOf(m);
  return spec ? [{ spec, at: '' }] : [];
}

function podProblems(graph: ObjectGraph, m: Loose, spec: Loose, at: string): Problem[] {
  if (spec.hostNetwork === true) return [];
  const containers = [...mappings(spec.initContainers), ...mappings(spec.containers)];
  const listened = listenedPorts(containers);
  return containers.flatMap((c) =>
    loopbackCalls(c).flatMap(({ port, field }): Problem[] => {
      if (listened.has(port) || injected(port)) return [];
      const service = servicePortOf(graph, port, graph.namespaceOf(m));
      if (!service) return [];
      const where = `${at ? `${at} ` : ''}container '${text(c.name) ?? '<unnamed>'}' ${field}`;
      if (service.kind === 'nodePort') {
        return [
          {
            message: `${where} calls localhost:${port}, ${service.service}'s nodePort, and no container of the pod listens on it: a nodePort is opened on the nodes' addresses, not in the pod's network namespace, so the call is refused; call the Service by name (http://<service>.<namespace>.svc:<port>) or the container's own port`,
          },
        ];
      }
      return [
        {
          severity: 'warning',
          message: `${where} calls localhost:${port}, the port of ${service.service}, which forwards to another port, and no container of the pod declares ${port}: localhost reaches the pod's own containers, not the Service, so the call is refused unless a container listens there undeclared; call the Service by name, or localhost on the container's port`,
        },
      ];
    }),
  );
}

export const localhostPortNotServed: Rule = {
  id: 'localhost-port-not-served',
  title: "a container calls localhost:<port> where no container of its pod listens: the port is a Service's nodePort or port, which localhost does not reach",
  severity: 'error',
  appliesTo: [...SERVICE_BACKEND_KINDS, 'Job', 'CronJob', ...MULTI_POD_KINDS],
  premise:
    "a container's env value, command or args name localhost, 127.0.0.1 or [::1] with a port that no container of its pod declares (containerPort), probes or serves as vLLM (--port, default 8000) or another model server of lib/check/model-servers.ts (Triton 8000-8002, TGI, TEI, llama.cpp, Ollama, SGLang), that no injected sidecar uses (Istio 15000-15090, queue-proxy, KServe's agent 9081, oauth-proxy 8443), and the pod is not hostNetwork; not a call: a setting that lists addresses the program compares requests with (an env variable or flag named for CORS, allowed or trusted origins or hosts, redirect or callback URIs, an allow-list; a name with ORIGIN whose value is a comma-separated list of origins: lib/check/allow-lists.ts); an error when the port is a nodePort of a Service of the tree, a warning when it is the port of a Service of the namespace that forwards to another targetPort; any other port is not judged (containers often listen on ports they do not declare)",
  example: 'a Deployment env `value: http://localhost:30080/v1`, with a NodePort Service `nodePort: 30080`',
  fix: 'call the Service by its DNS name (http://<service>.<namespace>.svc:<port>), or localhost on the port the container itself listens on',
  source:
    'Kubernetes networking: the containers of a pod share one network namespace, so localhost reaches only them (kubernetes.io docs, "Pods: networking inside a pod"); kube-proxy opens a nodePort on the nodes\' addresses and a Service port on its cluster IP (pkg/proxy: iptables/nftables rules match the node or service address), neither inside a pod\'s namespace unless it is hostNetwork; an allow-list is compared, not called (Spring Framework spring-web org/springframework/web/cors/CorsConfiguration.java checkOrigin matches the Origin header against the configured strings; RFC 6749 section 3.1.2, the redirect URI is compared and the browser sent there)',
  check(o, { graph }) {
    return podSpecs(o.manifest).flatMap(({ spec, at }) => podProblems(graph, o.manifest, spec, at));
  },
};
