import type { RemoteApply } from '../manifests/script-installs';
import * as path from 'path';
import { isMapping, Loose, mapping, stringMap } from '../manifests/access';
import type { DroppedEnv, HelmRendering, KustomizationBuild, UnreadFile } from '../manifests/loaded';
import type { GitCheckout } from '../manifests/git-checkout';
import type { ScriptCreated } from '../manifests/script-creations';
import type { ScriptApplied, ScriptDeleted } from '../manifests/script-applies';
import type { ListedRemoteBase } from '../manifests/remote-bases';
import type { TreeImages } from '../manifests/script-images';
import type { DevClusterMark } from '../manifests/script-dev-clusters';
import type { ProseGpuMention } from '../manifests/prose-gpus';
import { withDerivedImages } from '../private/image-lineage';
import { withMountedFiles } from './mounted-files';
import { baseConfigName, withBaseConfigs } from './model-service-base';
import { containerFiles } from './config-map-mounts';
import type { HelmCommand } from '../manifests/script-helm';
import type { ScriptPatch } from '../manifests/script-patches';
import type { ScriptTaint } from '../manifests/script-taints';
import type { ScriptMachineSet } from '../manifests/script-machine-sets';
import type { ScriptNamespaceLabel } from '../manifests/script-labels';
import type { ScriptModelRequest } from '../manifests/model-requests';
import type { ScriptS3Upload } from '../manifests/s3-uploads';
import type { ScriptSccGrant } from '../manifests/script-scc-grants';
import type { IngressNginxInstall } from '../manifests/ingress-nginx-installs';
import type { InstallerRun } from '../manifests/installer-runs';
import type { OutsideApplication } from '../manifests/outside-applications';
import { outsideDelivery } from './outside-delivery';
import { ModelProfile } from '../planning/model-profile';
import { graphWithGenerated } from './appset-git';
import { templateObjects } from './template-objects';
import { templateTree, templateTreeToken } from './template-tree';
import { terraformNote } from './terraform-pools';
import { repositoryNodesNote } from './repository-nodes';
import { unexpandedSetNotes } from './appset-unexpanded';
import { unfollowedSourceNotes } from './unfollowed-sources';
import { GraphObject, renderedWithoutDeliveryValues } from './graph-object';
import { judgesPods, passedByRule } from './pods';
import { isMeantKind } from '../k8s/kind-groups';
import { GraphOptions, ObjectGraph } from './graph';
import { cataloguedServiceModel } from './catalogued-model';
import { storageLocationOf } from './serving-model';
import { inferPlatform, Platform, PlatformConflict } from './platform';
import { chooseKueue, KueueChoice } from './kueue-version';
import { ANY_KIND, CheckContext, Finding, Problem, Rule } from './rule';
import { ALL_RULES } from './rules';
import { deliveredNamespaces } from './delivered-namespaces';
import { latentInWorkloads, latentUntilScaled } from './scaled-to-zero';
import { ACKNOWLEDGE_PREFIX } from '../k8s/keys';
import { compareText } from '../private/collate';
import { withRunMemo } from '../private/run-memo';
import { objectScopedProblems, ScopeBreach } from './object-scope';
import { encryptedBeyondData } from '../manifests/sops';

export { ALL_RULES };

