import { GO_TEMPLATE_BUILTINS } from '../catalog/go-template-builtins';
import { isMapping, Loose, mappings, text } from '../manifests/access';
import { predictorModelOf } from './runtime-selection';

/**
 * KServe's placeholders in a runtime's containers (kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go
 * ReplacePlaceholders): the container is marshalled to JSON, the JSON parsed with Go's text/template (no functions
 * added) and executed with the InferenceService's metav1.ObjectMeta as data. `{{.Name}}`, `{{.Labels.key}}` render;
 * a field ObjectMeta lacks fails the execution, an unknown function or broken syntax the parse, and either way the
 * predictor's reconcile errors ("failed to replace placeholders in serving runtime … Container …") and no Deployment
 * is made. Since the text parsed is JSON, a double quote in an action reaches the parser as `\"`, which it refuses:
 * string arguments work only as raw strings (`index .Annotations \`key\``; kserve/kserve issue 3851).
 */

/** The containers KServe renders: the predictor's (kserve-container, merged with the service's model) and, since 0.15, the transformer's. */
export const KSERVE_RENDERED_CONTAINERS: readonly string[] = ['kserve-container', 'transformer-container'];

/** What one `{{ … }}` does there: rendered, or why the reconcile fails on it. */
export interface KserveAction {
  readonly token: string;
  /** Why KServe fails on it, as a sentence part; undefined where it renders. */
  readonly fails?: string;
}

/** Go's text/template builtins: ReplacePlaceholders adds none. */
const GO_FUNCTIONS = new Set(GO_TEMPLATE_BUILTINS);

/** What a value is, as far as a field chain on it goes: `any` takes any chain, `nil` none (a nil pointer). */
type Shape = 'meta' | 'string' | 'int64' | 'map' | 'slice' | 'nil' | 'any';

/**
 * metav1.ObjectMeta's exported fields (k8s.io/apimachinery pkg/apis/meta/v1 types.go) and its one method with a value
 * receiver (SwaggerDoc, types_swagger_doc_generated.go): the data is passed by value, so GetName and the other
 * pointer-receiver methods are not reached. DeletionTimestamp and DeletionGracePeriodSeconds are nil on a live service.
 */
const OBJECT_META: Readonly<Record<string, Shape>> = {
  Name: 'string',
  GenerateName: 'string',
  Namespace: 'string',
  SelfLink: 'string',
  UID: 'string',
  ResourceVersion: 'string',
  Generation: 'int64',
  CreationTimestamp: 'any',
  DeletionTimestamp: 'nil',
  DeletionGracePeriodSeconds: 'nil',
  Labels: 'map',
  Annotations: 'map',
  OwnerReferences: 'slice',
  Finalizers: 'slice',
  ManagedFields: 'slice',
  SwaggerDoc: 'map',
};

const TYPE_NAMES: Readonly<Record<Shape, string>> = {
  meta: 'v1.ObjectMeta',
  string: 'string',
  int64: 'int64',
  map: 'map[string]string',
  slice: 'a slice',
  nil: 'a nil pointer',
  any: '',
};

/** Where a field chain fails on a shape, or undefined where it resolves. */
function chainFails(start: Shape, fields: readonly string[]): string | undefined {
  let shape = start;
  for (const f of fields) {
    if (shape === 'any') return undefined;
    if (shape === 'meta') {
      if (!(f in OBJECT_META)) return `ObjectMeta has no field ${f} (executing fails: "can't evaluate field ${f} in type v1.ObjectMeta")`;
      shape = OBJECT_META[f];
    } else if (shape === 'map') shape = 'string';
    else if (shape === 'nil') return `.${f} is read through a nil pointer (executing fails)`;
    else return `.${f} is read on ${TYPE_NAMES[shape]} (executing fails: "can't evaluate field ${f} in type ${TYPE_NAMES[shape]}")`;
  }
  return undefined;
}

