/**
 * Text another tool fills in before the object is applied: `${VAR}`, `$VAR`, `$(VAR)` (envsubst, shell, OpenShift
 * Templates), `{{ … }}` (Helm, Argo CD ApplicationSets, Go templates), and a capitalised placeholder word a script
 * replaces with sed (`VLLM_IMAGE_PLACEHOLDER`, `REPLACE_ME`). A value holding one is judged by unrendered-placeholder,
 * not by the syntax of what it stands for (an image reference, a label value).
 */
const TEMPLATE_SYNTAX = /\$\{|\$\(|\$[A-Za-z_]|\{\{|(?:^|[^A-Za-z])(?:PLACEHOLDER|REPLACE_?ME|CHANGE_?ME)(?:[^A-Za-z]|$)/;

/** Whether a value is (or holds) a placeholder another tool fills in. */
export function holdsTemplate(value: string): boolean {
  return TEMPLATE_SYNTAX.test(value);
}
