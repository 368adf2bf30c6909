import * as fs from 'fs';
import { modelledDeliveries, renderAppTemplateReleases } from './app-template-releases';
import { repositorySourceLookup, SourceLookup } from './app-template-sources';
import { cachedChartDeliveries, placedAtReleases } from './chart-cache';
import { chartDeliveries, OutsideChart, renderDeliveredCharts } from './chart-deliveries';
import { unfetchedCharts } from './unfetched-charts';
import { isPartOfChart } from './undelivered-charts';
import { ScriptChartDelivery, scriptChartDeliveries } from './script-chart-deliveries';
import { patternDeliveries } from './pattern-applications';
import { isFolder } from './files';
import * as path from 'path';
import { isMapping, mapping, text } from './access';
import { argoBuildOptions, buildOptionsNote, enablesHelm, liftsRestrictor } from './argocd-build-options';
import {
  fluxOnlyBuilt,
  folderBuilder,
  helmEnabledBuild,
  isFluxKustomization,
  kustomizeVersionFor,
  scriptLiftedBuild,
  scriptsLiftRestrictor,
} from './folder-builders';
import { FluxFollowHost, followFlux, workTreeFluxBuilder } from './flux-followed';
import { GitCheckout, gitCheckoutOf } from './git-checkout';
import { OutsideApplication, outsideApplications } from './outside-applications';
import { KustomizationBuild, LoadedManifest, ManifestReadError, UnreadFile } from './loaded';
import { MAKEFILE } from './make-recipes';
import { kyvernoTestFixtures } from './kyverno-tests';
import type { SourceRendering } from './work-tree-sources';
import { inSkippedFolder, workTreeAt, workTreeRoot, workTreeSourceFolder } from './work-tree';
import { appliesFile, MissingApplied, missingAppliedFiles, ScriptApplied, scriptAppliedPaths, ScriptDeleted, scriptDeletions } from './script-applies';
import { isWithin } from './repository-scripts';
import { configMapFileData, envFileKeys, patchesSecret, ScriptCreated, scriptCreatedObjects, secretKeysOf } from './script-creations';
import { scriptKubeconfig } from './script-kubeconfigs';
import { proseNamespaceCreations, repositoryCreations } from './repository-creations';
import { renderedTemplateObjects } from './rendered-templates';
import { heredocObjects } from './script-heredocs';
import { TreeScript } from './script-text';
import { EnvsubstFills } from './envsubst-format';
import { DevClusterMark, devClusterMarks } from './script-dev-clusters';
import { ProseGpuMention, proseGpuMentions } from './prose-gpus';
import { RemoteApply, scriptInstalledBases, scriptRemoteApplies } from './script-installs';
import { HelmCommand, helmCommandsOf, meantFlag } from './script-helm';
import { lazyTreeImages, repositoryLoads, TreeImages, treeImages } from './script-images';
import { terraformCreatedObjects, terraformInstalledBases } from './terraform-installs';
import { ScriptPatch, scriptPatches, scriptPatchFiles } from './script-patches';
import { ScriptSccGrant, scriptSccGrants } from './script-scc-grants';
import { ScriptTaint, scriptTaints } from './script-taints';
import { ScriptMachineSet, scriptMachineSets } from './script-machine-sets';
import { ScriptNamespaceLabel, scriptNamespaceLabels } from './script-labels';
import { ScriptModelRequest, scriptModelRequests } from './model-requests';
import { ScriptS3Upload, scriptS3Uploads } from './s3-uploads';
import { IngressNginxInstall, ingressNginxInstalls } from './ingress-nginx-installs';
import { InstallerRun, installerRuns } from './installer-runs';
import { scriptToolInputs } from './script-tool-inputs';
import { KIND_REFUSED, KINDLESS_LIST, NOT_AN_OBJECT } from './yaml-documents';
import { PlatformMark, scriptPlatformMarks, statedRelease } from './script-platform';
import type { LoadRestrictor, ReadOptions } from './read-options';
import { RenderedBy, rendererOf } from './render-scripts';
import { DIRECTORY_SOURCE_KINDS, Reader } from './folder-reader';
import { KUSTOMIZATION_FILES } from './kustomization';
import type { ListedRemoteBase } from './remote-bases';
import { unlistedFilesWarned } from './unlisted-files';

export type { LoadedManifest, ManifestReadError, UnreadFile } from './loaded';

/**
 * Reads manifests from files, folders and `-` (standard input), multi-document files included.
 *
 * A folder with a `kustomization.yaml` is read as kustomize builds it: its `resources` (and `components`, `bases`),
 * files and folders, recursively, with the kustomization's namespace, name prefix and suffix, labels, annotations,
 * images, replicas, generators, patches (those that name their target; strategic-merge ones with their `$patch`
 * directives) and replacements applied, and the references to renamed objects renamed and `vars` replaced when the
 * root's build ends; files it does not list are not read. What kustomize refuses is an error of kind
 * `kustomize-build-fails` (or `kustomize-patch-invalid`); remote bases and fields the reader does not apply (Helm
 * charts, custom transformers) are reported, not guessed at. A folder without one is read whole
 * (`*.yaml`/`*.yml`/`*.json`, sorted), as kubectl and Argo CD's directory source read it: a .json file holds one object
 * or a stream of them; one that does not look like a manifest (package.json) is passed over quietly, and `*.jsonnet`
 * files are reported, not evaluated. Both are told in `unread`, with what Argo CD makes of them.
 *
 * Only regular files are read: FIFOs, devices and sockets are reported, symlink loops are detected by real path,
 * files over the size cap are refused, UTF-16 and BOMs are decoded, binary files reported. Every problem names the
 * file (and line); the rest of the input is still read.
 */
export function readManifests(
  paths: readonly string[],
  options: ReadOptions = {},
): {
  manifests: LoadedManifest[];
  errors: ManifestReadError[];
  folders: string[];
  charts: string[];
  /** The folders not read by convention (.github, .terraform, node_modules, …) met walking the input. */
  skipped: string[];
  leftOut: LoadedManifest[];
  refused: LoadedManifest[];
  unread: UnreadFile[];
  plain: LoadedManifest[];
  ownBuilds: LoadedManifest[];
  remoteBases: ListedRemoteBase[];
  builds: KustomizationBuild[];
  checkouts: GitCheckout[];
} & ScriptFacts &
  OutsideFacts {
  const checkedFolders = paths.filter((p) => p !== '-' && isFolder(p));
  const checkouts = checkedFolders.flatMap((p) => checkoutOf(p, options));
  const reader = followedAndRendered(paths, options, checkouts, checkedFolders);
  const builder = folderBuilder(reader.manifests);
  reader.problems.placeholderErrors(builder);
  undeliveredRootsWarned(reader, builder, workTreeFluxBuilder(checkouts));
  unlistedFilesWarned(reader, builder);
  reader.versionlessApplied();
  // the scripts of each checked folder, read once for what they render, what they create, and whether they deploy at all
  scriptMarks(reader, checkedFolders);
  for (const p of checkedFolders) missingApplies(reader, p, checkouts);
  for (const p of checkedFolders) refusedHelmFlags(reader, p);
  const { delivered, leftOut } = scriptDelivered(reader, checkedFolders);
  // the files as written matter only to an Argo CD directory source: read them again only when an Application is here
  const plain = reader.manifests.some((m) => isMapping(m.manifest) && DIRECTORY_SOURCE_KINDS.includes(String(m.manifest.kind))) ? reader.plain() : [];
  // the folders whose kustomization kustomize refuses: their builds, and those of the roots that include them, fail
  const failedFolders = new Set(
    reader.problems.errors.filter((e) => e.kind === 'kustomize-build-fails' && e.severity === 'error').map((e) => path.dirname(e.file)),
  );
  const facts = scriptFacts(reader, checkedFolders, checkouts, delivered);
  kindlessListsApplied(reader, facts.scriptApplied);
  return {
    manifests: reader.manifests,
    errors: saidErrors(reader),
    folders: [...reader.folders],
    charts: [...reader.charts],
    skipped: reader.skipped,
    leftOut,
    refused: reader.refused,
    unread: reader.unread,
    plain,
    ownBuilds: reader.kustomize.ownBuilds,
    remoteBases: reader.kustomize.remoteBases,
    builds: [...reader.kustomize.builds].map(([folder, b]) => ({ folder, ...b, fails: failedFolders.has(folder) })),
    // where each checked folder sits in its git work tree: an Argo CD path is judged from the repository's root
    checkouts,
    ...outsideFacts(checkouts),
    ...facts,
  };
}

