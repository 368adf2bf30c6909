import { parseImageReference } from '../../catalog/vllm-images';
import { Loose, mapping, strings, text } from '../../manifests/access';
import { containersOf, WORKLOAD_KINDS } from '../pods';
import { Problem, Rule } from '../rule';

/** Programs an image is known to lack, with the source that shows it: only images whose contents are known for sure. */
interface LackingImage {
  readonly repository: string;
  /** Tags of other builds (another base image) that may hold the program: not judged. */
  readonly otherBuild?: RegExp;
  readonly lacks: readonly string[];
  readonly source: string;
}

const LACKING_IMAGES: readonly LackingImage[] = [
  {
    // the image is kept minimal on purpose: curl was asked for and declined (ollama/ollama#9781, "exec: curl: executable
    // file not found in $PATH"; #6641 closed unmerged, "the container here is meant to be minimal"); the ROCm build has another base
    repository: 'ollama/ollama',
    otherBuild: /rocm/i,
    lacks: ['curl'],
    source: 'ollama/ollama#9781',
  },
];

/** Whether a program is run as a command word of a shell script: at a line's start, after an operator, or after a keyword. */
function runsProgram(script: string, program: string): boolean {
  return new RegExp(`(?:^|[;&|(\`!]|\\b(?:until|while|if|then|do|else|exec)\\s)\\s*${program}(?:\\s|$)`, 'm').test(script);
}

/** Whether a script installs the program itself before using it (a package manager's install of it). */
function installs(script: string, program: string): boolean {
  return new RegExp(`\\b(?:apt-get|apt|apk|yum|dnf|microdnf)\\b[^\\n;&|]*\\b(?:install|add)\\b[^\\n;&|]*\\b${program}\\b`).test(script);
}

/** The scripts of a container that its image runs: its command and args, and each exec probe's command, with where. */
function scriptsOf(container: Loose): { where: string; script: string }[] {
  const probes = ['startupProbe', 'readinessProbe', 'livenessProbe']
    .map((p) => ({ where: `its ${p}`, script: strings(mapping(mapping(container[p]).exec).command).join('\n') }))
    .filter((p) => p.script);
  return [{ where: 'its command', script: [...strings(container.command), ...strings(container.args)].join('\n') }, ...probes];
}

export const programNotInImage: Rule = {
  id: 'program-not-in-image',
  title: 'a container runs a program its image is known to lack (curl in ollama/ollama): the command fails, and a loop waiting on it never ends',
  severity: 'warning',
  appliesTo: WORKLOAD_KINDS.filter((k) => k !== 'InferenceService'),
  premise:
    'a container whose image is one whose contents are known for sure (LACKING_IMAGES, each with its source: ollama/ollama, not its ROCm build, has no curl) runs a program the image lacks, as a command word of its command line or shell script (a line start, after ;, &&, ||, |, $( or until/while/if/then/do) or of an exec probe, and does not install it first (apt-get, apk, yum, dnf, microdnf install); a warning, since an image rebuilt under the same tag may add it',
  example: '`until curl -s http://ollama-service:11434/api/tags` in a container of `image: ollama/ollama:latest`',
  fix: "use a program the image has (ollama's own `ollama list` asks its server), or an image that holds the program",
  source: 'ollama/ollama#9781 (curl missing from the Ollama image; exec: "curl": executable file not found in $PATH)',
  scope: 'object',
  check(o) {
    return containersOf(o.manifest).flatMap(({ name, container, init }): Problem[] => {
      const image = parseImageReference(text(container.image) ?? '');
      const known = LACKING_IMAGES.find((i) => i.repository === image.repository && !i.otherBuild?.test(image.tag ?? ''));
      if (!known) return [];
      return scriptsOf(container).flatMap(({ where, script }) =>
        known.lacks
          .filter((program) => runsProgram(script, program) && !installs(script, program))
          .map((program) => {
            const probe = where !== 'its command';
            const then = probe
              ? ', so the probe always fails'
              : /\b(until|while)\b/.test(script)
                ? ', so the loop waiting on it never ends'
                : ', so the command fails';
            return {
              message:
                `${init ? 'init ' : ''}container '${name}' runs ${program} in ${where}, but ${known.repository} has no ${program} (${known.source}): it is not found${then}: ` +
                `use a program the image has, or an image that holds ${program}`,
            };
          }),
      );
    });
  },
};
