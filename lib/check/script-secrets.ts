import { isMapping, Loose, mapping, strings, text } from '../manifests/access';
import { parsePatchDocuments } from '../manifests/yaml-documents';
import { containersOf } from './graph';
import type { GraphObject } from './graph-object';

/** A Secret a script of the tree creates when it runs, and the object whose script does it. */
export interface ScriptSecret {
  readonly name: string;
  /** The namespace it lands in: the manifest's, the command's -n, else the namespace the script runs in. */
  readonly namespace?: string;
  /** The object that runs the script (a Job, a ConfigMap holding it), as `Kind/ns/name`. */
  readonly by: string;
}

/** A command that applies or creates what it reads (`oc apply -f-`, `kubectl create -f -`). */
const APPLIES = /\b(?:oc|kubectl)\b[^\n|;&]*\b(?:apply|create)\b[^\n|;&]*-f\s*-(?:\s|$)/;
/** A heredoc: its delimiter (quoted or not, `<<-` strips tabs), the rest of its line, and its body up to the delimiter alone on a line. */
const HEREDOC = /<<-?[ \t]*(['"]?)([A-Za-z_]\w*)\1([^\n]*)\n([\s\S]*?)\n[ \t]*\2[ \t]*(?=\n|$)/g;
/** `oc create secret generic NAME` / `kubectl create secret tls|docker-registry NAME` (kubectl create secret's subcommands). */
const CREATE_SECRET = /\b(?:oc|kubectl)\b[^\n;&|]*?\bcreate\s+secret\s+(?:generic|tls|docker-registry)\s+([a-z0-9][a-z0-9.-]*)(?=[\s;&|]|$)/g;
/** The namespace flag of a command line. */
const NAMESPACE_FLAG = /(?:\s-n\s*|\s--namespace[= ])([a-z0-9][a-z0-9-]*)/;

/** The line of a text that holds the position, for reading the command a heredoc feeds. */
function lineAt(source: string, at: number): string {
  const start = source.lastIndexOf('\n', at - 1) + 1;
  const end = source.indexOf('\n', at);
  return source.slice(start, end < 0 ? undefined : end);
}

/** A heredoc body's lines moved left by their common indentation (a script indented inside a YAML block keeps it). */
function dedent(body: string): string {
  const lines = body.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** A shell assignment at the start of a line, `secret="minio123"` or `export ID=minio`: the name and the word or quoted string. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|]*)[ \t]*(?:[;#].*)?$/;

/**
 * The variables a script has assigned to literals before a position, as the shell holds them then: `name=word`,
 * `name="text"` or `name='text'`; a later assignment of anything else (a command substitution, another variable)
 * forgets the value, and comment lines are no assignments.
 */
function literalVariables(source: string, before: number): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of source.slice(0, before).split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (!m) continue;
    const raw = m[2];
    const single = raw.startsWith("'");
    const value = single || raw.startsWith('"') ? raw.slice(1, -1) : raw;
    // in single quotes nothing expands; elsewhere a $ or a backquote makes the value the shell's, not the script's
    if (single || !/[$`\\]/.test(value)) vars.set(m[1], value);
    else vars.delete(m[1]);
  }
  return vars;
}

/** A heredoc body with the variables known as literals expanded, as the shell expands an unquoted heredoc ($name, ${name}). */
function expand(body: string, vars: ReadonlyMap<string, string>): string {
  return body.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => vars.get(braced ?? bare ?? '') ?? whole,
  );
}

/**
 * The manifests a script applies from heredocs it pipes into `oc|kubectl apply|create -f -`, each with the command
 * line: the body as the shell hands it over, the variables the script assigned to literals expanded unless the
 * delimiter is quoted (`<<'EOF'`: nothing expands).
 */
export function appliedManifests(source: string): { manifest: Loose; command: string }[] {
  const out: { manifest: Loose; command: string }[] = [];
  for (const m of source.matchAll(HEREDOC)) {
    const command = lineAt(source, m.index ?? 0);
    if (!APPLIES.test(command)) continue;
    const body = dedent(m[4]);
    const parsed = parsePatchDocuments(m[1] ? body : expand(body, literalVariables(source, m.index ?? 0)));
    if (!('values' in parsed)) continue;
    for (const doc of parsed.values) if (isMapping(doc)) out.push({ manifest: doc, command });
  }
  return out;
}

/**
 * The Secrets one script creates: the Secret manifests of heredocs it pipes into `oc|kubectl apply|create -f -`, and
 * `oc|kubectl create secret … NAME`. Names holding a shell variable are not known and not read.
 */
export function secretsOfScript(source: string): { name: string; namespace?: string }[] {
  const out: { name: string; namespace?: string }[] = [];
  for (const { manifest, command } of appliedManifests(source)) {
    if (manifest.kind !== 'Secret') continue;
    const meta = mapping(manifest.metadata);
    const name = text(meta.name);
    if (name && !name.includes('$')) out.push({ name, namespace: text(meta.namespace) ?? NAMESPACE_FLAG.exec(command)?.[1] });
  }
  for (const m of source.matchAll(CREATE_SECRET)) out.push({ name: m[1], namespace: NAMESPACE_FLAG.exec(lineAt(source, m.index ?? 0))?.[1] });
  return out;
}

/** The scripts an object holds: its containers' command lines (a `sh -c` script among them), a ConfigMap's values. */
function scriptsOf(m: Loose): string[] {
  if (m.kind === 'ConfigMap') return Object.values(mapping(m.data)).filter((v): v is string => typeof v === 'string');
  return containersOf(m).map(({ container }) => [...strings(container.command), ...strings(container.args)].join('\n'));
}

/** Every Secret a script of the tree creates, with the object that runs it; `namespaceOf` places an object. */
export function scriptCreatedSecrets(
  objects: readonly GraphObject[],
  namespaceOf: (m: Loose) => string | undefined,
  id: (o: GraphObject) => string,
): ScriptSecret[] {
  return objects.flatMap((o) => {
    const scripts = scriptsOf(o.manifest).filter((s) => /\b(?:oc|kubectl)\b/.test(s));
    return scripts.flatMap(secretsOfScript).map((s) => ({ name: s.name, namespace: s.namespace ?? namespaceOf(o.manifest), by: id(o) }));
  });
}