/** One word of an action: a field chain (on the dot, a variable or a parenthesized group), an identifier, a literal or punctuation. */
interface Word {
  readonly kind: 'field' | 'var' | 'ident' | 'literal' | 'punct';
  readonly text: string;
  /** The field names a `.A.B` chain reads (after the variable, for `$x.A`). */
  readonly fields: readonly string[];
}

/** Characters json.Marshal escapes (`"` `\` `<` `>` `&` and control characters): in an action, each reaches the parser as `\…`. */
const escapedByJson = (c: string) => /["\\<>&\u2028\u2029]/.test(c) || c.charCodeAt(0) < 0x20;

/** A character as Go's json.Marshal writes it inside a string (encoding/json encodeState.string: HTML-safe escapes). */
const goJsonEscaped = (c: string) => (/[<>&\u2028\u2029]/.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1));

/** The words of an action's text, or why Go's lexer refuses it. */
function wordsOf(body: string): { words: Word[] } | { fails: string } {
  const words: Word[] = [];
  const re = /\s+|`[^`]*`|'(?:[^'\\]|\\.)*'|:=|[()|,=]|\$\w*(?:\.\w+)*|(?:\.\w+)+|\.|[A-Za-z_]\w*(?:\.\w+)*|[-+]?[0-9][\w.+-]*|./gy;
  for (let m = re.exec(body); m && m[0] !== ''; m = re.exec(body)) {
    const w = m[0];
    if (/^\s+$/.test(w)) continue;
    if (w.startsWith('`') || w.startsWith("'") || /^[-+]?[0-9]/.test(w)) words.push({ kind: 'literal', text: w, fields: [] });
    else if (escapedByJson(w))
      return {
        fails: `the container is marshalled to JSON before it is parsed, so the ${w} in it reaches Go's parser as ${goJsonEscaped(w)}, which it refuses; write string arguments as raw strings, \`…\``,
      };
    else if (w.startsWith('$')) words.push({ kind: 'var', text: w.split('.')[0], fields: w.split('.').slice(1) });
    else if (w.startsWith('.')) words.push({ kind: 'field', text: w, fields: w === '.' ? [] : w.slice(1).split('.') });
    else if (/^[A-Za-z_]/.test(w)) words.push({ kind: 'ident', text: w.split('.')[0], fields: w.split('.').slice(1) });
    else if (/^(?::=|[()|,=])$/.test(w)) words.push({ kind: 'punct', text: w, fields: [] });
    else return { fails: `Go's template parser refuses ${JSON.stringify(w)} in an action` };
  }
  return { words };
}

/** The state of a walk over a container's actions: the open blocks, the dot's shape, the variables in scope. */
interface Scope {
  readonly blocks: { keyword: string; dot: Shape; vars: number; at: number }[];
  dot: Shape;
  readonly vars: string[];
  /** The index of the action being read, among all of the container's. */
  at: number;
}

/** Why a pipeline fails (an unknown function, an undefined variable, a field chain that does not resolve), if it does. */
function pipelineFails(words: readonly Word[], scope: Scope): string | undefined {
  let rest = words;
  // a declaration ($x := …, $i, $e := … in a range) or an assignment
  const decl = rest.findIndex((w) => w.kind === 'punct' && (w.text === ':=' || w.text === '='));
  if (decl >= 0 && rest.slice(0, decl).every((w) => w.kind === 'var' || w.text === ',')) {
    const declared = rest.slice(0, decl).filter((w) => w.kind === 'var');
    if (rest[decl].text === '=') {
      const unknown = declared.find((w) => !scope.vars.includes(w.text));
      if (unknown) return `Go's template parser refuses the undefined variable ${unknown.text}`;
    }
    scope.vars.push(...declared.map((w) => w.text));
    rest = rest.slice(decl + 1);
  }
  for (const w of rest) {
    if (w.kind === 'ident' && !GO_FUNCTIONS.has(w.text) && !['true', 'false', 'nil'].includes(w.text))
      return `Go's template parser refuses ${w.text}: function "${w.text}" not defined (ReplacePlaceholders adds no functions to Go's builtins)`;
    if (w.kind === 'var' && w.text !== '$' && !scope.vars.includes(w.text)) return `Go's template parser refuses the undefined variable ${w.text}`;
    const on: Shape | undefined = w.kind === 'field' ? scope.dot : w.kind === 'var' ? (w.text === '$' ? 'meta' : 'any') : undefined;
    const fails = on ? chainFails(on, w.fields) : undefined;
    if (fails) return fails;
  }
  return undefined;
}