/**
 * The Helm charts of the input that its Applications deliver (and a checked folder that is a chart) rendered with the
 * delivery's values: their objects replace the chart's files read as written, and the reader's warning that the
 * chart is not rendered gives way to a note (or to why it is not rendered, or to Helm's own failure).
 */
/** Whether a folder is a subchart of a chart (below its charts/ folder), which renders with it. */
function isSubchartOf(folder: string, chart: string): boolean {
  const rel = path.relative(chart, folder).split(path.sep);
  return rel.length > 1 && rel[0] === 'charts';
}

function chartsRendered(reader: Reader, paths: readonly string[], chartFolders: readonly string[], sources?: SourceLookup): Reader {
  const dropped = new Set<ManifestReadError>();
  UNSAID.set(reader, dropped);
  const checked = paths.filter((p) => p !== '-' && isFolder(p));
  const elsewhere = outsideCharts(checked);
  if (!reader.charts.size && !reader.manifests.some((m) => isMapping(m.manifest) && ['Application', 'HelmRelease'].includes(String(m.manifest.kind))))
    return reader;
  const patterns = checked.map((c) => patternDeliveries(c, [...reader.charts]));
  for (const n of patterns.flatMap((x) => x.notes)) reader.problems.problem(n.file, n.message, n.severity, n.line, n.kind);
  const scripted = checked.flatMap((c, i) => [
    ...scriptChartDeliveries(c, reader.renderIndex(c).scripts, [...reader.charts]),
    ...repositoryChartDeliveries(reader, c),
    ...patterns[i].deliveries,
  ]);
  // the remote charts pulled ahead into a chart folder (--charts, Helm's repository cache) render as the input's do
  const cached = cachedChartDeliveries(reader.manifests, chartFolders);
  const problems = renderDeliveredCharts(reader.manifests, [...reader.charts], checked, elsewhere, [...scripted, ...cached]);
  placedAtReleases(reader.manifests, cached);
  // the releases of a chart check models (app-template) are rendered once the Flux Kustomizations are followed (appTemplatesRendered)
  const modelled = modelledDeliveries(reader.manifests, sources);
  const rendered = new Set(reader.manifests.flatMap((m) => (m.helmRendering ? [m.helmRendering.folder] : [])));
  // the warning stays where it stands until the read's end (the findings' positions mark each root's build): a
  // rendered chart's is dropped then, a failed one's becomes why
  const errors = reader.problems.errors;
  errors.forEach((e, i) => {
    if (!e.message.startsWith('is a Helm chart: ')) return;
    const failure = problems.find((p) => p.file === e.file);
    if (failure) errors[i] = failure;
    else if (rendered.has(e.file) || [...rendered].some((r) => isSubchartOf(e.file, r)) || isPartOfChart(e.file, [...reader.charts])) dropped.add(e);
  });
  for (const p of problems) if (!errors.includes(p)) reader.problems.problem(p.file, p.message, p.severity, undefined, p.kind);
  // the releases whose chart is not in the input: said, so that nothing they make is silently unchecked
  const local = chartDeliveries(reader.manifests, [...reader.charts], checked, elsewhere).map((d) => d.delivery);
  const delivered = new Set([...local, ...modelled, ...reader.manifests.flatMap((m) => (m.helmRendering ? [m.helmRendering.delivery] : []))]);
  for (const p of unfetchedCharts(reader.manifests, delivered)) reader.problems.problem(p.file, p.message, p.severity, p.line, p.kind);
  return reader;
}

/**
 * The charts of the input that the scripts, Makefiles, READMEs and CI workflows of the git repository above a checked
 * folder install (repositoryScriptsAbove: `helm upgrade --install r ./chart -f chart/values-prod.yaml` in the
 * repository's README, for the checked folder `chart/`), with the command's values, its paths read from the
 * repository's root named as the checked folder is.
 */
function repositoryChartDeliveries(reader: Reader, checked: string): ScriptChartDelivery[] {
  const above = reader.repositoryScripts(checked);
  if (!above) return [];
  const root = path.join(checked, path.relative(path.resolve(checked), above.root));
  return scriptChartDeliveries(root, above.scripts, [...reader.charts]);
}

/**
 * The chart folders Argo CD sources name in the checked folders' git work trees outside the input (workTreeSourceFolder:
 * the work tree's remotes name the source's repository): a folder holding Chart.yaml, which reposerver renders with helm.
 */
function outsideCharts(checked: readonly string[]): OutsideChart {
  let checkouts: GitCheckout[] | undefined;
  const inInput = (f: string) => checked.some((c) => !path.relative(path.resolve(c), f).startsWith('..'));
  return (repoURL, sourcePath) => {
    checkouts ??= checked.flatMap((p) => gitCheckoutOf(p) ?? []).filter((c) => c.within !== '.');
    for (const c of checkouts) {
      const folder = workTreeSourceFolder(c, repoURL, sourcePath);
      if (folder && !inInput(folder) && fs.existsSync(path.join(folder, 'Chart.yaml'))) return folder;
    }
    return undefined;
  };
}

/** The warnings of each read that its charts' renders leave unsaid (chartsRendered). */
const UNSAID = new WeakMap<Reader, Set<ManifestReadError>>();

/** The read's findings, less those its charts' renders leave unsaid. */
function saidErrors(reader: Reader): ManifestReadError[] {
  const unsaid = UNSAID.get(reader);
  return unsaid?.size ? reader.problems.errors.filter((e) => !unsaid.has(e)) : reader.problems.errors;
}

/**
 * A list without a kind (KINDLESS_LIST) in a file a script or README applies as files (`oc apply -f FILE`, its folder,
 * a folder above it with -R): that step fails on it ("kind not set"), an error naming the command.
 */
function kindlessListsApplied(reader: Reader, applied: readonly ScriptApplied[]): void {
  const errors = reader.problems.errors;
  errors.forEach((e, i) => {
    const kindless = e.severity === 'warning' && e.kind === undefined ? KINDLESS_LIST.exec(e.message) : null;
    if (!kindless) return;
    const file = path.resolve(e.file);
    const by = applied.find((a) => !a.kustomize && appliesFile(a, file));
    if (by) errors[i] = { ...e, severity: 'error', message: `${kindless[1]}: ${by.script} (line ${by.line}) applies it (${by.command}), and ${KIND_REFUSED}` };
  });
}

/**
 * A folder of an `overlays` folder: by kustomize's layout (kubectl.docs.kubernetes.io, "bases and overlays") a variant
 * meant to be built and deployed, an entry point even where nothing of the input names it.
 */
function isOverlay(dir: string): boolean {
  return path.basename(path.dirname(path.resolve(dir))) === 'overlays';
}

/**
 * The refusals of roots that nothing of the input delivers, made warnings: where the input delivers its roots (an
 * Argo CD Application or ApplicationSet, a Flux Kustomization), a root that none of them, no parent kustomization and
 * no script or README builds is a leftover or a part built by hand elsewhere, and its build failing breaks no sync
 * (an overlay, `overlays/<name>`, stays an entry point).
 * Where the input has no such delivery, its roots are what is applied (kubectl apply -k), and their refusals stay; so
 * do those of a root that a Flux Kustomization of the git work tree around the checked folder builds (its spec.path,
 * from the repository's root, is the root's folder): that Kustomization applies nothing.
 */
function undeliveredRootsWarned(
  reader: Reader,
  builder: (dir: string, root: string | undefined) => string | undefined,
  fluxBuilder: (dir: string) => string | undefined,
): void {
  const delivers = reader.manifests.some(
    (m) => isMapping(m.manifest) && (DIRECTORY_SOURCE_KINDS.includes(String(m.manifest.kind)) || isFluxKustomization(m.manifest)),
  );
  if (!delivers) return;
  const errors = reader.problems.errors;
  for (const b of reader.rootBuilds) {
    const own = (e: ManifestReadError) => e.kind === 'kustomize-build-fails' && e.severity === 'error' && !path.relative(b.dir, e.file).startsWith('..');
    const at = errors.map((e, i) => (i >= b.from && i < b.to && own(e) ? i : -1)).filter((i) => i >= 0);
    if (!at.length || builder(b.dir, b.root) || isOverlay(b.dir)) continue;
    const flux = fluxBuilder(b.dir);
    if (flux) {
      // the Kustomization lives outside the checked folder: said, as the build it fails is its own
      for (const i of at) errors[i] = { ...errors[i], message: `${errors[i].message} (${flux} builds this folder, so Flux applies nothing of it)` };
      continue;
    }
    const what = b.root !== undefined && path.resolve(b.dir) === path.resolve(b.root) ? 'the checked folder' : b.dir;
    for (const i of at)
      errors[i] = {
        ...errors[i],
        severity: 'warning',
        message:
          `${errors[i].message.replace(/,? so Argo CD cannot sync this root/, '')} (nothing of the input delivers ${what}: no Application, Flux Kustomization, ` +
          `parent kustomization, script or README builds it, so no sync fails on it; it fails wherever it is built)`,
      };
  }
}

