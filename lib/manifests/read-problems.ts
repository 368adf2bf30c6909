import * as path from 'path';
import { ManifestReadError } from './loaded';

/**
 * The problems of one reading, said once each, and the counts that tell kustomize's verdicts from the reader's
 * guesses: steps of a build the reader did not follow, refusals said, and steps that may add objects it did not build.
 */

/** The advice of a finding about a kustomize build the reader did not follow whole: check the real build. */
export const checkTheBuild = (dir: string) => `check the build instead (add --kustomize kubectl, or kubectl kustomize ${dir} | cdk8s-vllm check -)`;

/** What a refusal or a lost patch says of the whole build, true only where the reader followed all of it. */
const WHOLE_BUILD_VERDICT =
  /: kustomize (?:build fails|refuses the build), so (?:nothing of this root deploys|Argo CD cannot sync this root)|: kustomize applies the patch to nothing, without an error, so it has no effect(?:; point it at an object of the build, or remove it)?/g;

/**
 * A finding on a build the reader did not follow whole (a remote base, a Helm chart, a step it does not apply),
 * restated on what it saw: the object a patch, a replacement or a replicas entry names is missing from the part of the
 * build it followed, which is no verdict on the build, since the rest may hold the object.
 */
export function unverifiable(message: string): string {
  const premise = message
    .replace(WHOLE_BUILD_VERDICT, '')
    .replace(/selects no object of (?:this|the) build/, 'selects no object of the part of this build the reader followed')
    .replace(/which is not in this build/, 'which is not in the part of this build the reader followed')
    .replace(/ is in the build to (merge|replace): kustomize refuses it/, ' is in the part of this build the reader followed to $1');
  return `not verifiable: ${premise}`;
}

/**
 * A patch's, replicas entry's or merging generator's finding that the build holds no object of the name it gives
 * (patches.ts, kustomization.ts, generators.ts).
 */
const OBJECT_ABSENT = /, which is (?:not in this build|no Deployment)|, but no .* is in the build to (?:merge|replace)/;

export class ReadProblems {
  public readonly errors: ManifestReadError[] = [];
  private readonly said = new Set<string>();
  /** How many steps of a build the reader has not followed so far (refusals after one are not kustomize's verdict). */
  private unfollowed = 0;
  /** How many refusals of a build (kustomize-build-fails) were said, and how many before each kustomization began. */
  private refusals = 0;
  private readonly refusalsAt = new Map<string, number>();
  /** The finding each refusal is said in, in the order they were counted. */
  private readonly refusalFindings: number[] = [];
  /**
   * Steps not followed that may add objects to a build (remote resources, Helm charts, generator plugins), and how many
   * before each kustomization began: after one, an object a patch or replicas entry names may be in the build.
   */
  private unbuilt = 0;
  private readonly unbuiltAt = new Map<string, number>();
  /**
   * The steps not followed because a script of the tree writes a file the build lists: the unfollowed count each one
   * brought, and the finding that says so (the consequences of the missing file are folded into it).
   */
  private readonly writtenFiles: { count: number; at: number }[] = [];
  /** The warnings of resources a script writes, by kustomization and script: where each is and the entries it names. */
  private readonly writtenGroups = new Map<string, { at: number; entries: string[] }>();
  /** The resources and components each kustomization lists that do not exist: where its one refusal is, and the entries. */
  private readonly missingGroups = new Map<string, { at: number; entries: string[] }>();
  /** The remote resources and components not followed: the unbuilt count each brought, and the finding that says so. */
  private readonly remoteSteps: { unbuilt: number; unfollowed: number; at: number }[] = [];
  /** The empty kustomizations met walking a folder, with the error each becomes when something of the input builds it. */
  private readonly placeholders: { file: string; dir: string; root: string | undefined; error: ManifestReadError; at: number }[] = [];

  /** How many steps of a build the reader has not followed so far. */
  public get unfollowedSteps(): number {
    return this.unfollowed;
  }

  /** Notes where the build of a kustomization begins: the refusals and the steps not built before it. */
  public buildBegins(file: string): void {
    this.refusalsAt.set(file, this.refusals);
    this.unbuiltAt.set(file, this.unbuilt);
  }