/** One object to check: any parsed YAML document, and the file it came from. */
export interface CheckInput {
  /** The object as parsed; documents that are not Kubernetes objects are passed over. */
  readonly manifest: unknown;
  /** The file it came from, for the findings. */
  readonly file?: string;
  /** 1-based line of the file where the object starts. */
  readonly line?: number;
  /** The kustomization folders that built it, outermost first (a delivery's source path names one of them). */
  readonly kustomizations?: readonly string[];
  /** The other kustomization roots whose builds hold this object unchanged (the reader keeps one copy of what several roots build alike). */
  readonly alsoBuiltBy?: readonly string[];
  /** Of a file left out of the build: the kustomization near it that lists it, a build of its own apart from the checked one. */
  readonly ownKustomization?: string;
  /** Of a file left out of the build: it sits beside a kustomization the build reads outside the checked folders. */
  readonly besideBuild?: boolean;
  /**
   * The set of objects applied together to one cluster, when not a kustomization: the charts of a cdk8s app that go
   * to one cluster (all of them, unless a fleet sends them to several).
   */
  readonly unit?: string;
  /** The comment written just before the document (`# …` lines; the file's head for its first document), as its author's note. */
  readonly comment?: string;
  /**
   * Variables of a container env list that a repeated `env` key dropped (the last list is the one applied) and that the
   * kept list does not set: by container name, for the rules to say what the container runs without.
   */
  readonly droppedEnv?: readonly DroppedEnv[];
  /** What declared it, when not a file: the construct path in a cdk8s app. */
  readonly origin?: string;
  /** The path of the cdk8s-vllm construct that rendered it, in an app of the constructs (its advice may name the construct's props). */
  readonly construct?: string;
  /** Read from a folder walk, outside kustomize folders (`readManifests` tells it): nothing in the input says it is applied. */
  readonly walked?: boolean;
  /** What the shell fills in the object when its script runs: the `${VAR}`, `$(cmd)` of an unquoted heredoc it applies (`cat <<EOF | oc apply -f -`). */
  readonly shellFills?: readonly string[];
  /**
   * The literal tokens a script's sed replaces in the file before it is applied (`s|<REPO_URL>|$URL|g`: `<REPO_URL>`):
   * those of the renderer its template reason names.
   */
  readonly sedFills?: readonly string[];
  /** The sed of its rendering replaces its sedFills and nothing else: a placeholder none of them matches is applied as written. */
  readonly sedExact?: true;
  /** Met walking checked folders none of whose scripts, Makefiles, READMEs or CI workflows deploys or renders anything. */
  readonly unscripted?: true;
  /** The program that renders the file before it is applied, as its template reason names it (`envsubst`, `sed`, …). */
  readonly renderedWith?: string;
  /** The script that renders it edits its file, or the kustomization that builds it, in place (`sed -i`): any delivery reads the filled file. */
  readonly renderedInPlace?: boolean;
  /** Why the reader takes the file for a template rendered before it is applied (`readManifests` tells it). */
  readonly template?: string; /** The namespace its file gave it, when a kustomization's `namespace:` moved it to another. */
  readonly movedFrom?: string;
  /** A kustomization's `namespace:` gave it its namespace (its file gave none, or another: movedFrom). */
  readonly namespacedByBuild?: true;
  /** The name a kustomize generator gave it before the build appended its content hash. */
  readonly hashedFrom?: string;
  /** The names the kustomize build gave it before its final one (namePrefix, nameSuffix, content hash), first to last. */
  readonly renamedFrom?: readonly string[];
  /** Of an object a Helm chart of the input renders: the chart's folder and the delivery whose values rendered it. */
  readonly helmRendering?: HelmRendering;
}

