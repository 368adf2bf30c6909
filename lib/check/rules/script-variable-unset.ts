import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { editDistance } from '../../private/edit-distance';
import { shellScriptIndex } from '../command-line';
import { envFromView } from '../container-env';
import { GraphObject } from '../graph-object';
import { ObjectGraph } from '../graph';
import { containersOf, podSpecOf, WORKLOAD_KINDS } from '../pods';
import { ANY_KIND, Problem, Rule } from '../rule';
import { HeredocUse, scriptVariables, setForEveryContainer } from '../shell-variables';
import { flagValue, runningServer } from '../model-servers';
import { SourcedWord } from '../vllm-args';
import { ContainerLine, workloadVllmLines } from '../workload-lines';

/** A script a container runs: its `sh -c` string, or a file of a ConfigMap volume it names. */
interface RunScript {
  readonly text: string;
  /** How the finding names it: `the script of sh -c`, `/scripts/run.sh (ConfigMap setup-scripts, key run.sh)`. */
  readonly named: string;
}

/** The names a container's env sets, and whether an envFrom source of keys the tree does not show may set more. */
interface ContainerEnv {
  readonly names: ReadonlySet<string>;
  readonly unknownSource?: string;
}

/** Parts of variable names too common to tell what a variable is for: two names sharing only these are not alike. */
const GENERIC_PARTS = new Set([
  'NAME',
  'PATH',
  'FILE',
  'HOST',
  'PORT',
  'USER',
  'TYPE',
  'MODE',
  'DATA',
  'LIST',
  'ARGS',
  'OPTS',
  'HOME',
  'TEMP',
  'CONFIG',
  'VALUE',
]);

/** The variables a container's env and envFrom set (kubelet makeEnvironmentVariables), as far as the tree shows their keys. */
function containerEnv(graph: ObjectGraph, container: Loose, ns: string | undefined): ContainerEnv {
  const view = envFromView(graph, container, ns);
  const names = new Set([...mappings(container.env).map((e) => text(e.name) ?? ''), ...view.entries.keys()]);
  return { names, ...(view.unknown.length ? { unknownSource: view.unknown[0] } : {}) };
}

/** The file of a ConfigMap volume of the pod mounted at `file` in the container, with its text, if the tree holds it. */
function mountedScript(graph: ObjectGraph, pod: Loose, container: Loose, file: string, ns: string | undefined): RunScript | undefined {
  for (const mount of mappings(container.volumeMounts)) {
    const at = text(mount.mountPath) ?? '';
    const volume = mappings(pod.volumes).find((v) => v.name === mount.name);
    const source = mapping(volume?.configMap);
    const cm = text(source.name) === undefined ? undefined : graph.find('ConfigMap', text(source.name), ns);
    if (!cm) continue;
    const sub = text(mount.subPath);
    const inside = sub ? (file === at ? sub : undefined) : file.startsWith(`${at.replace(/\/$/, '')}/`) ? path.posix.relative(at, file) : undefined;
    if (inside === undefined) continue;
    const key = text(mappings(source.items).find((i) => i.path === inside)?.key) ?? inside;
    const value = mapping(cm.manifest.data)[key];
    if (typeof value === 'string') return { text: value, named: `${file} (ConfigMap ${text(source.name)}, key ${key})` };
  }
  return undefined;
}

/** The scripts a container runs: the string of `sh -c`, and files of the pod's ConfigMap volumes its command names. */
function scriptsOf(graph: ObjectGraph, pod: Loose, container: Loose, ns: string | undefined): RunScript[] {
  const words = [...strings(container.command), ...strings(container.args)];
  const at = shellScriptIndex(words);
  const inline = at === undefined ? [] : [{ text: words[at], named: `the script of ${words[0]} ${words[at - 1]}` }];
  const files = (at === undefined ? words : words.slice(0, at - 1)).filter((w) => w.startsWith('/'));
  const mounted = files.flatMap((f) => mountedScript(graph, pod, container, f, ns) ?? []);
  return [...inline, ...mounted];
}

/** The name the script or container sets that is most like `name`: close in spelling, or sharing a distinctive part (BUCKET). */
function likeName(name: string, set: readonly string[]): string | undefined {
  const parts = (n: string) => n.split('_').filter((p) => p.length >= 4 && !GENERIC_PARTS.has(p));
  const scored = set
    .filter((s) => s !== name && /^[A-Z_][A-Z0-9_]*$/i.test(s))
    .map((s) => ({ s, d: editDistance(s, name), shared: parts(s).filter((p) => parts(name).includes(p)).length }))
    .filter(({ s, d, shared }) => d <= Math.min(2, Math.floor(Math.min(s.length, name.length) / 4)) || shared > 0);
  scored.sort((a, b) => a.d - b.d || b.shared - a.shared);
  return scored[0]?.s;
}

