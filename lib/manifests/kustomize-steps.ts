import * as fs from 'fs';
import * as path from 'path';
import { isMapping, Loose, mapping, mappings, strings, text } from './access';
import { applyTransforms, isNoOp, isRemote, NOT_APPLIED, ADDS_OBJECTS, shapeProblems } from './kustomization';
import { movedNamespace, namespacedByBuild, needsHash, originalNamespace, previousNames, renamed, withoutBuildAnnotations } from './build-ids';
import { absorb, contentHash, generate } from './generators';
import { missingLocalCharts } from './helm-charts';
import { inflateHelmCharts, onlyModelledCharts } from './kustomize-helm';
import { policyGeneratorPaths } from './policy-generators';
import { KustomizationBuild, LoadedManifest } from './loaded';
import { CONFIGURED_SECTIONS, ConfiguredSection, ConfiguredSpecs, FieldSpec, noConfiguredSpecs } from './field-specs';
import { BackReference, fixNameReferences, nameReferenceConfig } from './name-reference';
import { applyPatches } from './patches';
import { applyReplacements } from './replacements';
import { declaredVars, resolveVars, tieVars, Var } from './vars';
import { parseDocuments, parseOne } from './yaml-documents';
import { builtinTransformer } from './builtin-transformers';
import { checkTheBuild, ReadProblems, unverifiable } from './read-problems';
import type { ListedFiles } from './listed-files';
import { objectsNamed, repeatedIds } from './build-ids';

/** What the build of the root decides for its kustomizations: whether it enables Helm (--enable-helm), whether it lifts the load restrictor. */
export interface BuildFlags {
  readonly helmEnabled: () => boolean;
  readonly unrestricted: () => boolean;
}

/** Why a kustomization's helmCharts are not inflated: kustomize's HelmChartInflationGenerator Config refuses them without --enable-helm. */
const HELM_NOT_ENABLED =
  ': kustomize inflates Helm charts only when the build enables Helm (without --enable-helm it refuses the build: "must specify --enable-helm"), and nothing of the input builds this root so (Argo CD\'s kustomize.buildOptions, a script\'s kustomize build --enable-helm)';

/** A configured field spec named, in messages, by its configurations file as the kustomization's folder reaches it. */
function shownFrom(file: string): (f: FieldSpec) => FieldSpec {
  return (f) => (f.from ? { ...f, from: `configurations file ${path.relative(path.dirname(file), f.from)}` } : f);
}

/**
 * The steps of one kustomization's build after its resources are accumulated, in kustomize's order: its shape checked,
 * `configurations:` merged, generators run, patches and transformers applied, vars declared; and, once the root's
 * objects are all built, content hashes, name references and vars resolved. What is refused or not applied is said.
 */
export class KustomizationSteps {
  /** The name references the kustomizations of the root being built configure (`configurations:`). */
  private configured: BackReference[] = [];
  /** The vars the kustomizations of the root being built declare, and where else `configurations:` has them replaced. */
  private vars: Var[] = [];
  private varReferences: FieldSpec[] = [];
  /**
   * The field specs of the transformers' sections configured so far in the root's build, and where each
   * kustomization's own begin: a kustomization's transformers use its own configuration merged with those of what its
   * resources built (resAccumulator.MergeConfig), configured after its own.
   */
  private sectionSpecs: { section: ConfiguredSection; spec: FieldSpec }[] = [];
  private readonly sectionsFrom = new Map<string, number>();
  /** Per kustomization folder: whether it renames (namespace, namePrefix, nameSuffix), and whether its build has steps the reader did not follow. */
  public readonly builds = new Map<string, KustomizationBuild>();
  /** Whether a kustomization of the read has helmCharts entries (which --enable-helm would inflate). */
  public helmChartsMet = false;

  constructor(
    private readonly manifests: LoadedManifest[],
    private readonly problems: ReadProblems,
    private readonly files: ListedFiles,
    private readonly build: BuildFlags = { helmEnabled: () => false, unrestricted: () => false },
  ) {}

  /** A root's build begins: the name references and vars of the roots built before do not reach it. */
  public newRoot(): void {
    this.configured = [];
    this.vars = [];
    this.varReferences = [];
    this.sectionSpecs = [];
    this.sectionsFrom.clear();
  }

