import { UnreadFile } from './loaded';
import { NO_API_VERSION, NOT_AN_OBJECT, TextProblem } from './yaml-documents';

/**
 * The objects a file that does not parse seems to declare: each document's top-level `kind:` with the `name:` of its
 * `metadata:` block, read line by line, so that what the file meant to hold is not taken for missing.
 */
function declaredIn(source: string): { kind: string; name: string }[] {
  return source.split(/^---.*$/m).flatMap((doc) => {
    const kind = /^kind:[ \t]*["']?([A-Za-z][\w]*)/m.exec(doc)?.[1];
    const name = /^metadata:[ \t]*\n(?:(?:[ \t]+.*|[ \t]*)\n)*?[ \t]+name:[ \t]*["']?([^\s"'#]+)/m.exec(doc)?.[1];
    return kind && name ? [{ kind, name }] : [];
  });
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
