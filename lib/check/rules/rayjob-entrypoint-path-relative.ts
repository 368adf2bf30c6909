import { isMapping, Loose, mapping, mappings, text } from '../../manifests/access';
import { parseOne } from '../../manifests/yaml-documents';
import { clusterSpecsOf, groupTemplates } from '../ray-clusters';
import { derivedImageOf } from '../../private/image-lineage';
import { Problem, Rule } from '../rule';
import { scriptCommands } from '../shell-commands';

/**
 * Ray's own images (ray-project/ray docker/base-deps Dockerfile: user ray, WORKDIR $HOME, that is /home/ray; ray-ml and
 * ray-llm build on it): `ray start` runs there, and so does a job's driver, unless the container sets workingDir.
 */
const RAY_IMAGE = /(^|\/)rayproject\/ray(-ml|-llm)?([:@]|$)/;
const RAY_HOME = '/home/ray';

/** Programs whose first operand is the file they run (`python3 app/main.py`), unless an option names a module or a program text. */
const INTERPRETER = /^(python[0-9.]*|bash|sh)$/;
const NOT_A_FILE = new Set(['-m', '-c']);

const segments = (path: string) => path.split('/').filter((s) => s && s !== '.');
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/+$/, '')}/`);

/** The relative file a command runs: an interpreter's first operand, or a program written as a relative path. */
function relativeFile(words: readonly string[]): string | undefined {
  const program = words[0] ?? '';
  let file: string | undefined;
  if (INTERPRETER.test(program.replace(/^.*\//, ''))) {
    for (const w of words.slice(1)) {
      if (NOT_A_FILE.has(w)) return undefined;
      if (!w.startsWith('-')) {
        file = w;
        break;
      }
    }
  } else if (program.includes('/')) file = program;
  if (!file || /^[/$~]/.test(file) || file.includes('$') || !file.includes('/')) return undefined;
  return file.replace(/^(\.\/)+/, '');
}

/** A volume mount of the head's Ray container whose last path segments are the file's first ones: where the code is meant to be. */
interface Meant {
  readonly mount: Loose;
  readonly path: string;
  /** The directory the relative path is written from: the mount's path less the segments it shares. */
  readonly from: string;
}

function meantMount(file: string, mounts: readonly Loose[]): Meant | undefined {
  const parts = segments(file);
  for (const mount of mounts) {
    const at = segments(text(mount.mountPath) ?? '');
    for (let k = Math.min(at.length, parts.length - 1); k >= 1; k--) {
      if (at.slice(at.length - k).join('/') !== parts.slice(0, k).join('/')) continue;
      return { mount, path: `/${[...at, ...parts.slice(k)].join('/')}`, from: `/${at.slice(0, at.length - k).join('/')}` };
    }
  }
  return undefined;
}

/** Whether the RayJob's runtime env sets the driver's directory: runtimeEnvYAML's working_dir, or the older base64 runtimeEnv (not read). */
function runtimeWorkingDir(spec: Loose): boolean {
  if (typeof spec.runtimeEnv === 'string' && spec.runtimeEnv) return true;
  const yaml = text(spec.runtimeEnvYAML);
  if (!yaml) return false;
  const parsed = parseOne(yaml);
  if ('error' in parsed) return true; // not read: take it as possibly setting one
  return isMapping(parsed.value) && parsed.value.working_dir !== undefined;
}

/**
 * The directory an image's processes start in, where it is known: Ray's own images' /home/ray, or for an image the
 * tree builds or tags from another, the WORKDIR its Dockerfile sets, else its base's.
 */
function imageDirectory(image: string): { dir: string; how: string } | undefined {
  if (RAY_IMAGE.test(image)) return { dir: RAY_HOME, how: '' };
  const derived = derivedImageOf(image);
  if (!derived) return undefined;
  if (derived.workdir !== undefined) return derived.workdir ? { dir: derived.workdir, how: `: ${derived.how}, which sets WORKDIR` } : undefined;
  return RAY_IMAGE.test(derived.base) ? { dir: RAY_HOME, how: `: ${derived.how}, which keeps its base's WORKDIR` } : undefined;
}

/** A git-sync container of the pod that fills the volume, for the message. */
function filledBy(pod: Loose, volume: string | undefined): string {
  const sync = [...mappings(pod.initContainers), ...mappings(pod.containers)].find(
    (c) => /git-sync/.test(text(c.image) ?? '') && mappings(c.volumeMounts).some((m) => m.name === volume),
  );
  return sync ? `, filled by git-sync (container '${text(sync.name) ?? 'unnamed'}')` : '';
}