/**
 * The kustomization folders the checked roots build from outside the checked folders and not above them (an overlay's
 * `../../base`): the scripts and READMEs kept beside a base describe how what it builds is deployed, as the checked
 * folder's own do.
 */
function basesOutside(reader: Reader, checkedFolders: readonly string[]): string[] {
  const checked = checkedFolders.map((p) => path.resolve(p));
  return [...reader.kustomize.builds.keys()].filter((dir) => {
    const at = path.resolve(dir);
    // a base above a checked folder holds its siblings too, whose scripts are not this build's
    return !checked.some((c) => at === c || at.startsWith(`${c}${path.sep}`) || c.startsWith(`${at}${path.sep}`));
  });
}

/** The input read, its charts rendered, its Flux Kustomizations followed, then its app-template releases rendered. */
function followedAndRendered(paths: readonly string[], options: ReadOptions, checkouts: readonly GitCheckout[], checkedFolders: readonly string[]): Reader {
  // the Flux sources a release names that the input lacks are looked up in the repository around it, once asked
  const sources = repositorySourceLookup(paths.filter((p) => p !== '-'));
  const charted = chartsRendered(readInput(paths, options), paths, options.chartFolders ?? [], sources);
  return appTemplatesRendered(fluxFollowed(charted, options, checkouts, checkedFolders), sources);
}

/**
 * The read with the releases of the app-template chart rendered from their values (renderAppTemplateReleases): after
 * the Flux Kustomizations are followed, so that a release is rendered as Flux applies it (its targetNamespace, its
 * post-build substitution); one a chart of the input or of the chart cache rendered already is not rendered again.
 */
function appTemplatesRendered(reader: Reader, sources: SourceLookup): Reader {
  const rendered = new Set(reader.manifests.flatMap((m) => (m.helmRendering ? [m.helmRendering.delivery] : [])));
  const modelled = renderAppTemplateReleases(reader.manifests, rendered, sources);
  reader.manifests.push(...modelled.objects);
  for (const p of modelled.notes) reader.problems.problem(p.file, p.message, p.severity, p.line, p.kind);
  return reader;
}

/** The read with its Flux Kustomizations followed (followFlux): what their paths build joins it, substituted. */
function fluxFollowed(reader: Reader, options: ReadOptions, checkouts: readonly GitCheckout[], checkedFolders: readonly string[]): Reader {
  followFlux(fluxHost(reader, options), checkouts, checkedFolders);
  return reader;
}

/**
 * The read as the Flux follower sees it: a folder a Flux Kustomization builds outside the checked folders is read as
 * kustomize-controller builds it (the load restrictor lifted: SecureBuild bounds it by the source's root), and what it
 * holds joins the read as the checked tree's.
 */
function fluxHost(reader: Reader, options: ReadOptions): FluxFollowHost {
  return {
    manifests: reader.manifests,
    folders: reader.folders,
    problem: (file, message, severity, line, kind) => reader.problems.problem(file, message, severity, line, kind),
    read: (folder) => {
      const sub = readInput([folder], { ...options, loadRestrictor: options.loadRestrictor ?? 'LoadRestrictionsNone' });
      const root = path.resolve(folder);
      const kustomized = KUSTOMIZATION_FILES.some((k) => fs.existsSync(path.join(folder, k)));
      const own = sub.manifests.filter((m) => !kustomized || (m.kustomizations?.length && path.resolve(m.kustomizations[0]) === root));
      reader.manifests.push(...own);
      for (const f of sub.folders) reader.folders.add(f);
      reader.kustomize.joinBuilds(sub.kustomize.builds);
      for (const e of sub.problems.errors) reader.problems.problem(e.file, e.message, e.severity, e.line, e.kind);
      return own;
    },
  };
}

/**
 * The platform's own client in the tree's scripts (oc: OpenShift), and in those beside the bases its builds read, and
 * the OpenShift AI release the READMEs of each folder and of the folders above it state.
 */
function platformMarksOf(reader: Reader, checkedFolders: readonly string[]): PlatformMark[] {
  return [
    ...[...checkedFolders, ...basesOutside(reader, checkedFolders)].flatMap((p) =>
      scriptPlatformMarks(reader.renderIndex(p).scripts).map((m) => ({ ...m, file: path.join(p, m.file) })),
    ),
    ...checkedFolders.flatMap((p) => statedReleaseOf(p)),
  ];
}

/** The OpenShift AI release the READMEs of a checked folder, or of the folders above it in its work tree, state. */
function statedReleaseOf(folder: string): PlatformMark[] {
  const c = gitCheckoutOf(folder);
  // a folder of test data stands alone: the READMEs above it are the project's, not its
  const root = c && !inSkippedFolder(c.within) ? path.resolve(folder, ...(c.within === '.' ? [] : c.within.split('/').map(() => '..'))) : undefined;
  const stated = statedRelease(folder, root);
  return stated ? [{ ...stated, file: path.join(folder, stated.file) }] : [];
}

/**
 * Where a checked folder sits in its git work tree (none outside any), with the work tree as this read reads it where
 * the folder is a subfolder of one: its files are walked once, when a reader of the repository outside the folder
 * first asks, and shared by all of them (the Applications there, the objects it deploys).
 */
function checkoutOf(folder: string, options: ReadOptions): GitCheckout[] {
  const c = gitCheckoutOf(folder);
  if (!c) return [];
  return [c.within === '.' ? c : { ...c, workTree: workTreeAt(workTreeRoot(c, fs.realpathSync(folder)), options) }];
}

/** What the git work tree of the checked folders holds outside them. */
interface OutsideFacts {
  /** The Applications and ApplicationSets of the work tree outside the checked folders: one may sync a checked folder (its delivery). */
  outsideApplications: OutsideApplication[];
}

/** What the checked folders' git work tree holds outside them: the Applications there. */
function outsideFacts(checkouts: readonly GitCheckout[]): OutsideFacts {
  return { outsideApplications: checkouts.flatMap((c) => outsideApplications(c)) };
}

/**
 * What Argo CD renders from a folder that an Application's source path names (reposerver GenerateManifests): a
 * kustomization root's build; a Helm chart (Chart.yaml) is not rendered here, so none of it is known; else the
 * folder's manifest files (*.yaml, *.yml, *.json), its subfolders' too with `directory.recurse` (findManifests). Read
 * as the reader reads an input (with the read's options: the real kustomize where asked), not as a checked folder:
 * no script of the folder runs in a sync. Complete where no remote base, Helm chart or refused build leaves part of
 * it unknown.
 */
export function renderedSource(folder: string, recurse: boolean, options: ReadOptions = {}): SourceRendering {
  const entries = fs.readdirSync(folder);
  if (entries.includes('Chart.yaml')) return { manifests: [], complete: false };
  const kustomized = KUSTOMIZATION_FILES.some((k) => entries.includes(k));
  const paths = kustomized || recurse ? [folder] : entries.filter((e) => /\.(ya?ml|json)$/i.test(e)).map((e) => path.join(folder, e));
  if (!paths.length) return { manifests: [], complete: true };
  const read = readInput(paths, options);
  const root = path.resolve(folder);
  // the root's own build: what its kustomization lists, not a file beside it
  const manifests = kustomized ? read.manifests.filter((m) => m.kustomizations?.length && path.resolve(m.kustomizations[0]) === root) : read.manifests;
  // any remote resource leaves part unknown, a catalogued one or not (remoteUnfollowed: one the reader did not follow)
  const remote = read.kustomize.remoteBases.length > 0 || read.problems.remoteUnfollowed;
  const complete = !remote && !read.charts.size && !read.problems.errors.some((e) => e.severity === 'error');
  return { manifests, complete };
}

/** What the scripts of the checked folders tell of the manifests: the builds they render, and files nothing deploys. */
function scriptMarks(reader: Reader, checkedFolders: readonly string[]): void {
  markRenderedBuilds(reader, checkedFolders);
  unscriptedMarked(reader, checkedFolders);
}

/** A command that deploys or renders manifests: what a script, README or CI workflow of a delivered tree runs. */
const DEPLOY_COMMAND = /\b(?:kubectl|oc|helm|kustomize|flux|argocd|envsubst|kapp|skaffold|tilt|ansible-playbook|terraform)\b/;

