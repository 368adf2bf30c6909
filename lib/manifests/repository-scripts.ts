import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder } from './files';
import { gitCheckoutOf } from './git-checkout';
import { ACTION_FILE, isScriptName, readScriptFiles, scriptsOf } from './render-scripts';
import { TreeScript } from './script-text';
import { codeOfIndentedLine, indentedCodeLines } from './markdown-indented-code';

/** Folders that hold a repository's deployment scripts by convention, read whole where they sit in a folder above the checked one. */
const SCRIPT_FOLDERS = new Set(['scripts', 'script', 'hack', 'bin', 'tools', 'ci']);
/**
 * Folders at a repository's root whose Markdown tells how the repository is deployed (`docs/install.md`), a
 * documentation site's sources among them: Hugo's `site/content/` (a site kept in `site/`) and `content/`, Docusaurus's
 * `website/`. Read in this order within MAX_DOCS.
 */
const DOC_FOLDERS = ['docs', 'doc', 'documentation', 'site/content', 'content', 'website'];
/**
 * Folders at a repository's root holding Tekton Tasks and Pipelines, whose steps' scripts run commands: `.tekton/`
 * (Pipelines as Code reads its PipelineRuns there), `tekton/`.
 */
const TEKTON_FOLDERS = ['.tekton', 'tekton'];
/** Bounds on the documents read from a repository's docs folder: more, or larger, is a manual, not a deployment guide. */
const MAX_DOCS = 200;
const MAX_DOC_BYTES = 128 * 1024;
const MARKDOWN = /\.(md|markdown)$/i;
const YAML_FILE = /\.ya?ml$/i;

/** The scripts of a git repository above a checked folder, relative to the repository's root. */
export interface RepositoryScripts {
  readonly root: string;
  /** The checked folder's path from the repository's root ('/'-separated). */
  readonly within: string;
  readonly scripts: readonly TreeScript[];
  /** The Markdown scripts whose text is their commands only (markdownCode): the guides of the docs folder. */
  readonly codeOnly: ReadonlySet<string>;
}