/** Options of a check run. */
export interface CheckOptions {
  /** Model profiles by storage location (`s3://bucket/path/`), for services whose manifests record none. */
  readonly models?: ReadonlyMap<string, ModelProfile>;
  /**
   * Ids of the rules to run.
   * @default - every rule
   */
  readonly rules?: readonly string[];
  /**
   * Namespace of namespaced objects that name none, as `kubectl -n` gives it.
   * @default - unknown: references from and to such objects match any namespace
   */
  readonly namespace?: string;
  /**
   * The platform the manifests are deployed to: decides deployment-mode names, API versions and what is available.
   * @default - the platform the objects tell (`inferPlatform`: the OpenShift AI operator Subscription, DataScienceCluster
   * version, image tags, OpenShift and other clouds' marks, API versions): 'rhoai-3.0' for OpenShift AI of no known release,
   * 'kserve' for objects with no OpenShift mark; judged exactly as if it were given
   */
  readonly platform?: Platform;
  /**
   * The platform given is only the default (`choosePlatform` found no flag, project setting or sign in the tree):
   * verdicts that hold only on it are warnings.
   * @default - true when `platform` is not given and the objects tell none
   */
  readonly platformAssumed?: boolean;
  /**
   * The platforms the tree may target, where `platform` is only assumed among them: verdicts that hold on every one
   * of them are not softened.
   * @default - those the objects leave (`inferPlatform`), when `platform` is not given; else `platform` alone
   */
  readonly platformCandidates?: readonly Platform[];
  /**
   * The platform given was inferred from the tree (`inferPlatform`), not stated by the user: what only OpenShift AI's
   * operator makes is counted on only where the tree shows OpenShift AI itself.
   * @default - true when `platform` is not given and the objects tell it
   */
  readonly platformInferred?: boolean;
  /**
   * The tree's platform signals conflict (PlatformChoice.conflict): an error that holds on none of the overruled
   * platforms is a warning naming the conflict.
   * @default - the conflict `inferPlatform` finds, when `platform` is not given; else none
   */
  readonly platformConflict?: PlatformConflict;
  /**
   * Upstream KServe on OpenShift: the tree's marks place it there (PlatformChoice.openShift).
   * @default - what `inferPlatform` finds, when `platform` is not given; else not known
   */
  readonly platformOnOpenShift?: boolean;
  /**
   * The Kueue release on the cluster: a version as `--kueue` takes it (`1.3` for the Red Hat build of Kueue, `0.16`
   * for upstream Kueue), or the choice `chooseKueue` made. Throws on a version that names no known release.
   * @default - what the tree tells (a kueue-operator Subscription's channel or startingCSV, v1beta2 Kueue objects),
   * else the platform's default, which makes verdicts that depend on the Kueue release warnings
   */
  readonly kueue?: string | KueueChoice;
  /**
   * Folders of the checked input, read or not (`readManifests` tells them): a path into one exists even where no
   * object was read from it (a Helm chart).
   * @default - unknown: paths are judged by the objects read
   */
  readonly folders?: readonly string[];
  /**
   * Folders of the checked input that hold a Chart.yaml (`readManifests` tells them): an Argo CD source there is a
   * Helm source, not a directory one.
   * @default - none known
   */
  readonly charts?: readonly string[];
  /**
   * Objects of files that sit in a kustomize folder but that no kustomization lists (`readManifests` tells them): not
   * checked, but a reference to one tells a file forgotten in `resources` from an object created outside the tree.
   * @default - none known
   */
  readonly leftOut?: readonly CheckInput[];
  /**
   * Resources a kustomization lists that kustomize refuses for want of a metadata.name (`readManifests` tells them): no
   * object of any build, but what their scripts would create is told as refused rather than absent.
   * @default - none known
   */
  readonly refused?: readonly CheckInput[];
  /**
   * Files of folders that Argo CD's directory source reads but that gave no object (`readManifests` tells them):
   * Jsonnet it evaluates, .json files that are no manifest, which it refuses.
   * @default - none known
   */
  readonly unread?: readonly UnreadFile[];
  /**
   * Objects of the files in kustomize folders as written, kustomization files included (`readManifests` tells them):
   * what an Argo CD source that sets `directory` on such a folder applies instead of the build.
   * @default - none known
   */
  readonly plain?: readonly CheckInput[];
  /**
   * The objects each kustomization that another includes builds on its own, attributed to its folder
   * (`readManifests` tells them): what an Argo CD source on that folder would build.
   * @default - none known
   */
  readonly ownBuilds?: readonly CheckInput[];
  /**
   * Where the checked folders sit in their git work trees, with the repository's remotes (`readManifests` tells them):
   * an Argo CD Application's path is judged from the root of a repository known this way. Where a checked folder is a
   * subfolder of a work tree, the rules read the repository around it (the objects it deploys elsewhere, and the source
   * folders of the input's Applications there, rendered as Argo CD renders them when a rule first asks) from the work
   * tree the read holds (its files walked once for the read and the check); a checkout without one is walked on demand.
   * @default - none known: the repository's root is judged from the folders the Applications name
   */
  readonly checkouts?: readonly GitCheckout[];
  /**
   * What each kustomization's own build does (`readManifests` tells it): whether it renames, whether the reader
   * followed all of it. A Flux Kustomization's patches are judged against a build the reader followed.
   * @default - none known
   */
  readonly builds?: readonly KustomizationBuild[];
  /**
   * Objects the scripts of the checked folders create when they run (`readManifests` tells them): a reference to one
   * is judged as made, by the script.
   * @default - none known
   */
  readonly scriptCreated?: readonly ScriptCreated[];
  /**
   * The files and folders of the checked folders their scripts and READMEs apply (`readManifests` tells them): the
   * objects there are delivered by those commands.
   * @default - none known
   */
  readonly scriptApplied?: readonly ScriptApplied[];
  /**
   * The files and folders the checked folders' scripts and READMEs delete (`kubectl delete -f`), and their tear-down
   * folders (`readManifests` tells them): objects there that nothing applies are no delivery.
   * @default - none known
   */
  readonly scriptDeleted?: readonly ScriptDeleted[];
  /**
   * The published releases the checked folders' kustomizations, scripts, READMEs and Terraform install (`readManifests`
   * tells them as remoteBases and scriptInstalled): what names the KServe release beside the tree's own objects.
   * @default - none known
   */
  readonly installed?: readonly ListedRemoteBase[];
  /** The remote manifests the tree's scripts and READMEs apply by URL; none known when unset. */
  readonly remoteApplies?: readonly RemoteApply[];
  /**
   * The images the checked folders build (a Dockerfile's folder, a `docker build -t`), and the step that loads or
   * pushes them (`readManifests` tells them).
   * @default - none known
   */
  readonly treeImages?: TreeImages;
  /**
   * The `helm install|upgrade|template` commands of the checked folders' scripts and READMEs (`readManifests` tells
   * them): the values they set.
   * @default - none known
   */
  readonly helmCommands?: readonly HelmCommand[];
  /**
   * The helm install and upgrade commands of the scripts and guides of the repository above the checked folders
   * (`readManifests` tells them): the installs a repository documents for its folders.
   * @default - none known
   */
  readonly repositoryHelmCommands?: readonly HelmCommand[];
  /**
   * The files and folders of the checked folders that the scripts, Makefiles and guides of the repository above them
   * apply or create (`readManifests` tells them): the root README's `kubectl create -f bench/job.yaml` for the checked
   * folder `bench/`.
   * @default - none known
   */
  readonly repositoryApplied?: readonly ScriptApplied[];
  /**
   * The inline `kubectl|oc patch` commands of the checked folders' scripts and READMEs (`readManifests` tells them):
   * the fields they set on the cluster's objects.
   * @default - none known
   */
  readonly scriptPatches?: readonly ScriptPatch[];
  /**
   * The node taints the checked folders' scripts and READMEs add (`kubectl taint nodes`, `oc adm taint nodes`;
   * `readManifests` tells them).
   * @default - none known
   */
  readonly scriptTaints?: readonly ScriptTaint[];
  /** The labels the checked folders' scripts put on namespaces (`readManifests` reads them). */
  readonly scriptNamespaceLabels?: readonly ScriptNamespaceLabel[];
  /**
   * The requests to OpenAI-compatible servers the checked folders' scripts and READMEs send, with the model each
   * names (`readManifests` tells them).
   * @default - none known
   */
  readonly scriptModelRequests?: readonly ScriptModelRequest[];
  /**
   * The S3 uploads the checked folders' scripts write (`readManifests` tells them).
   * @default - none known
   */
  readonly scriptS3Uploads?: readonly ScriptS3Upload[];
  /**
   * The SCCs the checked folders' scripts and READMEs grant (`oc adm policy add-scc-to-user`; `readManifests` tells them).
   * @default - none known
   */
  readonly scriptSccGrants?: readonly ScriptSccGrant[];
  /**
   * The MachineSets the checked folders' scripts clone or label (`readManifests` tells them).
   * @default - none known
   */
  readonly scriptMachineSets?: readonly ScriptMachineSet[];
  /**
   * The ingress-nginx controller installs of the checked folders' Terraform and scripts (`readManifests` tells them).
   * @default - none known
   */
  readonly ingressNginxInstalls?: readonly IngressNginxInstall[];
  /**
   * The runs of well-known installer scripts by the checked folders' scripts and Terraform (`readManifests` tells them).
   * @default - none known
   */
  readonly installerRuns?: readonly InstallerRun[];
  /**
   * The files of the input the reader reported a problem with (a document that does not parse, a template it could
   * not read, a kustomize feature not applied): what they hold may be missing from the objects.
   * @default - none known
   */
  readonly unreadInput?: readonly string[];
  /**
   * The commands of the checked folders' scripts and READMEs that drive a local development cluster (minikube, MicroK8s,
   * kind, Docker Desktop; `readManifests` tells them).
   * @default - none known
   */
  readonly devClusters?: readonly DevClusterMark[];
  /**
   * The lines of the checked folders' READMEs and guides (and of the READMEs of the folders above them) that say which
   * GPU the tree runs on (`readManifests` tells them): weaker evidence than a node selection, read only where none
   * names the GPU.
   * @default - none known
   */
  readonly proseGpus?: readonly ProseGpuMention[];
  /**
   * The Argo CD Applications and ApplicationSets of the checked folders' git work tree outside them (`readManifests`
   * tells them): one that syncs a checked folder is read as its delivery, and no finding is said on it.
   * @default - none
   */
  readonly outsideApplications?: readonly OutsideApplication[];
}

