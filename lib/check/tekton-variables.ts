import { isMapping, Loose, mapping, mappings, strings, text } from '../manifests/access';

/**
 * Tekton's `$(…)` variables as its validating webhook reads them (tektoncd/pipeline pkg/substitution/substitution.go,
 * pkg/apis/pipeline/v1/param_types.go, task_validation.go, pipeline_validation.go; v1beta1 has the same functions).
 */

/** The group of Tekton Pipelines' own kinds (tektoncd/pipeline pkg/apis/pipeline/register.go GroupName). */
export const TEKTON_GROUP = 'tekton.dev';

/** A string field of a Tekton object, where it sits and its text. */
export interface TektonText {
  readonly at: string;
  readonly value: string;
}

/** A variable reference under a prefix: its name and, in the dot form, the key after it (`$(params.o.key)`). */
export interface TektonReference {
  readonly expression: string;
  readonly name: string;
  readonly key?: string;
  /** More than two dot-separated parts after the prefix, which ExtractVariablesFromString refuses. */
  readonly tooDeep: boolean;
}

/** substitution.go braceMatchingRegex with parameterSubstitution `.*?(\[\*\])?`: dot form, ["…"] and ['…'] forms. */
const referencePattern = (prefix: string) =>
  new RegExp(`\\$\\(${prefix}(?:\\.(.*?(?:\\[\\*\\])?)|\\["(.*?(?:\\[\\*\\])?)"\\]|\\['(.*?(?:\\[\\*\\])?)'\\])\\)`, 'g');

/** substitution.go arrayIndexing: `[0]`, `[*]` trimmed before the name is looked up (TrimArrayIndex). */
const ARRAY_INDEX = /\[([0-9])*\*?\]/g;

/** The references under `prefix` (a regular expression's text, dots escaped) in one string. */
export function tektonReferences(value: string, prefix: string): TektonReference[] {
  return [...value.matchAll(referencePattern(prefix))].map((m) => {
    if (m[1] === undefined) return { expression: m[0], name: (m[2] ?? m[3] ?? '').replace(ARRAY_INDEX, ''), tooDeep: false };
    const parts = m[1].replace(ARRAY_INDEX, '').split('.');
    return { expression: m[0], name: parts[0], key: parts[1], tooDeep: parts.length > 2 };
  });
}

/** An empty `$()`, which no Tekton variable pattern matches: it reaches the task as the three characters. */
export const EMPTY_SUBSTITUTION = /\$\(\s*\)/;

/** A declared parameter: its name and, for an object parameter, its keys (ParamSpec.Properties). */
export interface TektonParam {
  readonly name: string;
  readonly keys?: ReadonlySet<string>;
}

/** The parameters a spec declares; an object parameter is one typed `object` or, untyped, given properties (SetDefaults infers it). */
export function declaredParams(spec: Loose): TektonParam[] {
  return mappings(spec.params).flatMap((p) => {
    const name = text(p.name);
    if (!name) return [];
    const object = text(p.type) === 'object' || (p.type === undefined && isMapping(p.properties));
    return [object ? { name, keys: new Set(Object.keys(mapping(p.properties))) } : { name }];
  });
}

/** The strings of one parameter value: a string, an array's elements, an object's values. */
const valueTexts = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? strings(v) : Object.values(mapping(v)).flatMap((x) => (typeof x === 'string' ? [x] : []));

/** The params of a list (`params[name]`), as validatePipelineParametersVariablesInTaskParameters walks them. */
const paramTexts = (params: unknown, at: string): TektonText[] =>
  mappings(params).flatMap((p) => valueTexts(p.value).map((value) => ({ at: `${at}.params[${text(p.name) ?? '?'}]`, value })));

/**
 * The strings of a pipeline task the webhook reads `$(params.…)` in against the Pipeline's params
 * (validatePipelineParametersVariables): its params, its when expressions' input and values, its matrix's params.
 */
export function pipelineTaskTexts(task: Loose, at: string): TektonText[] {
  const when = mappings(task.when).flatMap((w, i) =>
    [text(w.input) ?? '', ...strings(w.values)].filter(Boolean).map((value) => ({ at: `${at}.when[${i}]`, value })),
  );
  const matrix = mapping(task.matrix);
  const include = mappings(matrix.include).flatMap((inc, i) => paramTexts(inc.params, `${at}.matrix.include[${i}]`));
  return [...paramTexts(task.params, at), ...when, ...paramTexts(matrix.params, `${at}.matrix`), ...include];
}

/** The strings of a step the webhook reads variables in (task_validation.go validateStepVariables). */
export function stepTexts(step: Loose, at: string): TektonText[] {
  const one = (field: string, v: unknown) => (typeof v === 'string' && v ? [{ at: `${at}.${field}`, value: v }] : []);
  return [
    ...one('name', step.name),
    ...one('image', step.image),
    ...one('workingDir', step.workingDir),
    ...one('script', step.script),
    ...strings(step.command).flatMap((v, i) => one(`command[${i}]`, v)),
    ...strings(step.args).flatMap((v, i) => one(`args[${i}]`, v)),
    ...mappings(step.env).flatMap((e) => one(`env[${text(e.name) ?? '?'}]`, e.value)),
    ...mappings(step.volumeMounts).flatMap((m, i) => ['name', 'mountPath', 'subPath'].flatMap((f) => one(`volumeMounts[${i}].${f}`, m[f]))),
    ...one('onError', step.onError),
  ];
}