/**
 * Marks the loose files of checked folders none of whose scripts, Makefiles, READMEs or CI workflows runs a command
 * that deploys or renders manifests, nor (a README aside) names a manifest file (LoadedManifest.unscripted): nothing
 * in sight applies or renders them.
 */
function unscriptedMarked(reader: Reader, checkedFolders: readonly string[]): void {
  if (!checkedFolders.length) return;
  // a script (not a Markdown document) that names a manifest file hands it to something, a function of its own included
  const delivers = (s: { script: string; text: string }) =>
    DEPLOY_COMMAND.test(s.text) || rendererOf(s.text) !== undefined || (!/\.(md|markdown)$/i.test(s.script) && /\.(ya?ml|json)\b/.test(s.text));
  if (checkedFolders.some((p) => reader.renderIndex(p).scripts.some(delivers))) return;
  reader.manifests.forEach((m, i) => {
    if (m.walked) reader.manifests[i] = { ...m, unscripted: true };
  });
}

/** What the scripts of the checked folders do when they run, and the images the folders build. */
interface ScriptFacts {
  scriptCreated: ScriptCreated[];
  scriptApplied: (ScriptApplied & { file: string })[];
  scriptDeleted: ScriptDeleted[];
  scriptInstalled: ListedRemoteBase[];
  /** What the scripts and guides of the repository above each checked folder install (installedFacts): the cluster's Kueue among them. */
  repositoryInstalled: (ListedRemoteBase & { readonly above: true })[];
  remoteApplies: RemoteApply[];
  scriptPlatform: PlatformMark[];
  treeImages: TreeImages;
  helmCommands: HelmCommand[];
  /** The helm commands of the scripts and guides of the repository above each checked folder (repositoryScriptsAbove). */
  repositoryHelmCommands: HelmCommand[];
  /** The files and folders of each checked folder that the scripts and guides of the repository above it apply or create (repositoryAppliedIn). */
  repositoryApplied: (ScriptApplied & { file: string })[];
  scriptPatches: ScriptPatch[];
  scriptTaints: ScriptTaint[];
  /** The labels the checked folders' scripts, and those of the repository above them, put on namespaces (`oc label namespace NAME key=value`). */
  scriptNamespaceLabels: ScriptNamespaceLabel[];
  scriptModelRequests: ScriptModelRequest[];
  /** The S3 uploads (`aws s3 cp|sync`, `mc cp|mirror`, `s5cmd cp`) the checked folders' scripts write. */
  scriptS3Uploads: ScriptS3Upload[];
  scriptSccGrants: ScriptSccGrant[];
  scriptMachineSets: ScriptMachineSet[];
  ingressNginxInstalls: IngressNginxInstall[];
  installerRuns: InstallerRun[];
  devClusters: DevClusterMark[];
  /** The lines of the READMEs and guides that say which GPU the tree runs on (`tested on an RTX 2080 Ti`). */
  proseGpus: ProseGpuMention[];
}

/**
 * The namespace labels the scripts of a checked folder add, and those of the repository's scripts, guides and CI
 * workflows above it (repositoryScriptsAbove): a namespace label is the cluster's, whoever sets it.
 */
function namespaceLabelsFor(reader: Reader, folder: string): ScriptNamespaceLabel[] {
  return [...scriptNamespaceLabels(reader.renderIndex(folder).scripts), ...scriptNamespaceLabels(reader.repositoryScripts(folder)?.scripts ?? [])];
}

/** What the scripts of the checked folders do when they run: what they apply, create and install, the platform's client they use, the images they build. */
function scriptFacts(reader: Reader, checkedFolders: readonly string[], checkouts: readonly GitCheckout[], delivered: readonly LoadedManifest[]): ScriptFacts {
  const rootOf = (p: string) =>
    repositoryRootOf(
      p,
      checkouts.find((c) => c.folder === p),
    );
  return {
    // the files and folders the tree's scripts apply: the objects there are delivered by those commands
    scriptApplied: checkedFolders.flatMap((p) =>
      scriptAppliedPaths(p, reader.renderIndex(p).scripts, rootOf(p)).map((a) => ({ ...a, file: path.join(p, a.script) })),
    ),
    // the files the tree's scripts delete, and its tear-down folders: no delivery unless something applies them
    scriptDeleted: checkedFolders.flatMap((p) => scriptDeletions(p, reader.renderIndex(p).scripts, looseFiles(reader.manifests), rootOf(p))),
    // what the tree's scripts create when they run: a reference to one names no missing object
    scriptCreated: scriptCreatedIn(reader, checkedFolders, delivered),
    ...installedFacts(reader, checkedFolders),
    repositoryApplied: repositoryAppliedIn(reader, checkedFolders),
    // every remote manifest the tree's scripts and READMEs apply by URL (an adapter, a CRD release of any project)
    remoteApplies: checkedFolders.flatMap((p) => scriptRemoteApplies(reader.renderIndex(p).scripts).map((a) => ({ ...a, script: path.join(p, a.script) }))),
    scriptPlatform: platformMarksOf(reader, checkedFolders),
    // the helm installs of the tree's scripts and READMEs: the values they set (the GPU Operator's MIG strategy)
    helmCommands: checkedFolders.flatMap((p) => helmCommandsOf(reader.renderIndex(p).scripts)),
    // and those the repository above each folder documents (its docs folder's guide installing the gateway)
    repositoryHelmCommands: checkedFolders.flatMap((p) => helmCommandsOf(reader.repositoryScripts(p)?.scripts ?? [])),
    // the inline patches the scripts apply to objects of the cluster (the GPU Operator's ClusterPolicy)
    scriptPatches: checkedFolders.flatMap((p) => scriptPatches(reader.renderIndex(p).scripts)),
    // the node taints the scripts add (`kubectl taint nodes`, `oc adm taint nodes`): what tolerations must match
    scriptTaints: checkedFolders.flatMap((p) => scriptTaints(reader.renderIndex(p).scripts)),
    scriptNamespaceLabels: checkedFolders.flatMap((p) => namespaceLabelsFor(reader, p)),
    // the requests the scripts and READMEs send to OpenAI-compatible servers, with the model each names
    scriptModelRequests: checkedFolders.flatMap((p) =>
      scriptModelRequests(reader.renderIndex(p).scripts).map((r) => ({ ...r, script: path.join(p, r.script) })),
    ),
    // the uploads to S3 the scripts write: where the tree puts its models
    scriptS3Uploads: checkedFolders.flatMap((p) => scriptS3Uploads(reader.renderIndex(p).scripts).map((u) => ({ ...u, script: path.join(p, u.script) }))),
    // the SCCs the scripts grant (`oc adm policy add-scc-to-user`): what pods restricted-v2 refuses may use instead
    scriptSccGrants: checkedFolders.flatMap((p) => scriptSccGrants(reader.renderIndex(p).scripts)),
    // the MachineSets the scripts clone with a new instance type or label with an accelerator: what autoscaling limits count
    scriptMachineSets: checkedFolders.flatMap((p) => scriptMachineSets(reader.renderIndex(p).scripts).map((m) => ({ ...m, script: path.join(p, m.script) }))),
    // the ingress-nginx controller the tree installs (Terraform helm_release, a release manifest applied): its release
    ingressNginxInstalls: checkedFolders.flatMap((p) =>
      ingressNginxInstalls(p, reader.renderIndex(p).scripts).map((i) => ({ ...i, file: path.join(p, i.file) })),
    ),
    // the well-known installer scripts the tree runs (KubeRay's Prometheus install): the releases they make
    installerRuns: checkedFolders.flatMap((p) => installerRuns(p, reader.renderIndex(p).scripts).map((i) => ({ ...i, file: path.join(p, i.file) }))),
    // the images the tree builds itself, and whether a step loads or pushes them: read when a rule first asks
    // (and the images the scripts of the repository above each folder load by name: its README's `minikube image load`)
    treeImages: lazyTreeImages(() =>
      joinedTreeImages([
        ...checkedFolders.map((p) => treeImages(p, reader.renderIndex(p).scripts)),
        ...checkedFolders.map((p) => ({ built: [], loaded: repositoryLoads(reader.repositoryScripts(p)?.scripts ?? []) })),
      ]),
    ),
    // the local development clusters (minikube, MicroK8s, kind, Docker Desktop) the tree's scripts and READMEs drive
    devClusters: checkedFolders.flatMap((p) => devClusterMarks(reader.renderIndex(p).scripts).map((m) => ({ ...m, file: path.join(p, m.file) }))),
    proseGpus: checkedFolders.flatMap((p) => proseGpusOf(reader, p)),
  };
}