  /** Counts a step not followed that may add objects to the build (a remote resource, a Helm chart, a generator plugin). */
  public unbuiltStep(): void {
    this.unbuilt++;
  }

  /** Whether a refusal was said since the build of the kustomization began (below it: a missing resource). */
  public refusedSince(file: string): boolean {
    return this.refusals > (this.refusalsAt.get(file) ?? this.refusals);
  }

  /** A refusal said again in the finding at `at`, which now names it too: counted, and that finding's message replaced. */
  public refusedAgainAt(at: number, message: string): void {
    this.refusals++;
    this.refusalFindings.push(at);
    this.errors[at] = { ...this.errors[at], message };
  }

  /**
   * An empty kustomization: refused when something builds it (a parent lists it, or it is the folder checked); one met
   * walking a folder is said as a note until readManifests finds an Application path or a script that builds it.
   */
  public empty(file: string, message: string, walked: boolean, root: string | undefined): void {
    if (!walked) return this.refused(file, message);
    this.placeholders.push({
      file,
      dir: path.dirname(file),
      root,
      error: { file, message, severity: 'error', kind: 'kustomize-build-fails' },
      at: this.errors.length,
    });
    this.problem(
      file,
      `is a placeholder kustomization: kustomize refuses to build it ("kustomization.yaml is empty"); nothing in the input builds it (no kustomization lists it, no Application path or script names it)`,
      'info',
      undefined,
      'kustomize-build-fails',
    );
  }

  /** The empty kustomizations met walking a folder, and the error each is when something of the input builds it. */
  public placeholderErrors(builds: (dir: string, root: string | undefined) => string | undefined): void {
    for (const p of this.placeholders) {
      const by = this.errors[p.at]?.file === p.file ? builds(p.dir, p.root) : undefined;
      if (by) this.errors[p.at] = { ...p.error, message: `${p.error.message}, and ${by} builds it; give it resources, or stop building it` };
    }
  }

  /**
   * A file the build lists that a script of the tree writes: a step not followed, whose consequences this finding
   * carries. A generator's file adds no object (kustomize names the object from the generator, the file gives its
   * keys): `addsObjects` false leaves the build's object set whole.
   */
  public writtenFileMissing(file: string, message: string, addsObjects = true): void {
    if (addsObjects) this.unbuiltStep();
    this.problem(file, message, 'warning');
    this.writtenFiles.push({ count: this.unfollowed, at: this.errors.findIndex((e) => e.file === file && e.message === message) });
  }

  /**
   * Resources a kustomization lists that one script of the tree writes before the build: one warning per kustomization
   * and script, naming every such entry (`say` words it), the steps not followed all folded into it.
   */
  public writtenResourcesMissing(file: string, by: string, entry: string, say: (entries: readonly string[]) => string): void {
    const key = `${file}\0${by}`;
    const group = this.writtenGroups.get(key);
    if (!group) {
      this.writtenFileMissing(file, say([entry]));
      this.writtenGroups.set(key, { at: this.writtenFiles[this.writtenFiles.length - 1].at, entries: [entry] });
      return;
    }
    group.entries.push(entry);
    this.unbuiltStep();
    this.errors[group.at] = { ...this.errors[group.at], message: say(group.entries) };
    this.writtenFiles.push({ count: this.unfollowed, at: group.at });
  }

  /** The one finding of a missing written file behind every step not followed since `before`, if there is one. */
  private writtenFileBehind(before: number): number | undefined {
    const steps = this.writtenFiles.filter((w) => w.count > before);
    const at = new Set(steps.map((w) => w.at));
    return steps.length === this.unfollowed - before && at.size === 1 ? steps[0].at : undefined;
  }

  /** A finding that follows from the one at `cause`: said on it, counted, and listed under --verbose, not on its own. */
  private consequenceOf(cause: number, file: string, message: string): void {
    const e = this.errors[cause];
    if (!e.consequences?.some((c) => c.file === file && c.message === message))
      this.errors[cause] = { ...e, consequences: [...(e.consequences ?? []), { file, message }] };
  }

  /** A remote resource or component of a kustomization, not followed: a step that may add objects to the build. */
  /** Whether a build listed a remote resource the reader did not follow: what it adds is unknown here. */
  public get remoteUnfollowed(): boolean {
    return this.remoteSteps.length > 0;
  }

