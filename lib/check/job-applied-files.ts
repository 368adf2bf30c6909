import { isMapping, Loose, strings } from '../manifests/access';
import { commandsOf, invocationOf, unwrapped } from '../manifests/script-commands';
import { yamlLib } from '../manifests/yaml-documents';
import type { GraphObject } from './graph-object';
import type { ObjectGraph } from './graph';
import { mountedFilesOf } from './mounted-files';
import { containersOf } from './pods';

/**
 * Manifests a Job or CronJob applies from a ConfigMap it mounts: a key `x.yaml` mounted into a container whose script
 * runs `oc|kubectl apply|create -f <mount>/x.yaml`. What the file holds is made by the tree when the Job runs, and a
 * file that does not parse fails the command (kubectl refuses the file, applying none of its objects).
 */
export interface JobAppliedFile {
  readonly job: GraphObject;
  /** `container 'apply'`, for messages. */
  readonly where: string;
  readonly path: string;
  /** Where the text is written: `ConfigMap 'platform-manifests' key dsc.yaml`. */
  readonly from: string;
  /** The command that applies it, as written, and its line in the script. */
  readonly command: string;
  readonly line: number;
  /** The objects the file holds (none when it does not parse). */
  readonly manifests: readonly Loose[];
  /** The parser's first error, when the YAML does not parse. */
  readonly error?: string;
  /** Whether the script stops at a failing command (`set -e`, `sh -e`, `bash -e`): nothing after it runs. */
  readonly stopsOnError: boolean;
}

const KUBE = new Set(['oc', 'kubectl']);
const APPLYING = new Set(['apply', 'create', 'replace']);

/** The -f/--filename values of a kubectl command's words. */
function filesOf(words: readonly string[]): string[] {
  return words.flatMap((w, i) => {
    if (w === '-f' || w === '--filename') return words[i + 1] ? [words[i + 1]] : [];
    const m = /^(?:-f=?|--filename=)(.+)$/.exec(w);
    return m ? [m[1]] : [];
  });
}

/** A file's YAML documents as kubectl reads them, or the parser's first error. */
function documentsOf(text: string): { manifests: Loose[]; error?: string } {
  const docs = yamlLib().parseAllDocuments(text, { merge: true, logLevel: 'error' });
  const list = Array.isArray(docs) ? docs : [docs];
  const failed = list.find((d) => d.errors.length);
  if (failed) return { manifests: [], error: failed.errors[0].message.split('\n')[0] };
  return { manifests: list.map((d) => d.toJS() as unknown).filter((m): m is Loose => isMapping(m) && typeof m.kind === 'string') };
}

function appliedBy(job: GraphObject): JobAppliedFile[] {
  return containersOf(job.manifest).flatMap(({ name, container }) => {
    const reader = mountedFilesOf(container);
    if (!reader) return [];
    const words = [...strings(container.command), ...strings(container.args)];
    const script = words.join('\n');
    const stopsOnError = /(^|\n|;|&&)\s*set\s+-[a-z]*e/.test(script) || words.some((w, i) => i < 2 && /^-[a-z]*e[a-z]*$/.test(w));
    return commandsOf('job', script).flatMap((c) => {
      const tokens = unwrapped(c.tokens, KUBE);
      const { program, subcommand } = invocationOf(tokens);
      if (!program || !KUBE.has(program) || !subcommand || !APPLYING.has(subcommand)) return [];
      return filesOf(tokens).flatMap((path) => {
        const file = reader(path);
        if (!file || !/\.ya?ml$/.test(path)) return [];
        return [{ job, where: `container '${name}'`, path, from: file.from, command: c.text, line: c.line, stopsOnError, ...documentsOf(file.text) }];
      });
    });
  });
}

/** Every manifest file the tree's Jobs and CronJobs apply from a ConfigMap they mount (once per graph). */
export function jobAppliedFiles(graph: ObjectGraph): readonly JobAppliedFile[] {
  return graph.once('job-applied-files', () => [...graph.ofKind('Job'), ...graph.ofKind('CronJob')].flatMap(appliedBy));
}
