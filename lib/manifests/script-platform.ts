import { TreeScript } from './script-text';
import { invocationOf, scriptCommandsOf } from './script-commands';

/** A command of a tree's script or README that only one platform's client runs. */
export interface ScriptPlatformMark {
  readonly file: string;
  readonly line: number;
  /** The command as the platform's client names it: `oc apply`, `oc new-project`. */
  readonly command: string;
}

/**
 * `oc`, the OpenShift client, run against a cluster (`oc apply -f …`, `oc new-project`, `oc get route`): a tree whose
 * scripts or README drive the cluster with it is deployed to OpenShift, whatever its objects say. Its first command
 * per file is enough; `oc version`, `oc help` and `oc completion` need no cluster and tell nothing.
 */
export function scriptPlatformMarks(scripts: readonly TreeScript[]): ScriptPlatformMark[] {
  const out: ScriptPlatformMark[] = [];
  for (const t of scripts) {
    for (const { line, tokens } of scriptCommandsOf(t)) {
      const { program, subcommand: verb = '' } = invocationOf(tokens);
      if (program !== 'oc' || !/^[a-z][a-z-]*$/.test(verb) || CLIENT_ONLY.has(verb)) continue;
      out.push({ file: t.script, line, command: `oc ${verb}` });
      break;
    }
  }
  return out;
}

/** oc subcommands that do not talk to a cluster. */
const CLIENT_ONLY = new Set(['version', 'help', 'completion', 'options', 'plugin', 'config']);