  public remoteNotFollowed(file: string, message: string): void {
    this.unbuiltStep();
    this.problem(file, message, 'warning');
    this.remoteSteps.push({ unbuilt: this.unbuilt, unfollowed: this.unfollowed, at: this.errors.findIndex((e) => e.file === file && e.message === message) });
  }

  /**
   * A patch target the part of the build the reader followed lacks, where every step the build of `file` did not
   * build is a remote base already reported: said on the first of those findings (the object most likely comes from
   * there), not as a finding of its own; false where another kind of step (a Helm chart, a plugin) may add objects.
   */
  public unverifiableBehindRemote(file: string, message: string): boolean {
    const before = this.unbuiltAt.get(file) ?? this.unbuilt;
    const remote = this.unbuilt === before ? undefined : this.remoteBehind((r) => r.unbuilt > before, this.unbuilt - before);
    if (remote === undefined) return false;
    this.consequenceOf(remote, file, message);
    return true;
  }

  /** The finding of the first remote step `since` selects, when those are all `steps` of the count: else undefined. */
  private remoteBehind(since: (r: { unbuilt: number; unfollowed: number }) => boolean, steps: number): number | undefined {
    const remote = this.remoteSteps.filter((r) => since(r) && r.at >= 0);
    return remote.length && remote.length === steps ? remote[0].at : undefined;
  }

  /** A finding of a build already refused: said on the first refusal since its build began (dropped if that is gone). */
  private afterRefusal(file: string, message: string): void {
    const cause = this.refusalFindings[this.refusalsAt.get(file) ?? 0];
    if (cause !== undefined && this.errors[cause]) this.consequenceOf(cause, file, message);
  }

  /**
   * A resource or component entry of a kustomization that does not exist: one refusal per kustomization, naming its
   * missing entries (the first few and a count; the rest listed under --verbose), counted once per entry.
   */
  public missingEntry(file: string, dir: string, entry: string, target: string): void {
    const group = this.missingGroups.get(file);
    if (!group) {
      this.refused(file, missingEntriesMessage(dir, [entry], target).message);
      this.missingGroups.set(file, { at: this.refusalFindings[this.refusalFindings.length - 1], entries: [entry] });
      return;
    }
    this.refusals++;
    this.refusalFindings.push(group.at);
    // a base several roots include is read once per root: each entry counts once in the message
    if (group.entries.includes(entry)) return;
    group.entries.push(entry);
    const said = missingEntriesMessage(dir, group.entries, target);
    this.errors[group.at] = { ...this.errors[group.at], message: said.message, ...(said.elided ? { elided: said.elided } : {}) };
  }

  /** A problem that makes kustomize refuse the build of the root (rule kustomize-build-fails). */
  public refused(file: string, message: string): void {
    this.problem(file, message, 'error', undefined, 'kustomize-build-fails');
  }

  /**
   * A refusal that depends on the objects' content (a replacement's field, a name reference) is kustomize's verdict
   * only when the reader applied all of the build so far: after a step it did not follow (a strategic-merge directive,
   * a remote base, a plugin), the field may well be there in kustomize's build, so it is said as a warning.
   */
  public refusedUnlessUnfollowed(
    dir: string,
    file: string,
    message: string,
    unfollowedBefore: number,
    rule: 'kustomize-build-fails' | 'kustomize-patch-invalid' = 'kustomize-build-fails',
  ): void {
    const cause = this.unfollowed === unfollowedBefore ? undefined : this.writtenFileBehind(unfollowedBefore);
    // a consequence of the one missing file, not a finding of its own: counted on the file's finding
    if (cause !== undefined) return this.consequenceOf(cause, file, message);
    // behind remote bases only, already reported: said on the first of them
    const remote =
      this.unfollowed === unfollowedBefore ? undefined : this.remoteBehind((r) => r.unfollowed > unfollowedBefore, this.unfollowed - unfollowedBefore);
    if (remote !== undefined) return this.consequenceOf(remote, file, `${unverifiable(message)}; the object may come from this remote base`);
    this.refusedOrWarned(
      this.unfollowed === unfollowedBefore,
      dir,
      file,
      message,
      rule,
      'the reader did not follow all of this build (see the warnings above), so kustomize may build it',
    );
  }