  /** What kustomize refuses in the file's shape and kind, and the fields check does not apply (a warning each). */
  public reportShape(dir: string, file: string, k: Loose, role: 'resources' | 'components' | 'root'): void {
    for (const p of shapeProblems(k)) this.problems.refused(file, p);
    for (const p of missingLocalCharts(dir, k)) this.problems.refused(file, p);
    const kind = text(k.kind) || 'Kustomization';
    // kusttarget.go accumulateDirectory: "expected kind 'Component' …" / "expected kind != 'Component' …"
    if (role === 'components' && kind !== 'Component')
      this.problems.refused(file, `is a ${kind} listed under components: kustomize refuses it (expected kind 'Component'); list it under resources`);
    if (role === 'resources' && kind === 'Component')
      this.problems.refused(file, `is a Component listed under resources: kustomize refuses it (expected kind != 'Component'); list it under components`);
    if (!isNoOp(k.helmCharts)) this.helmChartsMet = true;
    for (const field of NOT_APPLIED) {
      if (isNoOp(k[field]) || (field === 'helmCharts' && this.helmInflated(k))) continue;
      if (ADDS_OBJECTS.includes(field)) this.problems.unbuiltStep();
      this.problems.problem(
        file,
        `uses '${field}', which check does not apply${field === 'helmCharts' ? HELM_NOT_ENABLED : ''}: the built objects may differ; ${checkTheBuild(dir)}`,
        'warning',
      );
    }
  }

  /**
   * The name references of the kustomization's `configurations:` files, for its root's whole build (kustomize merges
   * every transformer configuration of a build into the root's: resAccumulator.MergeConfig).
   */
  public configure(dir: string, file: string, k: Loose): void {
    this.sectionsFrom.set(file, this.sectionSpecs.length);
    for (const entry of strings(k.configurations)) {
      const source = this.files.patchFile(dir, file, entry, 'file');
      if (source === undefined) continue;
      const parsed = parseOne(source);
      const config =
        'error' in parsed
          ? { references: [], varReferences: [], sections: noConfiguredSpecs(), problems: [`is not valid YAML: ${parsed.error}`] }
          : nameReferenceConfig(parsed.value, path.resolve(dir, entry));
      for (const p of config.problems) this.problems.refused(file, `configurations entry '${entry}' ${p}: kustomize refuses it`);
      // kustomize stops at a configuration it cannot read: its field specs walk nothing
      if (config.problems.length) continue;
      this.configured.push(...config.references);
      this.varReferences.push(...config.varReferences);
      for (const section of CONFIGURED_SECTIONS) this.sectionSpecs.push(...config.sections[section].map((spec) => ({ section, spec })));
    }
  }

  /**
   * The objects of the kustomization's ConfigMap and Secret generators, after those of its resources, or merged into
   * the object they edit (kusttarget.go runGenerators, resAccumulator.AbsorbAll).
   */
  public generate(dir: string, file: string, k: Loose, chain: readonly string[], built: number): void {
    const { made, problems, notApplied } = generate(k, (p) => this.files.generatorFile(dir, file, p));
    for (const p of problems) this.problems.refused(file, p);
    for (const p of notApplied) this.problems.problem(file, `${p}; ${checkTheBuild(dir)}`, 'warning');
    const absorbed = absorb(
      this.manifests.slice(built).map((m) => m.manifest),
      made,
      originalNamespace,
    );
    for (const p of absorbed.problems) this.problems.refused(file, p);
    // a remote base, a Helm chart or a plugin the reader did not build may well make the object merged or replaced
    for (const p of absorbed.absent) this.problems.refusedUnlessUnbuilt(dir, file, p, 'kustomize-build-fails');
    absorbed.objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
    absorbed.appended.forEach((manifest, index) => this.manifests.push({ file, index, line: 1, manifest, kustomizations: chain }));
    if (!isNoOp(k.helmCharts) && this.helmInflated(k)) this.inflate(dir, file, k, chain);
  }

  /**
   * Whether the kustomization's helmCharts are inflated: the build enables Helm, or every entry is one check renders
   * from its values (onlyModelledCharts: the app-template chart), whose objects a build with --enable-helm makes.
   */
  private helmInflated(k: Loose): boolean {
    return this.build.helmEnabled() || onlyModelledCharts(k);
  }

  /** The objects of the kustomization's helmCharts entries, after its generators' (the build enables Helm). */
  private inflate(dir: string, file: string, k: Loose, chain: readonly string[]): void {
    const inflated = inflateHelmCharts(dir, k, this.build.unrestricted(), file);
    for (const p of inflated.refusals) this.problems.refused(file, p);
    for (const p of inflated.notRendered) {
      this.problems.unbuiltStep();
      this.problems.problem(file, `${p}: the built objects may differ; ${checkTheBuild(dir)}`, 'warning');
    }
    const delivery = `kustomize/${file}`;
    for (const o of inflated.objects)
      this.manifests.push({
        file: o.file,
        index: o.index,
        line: 1,
        manifest: o.manifest,
        kustomizations: chain,
        helmRendering: { folder: o.chart, delivery, ...(o.model ? { model: o.model } : {}) },
      });
  }

