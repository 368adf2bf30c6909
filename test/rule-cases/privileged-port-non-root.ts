import { ruleFound, severityMessages } from '../util';

/**
 * A non-root process has no capability after exec but the ambient ones, which Kubernetes never sets
 * (kubernetes/kubernetes#56374), or those its program file carries (capabilities(7)); stock server images set none,
 * so it cannot bind a port below ip_unprivileged_port_start (1024 by default).
 */
const worker = (
  container: Record<string, unknown>,
  securityContext: Record<string, unknown> = { runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
  pod: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'node', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'node' } },
    template: { metadata: { labels: { app: 'node' } }, spec: { ...pod, containers: [{ name: 'worker', image: 'worker:1', securityContext, ...container }] } },
  },
});
const sshd = { command: ['/usr/sbin/sshd', '-De'], ports: [{ containerPort: 22, name: 'ssh' }] };

const found = (...objects: object[]) =>
  severityMessages(
    ruleFound(
      'privileged-port-non-root',
      objects.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe('privileged-port-non-root', () => {
  test('sshd on its default port as uid 1000 with NET_BIND_SERVICE added: an error saying why the capability does not help', () => {
    expect(found(worker(sshd))).toEqual([
      [
        'error',
        "container 'worker' runs as uid 1000 (the container's securityContext.runAsUser) with allowPrivilegeEscalation: false: NET_BIND_SERVICE in capabilities.add is only in its bounding and permitted sets, Kubernetes gives no ambient capabilities, so a non-root process has none after exec unless its program file carries the capability (setcap cap_net_bind_service=+ep, which stock server images do not set; Linux security/commoncap.c cap_bprm_creds_from_file); its command line binds sshd (its default port 22), below 1024, and bind() fails with EACCES (permission denied): listen on a port of 1024 or above (a Service can still expose the old one), or set the pod's sysctl net.ipv4.ip_unprivileged_port_start to the port or below",
      ],
    ]);
  });

  test("a server's --port flag is a known bind; runAsNonRoot on the pod counts as non-root; a containerPort alone is a warning", () => {
    const nonRootPod = { securityContext: { runAsNonRoot: true } };
    expect(found(worker({ command: ['vllm', 'serve', 'org/model', '--port=80'] }, { allowPrivilegeEscalation: false }, nonRootPod))).toMatchObject([
      ['error', expect.stringMatching(/runs as non-root \(runAsNonRoot in the pod's securityContext\).*binds --port 80, below 1024/)],
    ]);
    expect(found(worker({ command: ['python3', '-m', 'vllm.entrypoints.openai.api_server', '--port', '443'] }))).toMatchObject([
      ['error', expect.stringMatching(/binds --port 443, below 1024/)],
    ]);
    expect(found(worker({ ports: [{ containerPort: 443 }] }))).toMatchObject([
      ['warning', expect.stringMatching(/it declares containerPort 443, below 1024: if its program listens there/)],
    ]);
    // the sysctl lowered to 400 leaves 443 unprivileged but not 22
    const lowered = { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '400' }] } };
    expect(found(worker({ ports: [{ containerPort: 443 }, { containerPort: 22 }] }, undefined, lowered))).toMatchObject([
      ['warning', expect.stringMatching(/declares containerPort 22, below 400/)],
    ]);
  });

  test('near misses: root, escalation allowed, a port of 1024 or above, the sysctl at 0, the host network, a client --port, sshd with its own config file', () => {
    expect(found(worker(sshd, { runAsUser: 0, allowPrivilegeEscalation: false }))).toEqual([]);
    expect(found(worker(sshd, { runAsUser: 1000 }))).toEqual([]);
    expect(found(worker({ command: ['/usr/sbin/sshd', '-De', '-p', '2222'], ports: [{ containerPort: 2222 }] }))).toEqual([]);
    expect(found(worker(sshd, undefined, { securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } }))).toEqual([]);
    expect(found(worker(sshd, undefined, { hostNetwork: true }))).toEqual([]);
    expect(found(worker({ command: ['python', 'bench.py', '--host', 'vllm', '--port', '80'] }))).toEqual([]);
    expect(found(worker({ command: ['/usr/sbin/sshd', '-De', '-f', '/home/mpiuser/.sshd_config'] }))).toEqual([]);
    // no user stated: the image's user may be root
    expect(found(worker(sshd, { allowPrivilegeEscalation: false }))).toEqual([]);
  });
});
