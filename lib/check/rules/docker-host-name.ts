import { mapping, stringMap, strings, text } from '../../manifests/access';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { podReferences } from '../pod-references';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/**
 * The host names Docker Desktop's DNS answers for the machine that runs it (docs.docker.com, Docker Desktop
 * networking: host.docker.internal and gateway.docker.internal; docker.for.mac.localhost its old macOS name). A
 * cluster's DNS elsewhere (CoreDNS forwarding to the node's resolver) has no such record.
 */
const DOCKER_HOST_NAME = /\b(host\.docker\.internal|gateway\.docker\.internal|docker\.for\.(?:mac|win)\.localhost)\b/;

/**
 * How the tree says it runs on Docker Desktop: a script or README that uses its kubectl context (script-dev-clusters),
 * or a StorageClass of the tree provisioned by docker.io/hostpath, Docker Desktop's own.
 */
function dockerDesktopSignal(graph: ObjectGraph): boolean {
  return (
    graph.devClusters.some((m) => m.distribution === 'docker-desktop') ||
    graph.ofKind('StorageClass').some((c) => text(c.manifest.provisioner) === 'docker.io/hostpath')
  );
}

/** The places of a workload's pod that name a Docker Desktop host: env values, command and args, and the ConfigMaps of the tree it reads. */
function namings(o: GraphObject, graph: ObjectGraph): { where: string; name: string }[] {
  const found: { where: string; name: string }[] = [];
  const note = (where: string, value: string | undefined) => {
    const m = value === undefined ? null : DOCKER_HOST_NAME.exec(value);
    if (m) found.push({ where, name: m[1] });
  };
  for (const { name, container, init } of containersOf(o.manifest)) {
    const where = `${init ? 'init container' : 'container'} '${name}'`;
    for (const e of Array.isArray(container.env) ? container.env.map(mapping) : []) note(`${where} env ${text(e.name) ?? ''}`, text(e.value));
    note(`${where} command`, strings(container.command).join(' '));
    note(`${where} args`, strings(container.args).join(' '));
  }
  const ns = graph.namespaceOf(o.manifest);
  const read = new Set(
    podReferences(o.manifest)
      .filter((r) => r.kind === 'ConfigMap')
      .map((r) => r.name),
  );
  for (const name of read) {
    const cm = graph.find('ConfigMap', name, ns);
    for (const [key, value] of Object.entries(stringMap(mapping(cm?.manifest).data))) note(`ConfigMap '${name}' key ${key}`, value);
  }
  return found;
}

export const dockerHostName: Rule = {
  id: 'docker-host-name',
  title: "a pod reaches a host by a name only Docker Desktop's DNS answers (host.docker.internal): on other clusters it does not resolve",
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS,
  premise:
    "an env value, the command or args of a container, or a ConfigMap of the tree the pod reads names host.docker.internal, gateway.docker.internal or docker.for.mac.localhost, and the tree does not say it runs on Docker Desktop (a script or README using the docker-desktop kubectl context, a StorageClass provisioned by docker.io/hostpath): then nothing; a warning, since a cluster run inside Docker Desktop's engine (kind, k3d, minikube's docker driver) may resolve it too",
  example: 'an env `OLLAMA_BASE_URL` set to `http://host.docker.internal:11434` in a Deployment converted from a compose file',
  fix: 'name a Service of the cluster (or an ExternalName Service for a host outside it) instead of the Docker Desktop host name',
  source:
    "Docker Desktop networking docs (docs.docker.com/desktop/features/networking: host.docker.internal and gateway.docker.internal resolve inside Docker Desktop only; docker.for.mac.localhost its former name); a cluster's CoreDNS has no record for them (kubernetes.io DNS for Services and Pods)",
  check(o, { graph }) {
    if (dockerDesktopSignal(graph)) return [];
    return namings(o, graph).map((n): Problem => ({
      message: `${n.where} names ${n.name}, a name only Docker Desktop's DNS answers (the machine running Docker Desktop); on any other cluster it does not resolve and the connection fails (unless the cluster runs inside Docker Desktop's engine, as kind or minikube's docker driver can): point it at a Service of the cluster, or an ExternalName Service for a host outside it`,
    }));
  },
};
