import { fillsVariable } from '../manifests/envsubst-format';
import { CAPITAL_IMAGE, CI_TOKEN, PLACEHOLDER_WORD } from '../manifests/placeholder-word';
import type { GraphObject } from './graph-object';

/**
 * Text another tool fills in before the object is applied: `${VAR}`, `$VAR`, `$(VAR)` (envsubst, shell, OpenShift
 * Templates), `{{ … }}` (Helm, Argo CD ApplicationSets, Go templates), a capitalised marker a script replaces with
 * sed (`VLLM_IMAGE_PLACEHOLDER`, `REPLACE_ME`, `CHANGE_ME`: the PLACEHOLDER_WORD words that say nothing of the value,
 * whereas a `REPLACE_WITH_BASE64_TOKEN` in a Secret's data is still read as the value applied) or a reader fills in by
 * hand (`<PROJECT>`, `<WORKBENCH_NAME>`: upper case, as the steps of a guide write them; `<T>` and lower-case tags are
 * text), or a CI pipeline's token (CI_TOKEN). A value holding one is judged by unrendered-placeholder, not by the
 * syntax of what it stands for (a label value).
 */
const TEMPLATE_SYNTAX = /\$\{|\$\(|\$[A-Za-z_]|\{\{|(?:^|[^A-Za-z])(?:PLACEHOLDER|REPLACE_?ME|CHANGE_?ME)(?:[^A-Za-z]|$)|<[A-Z][A-Z0-9_]+>/;

/**
 * The words samples and guides write where a reader is to put the real value: the one list, read in capitals as a
 * whole word of any value here (PLACEHOLDER_WORD), and in any case as the words of a credential's value by the
 * credential rules (credentials/placeholders.ts).
 */
export const PLACEHOLDER_WORDS = ['replace', 'your', 'change', 'changeme', 'placeholder', 'todo', 'fixme', 'tbd', 'redacted'] as const;

/** A registry or repository component a guide has its reader replace: `your-registry`, `yourregistry.azurecr.io`, `your_org`. */
const FILL_IN_COMPONENT = /^your[-_.]?[a-z]/i;

/**
 * The registry or repository component of an image left as a guide's fill-in (`your-registry/app:latest`,
 * `yourregistry.azurecr.io/…`, `your_org/…`), or undefined: the image is to be replaced, not pulled.
 */
export function fillInComponent(image: string): string | undefined {
  return image
    .split('@')[0]
    .split('/')
    .slice(0, -1)
    .find((c) => FILL_IN_COMPONENT.test(c));
}

/**
 * A component that can only be a guide's slot: `your` then a separator (`your-registry`, `your_org`, `your.registry`),
 * or `your` glued to the word for what goes there (`yourregistry.azurecr.io`, `yourorg`); not a name that merely
 * starts with the letters (`yourcompany-ml`).
 */
const GUIDE_SLOT_COMPONENT =
  /^your(?:[-_.][a-z0-9]|(?:registry|repo|repository|org|organi[sz]ation|namespace|user|username|account|project|dockerid|name)(?:\.|$))/i;

/** The component of an image that can only be a guide's slot (GUIDE_SLOT_COMPONENT), or undefined. */
export function guideSlotComponent(image: string): string | undefined {
  return image
    .split('@')[0]
    .split('/')
    .slice(0, -1)
    .find((c) => GUIDE_SLOT_COMPONENT.test(c));
}

/** The first upper-case placeholder word of a value (PLACEHOLDER_WORD), or undefined. */
export function placeholderWord(value: string): string | undefined {
  return PLACEHOLDER_WORD.exec(value)?.[0];
}

/** A renderer's syntax: `${VAR}`, `$VAR`, `$(VAR)` (envsubst, the shell, OpenShift Templates), `{{ … }}` (Helm, Go templates). */
const RENDERER_SYNTAX = /\$\{|\$\(|\$[A-Za-z_]|\{\{/;

/**
 * Whether a value holds what a renderer fills (RENDERER_SYNTAX, or a CI pipeline's token): as a reference's name, it
 * names what only the rendering decides, never an object to look up; unrendered-placeholder judges it.
 */
export function holdsRendererSyntax(value: string): boolean {
  return RENDERER_SYNTAX.test(value) || CI_TOKEN.test(value);
}

/** Whether a value is (or holds) a placeholder another tool fills in. */
export function holdsTemplate(value: string): boolean {
  return TEMPLATE_SYNTAX.test(value) || CI_TOKEN.test(value);
}

/**
 * Whether an image reference holds any placeholder (template syntax, a `<NAME>`, a capital placeholder word such as
 * `REPLACE_WITH_TESTED_VERSION`, or is a whole upper-case identifier such as `IMAGE_NAME`): unrendered-placeholder
 * judges it, not the rules on a reference's form or pinning.
 */
export function imageHoldsPlaceholder(ref: string): boolean {
  return holdsTemplate(ref) || ANGLE_PLACEHOLDER.test(ref) || PLACEHOLDER_WORD.test(ref) || CAPITAL_IMAGE.test(ref.trim());
}

/**
 * The template an unquoted `{{ X }}` was written as: YAML reads it as a flow mapping whose one key is `{ X }` and whose
 * value is null, so the template no longer shows as text; undefined for any other value.
 */
export function bracedTemplate(v: unknown): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v);
  return entries.length === 1 && entries[0][1] === null && /^\{.*\}$/.test(entries[0][0]) ? `{${entries[0][0]}}` : undefined;
}

/**
 * A placeholder that no renderer fills: `{ NAME }` in single braces (neither `${NAME}` for envsubst nor `{{ NAME }}`
 * for Helm, Go templates and the sed of a bootstrap script that looks for them) or `<NAME>`/`<name>` a reader was to
 * replace by hand; the token, or undefined. An unquoted `{ NAME }` reads as a YAML mapping (bracedTemplate).
 */
export function unfilledPlaceholder(v: unknown): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v);
    return entries.length === 1 && entries[0][1] === null && /^[A-Za-z_][\w.-]*$/.test(entries[0][0]) ? `{ ${entries[0][0]} }` : undefined;
  }
  if (typeof v !== 'string') return undefined;
  return /(?<![{$])\{\s*[A-Za-z_][\w.-]*\s*\}(?!\})|<[A-Za-z][\w.-]*>/.exec(v)?.[0];
}

/**
 * A `<NAME>`/`<name>` a reader was to replace by hand (`<YOUR_PROJECT_NAME>`, `<cluster-domain>`), or its doubled form
 * (`<<CLUSTER_NAME>>`, which a guide's `sed "s/<<CLUSTER_NAME>>/…/"` replaces): never a valid name or hostname. The
 * doubled form is matched whole first, so the token said is the one written.
 */
export const ANGLE_PLACEHOLDER = /<<[A-Za-z][\w.-]*>>|<[A-Za-z][\w.-]*>/;

/**
 * A value that is one envsubst placeholder whole (`${KUEUE_CHANNEL}`): a slot a renderer fills, not a value of its own.
 * A rule judging the value's name has nothing to judge; whether anything fills it is unrendered-placeholder's question.
 */
export function wholeEnvsubstPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(v.trim());
}

/** A parameter envsubst replaces (GNU gettext envsubst: `$VARIABLE` and `${VARIABLE}`), with its name. */
const ENVSUBST_PARAMETER = /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

/**
 * Whether a value of an object is expanded before the object reaches the cluster, so that what it will be is unknown
 * here: it holds an expansion the shell makes in the unquoted heredoc a script applies the object from (`name:
 * $service_name` under `cat <<EOF | kubectl apply -f -`; bash manual, "Here Documents": an unquoted delimiter's body
 * undergoes parameter expansion, a quoted one's is literal and is judged as written), or a variable envsubst fills
 * where a script pipes the object through it, or one Flux's post-build substitution takes from a substituteFrom
 * ConfigMap or Secret. A rule judging the value as a name or a reference has nothing to judge.
 */
export function filledWhenApplied(o: Pick<GraphObject, 'shellFills' | 'envsubstFills' | 'fluxSubstitution'>, value: string): boolean {
  if (o.shellFills?.some((e) => value.includes(e))) return true;
  // a variable Flux's post-build substitution takes from a substituteFrom ConfigMap or Secret (flux-followed.ts)
  const flux = o.fluxSubstitution?.unknown;
  if (flux?.length && [...value.matchAll(/\$\{#?([\p{L}\p{N}_]+)/gu)].some((m) => flux.includes(m[1]))) return true;
  const fills = o.envsubstFills;
  return fills !== undefined && [...value.matchAll(ENVSUBST_PARAMETER)].some((m) => fillsVariable(fills, m[1] ?? m[2]));
}