/** The findings of a check, and what it took from outside the checked folders (the Application taken as a folder's delivery). */
export interface CheckResult {
  readonly findings: Finding[];
  /** For each folder an Application outside it syncs, which one was judged as its delivery, and from which file. */
  readonly deliveries: readonly string[];
  /** Why the tree is treated as a template repository whose tokens are replaced when it is copied (templateTree), if it is. */
  readonly template?: string;
  /** The node pools the Terraform of the checked folders and their repository declares, and from which files (terraformNote), where there are any. */
  readonly terraform?: string;
  /** The MachineSets and Karpenter NodePools of the repository outside the checked folders read as node shapes, and from which files (repositoryNodesNote), where any was. */
  readonly nodes?: string;
}

/**
 * Runs the rules over the objects: each rule on each object of the kinds it applies to. A rule that cannot read an
 * object (a field of a type no schema allows) reports that as a warning on the object instead of stopping the run.
 * Findings on an object that acknowledges the rule (annotation `checks.cdk8s-vllm.io/<rule>` with a reason) are
 * kept but downgraded to warnings, with the reason. A finding repeated word for word on the same file and line is kept once.
 * Sorted: errors first, then by object, rule and message.
 */
export function runChecks(objects: readonly CheckInput[], options: CheckOptions = {}): Finding[] {
  return checkObjects(objects, options).findings;
}

/** runChecks, with what the check took from outside the checked folders to judge them. */
export function checkObjects(objects: readonly CheckInput[], options: CheckOptions = {}): CheckResult {
  // facts of one object that several rules ask for are computed once per run (run-memo.ts)
  // an image the tree tags or builds from vLLM's runs vLLM at its base's version (image-lineage.ts)
  return withRunMemo(() => withDerivedImages(options.treeImages?.derived ?? [], () => checkAll(objects, options)));
}

