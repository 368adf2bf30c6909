import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, text } from './access';
import { expandParameters, logicalLines, TreeScript, variablesOf, withOwnDefault } from './script-text';
import { asShellReads, Heredoc, heredocsIn } from './heredocs';
import { withoutPrintedText } from './script-commands';
import { parsePatchDocuments } from './yaml-documents';
import { GuideOffer, guideOffer } from './guide-alternatives';
import { computedApplies } from './script-computed-applies';

/** A Markdown guide, whose commands are steps its reader runs. */
const MARKDOWN = /\.(md|markdown)$/i;

/**
 * Objects the deployment scripts of a tree create when they run: `oc|kubectl create configmap|secret|namespace|
 * serviceaccount NAME` and the manifests of heredocs piped into `oc|kubectl apply|create -f -`. They are not manifests
 * of the tree, but a reference to one is no reference to nothing: the script makes it.
 */
export interface ScriptCreated extends GuideOffer {
  readonly kind: string;
  readonly name: string;
  /** The command's `-n`/`--namespace`, or the manifest's own; unknown (the script's context) when unset. */
  readonly namespace?: string;
  /** The script, relative to the checked folder, and the line of the command. */
  readonly script: string;
  readonly line: number;
  /**
   * The object as the command makes it, when the script writes it out: a heredoc's manifest, or a Secret of
   * `create secret generic … --from-literal=KEY=VALUE` with the values the script assigned expanded. Judged for what
   * it puts in the repository, since it is not a file of the tree.
   */
  readonly manifest?: Loose;
  /** The script as a path from where the check runs, as the findings name files. */
  readonly file?: string;
  /**
   * The keys of a Secret the command makes, when the command says them all (secretKeysOf); undefined when it does not
   * (a key from a variable, a folder or an env file), or when the script patches the Secret afterwards.
   */
  readonly keys?: readonly string[];
  /** The command line that makes it (`kubectl create secret generic NAME …`, `cat <<EOF | kubectl apply -f -`). */
  readonly command?: string;
  /** Made from a heredoc's manifest, which the reader also reads as an object of the script's file. */
  readonly heredoc?: true;
  /**
   * Computed by the script (a jq or yq filter selecting the kind, from an operator CSV's alm-examples): its kind is
   * known, its name is not (`name` is the variable or filter holding it) and it has no manifest.
   */
  readonly computed?: true;
  /**
   * A repair step, not an install step: the script reads the object (`kubectl get secret NAME`) before it makes it, so
   * it re-creates one something else made first, and no other script or README of the tree runs it.
   */
  readonly repair?: true;
  /**
   * The data of a ConfigMap `create configmap NAME --from-file=[KEY=]PATH` makes from files the tree holds, by key
   * (configMapFileData); undefined where a source is not such a file (a folder, a variable, a file the tree lacks).
   */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * Made by a file of the repository outside the checked folder (a CI workflow, an Ansible task, a guide's command):
   * `script` is its path from the checked folder; what it holds is not read (no manifest, no keys).
   */
  readonly outside?: true;
}

/** kubectl create's subcommands that make one object of a known kind, by every name kubectl takes (kubectl create --help). */
const CREATE_KINDS: Readonly<Record<string, string>> = {
  configmap: 'ConfigMap',
  cm: 'ConfigMap',
  secret: 'Secret',
  namespace: 'Namespace',
  ns: 'Namespace',
  serviceaccount: 'ServiceAccount',
  sa: 'ServiceAccount',
};

/** `oc|kubectl [global flags] create <kind> [secret type] NAME`; the secret's type is one of kubectl create secret's subcommands. */
const CREATE =
  /\b(?:oc|kubectl)\b[^\n;&|]*?\bcreate\s+(configmap|cm|secret|namespace|ns|serviceaccount|sa)\s+(?:(generic|tls|docker-registry)\s+)?["']?(\$\{?\w+\}?|[a-z0-9][a-z0-9.-]*)["']?(?=[\s;&|]|$)/g;
/** OpenShift's `oc new-project NAME`, which makes a Project (and its Namespace). */
const NEW_PROJECT = /\boc\b[^\n;&|]*?\bnew-project\s+(["']?)(\$\{?\w+\}?|[a-z0-9][a-z0-9-]*)\1(?=[\s;&|]|$)/g;
/** `helm install|upgrade … --create-namespace`, which makes the release's namespace (its `-n`/`--namespace`). */
const CREATES_RELEASE_NAMESPACE = /\bhelm\b[^\n;&|]*--create-namespace\b/;
/** A command that applies or creates what it reads (`oc apply -f-`, `kubectl create -f -`). */
const APPLIES = /\b(?:oc|kubectl)\b[^\n|;&]*\b(?:apply|create)\b[^\n|;&]*-f\s*-(?:\s|$)/;
/** The namespace flag of a command line. */
const NAMESPACE_FLAG = /(?:\s-n\s*|\s--namespace[= ])(["']?)([a-z0-9][a-z0-9-]*)\1/;

/** Whether a command line only prints what it would create (`--dry-run=client -o yaml > file`) rather than creating it. */
function printsOnly(line: string): boolean {
  return /--dry-run(?:=(?:client|server))?\b/.test(line) && !/\|\s*(?:oc|kubectl)\b[^|]*\b(?:apply|create)\b/.test(line);
}

/** A name as the script gives it: a variable assigned one literal is that literal; one it does not know is no name. */
function literalName(word: string, vars: Map<string, string[]>): string | undefined {
  const v = /^\$\{?(\w+)\}?$/.exec(word);
  if (!v) return word;
  const values = vars.get(v[1]);
  return values?.length === 1 && /^[a-z0-9][a-z0-9.-]*$/.test(values[0]) ? values[0] : undefined;
}

/** kubectl create secret generic's `--from-literal=KEY=VALUE` (kubectl create secret generic --help), the value a word or quoted. */
const FROM_LITERAL = /--from-literal[= ]([-._a-zA-Z0-9]+)=("[^"]*"|'[^']*'|[^\s;&|]*)/g;

/**
 * The Secret a `create secret generic` command makes from its `--from-literal` values: a variable the script assigns
 * one literal is that literal (`MINIO_SECRET_KEY="minio123"` … `--from-literal=KEY="$MINIO_SECRET_KEY"`); one it
 * assigns otherwise, or not at all, stays a reference.
 */
function literalSecretOf(command: string, name: string, namespace: string | undefined, vars: ReadonlyMap<string, string>): Loose | undefined {
  const stringData: Record<string, string> = {};
  for (const m of command.matchAll(FROM_LITERAL)) {
    const value = m[2].replace(/^(["'])(.*)\1$/, '$2');
    stringData[m[1]] = m[2].startsWith("'") ? value : expand(value, vars);
  }
  if (!Object.keys(stringData).length) return undefined;
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(namespace ? { namespace } : {}) }, stringData };
}

/** A data source of `kubectl create secret`: `--from-literal`, `--from-file` or `--from-env-file`, and its word. */
const SECRET_SOURCE = /--from-(literal|file|env-file)(?:=|\s+)("[^"]*"|'[^']*'|[^\s;&|]+)/g;
/** A key kubectl accepts (validation IsConfigMapKey: letters, digits, `-`, `_`, `.`). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The keys a `create secret` command gives its Secret, as kubectl does (kubectl create secret --help): `tls` makes
 * tls.crt and tls.key, `docker-registry` .dockerconfigjson; `--from-literal=KEY=…` and `--from-file=KEY=path` make
 * KEY, `--from-file=path/name.ext` the file's name. Undefined when a key cannot be read from the command: a variable
 * in it, a `--from-file` path with no extension (it may be a folder, each of whose files becomes a key), an env file
 * `envFileKeys` cannot read (its lines are the keys), or no source at all. `create configmap` takes the same sources.
 */
export function secretKeysOf(
  command: string,
  type: string | undefined,
  envFileKeys: (file: string) => string[] | undefined = () => undefined,
): string[] | undefined {
  const keys = type === 'tls' ? ['tls.crt', 'tls.key'] : type === 'docker-registry' ? ['.dockerconfigjson'] : [];
  for (const m of command.matchAll(SECRET_SOURCE)) {
    const word = m[2].replace(/^(["'])(.*)\1$/, '$2');
    if (m[1] === 'env-file') {
      const fromFile = /[$*?`~]/.test(word) ? undefined : envFileKeys(word);
      if (!fromFile) return undefined;
      keys.push(...fromFile);
      continue;
    }
    const eq = word.indexOf('=');
    const key = eq > 0 ? word.slice(0, eq) : m[1] === 'file' && /^[^$*?]*\/?[^/$*?]+\.[A-Za-z0-9]+$/.test(word) ? word.split('/').pop() : undefined;
    if (key === undefined || !SECRET_KEY.test(key)) return undefined;
    keys.push(key);
  }
  return keys.length ? keys : undefined;
}

/** Whether the script changes the Secret's data after creating it (`oc patch secret NAME`, `kubectl set data`, `edit`). */
export function patchesSecret(source: string, name: string): boolean {
  const escaped = name.replace(/\./g, '\\.');
  return new RegExp(`\\b(?:oc|kubectl)\\b[^\\n]*\\b(?:patch|edit|set\\s+data)\\s+secrets?(?:/|\\s+)${escaped}\\b`).test(source);
}

/** Where a 1-based line of a text begins. */
function offsetOfLine(source: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line && at >= 0; i++) at = source.indexOf('\n', at) + 1;
  return at;
}

/**
 * The name of a namespace a command makes: the literal, or the variable as written (`${NAMESPACE}`) where the script
 * gives it no one value (read from an env file it sources, or from the caller): a namespace made under a name the tree
 * does not tell.
 */
function namespaceName(word: string, vars: Map<string, string[]>): string | undefined {
  return literalName(word, vars) ?? (word.startsWith('$') ? word : undefined);
}

/**
 * The kind given to a namespace an install command is pointed at (`./installer.sh --namespace NAME`, `helm install … -n
 * NAME`, `helmfile … -n NAME`): the installer may make it (a script's own `create namespace`, a chart's Namespace) or
 * expect it, which the tree does not show. Not a Namespace the tree surely makes: no rule reads it as one.
 */
export const INSTALL_TARGET_KIND = 'InstallTargetNamespace';

/**
 * Commands a namespace flag points at a namespace without making it: kubectl and oc (only `create namespace` and
 * `oc new-project`, read above, make one) and helm's commands other than install and upgrade.
 */
const NEVER_MAKES_NAMESPACE = /^(?:kubectl|oc|helm\s+(?!install\b|upgrade\b)\S+|echo|printf|cat|watch|time)\b/;

/** An install command: `helm install|upgrade`, helmfile, or a script run by path (`./install.sh`, `bash deploy.sh`). */
const INSTALLER = /^(?:helm\s+(?:install|upgrade)\b|helmfile\b|(?:bash|sh)\s+\S|\S+\.sh\b|\.{1,2}\/)/;
/** The long namespace flag alone. */
const LONG_NAMESPACE_FLAG = /\s--namespace[= ](["']?)([a-z0-9][a-z0-9-]*)\1/;

/** The command word of a line, past environment assignments and sudo: `FOO=1 sudo ./install.sh …` → `./install.sh …`. */
function commandOf(t: string): string {
  return t.trim().replace(/^(?:\$\s+)?(?:\w+=("[^"]*"|'[^']*'|\S*)\s+)*(?:sudo\s+(?:-\S+\s+)*)?/, '');
}

/** The namespace an install command of the line is pointed at with -n/--namespace, where the command may make it (INSTALL_TARGET_KIND). */
function installTarget(t: string, line: number, vars: Map<string, string[]>): Omit<ScriptCreated, 'script'>[] {
  // the first command of the line: what a pipe feeds (`| head -n 5`) is no install
  const command = commandOf(t).split(/\s(?:\|\|?|&&|;)\s/)[0];
  if (!command || NEVER_MAKES_NAMESPACE.test(command) || CREATES_RELEASE_NAMESPACE.test(t)) return [];
  // `-n` means a namespace to helm and to installer scripts; to other programs only `--namespace` is read as one
  const flag = INSTALLER.test(command) ? NAMESPACE_FLAG : LONG_NAMESPACE_FLAG;
  const name = literalName(flag.exec(` ${command}`)?.[2] ?? '', vars);
  if (!name || /^\d+$/.test(name)) return [];
  return [{ kind: INSTALL_TARGET_KIND, name, line, command: t.replace(/\s+/g, ' ').trim() }];
}

/** The namespaces a command line makes otherwise than with `create namespace`: `oc new-project NAME`, `helm … --create-namespace -n NAME`. */
function namespacesMadeBy(t: string, line: number, vars: Map<string, string[]>): Omit<ScriptCreated, 'script'>[] {
  const command = t.replace(/\s+/g, ' ').trim();
  const projects = [...t.matchAll(NEW_PROJECT)].flatMap((m) => {
    const name = namespaceName(m[2], vars);
    return name ? [{ kind: 'Project', name, line, command }] : [];
  });
  const release = CREATES_RELEASE_NAMESPACE.test(t) ? literalName(NAMESPACE_FLAG.exec(t)?.[2] ?? '', vars) : undefined;
  return [...projects, ...(release ? [{ kind: 'Namespace', name: release, line, command }] : []), ...installTarget(t, line, vars)];
}

/**
 * Helm charts whose install makes the custom resource of the operator it installs, so the operator makes what that
 * resource asks for. NVIDIA/gpu-operator deployments/gpu-operator/templates/clusterpolicy.yaml: the chart makes
 * ClusterPolicy cluster-policy, from which the operator runs its operands (the DCGM exporter among them); NVIDIA's
 * install guide adds the chart repository as `nvidia` (helm repo add nvidia https://helm.ngc.nvidia.com/nvidia).
 */
const OPERATOR_CHARTS: readonly { chart: string; repository: RegExp; alias: string; kind: string; name: string }[] = [
  { chart: 'gpu-operator', repository: /^https?:\/\/helm\.ngc\.nvidia\.com\/nvidia\/?$/, alias: 'nvidia', kind: 'ClusterPolicy', name: 'cluster-policy' },
];
/** `helm install …` or `helm upgrade [--install] …`, and the rest of the command. */
const HELM_INSTALL = /\bhelm\b[^\n;&|]*?\s(?:install|upgrade)\s([^\n;&|]*)/;
/** `helm repo add ALIAS URL`. */
const HELM_REPO_ADD = /\bhelm\s+repo\s+add\s+(?:--[\w-]+(?:=\S+)?\s+)*([\w.-]+)\s+["']?([^\s"';&|]+)/g;

/**
 * The custom resource a `helm install|upgrade` of a known operator chart makes (`helm install gpu-operator
 * nvidia/gpu-operator`): the chart named as ALIAS/CHART, where the script adds ALIAS as the chart's repository, or adds
 * none of that name and ALIAS is the one the project's guide uses.
 */
function chartResourcesMadeBy(t: string, line: number, source: string): Omit<ScriptCreated, 'script'>[] {
  const rest = HELM_INSTALL.exec(t)?.[1];
  if (rest === undefined) return [];
  const repositories = new Map([...source.matchAll(HELM_REPO_ADD)].map((m) => [m[1], m[2]] as [string, string]));
  return rest.split(/\s+/).flatMap((word) => {
    const [alias, chart, ...more] = word.replace(/^["']|["']$/g, '').split('/');
    const known = more.length ? undefined : OPERATOR_CHARTS.find((c) => c.chart === chart);
    const url = repositories.get(alias);
    if (!known || !(url === undefined ? alias === known.alias : known.repository.test(url))) return [];
    return [{ kind: known.kind, name: known.name, line, command: t.replace(/\s+/g, ' ').trim() }];
  });
}

/** `--from-literal=KEY='…'` whose single-quoted value runs over lines: the shell reads it as one word, newlines kept. */
const MULTI_LINE_LITERAL = /--from-literal[= ]([-._a-zA-Z0-9]+)=(?:'([^']*)'|"([^"$`\\]*)")/g;

/**
 * The data of a `create configmap` command's `--from-literal` values, read from the script's text at the command's
 * line so that a quoted value running over many lines (a whole configuration file) is kept whole; undefined when it
 * has none. Only the command's own text is read: up to the first line ending outside a quote.
 */
function literalConfigMapData(source: string, line: number): Record<string, string> | undefined {
  const from = offsetOfLine(source, line);
  const rest = source.slice(from);
  const data: Record<string, string> = {};
  let end = 0;
  for (const m of rest.matchAll(MULTI_LINE_LITERAL)) {
    // a literal past the command's end (a later line outside any quote) is another command's
    if (/\n/.test(rest.slice(end, m.index).replace(/\\\n/g, ''))) break;
    data[m[1]] = m[2] ?? m[3];
    end = m.index + m[0].length;
  }
  return Object.keys(data).length ? data : undefined;
}

/** The objects one command line's `create` commands make. */
function createdByLine(t: string, line: number, source: string, vars: Map<string, string[]>): Omit<ScriptCreated, 'script'>[] {
  return [...t.matchAll(CREATE)].flatMap((m) => {
    const name = CREATE_KINDS[m[1]] === 'Namespace' ? namespaceName(m[3], vars) : literalName(m[3], vars);
    const assigned = literalVariables(source, offsetOfLine(source, line));
    const namespace = namespaceFlag(t, assigned);
    const secret = name !== undefined && m[1] === 'secret';
    const manifest = secret ? literalSecretOf(t, name, namespace, assigned) : undefined;
    const keys = secret && !patchesSecret(source, name) ? secretKeysOf(t, m[2]) : undefined;
    const literal = CREATE_KINDS[m[1]] === 'ConfigMap' ? literalConfigMapData(source, line) : undefined;
    const made = {
      kind: CREATE_KINDS[m[1]],
      line,
      command: t.replace(/\s+/g, ' ').trim(),
      ...(manifest ? { manifest } : {}),
      ...(keys ? { keys } : {}),
      ...(literal ? { data: literal } : {}),
    };
    return name ? [{ ...made, name, namespace }] : [];
  });
}

/** The text before a heredoc read by a command substitution inside an argument: `--from-literal=k="$(cat <<EOF`. */
const SUBSTITUTED_CAT = /\$\(\s*cat\s+$/;
/** The line after such a heredoc's delimiter line: the substitution's `)` and the rest of the command. */
const SUBSTITUTION_CLOSE = /^[ \t]*\)([^\n]*)/;

/**
 * The script with each heredoc read by a command substitution inside an argument (`--from-literal=k="$(cat <<EOF` …
 * `EOF` … `)" | oc apply -f -`) made one `$(…)` word, and the rest of its command (the pipe into `oc apply -f -`) on
 * the line the command started on: bash reads the body, then goes on with the command on the line after the
 * delimiter (bash manual, Here Documents; Command Substitution). As many empty lines follow, so every later line keeps
 * its number.
 */
export function heredocArgumentsJoined(source: string): string {
  let out = '';
  let from = 0;
  for (const h of heredocsIn(source)) {
    const opened = SUBSTITUTED_CAT.exec(source.slice(source.lastIndexOf('\n', h.at - 1) + 1, h.at));
    const closing = SUBSTITUTION_CLOSE.exec(source.slice(h.end + 1));
    if (!opened || h.at < from || h.rest.trim() || !closing) continue;
    const start = h.at - opened[0].length;
    const end = h.end + 1 + closing[0].length;
    out += `${source.slice(from, start)}$(…)${closing[1]}${'\n'.repeat(source.slice(start, end).split('\n').length - 1)}`;
    from = end;
  }
  return out + source.slice(from);
}

/** The objects one script's `create` commands make (and the namespaces `oc new-project` and `helm --create-namespace` make, and a known operator chart's resource), with the line of each. */
function createdByCommands(script: string): Omit<ScriptCreated, 'script'>[] {
  const source = heredocArgumentsJoined(script);
  const vars = variablesOf(source);
  // a line continued by `\` is one command: the backslash is no word of it; what echo, printf or cat only print runs nothing
  return logicalLines(withoutPrintedText(source)).flatMap(({ line, text: raw }) => {
    const t = raw.replace(/\\(?=\s)/g, ' ');
    return printsOnly(t) ? [] : [...createdByLine(t, line, source, vars), ...namespacesMadeBy(t, line, vars), ...chartResourcesMadeBy(t, line, source)];
  });
}

/** A heredoc body's lines moved left by their common indentation (a script indented inside a YAML block keeps it). */
export function dedent(body: string): string {
  const lines = body.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** A shell assignment alone on its line, `secret="minio123"` or `export ID=minio`: the name and the word or quoted string. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|]*)[ \t]*(?:[;#].*)?$/;

/**
 * The variables a script has assigned to literals before a position, as the shell holds them then: `name=word`,
 * `name="text"` or `name='text'`; a later assignment of anything else (a command substitution, another variable)
 * forgets the value, and comment lines are no assignments.
 */
export function literalVariables(source: string, before: number): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of source.slice(0, before).split('\n')) {
    const m = ASSIGNMENT.exec(line);
    // an assignment of anything the line form does not read (`KEY=$(cat key.txt)`) leaves the shell's value, not a literal
    const other = m ? undefined : /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)=/.exec(line);
    if (other) vars.delete(other[1]);
    if (!m) continue;
    const single = m[2].startsWith("'");
    const written = single || m[2].startsWith('"') ? m[2].slice(1, -1) : m[2];
    const value = single ? written : withOwnDefault(m[1], written);
    // in single quotes nothing expands; elsewhere a $, a backquote or a backslash makes the value the shell's, not the script's
    if (single || !/[$`\\]/.test(value)) vars.set(m[1], value);
    else vars.delete(m[1]);
  }
  return vars;
}

/** A command's `-n`/`--namespace`, with the variables the script set to literals expanded (`-n $NAMESPACE`). */
export function namespaceFlag(command: string, vars: ReadonlyMap<string, string>): string | undefined {
  return NAMESPACE_FLAG.exec(expand(command, vars))?.[2];
}

/** A heredoc body with the variables known as literals expanded, as the shell expands an unquoted heredoc ($name, ${name}). */
export function expand(body: string, vars: ReadonlyMap<string, string>): string {
  // a parameter with a default is left as written: what the shell makes of it depends on the caller's environment
  return expandParameters(body, ({ name, fallback, written }) => (fallback === undefined ? (vars.get(name) ?? written) : written));
}

/** A manifest a script applies from a heredoc, with the command line that applies it and the line of the heredoc. */
export interface AppliedManifest {
  readonly manifest: Loose;
  readonly command: string;
  readonly line: number;
  /** The command's `-n`/`--namespace`, the variables the script set to literals expanded (`-n $NAMESPACE`). */
  readonly namespace?: string;
}

/**
 * The manifests of the heredocs a script pipes into `oc|kubectl apply|create -f -`, as the shell hands them over: the
 * variables the script assigned to literals expanded, unless the delimiter is quoted (`<<'EOF'`: nothing expands).
 */
export function appliedManifests(source: string, heredocs = appliedHeredocs(source)): AppliedManifest[] {
  const out: AppliedManifest[] = [];
  for (const { heredoc: h, at, command } of heredocs) {
    const body = dedent(h.stripsTabs ? h.body.replace(/^\t+/gm, '') : h.body);
    const vars = literalVariables(source, at);
    const parsed = parsePatchDocuments(h.quote ? body : expand(body, vars));
    if (!('values' in parsed)) continue;
    const line = source.slice(0, at).split('\n').length;
    const namespace = namespaceFlag(command, vars);
    for (const doc of parsed.values) if (isMapping(doc)) out.push({ manifest: doc, command, line, ...(namespace ? { namespace } : {}) });
  }
  return out;
}

/** The heredocs of a script (heredocsIn: each ended where bash ends it), where each is, and its command line. */
export function heredocsOf(source: string): { heredoc: Heredoc; at: number; command: string }[] {
  return heredocsIn(source).map((heredoc) => {
    const { at } = heredoc;
    const start = source.lastIndexOf('\n', at - 1) + 1;
    const end = source.indexOf('\n', at);
    return { heredoc, at, command: source.slice(start, end < 0 ? undefined : end) };
  });
}

/** A heredoc a script applies: where it is, and the command line that applies it. */
export interface AppliedHeredoc {
  readonly heredoc: Heredoc;
  readonly at: number;
  readonly command: string;
}

/**
 * The heredocs of a text fed to `oc|kubectl apply|create -f -`, or written to a file (`cat > x.yaml <<EOF`, `cat <<EOF
 * | tee x.yaml`) that a later line applies (`kubectl apply -f x.yaml`): the heredoc, where it is, and the command that
 * applies it.
 */
export function appliedHeredocs(source: string): AppliedHeredoc[] {
  return heredocsOf(source).flatMap(({ heredoc, at, command }) => {
    if (APPLIES.test(command)) return [{ heredoc, at, command }];
    const applying = applyOfWrittenFile(command, source.slice(heredoc.end));
    return applying ? [{ heredoc, at, command: applying }] : [];
  });
}

/** The file a heredoc's command line writes: `cat > F`, `cat >> F`, `tee [-a] F` (quotes removed); a descriptor or a variable is none. */
const HEREDOC_WRITE = /(?:(?<![<>&\d])>>?[ \t]*|\btee[ \t]+(?:-a[ \t]+)?)(["']?)([\w./-]+\.(?:ya?ml|json))\1(?=[\s;&|)]|$)/;

/** The later command line that applies the file the heredoc's command line writes (`kubectl apply -f x.yaml -n team`), if one does. */
function applyOfWrittenFile(command: string, rest: string): string | undefined {
  const written = HEREDOC_WRITE.exec(command)?.[2];
  if (!written) return undefined;
  const name = written.replace(/^\.\//, '').replace(/[.]/g, '\\.');
  const applies = new RegExp(`\\b(?:oc|kubectl)\\b[^\\n|;&]*\\b(?:apply|create)\\b[^\\n|;&]*(?:-f|--filename)[= \\t]*["']?(?:\\./)?${name}["']?(?=[\\s;&|]|$)`);
  const found = applies.exec(rest);
  if (!found) return undefined;
  // the whole line: its -n after the file name sends the objects too
  const end = rest.indexOf('\n', found.index);
  return rest.slice(rest.lastIndexOf('\n', found.index) + 1, end < 0 ? undefined : end).trim();
}

/** The objects of the heredocs a script pipes into `oc|kubectl apply|create -f -`; names still holding a shell variable are not known. */
function createdByHeredocs(source: string, heredocs: AppliedHeredoc[]): Omit<ScriptCreated, 'script'>[] {
  return appliedManifests(source, heredocs).flatMap(({ manifest, command, line, namespace: flag }) => {
    const meta = mapping(manifest.metadata);
    const name = text(meta.name);
    if (typeof manifest.kind !== 'string' || !name || name.includes('$')) return [];
    const keys = manifest.kind === 'Secret' ? [...Object.keys(mapping(manifest.data)), ...Object.keys(mapping(manifest.stringData))] : [];
    // a key from a variable the shell did not expand is not known
    const known = keys.length && keys.every((k) => SECRET_KEY.test(k)) && !patchesSecret(source, name);
    const namespace = text(meta.namespace) ?? flag;
    return [{ kind: manifest.kind, name, namespace, line, manifest, command, heredoc: true as const, ...(known ? { keys } : {}) }];
  });
}

/** The objects one script computes with a jq or yq filter that selects their kind, and applies. */
function createdByFilters(source: string, heredocs: AppliedHeredoc[]): Omit<ScriptCreated, 'script'>[] {
  return computedApplies(source, heredocs).map((c) => ({
    kind: c.kind,
    name: c.source,
    line: c.line,
    command: c.command,
    computed: true as const,
  }));
}

/** The objects one script creates when it runs. */
export function objectsCreatedByScript(source: string): Omit<ScriptCreated, 'script'>[] {
  // the heredocs are found once: the manifests they hold and the filters they expand both read them
  const heredocs = appliedHeredocs(source);
  return [...createdByCommands(source), ...createdByHeredocs(source, heredocs), ...createdByFilters(source, heredocs)];
}

/**
 * The objects the deployment scripts of a checked folder create (its scripts as render-scripts.ts reads them): shell
 * scripts, Makefiles, task runners, CI workflows, and the commands a README tells to run.
 */
export function scriptCreatedObjects(scripts: readonly TreeScript[]): ScriptCreated[] {
  return scripts.flatMap(({ script, text: source }) =>
    // heredocs end where bash ends them once the file's own indentation (a workflow's block, a README's list item) is
    // gone; a Makefile's recipes come as make hands them to the shell (render-scripts.ts scriptAsRun): a `$$TOKEN` of
    // `--from-literal=KEY="$$TOKEN"` is the shell's $TOKEN, no value written in the file
    objectsCreatedByScript(asShellReads(script, source)).map((o) => ({
      ...o,
      script,
      ...(repairStep(scripts, script, source, o) ? { repair: true as const } : {}),
      ...(MARKDOWN.test(script) ? guideOffer(source, o.line) : {}),
    })),
  );
}

/** `oc|kubectl get <kind> NAME`: a command that reads the object as it is on the cluster. */
const GET = /\b(?:oc|kubectl)\b[^\n;&|]*?\bget\s+(secrets?|configmaps?|cm)\s+([a-z0-9][a-z0-9.-]*)/g;

/**
 * Whether a script's command re-creates an object it first reads from the cluster (`kubectl get secret NAME` above the
 * line that makes it), and no other script or README of the tree names the script: a repair run by hand, whose
 * object is made first by something else (a manifest kept out of Git, an earlier install step).
 */
function repairStep(scripts: readonly TreeScript[], script: string, source: string, o: Omit<ScriptCreated, 'script'>): boolean {
  if (o.kind !== 'Secret' && o.kind !== 'ConfigMap') return false;
  const before = source.slice(0, offsetOfLine(source, o.line));
  const kind = o.kind === 'Secret' ? /^secrets?$/ : /^(configmaps?|cm)$/;
  if (![...before.matchAll(GET)].some((m) => kind.test(m[1]) && m[2] === o.name)) return false;
  const name = script.split('/').pop()!;
  return !scripts.some((t) => t.script !== script && t.text.includes(name));
}

/** A `--from-file` source of `create configmap`: `KEY=PATH` or `PATH` (kubectl create configmap --help), quotes removed. */
const FROM_FILE = /--from-file(?:=|\s+)("[^"]*"|'[^']*'|[^\s;&|]+)/g;
/** The bound on a file read as a ConfigMap's value: the API server refuses a ConfigMap over 1 MiB (validation MaxSecretSize is the same). */
const MAX_CONFIG_MAP_FILE = 1024 * 1024;

/**
 * The data `create configmap … --from-file` gives a ConfigMap, read from the files the tree holds: each source's key
 * (`KEY=` or the file's name) and the file's text, its path taken from the script's folder, else from the checked
 * folder (a README at the root naming `./app.py`). Undefined when any source is not read: a variable, a glob, a folder
 * (each of its files becomes a key), a file the tree lacks or too large; the ConfigMap's data is then unknown.
 */
export function configMapFileData(command: string, scriptDir: string, root: string): Record<string, string> | undefined {
  const data: Record<string, string> = {};
  for (const m of command.matchAll(FROM_FILE)) {
    const word = m[1].replace(/^(["'])(.*)\1$/, '$2');
    const eq = word.indexOf('=');
    const file = eq > 0 ? word.slice(eq + 1) : word;
    const key = eq > 0 ? word.slice(0, eq) : path.posix.basename(file);
    if (/[$*?`~]/.test(word) || !SECRET_KEY.test(key) || path.isAbsolute(file)) return undefined;
    const text = [path.join(root, scriptDir, file), path.join(root, file)].map(readSmallFile).find((t) => t !== undefined);
    if (text === undefined) return undefined;
    data[key] = text;
  }
  return Object.keys(data).length ? data : undefined;
}

/**
 * The keys of an env file `--from-env-file` reads, from the file the tree holds (its path from the script's folder,
 * else from the checked folder): each line's text before its first `=`, leading blanks trimmed, blank lines and `#`
 * comments skipped; a line without `=` is a key too (its value from the environment). Undefined when the tree lacks
 * the file (kubectl pkg/cmd/util/env_file.go processEnvFileLine, addFromEnvFile).
 */
export function envFileKeys(file: string, scriptDir: string, root: string): string[] | undefined {
  if (path.isAbsolute(file)) return undefined;
  const text = [path.join(root, scriptDir, file), path.join(root, file)].map(readSmallFile).find((t) => t !== undefined);
  if (text === undefined) return undefined;
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trimStart())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('=')[0]);
}

/** A regular file's text, within the checked folder's bound on a ConfigMap value; undefined otherwise. */
function readSmallFile(file: string): string | undefined {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > MAX_CONFIG_MAP_FILE) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
