import { expandParameters, TreeScript, variablesOf } from './script-text';
import { invocationOf, scriptCommandsOf, unwrapped } from './script-commands';
import { knownRemoteBase, ListedRemoteBase } from './remote-bases';
import { VALUED_GLOBALS } from './script-applies';

/** The programs whose commands install a release. */
const INSTALLERS = new Set(['kubectl', 'oc', 'helm']);

/** The index of a kubectl/oc command's subcommand, past its global options (`--kubeconfig=…`, `--context X`). */
function subcommandAt(words: readonly string[], at: number): number {
  let i = at + 1;
  while (i < words.length && words[i].startsWith('-')) i += VALUED_GLOBALS.has(words[i]) ? 2 : 1;
  return i;
}

/**
 * A project's release that a script or README of the tree installs from its published artifacts: `kubectl apply
 * --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.12.0/manifests.yaml` (Kueue's
 * documented install), the same with the version in a variable set before it (`VERSION=v0.12.0`), or Kueue's Helm
 * chart at a version (`helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version=0.12.0`), and KServe's
 * release manifests and charts (`helm install kserve oci://ghcr.io/kserve/charts/kserve --version v0.13.0`). What a tree's
 * own objects cannot tell (which Kueue serves them) its install step does.
 */
export function scriptInstalledBases(scripts: readonly TreeScript[]): ListedRemoteBase[] {
  const out: ListedRemoteBase[] = [];
  for (const t of scripts) {
    const vars = singleValued(variablesOf(t.text));
    for (const { tokens } of scriptCommandsOf(t)) {
      const entry = installedEntry(tokens.map((t) => substituted(t, vars)));
      const base = entry === undefined ? undefined : knownRemoteBase(entry);
      if (entry !== undefined && base) out.push({ file: t.script, entry, base });
    }
  }
  return out;
}

/** A remote manifest a command of a script or README applies by URL: `kubectl apply -f https://…/adapter.yaml`. */
export interface RemoteApply {
  /** The script or README, relative to its folder (made absolute by the reader). */
  readonly script: string;
  readonly line: number;
  /** The URL, the script's single-valued variables filled in. */
  readonly url: string;
  /** Written in a Markdown guide: a step a reader runs by hand, not one a delivery runs. */
  readonly guide: boolean;
}

/**
 * Every URL a `kubectl|oc apply|create -f` (or -k) of the scripts and READMEs reads, whether or not the catalogue knows
 * it (scriptInstalledBases): a component installed from its published manifests (an adapter, a CRD release).
 */
export function scriptRemoteApplies(scripts: readonly TreeScript[]): RemoteApply[] {
  return scripts.flatMap((t) => {
    const vars = singleValued(variablesOf(t.text));
    return scriptCommandsOf(t).flatMap(({ line, tokens }) => {
      const words = tokens.map((w) => substituted(w, vars));
      const url = installedEntry(words);
      return url && /^https?:\/\//.test(url) ? [{ script: t.script, line, url, guide: /\.(md|markdown)$/i.test(t.script) }] : [];
    });
  });
}

/** Variables the script gives exactly one literal value: only those can be put in a URL for certain. */
function singleValued(vars: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, values] of vars) if (new Set(values).size === 1) out.set(name, values[0]);
  return out;
}

/**
 * A shell word with `$VAR`, `${VAR}` and `${VAR:-default}` replaced by the script's values; a variable the script sets
 * only to its own default (`V="${V:-v0.13.0}"`, so the caller may override it) or not at all takes the default written
 * (POSIX XCU 2.6.2 "Parameter Expansion"); one with neither stays as written.
 */
function substituted(word: string, vars: Map<string, string>): string {
  const once = (w: string) =>
    expandParameters(w, ({ name, fallback, written }) => {
      const value = vars.get(name);
      const own = value !== undefined && new RegExp(`^\\$\\{${name}:?-`).test(value);
      return value !== undefined && !own ? value : (fallback ?? (own ? value : written));
    });
  return once(once(word));
}

/**
 * The artifact an install command names, as a remote entry the catalogue knows: the URL a kubectl/oc apply or create
 * reads with -f/--filename/-k, or, for `helm install|upgrade` of Kueue's chart, the release manifests of the chart's
 * version (the chart renders the same config/default).
 */
function installedEntry(command: readonly string[]): string | undefined {
  const words = unwrapped(command, INSTALLERS);
  const { program: tool, subcommand, at } = invocationOf(words);
  const verb = subcommandAt(words, at);
  if ((tool === 'kubectl' || tool === 'oc') && /^(apply|create)$/.test(words[verb] ?? '')) {
    for (let i = verb + 1; i < words.length; i++) {
      const joined = /^(?:-f|--filename|-k|--kustomize)=(.+)$/.exec(words[i])?.[1];
      const url = joined ?? (/^(-f|--filename|-k|--kustomize)$/.test(words[i]) ? words[i + 1] : undefined);
      if (url && /^https?:\/\//.test(url) && !url.includes('$')) return url;
    }
  }
  if (tool === 'helm' && /^(install|upgrade)$/.test(subcommand ?? '')) {
    const chart = words.find((w) => /^oci:\/\/registry\.k8s\.io\/kueue\/charts\/kueue$/.test(w) || w === 'kueue/kueue');
    const version = words.map((w, i) => /^--version=(.+)$/.exec(w)?.[1] ?? (w === '--version' ? words[i + 1] : undefined)).find((v) => v !== undefined);
    if (chart && version && !version.includes('$')) {
      return `https://github.com/kubernetes-sigs/kueue/releases/download/${version.startsWith('v') ? version : `v${version}`}/manifests.yaml`;
    }
    const kserve = words.find((w) => /^oci:\/\/ghcr\.io\/kserve\/charts\/[a-z0-9-]+$/.test(w));
    if (kserve && version && !version.includes('$')) {
      // kserve-runtime-configs renders its ClusterServingRuntimes only with this value (charts/kserve-runtime-configs values.yaml)
      const runtimes = words.some((w) => /^kserve\.servingruntime\.enabled=true$/.test(w) || /^--set=kserve\.servingruntime\.enabled=true$/.test(w));
      return `${kserve}:${version}${runtimes ? ' --set kserve.servingruntime.enabled=true' : ''}`;
    }
  }
  return undefined;
}