/** The graph the rules read, and the Applications outside the checked folders taken as their delivery. */
function checkGraph(objects: readonly CheckInput[], options: CheckOptions, kueue: KueueChoice): { graph: ObjectGraph; deliveries: readonly string[] } {
  const graphOptions: GraphOptions = {
    defaultNamespace: options.namespace,
    deliveredNamespaces,
    folders: options.folders,
    charts: options.charts,
    leftOut: options.leftOut,
    refused: options.refused as readonly GraphObject[] | undefined,
    unread: options.unread,
    plain: options.plain,
    ownBuilds: options.ownBuilds as readonly GraphObject[] | undefined,
    checkouts: options.checkouts,
    builds: options.builds,
    scriptCreated: options.scriptCreated,
    scriptApplied: options.scriptApplied,
    scriptDeleted: options.scriptDeleted,
    installed: options.installed,
    remoteApplies: options.remoteApplies,
    treeImages: options.treeImages,
    helmCommands: options.helmCommands,
    repositoryHelmCommands: options.repositoryHelmCommands,
    repositoryApplied: options.repositoryApplied,
    scriptPatches: options.scriptPatches,
    scriptTaints: options.scriptTaints,
    scriptNamespaceLabels: options.scriptNamespaceLabels,
    scriptModelRequests: options.scriptModelRequests,
    scriptS3Uploads: options.scriptS3Uploads,
    scriptSccGrants: options.scriptSccGrants,
    scriptMachineSets: options.scriptMachineSets,
    ingressNginxInstalls: options.ingressNginxInstalls,
    installerRuns: options.installerRuns,
    unreadInput: options.unreadInput,
    devClusters: options.devClusters,
    proseGpus: options.proseGpus,
    queueAnnotationRead: kueue.apis.readsQueueAnnotation,
  };
  // with the Applications of the ApplicationSets' generators other than lists, which need the graph to find the repository and clusters
  const graph = graphWithGenerated(objects as readonly GraphObject[], graphOptions);
  const delivery = outsideDelivery(graph, options.outsideApplications ?? []);
  // the objects' deliveries are worked out again with the Applications that sync the folders from outside them
  return {
    graph: delivery.apps.length ? graphWithGenerated([...(objects as readonly GraphObject[]), ...delivery.apps], graphOptions) : graph,
    deliveries: delivery.notes,
  };
}

function checkAll(objects: readonly CheckInput[], options: CheckOptions): CheckResult {
  const models = options.models ?? new Map<string, ModelProfile>();
  const inferred = options.platform === undefined ? inferPlatform(objects, undefined, [], options.installed) : undefined;
  const platform = options.platform ?? inferred!.platform;
  const platformAssumed = options.platformAssumed ?? inferred?.source === 'default';
  const kueue =
    typeof options.kueue === 'object'
      ? options.kueue
      : chooseKueue(objects, platform, {
          platformAssumed,
          remotes: options.installed ?? [],
          ...(options.kueue ? { setting: { version: options.kueue, source: 'flag' as const } } : {}),
        });
  const { graph, deliveries } = checkGraph(objects, options, kueue);
  const profiles = new Map<GraphObject, ModelProfile | undefined>();
  const ctx: CheckContext = {
    graph,
    platform,
    platformAssumed,
    platformCandidates: options.platformCandidates ?? inferred?.candidates ?? [platform],
    platformInferred: options.platformInferred ?? inferred?.source === 'inferred',
    platformConflict: options.platformConflict ?? inferred?.conflict,
    platformOnOpenShift: options.platformOnOpenShift ?? inferred?.openShift,
    kueue,
    modelOf: (o) => {
      // a dozen rules ask each service: its profile is read once per run (the annotation's JSON parsed and checked again
      // on each ask was the largest single cost of a check of many services); a profile that does not read is asked again
      if (profiles.has(o)) return profiles.get(o);
      const location = storageLocationOf(o.manifest);
      const profile =
        (location ? models.get(location) : undefined) ??
        ModelProfile.fromAnnotation(stringMap(mapping(o.manifest.metadata).annotations)[ModelProfile.ANNOTATION]) ??
        cataloguedServiceModel(o, graph);
      profiles.set(o, profile);
      return profile;
    },
  };
  const rules = options.rules ? ALL_RULES.filter((r) => selects(options, r.id)) : ALL_RULES;
  // a script a ConfigMap of the tree holds is read where a container runs it (mounted-script.ts)
  // and a ModelService's containers are read merged into its base ConfigMap's Deployments (model-service-lines.ts)
  const bases = (m: Loose) => graph.find('ConfigMap', baseConfigName(m), graph.namespaceOf(m))?.manifest;
  const findings = withBaseConfigs(bases, () =>
    withMountedFiles(containerFiles(graph), () => sortFindings(rules.flatMap((rule) => ruleFindings(rule, graph, ctx)))),
  );
  const template = templateTree(graph)?.why;
  const terraform = terraformNote(graph);
  const nodes = repositoryNodesNote(graph.repositoryNodesRead());
  // the ApplicationSets whose Applications check cannot expand: said once each, as a Helm release whose chart is not in the input
  // and the Applications syncing a folder of this repository outside the checked one; a run of chosen rules says
  // them where it names their rule
  const notes = selects(options, INPUT_NOT_FOLLOWED) ? [...unexpandedSetNotes(graph), ...unfollowedSourceNotes(graph)] : [];
  return { findings: [...findings, ...notes], deliveries, ...(template ? { template } : {}), ...(terraform ? { terraform } : {}), ...(nodes ? { nodes } : {}) };
}

