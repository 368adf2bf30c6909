import * as fs from 'fs';
import * as path from 'path';
import { realPath } from './files';
import { WRITTEN_BEFORE_BUILD } from './generators';
import type { ReadProblems } from './read-problems';

/**
 * The files a kustomization lists (patches, generators' files, replacements' sources, resource files), read under
 * kustomize's load restrictor: a file outside the kustomization's folder is refused, in one finding per kustomization.
 */

/** What kustomize's load restrictor refuses of a kustomization: the files it lists outside its folder. */
function outsideMessage(dir: string, entries: readonly string[], firstReal: string): string {
  if (entries.length === 1)
    return (
      `lists '${entries[0]}', a file outside the kustomization's folder (${firstReal}): kustomize's load restrictor refuses it ("security; file … is not in or below ${dir}"); ` +
      'move the file into the folder, or give its folder a kustomization.yaml and list the folder'
    );
  const named = entries
    .slice(0, 3)
    .map((e) => `'${e}'`)
    .join(', ');
  return (
    `lists ${entries.length} files outside the kustomization's folder (${named}${entries.length > 3 ? ` and ${entries.length - 3} more` : ''}; the first is ${firstReal}): ` +
    `kustomize's load restrictor refuses them ("security; file … is not in or below ${dir}"); move the files into the folder, or give their folder a ` +
    "kustomization.yaml and list the folder (or, when Argo CD builds it, set --load-restrictor=LoadRestrictionsNone in argocd-cm's kustomize.buildOptions)"
  );
}

/** What the listed files need of the reader: its file access, and whether the root being built lifts the restrictor. */
export interface ListedFileAccess {
  readonly maxFileBytes: number;
  stat(p: string, missing?: () => void): fs.Stats | undefined;
  load(file: string, st: fs.Stats): string | undefined;
  unrestricted(): boolean;
  /** The script of the tree that writes a file before the build (`envsubst < x.tpl.env | sponge x.env`), said as where and how. */
  writtenBy(file: string): string | undefined;
  /** The .gitignore line that makes git ignore a file (one each user creates, such as a credentials file), said as where. */
  ignoredBy(file: string): string | undefined;
}

export class ListedFiles {
  /** The real paths of the files kustomizations read as patches (or generator, replacement files): no objects of their folder. */
  public readonly patchFiles = new Set<string>();
  /** Per kustomization file, its entries outside its folder: said in one finding, at index `at` of the errors. */
  private readonly outside = new Map<string, { at: number; entries: Set<string>; first: string }>();

  constructor(
    private readonly access: ListedFileAccess,
    private readonly problems: ReadProblems,
  ) {}

  /** Whether the load restrictor refused a file a kustomization lists. */
  public refusedOutside(): boolean {
    return this.outside.size > 0;
  }

  /** The text of a patch (or generator, replacement) file a kustomization names, read under the load restrictor; undefined when reported. */
  public patchFile(dir: string, file: string, entry: string, what: 'patch' | 'file' = 'patch'): string | undefined {
    const found = this.listedFile(dir, file, entry, what);
    return found && this.access.load(found.target, found.st);
  }

