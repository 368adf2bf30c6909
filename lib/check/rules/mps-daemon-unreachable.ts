import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { ARGO_WORKFLOW_KINDS, argoWorkflowPods, argoWorkflowSpec } from '../argo-workflow-pods';
import { ObjectGraph } from '../graph';
import { GraphObject } from '../graph-object';
import { perRun } from '../../private/run-memo';
import { MULTI_POD_KINDS, templatePods } from '../pod-templates';
import { podSpecOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Where CUDA looks for the MPS control daemon's pipes when CUDA_MPS_PIPE_DIRECTORY is unset (NVIDIA MPS docs, "Environment variables"). */
const DEFAULT_PIPE_DIRECTORY = '/tmp/nvidia-mps';

/** A command that starts the MPS control daemon (`-d` as a daemon, `-f` in the foreground). */
const STARTS_DAEMON = /\bnvidia-cuda-mps-control\s+-[df]\b/;

/** One pod of the tree, as the MPS daemon and its clients are judged. */
interface MpsPod {
  readonly object: GraphObject;
  /** Where in the object the pod is written (`spec.templates[1] (gpu-allocation)`), '' for a workload's own pod. */
  readonly where: string;
  readonly spec: Loose;
  /** The commands its containers run: command, args, and an Argo script template's source. */
  readonly commands: string;
}

/** The pods of one object: a workload's, or each of the templates of an object that runs several (Argo's with their script's source). */
function podsOf(o: GraphObject): MpsPod[] {
  const m = o.manifest;
  const commandsOf = (spec: Loose, extra = '') =>
    [...mappings(spec.containers), ...mappings(spec.initContainers)].map((c) => [...strings(c.command), ...strings(c.args)].join(' ')).join('\n') + extra;
  if (ARGO_WORKFLOW_KINDS.includes(String(m.kind))) {
    const { spec, path } = argoWorkflowSpec(m);
    const templates = mappings(spec.templates);
    return argoWorkflowPods(spec, path).map((p) => {
      const source = text(mapping(templates[Number(/templates\[(\d+)\]/.exec(p.path)?.[1])]?.script).source) ?? '';
      const pod = mapping(p.template.spec);
      return { object: o, where: p.path, spec: pod, commands: commandsOf(pod, `\n${source}`) };
    });
  }
  if (MULTI_POD_KINDS.includes(String(m.kind)))
    return templatePods(m).map((p) => ({
      object: o,
      where: p.prefix.replace(/\.$/, ''),
      spec: mapping(p.manifest.spec),
      commands: commandsOf(mapping(p.manifest.spec)),
    }));
  const spec = podSpecOf(m);
  return spec ? [{ object: o, where: '', spec, commands: commandsOf(spec) }] : [];
}

/** The env value a pod's containers give a variable, or an `export NAME=value` its commands run. */
function envOf(pod: MpsPod, name: string): string | undefined {
  for (const c of mappings(pod.spec.containers)) {
    const e = mappings(c.env).find((x) => x.name === name);
    if (e && typeof e.value === 'string') return e.value;
  }
  return new RegExp(String.raw`\b${name}=["']?([^\s"';]+)`).exec(pod.commands)?.[1];
}

/** The node's path a pod's directory is on, when a hostPath volume is mounted over it (or over a folder above it). */
function hostPathOf(pod: MpsPod, dir: string): string | undefined {
  const volumes = new Map(mappings(pod.spec.volumes).map((v) => [text(v.name), v]));
  for (const c of mappings(pod.spec.containers))
    for (const mount of mappings(c.volumeMounts)) {
      const at = (text(mount.mountPath) ?? '').replace(/\/+$/, '');
      const host = text(mapping(volumes.get(text(mount.name))?.hostPath).path);
      if (host !== undefined && at && (dir === at || dir.startsWith(`${at}/`))) return `${host.replace(/\/+$/, '')}${dir.slice(at.length)}`;
    }
  return undefined;
}

/** The MPS daemons of the tree and the pods that look to be their clients, read once per run. */
function mpsPods(graph: ObjectGraph): { daemons: MpsPod[]; clients: MpsPod[] } {
  const pods = graph.objects
    .filter((o) => WORKLOAD_KINDS.includes(String(o.manifest.kind)) || MULTI_POD_KINDS.includes(String(o.manifest.kind)))
    .flatMap(podsOf);
  const daemons = pods.filter((p) => p.commands.includes('nvidia-cuda-mps-control') && STARTS_DAEMON.test(p.commands));
  // a client: a pod that names the pipe directory, or shares the host's IPC namespace to run on a GPU
  const usesGpu = (p: MpsPod) =>
    envOf(p, 'NVIDIA_VISIBLE_DEVICES') !== undefined ||
    mappings(p.spec.containers).some((c) =>
      Object.keys({ ...mapping(mapping(c.resources).limits), ...mapping(mapping(c.resources).requests) }).some((r) => /^nvidia\.com\/gpu/.test(r)),
    );
  const clients = daemons.length
    ? pods.filter((p) => !daemons.includes(p) && (envOf(p, 'CUDA_MPS_PIPE_DIRECTORY') !== undefined || (p.spec.hostIPC === true && usesGpu(p))))
    : [];
  return { daemons, clients };
}

const named = (p: MpsPod) => {
  const metadata = mapping(p.object.manifest.metadata);
  const name = text(metadata.name) ?? (text(metadata.generateName) ? `${text(metadata.generateName)}…` : '<no name>');
  return `${p.object.manifest.kind}/${name}${p.where ? ` ${p.where}` : ''}`;
};
const pipeDirectory = (p: MpsPod) => envOf(p, 'CUDA_MPS_PIPE_DIRECTORY') ?? DEFAULT_PIPE_DIRECTORY;

export const mpsDaemonUnreachable: Rule = {
  id: 'mps-daemon-unreachable',
  title:
    "a pod that starts the CUDA MPS control daemon and the pods that use it do not share the host's IPC namespace and pipe directory: the clients cannot reach the daemon",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    "a pod of the tree runs `nvidia-cuda-mps-control -d` (or -f) in its command, args or Argo script source, and the tree holds its clients: other pods that set CUDA_MPS_PIPE_DIRECTORY, or that set hostIPC: true and run on a GPU (a nvidia.com/gpu request or NVIDIA_VISIBLE_DEVICES); an error on the daemon's pod when it lacks hostIPC while a client sets it, or when its pipe directory (CUDA_MPS_PIPE_DIRECTORY, else /tmp/nvidia-mps) is on no hostPath volume; on a client that lacks hostIPC while the daemon sets it, or whose pipe directory is not the daemon's hostPath; not judged: the GPU Operator's own MPS sharing (a device-plugin config's sharing.mps runs the daemon itself: no pod of the tree starts it)",
  example: 'a DaemonSet whose container runs `nvidia-cuda-mps-control -d` with no hostIPC, while the Deployment that shares the GPU sets `hostIPC: true`',
  fix: 'set hostIPC: true on the daemon pod and on every client, and mount the same hostPath directory at the pipe directory (CUDA_MPS_PIPE_DIRECTORY, default /tmp/nvidia-mps) in each',
  source:
    'NVIDIA Multi-Process Service documentation: clients reach the control daemon through the named pipes in CUDA_MPS_PIPE_DIRECTORY (default /tmp/nvidia-mps) and shared memory, so containers must share the host IPC namespace (docker --ipc=host) and the pipe directory; a client that finds no daemon runs without MPS, and on a GPU set to EXCLUSIVE_PROCESS its second process fails',
  check(o, { graph }) {
    const { daemons, clients } = perRun('mps-pods', [graph], () => mpsPods(graph));
    if (!daemons.length || !clients.length) return [];
    return [
      ...daemons.filter((d) => d.object === o).flatMap((d) => daemonProblems(d, clients)),
      ...clients.filter((c) => c.object === o).flatMap((c) => clientProblems(c, daemons)),
    ];
  },
};

function daemonProblems(d: MpsPod, clients: readonly MpsPod[]): Problem[] {
  const at = d.where ? `${d.where}: ` : '';
  const out: Problem[] = [];
  const sharing = clients.filter((c) => c.spec.hostIPC === true);
  if (d.spec.hostIPC !== true && sharing.length)
    out.push({
      message: `${at}the pod starts the CUDA MPS control daemon (nvidia-cuda-mps-control) without hostIPC: true, while its clients ${sharing.map(named).join(', ')} set it: the daemon's shared memory is in the pod's own IPC namespace, so the clients cannot reach it; set hostIPC: true on the daemon pod`,
    });
  const pipes = pipeDirectory(d);
  if (hostPathOf(d, pipes) === undefined)
    out.push({
      message: `${at}the pod starts the CUDA MPS control daemon with its pipe directory ${pipes} on no hostPath volume: clients in other pods (${clients.map(named).join(', ')}) never see its pipes; mount a hostPath directory there, and the same one in each client`,
    });
  return out;
}

function clientProblems(c: MpsPod, daemons: readonly MpsPod[]): Problem[] {
  const at = c.where ? `${c.where}: ` : '';
  const out: Problem[] = [];
  const sharing = daemons.filter((d) => d.spec.hostIPC === true);
  if (c.spec.hostIPC !== true && sharing.length)
    out.push({
      message: `${at}the pod uses CUDA MPS without hostIPC: true, while the control daemon's pod ${sharing.map(named).join(', ')} sets it: the pod cannot reach the daemon's shared memory; set hostIPC: true`,
    });
  const hostPipes = daemons.map((d) => hostPathOf(d, pipeDirectory(d))).filter((h): h is string => h !== undefined);
  const own = hostPathOf(c, pipeDirectory(c));
  if (hostPipes.length && (own === undefined || !hostPipes.includes(own)))
    out.push({
      message:
        `${at}the pod's MPS pipe directory ${pipeDirectory(c)} ${own === undefined ? 'is on no hostPath volume' : `is the node's ${own}`}, but the control daemon (${daemons.map(named).join(', ')}) keeps its pipes in the node's ${hostPipes.join(', ')}: ` +
        'the client finds no daemon and runs without MPS (on a GPU set to EXCLUSIVE_PROCESS, its second process fails); mount that hostPath directory at the pipe directory',
    });
  return out;
}
