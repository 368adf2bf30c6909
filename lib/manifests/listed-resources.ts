import * as path from 'path';
import { mapping, text } from './access';
import { REPEAT_VERDICT } from './duplicate-keys';
import { KUSTOMIZATION_FILES } from './kustomization';
import { ReadProblems } from './read-problems';
import {
  API_VERSION_REFUSED,
  KINDLESS_LIST,
  NO_API_VERSION,
  NOT_AN_OBJECT,
  NOT_THE_MARKERS,
  ParsedObject,
  TEMPLATE_DOCUMENT,
  TextProblem,
} from './yaml-documents';

/** What kustomize refuses of a file a kustomization lists as a resource, said where the build fails. */

/** The files a kustomization may list as resources that the reader tells apart when none lists them. */
export const RESOURCE_FILE = /\.(ya?ml|json)$/;

/**
 * A template document in a file a kustomization lists is no template to kustomize: it renders nothing and reads every
 * resource as YAML (api/resource/factory.go SliceFromBytes), so the build fails on it (an error, where a template
 * no kustomization lists is only not read).
 */
export function listedTemplate(p: TextProblem, dir: string): TextProblem {
  const m = TEMPLATE_DOCUMENT.exec(p.message);
  if (!m) return p;
  if (p.message.includes(NOT_THE_MARKERS)) {
    return {
      message:
        `document ${m[1]} is not valid YAML (line ${m[2]}: ${m[3]}), ${NOT_THE_MARKERS}: with them blanked out it fails at the same line, so the cause is the YAML there (an indentation or structure error), not a template; ` +
        `kustomize reads the file as YAML, so the build of ${dir} fails; fix the YAML at line ${m[2]}`,
      severity: 'error',
      line: Number(m[2]),
    };
  }
  return {
    message:
      `document ${m[1]} is not valid YAML (line ${m[2]}: ${m[3]}) and holds {{ … }} markers: kustomize renders no templates, it reads the file as YAML, ` +
      `so the build of ${dir} fails; fix the YAML (quote a marker a later tool fills), or render the file before kustomize lists it`,
    severity: 'error',
    line: Number(m[2]),
  };
}

/** A document that does not parse as YAML (not a template's: listedTemplate; not a repeated key: listedRepeat). */
const MALFORMED_DOCUMENT = /^document (\d+) is not valid YAML: (.*)$/;

/**
 * A document of a file a kustomization lists that is not valid YAML: kustomize reads every resource as YAML
 * (api/resource/factory.go SliceFromBytes, kio.FromBytes) and refuses the whole build ("accumulating resources from
 * 'f.yaml': MalformedYAMLError: yaml: line N: …"), so nothing of the folder is applied: the build's failure, at the
 * line and column of the error.
 */
export function listedMalformed(p: TextProblem, dir: string): TextProblem {
  const m = p.severity === 'error' && p.kind === undefined ? MALFORMED_DOCUMENT.exec(p.message) : null;
  if (!m) return p;
  const at = p.line !== undefined ? ` at line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}` : '';
  return {
    message:
      `document ${m[1]} is not valid YAML${at} (${m[2]}): kustomize reads every resource as YAML and refuses the build of ${dir} ` +
      `("accumulating resources: … MalformedYAMLError"), so nothing of it is applied; fix the YAML there`,
    severity: 'error',
    ...(p.line !== undefined ? { line: p.line } : {}),
    kind: 'kustomize-build-fails',
  };
}

/**
 * A repeated key in a file a kustomization lists is kustomize's to judge (duplicate-keys.ts): one it builds is no
 * finding (the build's output holds the key once), one it refuses fails the build.
 */
export function listedRepeat(p: TextProblem, dir: string): TextProblem | undefined {
  if (p.kind !== 'duplicate-key') return p;
  if (!p.kustomizeRefusal) return undefined;
  return {
    message: `${p.message.replace(REPEAT_VERDICT, '')}; kustomize refuses it as a resource of ${dir} ("${p.kustomizeRefusal}"), so the build fails: ${/: put a line/.test(p.message) ? 'put a line `---` before the second apiVersion' : 'keep one'}`,
    severity: 'error',
    line: p.line,
    kind: 'kustomize-build-fails',
  };
}

/**
 * kustomize's resource factory takes every document of a resource file only with a kind and a name (kyaml
 * rnode.go GetValidatedMetadata, called by api/resource/factory.go dropBadNodes): a document with no apiVersion,
 * kind or metadata ("missing Resource metadata"), one without a kind, or one without metadata.name (a List excepted)
 * fails the build. A kustomization file listed as a resource is the usual case: it has a kind but no name.
 */
export function refuseResourceMetadata(
  refusals: ReadProblems,
  file: string,
  dir: string,
  problems: readonly TextProblem[],
  objects: readonly ParsedObject[],
): void {
  const what = (n: number, says: string) =>
    `document ${n} ${says}: kustomize refuses it as a resource of ${dir} (every resource needs a kind and metadata.name)`;
  const listedKustomization = KUSTOMIZATION_FILES.includes(path.basename(file));
  const drop = "a kustomization file never goes in resources: remove it (list its folder instead when it is another kustomization's)";
  for (const p of problems.filter((x) => NOT_AN_OBJECT.test(x.message)))
    refusals.refused(
      file,
      `${what(Number(NOT_AN_OBJECT.exec(p.message)![1]), 'is no object with a kind ("missing Resource metadata")')}; ${listedKustomization ? drop : 'remove the file from resources, or complete it'}`,
    );
  // kustomize builds a document with a kind and a name but no apiVersion; the apply refuses it
  for (const p of problems.filter((x) => NO_API_VERSION.test(x.message)))
    refusals.problem(file, `${NO_API_VERSION.exec(p.message)![1]}: kustomize builds it into ${dir}, but ${API_VERSION_REFUSED}`, 'error', p.line);
  for (const p of problems.filter((x) => KINDLESS_LIST.test(x.message)))
    refusals.refused(file, `${KINDLESS_LIST.exec(p.message)![1]}: kustomize refuses it as a resource of ${dir} ("missing kind in object"); write kind: List`);
  for (const { index, manifest } of objects) {
    const kind = String(manifest.kind);
    if (kind.endsWith('List') || text(mapping(manifest.metadata).name)) continue;
    const kustomization = /^kustomize\.config\.k8s\.io\//.test(String(manifest.apiVersion)) || listedKustomization;
    refusals.refused(
      file,
      kustomization
        ? `${what(index + 1, `is a ${kind}, not a resource ("missing metadata.name in object {${String(manifest.apiVersion)} ${kind}}")`)}; ${drop}`
        : `${what(index + 1, `(${kind}) has no metadata.name ("missing metadata.name in object")`)}; give it a name`,
    );
  }
}
