import * as fs from 'fs';
import * as path from 'path';
import { readBounded } from './files';
import { CAPITAL_IMAGE_LINE, CAPITAL_SLOT_LINE, CI_TOKEN, PLACEHOLDER_WORD } from './placeholder-word';
import { commentRenderer, commentSubmitter, fillInComment, RenderedBy, RenderIndex, rendererOf } from './render-scripts';
import { appliesFile, ScriptApplied, scriptAppliedPaths, treeFiles } from './script-applies';
import { WriteIndex } from './script-writes';
import { editCommentBeside, EditSteps } from './hand-edit-steps';
import type { TextProblem } from './yaml-documents';
import { EnvsubstFills } from './envsubst-format';
import type { SedEdit } from './sed-program';
import { RepositoryScripts, repositoryScriptsAbove } from './repository-scripts';

/** File names that mark a template: a .tmpl, .tpl or .template part, or one joined by - or _ (`secret.tmpl.yaml`, `secret.yaml.template`, `job-template.yaml`). */
const TEMPLATE_NAME = /[.\-_](tmpl|tpl|template)(\.|$)/i;

/**
 * A placeholder a renderer fills: `${NAME}` (envsubst), or `{{NAME}}` / `{{{NAME}}}` (handlebars, mustache, Go
 * templates), which as a bare value YAML reads as a flow mapping used as a key (go-yaml: "invalid map key").
 */
const RENDERED_PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{\{?[^{}\n]+\}?\}\}/;

/**
 * A parse failure of a file judged as a template (`template`: why), told as a warning where the line it fails at holds
 * a placeholder: a placeholder standing for a whole block (`${GPU_TAINTS_BLOCK}` alone on a line) or a bare
 * `{{{IMAGE}}}` value breaks the YAML until it is rendered, and the file is never applied as written. Any other
 * failure stays an error.
 */
export function unrenderedTemplateProblem(p: TextProblem, source: string, template: string): TextProblem {
  if (p.severity !== 'error' || p.kind !== undefined || p.line === undefined) return p;
  const placeholder = RENDERED_PLACEHOLDER.exec(source.split('\n')[p.line - 1] ?? '')?.[0];
  if (!placeholder) return p;
  return {
    ...p,
    severity: 'warning',
    // the advice to quote the key is for a manifest applied as written, not for a template
    message: `${p.message.replace(/: not read; .*$/, '')} at the placeholder ${placeholder} (line ${p.line}), which breaks the YAML until it is rendered: judged as a template, since ${template}; not read: render it, then check the output`,
  };
}

/** Why a file is a template, and the tokens the sed of the script that reason names replaces (`<REPO_URL>`), if any. */
export interface TemplateReason {
  readonly why: string;
  readonly sedFills?: readonly string[];
  /** Those tokens are all the scripts replace in the file, with sed alone (RenderedBy's): a placeholder none matches is applied as written. */
  readonly sedExact?: true;
  /** The program the reason names as rendering the file (`envsubst`, `sed`, …): none for a name or a fill-in comment. */
  readonly renderedWith?: string;
  /** The variables the envsubst the reason names fills, where its output goes straight into an apply. */
  readonly envsubstFills?: EnvsubstFills;
  /** The edits of the sed the reason names, where its output is applied or the file edited in place (RenderedBy's). */
  readonly sedEdits?: readonly SedEdit[];
}

/**
 * Whether a file, its comments aside, holds a value its reader fills by hand that is no renderer's syntax: a
 * placeholder word (`server: YOUR_NFS_SERVER_IP`, PLACEHOLDER_WORD) or a volume source's capital slot (`bucketName:
 * GCS_BUCKET`, CAPITAL_SLOT_LINE).
 */
