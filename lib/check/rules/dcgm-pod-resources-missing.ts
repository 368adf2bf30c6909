import { parseImageReference } from '../../catalog/vllm-images';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { POD_TEMPLATE_KINDS } from '../../k8s/pod-kinds';
import { GoFlag, GoFlagKind, goFlags, lastGoFlag } from '../../private/go-flags';
import { containersOf, podSpecOf } from '../pods';
import { Problem, Rule } from '../rule';

/** The kinds whose pod template the tree writes itself (lib/k8s/pod-kinds.ts). */
export const POD_KINDS = POD_TEMPLATE_KINDS;
/** NVIDIA's exporter image (nvcr.io/nvidia/k8s/dcgm-exporter, Docker Hub's nvidia/dcgm-exporter, mirrors). */
export const EXPORTER_IMAGE = /(^|\/)dcgm-exporter$/;
/** The switch of its Kubernetes mode and its env form (NVIDIA/dcgm-exporter pkg/cmd/app.go CLIKubernetes: --kubernetes, -k, DCGM_EXPORTER_KUBERNETES, default false). */
const KUBERNETES_FLAGS = ['kubernetes', 'k'];
const KUBERNETES_ENV = 'DCGM_EXPORTER_KUBERNETES';
/** Where it reads the kubelet's pod-resources socket (app.go CLIPodResourcesKubeletSocket, its env and its default). */
const SOCKET_FLAG = 'pod-resources-kubelet-socket';
const SOCKET_ENV = 'DCGM_POD_RESOURCES_KUBELET_SOCKET';
const DEFAULT_SOCKET = '/var/lib/kubelet/pod-resources/kubelet.sock';
/** The truths Go's strconv.ParseBool reads, as urfave/cli reads a BoolFlag's env. */
const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];

/** The exporter's flags as urfave/cli reads them (a Go flag.FlagSet: one dash or two, the last given wins): the switch is a boolean. */
const flagKind = (name: string): GoFlagKind => (KUBERNETES_FLAGS.includes(name) ? 'bool' : name === SOCKET_FLAG ? 'value' : undefined);

/** The value the socket flag is given on the command line; undefined when not given. */
function socketFlag(flags: readonly GoFlag[]): string | undefined {
  const given = lastGoFlag(flags, SOCKET_FLAG);
  return given && (given.value ?? '');
}

/** Whether the exporter maps GPUs to pods: the flag on the command line (bare or =true), else its env. */
function kubernetesMode(flags: readonly GoFlag[], env: ReadonlyMap<string, string>): boolean {
  const given = lastGoFlag(flags, ...KUBERNETES_FLAGS);
  if (given) return given.value === undefined || GO_TRUE.includes(given.value);
  return GO_TRUE.includes(env.get(KUBERNETES_ENV) ?? 'false');
}

/** Whether a mount of the container covers the path (its mountPath is the path or a folder holding it). */
function mounted(container: Loose, path: string): boolean {
  return mappings(container.volumeMounts).some((m) => {
    const at = (text(m.mountPath) ?? '').replace(/\/+$/, '');
    return at !== '' && (path === at || path.startsWith(`${at}/`));
  });
}

function problemOf(pod: Loose, c: { name: string; container: Loose }): Problem[] {
  if (!EXPORTER_IMAGE.test(parseImageReference(text(c.container.image) ?? '').repository)) return [];
  const flags = goFlags([...strings(c.container.command), ...strings(c.container.args)], { kind: flagKind });
  const env = new Map(mappings(c.container.env).map((e) => [text(e.name) ?? '', text(e.value) ?? String(e.value ?? '')]));
  if (!kubernetesMode(flags, env)) return [];
  const socket = socketFlag(flags) ?? env.get(SOCKET_ENV) ?? DEFAULT_SOCKET;
  if (mounted(c.container, socket)) return [];
  const folder = socket.replace(/\/[^/]*$/, '');
  const declared = mappings(pod.volumes).find((v) => (text(mapping(v.hostPath).path) ?? '').replace(/\/+$/, '') === folder);
  const volume = declared ? `; the pod declares the hostPath volume '${text(declared.name) ?? '?'}' but container '${c.name}' does not mount it` : '';
  return [
    {
      message:
        `container '${c.name}' runs ${text(c.container.image)} in Kubernetes mode (${KUBERNETES_ENV}=true or --kubernetes) but mounts nothing at ${folder}${volume}: ` +
        `the exporter finds no kubelet socket at ${socket}, logs "No Kubelet socket, ignoring" and exports GPU metrics without their pod, namespace and container labels, so per-pod dashboards and alerts see none; ` +
        `mount a hostPath volume of ${folder} at ${folder} (read-only)`,
    },
  ];
}

export const dcgmPodResourcesMissing: Rule = {
  id: 'dcgm-pod-resources-missing',
  title: "a DCGM exporter in Kubernetes mode that does not mount the kubelet's pod-resources socket: GPU metrics carry no pod labels",
  severity: 'warning',
  appliesTo: POD_KINDS,
  premise:
    `a container of a dcgm-exporter image (its repository's last part) turns on Kubernetes mode (${KUBERNETES_ENV} true as Go reads a bool, or --kubernetes / -k on its command line; off by default) ` +
    `and no volumeMount of it holds the pod-resources socket (--${SOCKET_FLAG} or ${SOCKET_ENV}, default ${DEFAULT_SOCKET}); a hostPath volume the pod declares but the container does not mount counts as missing`,
  example: '`DCGM_EXPORTER_KUBERNETES` `"true"` on `nvcr.io/nvidia/k8s/dcgm-exporter` with no mount of `/var/lib/kubelet/pod-resources`',
  fix: "mount a hostPath volume of /var/lib/kubelet/pod-resources at /var/lib/kubelet/pod-resources in the exporter container, as NVIDIA's dcgm-exporter.yaml does",
  source:
    'NVIDIA/dcgm-exporter pkg/cmd/app.go (flags kubernetes, pod-resources-kubelet-socket and their env) and internal/pkg/transformation/kubernetes.go PodMapper.Process (a missing socket: "No Kubelet socket, ignoring", metrics without pod attributes); its dcgm-exporter.yaml DaemonSet mounts the folder',
  scope: 'object',
  check(o) {
    const pod = podSpecOf(o.manifest);
    if (!pod) return [];
    return containersOf(o.manifest)
      .filter((c) => !c.init)
      .flatMap((c) => problemOf(pod, c));
  },
};