/**
 * What the install steps install from published artifacts (Kueue's release manifests or chart at a version): those of
 * the checked folders' scripts and READMEs (and what their Terraform configuration installs: the Kueue its variables
 * or helm_release name), and those of the repository above each folder (repositoryScriptsAbove: the root README's
 * `kubectl apply --server-side -f …/kueue/releases/download/v0.3.2/manifests.yaml`), which install into the same cluster.
 */
function installedFacts(reader: Reader, checkedFolders: readonly string[]): Pick<ScriptFacts, 'scriptInstalled' | 'repositoryInstalled'> {
  return {
    scriptInstalled: checkedFolders.flatMap((p) =>
      [...scriptInstalledBases(reader.renderIndex(p).scripts), ...terraformInstalledBases(p)].map((b) => ({ ...b, file: path.join(p, b.file) })),
    ),
    repositoryInstalled: checkedFolders.flatMap((p) => {
      const above = reader.repositoryScripts(p);
      return above ? scriptInstalledBases(above.scripts).map((b) => ({ ...b, file: path.join(above.root, b.file), above: true as const })) : [];
    }),
  };
}

/**
 * The files and folders of each checked folder that the scripts, Makefiles and guides of the repository above it apply
 * or create (repositoryScriptsAbove: the root README's `kubectl create -f bench/job.yaml` for the checked folder
 * `bench/`), paths read from the repository's root and the script's folder; the scripts named from where the check runs.
 */
function repositoryAppliedIn(reader: Reader, checkedFolders: readonly string[]): (ScriptApplied & { file: string })[] {
  return checkedFolders.flatMap((p) => {
    const above = reader.repositoryScripts(p);
    if (!above) return [];
    const folder = path.resolve(p);
    const root = path.join(p, path.relative(folder, above.root));
    return scriptAppliedPaths(above.root, above.scripts, above.root)
      .filter((a) => isWithin(a.target, folder) || (a.recursive && isWithin(folder, a.target)))
      .map((a) => ({ ...a, file: path.join(root, a.script) }));
  });
}

/**
 * The lines of a checked folder's READMEs and guides, and of the READMEs of the folders above it in its repository
 * (not the docs folder's guides, read for their commands only), that say which GPU the tree runs on, each file named
 * as the checked folder is (`deploy/../README.md` reads `README.md`).
 */
function proseGpusOf(reader: Reader, folder: string): ProseGpuMention[] {
  const own = proseGpuMentions(reader.renderIndex(folder).scripts).map((m) => ({ ...m, file: path.join(folder, m.file) }));
  const above = reader.repositoryScripts(folder);
  if (!above) return own;
  const readmes = above.scripts.filter((s) => !above.codeOnly.has(s.script) && /^readme\./i.test(path.posix.basename(s.script)));
  const named = (script: string) => path.join(folder, path.relative(path.resolve(folder), path.join(above.root, script)));
  return [...own, ...proseGpuMentions(readmes).map((m) => ({ ...m, file: named(m.file) }))];
}

/** The files (absolute) of the manifests read outside kustomize builds. */
function looseFiles(manifests: readonly LoadedManifest[]): string[] {
  return [...new Set(manifests.filter((m) => !m.kustomizations?.length && m.file !== '-').map((m) => path.resolve(m.file)))];
}

/** The images of several checked folders as one tree's. */
function joinedTreeImages(of: readonly TreeImages[]): TreeImages {
  const derived = of.flatMap((t) => t.derived ?? []);
  const loaded = of.flatMap((t) => t.loaded ?? []);
  return {
    built: of.flatMap((t) => t.built),
    delivered: of.find((t) => t.delivered)?.delivered,
    ...(derived.length ? { derived } : {}),
    ...(loaded.length ? { loaded } : {}),
  };
}

/**
 * The input read, and read again without kustomize's load restrictor for the roots whose builders lift it: those that
 * only Flux Kustomizations build (kustomize-controller builds with LoadRestrictionsNone), those a script of the
 * repository builds with `--load-restrictor LoadRestrictionsNone` and nothing else builds otherwise (scriptLiftedBuild:
 * built as the script builds them), and, where the input declares Argo CD's kustomize build options,
 * those Argo CD builds with options that lift it.
 */
function readInput(paths: readonly string[], options: ReadOptions): Reader {
  let reader = new Reader(options);
  for (const p of paths) reader.read(p);
  const argo = argoBuildOptions(reader.manifests);
  const again: { -readonly [K in keyof ReadOptions]: ReadOptions[K] } = { ...options };
  if (options.loadRestrictor === undefined) {
    const argoLifts = argo !== undefined && [argo.flags, ...Object.values(argo.versions)].some(liftsRestrictor);
    const flux = reader.manifests.some((m) => isMapping(m.manifest) && isFluxKustomization(m.manifest));
    if (reader.kustomize.restricted() && (argoLifts || flux || paths.some((p) => p !== '-' && scriptsLiftRestrictor(p))))
      again.loadRestrictor = restrictorOf(paths, reader.manifests, argo, argoLifts);
  }
  if (options.enableHelm === undefined && options.build === undefined && reader.kustomize.helmChartsMet)
    again.enableHelm = helmOf(paths, reader.manifests, argo);
  if (again.loadRestrictor !== options.loadRestrictor || again.enableHelm !== options.enableHelm) {
    reader = new Reader(again);
    for (const p of paths) reader.read(p);
  }
  if (argo && options.loadRestrictor === undefined) reader.problems.errors.push(buildOptionsNote(argo));
  return reader;
}

/**
 * Which roots are built with Helm enabled (folder-builders helmEnabledBuild): a script of the repository that passes
 * --enable-helm, or Argo CD with kustomize.buildOptions that do (for the kustomize version the root's Application names).
 */
function helmOf(paths: readonly string[], manifests: readonly LoadedManifest[], argo: ReturnType<typeof argoBuildOptions>): (root: string) => boolean {
  const rootOf = (dir: string) => paths.find((p) => p !== '-' && !path.relative(p, dir).startsWith('..'));
  const flagsFor = (version: string | undefined) => (argo === undefined ? '' : version === undefined ? argo.flags : (argo.versions[version] ?? ''));
  const enabled = helmEnabledBuild(manifests, (version) => enablesHelm(flagsFor(version)));
  return (dir) => enabled(dir, rootOf(dir)) !== undefined;
}

/**
 * The load restrictor each root is built with: Flux alone lifts it; a script of the repository that builds the root
 * with the lifting flag, where nothing else builds it otherwise, does; else the
 * kustomize version its Application names decides with Argo CD's build options.
 */
function restrictorOf(
  paths: readonly string[],
  manifests: readonly LoadedManifest[],
  argo: ReturnType<typeof argoBuildOptions>,
  argoLifts: boolean,
): (dir: string) => LoadRestrictor {
  const rootOf = (dir: string) => paths.find((p) => p !== '-' && !path.relative(p, dir).startsWith('..'));
  const fluxOnly = fluxOnlyBuilt(manifests);
  const scripted = scriptLiftedBuild(manifests);
  return (dir) => {
    if (fluxOnly(dir, rootOf(dir))) return 'LoadRestrictionsNone';
    if (scripted(dir, rootOf(dir))) return 'LoadRestrictionsNone';
    if (!argo || !argoLifts) return 'LoadRestrictionsRootOnly';
    const version = kustomizeVersionFor(manifests, dir, rootOf(dir));
    return liftsRestrictor(version === undefined ? argo.flags : (argo.versions[version] ?? '')) ? 'LoadRestrictionsNone' : 'LoadRestrictionsRootOnly';
  };
}

/** The work tree's root of a checked folder below it: the folder less its path within the repository. */
function repositoryRootOf(folder: string, checkout: GitCheckout | undefined): string | undefined {
  return checkout && checkout.within !== '.' ? path.resolve(folder, ...checkout.within.split('/').map(() => '..')) : undefined;
}

/** A manifest file named with its folder (`deploy/infra/minio.yaml`), not a folder (`-k platform/loadgen`) or a bare name. */
const FILE_IN_FOLDER = /\/[^/]+\.(ya?ml|json)$/;

