import { Loose, mapping, mappings, text } from '../../manifests/access';
import { ObjectGraph } from '../graph';
import type { GraphObject } from '../graph-object';
import { flagValue, pathUnder, runningServer } from '../model-servers';
import { containersOf, podSpecOf, SERVICE_BACKEND_KINDS } from '../pods';
import { Problem, Rule } from '../rule';
import { bindsStaticVolume } from '../static-volumes';
import { vllmInvocation } from '../vllm-args';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/** Kinds whose pods may write a claim before or beside the server: every kind with one pod template. */
const WRITER_KINDS = [...SERVICE_BACKEND_KINDS, 'Job', 'CronJob'];

/** Words of a command line that only start the server (a shell, exec, an interpreter): anything else before it may fill the volume. */
const LAUNCH_WORD = /^((\/usr)?(\/bin\/)?(sh|bash|exec|env|python3?)|-[a-z]*c|-m|-e|-x|-eux|-ex|set)$/;

/** TGI's and TEI's launchers read --model-id from MODEL_ID when the flag is not given (clap `env`). */
const MODEL_ENV: Readonly<Record<string, string>> = { 'Text Generation Inference': 'MODEL_ID', 'Text Embeddings Inference': 'MODEL_ID' };

/** The model path a container's server reads at start, and the name of the program, when it is a local path. */
export function localModel(c: ContainerLine): { path: string; server: string; flag: string; start: number; lazy: boolean } | undefined {
  const words = c.line.words.map((w) => w.word);
  if (c.args.invoked) {
    const model = c.args.model();
    const start = vllmInvocation(words)?.start ?? 0;
    return model?.startsWith('/') ? { path: model, server: 'vLLM', flag: '--model', start: Math.max(0, start - 2), lazy: false } : undefined;
  }
  const running = runningServer(c.line, c.env, text(c.container.image));
  const name = running && MODEL_ENV[running.server.name];
  const fromEnv = name ? c.env.find((e) => e.name === name)?.value : undefined;
  const given = running && (flagValue(running.words, running.server.modelFlags)?.word ?? fromEnv);
  if (!running || !given?.startsWith('/')) return undefined;
  const start = Math.max(0, c.line.words.indexOf(running.words[0]) - 1);
  // Triton in poll or explicit mode loads models placed later: the repository may be filled after start
  const lazy = /^(poll|explicit)$/.test(flagValue(running.words, ['--model-control-mode'])?.word ?? '');
  const flag = flagValue(running.words, running.server.modelFlags) || !name ? running.server.modelFlags[0] : name;
  return { path: given, server: running.server.name, flag, start, lazy };
}

/** The mount of the container holding the path: the longest mountPath that is the path or a parent of it. */
function mountOf(container: Loose, path: string): Loose | undefined {
  return mappings(container.volumeMounts)
    .filter((m) => pathUnder(path, text(m.mountPath) ?? ''))
    .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];
}

const writes = (container: Loose, volume: string) => mappings(container.volumeMounts).some((m) => m.name === volume && m.readOnly !== true);

/** Whether a workload of the tree other than the server's own container mounts the claim writable (a download Job, a loader Deployment). */
function claimWritten(graph: ObjectGraph, claim: string, namespace: string | undefined, server: Loose): boolean {
  return WRITER_KINDS.flatMap((k) => graph.ofKind(k)).some((w) => {
    if (graph.namespaceOf(w.manifest) !== namespace) return false;
    const volumes = mappings(podSpecOf(w.manifest)?.volumes).filter((v) => mapping(v.persistentVolumeClaim).claimName === claim);
    return volumes.some((v) => containersOf(w.manifest).some((c) => c.container !== server && writes(c.container, String(v.name))));
  });
}

/**
 * CSI drivers that mount a store filled elsewhere rather than provision an empty volume: CernVM-FS
 * (cvmfs-contrib/cvmfs-csi, driver cvmfs.csi.cern.ch: a claim mounts the published repositories, read-only), Mountpoint
 * for Amazon S3 (awslabs/mountpoint-s3-csi-driver, s3.csi.aws.com: an existing bucket) and Cloud Storage FUSE
 * (GoogleCloudPlatform/gcs-fuse-csi-driver, gcsfuse.csi.storage.gke.io: an existing bucket).
 */
const PRESENTING_DRIVERS = new Set(['cvmfs.csi.cern.ch', 's3.csi.aws.com', 'gcsfuse.csi.storage.gke.io']);

/**
 * Why a claim may hold data the tree does not show being written, if it may: bound to a pre-provisioned PersistentVolume
 * (by volumeName, a volume's claimRef, class '' or a volume of the tree that satisfies it: an FSx or NFS export, a
 * hostPath, a disk that exists already); only ReadOnlyMany (nothing can write through it, so what it serves is placed before); or of a
 * class whose driver mounts an existing store (the StorageClass's provisioner, else a class named after CernVM-FS, the
 * name its chart gives its classes).
 */
