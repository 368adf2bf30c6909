import { finite, Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { commandLineOf } from '../command-line';
import { runAsOf } from '../container-user';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS, podTemplatesOf } from '../pod-templates';
import { Problem, Rule } from '../rule';

/** Ports below this are privileged: binding one needs CAP_NET_BIND_SERVICE (Linux include/net/sock.h PROT_SOCK, the default of ip_unprivileged_port_start). */
const PRIVILEGED_BELOW = 1024;

/** The sysctl that lowers the first unprivileged port, safe (namespaced, allowed) since Kubernetes 1.22. */
const UNPRIVILEGED_PORT_START = 'net.ipv4.ip_unprivileged_port_start';

/** Flags a server program reads its listening port from. */
const PORT_FLAG = /^--(port|http-port|https-port|listen-port|bind-port|server-port)$/;

/** Servers whose --port is the port they listen on (a client's --port is the port it connects to, so other programs' are not read). */
const SERVER_PROGRAM = /^(.*\/)?(vllm|uvicorn|llama-server|text-generation-launcher|tritonserver|jupyter|vllm\.entrypoints\..*|sglang\.launch_server)$/;

/** sshd's default port (OpenSSH sshd_config(5) Port), unless -p, -o Port or a config file (-f) says another. */
const SSHD_PORT = 22;

/** A program's port the command line states it binds, with what says so. */
interface KnownBind {
  readonly port: number;
  readonly by: string;
}

/** The ports a command line shows its program binding: sshd's (-p, or 22 with no config file of its own), a --port flag's. */
function knownBinds(words: readonly string[]): KnownBind[] {
  const binds: KnownBind[] = [];
  // the program: the first word, or the module a python runs with -m
  const program = /(^|\/)python[0-9.]*$/.test(words[0] ?? '') && words[1] === '-m' ? words[2] : words[0];
  const server = SERVER_PROGRAM.test(program ?? '');
  words.forEach((w, i) => {
    const next = finite(words[i + 1]);
    const [flag, value] = w.includes('=') ? [w.slice(0, w.indexOf('=')), finite(w.slice(w.indexOf('=') + 1))] : [w, next];
    if (server && PORT_FLAG.test(flag) && value !== undefined) binds.push({ port: value, by: `${flag} ${value}` });
    if (!/(^|\/)sshd$/.test(w)) return;
    const rest = words.slice(i + 1);
    const p = rest.indexOf('-p');
    if (p >= 0 && finite(rest[p + 1]) !== undefined) binds.push({ port: finite(rest[p + 1])!, by: `sshd -p ${rest[p + 1]}` });
    else if (!rest.some((r) => r === '-f' || r === '-o')) binds.push({ port: SSHD_PORT, by: `sshd (its default port ${SSHD_PORT})` });
  });
  return binds.filter((b) => b.port > 0 && b.port < PRIVILEGED_BELOW);
}

/** The first unprivileged port the pod's network namespace has: the sysctl the pod sets, else the kernel default. */
function unprivilegedStart(pod: Loose): number {
  const sysctl = mappings(mapping(pod.securityContext).sysctls).find((s) => s.name === UNPRIVILEGED_PORT_START);
  return finite(sysctl?.value) ?? PRIVILEGED_BELOW;
}

/** Why the container's process is not root, or undefined where it may be. */
function nonRoot(container: Loose, pod: Loose): string | undefined {
  const runAs = runAsOf(container, pod);
  if (runAs.uid) return runAs.uid.value !== 0 ? `runs as uid ${runAs.uid.value} (${runAs.uid.from})` : undefined;
  return runAs.nonRootFrom ? `runs as non-root (runAsNonRoot in ${runAs.nonRootFrom})` : undefined;
}