  /**
   * kustomize's refusal as an error where the reader's build is certain; else a warning saying why kustomize may build
   * it after all, and to check the real build.
   */
  private refusedOrWarned(certain: boolean, dir: string, file: string, message: string, rule: NonNullable<ManifestReadError['kind']>, why: string): void {
    if (certain) return this.problem(file, message, 'error', undefined, rule);
    this.problem(file, `${unverifiable(message)}; ${why}: ${checkTheBuild(dir)}`, 'warning');
  }

  /** Whether a step the reader did not follow may have added objects to the kustomization's build. */
  public partlyBuilt(file: string): boolean {
    return this.unbuilt > (this.unbuiltAt.get(file) ?? this.unbuilt);
  }

  /**
   * A refusal because an object a patch or replicas entry names is not in the build: kustomize's verdict only when
   * the reader built all of it; after a remote base, a Helm chart or a generator plugin, the object may come from
   * there, so it is said as a warning.
   */
  public refusedUnlessUnbuilt(dir: string, file: string, message: string, rule: 'kustomize-build-fails' | 'kustomize-patch-invalid'): void {
    // a build already refused below this kustomization (a resource outside the root, a folder without a
    // kustomization): kustomize stops at that first error (accumulateResources returns it) and never matches patches,
    // and an object the build lacks may well be in the refused resource: a consequence of that refusal, not a finding
    // of its own (a patch of an object the build holds in another version is wrong whatever the refusal)
    if (this.refusedSince(file) && OBJECT_ABSENT.test(message)) return this.afterRefusal(file, message);
    if (this.partlyBuilt(file) && this.unverifiableBehindRemote(file, `${unverifiable(message)}; the object may come from this remote base`)) return;
    this.refusedOrWarned(!this.partlyBuilt(file), dir, file, message, rule, 'the object may come from what the reader did not build (see the warnings above)');
  }

  public problem(file: string, message: string, severity: ManifestReadError['severity'] = 'error', line?: number, kind?: ManifestReadError['kind']): void {
    // a base or component that several roots include is read once per root: say each thing once
    const key = `${file}\0${line ?? ''}\0${message}`;
    // a warning of no rule is a step of the build the reader did not follow (counted each time: a base read again for
    // another root is not followed there either)
    if (severity === 'warning' && kind === undefined) this.unfollowed++;
    const refusal = severity === 'error' && kind === 'kustomize-build-fails';
    if (refusal) this.refusals++;
    if (this.said.has(key)) {
      if (refusal) this.refusalFindings.push(this.errors.findIndex((e) => e.file === file && e.message === message && (e.line ?? 0) === (line ?? 0)));
      return;
    }
    this.said.add(key);
    if (refusal) this.refusalFindings.push(this.errors.length);
    this.errors.push({ file, message, severity, ...(line ? { line } : {}), ...(kind ? { kind } : {}) });
  }
}

/** How many missing entries a refusal names before the count of the rest (--verbose lists them all). */
const MISSING_SHOWN = 3;

/**
 * The refusal of a kustomization whose listed resources or components do not exist: kustomize stops at the first
 * (api/internal/target/kusttarget.go accumulateResources returns its error), and each must be there for the build.
 */
export function missingEntriesMessage(dir: string, entries: readonly string[], firstTarget: string): { message: string; elided?: ManifestReadError['elided'] } {
  const verdict = ': kustomize build fails, so Argo CD cannot sync this root';
  if (entries.length === 1) return { message: `lists '${entries[0]}', which does not exist (${firstTarget})${verdict}` };
  const quoted = entries.map((e) => `'${e}'`);
  const rest = quoted.slice(MISSING_SHOWN);
  const marker = rest.length ? `, … (${rest.length} more; --verbose lists each)` : '';
  return {
    message: `lists ${entries.length} entries that do not exist in ${dir}: ${quoted.slice(0, MISSING_SHOWN).join(', ')}${marker}${verdict} (it stops at the first); list paths that exist, or remove the entries`,
    ...(rest.length ? { elided: { marker, full: `, ${rest.join(', ')}` } } : {}),
  };
}
