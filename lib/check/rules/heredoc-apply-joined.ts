import { Loose, strings } from '../../manifests/access';
import { shellScriptIndex } from '../command-line';
import { WORKLOAD_KINDS } from '../pods';
import { MULTI_POD_KINDS } from '../pod-templates';
import { Problem, Rule } from '../rule';
import { containersWithLines } from '../written-containers';

/**
 * A line whose heredoc is piped into an apply (`cat << EOF | oc apply -f-`) after other words of the same command:
 * the prefix, the command the heredoc and the pipe belong to, is captured.
 */
const JOINED = /^\s*(\S.*?)\s+cat\s+<<-?\s*(['"]?)([A-Za-z_]\w*)\2\s*\|\s*((?:oc|kubectl)\s+(?:apply|create)\b[^|;&]*)/;

/** Shell words after which a command starts (`then cat <<EOF | oc apply -f -` is a command of its own). */
const COMMAND_START = /(^|\s)(then|do|else|elif|if|while|until|time|!|\{|\()$|[;&|(]$/;

/** A prefix of variable assignments only (`NS=chat cat <<EOF`): the shell exports them to cat, which still reads the heredoc. */
const ASSIGNMENTS_ONLY = /^([A-Za-z_]\w*=("[^"]*"|'[^']*'|\$\([^)]*\)|\S)*\s*)+$/;

/**
 * The lines of a shell script where a heredoc piped into `oc|kubectl apply|create -f -` follows another command's words
 * on the same line, with no `;`, `&&`, `||`, `|` or newline between (`export A=$(x)      cat << EOF | oc apply -f-`):
 * the shell reads one command, whose words are the first command's and `cat`, whose standard input is the heredoc, and
 * whose output goes to the apply (bash manual, Simple Commands, Pipelines, Here Documents). `export A cat` marks two
 * variables and prints nothing, so the apply reads no object ("error: no objects passed to apply").
 */
export function joinedHeredocApplies(script: string): { line: number; before: string; apply: string }[] {
  return script.split('\n').flatMap((l, i) => {
    if (/^\s*#/.test(l)) return [];
    const m = JOINED.exec(l);
    if (!m) return [];
    const before = m[1].trim();
    if (COMMAND_START.test(before) || ASSIGNMENTS_ONLY.test(before)) return [];
    return [{ line: i + 1, before, apply: m[4].trim() }];
  });
}

/** The findings of one container's shell script (`sh -c '…'`). */
function scriptProblems(container: Loose, where: string): Problem[] {
  const words = [...strings(container.command), ...strings(container.args)];
  const at = shellScriptIndex(words);
  if (at === undefined) return [];
  return joinedHeredocApplies(words[at]).map(({ line, before, apply }) => ({
    message:
      `${where}: line ${line} of its shell script runs \`${before}\` and the heredoc piped into \`${apply}\` as one command (nothing separates them): ` +
      `the heredoc becomes the input of \`${before.split(/\s+/)[0]}\` (\`cat\` one more of its words) and \`${apply}\` reads what that command prints, not the heredoc (nothing at all from export: "error: no objects passed to ${apply.split(/\s+/)[1]}"), so the objects are never applied; ` +
      'put the heredoc on a line of its own, or end the first command with `;` or `&&`',
  }));
}

export const heredocApplyJoined: Rule = {
  id: 'heredoc-apply-joined',
  title:
    "a container's shell script writes a heredoc piped into `oc|kubectl apply -f -` after another command on the same line: the heredoc goes to that command and the apply gets nothing",
  severity: 'error',
  appliesTo: [...WORKLOAD_KINDS, ...MULTI_POD_KINDS],
  premise:
    'every container of a pod template whose command hands a script to a shell (`sh -c`, `bash -ec`): a line (not a comment) where `cat << EOF | oc apply -f -` (or kubectl, or create) follows other words with no `;`, `&&`, `||` or `|` before `cat`; not judged: a line where the words before are only variable assignments (`NS=a cat << EOF`, which the shell hands to cat) or a keyword that starts a command (`then`, `do`, `else`, `{`), scripts of ConfigMaps (their consumer may not be a shell)',
  example: "`export TOKEN=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)      cat << EOF | oc apply -f-` in a Job's script",
  fix: 'put the heredoc on a line of its own, or end the first command with `;` or `&&`',
  source:
    'GNU bash manual: Simple Commands (words up to a control operator are one command), Pipelines, Redirections "Here Documents" (the here-document is the input of the command it is written on); kubectl apply with -f - and empty input fails "no objects passed to apply"',
  scope: 'object',
  check(o) {
    return containersWithLines(o.manifest).flatMap(({ where, container }) => scriptProblems(container, where));
  },
};