const handSlot = (source: string) =>
  source.split('\n').some((l) => {
    const value = l.replace(/(^|\s)#.*$/, '$1');
    return PLACEHOLDER_WORD.test(value) || CAPITAL_SLOT_LINE.test(value);
  });

/** Whether a file writes an image as one upper-case identifier (`image: IMAGE_NAME`), a slot its reader fills (CAPITAL_IMAGE_LINE). */
const capitalImage = (source: string) => source.split('\n').some((l) => CAPITAL_IMAGE_LINE.test(l.replace(/\s#.*$/, '')));

/** A reason, with the sed tokens and envsubst variables of the rendering it names. */
const naming = (why: string, by: RenderedBy): TemplateReason => ({
  why,
  renderedWith: by.program,
  ...(by.sedFills ? { sedFills: by.sedFills } : {}),
  ...(by.sedExact ? { sedExact: by.sedExact } : {}),
  ...(by.sedEdits ? { sedEdits: by.sedEdits } : {}),
  ...(by.fills ? { envsubstFills: by.fills } : {}),
});

/** Why a script's rendering makes a file a template, in words. */
const renderedReason = (by: RenderedBy): string => `${by.script} (line ${by.line}) renders it with ${by.renderer} before applying it`;

/**
 * What renders or writes the files of a tree before they are applied: the README of a folder that renders it with
 * envsubst, a file's own comment, and the scripts of the tree given as input (read once per tree).
 */
export class TemplateFiles {
  /** Per folder, the README that renders its files with envsubst (undefined: none). */
  private readonly readmes = new Map<string, string | undefined>();
  private readonly renderIndexes = new Map<string, RenderIndex>();
  /** Per tree, the renderings of the scripts of the git repository above it (undefined: it lies in none, or at its root). */
  private readonly repositories = new Map<string, RenderIndex | undefined>();
  /** Per tree, the scripts of the git repository above it. */
  private readonly above = new Map<string, RepositoryScripts | undefined>();
  /** Per tree, its manifest files and what its scripts apply with -f (read for the first file undeliveredBesideRenderings asks about). */
  private readonly delivered = new Map<string, { readonly files: readonly string[]; readonly applied: readonly ScriptApplied[] }>();
  /** The edit steps of the tree's Markdown documents, by folder. */
  private readonly editSteps = new EditSteps();
  /** The files the scripts of the tree given as input write. */
  private writeIndex: WriteIndex | undefined;

  constructor(private readonly maxFileBytes: number) {}

  /**
   * Why a file read outside kustomizations is a template rather than a manifest applied as it is: its name says so
   * (`secret.tmpl.yaml`, `secret.yaml.template`), or a README beside it renders the folder with envsubst; `root` is
   * the folder given as input, whose scripts may render it.
   */
  public templateReason(file: string, source: string, root: string | undefined): TemplateReason | undefined {
    const name = path.basename(file);
    // a script that pipes the file through envsubst into an apply says what is filled, whatever else marks a template
    const piped = root && /\$/.test(source) ? this.envsubstApplied(file, root) : undefined;
    if (piped) return naming(renderedReason(piped), piped);
    if (TEMPLATE_NAME.test(name)) {
      // the name says template; a script that renders it still says with what (an `oc process` into a strict apply)
      const by = root ? this.renderedBy(file, root) : undefined;
      return { why: `its name ${name} marks a template`, ...(by ? { renderedWith: by.program } : {}) };
    }
    const readme = this.readmeRendering(path.dirname(file));
    if (readme) return { why: `${readme} beside it renders it with envsubst`, renderedWith: 'envsubst' };
    // the rest matters only to a file with template syntax or a `<NAME>` a script seds (`s|<fs-id>|$FSX_ID|`): the
    // tree's scripts are read for the first such file
    if (!/\$\{|\{\{|\$\(|\$[A-Za-z_]|<[A-Za-z][\w.-]*>/.test(source) && !CI_TOKEN.test(source) && !capitalImage(source))
      return this.sedFilled(file, source, root) ?? (handSlot(source) ? this.editedByHand(file, source, root) : undefined);
    const comment = commentRenderer(source);
    if (comment) return { why: `its own comment renders it ('${comment}')`, renderedWith: rendererOf(comment) };
    const submitter = commentSubmitter(source);
    if (submitter && !(root && this.appliedByScript(file, root)))
      return {
        why: `its own comment submits it with ${submitter.tool} ('${submitter.command}'), which fills its placeholders, and nothing of the tree applies it as it is`,
        renderedWith: submitter.tool,
      };
    const fillIn = fillInComment(source);
    if (fillIn) return { why: `its own comment asks for a value to be filled in ('${fillIn}')` };
    const edited = this.editedByHand(file, source, root);
    if (edited) return edited;
    const by = root ? this.renderedBy(file, root) : undefined;
    if (by) return naming(renderedReason(by), by);
    const handed = root ? this.handedToUnknownRenderer(file, source, root) : undefined;
    if (handed) return handed;
    return root && RENDERED_PLACEHOLDER.test(source) ? this.undeliveredBesideRenderings(file, root) : undefined;
  }

  /**
   * Why a file whose every placeholder is envsubst's `${UPPER_CASE}` is taken for a template when a script of the tree
   * hands it to a function defined in no file check reads (a helpers library it cannot follow): what that function
   * does is unknown, and it may well render the file; a verdict resting on its placeholders is no error.
   */
  private handedToUnknownRenderer(file: string, source: string, root: string): TemplateReason | undefined {
    const tokens = [...source.matchAll(/\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{|<[A-Za-z][\w.-]*>/g)].map((m) => m[0]);
    if (!tokens.length || !tokens.every((t) => /^\$\{[A-Z][A-Z0-9_]*\}$/.test(t))) return undefined;
    const call = this.renderIndex(root).handedToUnknownFunction(file);
    return call
      ? {
          why: `${call.script} (line ${call.line}) hands it to ${call.function}, a function defined in no file check reads, and each of its placeholders has envsubst's form (\${UPPER_CASE}): taken for a template that function may render`,
        }
      : undefined;
  }

  /**
   * Why a file its reader is told to edit is a template filled by hand (the edit comes before any apply): a comment
   * beside a placeholder, or a step of a Markdown document of its folder or one above it, that has the reader set it.
   */
  private editedByHand(file: string, source: string, root: string | undefined): TemplateReason | undefined {
    const beside = editCommentBeside(source);
    if (beside) return { why: `its own comment beside the value has the reader set it ('${beside}'): the file must be edited before it is applied` };
    const step = root ? this.editSteps.stepFor(file, source, root) : undefined;
    return step ? { why: `${step}: the file must be edited before it is applied` } : undefined;
  }

  /**
   * Why a file without a renderer's syntax is a template: a script of the tree (or of the git repository above it)
   * seds a token the file holds before applying it (`sed "s|PLACEHOLDER_BASE64_KEY|$KEY|" secret.yaml | kubectl apply
   * -f -`, `sed -i "s|V_ACC|$ACC|" hpa.yaml`, whatever the token's spelling): what the file says where it holds the
   * token is not what is applied.
   */
  private sedFilled(file: string, source: string, root: string | undefined): TemplateReason | undefined {
    if (!root) return undefined;
    const by = this.renderedBy(file, root);
    // a token of an edit flagged i matches in any case
    const anyCase = (t: string) => by?.sedEdits?.some((e) => e.ignoreCase && e.pattern === t) && source.toLowerCase().includes(t.toLowerCase());
    return by?.sedFills?.some((t) => source.includes(t) || anyCase(t))
      ? naming(`${by.script} (line ${by.line}) fills it with ${by.renderer} before applying it`, by)
      : undefined;
  }

  /**
   * Why a file with a renderer's placeholders that no script of the tree applies is a template: the tree's scripts
   * render their manifests before applying them (envsubst, sed, gomplate over the files beside it), and nothing the
   * tree shows delivers this one as it is. Kustomizations and Argo CD Applications are the caller's (the file is
   * read outside any kustomization; an Application that syncs it makes it delivered again). The tokens the tree's
   * sed fills in those manifests go with the reason: the template follows their convention.
   */
  private undeliveredBesideRenderings(file: string, root: string): TemplateReason | undefined {
    const own = path.relative(root, file).split(path.sep).join('/');
    if (own.startsWith('..')) return undefined;
    const index = this.renderIndex(root);
    const seen = this.deliveredIn(root);
    // the renderings of other files the tree holds: a script rendering a file the tree lacks says nothing of its convention
    const rendering = index.renderingAmong(
      seen.files.filter((f) => f !== own),
      own,
    );
    if (!rendering) return undefined;
    if (this.appliedByScript(file, root)) return undefined;
    // what the rendering of the other files fills does not reach this one, which nothing renders
    const { fills: _otherFiles, sedExact: _otherSeds, sedEdits: _otherEdits, ...convention } = rendering;
    return naming(
      `no script of the tree applies it, while ${rendering.script} (line ${rendering.line}) renders the tree's other manifests with ${rendering.renderer} before applying them: an unused or hand-rendered template`,
      convention,
    );
  }

  /** The tree's manifest files and what its scripts and READMEs apply with -f, read once per tree. */
  private deliveredIn(root: string): { readonly files: readonly string[]; readonly applied: readonly ScriptApplied[] } {
    const seen = this.delivered.get(root) ?? {
      files: treeFiles(root),
      applied: scriptAppliedPaths(root, this.renderIndex(root).scripts).filter((a) => !a.kustomize),
    };
    this.delivered.set(root, seen);
    return seen;
  }

  /** Whether a script or README of the tree applies the file as it is (`kubectl apply -f jobset.yaml`, or its folder). */
  private appliedByScript(file: string, root: string): boolean {
    return this.deliveredIn(root).applied.some((a) => appliesFile(a, path.resolve(file)));
  }

  /** The script of the tree given as input (`root`) that writes a file (one a kustomization lists) before the build. */
  public writtenBy(file: string, root: string | undefined): string | undefined {
    if (!root) return undefined;
    this.writeIndex ??= new WriteIndex(root, this.renderIndex(root).scripts);
    const by = this.writeIndex.writtenBy(file);
    return by && `${by.script} (line ${by.line}, ${by.how})`;
  }

  /**
   * What renders a file before it is applied: a script of the tree given as input (`root`), else one of the git
   * repository above it that names the file by its whole path.
   */
  public renderedBy(file: string, root: string): RenderedBy | undefined {
    return this.renderIndex(root).renderedBy(file) ?? this.repositoryIndex(root)?.renderedBy(file, true);
  }

  /** The rendering of a file that pipes it through envsubst straight into an apply (renderedBy), if that is what renders it. */
  private envsubstApplied(file: string, root: string): RenderedBy | undefined {
    const by = this.renderedBy(file, root);
    return by?.fills ? by : undefined;
  }

  /**
   * What renders the kustomize build of a folder before it is applied: a script of the tree given as input (`root`),
   * else one of the git repository above it that names the folder by its whole path.
   */
  public buildRenderedBy(folder: string, root: string): RenderedBy | undefined {
    return this.renderIndex(root).buildRenderedBy(folder) ?? this.repositoryIndex(root)?.buildRenderedBy(folder, true);
  }

  /** The renderings of the scripts of the git repository above a tree given as input, read once per tree, when it lies in one. */
  private repositoryIndex(root: string): RenderIndex | undefined {
    if (!this.repositories.has(root)) {
      const above = this.repositoryScripts(root);
      this.repositories.set(root, above && new RenderIndex(above.root, above.scripts));
    }
    return this.repositories.get(root);
  }

  /** The scripts of the git repository above a tree given as input (repositoryScriptsAbove), read once per tree. */
  public repositoryScripts(root: string): RepositoryScripts | undefined {
    if (!this.above.has(root)) this.above.set(root, repositoryScriptsAbove(root));
    return this.above.get(root);
  }

  /** The README of a folder that says to run envsubst, if any (read once per folder). */
  public readmeRendering(dir: string): string | undefined {
    if (!this.readmes.has(dir)) this.readmes.set(dir, this.readmeRenders(dir));
    return this.readmes.get(dir);
  }

  /** The renderings of the scripts of a tree given as input, read once per tree. */
  public renderIndex(root: string): RenderIndex {
    const known = this.renderIndexes.get(root) ?? new RenderIndex(root);
    this.renderIndexes.set(root, known);
    return known;
  }

  /** The README of a folder that says to run envsubst, if any. */
  private readmeRenders(dir: string): string | undefined {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir).filter((e) => /^readme(\.\w+)?$/i.test(e));
    } catch {
      return undefined;
    }
    for (const e of entries.sort()) {
      const full = path.join(dir, e);
      const st = fs.statSync(full, { throwIfNoEntry: false });
      const read = st?.isFile() ? readBounded(full, st, this.maxFileBytes) : undefined;
      if (read && 'text' in read && /\benvsubst\b/.test(read.text)) return e;
    }
    return undefined;
  }
}
