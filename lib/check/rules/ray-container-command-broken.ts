import { mappings, mapping, strings, text } from '../../manifests/access';
import { shellScriptIndex, shellWords } from '../command-line';
import { clusterSpecsOf, convertCmdToString, groupTemplates, keepsCommandAsWritten } from '../ray-clusters';
import { Problem, Rule } from '../rule';
import { scriptCommands } from '../shell-commands';

/** The words of a command after `exec`, which runs the program in the shell's place. */
const withoutExec = (words: readonly string[]) => (words[0] === 'exec' ? words.slice(1) : words);

/** Whether words run `ray start` without --block: it starts the Ray processes in the background and returns (ray scripts.py start). */
const nonBlockingRayStart = (words: readonly string[]) =>
  /(^|\/)ray$/.test(words[0] ?? '') && words[1] === 'start' && !words.slice(2).some((w) => w === '--block' || w.startsWith('--block='));

/** The last command the container runs at the top level, when it is a ray start that returns: the command as written. */
function lastNonBlockingRayStart(list: readonly string[]): string | undefined {
  const at = shellScriptIndex(list);
  if (at === undefined) return nonBlockingRayStart(withoutExec(list)) ? list.join(' ') : undefined;
  // the words after the script are its $0, $1, …: the script is what runs
  const top = scriptCommands(list[at]).filter((c) => c.depth === 0);
  const last = top[top.length - 1];
  return last && last.end !== '&' && nonBlockingRayStart(withoutExec(last.words)) ? last.text : undefined;
}

/** The script a `sh -c` of the user's command hands its shell, when it is more than one word: KubeRay's re-joined line splits it. */
function cutScript(list: readonly string[]): { shell: string; script: string; first: string } | undefined {
  const at = shellScriptIndex(list);
  if (at === undefined) return undefined;
  const words = shellWords(list[at]);
  return words.length > 1 ? { shell: list.slice(0, at).join(' '), script: list[at], first: words[0] } : undefined;
}

export const rayContainerCommandBroken: Rule = {
  id: 'ray-container-command-broken',
  title: "a Ray head or worker container's own command, as KubeRay runs it, ends after a ray start without --block, or is cut by KubeRay's rewrite",
  severity: 'error',
  appliesTo: ['RayCluster', 'RayJob', 'RayService', 'RayClusterFleet'],
  premise:
    'the Ray container (the first) of a head or worker group has a command or args, and either (a) KubeRay leaves them as written (they contain "ray start", or ray.io/overwrite-container-cmd is "true") and the last top-level command they run is `ray start` without --block, or (b) KubeRay rewrites them (no "ray start" in them, no annotation) and they hand `sh -c`/`bash -c` a script of more than one word',
  example: 'a RayCluster head container with `command: ["/bin/bash", "-c"]` and args `pip install torch && ray start --head --port=6379`, no annotation',
  fix: 'end the Ray container\'s own command with `ray start … --block` (or run `eval "$KUBERAY_GEN_RAY_START_CMD --block"` under ray.io/overwrite-container-cmd: "true"), or drop command/args and let KubeRay write ray start; to run a step before Ray, put it in args as words KubeRay may re-join (no `bash -c` of its own) or in an init container',
  source:
    'kuberay ray-operator/controllers/ray/common/pod.go BuildPod: when the joined command and args contain "ray start", or the pod template has ray.io/overwrite-container-cmd "true", the container runs as written; otherwise KubeRay joins them with spaces (convertCmdToString) and runs `<joined> && ulimit -n …; ray start … --block` under `/bin/bash -lc --`, so a script given to an inner `bash -c` is split again into words. ray python/ray/scripts/scripts.py start: without --block the command returns once the processes are started',
  scope: 'object',
  check(o) {
    const out: Problem[] = [];
    for (const cluster of clusterSpecsOf(o.manifest)) {
      for (const g of groupTemplates(cluster)) {
        const ray = mappings(mapping(g.template.spec).containers)[0];
        const list = [...strings(ray?.command), ...strings(ray?.args)];
        if (!ray || !list.length) continue;
        const name = text(ray.name) ?? 'unnamed';
        const asWritten = keepsCommandAsWritten(cluster, g.template, ray);
        const problem = asWritten ? endsAfterRayStart(g.at, name, list) : cutByRewrite(g.at, name, list);
        if (problem) out.push(problem);
      }
    }
    return out;
  },
};

function endsAfterRayStart(at: string, name: string, list: readonly string[]): Problem | undefined {
  const last = lastNonBlockingRayStart(list);
  if (!last) return undefined;
  return {
    message:
      `${at}: container '${name}' runs its own command, which KubeRay leaves as written (it contains "ray start" or the template has ray.io/overwrite-container-cmd: "true"), and it ends with \`${last}\` without --block: ` +
      `ray start returns once the Ray processes are started, the command ends, the container exits and is restarted, so the node never stays in the cluster; ` +
      `add --block to that ray start, or drop command/args and let KubeRay write ray start (its rayStartParams)`,
  };
}

function cutByRewrite(at: string, name: string, list: readonly string[]): Problem | undefined {
  const cut = cutScript(list);
  if (cut)
    return {
      message:
        `${at}: container '${name}' hands \`${cut.shell}\` the script "${cut.script}" and its command has no "ray start" as one phrase, so KubeRay rewrites it: ` +
        `it joins command and args with spaces and runs "<them> && ulimit …; ray start … --block" under /bin/bash -lc, where the script is split into words again and \`${cut.shell}\` runs only '${cut.first}' (the other words become its $0, $1, …); ` +
        `give the steps as args without a shell of their own (KubeRay's bash runs them before ray start), use an init container, or set ray.io/overwrite-container-cmd: "true" and end the script with eval "$KUBERAY_GEN_RAY_START_CMD" (workers: --block)`,
    };
  // words KubeRay's bash runs as they are: `ray`, `start` as separate elements read " ray  start " to its test
  const own = scriptCommands(convertCmdToString(list)).find((c) => nonBlockingRayStart(withoutExec(c.words)));
  if (!own) return undefined;
  return {
    message:
      `${at}: container '${name}' runs \`${own.words.join(' ')}\` as separate words, which KubeRay's test for "ray start" in the joined command does not see, so it appends its own: ` +
      `the container runs "<them> && ulimit …; ray start … --block", a second ray start on the ports the first holds, which fails and ends the container; ` +
      `drop command/args and give the flags as rayStartParams, or add --block to the command and set ray.io/overwrite-container-cmd: "true"`,
  };
}