/** The entries of a folder, none when it cannot be read. */
function entriesOf(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether a path lies in a folder (or is it). */
export function isWithin(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The files at a repository's root that say how its folders are deployed from outside them: its GitHub Actions
 * workflows (`.github/workflows/*.yml`) and composite actions (`.github/actions/<name>/action.yml`), the GitLab CI files of `.gitlab/`, the Markdown of its docs folder, and its Tekton folders' YAML.
 */
function rootFiles(root: string): string[] {
  const workflows = [
    ...scriptsOf(path.join(root, '.github', 'workflows'), YAML_FILE, false),
    // the composite actions those workflows run (`uses: ./.github/actions/deploy`)
    ...scriptsOf(path.join(root, '.github', 'actions'), ACTION_FILE, false),
    // the GitLab CI files `.gitlab-ci.yml` includes from its .gitlab/ folder
    ...scriptsOf(path.join(root, '.gitlab'), YAML_FILE, false),
  ];
  const docs = DOC_FOLDERS.flatMap((d) => scriptsOf(path.join(root, d), MARKDOWN, false))
    .filter((f) => (fs.statSync(f, { throwIfNoEntry: false })?.size ?? Infinity) <= MAX_DOC_BYTES)
    .slice(0, MAX_DOCS);
  const tekton = TEKTON_FOLDERS.flatMap((d) => scriptsOf(path.join(root, d), YAML_FILE, false));
  return [...workflows, ...docs, ...tekton];
}

/**
 * The scripts of the git work tree a checked folder lies in, above that folder: the scripts, Makefiles and READMEs of
 * each folder from its parent up to the work tree's root, and every script under their script folders (`scripts/`,
 * `hack/`): where a repository keeps the commands that deploy a folder of it (`./scripts/dev-env.sh` running
 * `kustomize build deploy/dev | envsubst … | kubectl apply -f -`); and at the root its CI workflows, its docs folder's
 * Markdown (`docs/install.md` telling to run `envsubst < deploy/secret.yaml | oc apply -f -`) and its Tekton folders.
 * Files of the checked folder are left out (they are read with it). Undefined outside a work tree, or at its root
 * (the folder's own scripts are read with it).
 */
export function repositoryScriptsAbove(folder: string): RepositoryScripts | undefined {
  const checkout = gitCheckoutOf(folder);
  if (!checkout || checkout.within === '.') return undefined;
  const up = checkout.within.split('/').length;
  const root = path.resolve(folder, ...Array<string>(up).fill('..'));
  const files: string[] = [];
  // each folder above, as many as the folder lies deep in the work tree
  for (let i = 1, dir = path.dirname(path.resolve(folder)); i <= up; i++, dir = path.dirname(dir)) {
    for (const e of entriesOf(dir).sort((a, b) => codeUnitOrder(a.name, b.name))) {
      if (e.isFile() && isScriptName(e.name)) files.push(path.join(dir, e.name));
      else if (e.isDirectory() && SCRIPT_FOLDERS.has(e.name)) files.push(...scriptsOf(path.join(dir, e.name), undefined, false));
    }
  }
  const atRoot = rootFiles(root);
  files.push(...atRoot);
  const outside = [...new Set(files)].filter((f) => !isWithin(f, path.resolve(folder)));
  // a guide of the docs folder is read for its commands only: its prose and tables run nothing
  const guides = new Set(atRoot.filter((f) => MARKDOWN.test(f)).map((f) => path.relative(root, f).split(path.sep).join('/')));
  const scripts = readScriptFiles(root, outside).map((s) => (guides.has(s.script) ? { ...s, text: markdownCode(s.text) } : s));
  return { root, within: checkout.within, scripts, codeOnly: guides };
}

/** A Markdown line's code spans (`` `kubectl apply -k deploy/` ``), CommonMark's runs of backquotes paired. */
const CODE_SPAN = /(`+)(?!`)(.+?)(?<!`)\1(?!`)/g;

/**
 * A Hugo shortcode that shows its body as code of a shell: `{{< highlight bash >}}` and Docsy's `{{< tab header="GPU"
 * lang="shell" >}}` (Hugo docs "highlight" shortcode; Docsy docs "Tabbed panes": a tab with `lang` is highlighted as
 * code), and its closing shortcode.
 */
const SHORTCODE_OPENING = /^\s*\{\{<\s*(?:highlight\s+(?:bash|sh|shell|console|zsh)\b|tab\b[^>]*\blang\s*=\s*"(?:bash|sh|shell|console|zsh)")[^>]*>\}\}\s*$/;
const SHORTCODE_CLOSING = /^\s*\{\{<\s*\/\s*(?:highlight|tab)\s*>\}\}\s*$/;

/**
 * A command that makes a namespace written bare in a prose line (`2. Run oc new-project ledger-dev`, "create it with
 * kubectl create namespace ledger-dev."): the command and a literal name, as a step a reader runs. Only these: a
 * sentence that merely names a namespace, or another command in prose, runs nothing.
 */
const PROSE_NAMESPACE_COMMAND = /\b(?:oc\s+new-project|(?:kubectl|oc)\s+create\s+(?:namespace|ns))\s+[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?![\w$/{-])/g;

/** A prose line's commands: its code spans, and the namespace commands written bare outside them (PROSE_NAMESPACE_COMMAND). */
function proseCommands(line: string): string {
  const spans = [...line.matchAll(CODE_SPAN)].map((m) => m[2].trim());
  const bare = [...line.replace(CODE_SPAN, ' ').matchAll(PROSE_NAMESPACE_COMMAND)].map((m) => m[0]);
  return [...spans, ...bare].join(' ; ');
}

/**
 * The commands of a Markdown text, line for line: the lines of its fenced blocks (and of a documentation site's
 * shell-code shortcodes) as written, each other line its code spans only (several on a line as several commands) and
 * the namespace commands its prose writes bare, prose, tables and links dropped. Line numbers are kept.
 */
export function markdownCode(text: string): string {
  return markdownLines(text, (line) => line, proseCommands);
}

/**
 * The namespace commands of a Markdown text outside its fenced blocks, line for line (PROSE_NAMESPACE_COMMAND, in a
 * code span or bare): the steps its prose has the reader run, which a reader of its fenced blocks alone misses.
 */
export function markdownProseNamespaceCommands(text: string): string {
  return markdownLines(
    text,
    () => '',
    (line) => [...line.replace(/`/g, ' ').matchAll(PROSE_NAMESPACE_COMMAND)].map((m) => m[0]).join(' ; '),
  );
}

/** The prose of a Markdown text, line for line: the lines of its code blocks (fenced, indented, shortcodes) emptied. */
export function markdownProse(text: string): string {
  return markdownLines(
    text,
    () => '',
    (line) => line,
  );
}

/**
 * A Markdown text line for line, each line of a fenced block (or shell-code shortcode) or of an indented code block
 * (without its indentation) through `code`, each other line through `prose`.
 */
function markdownLines(text: string, code: (line: string) => string, prose: (line: string) => string): string {
  let fence: string | undefined;
  const indented = indentedCodeLines(text);
  return text
    .split('\n')
    .map((line, i) => {
      if (fence === undefined && SHORTCODE_OPENING.test(line)) {
        fence = '{{<';
        return '';
      }
      if (fence === '{{<') {
        if (!SHORTCODE_CLOSING.test(line)) return code(line);
        fence = undefined;
        return '';
      }
      const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (opening && (!fence || opening.startsWith(fence))) {
        fence = fence ? undefined : opening;
        return code(line);
      }
      if (fence) return code(line);
      const base = indented.get(i);
      return base === undefined ? prose(line) : code(codeOfIndentedLine(line, base));
    })
    .join('\n');
}