function presentsData(claim: GraphObject, graph: ObjectGraph): boolean {
  const spec = mapping(claim.manifest.spec);
  if (bindsStaticVolume(graph, claim)) return true;
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes.map(String) : [];
  if (modes.length && modes.every((m) => m === 'ReadOnlyMany')) return true;
  const className = text(spec.storageClassName);
  if (!className) return false;
  const sc = graph.find('StorageClass', className, undefined);
  const provisioner = sc && text(sc.manifest.provisioner);
  return provisioner ? PRESENTING_DRIVERS.has(provisioner) : /(^|-)cvmfs($|-)/.test(className);
}

function containerProblems(m: Loose, c: ContainerLine, graph: ObjectGraph): Problem[] {
  const model = localModel(c);
  if (!model) return [];
  // a script that runs something before the server (a download, a copy) may fill the volume itself
  if (c.line.words.slice(0, model.start).some((w) => !LAUNCH_WORD.test(w.word) && !w.word.startsWith('/'))) return [];
  const mount = mountOf(c.container, model.path);
  const volume = mappings(podSpecOf(m)?.volumes).find((v) => v.name === mount?.name);
  if (!mount || !volume) return [];
  const name = String(volume.name);
  if (containersOf(m).some((o) => o.container !== c.container && writes(o.container, name))) return [];
  const reads = `${c.where} runs ${model.server} with ${model.flag} ${model.path}, on volume '${name}' mounted at ${String(mount.mountPath)}`;
  if (volume.emptyDir !== undefined) {
    return [
      {
        ...(model.lazy ? { severity: 'warning' as const } : {}),
        message: `${reads}, an emptyDir that no init container or other container of the pod writes: it starts empty, so the server starts with no model${model.lazy ? ' (in poll or explicit model-control mode, until something places one there)' : ' and fails or serves nothing'}; add an init container that downloads the model into '${name}', or mount a volume that holds it (a filled PVC, an image volume)`,
      },
    ];
  }
  const claim = text(mapping(volume.persistentVolumeClaim).claimName);
  const pvc = claim && graph.find('PersistentVolumeClaim', claim, graph.namespaceOf(m));
  if (!claim || !pvc) return [];
  const spec = mapping(pvc.manifest.spec);
  if (presentsData(pvc, graph)) return [];
  if (spec.dataSource !== undefined || spec.dataSourceRef !== undefined || claimWritten(graph, claim, graph.namespaceOf(m), c.container)) return [];
  return [
    {
      severity: 'warning',
      message: `${reads}, PersistentVolumeClaim '${claim}', which the tree creates empty (no dataSource) and which no init container, sidecar or Job of the tree writes: unless something outside the tree copies the model there first, the server starts with no model; add a Job or init container that downloads it into the claim, or give the claim a dataSource holding it`,
    },
  ];
}

export const modelPathNotFilled: Rule = {
  id: 'model-path-not-filled',
  title: 'a model server reads its model from a local path on an emptyDir (or a fresh claim) that nothing in the tree fills',
  severity: 'error',
  appliesTo: SERVICE_BACKEND_KINDS,
  premise:
    'a container starts vLLM with a local model path (`--model /models/x` or the positional model), Triton with --model-repository, TGI or TEI with --model-id /path (or MODEL_ID=/path), llama.cpp with --model, or SGLang with --model-path, and the path lies under one of its volumeMounts: an error when that volume is an emptyDir that no other container of the pod (init container, sidecar) mounts writable and the server\'s own command runs nothing before the server; a warning when it is a PersistentVolumeClaim the tree creates with no dataSource and no workload or Job of the tree mounts writable (something outside the tree may fill it), unless the claim may present existing data: bound to a pre-provisioned PersistentVolume (spec.volumeName, a PersistentVolume of the tree whose claimRef names it, `storageClassName: ""` which only such volumes bind, or a PersistentVolume of the tree of its class that satisfies its size, access modes and selector: an FSx for Lustre or NFS export, a hostPath), ReadOnlyMany only, or of a class whose CSI driver mounts a store filled elsewhere (CernVM-FS, Mountpoint for S3, Cloud Storage FUSE), or Triton polls its repository (--model-control-mode poll or explicit). Not judged: a hub id, a path in the image, a claim not in the tree',
  example: '`command: [tritonserver, --model-repository=/models]` with `- name: model-repository emptyDir: {}`',
  fix: 'add an init container (or a Job, for a claim) that downloads the model into the volume, or mount a volume that already holds it',
  source:
    'Kubernetes: an emptyDir is created empty when the pod is assigned to a node (kubernetes.io docs, "Volumes: emptyDir"); a PersistentVolumeClaim without dataSource is provisioned empty (CSI external-provisioner), unless bound to an existing PersistentVolume (spec.volumeName, a claimRef, class "" or a matching volume: pv_controller.go syncUnboundClaim and findBestMatchForClaim bind an existing volume before provisioning, and provision none for class "") or of a driver that mounts an existing store (cvmfs-contrib/cvmfs-csi docs: read-only CernVM-FS repositories); Triton exits when a model of its repository fails to load and serves none when it is empty (server src/main.cc, --exit-on-error default true); vLLM, TGI and TEI fail to start on a missing local path',
  check(o, { graph }) {
    return workloadVllmLines(o.manifest).flatMap((c) => containerProblems(o.manifest, c, graph));
  },
};
