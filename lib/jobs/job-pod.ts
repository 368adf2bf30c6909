import * as fs from 'fs';
import * as kplus from 'cdk8s-plus-33';
import { packagePath } from '../private/package-root';
import { formatMiB, formatMillis } from '../private/quantity';
import { IWorkloadQueue, queueMetadata } from '../cluster/workload-queue';

const k8s = kplus.k8s;

/** The jobs' Python image: Red Hat UBI 9 with Python 3.11 and pip, pinned by digest so every run gets the same bytes. */
export const JOB_IMAGE = 'registry.access.redhat.com/ubi9/python-311@sha256:47e23afaf5daf6a98e76a3b5a924b85bbcb19c72b5c6ac474a418aea54cd8aae';

/** Reads a script shipped in lib/jobs/scripts (the build compiles no Python, so both read the sources' copy). */
export function readJobScript(name: string): string {
  return fs.readFileSync(packagePath('lib', 'jobs', 'scripts', name), 'utf8');
}

/** Resources of a job container. */
export interface JobResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

/**
 * A container that runs a Python script from a ConfigMap under OpenShift's restricted-v2 SCC: non-root, no
 * privilege escalation, all capabilities dropped, read-only root filesystem with a writable `HOME` at /tmp.
 */
export function scriptContainer(opts: {
  readonly name: string;
  readonly image: string;
  readonly script: string;
  readonly pipPackages: readonly string[];
  readonly env: kplus.k8s.EnvVar[];
  readonly resources: JobResources;
  readonly extraMounts?: kplus.k8s.VolumeMount[];
}): kplus.k8s.Container {
  const pip = opts.pipPackages.length
    ? // --target, not --user: the image's Python may be a virtualenv, and the root filesystem is read-only
      `python3 -m pip install --quiet --no-cache-dir --target /tmp/pylib ${opts.pipPackages.map((p) => `'${p}'`).join(' ')} && `
    : '';
  const q = (v: string) => k8s.Quantity.fromString(v);
  return {
    name: opts.name,
    image: opts.image,
    command: ['/bin/sh', '-c', `${pip}exec python3 /scripts/${opts.script}`],
    env: [{ name: 'HOME', value: '/tmp' }, { name: 'PYTHONPATH', value: '/tmp/pylib' }, { name: 'PYTHONUNBUFFERED', value: '1' }, ...opts.env],
    resources: {
      requests: { cpu: q(formatMillis(opts.resources.cpuRequestMillis)), memory: q(formatMiB(opts.resources.memoryRequestMiB)) },
      limits: { cpu: q(formatMillis(opts.resources.cpuLimitMillis)), memory: q(formatMiB(opts.resources.memoryLimitMiB)) },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }, ...(opts.extraMounts ?? [])],
  };
}

/** Pod-level settings shared by the jobs. */
export function scriptPodSecurity(): kplus.k8s.PodSecurityContext {
  return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Volumes every script job has: its script ConfigMap and a writable /tmp. */
export function scriptVolumes(configMapName: string): kplus.k8s.Volume[] {
  return [
    { name: 'scripts', configMap: { name: configMapName } },
    { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } },
  ];
}

/** An environment variable read from one key of a Secret. */
export function secretEnv(name: string, ref: { readonly name: string; readonly key: string }, optional?: boolean): kplus.k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key, ...(optional ? { optional: true } : {}) } } };
}

/** The Job a script job renders, as its queue sees it. */
export interface QueuedJob {
  readonly name: string;
  readonly namespace: string;
  readonly resources: JobResources;
}

/**
 * Admits a CPU-only, one-pod job through its Kueue queue and returns the Job's labels: the queue label is on the
 * Job only (Kueue reads the queue from the Job; its pods and the other objects need none). Without a queue, the
 * labels as they are.
 */
export function admitJob(
  where: string,
  job: QueuedJob,
  labels: Readonly<Record<string, string>>,
  queue: IWorkloadQueue | undefined,
): Readonly<Record<string, string>> {
  if (!queue) return labels;
  if (queue.namespace !== job.namespace) {
    throw new Error(
      `${where}: queue '${queue.localQueueName}' is a LocalQueue of namespace '${queue.namespace}', the job runs in '${job.namespace}'; a workload can only use a LocalQueue of its own namespace`,
    );
  }
  queue.admit({
    workload: `Job/${job.namespace}/${job.name}`,
    pods: 1,
    gpusPerPod: 0,
    cpuMillisPerPod: job.resources.cpuRequestMillis,
    memoryMiBPerPod: job.resources.memoryRequestMiB,
  });
  return { ...labels, ...queueMetadata(queue).labels };
}
