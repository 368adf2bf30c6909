import * as fs from 'fs';
import * as path from 'path';
import { localeOrder, readBounded, walkTree } from './files';
import { MAKEFILE, makeRecipes } from './make-recipes';
import { EnvsubstFills, envsubstApplied, envsubstFills, EXPANDVARS } from './envsubst-format';
import { exportedVariables, logicalLines, plainWords, TreeScript, variablesOf } from './script-text';
import { withWrappersExpanded } from './script-wrappers';
import { sourcedLibraryTexts } from './sourced-libraries';
import { GitCheckout, gitCheckoutOf } from './git-checkout';
import { githubRepositoryOf, rawRepositoryFile } from './repository-urls';
import { pipelinesOf, SedEdit, SedReplacements, sedReplacements, sedTokens } from './sed-program';

/**
 * The commands that turn a file into a manifest before it is applied, by the name a message gives them: envsubst,
 * a sed substitution (`sed "s/NS/$NS/g" file`, not `sed -n 1p`), OpenShift's `oc process`, gomplate, j2/jinja2, and
 * yq when it writes the environment in (`env(…)`, `strenv(…)`, `envsubst`) or edits in place (`-i`).
 */
const RENDERERS: readonly (readonly [string, RegExp])[] = [
  ['envsubst', /\benvsubst\b/],
  ['sed', /\bsed\b.*?(?:^|['"\s])s([/|#,:@!%]).*?\1.*?\1/],
  ['oc process', /\b(?:oc|kubectl)\s+process(?=\s|$)/],
  ['gomplate', /\bgomplate\b/],
  ['j2', /(?:^|[\s;&|(])(?:j2|jinja2)\s/],
  ['yq', /\byq\b.*(?:\b(?:str)?env\(|\s-i\b|\s--inplace\b)/],
  // Python's os.path.expandvars over a file's text (`python3 -c "…os.path.expandvars(open(sys.argv[1]).read())" f`)
  [EXPANDVARS, /\bos\.path\.expandvars\b/],
];

/**
 * The renderer a line runs, and the sed tokens it fills in the files it renders: those of a line that sed renders
 * (one that envsubst renders first is named envsubst, its sed tokens not among what it fills). A message names the
 * renderer with them (`sed (replacing '<REPO_URL>')`).
 */
function rendererFilling(line: string, tokens: readonly string[]): { readonly renderer: string; readonly program: string; readonly fills: readonly string[] } {
  const renderer = rendererOf(line) ?? '';
  const fills = renderer === 'sed' ? tokens : [];
  return { renderer: fills.length ? `sed (${fills.map((t) => `replacing '${t}'`).join(', ')})` : renderer, program: renderer, fills };
}

/** The renderer a line of text runs, if any. */
export function rendererOf(line: string): string | undefined {
  return RENDERERS.find(([, re]) => re.test(line))?.[0];
}

/**
 * What a file's own comments say renders it (`# Usage: envsubst < n8n.yaml | oc apply -f -`): the first comment line,
 * at the start of a line (an indented `#` may be a line of a block scalar, such as a script in a ConfigMap), that runs
 * a renderer.
 */
export function commentRenderer(source: string): string | undefined {
  for (const m of source.matchAll(/^#[ \t]*(.*)$/gm)) {
    if (rendererOf(m[1])) return m[1].trim().slice(0, 120);
  }
  return undefined;
}

/** Tools that apply a file as it is written (`kubectl apply -f`), or read it as values rather than as the manifest (`helm -f values.yaml`). */
const RAW_APPLIERS = new Set(['kubectl', 'oc', 'k', 'kubecolor', 'microk8s', 'k3s', 'helm', 'kustomize', 'argocd', 'docker', 'kind', 'minikube']);

/** A command's option naming a YAML file it reads (`-f jobset.yaml`, `--filename=job.yml`). */
const FILE_OPTION = /\s(?:-f|--file|--filename)(?:\s+|=)\S+\.ya?ml\b/;

/**
 * The command a file's head comment gives to submit it through a tool of its own (`# Usage: arnold submit -f
 * jobset.yaml --job-name …`): a line of the comment block that opens the file, its `\` continuations joined, that
 * runs `<tool> <verb> … -f <file>.yaml` with a tool that is not one applying files as they are (kubectl, oc, helm …).
 * Such a tool fills the file's placeholders before it submits it; the tool and verb, and the command, or undefined.
 */
export function commentSubmitter(source: string): { readonly tool: string; readonly command: string } | undefined {
  const head = /^(?:[ \t]*(?:#.*)?\r?\n)*/.exec(source)?.[0] ?? '';
  const lines = head
    .split(/\r?\n/)
    .map((l) => l.replace(/^[ \t]*#[ \t]?/, '').trim())
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  for (const line of lines) {
    // environment assignments before the command (`FORCE_X=true arnold submit …`)
    const command = line.replace(/\s+/g, ' ').replace(/^(?:\$ )?(?:[A-Za-z_]\w*=\S* )*/, '');
    const m = /^([a-z][\w.-]*)\s+([a-z][\w-]*)(\s.*)$/.exec(command);
    if (m && FILE_OPTION.test(m[3]) && !RAW_APPLIERS.has(m[1]) && !rendererOf(command)) return { tool: `${m[1]} ${m[2]}`, command: command.slice(0, 120) };
  }
  return undefined;
}

/**
 * A comment of a file that tells its reader to fill in a variable by hand (`# replace $KSA_NAME with your Kubernetes
 * Service Account`, `# set ${BUCKET} to …`): the file is a sample to fill in, not one applied as it is. Indented
 * comments count (they sit beside the field they explain).
 */
export function fillInComment(source: string): string | undefined {
  const m = /^[ \t]*#[ \t]*(.*\b(?:replace|substitute|set|change|fill in|update)\b.*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?.*)$/im.exec(source);
  return m?.[1].trim().slice(0, 120);
}

/**
 * Files that say how a tree is deployed: shell scripts, Makefiles, task runners, READMEs and other Markdown, CI
 * workflows, GitLab CI files (`.gitlab-ci.yml`, and the `deploy.gitlab-ci.yml` its `include:` reads), Azure Pipelines
 * files (`azure-pipelines.yml`, `deploy-pipeline.yml`; a Kubernetes object of that name, a Tekton Pipeline, is left
 * out by its text).
 */
const SCRIPT_NAME =
  /(\.(sh|bash|md|markdown|mk)|^(GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile|Taskfile(\.dist)?\.ya?ml|Jenkinsfile|[\w.-]*\.gitlab-ci\.ya?ml)|(^|[-_.])pipelines?([-_.][\w.-]*)?\.ya?ml)$/i;
/** A file named as a pipeline that is a Kubernetes object (a Tekton Pipeline), not a CI pipeline. */
const KUBERNETES_OBJECT = /^kind:\s*\S/m;
/** Pipeline file names, told apart from the other scripts to leave out Kubernetes objects of such names. */
const PIPELINE_NAME = /pipelines?([-_.][\w.-]*)?\.ya?ml$/i;
/** CI workflows are YAML, told by their folder (and so are the GitLab CI files of `.gitlab/`, GITLAB_FOLDER). */
const WORKFLOW_FOLDER = /(^|\/)\.github\/workflows$/;
/**
 * A GitHub Actions composite action of the repository (`.github/actions/deploy/action.yml`), whose `run:` steps a
 * workflow runs by `uses: ./.github/actions/deploy` (GitHub docs "Creating a composite action": action.yml or action.yaml).
 */
export const ACTION_FOLDER = /(^|\/)\.github\/actions(\/[^/]+)*$/;
export const ACTION_FILE = /^action\.ya?ml$/;
/** The folder GitLab CI files an `include: local:` reads are kept in by convention (`.gitlab/ci/deploy.yml`). */
const GITLAB_FOLDER = /(^|\/)\.gitlab(\/[^/]+)*$/;
/** Folders no deployment script lives in. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);
/** Bounds on the search: a script larger than this is no deployment script; a tree this large is read in part. */
const MAX_SCRIPT_BYTES = 512 * 1024;
const MAX_SCRIPTS = 2000;
const MAX_ENTRIES = 50_000;

/** How a script writes a file it renders: the tokens its sed replaces, and whether it edits the file itself. */
export interface RenderedWrite {
  readonly tokens: readonly string[];
  /**
   * An edit in place (`sed -i`, `yq -i`): the source file itself is filled, so what any delivery reads afterwards (a
   * commit an Argo CD Application syncs included) holds the values, not the placeholders.
   */
  readonly inPlace?: boolean;
}

/** One file (or folder glob) a script renders. */
export interface RenderTarget {
  /** The path as the script names it, its variable folders dropped: `manifests/n8n.yaml`, `n8n.yaml`, `manifests/*.yaml`. */
  readonly pattern: string;
  /** The renderer in words, for messages: `sed (replacing '<REPO_URL>')`, `envsubst (in render)`. */
  readonly renderer: string;
  /** The renderer's program, one of RENDERERS' names: `envsubst`, `sed`, `oc process`, `gomplate`, `j2`, `yq`. */
  readonly program: string;
  readonly line: number;
  /**
   * The renderer writes its output over this file (`sed … x.yaml.template > x.yaml`, `envsubst < t > x.yaml`, `sed -i`),
   * with the placeholder words a sed substitution replaces: what anything applies afterwards is the rendered file.
   */
  readonly writes?: RenderedWrite;
  /** The literal tokens the renderer, a sed substitution, replaces in the file (`s|<REPO_URL>|$URL|g`: `<REPO_URL>`); absent when none. */
  readonly sedFills?: readonly string[];
  /**
   * The file's sed replaces its sedFills and nothing else: the pipeline that reads the file runs sed alone (no other
   * renderer), every sed command of it was read, and the file is edited in place or its output applied (not written
   * over another file): a placeholder no token matches reaches what is applied as written.
   */
  readonly sedExact?: true;
  /**
   * The edits of the sed alone that renders the file on its way to the cluster (its output applied, or the file edited
   * in place), their replacements filled from the script's variables where it gives one value, else left unknown; or
   * those an envsubst piped into an apply makes (envsubstEdits).
   */
  readonly sedEdits?: readonly SedEdit[];
  /** The renderer's output goes straight to the cluster (`envsubst < x.yaml.template | oc apply -f -`): the command line, when it does. */
  readonly applied?: string;
  /** The variables envsubst fills where the line pipes its output straight into an apply (envsubstApplied). */
  readonly fills?: EnvsubstFills;
  /** The path holds no variable nor `..`: it is read from the folder the command runs in, not matched by its last segments only. */
  readonly anchored?: boolean;
  /**
   * The GitHub repository (`owner/repo`) whose raw URL names the file (`curl …/raw.githubusercontent.com/…/x.yaml |
   * envsubst | kubectl apply -f -`): the pattern is then the path from that repository's root.
   */
  readonly repository?: string;
}

/** A command line whose output is piped into `oc|kubectl apply|create -f -` (the command ending there, or at `;`, `&&`, `)`). */
const PIPED_INTO_APPLY = /\|\s*(?:oc|kubectl)\b[^|;&]*\b(?:apply|create)\b[^|;&]*\s-f\s*-(?=[\s;&|)]|$)/;

/** How many spellings of one word the expansion keeps: a loop over a few files times a few folders, no more. */
const MAX_EXPANSIONS = 64;

/**
 * A variable reference: `${name}`, `$name`, or `${name%suffix}` (`%%`, `#`, `##`: a literal prefix or suffix removed,
 * POSIX XCU 2.6.2 "Parameter Expansion"; a pattern with a glob is left unexpanded).
 */
const REFERENCE = /\$\{([A-Za-z_]\w*)(?:(%%?|##?)([^}*?[\]]+))?\}|\$([A-Za-z_]\w*)/;

/** A value with a literal prefix or suffix removed, as `${v#p}` and `${v%p}` do (unchanged when it does not match). */
function trimmed(value: string, operator: string | undefined, pattern: string | undefined): string {
  if (!operator || !pattern) return value;
  if (operator.startsWith('%')) return value.endsWith(pattern) ? value.slice(0, -pattern.length) : value;
  return value.startsWith(pattern) ? value.slice(pattern.length) : value;
}

/**
 * A word with its variables replaced by the values the script gives them, two levels deep: a leading folder
 * (`$WEBAPP_DIR/deployment.yaml` with `WEBAPP_DIR="$SCRIPT_DIR/web-application"` is
 * `$SCRIPT_DIR/web-application/deployment.yaml`) and a loop variable anywhere (`"$DIR/k8s/${f}"` inside `for f in
 * a.yaml b.yaml` is `$DIR/k8s/a.yaml` and `$DIR/k8s/b.yaml`; `"${t%.template}.local"` inside `for t in *.yaml.template`
 * is `*.yaml.local`); a variable the script gives no value stays as written.
 */
export function expansions(word: string, vars: Map<string, string[]>, depth = 2): string[] {
  if (depth <= 0) return [word];
  let spellings = [''];
  let rest = word;
  let expanded = false;
  for (let m = REFERENCE.exec(rest); m; m = REFERENCE.exec(rest)) {
    const values = vars.get(m[1] ?? m[4])?.map((v) => trimmed(v, m?.[2], m?.[3]));
    const before = rest.slice(0, m.index);
    const parts = values?.length ? values : [m[0]];
    expanded ||= Boolean(values?.length);
    spellings = spellings.flatMap((s) => parts.map((v) => s + before + v)).slice(0, MAX_EXPANSIONS);
    rest = rest.slice(m.index + m[0].length);
  }
  if (!expanded) return [word];
  return [...new Set(spellings.map((s) => s + rest).flatMap((s) => expansions(s, vars, depth - 1)))];
}

/**
 * A file name a variable completes (`manifests/dep-${X}.yaml`), as the glob of every file it can name
 * (`manifests/dep-*.yaml`): the variable's value in the script (`X="a"`) is the reader's to change, and the files of the
 * tree the name fits are the ones it is written for. A loop's variable (`for X in a b`) takes its listed values only,
 * and a name that is the variable and an extension alone (`${NAME}.yaml`) would fit every file: undefined for both.
 */
export function nameGlob(word: string, loopVariables: ReadonlySet<string>): string | undefined {
  const at = word.lastIndexOf('/') + 1;
  const last = word.slice(at);
  const references = [...last.matchAll(new RegExp(REFERENCE.source, 'g'))];
  if (!references.length || references.some((m) => loopVariables.has(m[1] ?? m[4]))) return undefined;
  const glob = last.replace(new RegExp(REFERENCE.source, 'g'), '*');
  if (!/[A-Za-z0-9]/.test(glob.replace(/\.(ya?ml|json)(\.(template|tmpl|tpl))?$/i, ''))) return undefined;
  return word.slice(0, at) + glob;
}

/** The variables a script's `for` loops bind. */
export function loopVariablesOf(text: string): Set<string> {
  return new Set([...text.matchAll(/\bfor\s+([A-Za-z_]\w*)\s+in\b/g)].map((m) => m[1]));
}

/**
 * A path as a script names it, reduced to what can be matched in the tree: the trailing segments after the last one
 * that holds a variable (`$SCRIPT_DIR/manifests/n8n.yaml` is `manifests/n8n.yaml`); undefined for what is no manifest
 * file or glob.
 */
export function pathPattern(word: string): string | undefined {
  if (word.includes('://')) return undefined;
  const segments = word.split('/');
  const kept: string[] = [];
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (s.includes('$') || s === '' || s === '.' || s === '..' || s === '~') break;
    kept.unshift(s);
  }
  const last = kept[kept.length - 1];
  // a word of a sed program or a regular expression (`s/.*= *"\(.*\)"/\1/` splits into `s/.*=` and `*`) names no
  // file: a glob is a path of plain segments whose last names manifests (`k8s/*.yaml`) or is a folder's `*`
  if (!last || kept.some((s) => /[\\()[\]^$"'=|+?]/.test(s))) return undefined;
  const glob = last.includes('*') && (/^[\w.*-]*\*[\w.*-]*\.(ya?ml|json)$/i.test(last) || (last === '*' && kept.length > 1));
  // a template of a manifest (`sa.yaml.template`, autoconf's `sa.yaml.in`, a bare `sa.tmpl`) is rendered into one
  return /\.(ya?ml|json)(\.(template|tmpl|tpl|in))?$|\.(template|tmpl|tpl)$/i.test(last) || glob ? kept.join('/') : undefined;
}

/**
 * The files a script renders: on each line that runs a renderer, every word naming a manifest file or a glob, and
 * a variable's words (`"$f"`, `$MANIFEST`, `$DIR/x.yaml`) through the values the script gives that variable (a loop's
 * words, an assignment); a variable set from a function's parameters (`$1`) names nothing.
 */
export function renderTargets(text: string, examples = false): RenderTarget[] {
  const all = logicalLines(text);
  const lines = all.map((l, at) => ({ ...l, at })).filter((l) => rendererOf(l.text));
  if (!lines.length) return replaceTokensTargets(text);
  const vars = variablesOf(text);
  const loops = loopVariablesOf(text);
  const out: RenderTarget[] = [];
  for (const { line, text: t, at } of lines) {
    // the line's sed tokens, once: the renderer's name and each file it writes carry them
    const tokens = sedTokens(t);
    const { renderer, program, fills } = rendererFilling(t, tokens);
    const sedFills = fills.length ? { sedFills: fills } : {};
    const written = writtenWords(t);
    const envsubst = program === 'envsubst' ? envsubstApplied(withQuotedTail(t, all, at)) : expandvarsApplied(program, t, text);
    const seds = /\bsed\b/.test(t) ? wordSeds(t) : new Map<string, SedReplacements>();
    const appliedLater = appliedAfterWrite(all, at, written);
    for (const w of plainWords(t)) {
      const writes = written === 'all' ? { writes: { tokens, inPlace: true } } : written.has(w) ? { writes: { tokens } } : {};
      const own = seds.get(w);
      // the tokens of the sed that reads this word's file, where its pipeline runs one (before an envsubst too: `sed
      // … f | envsubst | kubectl apply -f -`): all it replaces, when read whole
      const sed = own?.tokens.length ? { sedFills: own.tokens } : sedFills;
      const exact = own?.exact && own.tokens.length && (!writes.writes || writes.writes.inPlace) ? { sedExact: true as const } : {};
      const reaches = writes.writes ? writes.writes.inPlace : PIPED_INTO_APPLY.test(t) || appliedLater !== undefined;
      // a guide's variables are the reader's to set (`IMG=…` an example value): its edits fill only literal text
      const known = examples ? new Map<string, string[]>() : vars;
      const edits =
        own?.edits?.length && reaches
          ? { sedEdits: own.edits.map((e) => filledEdit(e, known)) }
          : program === 'envsubst' && envsubst && !writes.writes
            ? { sedEdits: envsubstEdits(envsubst, known, examples ? new Set() : exportedVariables(text)) }
            : {};
      const glob = nameGlob(w, loops);
      const named = expansions(w, vars);
      for (const candidate of [...named, ...(glob ? expansions(glob, vars) : [])]) {
        const raw = rawRepositoryFile(candidate);
        const pattern = raw && pathPattern(raw.path) ? raw.path : pathPattern(candidate);
        const piped = PIPED_INTO_APPLY.test(t) ? t.replace(/\s+/g, ' ').trim() : appliedLater;
        const applied = piped && !writes.writes ? { applied: piped } : {};
        const filled = envsubst && !writes.writes ? { fills: envsubst } : {};
        if (pattern && !out.some((o) => o.pattern === pattern && o.line === line))
          out.push({
            pattern,
            renderer,
            program,
            line,
            ...writes,
            ...sed,
            ...exact,
            // a file the name only may fit (its variable the reader's to change) is not the one the script edits
            ...(named.includes(candidate) ? edits : {}),
            ...applied,
            ...filled,
            ...(raw ? { repository: raw.repository } : anchoring(candidate)),
          });
      }
    }
  }
  return [...out, ...replaceTokensTargets(text)];
}

/**
 * What an envsubst piped into an apply does to a file, as edits: each `${NAME}` it fills that the script exports with
 * one value becomes that value; any other `$` may become anything (a variable of the environment the script runs in, or
 * one it sets without exporting, which envsubst writes as an empty string), so it makes a namespace it is in unknown.
 */
function envsubstEdits(fills: EnvsubstFills, vars: Map<string, string[]>, exported: ReadonlySet<string>): SedEdit[] {
  const known = [...exported].flatMap((name) => {
    const values = vars.get(name) ?? [];
    const filled = fills === 'all' || fills.includes(name);
    return filled && values.length === 1 && !values[0].includes('$')
      ? [{ pattern: `\${${name}}`, replacement: values[0], global: true, ignoreCase: false }]
      : [];
  });
  return [...known, { pattern: '$', global: true, ignoreCase: false }];
}

/** A sed edit with the script's variables in its replacement put in where each has one value; unknown where one has none or several. */
function filledEdit(e: SedEdit, vars: Map<string, string[]>): SedEdit {
  if (e.replacement === undefined || !e.replacement.includes('$')) return e;
  const values = expansions(e.replacement, vars);
  const { replacement: _written, ...rest } = e;
  return values.length === 1 && !values[0].includes('$') ? { ...rest, replacement: values[0] } : rest;
}

/**
 * The sed of each word's pipeline on a line a sed renders (`sed -i 's|IMG|x|' a.yaml && sed -i 's|HOST|y|' b.yaml`: a.yaml
 * IMG, b.yaml HOST), for the words of pipelines that run sed and no other renderer: what those replace is all that
 * changes the file on its way. A word met in two pipelines keeps the first.
 */
function wordSeds(line: string): Map<string, SedReplacements> {
  const out = new Map<string, SedReplacements>();
  for (const pipeline of pipelinesOf(line)) {
    const joined = pipeline.join(' | ');
    if (!/\bsed\b/.test(joined)) continue;
    const other = RENDERERS.some(([name, re]) => name !== 'sed' && re.test(joined));
    const replaced = sedReplacements(pipeline);
    for (const w of plainWords(joined)) if (!out.has(w)) out.set(w, other ? { tokens: replaced.tokens, exact: false } : replaced);
  }
  return out;
}

/**
 * What os.path.expandvars fills where a line pipes its output straight into an apply: the variables the script
 * exports (EXPANDVARS); undefined for another program, or output not applied.
 */
function expandvarsApplied(program: string, line: string, text: string): EnvsubstFills | undefined {
  return program === EXPANDVARS && PIPED_INTO_APPLY.test(line) ? [...exportedVariables(text)] : undefined;
}

/** Whether a path a script names is read from the folder the command runs in: no variable, no `..`, not absolute (RenderTarget.anchored). */
function anchoring(candidate: string): { anchored?: true } {
  return /\$|^[/~]|(^|\/)\.\.(\/|$)/.test(candidate) ? {} : { anchored: true };
}

/** An Azure Pipelines step running the Replace Tokens task (`replacetokens@5`, `qetza.replacetokens.replacetokens-task.replacetokens@3`). */
const REPLACE_TOKENS_TASK = /^(\s*)-?\s*task:\s*['"]?(?:[\w.-]+\.)?replacetokens@\d+/i;
/** The task's input naming the files it fills: targetFiles up to v5, sources from v6 (qetza/replacetokens-task). */
const REPLACE_TOKENS_FILES = /^\s*(?:targetFiles|sources):\s*(.*)$/;

/**
 * The files an Azure Pipelines Replace Tokens task fills in place before a later step applies them: its targetFiles
 * (or sources) input, one line or a block, entries split by newline, comma or `;`, an `in => out` entry naming both.
 */
function replaceTokensTargets(text: string): RenderTarget[] {
  const lines = text.split('\n');
  const out: RenderTarget[] = [];
  lines.forEach((l, i) => {
    const task = REPLACE_TOKENS_TASK.exec(l);
    if (!task) return;
    const indent = (s: string) => /^\s*/.exec(s)?.[0].length ?? 0;
    let end = i + 1;
    while (end < lines.length && (!lines[end].trim() || indent(lines[end]) > task[1].length)) end++;
    const block = lines.slice(i + 1, end);
    const at = block.findIndex((b) => REPLACE_TOKENS_FILES.test(b));
    if (at < 0) return;
    const inline = (REPLACE_TOKENS_FILES.exec(block[at])?.[1] ?? '').trim();
    const own = indent(block[at]);
    const rest = block.slice(at + 1);
    const more = rest.findIndex((b) => b.trim() && indent(b) <= own);
    const entries = /^[|>]/.test(inline) ? rest.slice(0, more < 0 ? undefined : more) : [inline];
    for (const word of entries.flatMap((e) => e.split(/[,;\n]|=>/)).map((w) => w.trim().replace(/^['"]|['"]$/g, ''))) {
      const pattern = word && !word.startsWith('!') ? pathPattern(word) : undefined;
      if (pattern) out.push({ pattern, renderer: 'the Replace Tokens task', program: 'replacetokens', line: i + 1, writes: { tokens: [] } });
    }
  });
  return out;
}

/** `> FILE` (not `>>`, `2>` nor `&>`): the file a command's output replaces. */
const REDIRECT = /(?:^|[^>&\d])>(?!>)[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s<>|;&]+)/g;
/** sed's and yq's in-place flags (`sed -i`, `sed -i.bak`, `sed --in-place`, `yq -i`, `yq --inplace`). */
const IN_PLACE = /\b(?:sed\b[^|;&]*\s(?:-i\S*|--in-place\S*)|yq\b[^|;&]*\s(?:-i|--inplace))(?=\s|$)/;

/** A kubectl or oc apply (or create) of one file: the file as written. */
const APPLY_FILE = /\b(?:oc|kubectl)\b[^|;&]*\b(?:apply|create)\b[^|;&]*?\s(?:-f|--filename)(?:=|\s+)("[^"\n]*"|'[^'\n]*'|[^\s;&|)]+)/;
const unquoted = (w: string) => w.replace(/^(["'])(.*)\1$/, '$2');

/**
 * Where a renderer line writes its output to a file that a later command of the script applies as it is
 * (`envsubst < sa.yaml.template > /tmp/sa.yaml`, then `kubectl apply -f /tmp/sa.yaml`): the two commands, as the
 * messages quote the apply; undefined where no later command applies what it writes.
 */
function appliedAfterWrite(all: readonly { line: number; text: string }[], at: number, written: Set<string> | 'all'): string | undefined {
  if (written === 'all' || !written.size) return undefined;
  const words = new Set([...written].map(unquoted));
  const later = all.slice(at + 1).find((l) => {
    const apply = APPLY_FILE.exec(l.text);
    return apply !== null && words.has(unquoted(apply[1]));
  });
  return later && `${all[at].text}; ${later.text}`.replace(/\s+/g, ' ').trim();
}

/** The words of a renderer line that name files it writes: every file of an in-place edit, else its redirect targets. */
function writtenWords(line: string): Set<string> | 'all' {
  if (IN_PLACE.test(line)) return 'all';
  return new Set([...line.matchAll(REDIRECT)].flatMap((m) => plainWords(m[1])));
}

/** A shell function that runs a renderer on one of its parameters, and which (1 for `$1`). */
export interface RenderingFunction {
  readonly renderer: string;
  readonly parameter: number;
  /** What its envsubst fills where the body pipes the output straight into an apply (envsubstApplied). */
  readonly fills?: EnvsubstFills;
  /** What its envsubst fills in its output wherever that goes (envsubstFills): a call that pipes it into an apply fills these. */
  readonly outputFills?: EnvsubstFills;
}

const FUNCTION_START = /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*(?:\(\s*\))?\s*\{\s*$|^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\s*\)\s*$/;

/**
 * The shell functions of a script that render a file given as a parameter (`apply_manifest() { envsubst < "$1" | oc
 * apply -f -; }`, or through a local set from it: `local file="$1"`): the body up to the line that closes it, a
 * renderer line naming `$N`, `${N}` or such a local. A one-line body (`f() { envsubst < "$1" | …; }`) counts too.
 */
export function renderingFunctions(text: string): Map<string, RenderingFunction> {
  const out = new Map<string, RenderingFunction>();
  const lines = logicalLines(text);
  for (let i = 0; i < lines.length; i++) {
    const oneLine = /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\s*\)\s*\{(.*)\}\s*;?\s*$/.exec(lines[i].text);
    const start = oneLine ? undefined : FUNCTION_START.exec(lines[i].text);
    const name = oneLine?.[1] ?? start?.[1] ?? start?.[2];
    if (!name) continue;
    const body: string[] = oneLine ? [oneLine[2]] : [];
    if (!oneLine) for (i++; i < lines.length && !/^\s*\}\s*$/.test(lines[i].text); i++) body.push(lines[i].text);
    const locals = new Map<string, number>();
    for (const b of body) for (const m of b.matchAll(/\b([A-Za-z_]\w*)=["']?\$\{?([1-9])\}?["']?(?=[\s;]|$)/g)) locals.set(m[1], Number(m[2]));
    for (const b of body) {
      const renderer = rendererOf(b);
      if (!renderer) continue;
      const positional = /\$\{?([1-9])\}?(?![\w}])|\$\{([1-9])\}/.exec(b);
      const local = [...locals].find(([v]) => new RegExp(`\\$\\{?${v}\\}?(?!\\w)`).test(b));
      const parameter = positional ? Number(positional[1] ?? positional[2]) : local?.[1];
      if (parameter !== undefined) {
        const fills = renderer === 'envsubst' ? envsubstApplied(b) : undefined;
        const outputFills = renderer === 'envsubst' ? envsubstFills(b) : undefined;
        out.set(name, { renderer, parameter, ...(fills ? { fills } : {}), ...(outputFills ? { outputFills } : {}) });
        break;
      }
    }
  }
  return out;
}

/** Where a command may start on a line: its start, after `;`, `&&`, `||`, or a loop's or a condition's keyword (`do render "$f" | …`). */
const COMMAND_AT = /(?<=^|;|&&|\|\||\b(?:do|then|else)\s)\s*([A-Za-z_][\w-]*)\s+/g;

/** The first call on a line of one of the functions, from its name to the line's end, with the name and the words after it. */
function functionCall(line: string, functions: ReadonlyMap<string, RenderingFunction>): RegExpExecArray | undefined {
  for (const m of line.matchAll(COMMAND_AT)) {
    if (!functions.has(m[1])) continue;
    const at = (m.index ?? 0) + m[0].length - m[0].trimStart().length;
    return /^([A-Za-z_][\w-]*)\s+(.*)$/.exec(line.slice(at)) ?? undefined;
  }
  return undefined;
}

/**
 * What a call of a rendering function fills in what is applied: what the function's own apply fills, else, where the
 * call pipes the function's output straight into an apply (`render "$f" | kubectl apply -f -`), what its renderer
 * fills: its envsubst's variables, or os.path.expandvars's, the variables the calling script exports.
 */
function callFills(fn: RenderingFunction, call: string, text: string): { fills?: EnvsubstFills; applied?: string } {
  if (fn.fills) return { fills: fn.fills };
  if (!PIPED_INTO_APPLY.test(call)) return {};
  const fills = fn.renderer === EXPANDVARS ? [...exportedVariables(text)] : fn.outputFills;
  return { ...(fills ? { fills } : {}), applied: call.replace(/\s+/g, ' ').trim() };
}

/**
 * The files a script hands to a rendering function of the tree (`apply_manifest "$MANIFESTS_DIR/llmisvc.yaml"`, `for
 * f in "$DIR"/infra/*.yaml; do render "$f" | kubectl apply -f -; done`): the word at the function's parameter, through
 * the script's variables (a loop's words included), as renderTargets reads a renderer's words.
 */
export function functionRenderTargets(text: string, functions: ReadonlyMap<string, RenderingFunction>): RenderTarget[] {
  if (!functions.size) return [];
  const vars = variablesOf(text);
  const out: RenderTarget[] = [];
  for (const { line, text: t } of logicalLines(text)) {
    const call = functionCall(t, functions);
    const fn = call && functions.get(call[1]);
    if (!call || !fn) continue;
    const word = plainWords(call[2])[fn.parameter - 1];
    const filled = callFills(fn, call[0], text);
    for (const candidate of word ? expansions(word, vars) : []) {
      const pattern = pathPattern(candidate);
      if (pattern) out.push({ pattern, renderer: `${fn.renderer} (in ${call[1]})`, program: fn.renderer, line, ...filled, ...anchoring(candidate) });
    }
  }
  return out;
}

/** The names of the shell functions a script or library defines, whatever they run. */
export function definedFunctions(text: string): Set<string> {
  const out = new Set<string>();
  for (const { text: t } of logicalLines(text)) {
    const m = FUNCTION_START.exec(t) ?? /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\s*\)\s*\{/.exec(t);
    const name = m?.[1] ?? m?.[2];
    if (name) out.add(name);
  }
  return out;
}

/** A call's first word in a shell function's usual spelling, snake_case (`apply_template`): no program is named so. */
const FUNCTION_CALL = /^\s*([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\s+(.*)$/;

/** A file a script hands to a function no script or library of the tree defines (`apply_template "$DIR/x.yaml"`). */
export interface UnknownFunctionTarget {
  readonly pattern: string;
  readonly function: string;
  readonly line: number;
  readonly anchored?: true;
}

/**
 * The files a script hands to a function check cannot read (defined in a file it does not see): each word of the call
 * that is a path, through the script's variables. What the function does with them is unknown.
 */
export function unknownFunctionTargets(text: string, known: ReadonlySet<string>): UnknownFunctionTarget[] {
  const vars = variablesOf(text);
  const out: UnknownFunctionTarget[] = [];
  for (const { line, text: t } of logicalLines(text)) {
    const call = FUNCTION_CALL.exec(t);
    if (!call || known.has(call[1])) continue;
    for (const word of plainWords(call[2]))
      for (const candidate of expansions(word, vars)) {
        const pattern = /\.(ya?ml|json)$/.test(candidate) ? pathPattern(candidate) : undefined;
        if (pattern) out.push({ pattern, function: call[1], line, ...anchoring(candidate) });
      }
  }
  return out;
}

/**
 * `kustomize build DIR`, `kubectl kustomize DIR`, `oc kustomize DIR`, the kustomize binary also by a variable that
 * names it (a Makefile's `$(KUSTOMIZE) build`, kubebuilder's layout; a script's `$KUSTOMIZE build`): the words after
 * the command, up to the pipe.
 */
export const KUSTOMIZE_BINARY = String.raw`(?:\bkustomize|\$(?:\(\w*KUSTOMIZE\w*\)|\{\w*KUSTOMIZE\w*\}|\w*KUSTOMIZE\w*\b))`;
/** A command substitution `$(…)`, one level of nested parentheses inside. */
const COMMAND_SUBSTITUTION = /\$\((?:[^()]|\([^()]*\))*\)/g;
const KUSTOMIZE_BUILD = new RegExp(String.raw`${KUSTOMIZE_BINARY}\s+build((?:[ \t]+[^\s|;&]+)*)|\b(?:kubectl|oc)\s+kustomize((?:[ \t]+[^\s|;&]+)*)`);

/**
 * The folders whose kustomize build a script pipes into a renderer (`kustomize build overlays/prod | envsubst |
 * kubectl apply -f -`): each as the folder's trailing segments after a variable one (`$DIR/overlays/prod` is
 * `overlays/prod`), `.` for the folder the command runs in (no folder, or `.`).
 */
export function buildRenderTargets(text: string): RenderTarget[] {
  const vars = variablesOf(text);
  const out: RenderTarget[] = [];
  const lines = logicalLines(text);
  lines.forEach(({ line, text: t }, at) => {
    const build = KUSTOMIZE_BUILD.exec(t);
    const rest = build ? t.slice((build.index ?? 0) + build[0].length) : '';
    const renderer = build ? rendererOf(rest) : undefined;
    if (!build || !renderer) return;
    const fills = renderer === 'envsubst' ? envsubstApplied(withQuotedTail(rest, lines, at)) : undefined;
    // a command substitution (`$(dirname "$0")/../deploy`) stands for a folder as a variable does
    const folder = plainWords((build[1] ?? build[2]).replace(COMMAND_SUBSTITUTION, '$_')).find((w) => !w.startsWith('-')) ?? '.';
    for (const candidate of expansions(folder, vars)) {
      const segments = candidate.split('/');
      const lastVariable = segments.map((seg) => seg.includes('$')).lastIndexOf(true);
      // a folder held whole in a variable the script does not set is no folder to match
      if (lastVariable === segments.length - 1) continue;
      const kept = segments.slice(lastVariable + 1).filter((seg) => seg !== '' && seg !== '.');
      // `..` right after a variable folder climbs from a place not known here: the segments after it are matched
      while (lastVariable >= 0 && kept[0] === '..') kept.shift();
      const pattern = kept.join('/') || '.';
      const anchored = lastVariable < 0 && !kept.includes('..') && !candidate.startsWith('/') ? { anchored: true } : {};
      if (!out.some((o) => o.pattern === pattern && o.line === line))
        out.push({ pattern, renderer, program: renderer, line, ...(fills ? { fills } : {}), ...anchored });
    }
  });
  return out;
}

/** How many lines a single-quoted word of a pipeline may span (an awk or sed program between two stages). */
const MAX_QUOTED_LINES = 60;

/**
 * A logical line's text with the lines after it while a single quote it opens is not closed: an awk or sed program
 * between two stages of a pipeline (`| awk '…' | kubectl apply -f -`) spans lines the shell reads as one command.
 */
function withQuotedTail(text: string, lines: readonly { text: string }[], at: number): string {
  let joined = text;
  for (let next = at + 1; next < lines.length && next <= at + MAX_QUOTED_LINES && openQuote(joined); next++) joined += `\n${lines[next].text}`;
  return openQuote(joined) ? text : joined;
}

/** Whether a shell text leaves a single quote open (quotes inside double quotes, and escaped ones outside, not counted). */
function openQuote(text: string): boolean {
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (single) single = c !== "'";
    else if (c === '\\') i++;
    else if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
  }
  return single;
}

/** A target as a test on a path relative to the tree: its segments end the path (`*` and `?` within one segment). */
function matcher(pattern: string): RegExp {
  return new RegExp(`(^|/)${globBody(pattern)}$`);
}

/** A path pattern as a regular expression's text: `*` and `?` within one segment, the rest literal. */
function globBody(pattern: string): string {
  return pattern
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
}

/**
 * A target as a test on a whole path relative to the tree: the path the script names, from the tree's root or (a path
 * read from the folder the command runs in) from the script's own folder. A path through a variable folder
 * (`"$DIR/manifests/app.yaml"`) is matched by its trailing segments, as a check of the tree's root matches it: where
 * the variable points is not read, and a script that names the file so renders it wherever it is checked from.
 */
function exactMatcher(t: RenderTarget, script: string): RegExp {
  if (!t.anchored) return matcher(t.pattern);
  const own = script.split('/').slice(0, -1).join('/');
  const from = own ? `(?:${globBody(own)}/)?` : '';
  return new RegExp(`^${from}${globBody(t.pattern)}$`);
}

/** How many leading folders a script (relative to the tree) shares with a file: the nearer script has more. */
export function sharedFolders(script: string, file: string): number {
  const a = script.split('/').slice(0, -1);
  const b = file.split('/');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** What renders a file of a tree: the script (relative path) and line, and the renderer. */
export interface RenderedBy {
  readonly script: string;
  readonly line: number;
  readonly renderer: string;
  /** The renderer's program (RenderTarget's): what fills the file, as a rule asks (`envsubst`). */
  readonly program: string;
  /** The script writes the rendered file in place of this one (RenderTarget's). */
  readonly writes?: RenderedWrite;
  /** The tokens the renderer's sed replaces in the file (RenderTarget's). */
  readonly sedFills?: readonly string[];
  /** Those tokens are all the tree's scripts replace in the file (RenderTarget's, for every rendering of the file). */
  readonly sedExact?: true;
  /** The edits of the sed that renders the file on its way to the cluster (RenderTarget's); one not read where scripts render it differently. */
  readonly sedEdits?: readonly SedEdit[];
  /** The variables envsubst fills where the script pipes its output straight into an apply (RenderTarget's). */
  readonly fills?: EnvsubstFills;
}

/** What a script's rendering of a file tells: where, by which renderer, whether it writes the file, what its sed or envsubst fills. */
function renderingOf(script: string, t: Omit<RenderedBy, 'script'>): RenderedBy {
  return {
    script,
    line: t.line,
    renderer: t.renderer,
    program: t.program,
    ...(t.writes ? { writes: t.writes } : {}),
    ...(t.sedFills ? { sedFills: t.sedFills } : {}),
    ...(t.sedExact ? { sedExact: t.sedExact } : {}),
    ...(t.sedEdits ? { sedEdits: t.sedEdits } : {}),
    ...(t.fills ? { fills: t.fills } : {}),
  };
}

/**
 * A sed rendering of a file with the tokens of every sed the scripts run on it (`sed -i 's|IMG|…|' app.yaml` on one
 * line, `sed -i 's|HOST|…|' app.yaml` on another): exact only where every rendering of the file is a sed read whole.
 */
function withEverySed(by: RenderedBy, all: readonly RenderedBy[]): RenderedBy {
  if (by.program !== 'sed') return by;
  const seds = all.filter((t) => t.program === 'sed');
  const tokens = [...new Set(seds.flatMap((t) => t.sedFills ?? []))];
  const { sedExact: _one, sedFills: _own, sedEdits: _edits, ...rest } = by;
  const exact = all.every((t) => t.sedExact) ? { sedExact: true as const } : {};
  // scripts that put the file where they each say (two namespaces): where it lands is not one place
  const edited = [...new Set(seds.filter((t) => t.sedEdits).map((t) => JSON.stringify(t.sedEdits)))];
  const edits =
    edited.length === 1 ? { sedEdits: JSON.parse(edited[0]) as SedEdit[] } : edited.length ? { sedEdits: [{ global: true, ignoreCase: false }] } : {};
  return { ...rest, ...(tokens.length ? { sedFills: tokens } : {}), ...exact, ...edits };
}

/** The script-like files of a tree, without following symbolic links (a link may lead out of the tree) and within bounds. */
export function scriptsOf(root: string, named: RegExp = SCRIPT_NAME, workflowsToo = true): string[] {
  return walkTree(root, {
    skipFolder: (name) => SKIPPED_FOLDERS.has(name),
    keep: (name, folder) =>
      named.test(name) ||
      (workflowsToo &&
        (((WORKFLOW_FOLDER.test(folder) || GITLAB_FOLDER.test(folder)) && /\.ya?ml$/.test(name)) || (ACTION_FOLDER.test(folder) && ACTION_FILE.test(name)))),
    order: localeOrder,
    maxFiles: MAX_SCRIPTS,
    maxEntries: MAX_ENTRIES,
  })
    .slice(0, MAX_SCRIPTS)
    .map((f) => path.join(root, f));
}

/**
 * A script as it runs: a Makefile's recipes as make hands them to the shell (its own variables put in, `$$` a `$`,
 * the prefixes removed), another script's calls of its wrapper functions (`k() { kubectl -n "$NS" "$@"; }`) as the
 * commands they run (withWrappersExpanded), so that every reader of the tree's scripts sees the commands the shell runs.
 */
export function scriptAsRun(script: string, text: string): TreeScript {
  if (!MAKEFILE.test(script)) return { script, text: withWrappersExpanded(script, text) };
  const made = makeRecipes(text);
  return { script, text: made.text, written: text, errorsIgnored: made.errorsIgnored };
}

/** The script-like files of a tree with their texts, each read once, text only, within MAX_SCRIPT_BYTES. */
export function readTreeScripts(root: string): TreeScript[] {
  return readFiles(root, scriptsOf(root));
}

/** Whether a file's name makes it one of the files that say how a tree is deployed (SCRIPT_NAME). */
export function isScriptName(name: string): boolean {
  return SCRIPT_NAME.test(name);
}

/** The files given (absolute paths) as scripts of the tree at `root`, with their texts, as readTreeScripts reads them. */
export function readScriptFiles(root: string, files: readonly string[]): TreeScript[] {
  return readFiles(root, files);
}

function readFiles(root: string, files: readonly string[]): TreeScript[] {
  return files.flatMap((file) => {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    const read = st?.isFile() ? readBounded(file, st, MAX_SCRIPT_BYTES) : undefined;
    if (!read || !('text' in read) || (PIPELINE_NAME.test(file) && KUBERNETES_OBJECT.test(read.text))) return [];
    return [scriptAsRun(path.relative(root, file).split(path.sep).join('/'), read.text)];
  });
}

/**
 * The renderings a tree's scripts run: which file each renders, by relative path, basename, variable folder or folder
 * glob, and which folders' kustomize builds. It keeps the scripts it read, for whatever else reads them (the objects
 * they create).
 */
export class RenderIndex {
  public readonly scripts: readonly TreeScript[];
  private readonly targets: (RenderedBy & { readonly test: RegExp; readonly exact: RegExp; readonly applied?: string })[] = [];
  private readonly builds: (RenderedBy & { readonly folder: string; readonly anchored?: boolean })[] = [];
  /** The files the scripts hand to functions no script or sourced library of the tree defines. */
  private readonly handed: { readonly script: string; readonly target: UnknownFunctionTarget; readonly test: RegExp }[] = [];
  /** The git work tree the tree lies in, read for the first raw URL a script names (null: none). */
  private checkout: GitCheckout | null | undefined;

  /** `scripts`: the scripts to read, when not all those of the tree (those of a repository above the checked folder). */
  constructor(
    private readonly root: string,
    scripts?: readonly TreeScript[],
  ) {
    this.scripts = scripts ?? readTreeScripts(root);
    // a function may be defined in a file the scripts source (a lib.sh of helpers), in the tree or above it
    const libraries = sourcedLibraryTexts(root, this.scripts);
    const functions = new Map([...this.scripts.map((s) => s.text), ...libraries].flatMap((text) => [...renderingFunctions(text)]));
    for (const { script, text } of this.scripts) {
      for (const t of [...renderTargets(text, /\.(md|markdown)$/i.test(script)), ...functionRenderTargets(text, functions)]) {
        // a raw URL names a file of this repository only, by its whole path from the repository's root
        const own = t.repository === undefined ? t.pattern : this.ownPath(t.repository, t.pattern);
        if (own === undefined) continue;
        const whole = new RegExp(`^${globBody(own)}$`);
        this.targets.push({
          ...renderingOf(script, t),
          test: t.repository === undefined ? matcher(own) : whole,
          exact: t.repository === undefined ? exactMatcher(t, script) : whole,
          ...(t.applied ? { applied: t.applied } : {}),
        });
      }
      for (const t of buildRenderTargets(text)) this.builds.push({ ...renderingOf(script, t), folder: t.pattern, ...(t.anchored ? { anchored: true } : {}) });
    }
    const known = new Set([...this.scripts.map((s) => s.text), ...libraries].flatMap((text) => [...definedFunctions(text)]));
    for (const { script, text } of this.scripts)
      if (!/\.(md|markdown)$/i.test(script))
        for (const target of unknownFunctionTargets(text, known)) this.handed.push({ script, target, test: matcher(target.pattern) });
  }

  /**
   * A path from the root of GitHub repository `repository` as a path of this tree: where the tree lies in a git work
   * tree one of whose remotes is that repository, and the path lies within the tree; else undefined (another
   * repository's file, or a tree in no work tree).
   */
  private ownPath(repository: string, file: string): string | undefined {
    this.checkout ??= gitCheckoutOf(this.root) ?? null;
    if (!this.checkout?.remotes.some((r) => githubRepositoryOf(r) === repository)) return undefined;
    const within = this.checkout.within;
    if (within === '.') return file;
    return file.startsWith(`${within}/`) ? file.slice(within.length + 1) : undefined;
  }

  /**
   * What renders the kustomize build of a folder of the tree before it is applied, if a script of the tree pipes the
   * build into a renderer: a folder it names by its trailing segments, or `.`, the script's own folder (a README's
   * commands run from its folder). `exact`: a folder the script names without a variable only where it names it whole,
   * from the tree's root or its own folder (a repository's scripts, read from above the checked folder).
   */
  public buildRenderedBy(folder: string, exact = false): RenderedBy | undefined {
    if (!this.builds.length) return undefined;
    const relative = path.relative(this.root, folder).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    const hits = this.builds.filter((b) => {
      const own = b.script.split('/').slice(0, -1).join('/');
      if (b.folder === '.') return relative === own;
      const whole = relative === b.folder || (b.anchored === true && relative === path.posix.join(own, b.folder));
      // a folder through a variable is matched by its trailing segments, as exactMatcher matches a file
      return whole || ((!exact || !b.anchored) && (relative.endsWith(`/${b.folder}`) || relative === path.posix.join(own, b.folder)));
    });
    // the one that applies the output, where another pipes the build elsewhere (`| kubectl delete -f -`)
    const hit = hits.find((b) => b.fills) ?? hits[0];
    return hit && renderingOf(hit.script, hit);
  }

  /** A rendering the scripts of the tree run on one of `files` (relative, '/'-separated), the script nearest `near` first. */
  public renderingAmong(files: readonly string[], near: string): RenderedBy | undefined {
    const hit = this.targets.filter((t) => files.some((f) => t.test.test(f))).sort((x, y) => sharedFolders(y.script, near) - sharedFolders(x.script, near))[0];
    return hit && renderingOf(hit.script, hit);
  }

  /**
   * The rendering of a file of the tree whose output a script applies as it comes out (`envsubst < x.yaml.template |
   * oc apply -f -`), with that command line: the file is the manifest the script applies.
   */
  public appliedRendering(file: string): (RenderedBy & { readonly command: string }) | undefined {
    const relative = path.relative(this.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    const hit = this.targets
      .filter((t) => t.applied !== undefined && t.test.test(relative))
      .sort((x, y) => sharedFolders(y.script, relative) - sharedFolders(x.script, relative))[0];
    return hit?.applied === undefined ? undefined : { ...renderingOf(hit.script, hit), command: hit.applied };
  }

  /** Whether a script of the tree applies a renderer's output as it comes out (appliedRendering). */
  public get appliesRenderings(): boolean {
    return this.targets.some((t) => t.applied !== undefined);
  }

  /** The script line that hands a file of the tree to a function the tree does not define, the nearest script first. */
  public handedToUnknownFunction(file: string): { readonly script: string; readonly line: number; readonly function: string } | undefined {
    const relative = path.relative(this.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    const hit = this.handed.filter((h) => h.test.test(relative)).sort((x, y) => sharedFolders(y.script, relative) - sharedFolders(x.script, relative))[0];
    return hit && { script: hit.script, line: hit.target.line, function: hit.target.function };
  }

  /** What renders a file of the tree before it is applied, if a script of the tree does; `exact` as buildRenderedBy's. */
  public renderedBy(file: string, exact = false): RenderedBy | undefined {
    // a tree whose scripts render no file: asked for each object the reader builds, answered without a path made
    if (!this.targets.length) return undefined;
    const relative = path.relative(this.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    // of the scripts that name it, the nearest: `manifests/minio.yaml` of two demos' deploy.sh is each one's own
    const all = this.targets.filter((t) => (exact ? t.exact : t.test).test(relative));
    const hit = [...all].sort((x, y) => sharedFolders(y.script, relative) - sharedFolders(x.script, relative) || Number(!x.fills) - Number(!y.fills))[0];
    return hit && withEverySed(renderingOf(hit.script, hit), all);
  }
}