  /**
   * The bytes of a file a generator names (any bytes: a keystore, a certificate), read as patch files are;
   * WRITTEN_BEFORE_BUILD for a file a script writes, or each user makes (.gitignore), before the build (reported).
   */
  public generatorFile(dir: string, file: string, entry: string): Buffer | typeof WRITTEN_BEFORE_BUILD | undefined {
    let written = false;
    const found = this.listedFile(dir, file, entry, 'file', () => (written = true));
    if (!found) return written ? WRITTEN_BEFORE_BUILD : undefined;
    if (found.st.size > this.access.maxFileBytes) {
      this.problems.problem(found.target, `is more than the ${this.access.maxFileBytes} bytes a file may have: not read`);
      return undefined;
    }
    try {
      return fs.readFileSync(found.target);
    } catch (e) {
      this.problems.problem(found.target, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  }

  /** A file named as a patch in a form kustomize refuses: not an object of the folder, whatever else is said of it. */
  public notePatchFile(dir: string, entry: string): void {
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    if (fs.existsSync(target)) this.patchFiles.add(realPath(target));
  }

  /** A file a kustomization lists (a patch, a generator's or a replacement's file), under the load restrictor; undefined when reported. */
  private listedFile(
    dir: string,
    file: string,
    entry: string,
    what: 'patch' | 'file',
    writtenBeforeBuild?: () => void,
  ): { target: string; st: fs.Stats } | undefined {
    const target = path.isAbsolute(entry) ? path.normalize(entry) : path.join(dir, entry);
    const st = this.access.stat(target, () => {
      if (this.missing(dir, file, entry, target, what)) writtenBeforeBuild?.();
    });
    if (!st) return undefined;
    if (this.outsideRoot(dir, file, entry, target)) return undefined;
    if (!st.isFile()) {
      this.problems.refused(file, `lists the ${what} '${entry}', which is not a regular file: kustomize build fails`);
      return undefined;
    }
    this.patchFiles.add(realPath(target));
    return { target, st };
  }

  /**
   * A listed file that is not there: kustomize refuses the build, unless a script of the tree writes the file before it
   * (kustomize reads generator files at build time, api/kv), or it is a generator's file that the repository's
   * .gitignore ignores (a credentials file each user creates): then a warning naming the script or the .gitignore line,
   * and the objects made from the file are a step the reader did not build, so what refers to them is no certain
   * refusal either.
   */
  private missing(dir: string, file: string, entry: string, target: string, what: 'patch' | 'file'): boolean {
    const by = this.access.writtenBy(target);
    const ignored = by || what !== 'file' ? undefined : this.access.ignoredBy(target);
    // a generator's object is still made, by its name, without the keys of the file (kustomize names it from the generator)
    const unjudged = what === 'file' ? "(the object it generates is read without that file's keys)" : '(what it generates is not judged)';
    if (ignored) {
      this.problems.writtenFileMissing(
        file,
        `lists the file '${entry}', which is not in the tree: create ${entry} before building (it is ignored by .gitignore: ${ignored}), ` +
          `so each user makes it; the reader built this root without it ${unjudged}`,
        what !== 'file',
      );
      return true;
    }
    if (!by) {
      this.problems.refused(file, `lists the ${what} '${entry}', which does not exist (${target}): kustomize build fails, so Argo CD cannot sync this root`);
      return false;
    }
    this.problems.writtenFileMissing(
      file,
      `lists the ${what} '${entry}', which is not in the tree: ${by} writes it before the build, so the reader built this root without it ` +
        `${unjudged}; run the script, then check the build: kubectl kustomize ${dir} | cdk8s-vllm check -`,
      what !== 'file',
    );
    return true;
  }

  /**
   * kustomize's load restrictor (api/internal/loader/loadrestrictions.go RestrictionRootOnly): a file, its symlinks
   * resolved, must be in or below the folder of the kustomization that lists it. Folders are not restricted: they are
   * kustomizations of their own (`../base`).
   */
  public outsideRoot(dir: string, file: string, entry: string, target: string): boolean {
    if (this.access.unrestricted()) return false;
    let real: string;
    let root: string;
    try {
      real = fs.realpathSync(target);
      root = fs.realpathSync(dir);
    } catch {
      return false;
    }
    if (real.startsWith(root + path.sep)) return false;
    // one finding per kustomization, naming how many files and the first few
    const group = this.outside.get(file);
    if (group?.entries.has(entry)) return true;
    if (!group) {
      const at = this.problems.errors.length;
      this.problems.refused(file, outsideMessage(dir, [entry], real));
      if (this.problems.errors.length > at) this.outside.set(file, { at, entries: new Set([entry]), first: real });
      return true;
    }
    group.entries.add(entry);
    this.problems.refusedAgainAt(group.at, outsideMessage(dir, [...group.entries], group.first));
    return true;
  }
}