/** The files the scripts and READMEs of a checked folder apply that are not there, as findings on the script. */
function missingApplies(reader: Reader, folder: string, checkouts: readonly GitCheckout[]): void {
  const checkout = checkouts.find((c) => c.folder === folder);
  const repositoryRoot = repositoryRootOf(folder, checkout);
  for (const m of missingAppliedFiles(folder, reader.renderIndex(folder).scripts, repositoryRoot)) {
    const near = m.near.length ? `; did you mean ${m.near.join(' or ')}?` : '';
    const where = `beside the script nor at the root of the tree${repositoryRoot ? ' or of the repository' : ''}`;
    if (m.afterCd) {
      reader.problems.problem(
        path.join(folder, m.script),
        `line ${m.line} runs \`${m.command}\` after \`${m.afterCd}\`, a folder check cannot follow, and no file of the tree is named ${m.file}: unless that folder lies outside the tree and holds it, the command fails ("the path does not exist")${near}`,
        'warning',
        m.line,
        'script-apply-path-missing',
      );
      continue;
    }
    // outside a git work tree the checked folder may be a copy of part of the repository, which has the folder or the
    // bare file name elsewhere (argocd-path-not-in-input hedges an Application's path the same way); a file in a
    // folder the copy holds (the reader names only those) fails beside the script and at the tree's root alike: a
    // copy leaves out folders, not single files of a folder it keeps
    // so does a file the script names from its own folder, or beside another file it applies there (m.placed)
    const copy = checkout === undefined && !m.caseOnly && !m.placed && !FILE_IN_FOLDER.test(m.file);
    if (GUIDE.test(m.script) && !m.caseOnly) {
      guideStepMissing(
        reader,
        path.join(folder, m.script),
        m,
        copy ? `${where} (unless the repository has it where this folder, no git work tree, leaves it out)` : where,
        near,
      );
      continue;
    }
    if (m.unrunTarget !== undefined && m.fatal) {
      unrunMakeTargetMissing(reader, path.join(folder, m.script), m, where, near);
      continue;
    }
    const unless = copy
      ? `: unless the repository has it where this folder, which is no git work tree (a copy or a part of the repository), leaves it out,`
      : ':';
    reader.problems.problem(
      path.join(folder, m.script),
      m.caseOnly
        ? `line ${m.line} runs \`${m.command}\`, but ${m.file} exists only as ${m.near[0]}, in other case: the command fails on Linux, whose file systems tell case apart (it works on macOS and Windows); write the path as the tree has it`
        : `line ${m.line} runs \`${m.command}\`, but ${m.file} exists neither ${where}${unless} the command fails ("the path does not exist"), ${m.fatal ? 'and the delivery stops there' : MAKEFILE.test(m.script) ? 'and make goes on without what the file declares (the recipe line is led by `-`, or the command is not the one its line ends with)' : 'and the script, with no `set -e`, goes on without what the file declares'}${near}${copy ? "; check the repository's clone to have it judged" : ''}`,
      m.caseOnly || copy || !m.fatal ? 'warning' : 'error',
      m.line,
      'script-apply-path-missing',
    );
  }
}

/**
 * A path missing in a target of a Makefile that nothing of the tree runs, where every path the target applies is
 * missing: most likely a target of another project's Makefile kept in the tree, naming that project's folders. Run,
 * make stops there; nothing shows it is run, so a warning.
 */
function unrunMakeTargetMissing(reader: Reader, file: string, m: MissingApplied, where: string, near: string): void {
  reader.problems.problem(
    file,
    `line ${m.line} runs \`${m.command}\`, but ${m.file} exists neither ${where}, nor does any path target '${m.unrunTarget}' applies, and nothing of the tree runs this Makefile (no README step, CI workflow, script or other Makefile runs make in its folder): ` +
      `the target likely belongs to another project's Makefile kept here; run, make stops there ("the path does not exist"): drop the target, or name the tree's paths${near}`,
    'warning',
    m.line,
    'script-apply-path-missing',
  );
}

/** A README or guide: its fenced commands are a person's instructions, not a delivery the tree runs. */
const GUIDE = /\.(md|markdown)$/i;

/**
 * A guide's step that names a file the tree does not hold where the step runs: whoever follows it gets "the path does
 * not exist", but nothing delivers the tree through the guide (a warning: a documentation fault, which the objects the
 * tree delivers otherwise do not share).
 */
function guideStepMissing(reader: Reader, file: string, m: MissingApplied, where: string, near: string): void {
  reader.problems.problem(
    file,
    `line ${m.line} runs \`${m.command}\`, but ${m.file} exists neither ${where.replace('beside the script', 'beside the guide')}: a reader following this step of the guide gets "the path does not exist"; the guide names a file the tree does not hold there (its commands are instructions, not a delivery of the tree), so correct the step${near}`,
    'warning',
    m.line,
    'script-apply-path-missing',
  );
}

/** The helm install, upgrade and template commands of a checked folder's scripts and READMEs that helm refuses for a flag, as findings on the script. */
function refusedHelmFlags(reader: Reader, folder: string): void {
  for (const c of helmCommandsOf(reader.renderIndex(folder).scripts)) {
    if (!c.refused) continue;
    const meant = meantFlag(c);
    reader.problems.problem(
      path.join(folder, c.script),
      `line ${c.line} runs \`${c.text.replace(/\s*\\\n?\s+/g, ' ')}\`, but helm ${c.verb} refuses ${c.refused.word} ("Error: ${c.refused.error}"): the command fails and installs nothing (a script under \`set -e\` stops there); ` +
        (meant ? `write ${meant}` : `drop the flag or write one helm ${c.verb} has (helm ${c.verb} --help)`),
      'error',
      c.line,
      'script-flag-unknown',
    );
  }
}

/** Parses a multi-document YAML text; problems name `file`. */
export function parseManifests(source: string, file: string): { manifests: LoadedManifest[]; errors: ManifestReadError[] } {
  const reader = new Reader({});
  reader.parse(source, file);
  return { manifests: reader.manifests, errors: reader.problems.errors };
}

/** The kustomization folders the scripts of the checked folders apply as they are (`oc apply -k DIR`), absolute. */
function rootsAppliedAsIs(reader: Reader, checkedFolders: readonly string[]): ReadonlySet<string> {
  return new Set(
    checkedFolders.flatMap((p) =>
      scriptAppliedPaths(p, reader.renderIndex(p).scripts)
        .filter((a) => a.kustomize)
        .map((a) => path.resolve(a.target)),
    ),
  );
}

/** How a kustomize build is rendered before it is applied: why its objects are templates, the program, what envsubst fills. */
interface BuildRendering {
  readonly template: string;
  readonly renderedWith: string;
  readonly envsubstFills?: EnvsubstFills;
}

/**
 * What renders the kustomize build of a root before it is applied: a script of a checked folder, or of the git
 * repository above it, that pipes the build into a renderer (`kubectl kustomize deploy/dev | envsubst '${POOL}' |
 * kubectl apply -f -`); else a README of the root's folder, or of the folder holding it (a README describing its
 * overlays), that says envsubst renders them.
 */
function buildRendering(reader: Reader, checkedFolders: readonly string[], root: string): BuildRendering | undefined {
  const by = checkedFolders.map((p) => reader.buildRenderedBy(root, p)).find((b) => b !== undefined);
  if (by)
    return {
      template: `${by.script} (line ${by.line}) renders the kustomize build of its folder with ${by.renderer} before applying it`,
      renderedWith: by.program,
      ...(by.fills ? { envsubstFills: by.fills } : {}),
    };
  const checked = checkedFolders.find((p) => !path.relative(p, root).startsWith('..'));
  if (!checked) return undefined;
  for (const dir of [root, path.dirname(path.resolve(root))]) {
    if (path.relative(checked, dir).startsWith('..')) continue;
    const readme = reader.readmeRendering(dir);
    if (readme)
      return {
        template: `${path.relative(checked, path.join(dir, readme)).split(path.sep).join('/')}, ${dir === root ? 'beside its kustomization' : 'in the folder above it'}, renders its build with envsubst`,
        renderedWith: 'envsubst',
      };
  }
  return undefined;
}

/**
 * Marks the objects of a kustomize build that a script of the tree pipes into a renderer (`kustomize build . |
 * envsubst | kubectl apply -f -`), or whose own file a script renders, as templates, with the script that renders
 * them: their `${VAR}` are filled before they are applied. Only where some built object holds template syntax, or a
 * script writes a rendered file over one of the build's files, are the scripts read for them.
 */