/** Keywords that open a block closed by {{end}}. */
const OPENS = ['if', 'with', 'range', 'define', 'block'];

/** Why a control action fails to parse ({{end}} with nothing open, {{else}} outside a block), or the pipeline's failure. */
function controlFails(keyword: string, words: readonly Word[], scope: Scope): string | undefined {
  const top = scope.blocks[scope.blocks.length - 1];
  if (keyword === 'end') {
    if (!top) return 'Go\'s template parser refuses an {{end}} that closes nothing ("unexpected {{end}}")';
    scope.blocks.pop();
    scope.vars.length = top.vars;
    scope.dot = top.dot;
    return undefined;
  }
  if (keyword === 'else') {
    if (!top || !['if', 'with', 'range'].includes(top.keyword))
      return 'Go\'s template parser refuses an {{else}} outside if, with or range ("unexpected {{else}}")';
    scope.dot = top.dot;
    const [next, ...rest] = words;
    if (next?.kind === 'ident' && (next.text === 'if' || next.text === 'with')) {
      const fails = pipelineFails(rest, scope);
      if (next.text === 'with') scope.dot = 'any';
      return fails;
    }
    return undefined;
  }
  if (keyword === 'break' || keyword === 'continue')
    return scope.blocks.some((b) => b.keyword === 'range') ? undefined : `Go's template parser refuses {{${keyword}}} outside a range`;
  if (keyword === 'template') return 'it calls a named template, which the container template does not define (executing fails: "no such template")';
  scope.blocks.push({ keyword, dot: scope.dot, vars: scope.vars.length, at: scope.at });
  const fails = keyword === 'define' || keyword === 'block' ? undefined : pipelineFails(words, scope);
  if (keyword !== 'if') scope.dot = 'any';
  return fails;
}

/** Why one action fails, updating the walk's scope; undefined where it renders. */
function actionFails(body: string, scope: Scope): string | undefined {
  const inner = body.replace(/^-\s/, '').replace(/\s-$/, '').trim();
  if (/^\/\*[\s\S]*\*\/$/.test(inner)) return undefined;
  if (!inner) return 'Go\'s template parser refuses an empty action ("missing value for command")';
  const lexed = wordsOf(inner);
  if ('fails' in lexed) return lexed.fails;
  const [first, ...rest] = lexed.words;
  if (first.kind === 'ident' && (OPENS.includes(first.text) || ['else', 'end', 'break', 'continue', 'template'].includes(first.text)))
    return controlFails(first.text, rest, scope);
  return pipelineFails(lexed.words, scope);
}

/** The `{{ … }}` actions of a text, with their bodies, and the text of an action left open. */
function actionsOf(value: string): { actions: { token: string; body: string }[]; unclosed?: string } {
  const actions: { token: string; body: string }[] = [];
  let at = value.indexOf('{{');
  while (at >= 0) {
    // a raw string may hold `}}`: the action ends at the first `}}` outside one
    const end = /^(?:[^`}]|`[^`]*`|\}(?!\}))*\}\}/.exec(value.slice(at + 2));
    if (!end) return { actions, unclosed: value.slice(at) };
    actions.push({ token: value.slice(at, at + 2 + end[0].length), body: end[0].slice(0, -2) });
    at = value.indexOf('{{', at + 2 + end[0].length);
  }
  return { actions };
}

