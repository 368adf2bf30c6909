import { UnreadFile } from './loaded';
import { NO_API_VERSION, NOT_AN_OBJECT, TextProblem } from './yaml-documents';

/**
 * The objects a file that does not parse seems to declare: each document's top-level `kind:` with the `name:` of its
 * `metadata:` block, read line by line, so that what the file meant to hold is not taken for missing.
 */
function declaredIn(source: string): { kind: string; name: string }[] {
  return source.split(/^---.*$/m).flatMap((doc) => {
    const kind = /^kind:[ \t]*["']?([A-Za-z][\w]*)/m.exec(doc)?.[1];
    const name = metadataName(doc);
    return kind && name ? [{ kind, name }] : [];
  });
}

/** A top-level `metadata:` line (`^` after any line terminator, as a multiline regex reads it). */
const METADATA_START = /^metadata:[ \t]*\n/gm;
/** The `name:` line of the metadata block, with a value. */
const NAME_LINE = /[ \t]+name:[ \t]*["']?([^\s"'#]+)/y;
/** A line of the block before it: indented, or blank (`.` stops at a line terminator other than \n, which ends the block). */
const BLOCK_LINE = /(?:[ \t]+.*|[ \t]*)\n/y;

/**
 * The first `name:` with a value among the lines of a top-level `metadata:` block (indented or blank lines), line by
 * line. One regex of the whole block (`^metadata:…\n(?:(?:[ \t]+.*|[ \t]*)\n)*?[ \t]+name:…`) backtracked through
 * every way of splitting each line's indentation where no name followed: minutes on a long block a truncation broke.
 */
function metadataName(doc: string): string | undefined {
  for (const start of doc.matchAll(METADATA_START)) {
    let at = start.index + start[0].length;
    for (;;) {
      NAME_LINE.lastIndex = at;
      const name = NAME_LINE.exec(doc)?.[1];
      if (name) return name;
      BLOCK_LINE.lastIndex = at;
      if (!BLOCK_LINE.test(doc)) break;
      at = BLOCK_LINE.lastIndex;
    }
  }
  return undefined;
}

/**
 * Whether Argo CD's repo server passes over a YAML file that gave no object: its first document does not decode as an
 * object and the file does not hold all of `apiVersion:`, `kind:` and `metadata:` (argo-cd
 * reposerver/repository/repository.go getObjsFromYAMLOrJson: "it might be an unrelated YAML file which we will ignore").
 */
function skippedByArgoCD(file: string, source: string, problems: readonly TextProblem[], objects: number): boolean {
  if (objects || file.endsWith('.json') || !problems.some((p) => NOT_AN_OBJECT.test(p.message))) return false;
  return !['apiVersion:', 'kind:', 'metadata:'].every((key) => source.includes(key));
}

/**
 * What a directory source must be told of a file whose documents gave problems: the first document that does not parse
 * (Argo CD cannot unmarshal the file), each one with a kind but no apiVersion (the apply refuses it), and a file of
 * YAML that holds no object (`objects`: how many the file gave), which Argo CD skips. `reported` says whether the
 * reader already reported the file as an error of the input.
 */
export function unreadOf(file: string, source: string, problems: readonly TextProblem[], reported: boolean, objects: number): UnreadFile[] {
  const broken = problems.find((p) => p.severity === 'error' && p.kind === undefined);
  const unparsable: UnreadFile[] = broken ? [{ file, kind: 'unparsable', holds: broken.message, reported, declares: declaredIn(source) }] : [];
  const versionless = problems
    .filter((p) => NO_API_VERSION.test(p.message))
    .map((p): UnreadFile => ({ file, kind: 'no-api-version', holds: NO_API_VERSION.exec(p.message)![1], reported: false }));
  const skipped: UnreadFile[] = !broken && skippedByArgoCD(file, source, problems, objects) ? [{ file, kind: 'skipped' }] : [];
  return [...unparsable, ...versionless, ...skipped];
}
