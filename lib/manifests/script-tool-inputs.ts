import * as fs from 'fs';
import * as path from 'path';
import { TreeScript } from './script-text';
import { invocationOf, scriptCommandsOf, unwrapped } from './script-commands';

/** A file of the tree a script or README gives to a tool as its own input (a Helm values file, a kind cluster configuration). */
export interface ScriptToolInput {
  /** The file, absolute. */
  readonly target: string;
  readonly script: string;
  readonly line: number;
  /** What reads it, in words: `helm's values (-f)`. */
  readonly reader: string;
}

/** The tools whose commands read a file of their own format, and the options that name it. */
const TOOL_FILES: readonly { readonly program: string; readonly verbs: RegExp; readonly option: RegExp; readonly reader: string }[] = [
  // helm install/upgrade/template read values files (-f, --values; helm docs "helm install")
  { program: 'helm', verbs: /^(install|upgrade|template|lint)$/, option: /^(-f|--values)$/, reader: 'Helm values file (helm -f)' },
  // kind create cluster --config (kind docs "Configuration")
  { program: 'kind', verbs: /^create$/, option: /^--config$/, reader: 'kind cluster configuration (kind create cluster --config)' },
  // k3d cluster create --config
  { program: 'k3d', verbs: /^cluster$/, option: /^(-c|--config)$/, reader: 'k3d cluster configuration (k3d cluster create --config)' },
  // kubeadm init/join --config
  { program: 'kubeadm', verbs: /^(init|join)$/, option: /^--config$/, reader: 'kubeadm configuration (kubeadm --config)' },
];
const PROGRAMS = new Set(TOOL_FILES.map((t) => t.program));

/** The paths a command gives to its tool as that tool's input, with what reads them. */
function toolFilesOf(tokens: readonly string[]): { file: string; reader: string }[] {
  const words = unwrapped(tokens, PROGRAMS);
  const { program, subcommand, at } = invocationOf(words);
  const tool = TOOL_FILES.find((t) => t.program === program && t.verbs.test(subcommand ?? ''));
  if (!tool) return [];
  const out: { file: string; reader: string }[] = [];
  for (let i = at + 2; i < words.length; i++) {
    const joined = /^(--[a-z-]+)=(.+)$/.exec(words[i]);
    const value = joined && tool.option.test(joined[1]) ? joined[2] : tool.option.test(words[i]) ? words[++i] : undefined;
    if (value && !/[$*?`]/.test(value) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) out.push({ file: value, reader: tool.reader });
  }
  return out;
}

/**
 * The files of a tree its scripts and READMEs give to a tool as its own input (`helm install … -f values.yaml`, `kind
 * create cluster --config kind.yaml`, through a wrapper function too): no Kubernetes objects to apply. Paths are
 * looked for beside the script, then at the tree's root.
 */
export function scriptToolInputs(root: string, scripts: readonly TreeScript[]): ScriptToolInput[] {
  const out: ScriptToolInput[] = [];
  for (const t of scripts) {
    for (const { tokens, line } of scriptCommandsOf(t)) {
      for (const { file, reader } of toolFilesOf(tokens)) {
        const target = [path.join(root, path.dirname(t.script)), root].map((b) => path.resolve(b, file)).find((f) => fs.existsSync(f));
        if (target && !out.some((o) => o.target === target)) out.push({ target, script: t.script, line, reader });
      }
    }
  }
  return out;
}