function judge(m: Loose): Problem | undefined {
  const spec = mapping(m.spec);
  const entrypoint = text(spec.entrypoint);
  const cluster = clusterSpecsOf(m)[0];
  // a driver given entrypoint resources may be placed on any node; a runtime env's working_dir is where it runs
  if (!entrypoint || !cluster || runtimeWorkingDir(spec)) return undefined;
  if (spec.entrypointNumCpus !== undefined || spec.entrypointNumGpus !== undefined || spec.entrypointResources !== undefined) return undefined;
  const commands = scriptCommands(entrypoint).filter((c) => c.depth === 0);
  if (commands.some((c) => c.words[0] === 'cd' || c.words[0] === 'pushd')) return undefined;
  const head = groupTemplates(cluster)[0];
  const pod = mapping(head.template.spec);
  const ray = mappings(pod.containers)[0];
  if (!ray) return undefined;
  const mounts = mappings(ray.volumeMounts).filter((v) => text(v.mountPath)?.startsWith('/'));
  const workingDir = text(ray.workingDir);
  const image = text(ray.image) ?? '';
  const imageDir = imageDirectory(image);
  const base = workingDir ?? imageDir?.dir;
  for (const c of commands) {
    const file = relativeFile(c.words);
    const meant = file ? meantMount(file, mounts) : undefined;
    if (!file || !meant) continue;
    const resolved = base ? `${base.replace(/\/+$/, '')}/${file}` : undefined;
    if (resolved && mounts.some((v) => under(resolved, text(v.mountPath) ?? ''))) continue;
    const where = workingDir
      ? `the head's workingDir ${workingDir}`
      : imageDir
        ? `${imageDir.dir} (the working directory of ${image}${imageDir.how}; the head container sets no workingDir)`
        : `the image's working directory (${image} is not one whose WORKDIR is known; the head container sets no workingDir)`;
    const looks = resolved ? `looks for ${resolved}` : `finds it only if that directory is ${meant.from}`;
    return {
      ...(base ? {} : { severity: 'warning' as const }),
      message:
        `spec.entrypoint runs \`${c.text}\` with the relative path ${file}: Ray runs the driver on the head in ${where}, so it ${looks}, ` +
        `while the code is in volume '${text(meant.mount.name) ?? 'unnamed'}' mounted at ${text(meant.mount.mountPath)} in ${head.at} container '${text(ray.name) ?? 'unnamed'}'${filledBy(pod, text(meant.mount.name))}; ` +
        `the driver fails with "No such file or directory" and the job fails. Write the absolute path ${meant.path}, ` +
        `or set workingDir: ${meant.from} on the head container, or give runtimeEnvYAML a working_dir`,
    };
  }
  return undefined;
}

export const rayjobEntrypointPathRelative: Rule = {
  id: 'rayjob-entrypoint-path-relative',
  title: "a RayJob's entrypoint runs a file by a relative path that means a volume's mount, while the driver runs from another directory: No such file",
  severity: 'error',
  appliesTo: ['RayJob'],
  premise:
    "a RayJob with spec.entrypoint and spec.rayClusterSpec whose top-level command runs a file by a relative path (an interpreter's first operand, `python3 app/repo/main.py`, or a program written as `scripts/run.sh`; not `-m` or `-c`) whose first segments are the last segments of a volume mount of the head group's Ray container (its first container), " +
    "while the path taken from the driver's directory is under no mount: the head container's workingDir, else /home/ray for Ray's own images (rayproject/ray, ray-ml, ray-llm), else the WORKDIR of an image the tree builds (a Dockerfile's, or its Ray base's where it sets none). " +
    'Not judged: a runtimeEnvYAML with working_dir (or the older base64 runtimeEnv), entrypoint resources (entrypointNumCpus, entrypointNumGpus, entrypointResources: the driver may run on a worker), an entrypoint that changes directory (cd, pushd), an absolute path, a path no mount of the head shares a prefix with (a file in the image). ' +
    "A warning where the head has no workingDir and its image's WORKDIR is not known: it decides",
  example: '`entrypoint: python3 app/repo/main.py` with the code mounted at `/app/repo` (a git-sync volume) in a rayproject/ray head that sets no workingDir',
  fix: 'write the absolute path (`python3 /app/repo/main.py`), or set workingDir on the head container to the directory the path is written from, or give runtimeEnvYAML a working_dir',
  source:
    'kuberay ray-operator/controllers/ray/common/job.go (GetK8sJobCommand: the submitter runs `ray job submit --address … -- <entrypoint>`); ray python/ray/dashboard/modules/job/job_supervisor.py (JobSupervisor runs the entrypoint with a shell in its own working directory, the runtime env working_dir when one is given, on the head node unless entrypoint resources are asked for); ' +
    "ray-project/ray docker/base-deps/Dockerfile (WORKDIR $HOME: /home/ray, where the Ray processes start); POSIX: a relative path resolves against the process's working directory",
  scope: 'object',
  check(o) {
    const problem = judge(o.manifest);
    return problem ? [problem] : [];
  },
};
