import { Loose, mapping, text } from './access';
import { asShellReads } from './heredocs';
import { TreeScript } from './script-text';
import { fencedText } from './script-commands';
import { appliedHeredocs, dedent, expand, literalVariables, namespaceFlag } from './script-creations';
import { isClusterScoped } from './scope';
import { ParsedObject, parseDocuments } from './yaml-documents';

/** An object a script (or a README's shell block) applies from a heredoc: `cat <<EOF | oc apply -f -`, `kubectl create -f- <<'EOF'`. */
export interface HeredocObject {
  readonly manifest: Loose;
  /** The script, relative to the tree. */
  readonly script: string;
  /** The script's line where the object's document starts. */
  readonly line: number;
  /** The document's number among the heredoc's. */
  readonly index: number;
  /** The line of the command that applies it. */
  readonly commandLine: number;
  /** What the shell expands in the body that the script does not set to a literal before it (`$NS`, `$(oc whoami)`): unknown here. */
  readonly unexpanded: readonly string[];
}

/** What an unquoted heredoc's shell expands: parameters, positional ones, command substitutions (bash manual, Here Documents). */
const EXPANSION = /\$\{[^}\n]*\}|\$[A-Za-z_]\w*|\$[0-9#@*?]|\$\([^)\n]*\)|`[^`\n]*`/g;
/** A command that only prints what it would apply. */
const DRY_RUN = /--dry-run\b/;
/** The object as `kubectl apply -n NAMESPACE` sends it: a namespaced one without metadata.namespace gets NAMESPACE. */
function inNamespace(manifest: Loose, namespace: string): Loose {
  const meta = mapping(manifest.metadata);
  if (text(meta.namespace) !== undefined || typeof manifest.kind !== 'string' || isClusterScoped(manifest.kind)) return manifest;
  return { ...manifest, metadata: { ...meta, namespace } };
}

/** A braced parameter the shell fills, `${ns}`, not followed by a character that would join its name. */
const BRACED_PARAMETER = /\$\{([A-Za-z_]\w*)\}(?![\w])/g;

/**
 * The documents of a heredoc's body. Where the shell fills a parameter the script does not set, a braced one inside a
 * YAML flow mapping (`metadata: {name: ${ns}-og, namespace: ${ns}}`) breaks the text as YAML reads it, not as the
 * shell hands it over: it is read again with `$ns` for `${ns}` (the same parameter to the shell), so the object is
 * still judged, as a template.
 */
function documentsOf(body: string, unexpanded: readonly string[]): { objects: ParsedObject[]; fills: readonly string[] } {
  const parsed = parseDocuments(body);
  if (!unexpanded.length || !parsed.problems.some((p) => p.severity === 'error')) return { objects: parsed.objects, fills: unexpanded };
  const unbraced = parseDocuments(body.replace(BRACED_PARAMETER, '$$$1'));
  if (unbraced.problems.some((p) => p.severity === 'error')) return { objects: parsed.objects, fills: unexpanded };
  return { objects: unbraced.objects, fills: [...new Set([...unexpanded, ...unexpanded.map((e) => e.replace(BRACED_PARAMETER, '$$$1'))])] };
}

/** A Markdown file, whose commands are those of its fenced blocks. */
const MARKDOWN = /\.(md|markdown)$/i;

/**
 * The objects of the heredocs a script pipes into `oc|kubectl apply|create -f -`, as bash hands the body over (bash
 * manual, Here Documents): with a quoted delimiter (`'EOF'`, `"EOF"`) the body is literal; otherwise the shell
 * expands `$VAR`, `${VAR}`, `$(cmd)` and backquotes in it, which are replaced here where the script set the variable to
 * a literal before, and told in `unexpanded` where it did not; `<<-` strips the leading tabs of each line. A dry run
 * applies nothing. A README's heredocs are those of its fenced blocks, and a workflow's those of its `run:` blocks,
 * each without the indentation its file adds (asShellReads): the body runs to the line bash ends it at. A namespaced
 * object without a namespace goes where the command's `-n` sends it, as kubectl apply sends it there.
 */
export function heredocObjects({ script, text }: TreeScript): HeredocObject[] {
  const source = MARKDOWN.test(script) ? fencedText(text) : asShellReads(script, text);
  const out: HeredocObject[] = [];
  for (const { heredoc: h, at, command } of appliedHeredocs(source)) {
    if (DRY_RUN.test(command)) continue;
    const body = dedent(h.stripsTabs ? h.body.replace(/^\t+/gm, '') : h.body);
    const literal = h.quote !== '';
    const delivered = literal ? body : expand(body.replace(/\\\$/g, '\0'), literalVariables(source, at));
    const unexpanded = literal ? [] : [...new Set(delivered.match(EXPANSION) ?? [])];
    const commandLine = source.slice(0, at).split('\n').length;
    const namespace = namespaceFlag(command, literalVariables(source, at));
    const { objects, fills } = documentsOf(delivered.replace(/\0/g, '$'), unexpanded);
    for (const { manifest, line, index } of objects)
      out.push({ manifest: namespace ? inNamespace(manifest, namespace) : manifest, script, line: commandLine + line, index, commandLine, unexpanded: fills });
  }
  return out;
}