function markRenderedBuilds(reader: Reader, checkedFolders: readonly string[]): void {
  const manifests = reader.manifests;
  const built = manifests.map((m, i) => ({ m, i })).filter(({ m }) => m.kustomizations?.length && !m.template);
  if (!built.length) return;
  const anySyntax = built.some(({ m }) => /\$\{|\{\{/.test(JSON.stringify(m.manifest)));
  const byRoot = new Map<string, BuildRendering | undefined>();
  let applied: ReadonlySet<string> | undefined;
  const edits = new Map<string, readonly RenderedBy[]>();
  for (const { m, i } of built) {
    const root = m.kustomizations![0];
    if (anySyntax && !byRoot.has(root)) byRoot.set(root, buildRendering(reader, checkedFolders, root));
    const rendering = byRoot.get(root);
    if (rendering) {
      manifests[i] = { ...m, ...rendering };
      continue;
    }
    const file =
      checkedFolders.map((p) => reader.renderedBy(m.file, p)).find((b) => b !== undefined) ?? kustomizationEditedInPlace(reader, checkedFolders, m, edits);
    // a script may render the listed file itself (`for f in a.yaml b.yaml; do envsubst < "k8s/$f" | oc apply -f -`),
    // the kustomization beside it kept for reference: what the script applies has its values filled; unless a script
    // also applies the kustomization as it is (`oc apply -k`), which puts the literal back. A script that writes the
    // rendered file over it (`sed … x.yaml.template > x.yaml`) fills what `oc apply -k` applies afterwards too.
    if (!file || !(anySyntax || file.writes?.tokens.some((t) => JSON.stringify(m.manifest).includes(t)))) continue;
    applied ??= rootsAppliedAsIs(reader, checkedFolders);
    if (!file.writes && m.kustomizations!.some((k) => applied!.has(path.resolve(k)))) continue;
    manifests[i] = {
      ...m,
      template: file.writes
        ? `${file.script} (line ${file.line}) writes its file with ${file.renderer} before it is applied`
        : `${file.script} (line ${file.line}) renders its file with ${file.renderer} before applying it`,
      ...(file.sedFills ? { sedFills: file.sedFills } : {}),
      ...(file.sedExact ? { sedExact: file.sedExact } : {}),
      ...(file.fills ? { envsubstFills: file.fills } : {}),
      renderedWith: file.program,
      ...(file.writes?.inPlace ? { renderedInPlace: true } : {}),
    };
  }
}

/**
 * A script's in-place edit (`sed -i "s|YOUR_ACCOUNT|$ACCOUNT|g" overlays/dev/kustomization.yaml`) of a kustomization
 * that builds the object, replacing a token the built object holds (an `images:` newName, a patch's value): the
 * build's output is filled as the object's own file would be.
 */
function kustomizationEditedInPlace(
  reader: Reader,
  checkedFolders: readonly string[],
  m: LoadedManifest,
  edits: Map<string, readonly RenderedBy[]> = new Map(),
): RenderedBy | undefined {
  // the object's text only where a script edits a kustomization in place (most trees have none)
  let source: string | undefined;
  for (const root of m.kustomizations ?? []) {
    // a root's in-place edits, looked up once per root (`edits`) rather than for each object it builds
    let inPlace = edits.get(root);
    if (!inPlace) {
      inPlace = KUSTOMIZATION_FILES.map((name) => checkedFolders.map((p) => reader.renderedBy(path.join(root, name), p)).find((b) => b !== undefined)).filter(
        (by): by is RenderedBy => !!by?.writes?.inPlace,
      );
      edits.set(root, inPlace);
    }
    for (const by of inPlace) if (by.writes!.tokens.some((t) => (source ??= JSON.stringify(m.manifest)).includes(t))) return by;
  }
  return undefined;
}

/** What the scripts of the checked folders create, a manifest read as input already judged there, not twice. */
function scriptCreatedIn(reader: Reader, checkedFolders: readonly string[], delivered: readonly LoadedManifest[]): ScriptCreated[] {
  // a Terraform configuration's kubernetes provider resources make their objects as a script's commands do
  return checkedFolders.flatMap((p) =>
    [
      ...scriptCreatedObjects(reader.renderIndex(p).scripts),
      ...proseNamespaceCreations(reader.renderIndex(p).scripts),
      ...renderedTemplateObjects(p, reader.renderIndex(p)),
      ...terraformCreatedObjects(p),
      // CI workflows, Ansible tasks and guides of the repository the folder lies in, outside the folder
      ...repositoryCreations(p, reader.repositoryScripts(p)),
    ].map((o) => ({
      ...withoutDeliveredManifest(o, p, delivered),
      ...fileDataOf(o, p),
      ...kubeconfigDataOf(o, p, reader.renderIndex(p).scripts),
      ...sourcedKeysOf(o, p, reader.renderIndex(p).scripts),
      file: path.join(p, o.script),
    })),
  );
}

/**
 * The keys of a Secret or ConfigMap a script of the folder makes where the command's sources say them all, an env
 * file's read from the file the folder holds (secretKeysOf, envFileKeys): a ConfigMap's always, a Secret's where the
 * command reads an env file (the others are known already) and the script does not patch it afterwards.
 */
function sourcedKeysOf(o: ScriptCreated, folder: string, scripts: readonly TreeScript[]): { keys?: string[] } {
  if (o.outside || o.keys || o.heredoc || o.computed || !o.command) return {};
  const secret = o.kind === 'Secret' && o.command.includes('--from-env-file');
  if (!secret && o.kind !== 'ConfigMap') return {};
  const source = scripts.find((t) => t.script === o.script)?.text ?? '';
  if (secret && patchesSecret(source, o.name)) return {};
  const keys = secretKeysOf(o.command, undefined, (file) => envFileKeys(file, path.posix.dirname(o.script), folder));
  return keys ? { keys } : {};
}

/** The data of a ConfigMap a script of the folder makes `--from-file` from files the folder holds (configMapFileData). */
function fileDataOf(o: ScriptCreated, folder: string): { data?: Record<string, string> } {
  if (o.kind !== 'ConfigMap' || o.outside || !o.command?.includes('--from-file')) return {};
  const data = configMapFileData(o.command, path.posix.dirname(o.script), folder);
  return data ? { data } : {};
}

/**
 * The kubeconfig a script's `create secret generic … --from-file=kubeconfig=FILE` puts in the Secret (a heredoc of
 * the script writing FILE, or the tree's file), as its data: what MultiKueue's worker connection reads.
 */
function kubeconfigDataOf(o: ScriptCreated, folder: string, scripts: readonly TreeScript[]): { data?: Record<string, string> } {
  if (o.kind !== 'Secret' || o.outside || !o.command?.includes('--from-file')) return {};
  const source = scripts.find((t) => t.script === o.script)?.text;
  if (source === undefined) return {};
  const offset = source.split('\n', o.line - 1).join('\n').length;
  const kubeconfig = scriptKubeconfig(source, offset, o.command, path.posix.dirname(o.script), folder);
  return kubeconfig === undefined ? {} : { data: { kubeconfig } };
}

/** What the scripts of the checked folders deliver beyond the build (heredocs, folders they apply), read as input, less the patch files they name; the files left out. */
function scriptDelivered(reader: Reader, checkedFolders: readonly string[]): { delivered: LoadedManifest[]; leftOut: LoadedManifest[] } {
  const delivered = checkedFolders.flatMap((p) => heredocManifests(p, reader.renderIndex(p).scripts, reader.manifests));
  reader.manifests.push(...delivered);
  toolFilesSetAside(reader, checkedFolders);
  return { delivered, leftOut: besideTheBuild(reader, checkedFolders) };
}

/** A file name that says it holds a patch (`patch_deployment.yaml`, `gpu-patch.yaml`). */
const PATCH_NAMED = /patch/i;

/** The kinds whose spec the API server refuses without a selector and a pod template (apps/v1 validation). */
const SELECTED_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** Every container list under a value (containers, initContainers at any depth: a pod template, a predictor). */
function containerLists(v: unknown): unknown[][] {
  if (Array.isArray(v)) return v.flatMap(containerLists);
  if (!isMapping(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => [...((k === 'containers' || k === 'initContainers') && Array.isArray(x) ? [x] : []), ...containerLists(x)]);
}

/**
 * A document that is a whole object, not a patch of one: apiVersion, kind, metadata.name and a spec, each container
 * it lists naming its image, and a selector and pod template where the kind needs them. kubectl apply creates such a
 * document whatever its file is called; a patch names only what it changes (a container by name, without its image).
 */
function wholeObject(manifest: unknown): boolean {
  const m = mapping(manifest);
  const spec = m.spec;
  if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || text(mapping(m.metadata).name) === undefined) return false;
  if (!isMapping(spec) || !Object.keys(spec).length) return false;
  if (SELECTED_TEMPLATE_KINDS.includes(m.kind) && (!isMapping(spec.selector) || !isMapping(spec.template))) return false;
  return containerLists(spec).every((list) => list.every((c) => typeof mapping(c).image === 'string'));
}

/**
 * Why the walked files that hold patches are no objects to create: those a script or README hands to `kubectl patch`
 * (scriptPatchFiles), those whose own head comment does, and those whose name says patch where nothing applies them
 * (no kustomization lists them, no script applies them or their folder, no Argo CD Application reads the input's
 * folders) unless every document of the file is a whole object (wholeObject: what a kustomization's patches name is
 * a patch; a whole object is one, whatever its file's name). Keyed by the file's absolute path.
 */
function patchReasons(reader: Reader, checkedFolders: readonly string[], walked: readonly LoadedManifest[]): Map<string, string> {
  const patched = checkedFolders.flatMap((p) => scriptPatchFiles(p, reader.renderIndex(p).scripts).map((f) => ({ ...f, folder: p })));
  const argo = reader.manifests.some((m) => isMapping(m.manifest) && DIRECTORY_SOURCE_KINDS.includes(String(m.manifest.kind)));
  const why = new Map<string, string>();
  for (const file of new Set(walked.map((m) => path.resolve(m.file)))) {
    const by = patched.find((f) => f.target === file);
    // a file whose own head comment gives the kubectl patch command that uses it
    const comment = walked.find((m) => path.resolve(m.file) === file && m.comment)?.comment;
    const itself = comment && scriptPatchFiles(path.dirname(file), [{ script: path.basename(file), text: comment }]).some((f) => f.target === file);
    if (by) why.set(file, `read as a patch, not as objects to create: ${path.join(by.folder, by.script)} (line ${by.line}) hands it to kubectl patch`);
    else if (itself) why.set(file, 'read as a patch, not as objects to create: its own comment hands it to kubectl patch');
    else if (PATCH_NAMED.test(path.basename(file)) && !argo && !walked.filter((m) => path.resolve(m.file) === file).every((m) => wholeObject(m.manifest)))
      why.set(file, 'read as a patch, not as objects to create: its name says patch and no kustomization or script applies it');
  }
  return why;
}

/**
 * The files of a walked folder that are no objects to apply, set aside with a note: patches (patchReasons), and the
 * files a script gives a tool as its own input (scriptToolInputs: a Helm values file, a kind cluster configuration),
 * and Kyverno CLI test fixtures (kyvernoTestFixtures: a Test and the resources it names), whose "not a Kubernetes object" warnings go too. A file a script applies with `kubectl apply -f` (itself or its
 * folder) is created, whatever its name, and stays checked.
 */
function toolFilesSetAside(reader: Reader, checkedFolders: readonly string[]): void {
  const walked = reader.manifests.filter((m) => m.walked && !m.kustomizations?.length);
  const inputs = checkedFolders.flatMap((p) => scriptToolInputs(p, reader.renderIndex(p).scripts).map((f) => ({ ...f, folder: p })));
  if (!walked.length && !inputs.length) return;
  const applied = checkedFolders.flatMap((p) => scriptAppliedPaths(p, reader.renderIndex(p).scripts).filter((a) => !a.kustomize));
  const isApplied = (file: string) => applied.some((a) => appliesFile(a, file));
  const why = patchReasons(reader, checkedFolders, walked);
  // a Kyverno CLI test's files are its own test suite, as a CI folder is: set aside without a note
  const tests = kyvernoTestFixtures(walked);
  for (const [file, reason] of tests) if (!why.has(file)) why.set(file, reason);
  for (const i of inputs)
    if (!why.has(i.target))
      why.set(i.target, `read as a ${i.reader}, not as objects to apply: ${path.join(i.folder, i.script)} (line ${i.line}) gives it to the tool`);
  for (const file of [...why.keys()]) if (isApplied(file)) why.delete(file);
  if (!why.size) return;
  const kept = reader.manifests.filter((m) => !(m.walked && !m.kustomizations?.length && why.has(path.resolve(m.file))));
  reader.manifests.splice(0, reader.manifests.length, ...kept);
  const errors = reader.problems.errors.filter((e) => !(why.has(path.resolve(e.file)) && NOT_AN_OBJECT.test(e.message)));
  reader.problems.errors.splice(0, reader.problems.errors.length, ...errors);
  for (const [file, reason] of why)
    if (!tests.has(file)) reader.problems.problem(file, `${reason}; not checked as objects (apply it with kubectl apply -f to have it checked)`, 'info');
}

/** An object's kind, namespace and name, `*` for a namespace it does not say. */
function objectKey(manifest: unknown): string {
  const m = mapping(manifest);
  const meta = mapping(m.metadata);
  return `${String(m.kind)}/${text(meta.namespace) ?? '*'}/${String(meta.name)}`;
}

/**
 * The objects the scripts and READMEs of a checked folder apply from heredocs, read as input at the script's line:
 * they are delivered by running the script. One the tree's files already hold (a README showing a file's content),
 * or that an earlier heredoc applied, is read once. Where the shell expands what the script does not set, the object
 * is judged as a template: a verdict resting on such a value is no error.
 */
function heredocManifests(folder: string, scripts: readonly TreeScript[], read: readonly LoadedManifest[]): LoadedManifest[] {
  const known = new Set(read.map((m) => objectKey(m.manifest)));
  const loose = (key: string) => key.replace(/\/[^/]*\//, '/*/');
  const knownLoose = new Set([...known].map(loose));
  const out: LoadedManifest[] = [];
  for (const t of scripts) {
    for (const h of heredocObjects(t)) {
      const key = objectKey(h.manifest);
      if (known.has(key) || knownLoose.has(loose(key))) continue;
      known.add(key);
      knownLoose.add(loose(key));
      const template = h.unexpanded.length
        ? `${h.script} applies it from a heredoc (line ${h.commandLine}) in which the shell expands ${h.unexpanded.slice(0, 3).join(', ')} when it runs`
        : undefined;
      const filled = template ? { template, shellFills: h.unexpanded } : {};
      out.push({ file: path.join(folder, h.script), index: h.index, line: h.line, manifest: h.manifest, ...filled });
    }
  }
  return out;
}

/** A script-created object without its manifest where that manifest is read as input already (judged there, not twice). */
function withoutDeliveredManifest(o: ScriptCreated, folder: string, delivered: readonly LoadedManifest[]): ScriptCreated {
  if (!o.manifest || !delivered.some((d) => d.file === path.join(folder, o.script) && objectKey(d.manifest) === objectKey(o.manifest))) return o;
  const { manifest: _read, ...rest } = o;
  return rest;
}

/**
 * The files in the folders of a kustomization root that its build does not read: those a script or README of the tree
 * applies itself (`oc apply -f inference-examples/`) are delivered, and read as input; the others are told once per
 * checked folder, where they sit in folders without a kustomization (beside the build), and kept as left out.
 */
function besideTheBuild(reader: Reader, checkedFolders: readonly string[]): LoadedManifest[] {
  const leftOut = reader.leftOut();
  if (!leftOut.length) return leftOut;
  // files and folders applied with -f (a -k command applies a kustomization, which its own build reads)
  const applied = new Set(
    checkedFolders.flatMap((p) =>
      scriptAppliedPaths(p, reader.renderIndex(p).scripts)
        .filter((a) => !a.kustomize)
        .map((a) => a.target),
    ),
  );
  const isApplied = (file: string) => applied.has(path.resolve(file)) || applied.has(path.dirname(path.resolve(file)));
  reader.manifests.push(...leftOut.filter((m) => isApplied(m.file)));
  const kept = leftOut.filter((m) => !isApplied(m.file));
  for (const folder of checkedFolders) {
    const files = [...new Set(kept.map((m) => m.file))].filter(
      (f) => !path.relative(folder, f).startsWith('..') && !KUSTOMIZATION_FILES.some((k) => fs.existsSync(path.join(path.dirname(f), k))),
    );
    if (!files.length) continue;
    const named = files
      .slice(0, 5)
      .map((f) => path.relative(folder, f))
      .join(', ');
    reader.problems.problem(
      folder,
      `${files.length} YAML file${files.length > 1 ? 's' : ''} in folders beside the kustomize build (${named}${files.length > 5 ? ', …' : ''}) ${files.length > 1 ? 'are' : 'is'} not read: the build does not list ${files.length > 1 ? 'them' : 'it'} and no script of the tree applies ${files.length > 1 ? 'them' : 'it'}; check them apart (cdk8s-vllm check <folder>) if they are applied another way`,
      'info',
    );
  }
  return kept;
}