/** The rule of the engine's own notes on what the input leaves unread (appset-unexpanded.ts, unfollowed-sources.ts). */
const INPUT_NOT_FOLLOWED = 'input-not-followed';

/** Whether the run makes the findings of the rule: every rule's, unless options.rules lists the rules to run. */
const selects = (options: CheckOptions, rule: string): boolean => !options.rules || options.rules.includes(rule);

/**
 * One rule's findings on the objects of the kinds it applies to (and, for a rule that judges what is committed, on
 * those no build applies). One file read by two builds (a folder an Application syncs and a root that includes it) is
 * two objects of the graph: the same finding on the same line is reported once.
 */
function ruleFindings(rule: Rule, graph: ObjectGraph, ctx: CheckContext): Finding[] {
  const found: Finding[] = [];
  for (const kind of rule.appliesTo) {
    for (const o of judgedOfKind(graph, kind, judgesPods(rule.appliesTo))) {
      if (o.outside) found.push(...outsideFindings(rule, o, ctx));
      else for (const p of judged(rule, o, ctx)) found.push(toFinding(rule, o, p, graph));
    }
  }
  found.push(...templateFindings(rule, ctx));
  for (const { o, note } of rule.judgesUnapplied ? unapplied(graph, rule) : []) {
    if (encryptedBeyondData(o.manifest) !== undefined) continue;
    // what holds only once applied (a placeholder that replaces the real value) is no harm in a file nothing applies
    for (const p of judged(rule, o, ctx).filter((x) => !x.onceApplied)) found.push(toFinding(rule, o, { ...p, message: `${p.message} (${note})` }, graph));
  }
  // most rules find nothing on most trees: no keys made for them
  return found.length > 1 ? onceEach(found) : found;
}

/** The findings, in order, each kept unless an earlier one says the same on the same line or on a copy in the same folder. */
function onceEach(found: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = JSON.stringify([f.rule, f.severity, f.object, f.message, f.file, f.line]);
    // one object declared twice in a folder (object-defined-twice: the later copy replaces the earlier when the folder
    // is applied) is one object of the cluster: the same finding on each copy is one cause, said on the first
    const copies = JSON.stringify([f.rule, f.severity, f.object, f.message, f.file === undefined ? undefined : path.dirname(f.file)]);
    if (seen.has(key) || seen.has(copies)) return false;
    seen.add(key).add(copies);
    return true;
  });
}

/** The objects judged per kind name, per graph (judgedOfKind). */
const judgedKinds = new WeakMap<ObjectGraph, Map<string, readonly GraphObject[]>>();

/**
 * The objects the rules of a kind (ANY_KIND: every object) are called on, once per run rather than once per rule: the
 * 300-odd rules asked the same two questions of every object. Kept by the kind's own string (the rules' constants,
 * whose hash V8 keeps): a key made per ask (graph.once) cost a new string and its hash on each of a run's 2,800 asks.
 */
function judgedOfKind(graph: ObjectGraph, kind: string, pods: boolean): readonly GraphObject[] {
  let kinds = judgedKinds.get(graph);
  if (!kinds) judgedKinds.set(graph, (kinds = new Map()));
  const key = pods ? kind : `${kind} itself`;
  const known = kinds.get(key);
  if (known) return known;
  const judged = (kind === ANY_KIND ? graph.objects : graph.ofKind(kind)).filter(
    // a rule named the pod-running kind, not a custom kind of its name in another group (nor, for a rule about pods, a
    // Rollout without a template: its pods are the referenced Deployment's, judged there);
    // a SOPS document whose shape is ciphertext is judged once decrypted (the reader notes it): other objects still find it by name
    (o) => (kind === ANY_KIND || !passedByRule(o.manifest, pods)) && encryptedBeyondData(o.manifest) === undefined,
  );
  kinds.set(key, judged);
  return judged;
}

/**
 * The findings of a rule on an Application read outside the checked folders as their delivery: none on the Application
 * itself; a problem a delivery rule finds in what it syncs is said on the object of the folder it names.
 */
function outsideFindings(rule: Rule, app: GraphObject, ctx: CheckContext): Finding[] {
  if (!rule.judgesDelivery || !app.outside) return [];
  const where = `${ctx.graph.id(app)} (${app.outside.file}:${app.outside.line}, outside the checked folder, the Application that syncs it)`;
  return judged(rule, app, ctx).flatMap((p) => (p.on && !p.on.outside ? [toFinding(rule, p.on, { ...p, message: `${where} ${p.message}` }, ctx.graph)] : []));
}

/**
 * The findings of a rule that names their kind on the objects of the tree's OpenShift Templates, filled with the
 * parameters' values (template-objects.ts), said with the Template they come from. A finding that names a value filled
 * from a parameter depends on what `oc process -p` is given: at most a warning.
 */
