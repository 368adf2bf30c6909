import { isMapping, Loose, strings } from '../../manifests/access';
import { shellScriptIndex } from '../command-line';
import { ANY_KIND, Problem, Rule } from '../rule';

/** A container's command or args element, by its path in the object: the container's path and the element. */
const CONTAINER_WORD = /^(.*\.(?:containers|initContainers)\[(\d+)\])\.(?:command|args)\[\d+\]$/;

/** The value at a path of plain keys and indexes (`spec.template.spec.containers[0]`), or undefined. */
function at(m: Loose, field: string): unknown {
  let v: unknown = m;
  for (const part of field.split('.')) {
    const [, key, index] = /^([^[]*)(?:\[(\d+)\])?$/.exec(part) ?? [];
    v = isMapping(v) && key !== undefined ? v[key] : undefined;
    if (index !== undefined) v = Array.isArray(v) ? v[Number(index)] : undefined;
  }
  return v;
}

/** Whether a field holds what a shell or program expands itself: a multi-line value (a script, a configuration file), or a word of a container that runs a shell script. */
function expandedByItsReader(m: Loose, field: string, block: boolean): boolean {
  if (block) return true;
  const word = CONTAINER_WORD.exec(field);
  const container = word ? at(m, word[1]) : undefined;
  return isMapping(container) && shellScriptIndex([...strings(container.command), ...strings(container.args)]) !== undefined;
}

export const fluxSubstitutionEmptiesVariable: Rule = {
  id: 'flux-substitution-empties-variable',
  title:
    "a `${VAR}` meant for a shell script or a program, in an object a Flux Kustomization's post-build substitution renders, is none of its variables: Flux writes it as an empty string",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "an object a Flux Kustomization builds with spec.postBuild.substitute or substituteFrom (a Kustomization of the tree whose path is followed, or, where the checked folder lies in a git work tree, one written outside it whose spec.path is the folder or a folder in it; not labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled), holding `${NAME}` without a default (not `$${NAME}`, Flux's escape, nor `${NAME:=x}` and the other default operators) in a multi-line value (a script or configuration file a ConfigMap or Secret holds, a block of a container's args) or in the command or args of a container that runs a shell script (`sh -c`), where NAME is no key of substitute and no substituteFrom source may give it (every source a ConfigMap of the tree that lacks it): Flux's envsubst runs over the whole object, so the shell or program never sees its own variable; one-line values elsewhere are unrendered-placeholder's, variables a Secret or a ConfigMap outside the tree may give are not judged",
  example: '`"${GITHUB_TOKEN}"` in a ConfigMap script that a Flux Kustomization with `postBuild` builds',
  fix: 'escape the variable as $${NAME} (Flux writes ${NAME} for the shell), or label or annotate the object kustomize.toolkit.fluxcd.io/substitute: disabled',
  source:
    'fluxcd/pkg kustomize/kustomize_varsub.go SubstituteVariables (the whole resource as YAML through envsubst where the Kustomization has variables; the substitute: disabled label or annotation skips it) and envsubst (parse/scan.go: `$$` escapes a `$`; template.go: a variable no substitution gives is the empty string, an error under strict mode); Flux docs, Kustomization API, "Post build variable substitution" (undefined variables become empty strings unless a default is given; escape with `$${var}`; the StrictPostBuildSubstitutions feature gate of kustomize-controller makes them fail the build)',
  scope: 'object',
  check(o) {
    const flux = o.fluxSubstitution;
    if (!flux || flux.error || !flux.emptyIn?.length) return [];
    const byField = new Map<string, string[]>();
    for (const { variable, field, block } of flux.emptyIn) {
      if (!expandedByItsReader(o.manifest, field, block)) continue;
      byField.set(field, [...new Set([...(byField.get(field) ?? []), variable])]);
    }
    if (!byField.size) return [];
    const fields = [...byField].map(([field, names]) => `${names.map((n) => `\${${n}}`).join(', ')} in ${field}`);
    const first = [...byField.values()][0][0];
    const problem: Problem = {
      message:
        `${flux.by} runs its post-build substitution over this object, and ${fields.join('; ')} ${fields.length > 1 || [...byField.values()][0].length > 1 ? 'are' : 'is'} none of its variables (spec.postBuild.substitute, substituteFrom) and without a default: ` +
        `Flux writes each as an empty string (or, with kustomize-controller's StrictPostBuildSubstitutions feature gate on, refuses the whole Kustomization), so the script or program that reads it never sees its own variable; ` +
        `escape it as $\${${first}} (Flux then writes \${${first}}), or label the object kustomize.toolkit.fluxcd.io/substitute: disabled`,
    };
    return [problem];
  },
};
