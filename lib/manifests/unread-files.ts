import { ARGOCD_SKIP_MARKER } from './json-files';
import { UnreadFile } from './loaded';
import { KINDLESS_LIST, NO_API_VERSION, NOT_AN_OBJECT, TextProblem } from './yaml-documents';

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

/** The number a problem of one document names: `document N …` (1-based). */
const DOCUMENT = /^document (\d+)\b/;

/** The words Argo CD looks for in a YAML file whose first documents gave no object ("let's see if it looks like a resource"). */
const MANIFEST_WORDS = ['apiVersion:', 'kind:', 'metadata:'];

/**
 * What Argo CD's repo server makes of a YAML file with a document that is no object with a kind (argo-cd
 * reposerver/repository/repository.go getObjsFromYAMLOrJSON and splitYAMLOrJSON): it decodes the documents in order,
 * passing over empty ones, and stops at the first that does not decode as an object with a kind (a Helm values
 * mapping, a list without kind, a scalar). With an object decoded before it, the file fails ("Failed to unmarshal": "the
 * user messed up a portion of the YAML"); else it fails when the file holds all of apiVersion:, kind: and metadata:,
 * and is passed over otherwise ("it might be an unrelated YAML file which we will ignore"), as is a file holding the
 * text +argocd:skip-file-rendering. Undefined when every document decodes, or where a later object would be dropped
 * with the file (no verdict said of that).
 */
function argoDecodes(source: string, problems: readonly TextProblem[], objects: readonly { index: number }[]): { refused: string } | 'skipped' | undefined {
  const numbered = problems.flatMap((p) => {
    const n = DOCUMENT.exec(p.message);
    return n ? [{ p, index: Number(n[1]) - 1 }] : [];
  });
  const failing = numbered.filter(({ p }) => NOT_AN_OBJECT.test(p.message) || KINDLESS_LIST.test(p.message));
  if (!failing.length) return undefined;
  const first = failing.reduce((a, b) => (b.index < a.index ? b : a));
  // a document before the first failing one that gave an object or a problem was not empty: it decoded, with a kind
  const before = [...objects.map((o) => o.index), ...numbered.map((n) => n.index)].filter((i) => i < first.index);
  const at = `document ${first.index + 1}${first.p.line ? ` (line ${first.p.line})` : ''} is no object with a kind`;
  // a file that holds the marker anywhere is passed over before it is decoded (repository.go skipFileRenderingMarker)
  if (source.includes(ARGOCD_SKIP_MARKER)) return objects.length ? undefined : 'skipped';
  if (before.length) return { refused: `${at}, after the object of document ${Math.min(...before) + 1}` };
  if (MANIFEST_WORDS.every((w) => source.includes(w))) return { refused: `${at}, and the file holds the words apiVersion:, kind: and metadata:` };
  return objects.length ? undefined : 'skipped';
}

/**
 * What a directory source must be told of a file whose documents gave problems: the first document that does not parse
 * (Argo CD cannot unmarshal the file), each one with a kind but no apiVersion (the apply refuses it), a document that
 * is no object with a kind, which Argo CD refuses or (in a file of YAML that holds no object) skips with the file
 * (argoDecodes; `objects`: those the file gave, by document). `reported` says whether the reader already reported the
 * file as an error of the input.
 */
export function unreadOf(
  file: string,
  source: string,
  problems: readonly TextProblem[],
  reported: boolean,
  objects: readonly { index: number }[],
): UnreadFile[] {
  const broken = problems.find((p) => p.severity === 'error' && p.kind === undefined);
  const unparsable: UnreadFile[] = broken ? [{ file, kind: 'unparsable', holds: broken.message, reported, declares: declaredIn(source) }] : [];
  const versionless = problems
    .filter((p) => NO_API_VERSION.test(p.message))
    .map((p): UnreadFile => ({ file, kind: 'no-api-version', holds: NO_API_VERSION.exec(p.message)![1], reported: false }));
  const decoded = broken || file.endsWith('.json') ? undefined : argoDecodes(source, problems, objects);
  const kindless: UnreadFile[] = decoded === 'skipped' ? [{ file, kind: 'skipped' }] : decoded ? [{ file, kind: 'kindless', holds: decoded.refused }] : [];
  return [...unparsable, ...versionless, ...kindless];
}
