import { strval } from './go-cast';
import { asJson, readJson, readYaml, writeJson, writeYaml } from './go-yaml';
import { isNil, NotRendered, TemplateError } from './go-values';
import { parseTemplate } from './template-parse';
import { Exec, TemplateFunc } from './template-exec';

/** Helm's failure of a `required` or `fail` call: a real Helm failure (the render stops with its message). */
export class HelmFail extends TemplateError {}

/** Names included now, for Helm's include recursion check (engine.go includeFun: more than recursionMaxNums of one name). */
const RECURSION_MAX = 1000;

function include(exec: Exec, counts: Map<string, number>): TemplateFunc {
  return ([name, data]) => {
    const n = strval(name);
    const body = exec.templates.get(n);
    if (!body) throw new TemplateError(`template: ${exec.name}: error calling include: template: no template "${n}" associated with template "gotpl"`);
    const c = (counts.get(n) ?? 0) + 1;
    if (c > RECURSION_MAX) throw new TemplateError(`rendering template has a nested reference name: ${n}: unable to execute template`);
    counts.set(n, c);
    try {
      return exec.run(body, data, n);
    } finally {
      counts.set(n, c - 1);
    }
  };
}

/** tpl: the string parsed as a template of the chart's set (its defines added) and run with the given data. */
function tpl(exec: Exec): TemplateFunc {
  return ([text, data]) => {
    const parsed = parseTemplate(strval(text), exec.name);
    for (const [k, v] of parsed.defines) exec.templates.set(k, v);
    return exec.run(parsed.root, data, exec.name).replace(/<no value>/g, '');
  };
}

/** required: the value, or Helm's failure with the message (engine.go: nil or an empty string fails). */
function required([msg, v]: unknown[], exec: Exec): unknown {
  if (isNil(v) || (typeof v === 'string' && v === '')) throw new HelmFail(`execution error at (${exec.name}): ${strval(msg)}`);
  return v;
}

function fromYaml([s]: unknown[]): unknown {
  try {
    const v = readYaml(strval(s));
    return v === null || typeof v !== 'object' || Array.isArray(v) ? {} : v;
  } catch (e) {
    return { Error: (e as Error).message };
  }
}

function fromJson([s]: unknown[]): unknown {
  try {
    return asJson(readJson(strval(s)));
  } catch (e) {
    return { Error: (e as Error).message };
  }
}

/** Helm's own functions (helm pkg/engine/funcs.go funcMap, engine.go initFunMap), bound to one render's executor. */
export function helmFuncs(exec: Exec): [string, TemplateFunc][] {
  const counts = new Map<string, number>();
  return [
    ['include', include(exec, counts)],
    ['tpl', tpl(exec)],
    ['required', required],
    [
      'fail',
      ([msg], cx) => {
        throw new HelmFail(`execution error at (${cx.name}): ${strval(msg)}`);
      },
    ],
    ['toYaml', ([v]) => writeYaml(v)],
    ['mustToYaml', ([v]) => writeYaml(v)],
    ['toYamlPretty', ([v]) => writeYaml(v)],
    ['fromYaml', fromYaml],
    ['fromYamlArray', ([s]) => (Array.isArray(readYaml(strval(s))) ? readYaml(strval(s)) : [])],
    ['toJson', ([v]) => writeJson(v)],
    ['mustToJson', ([v]) => writeJson(v)],
    [
      'toRawJson',
      ([v]) =>
        writeJson(v)
          .replace(/\\u003c/g, '<')
          .replace(/\\u003e/g, '>')
          .replace(/\\u0026/g, '&'),
    ],
    ['toPrettyJson', ([v]) => writeJson(v, '  ')],
    ['fromJson', fromJson],
    ['fromJsonArray', ([s]) => (Array.isArray(readJson(strval(s))) ? readJson(strval(s)) : [])],
    // helm template runs without a cluster: lookup gives an empty map (engine.go, clientProvider nil)
    ['lookup', () => ({})],
    [
      'toToml',
      () => {
        throw new NotRendered('the templates call toToml, which this check does not implement');
      },
    ],
  ];
}