function templateFindings(rule: Rule, ctx: CheckContext): Finding[] {
  const { graph } = ctx;
  // a rule that judges Templates reads their objects itself, and says it on the Template
  if (!graph.ofKind('Template').length || rule.appliesTo.includes('Template')) return [];
  const objects = templateObjects(graph);
  return objects.flatMap(({ o, template, filled }) => {
    const kind = String(o.manifest.kind);
    if (!rule.appliesTo.includes(kind) || passedByRule(o.manifest, judgesPods(rule.appliesTo)) || !isMeantKind(o.manifest)) return [];
    // `oc process` makes the Template's objects together: a reference of one finds the others
    const together = graph.once(`template-graph ${template}`, () => graph.withObjects(objects.filter((t) => t.template === template).map((t) => t.o)));
    return judged(rule, o, { ...ctx, graph: together })
      .filter((p) => !p.onceApplied)
      .map((p) => {
        const parameter = filled.find((v) => p.message.includes(v));
        const note = parameter
          ? `an object of ${template}, as \`oc process\` fills it with its parameters' values; the finding names '${parameter}', a parameter's value that \`oc process -p\` may replace`
          : `an object of ${template}, as \`oc process\` makes it`;
        const severity = parameter && (p.severity ?? rule.severity) === 'error' ? 'warning' : p.severity;
        return toFinding(rule, o, { ...p, ...(severity ? { severity } : {}), message: `${p.message} (${note})` }, graph);
      });
  });
}

/** Documentation whose commands the scripts' reader also reads (a README's). */
const DOCUMENT = /\.(md|markdown|adoc|rst|txt)$/i;

const UNAPPLIED_NOTE = 'the file is in no kustomization of its folder, but it is in the repository all the same';

/** The note on a file a kustomization of its own lists (an overlay folder below the checked root), apart from the checked build. */
const ownBuildNote = (kustomization: string) =>
  `${kustomization.split(/[\\/]/).slice(-2).join('/')} lists the file, a kustomize build of its own that the checked build does not include, and it is in the repository all the same`;

/**
 * The objects the rule judges beyond the applied ones, of the kinds it applies to, each with a note saying where it
 * is: those of the files a kustomize folder holds but no build reads, and those the tree's scripts write out.
 */
function unapplied(graph: ObjectGraph, rule: Rule): { o: GraphObject; note: string }[] {
  const pods = judgesPods(rule.appliesTo);
  const judged = (m: unknown): m is Loose =>
    isMapping(m) &&
    typeof m.kind === 'string' &&
    (rule.appliesTo.includes(ANY_KIND) || (rule.appliesTo.includes(m.kind) && !passedByRule(m, pods) && isMeantKind(m)));
  // a file beside a kustomization outside the checked folders is not the checked tree's: only what needs it says so
  const left = graph.leftOut.flatMap(({ manifest, file, ownKustomization, besideBuild }) =>
    judged(manifest) && !besideBuild ? [{ o: { manifest, file }, note: ownKustomization ? ownBuildNote(ownKustomization) : UNAPPLIED_NOTE }] : [],
  );
  // a document's commands show example values a reader replaces; a script runs with what it holds
  const scripted = graph.scriptCreated.flatMap(({ manifest, file, script, line }) =>
    judged(manifest) && !DOCUMENT.test(script)
      ? [
          {
            o: { manifest, file: file ?? script, line },
            note: `${script} creates it at line ${line} from values written in the script: have the script read them from its environment instead`,
          },
        ]
      : [],
  );
  return [...left, ...scripted];
}

/** Sorts findings: errors first, then by object, rule and message. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => ({ error: 0, warning: 1, info: 2 })[f.severity];
  return findings.sort((a, b) => rank(a) - rank(b) || compareText(a.object, b.object) || compareText(a.rule, b.rule) || compareText(a.message, b.message));
}

/** The rule's problems on the object, an error resting on a conflicted platform choice made a warning. */
function judged(rule: Rule, o: GraphObject, ctx: CheckContext): Problem[] {
  const problems = guarded(rule, o, ctx);
  const conflict = ctx.platformConflict;
  const isError = (p: Problem) => (p.severity ?? rule.severity) === 'error';
  if (!conflict || !problems.some(isError)) return problems;
  // judged on each overruled platform as if it were given: an error there too does not rest on the choice
  const elsewhere = conflict.platforms.some((platform) =>
    guarded(rule, o, { ...ctx, platform, platformCandidates: [platform], platformAssumed: false, platformInferred: false, platformConflict: undefined }).some(
      isError,
    ),
  );
  if (elsewhere) return problems;
  const note = `judged for ${ctx.platform}, a choice the tree's platform signals leave in doubt (${conflict.says}); on ${conflict.platforms.join(', ')} this does not hold: pass --platform`;
  return problems.map((p) => (isError(p) ? { ...p, severity: 'warning' as const, message: `${p.message} (${note})` } : p));
}