/**
 * What KServe does with each `{{ … }}` of a container it renders, the container's strings given in order (with where
 * each is written): rendered, or why the reconcile fails on it. Blocks ({{if}} … {{end}}) may span strings, as the
 * container is parsed whole.
 */
export function kserveActions(values: readonly { where: string; value: string }[]): (KserveAction & { where: string })[] {
  const scope: Scope = { blocks: [], dot: 'meta', vars: [], at: 0 };
  const out: (KserveAction & { where: string })[] = [];
  for (const { where, value } of values) {
    const { actions, unclosed } = actionsOf(value);
    for (const a of actions) {
      scope.at = out.length;
      out.push({ where, token: a.token, fails: actionFails(a.body, scope) });
    }
    if (unclosed !== undefined)
      out.push({ where, token: unclosed.slice(0, 40), fails: 'Go\'s template parser refuses an action left open ("unclosed action")' });
  }
  // a block no {{end}} closes: the parse reaches the end of the text still inside it
  for (const b of scope.blocks)
    out[b.at] = { ...out[b.at], fails: out[b.at].fails ?? `Go's template parser refuses a {{${b.keyword}}} that no {{end}} closes ("unexpected EOF")` };
  return out;
}

/** Every string of a container with where it is written, in the container's order: the texts ReplacePlaceholders parses. */
export function containerStrings(container: Loose, name: string): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [];
  const walk = (v: unknown, where: string): void => {
    if (typeof v === 'string') out.push({ where, value: v });
    else if (Array.isArray(v)) v.forEach((x) => walk(x, where));
    else if (isMapping(v)) for (const [k, x] of Object.entries(v)) walk(x, `${where}.${k}`);
  };
  for (const [k, v] of Object.entries(container)) {
    if (k === 'env') for (const e of mappings(v)) walk(e.value, `container '${name}' env ${text(e.name) ?? ''}`);
    else if (k === 'command' || k === 'args') walk(v, `container '${name}' command line`);
    else walk(v, `container '${name}' ${k}`);
  }
  return out;
}

/**
 * Whether KServe renders the named container of an object: a runtime's kserve-container and transformer-container, and
 * a service's model container (merged into the runtime's kserve-container) and transformer-container, where the service
 * serves a model through a runtime (predictor.go buildPodSpec); a custom container's predictor is not rendered.
 */
export function kserveRenders(m: Loose, name: string): boolean {
  if (!KSERVE_RENDERED_CONTAINERS.includes(name)) return false;
  if (m.kind === 'ServingRuntime' || m.kind === 'ClusterServingRuntime') return true;
  return m.kind === 'InferenceService' && predictorModelOf(m) !== undefined;
}

/**
 * The fields of metav1.ObjectMeta a KServe placeholder names (OBJECT_META), lower-cased: a `{.name}` or `{.Name}` with
 * one brace is read as meant for one of them.
 */
const META_FIELDS_LOWER: ReadonlyMap<string, string> = new Map(Object.keys(OBJECT_META).map((f) => [f.toLowerCase(), f]));

/**
 * A KServe placeholder written with one brace each side (`{.Name}`, `{ .Namespace }`, `{.Labels.team}`): Go's
 * text/template takes only `{{` as an action's start, so ReplacePlaceholders leaves the text as it is and the container
 * receives it literally. Said where the first field is one of ObjectMeta's (any case), so a JSON value (`{"a": 1}`)
 * or a shell's `${x}` is never read as one. Returns the token and the placeholder meant.
 */
export function singleBracePlaceholders(value: string): { token: string; meant: string }[] {
  const out: { token: string; meant: string }[] = [];
  for (const m of value.matchAll(/(?<!\{)\{\s*\.([A-Za-z]\w*)((?:\.\w+)*)\s*\}(?!\})/g)) {
    const field = META_FIELDS_LOWER.get(m[1].toLowerCase());
    if (field) out.push({ token: m[0], meant: `{{.${field}${m[2]}}}` });
  }
  return out;
}
