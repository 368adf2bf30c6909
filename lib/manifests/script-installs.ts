import { logicalLines, TreeScript, variablesOf } from './render-scripts';
import { knownRemoteBase, ListedRemoteBase } from './remote-bases';

/**
 * A project's release that a script or README of the tree installs from its published artifacts: `kubectl apply
 * --server-side -f https://github.com/kubernetes-sigs/kueue/releases/download/v0.12.0/manifests.yaml` (Kueue's
 * documented install), the same with the version in a variable set before it (`VERSION=v0.12.0`), or Kueue's Helm
 * chart at a version (`helm install kueue oci://registry.k8s.io/kueue/charts/kueue --version=0.12.0`). What a tree's
 * own objects cannot tell (which Kueue serves them) its install step does.
 */
export function scriptInstalledBases(scripts: readonly TreeScript[]): ListedRemoteBase[] {
  const out: ListedRemoteBase[] = [];
  for (const { script, text } of scripts) {
    const vars = singleValued(variablesOf(text));
    const markdown = /\.md$/i.test(script);
    let fenced = false;
    for (const { text: line } of logicalLines(text)) {
      // of a Markdown file, only the commands of its fenced blocks
      if (markdown && /^\s*(`{3,}|~{3,})/.test(line)) fenced = !fenced;
      if ((markdown && !fenced) || /^\s*#/.test(line)) continue;
      for (const command of line.split(/&&|\|\||;/)) {
        const entry = installedEntry(substituted(command, vars));
        const base = entry === undefined ? undefined : knownRemoteBase(entry);
        if (entry !== undefined && base) out.push({ file: script, entry, base });
      }
    }
  }
  return out;
}

/** Variables the script gives exactly one literal value: only those can be put in a URL for certain. */
function singleValued(vars: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, values] of vars) if (new Set(values).size === 1) out.set(name, values[0]);
  return out;
}

/** A command with `$VAR` and `${VAR}` replaced by the script's values; a variable without one stays as written. */
function substituted(command: string, vars: Map<string, string>): string {
  return command.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (all, braced: string | undefined, bare: string | undefined) => vars.get(braced ?? bare ?? '') ?? all,
  );
}

/**
 * The artifact an install command names, as a remote entry the catalogue knows: the URL a kubectl/oc apply or create
 * reads with -f/--filename/-k, or, for `helm install|upgrade` of Kueue's chart, the release manifests of the chart's
 * version (the chart renders the same config/default).
 */
function installedEntry(command: string): string | undefined {
  const words = [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  const at = words[0] === 'sudo' ? 1 : 0;
  const tool = words[at]?.replace(/^.*\//, '');
  if ((tool === 'kubectl' || tool === 'oc') && /^(apply|create)$/.test(words[at + 1] ?? '')) {
    for (let i = at + 2; i < words.length; i++) {
      const joined = /^(?:-f|--filename|-k|--kustomize)=(.+)$/.exec(words[i])?.[1];
      const url = joined ?? (/^(-f|--filename|-k|--kustomize)$/.test(words[i]) ? words[i + 1] : undefined);
      if (url && /^https?:\/\//.test(url) && !url.includes('$')) return url;
    }
  }
  if (tool === 'helm' && /^(install|upgrade)$/.test(words[at + 1] ?? '')) {
    const chart = words.find((w) => /^oci:\/\/registry\.k8s\.io\/kueue\/charts\/kueue$/.test(w) || w === 'kueue/kueue');
    const version = words.map((w, i) => /^--version=(.+)$/.exec(w)?.[1] ?? (w === '--version' ? words[i + 1] : undefined)).find((v) => v !== undefined);
    if (chart && version && !version.includes('$')) {
      return `https://github.com/kubernetes-sigs/kueue/releases/download/${version.startsWith('v') ? version : `v${version}`}/manifests.yaml`;
    }
  }
  return undefined;
}