/** A heredoc's command that sends its objects to the API server (`oc apply -f -`, `kubectl create -f -`). */
const APPLIES = /\b(oc|kubectl)\b.*\b(apply|create)\b/;

/** The finding for one variable a script writes into a heredoc that nothing sets. */
function unsetProblem(where: string, script: RunScript, use: HeredocUse, env: ContainerEnv, near: string | undefined): Problem {
  // an empty metadata.name or namespace of an object the heredoc applies: the API server refuses it, whatever the image sets
  const refused = use.field !== undefined && APPLIES.test(use.command) && !env.unknownSource;
  const certain = refused || (near !== undefined && !env.unknownSource);
  const unless = env.unknownSource
    ? `unless ${env.unknownSource}, which the container's envFrom reads and the tree does not hold, sets it`
    : "unless the image's own environment sets it";
  return {
    ...(certain ? {} : { severity: 'warning' as const }),
    message:
      `${where}: ${script.named} writes \${${use.name}} into the heredoc of line ${use.line} (\`${use.command}\`), but neither the script (no assignment, export, read, for or getopts) ` +
      `nor the container's env sets ${use.name}, so the shell writes an empty string there ${certain ? '(only an image that sets it itself would give it a value)' : `(${unless})`}` +
      (refused
        ? `, and it is the ${use.field} of the object the heredoc applies: the API server refuses an object with an empty ${use.field.split('.')[1]}`
        : '') +
      (near
        ? `; the script sets ${near}, which is likely the one meant: write \${${near}}`
        : `; set ${use.name} before the heredoc, or add it to the container's env`),
  };
}

/**
 * Whether the shell of the script that applies the object fills the variable before the object exists: a Job written
 * in an unquoted heredoc (`cat <<EOF | oc apply -f -`) reaches the cluster with `$NAME` already expanded, so its
 * container never sees the name (POSIX XCU 2.7.4: the outer heredoc's body is expanded as a whole, nested text too).
 */
function filledBefore(o: GraphObject, name: string): boolean {
  return (o.shellFills ?? []).some((e) => e === `$${name}` || e === `\${${name}}`);
}

/** The findings for the scripts of one object's containers. */
function objectProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const pod = podSpecOf(o.manifest) ?? {};
  const ns = graph.namespaceOf(o.manifest);
  return containersOf(o.manifest).flatMap(({ name, container, init }) => {
    const where = `${init ? 'init container' : 'container'} '${name}'`;
    const env = containerEnv(graph, container, ns);
    return scriptsOf(graph, pod, container, ns).flatMap((script) => {
      const vars = scriptVariables(script.text);
      if (vars.opaque) return [];
      const known = [...vars.set, ...env.names];
      const unset = vars.uses.filter((u) => !vars.set.has(u.name) && !env.names.has(u.name) && !setForEveryContainer(u.name) && !filledBefore(o, u.name));
      return unset.filter((u, i) => unset.findIndex((x) => x.name === u.name) === i).map((u) => unsetProblem(where, script, u, env, likeName(u.name, known)));
    });
  });
}

/** The model word of the server a container's line starts, when it is a variable its script and env never set: vLLM's model, another server's model flag. */
function unsetModelWord(c: ContainerLine): { word: SourcedWord; server: string } | undefined {
  if (c.args.invoked) {
    const model = c.args.model();
    const word = c.line.words.find((w) => w.unset && w.word === model);
    return word ? { word, server: 'vLLM' } : undefined;
  }
  const running = runningServer(c.line, c.env, text(c.container.image));
  const given = running && flagValue(running.words, running.server.modelFlags);
  return running && given?.unset ? { word: given, server: running.server.name } : undefined;
}

/** A model server started by a script of the tree with its model in a variable nothing sets: a warning (the image may set it). */
function unsetModelProblems(graph: ObjectGraph, o: GraphObject): Problem[] {
  const ns = graph.namespaceOf(o.manifest);
  return workloadVllmLines(o.manifest).flatMap((c): Problem[] => {
    const found = unsetModelWord(c);
    const name = found?.word.unset;
    if (!found || !name || setForEveryContainer(name) || filledBefore(o, name)) return [];
    const env = containerEnv(graph, c.container, ns);
    if (env.names.has(name)) return [];
    const unless = env.unknownSource
      ? `unless ${env.unknownSource}, which the container's envFrom reads and the tree does not hold, sets it`
      : "unless the image's own environment sets it";
    return [
      {
        severity: 'warning',
        message:
          `${c.where}: ${found.word.from} starts ${found.server} with its model from ${found.word.word}, but neither the script nor the container's env sets ${name}: ` +
          `the shell expands it to nothing (${unless}), so the server starts without the model meant (or takes the next word for it); set ${name} in the container's env or the script`,
      },
    ];
  });
}