function guarded(rule: Rule, o: GraphObject, ctx: CheckContext): Problem[] {
  try {
    return rule.scope === 'object' ? objectScopedProblems(rule, o, ctx) : rule.check(o, ctx);
  } catch (e) {
    // a rule that reads beyond its declared scope is a fault of the rule, not of the object
    if (e instanceof ScopeBreach) throw e;
    return [
      { severity: 'warning', message: `could not be judged: a field has a type no schema allows (${(e as Error).message}); run 'cdk8s-vllm validate' on it` },
    ];
  }
}

/** The note on a finding on an object of a chart rendered as `check <chart folder>` renders it (helm template with no values). */
const DEFAULTS_NOTE = "rendered with the chart's default values; a delivery's values may change this";

/** Why an error of the rule is capped at a warning, said after its message: a base's own copy, a workload scaled to zero, a chart's defaults. */
function capNote(rule: Rule, o: GraphObject, p: Problem, graph: ObjectGraph, stated: Problem['severity']): string | undefined {
  // where the problem fails in other objects' pods (Problem.failsIn), what caps theirs caps it
  const failsIn = p.failsIn?.length ? p.failsIn : undefined;
  // a base's own copy that only a refused root builds is a template: its overlays' copies are what is delivered
  const copies = stated === 'error' ? [o, ...(failsIn ?? [])].map((x) => graph.undeliveredBaseCopy(x)) : [];
  const template = copies[0] ?? (failsIn && copies.slice(1).every(Boolean) ? copies[1] : undefined);
  if (template)
    return `this is the base's own copy, which only ${template.root} builds, and kustomize refuses that build; the base is delivered through ${template.overlay}, whose copy is judged`;
  const latent = stated !== 'error' ? undefined : failsIn ? latentInWorkloads(graph, failsIn, rule.id) : latentUntilScaled(graph, o, rule.id);
  if (latent) return latent;
  const filled = stated === 'error' ? (renderedToken(o, p) ?? copiedToken(graph, p)) : undefined;
  if (filled) return filled;
  // a chart rendered with its defaults alone (no delivery known), or without a values file that could not be read:
  // what a delivery's values change is not seen
  const capped = (x: GraphObject) => renderedWithoutDeliveryValues(x) && !(p.chartDefaults && x.helmRendering?.delivery.startsWith('check/'));
  if (capped(o)) return renderNote(o);
  return failsIn && failsIn.every(capped) ? renderNote(failsIn[0]) : undefined;
}

/**
 * Why an error resting on a token the rendering of the object's file replaces is no verdict: its message names a value
 * holding one of the tokens the script's sed fills (`app-V_ACC` where `sed -i "s|V_ACC|$ACC|"` runs on the file first),
 * so the applied object does not hold what the finding judges. As an OpenShift Template's parameters (templateFindings).
 */
function renderedToken(o: GraphObject, p: Problem): string | undefined {
  // a rule whose message names the rendering has weighed it (an Application that syncs the raw file from git)
  if (!o.template || p.message.includes(o.template)) return undefined;
  const token = o.sedFills?.find((t) => p.message.includes(t));
  return token && `judged as a template, since ${o.template}: the finding rests on '${token}', which that rendering replaces`;
}

/** Why an error resting on a `<NAME>` token of a template repository is no verdict (templateTree; the output's template line says why). */
function copiedToken(graph: ObjectGraph, p: Problem): string | undefined {
  const token = templateTreeToken(graph, p.message);
  return token && `the tree is treated as a template repository: the finding rests on '${token}', a token its tooling replaces when the tree is copied`;
}

/** How a capped render was made, said after the finding: the chart's defaults, or the render's own note. */
function renderNote(x: GraphObject): string {
  const capped = x.helmRendering?.capped;
  if (!capped) return DEFAULTS_NOTE;
  return x.helmRendering?.delivery.startsWith('check/') ? `${capped}; a delivery's values may change this` : capped;
}

function toFinding(rule: Rule, o: GraphObject, p: Problem, graph: ObjectGraph): Finding {
  const reason = stringMap(mapping(o.manifest.metadata).annotations)[`${ACKNOWLEDGE_PREFIX}${rule.id}`];
  const stated = p.severity ?? rule.severity;
  const note = capNote(rule, o, p, graph, stated);
  const severity = note && stated !== 'info' ? 'warning' : stated;
  const said = note ? `${p.message} (${note})` : p.message;
  // an object check rendered itself from a release's values: the finding says from what, since no file holds it
  const model = o.helmRendering?.model;
  const message = model && !said.includes(model) ? `${said} (${graph.id(o)} as rendered from the ${model})` : said;
  return {
    rule: rule.id,
    // an acknowledged error is kept as a warning; an info stays one
    severity: reason && severity === 'error' ? 'warning' : severity,
    object: graph.id(o),
    message: reason ? `${message} [acknowledged: ${reason}]` : message,
    ...(o.file ? { file: o.file } : {}),
    ...(o.line ? { line: o.line } : {}),
    ...(reason ? { acknowledged: reason } : {}),
    ...(p.summary ? { summary: p.summary } : {}),
    ...(p.limitation ? { limitation: true as const } : {}),
  };
}