function containerProblem(where: string, container: Loose, pod: Loose): Problem[] {
  const ctx = mapping(container.securityContext);
  if (ctx.allowPrivilegeEscalation !== false || ctx.privileged === true) return [];
  const user = nonRoot(container, pod);
  if (!user) return [];
  const start = unprivilegedStart(pod);
  const known = knownBinds(commandLineOf(container)).filter((b) => b.port < start);
  const declared = mappings(container.ports)
    .map((p) => finite(p.containerPort))
    .filter((p): p is number => p !== undefined && p > 0 && p < start);
  if (!known.length && !declared.length) return [];
  const added = strings(mapping(ctx.capabilities).add).some((c) => /^(CAP_)?NET_BIND_SERVICE$/i.test(c));
  const why =
    `${where} ${user} with allowPrivilegeEscalation: false: ${added ? 'NET_BIND_SERVICE in capabilities.add is only in its bounding and permitted sets, ' : ''}` +
    `Kubernetes gives no ambient capabilities, so a non-root process has none after exec unless its program file carries the capability (setcap cap_net_bind_service=+ep, which stock server images do not set; Linux security/commoncap.c cap_bprm_creds_from_file)`;
  const fix = `listen on a port of ${PRIVILEGED_BELOW} or above (a Service can still expose the old one), or set the pod's sysctl ${UNPRIVILEGED_PORT_START} to the port or below`;
  if (known.length)
    return [
      {
        message: `${why}; its command line binds ${[...new Set(known.map((b) => b.by))].join(', ')}, below ${start}, and bind() fails with EACCES (permission denied): ${fix}`,
      },
    ];
  return [
    {
      severity: 'warning',
      message: `${why}; it declares containerPort ${[...new Set(declared)].join(', ')}, below ${start}: if its program listens there, bind() fails with EACCES (permission denied); ${fix}`,
    },
  ];
}

/** The pod specs of a workload with the prefix their containers are named by: its own pod, or each of its several pod templates. */
function podsOf(m: Loose): { prefix: string; pod: Loose }[] {
  const own = podSpecOf(m);
  return [...(own ? [{ prefix: '', pod: own }] : []), ...podTemplatesOf(m).map((t) => ({ prefix: `${t.path} `, pod: mapping(t.template.spec) }))];
}

export const privilegedPortNonRoot: Rule = {
  id: 'privileged-port-non-root',
  title: 'a non-root container with allowPrivilegeEscalation: false binds a port below 1024: the bind fails, NET_BIND_SERVICE or not',
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise: `a container that runs as non-root (runAsUser other than 0, or runAsNonRoot: true, its own securityContext over the pod's), not privileged, with allowPrivilegeEscalation: false, whose command line binds a port below the pod's first unprivileged port (${UNPRIVILEGED_PORT_START}, 1024 unless the pod's sysctls lower it): sshd with no -p and no config file of its own (-f, -o) binds 22, sshd -p N and the --port flag (--port, --http-port, --listen-port, …) of a server (vllm, uvicorn, llama-server, text-generation-launcher, tritonserver, jupyter, sglang) bind N (an error); a containerPort below it alone only declares the port (a warning); pods on the host network are not judged (the node's sysctl decides)`,
  example:
    'a worker container running `/usr/sbin/sshd -De` with `runAsUser: 1000`, `allowPrivilegeEscalation: false` and `add: [NET_BIND_SERVICE]` in its capabilities',
  fix: `listen on a port of 1024 or above, or set the pod sysctl ${UNPRIVILEGED_PORT_START} at or below the port`,
  source:
    'Linux capabilities(7) (transformation of capabilities during execve: a non-root process keeps only ambient capabilities and those its program file carries); kubernetes/kubernetes#56374 (added capabilities are not ambient) and KEP-2763; containerd/containerd#2516; Kubernetes docs "Using sysctls in a Kubernetes Cluster" (net.ipv4.ip_unprivileged_port_start safe since 1.22)',
  check(o) {
    const m = o.manifest;
    return podsOf(m).flatMap(({ prefix, pod }) => {
      if (pod.hostNetwork === true) return [];
      return [...mappings(pod.initContainers), ...mappings(pod.containers)].flatMap((c) =>
        containerProblem(`${prefix}container '${text(c.name) ?? '<unnamed>'}'`, c, pod),
      );
    });
  },
};