/** A script's text, when the file can be read. */
function fileText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * An object a script of the tree applies from an unquoted heredoc (`cat <<EOF | oc apply -f -`, read at the script's
 * line with shellFills): each `$NAME` or `${NAME}` it holds that the script never sets expands to the empty string when
 * the script runs, unless the shell that runs it exports the name, which the files do not show: a warning. Not judged
 * in a README (its reader sets what it names), a workflow or a Makefile (their env blocks and make variables), nor in a script that runs other code in its own shell.
 */
function appliedHeredocProblems(o: GraphObject): Problem[] {
  const fills = o.shellFills ?? [];
  if (!fills.length || !o.file || /\.(md|markdown|ya?ml)$|(^|\/)Makefile$/i.test(o.file)) return [];
  const script = fileText(o.file);
  if (script === undefined) return [];
  const vars = scriptVariables(script);
  if (vars.opaque) return [];
  const names = [...new Set(fills.flatMap((e) => /^\$\{?([A-Za-z_]\w*)\}?$/.exec(e)?.[1] ?? []))];
  const unset = names.filter((n) => !vars.set.has(n) && !setForEveryContainer(n));
  if (!unset.length) return [];
  const use = vars.uses.find((u) => unset.includes(u.name));
  const listed = unset.map((n) => `$${n}`).join(', ');
  return [
    {
      severity: 'warning',
      message:
        `${path.basename(o.file)} applies it from an unquoted heredoc${use ? ` (line ${use.line}, \`${use.command}\`)` : ''} that writes ${listed}, which the script never sets (no assignment, export, read, for or getopts): ` +
        `unless the shell that runs it exports ${unset.length > 1 ? 'them' : 'it'}, the shell writes an empty string there, and an empty name or namespace is refused by the API server; ` +
        `set ${unset.length > 1 ? 'them' : 'it'} in the script (or fail early with \${NAME:?} when unset)`,
    },
  ];
}

export const scriptVariableUnset: Rule = {
  id: 'script-variable-unset',
  title: "a container's shell script writes a variable nothing sets into a heredoc: the shell writes an empty string",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a container hands a script to a shell (sh -c, bash -c, …) or runs a file of a ConfigMap volume of the tree, and an unquoted heredoc of the script (`cat <<EOF`, not `<<'EOF'`) holds `$NAME` or `${NAME}` (not `${NAME:-default}`) that the script does not set anywhere (an assignment, export/local/declare NAME=, read, mapfile, printf -v, for, select, getopts, `${NAME:=…}`) and the container's env does not set (its env entries, the keys of envFrom ConfigMaps and Secrets the tree holds, with their prefix); not judged: a script that runs other code in its own shell (`source`, `.`, `eval`), a variable that the script applying the object from an unquoted heredoc of its own (`cat <<EOF | oc apply -f -` around the whole Job) expands before the object is created, and variables every container has (the shell's own: HOME, PATH, PWD, HOSTNAME, USER, RANDOM, …; the kubelet's service variables); " +
    "an error where the variable is the whole metadata.name or metadata.namespace of an object the heredoc sends to `oc|kubectl apply|create` (the API server refuses an empty name) and no envFrom source of unknown keys could set it, or where the script or container sets a similar name (close in spelling, or sharing a distinctive part: BUCKET_NAME for AWS_S3_BUCKET) and no envFrom source of unknown keys could set it, else a warning (the image's environment or that source may set it). " +
    "Also a warning: a script file of a ConfigMap the container runs starts a model server (vLLM, llama-server, text-generation-launcher, tritonserver, SGLang) whose model argument (vLLM's model, --model, -m, --model-id, --model-path, --model-repository) is a lone $NAME that neither the script nor the container's env sets; " +
    'and an object a script of the tree (not a README) applies from an unquoted heredoc (`cat <<EOF | kubectl apply -f -`) holding `$NAME` or `${NAME}` the script never sets (and that runs no other code in its shell): a warning, since the shell that runs it may export the name',
  example:
    'a Job\'s `/bin/sh` -c script that sets `BUCKET_NAME=$(oc get ob` … and writes `"bucket": "${AWS_S3_BUCKET}"` into a `cat << EOF | oc apply -f-` heredoc',
  fix: 'write the variable the script sets (`${BUCKET_NAME}`), or set the one written before the heredoc (an assignment, or an env entry of the container)',
  source:
    "POSIX shell XCU 2.7.4 Here-Document (an unquoted delimiter expands parameters in the body) and 2.6.2 Parameter Expansion (an unset parameter expands to the empty string unless set -u); kubelet kubelet_pods.go makeEnvironmentVariables (a container's env is its env and envFrom entries, with the service variables)",
  check(o, { graph }) {
    const own = WORKLOAD_KINDS.includes(String(o.manifest.kind)) ? [...objectProblems(graph, o), ...unsetModelProblems(graph, o)] : [];
    return [...own, ...appliedHeredocProblems(o)];
  },
};
