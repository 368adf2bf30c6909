import { Loose, mapping } from '../../manifests/access';
import { parseQuantity } from '../../private/quantity';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { componentContainers } from '../pod-templates';
import { Problem, Rule } from '../rule';

/**
 * The lowest memory limit any container runtime starts a container in: CRI-O's per-runtime container_min_memory as
 * OpenShift sets it for crun (openshift/machine-config-operator #4516, "as low as 512 KB"); CRI-O's default is 12 MiB
 * (cri-o #7832, container_min_memory), Docker's 6 MiB (moby daemon linuxMinMemory), and runc has no floor of its own:
 * its init process is OOM-killed in the cgroup (libcontainer process_linux.go "container init was OOM-killed (memory
 * limit too low?)").
 */
const LOWEST_RUNTIME_MINIMUM = 512 * 1024;

/** CRI-O's default container_min_memory, quoted in the message (cri-o internal/config/cgmgr VerifyMemoryIsEnough). */
const CRIO_DEFAULT_MINIMUM = 12 * 1024 * 1024;

/** A memory request under this many bytes, written without a unit, is a unit left off: no process runs in under 1 MiB. */
const BARE_REQUEST_FLOOR = 1024 * 1024;

/** Whether a quantity is written as a bare number (a YAML number, or digits without a suffix): bytes. */
const bare = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v));

/** The unit a bare number was likely meant in, for the message. */
const meant = (v: unknown) => (bare(v) ? `; did you mean ${String(v).trim()}Gi (or ${String(v).trim()}Mi)?` : '');

function containerProblems(where: string, container: Loose): Problem[] {
  const resources = mapping(container.resources);
  const limit = mapping(resources.limits).memory;
  const request = mapping(resources.requests).memory;
  const out: Problem[] = [];
  const limitBytes = parseQuantity(limit);
  if (limitBytes !== undefined && limitBytes > 0 && limitBytes < LOWEST_RUNTIME_MINIMUM)
    out.push({
      message: `${where} resources.limits.memory ${JSON.stringify(limit)} is ${limitBytes} bytes${bare(limit) ? ' (a quantity without a suffix counts bytes)' : ''}: no container runtime starts a container under that limit: CRI-O refuses it ("set memory limit ${limitBytes} too low; should be at least ${CRIO_DEFAULT_MINIMUM} bytes" by default, 512 KiB at the lowest), Docker below 6 MiB, and under containerd runc's init is OOM-killed ("container init was OOM-killed (memory limit too low?)"), so the pod never runs${meant(limit)}`,
    });
  const requestBytes = parseQuantity(request);
  if (bare(request) && requestBytes !== undefined && requestBytes > 0 && requestBytes < BARE_REQUEST_FLOOR)
    out.push({
      severity: 'warning',
      message: `${where} resources.requests.memory ${JSON.stringify(request)} is ${requestBytes} bytes (a quantity without a suffix counts bytes): the scheduler reserves almost no memory for it, so the node can be filled past what the container needs and it is evicted or OOM-killed under pressure${meant(request)}`,
    });
  return out;
}

export const memoryQuantityTooSmall: Rule = {
  id: 'memory-quantity-too-small',
  title:
    'a container memory limit below what any container runtime starts a container in (a bare number such as "64" is bytes), or a memory request written as a bare number of bytes under 1 MiB',
  severity: 'error',
  appliesTo: WORKLOAD_KINDS,
  premise:
    'a memory quantity without a suffix counts bytes (apimachinery resource.Quantity). A limit under 512 KiB, the lowest minimum any runtime admits (CRI-O with crun as OpenShift configures it; CRI-O defaults to 12 MiB, Docker to 6 MiB, and runc under containerd has the init process OOM-killed), never starts, on any node: an error. A request written as a bare number under 1 MiB starts but reserves nothing: a warning naming the unit left off. Values that are not quantities (placeholders) are not judged',
  example: 'a vLLM container with `memory: "64"` under resources.limits, meant as 64Gi',
  fix: 'write the unit: memory: 64Gi (Gi, Mi and Ki are powers of two; G, M and k powers of ten)',
  source:
    'k8s.io/apimachinery pkg/api/resource quantity.go (a number without suffix is in base units, bytes); cri-o internal/config/cgmgr VerifyMemoryIsEnough and container_min_memory ("set memory limit … too low; should be at least … bytes", 12 MiB default, per runtime since cri-o #7832; openshift/machine-config-operator #4516 sets 512 KiB for crun); moby daemon/daemon_unix.go linuxMinMemory (6 MiB, moby #41167); opencontainers/runc libcontainer/process_linux.go ("container init was OOM-killed (memory limit too low?)")',
  scope: 'object',
  check(o) {
    // an InferenceService's transformer and explainer containers are limited in pods of their own
    return [
      ...containersOf(o.manifest).map(({ name, container }) => ({ where: `container '${name}'`, container })),
      ...componentContainers(o.manifest),
    ].flatMap(({ where, container }) => containerProblems(where, container));
  },
};