  /** The configured field specs of the kustomization's merged configuration, by section. */
  private configuredOf(file: string): ConfiguredSpecs {
    const out = noConfiguredSpecs();
    for (const { section, spec } of this.sectionSpecs.slice(this.sectionsFrom.get(file) ?? this.sectionSpecs.length)) out[section].push(shownFrom(file)(spec));
    return out;
  }

  /** Applies the kustomization's patches, then its transformers, to the objects it built from `built` on. */
  public patchAndTransform(dir: string, file: string, k: Loose, built: number, unfollowedBefore: number): void {
    // kustomize's order (configureBuiltinTransformers): strategic-merge patches and patches, the namespace, names,
    // labels and annotations, JSON 6902 patches, replicas, images, replacements
    const { patchesJson6902, ...early } = k;
    const component = text(k.kind) === 'Component';
    // a bare file name in patches (a form kustomize refuses, reported below) still names a patch, not an object
    for (const entry of Array.isArray(k.patches) ? k.patches : []) if (typeof entry === 'string') this.files.notePatchFile(dir, entry);
    const patched = this.patched(
      dir,
      file,
      early,
      this.manifests.slice(built).map((m) => m.manifest),
      component,
    );
    const transformed = applyTransforms(k, patched, (objects) => this.patched(dir, file, { patchesJson6902 }, objects, component), this.configuredOf(file));
    for (const p of transformed.problems) this.problems.refused(file, p);
    for (const p of transformed.unmatched) this.problems.refusedUnlessUnbuilt(dir, file, p, 'kustomize-build-fails');
    const replaced = applyReplacements(k, transformed.objects, (p) => this.files.patchFile(dir, file, p, 'file'));
    for (const p of replaced.problems) this.problems.refusedUnlessUnfollowed(dir, file, p, unfollowedBefore);
    const objects = this.transformed(dir, file, k, replaced.objects, component);
    const repeated = this.repeatedAfterSteps(file, k, patched, objects, built);
    objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest: repeated.has(i) ? null : manifest }));
    // a strategic-merge patch's `$patch: delete` removed these objects from the build, and the refusal above the copies
    for (let i = this.manifests.length - 1; i >= built; i--) if (this.manifests[i].manifest === null) this.manifests.splice(i, 1);
    // what this build did, for the patches a Flux Kustomization adds to it
    const generated = ['configMapGenerator', 'secretGenerator'].flatMap((g) => mappings(k[g]).flatMap((e) => text(e.name) ?? []));
    const policyGenerated = policyGeneratorPaths(dir, k);
    this.builds.set(dir, {
      renames: ['namespace', 'namePrefix', 'nameSuffix'].some((f) => !!text(k[f])),
      partlyBuilt: this.problems.partlyBuilt(file),
      ...(generated.length ? { generated } : {}),
      ...(policyGenerated.length ? { policyGenerated } : {}),
    });
  }

  /**
   * The objects after the builtin transformer configs the kustomization lists under `transformers:`, which kustomize
   * runs after its own transformers (kusttarget.go runTransformers): inline configs first, then the files, in order
   * (configureExternalTransformers); a config the reader does not carry is a warning, one kustomize refuses an error.
   */
  private transformed(dir: string, file: string, k: Loose, objects: unknown[], component: boolean): unknown[] {
    const entries = strings(k.transformers).filter((e) => e !== '');
    const inline = entries.filter((e) => isMapping(mapping(parseOne(e)).value));
    let out = objects;
    for (const entry of [...inline, ...entries.filter((e) => !inline.includes(e))]) {
      const configs = this.transformerConfigs(dir, file, entry, inline.includes(entry));
      for (const config of configs ?? []) {
        const t = builtinTransformer(config);
        const said = inline.includes(entry) ? 'an inline transformers entry' : `transformers entry '${entry}'`;
        if ('refused' in t) this.problems.refused(file, `${said} ${t.refused}: kustomize refuses the build`);
        else if ('notCarried' in t) this.notCarried(dir, file, `${said} is a ${t.notCarried}`);
        else if ('patches' in t) out = this.patched(dir, file, t.patches, out, component);
        else {
          const r = t.transform(out);
          for (const p of r.problems) this.problems.refused(file, `${said}: ${p}: kustomize refuses the build`);
          if (r.notCarried) this.notCarried(dir, file, `${said} is a ${r.notCarried}`);
          // the object may come from a part of the build the reader did not follow
          if (r.unmatched) this.problems.refusedUnlessUnbuilt(dir, file, `${said} ${r.unmatched}: kustomize refuses the build`, 'kustomize-build-fails');
          out = r.objects;
        }
      }
    }
    return out;
  }

  private notCarried(dir: string, file: string, what: string): void {
    this.problems.problem(file, `${what}, which check does not apply: the built objects may differ; ${checkTheBuild(dir)}`, 'warning');
  }

  /** The configs of one transformers entry: inline documents, or those of the file it names; undefined when not read (said). */
  private transformerConfigs(dir: string, file: string, entry: string, inline: boolean): unknown[] | undefined {
    const target = path.resolve(dir, entry);
    if (!inline && (isRemote(entry) || (fs.existsSync(target) && fs.statSync(target).isDirectory()))) {
      this.notCarried(dir, file, `transformers entry '${entry}' is a ${isRemote(entry) ? 'remote' : 'folder'} of transformer configs`);
      return undefined;
    }
    const source = inline ? entry : this.files.patchFile(dir, file, entry, 'file');
    if (source === undefined) return undefined;
    const { objects, problems } = parseDocuments(source);
    if (problems.length) {
      this.problems.refused(file, `transformers entry '${entry}' is not valid YAML: kustomize refuses the build`);
      return undefined;
    }
    return objects.map((o) => o.manifest);
  }

  /**
   * The positions (from `built`) of the objects this kustomization's own steps gave an id an earlier object of its
   * accumulator has, refused as kustomize refuses them: its NamespaceTransformer checks each object it moves
   * (plugin/builtin/namespacetransformer Transform: "namespace transformation produces ID conflict"), and the
   * accumulator is appended whole again after an included kustomization's or Component's build (accumulateDirectory,
   * MergeAccumulator) and at the root's end (KustTarget.IgnoreLocal, resmap FromResourceSlice), each append refusing an
   * id it holds (resWrangler.Append). The build keeps the first copy.
   */
  private repeatedAfterSteps(file: string, k: Loose, before: readonly unknown[], after: readonly unknown[], built: number): Set<number> {
    const entries = after.map((manifest, i) => ({ ...this.manifests[built + i], manifest }));
    const again = repeatedIds(entries, 0);
    if (!again.length) return new Set();
    const at = (m: LoadedManifest) => entries.indexOf(m);
    const namespaceOf = (m: LoadedManifest) => text(mapping(mapping(before[at(m)]).metadata).namespace) ?? '';
    const namespace = text(k.namespace);
    const moved = again.filter(({ later, first }) => namespace && namespaceOf(later) !== namespaceOf(first));
    const renamed = again.filter((a) => !moved.includes(a));
    const where = (list: typeof again) => [...new Set(list.flatMap(({ first, later }) => [first.file, later.file]))].join(', ');
    if (moved.length)
      this.problems.refused(
        file,
        `namespace '${namespace}' puts ${objectsNamed(
          moved.map((a) => a.later),
          false,
        )} of namespaces ${[...new Set(moved.flatMap(({ first, later }) => [namespaceOf(first) || '(none)', namespaceOf(later) || '(none)']))].map((n) => `'${n}'`).join(' and ')} (${where(moved)}) under one id: ` +
          'kustomize refuses the build ("namespace transformation produces ID conflict"), so nothing of this root deploys; give one copy another name, or keep only one',
      );
    if (renamed.length)
      this.problems.refused(
        file,
        `its patches and transformers leave two objects with one id, ${objectsNamed(renamed.map((a) => a.later))} (${where(renamed)}): ` +
          'kustomize refuses the build ("may not add resource with an already registered id"), so nothing of this root deploys; keep only one, or give one another name',
      );
    return new Set(again.map(({ later }) => at(later)));
  }

  /** The kustomization's vars, tied to the objects it built (resAccumulator.MergeVars, after its transformers). */
  public declareVars(file: string, k: Loose, built: number): void {
    const { vars, problems } = declaredVars(k);
    const objects = this.manifests.slice(built).map((m) => m.manifest);
    problems.push(...tieVars(vars, objects, this.vars));
    for (const p of problems) this.problems.refused(file, p);
    objects.forEach((manifest, i) => (this.manifests[built + i] = { ...this.manifests[built + i], manifest }));
  }

  /** The objects with a kustomization's patches applied, and what kustomize refuses or the reader does not apply reported. */
  private patched(dir: string, file: string, k: Loose, objects: readonly unknown[], component: boolean): unknown[] {
    const patched = applyPatches(k, objects, (p) => this.files.patchFile(dir, file, p));
    for (const p of patched.invalid) this.problems.problem(file, p, 'error', undefined, 'kustomize-patch-invalid');
    for (const p of patched.unmatched) this.problems.refusedUnlessUnbuilt(dir, file, p, 'kustomize-patch-invalid');
    for (const p of patched.suspicious) this.problems.problem(file, p, 'warning', undefined, 'kustomize-patch-invalid');
    for (const p of patched.mistargeted) this.unselected(dir, file, p, component, true);
    for (const p of patched.unselected) this.unselected(dir, file, p, component, false);
    for (const p of patched.notApplied) this.problems.problem(file, `${p}: the built objects may differ; ${checkTheBuild(dir)}`, 'warning');
    return patched.objects;
  }

  /**
   * A patch whose target selects nothing: kustomize builds without it, silently, so the patch has no effect. An error
   * where the target was meant for an object of the whole build the reader followed (`mistaken`: a version written as
   * group/version, another group...); a warning where it names nothing of the build (a patch kept for an optional
   * component is common), in a Component (meant for several builds) or after a step the reader did not follow.
   */
  private unselected(dir: string, file: string, message: string, component: boolean, mistaken: boolean): void {
    // a build refused below this kustomization (a missing resource) lacks objects and fails anyway: nothing to say
    if (this.problems.refusedSince(file)) return;
    if (!component && !this.problems.partlyBuilt(file))
      return this.problems.problem(file, message, mistaken ? 'error' : 'warning', undefined, 'kustomize-patch-invalid');
    if (component)
      return this.problems.problem(
        file,
        `${message}; this Component is meant for several builds, and another may hold the object`,
        'warning',
        undefined,
        'kustomize-patch-invalid',
      );
    // behind remote bases already reported, the likely source of the object: one finding, that one
    if (this.problems.unverifiableBehindRemote(file, `${unverifiable(message)}; the object may come from this remote base`)) return;
    const why = `the reader did not follow all of this build (see the warnings above), so the object may come from what it did not read: ${checkTheBuild(dir)}`;
    this.problems.problem(file, `${unverifiable(message)}; ${why}`, 'warning', undefined, 'kustomize-patch-invalid');
  }

  /**
   * What kustomize does once a root's objects are all built (kusttarget.go makeCustomizeResMap): generated objects
   * get their content hash, the names that refer to renamed objects follow them, and its build annotations go.
   */
  public finishBuild(file: string, start: number, unfollowedBefore: number): void {
    // generated objects get their content hash first (addHashesToNames), so that references follow it too
    const hashed = this.manifests
      .slice(start)
      .map(({ manifest: m }) => (isMapping(m) && needsHash(m) ? renamed(m, `${text(mapping(m.metadata).name) ?? ''}-${contentHash(m)}`) : m));
    const shown = shownFrom(file);
    const configured = this.configured.map((r) => ({ ...r, referrers: r.referrers.map(shown) }));
    const named = fixNameReferences(hashed, configured);
    // with the references fixed, the vars take their objects' final values (kusttarget.go makeCustomizeResMap)
    const { objects, problems } = resolveVars(this.vars, named.objects, this.varReferences.map(shown));
    for (const p of [...named.problems, ...problems]) this.problems.refusedUnlessUnfollowed(path.dirname(file), file, p, unfollowedBefore);
    objects.forEach((o, i) => {
      const movedFrom = movedNamespace(o);
      const placed = namespacedByBuild(o);
      const before = this.manifests[start + i].manifest;
      const hashedFrom = isMapping(before) && needsHash(before) ? text(mapping(before.metadata).name) : undefined;
      const renamedFrom = isMapping(o) ? previousNames(o).filter((n) => n && n !== text(mapping(o.metadata).name)) : [];
      this.manifests[start + i] = {
        ...this.manifests[start + i],
        manifest: withoutBuildAnnotations(o),
        ...(movedFrom ? { movedFrom } : {}),
        ...(placed ? { namespacedByBuild: true as const } : {}),
        ...(hashedFrom ? { hashedFrom } : {}),
        ...(renamedFrom.length ? { renamedFrom } : {}),
      };
    });
  }
}
