import * as fs from 'fs';
import { NOT_AN_OBJECT } from '../manifests/yaml-documents';
import { checkObjects, CheckInput } from '../check/engine';
import { treeKserveRelease } from '../check/kserve-release';
import { Loose, objectId } from '../manifests/access';
import { normalizeUri } from '../check/serving-model';
import { chooseKueue, KueueChoice, KueueSetting, ListedRemote } from '../check/kueue-version';
import { choosePlatform, Platform, PLATFORMS, PROJECT_FILE, projectSettings } from '../check/platform';
import { KUEUE_VERSION_FORMS, parseKueueVersion } from '../platform/kueue-releases';
import { REGISTERED_RULES } from '../check/registry';
import { countsLine, textRows } from '../check/summary';
import { helmRepositoryCache } from '../manifests/chart-cache';
import { readManifests } from '../manifests/read-manifests';
import { RepositoryObject, repositoryObjects } from '../manifests/repository-objects';
import type { GitCheckout } from '../manifests/git-checkout';
import { valuesUsers } from '../manifests/values-users';
import { ModelProfile } from '../planning/model-profile';
import { isDnsLabel } from '../private/names';
import { Command, InputError, Io, judgedWithoutObjects, noObjectsRead, requireInputPaths, UsageError } from './command';
import { findingFormatOf, findingFormatOptions, wideOption } from './finding-options';
import { kustomizeBuilder } from './kustomize-build';
import { OptionValues } from './option-spec';
import { defineCommand } from './options';
import { FindingFormat, FindingReport, inputFindings, OutputFinding, writeFindings } from './output/findings';
import { renderTable } from './output/table';

const CHECK_OPTIONS = {
  namespace: {
    type: 'string',
    value: '<ns>',
    help: 'namespace of objects that name none, as kubectl -n',
    default: 'whatever their delivery gives them, so references to and from them match any namespace',
  },
  platform: {
    type: 'string',
    value: '<p>',
    help:
      `${PLATFORMS.join(', ')}: deployment-mode names, API versions and what is available. When not given: the project default in ` +
      `${PROJECT_FILE} ({"platform": "<p>"}) in the checked folder or above it (up to the repository root), else what the tree ` +
      "tells (the OpenShift AI operator Subscription, DataScienceCluster version, image tags, OpenShift and other clouds' " +
      'marks, API versions; the stronger wins), and where the tree leaves more than one, what the objects of its git repository ' +
      "outside it tell (an operator Subscription or DataScienceCluster in a sibling folder; the tree's own marks win): " +
      'rhoai-3.0 for OpenShift AI of no known release, kserve for a tree with no OpenShift mark; the output says which ' +
      'platform was used and why (and the repository files that told it)',
  },
  kueue: {
    type: 'string',
    value: '<version>',
    help:
      `the Kueue release the cluster runs: ${KUEUE_VERSION_FORMS}. On OpenShift AI 3.x Kueue is the separately installed ` +
      `Red Hat build of Kueue, so its release does not follow the platform's. When not given: "kueue" in ${PROJECT_FILE}, else ` +
      "what the tree tells (a kueue-operator Subscription's channel or startingCSV, of the tree or else of its git repository, the release its kustomizations, scripts or " +
      "README, or those of the repository above it, install from Kueue's release manifests or Helm chart, a Flux HelmRelease or " +
      'Argo CD Application of that chart at a version, Kueue objects in v1beta2), else the ' +
      "platform's default, and then the verdicts that depend on it (unserved or deprecated Kueue versions, the queue-name " +
      'annotation) are warnings; the output says which Kueue was used and why',
  },
  kustomize: {
    type: 'string',
    value: '<tool>',
    help:
      'build each kustomization root with the real kustomize and check its output, so patches, generators, images and Helm ' +
      'charts count exactly: kubectl (kubectl kustomize), oc, or kustomize (kustomize build); a root that does not build is an error',
  },
  charts: {
    type: 'string',
    value: '<dir>',
    help:
      'a folder of charts pulled ahead of the check (<name>-<version>.tgz archives as helm pull writes them, and unpacked ' +
      'charts holding a Chart.yaml): a remote chart a Flux HelmRelease or Argo CD Application installs that the folder holds ' +
      "(its name, and its version or the newest one its range allows) is rendered with the release's values and checked like a " +
      `chart of the input. Helm's repository cache is looked in too ($HELM_REPOSITORY_CACHE, else $HELM_CACHE_HOME/repository, ` +
      `else $XDG_CACHE_HOME/helm/repository, else ~/.cache/helm/repository). When not given: "charts" in ${PROJECT_FILE}, ` +
      'relative to that file',
  },
  model: {
    type: 'string',
    value: '<uri>=<dir>',
    multiple: true,
    help:
      'the model stored at <uri> is described by the config.json (and model.safetensors.index.json) in <dir>; needed only ' +
      'for services whose manifests record no cdk8s-vllm.io/model-profile',
  },
  ...findingFormatOptions(
    '{"platform": {"id", "source", "reason", "files"}, "kueue": {"release", "redHat", "source", "reason"}, "delivery": [note], "template": note, "terraform": note, "nodes": note, "findings": [{"rule", "severity", "object", "message", "file", "line", "summary", ' +
      '"limitation", "acknowledged"}]}, the shape validate prints; keys without a value are left out',
  ),
  ...wideOption('message'),
  'allow-empty': {
    type: 'boolean',
    help:
      'an input with no Kubernetes object passes (by default it is an input error, exit 2: an empty folder or stream, or a ' +
      'render that failed upstream in a pipe)',
  },
  verbose: {
    type: 'boolean',
    help:
      'list each of the findings that say the same thing of many objects (model unknown, GPU fit not checked, …) instead of ' +
      'one line with their count (JSON and SARIF list each, JSON marking them with their "summary"; YAML documents that are no Kubernetes object are one finding in every format)',
  },
  rules: { type: 'boolean', help: 'list the rules (with --json or --format json: their metadata) and exit' },
} as const;

type CheckValues = OptionValues<typeof CHECK_OPTIONS>;

export const checkCommand: Command = defineCommand({
  name: 'check',
  synopsis: ['check <path>... [options]'],
  usage: [
    `  Reads the paths (files, folders, or - for a multi-document stream on standard input, as from kubectl kustomize).
  A folder with a kustomization.yaml is read as kustomize builds it: its resources, recursively, with its namespace,
  name prefixes and suffixes (and the references kustomize renames with them), labels, images, replicas, ConfigMap
  and Secret generators, replacements, vars, patches that name their target by kind and name, and the builtin
  namespace, label, annotation, image, replica and patch transformer configs listed under transformers; what kustomize
  refuses is an error (kustomize-build-fails), and remote bases and fields check does not apply (Helm charts, custom
  transformers) are reported. Other folders are read whole (*.yaml, *.yml, *.json; *.jsonnet files are reported, not
  evaluated). References are resolved across everything read, and the rules run (--rules lists them).
  A Helm release whose chart is not in the input (a Flux HelmRelease of a Helm or OCI repository, an Argo CD
  Application's chart source) is reported as a note naming the release and the chart's source, unless its chart is
  in a folder of pulled charts (--charts, Helm's repository cache), or it is the bjw-s app-template chart of major 2
  to 5 (also a kustomize helmCharts entry of it), whose objects check renders from the release's values itself; a finding that an
  object is missing from the namespace such a release (or a script's helm install) installs into is a warning at most,
  naming the release that may make it.
  A folder in a git work tree that an Argo CD Application (or an ApplicationSet's generated one) elsewhere in the
  same repository syncs, by its path from the repository's root, is judged with that Application as its delivery
  (its sync options, retry, destination, automation); nothing is said on the Application itself, and the output
  names it and its file (delivery:).
  A tree whose own Argo CD Applications hold <NAME> tokens (in their names, projects, destinations or repoURLs) is
  taken for a template repository whose tooling replaces the tokens when it copies the tree: an error resting on a
  <NAME> token is a warning, and the output says once why (template:).
  The node pools the Terraform configurations (.tf, .tfvars) of the checked folders and of their git repository
  declare (GKE, EKS, AKS; the terraform-aws-modules/eks and terraform-google-modules/kubernetes-engine modules' node
  groups and node_pools too; a pool repeated by count or for_each once per instance, none where the count resolves
  to 0, and one whose count the files do not resolve may exist: a warning at most) are the cluster's pools: a pool
  pinned by name that they do not declare, a GPU request on a pool without GPUs and an untolerated taint of a pool
  are findings, and a model is planned on the GPUs of the pools
  its pods land on (those pinned by name, else the GPU pools of a cluster whose pools the Terraform declares all of)
  and of the Karpenter NodePools the Terraform applies; the output says how many pools were read and from which
  files (terraform:). The OpenShift MachineSets (and Karpenter NodePools) of the git repository outside the
  checked folders are the cluster's node shapes for a workload whose node selector no MachineSet of the tree matches:
  a GPU count beyond every matching shape is an error only where each of them has a known instance type; the output
  says which files were read (nodes:). Where nothing names the GPU, a README's
  sentence that does ("tested on an RTX 2080 Ti") is planned on, as a warning.`,
    CHECK_OPTIONS,
    `  Findings acknowledged on an object (annotation checks.cdk8s-vllm.io/<rule>: <reason>) print as warnings.
  Exit code 0 when no error remains, 1 when one does (a kustomization that does not build is one: the other roots
  are still checked), 2 on a usage error or an input with no object (a missing path, an empty folder).`,
  ],
  positionals: true,
  run({ values, positionals }, io) {
    const format = findingFormatOf(values);
    if (values.rules) {
      io.out(listRules(format, values.wide === true, io.columns));
      return 0;
    }
    const settings = checkSettings(values, positionals);
    // what the reader tells of the tree's delivery goes to the rules as it is
    const { manifests, errors, remoteBases, scriptInstalled, repositoryInstalled, scriptPlatform, ...delivery } = readInput(positionals, values, io, format);
    // where the tree leaves more than one platform, the cluster's set-up in its repository outside it tells the rest
    let around: RepositoryObject[] | undefined;
    const repository = () => (around ??= delivery.checkouts.flatMap((c) => repositoryObjects(c.folder, c)));
    const judged = judgedPlatform(manifests, settings.platform, positionals, scriptPlatform, [...remoteBases, ...scriptInstalled], repository);
    const chosen = withKserveRelease(judged, manifests, [...remoteBases, ...scriptInstalled]);
    // the Kueue a README or script of the repository above the folder installs is the cluster's too
    const kueue = judgedKueue(manifests, chosen, settings.kueue, positionals, [...remoteBases, ...scriptInstalled, ...repositoryInstalled], repository);
    const checked = checkObjects(manifests, {
      models: settings.models,
      namespace: values.namespace,
      platform: chosen.platform,
      platformAssumed: chosen.source === 'default',
      platformCandidates: chosen.candidates,
      platformInferred: chosen.source === 'inferred',
      ...(chosen.conflict ? { platformConflict: chosen.conflict } : {}),
      ...(chosen.openShift ? { platformOnOpenShift: true } : {}),
      kueue,
      installed: [...remoteBases, ...scriptInstalled],
      // the files with a document read as no object: what they hold is not in the graph
      unreadInput: errors.filter((e) => !(e.severity === 'warning' && NOT_AN_OBJECT.test(e.message))).map((e) => e.file),
      ...delivery,
    });
    const findings = [...inputFindings(errors, values.verbose === true), ...checked.findings];
    writeFindings(
      io,
      format,
      checkReport(findings, chosen, kueue, manifests.length, values.verbose === true, checked.deliveries, checked.template, checked.terraform, checked.nodes),
      {
        wide: values.wide,
      },
    );
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
});

/** `--rules`: the registered rules as a table, or their metadata as JSON. */
function listRules(format: FindingFormat, wide: boolean, columns: number | undefined): string {
  if (format === 'table')
    return `${renderTable(
      ['RULE', 'SEVERITY', 'CATCHES'],
      REGISTERED_RULES.map((r) => [r.id, r.severity, r.title]),
      { wide, columns },
    )}\n`;
  return `${JSON.stringify({ rules: REGISTERED_RULES.map(({ id, title, severity, appliesTo, premise, example, fix, source }) => ({ id, title, severity, appliesTo, premise, example, fix, source })) }, null, 2)}\n`;
}

/** The settings of a check, each refused as a usage or input error before anything is read. */
function checkSettings(values: CheckValues, positionals: readonly string[]): { platform?: Platform; kueue?: string; models: Map<string, ModelProfile> } {
  const platform = values.platform;
  if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
    throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}, got '${platform}'`);
  if (values.kueue !== undefined && !parseKueueVersion(values.kueue)) throw new UsageError(`--kueue must be ${KUEUE_VERSION_FORMS}, got '${values.kueue}'`);
  if (values.namespace !== undefined && !isDnsLabel(values.namespace))
    throw new UsageError(`--namespace '${values.namespace}' is not a namespace name (lowercase letters, digits and '-')`);
  if (!positionals.length) throw new UsageError('give at least one file or folder to check, or - for standard input');
  requireInputPaths(positionals);
  return { platform: platform as Platform | undefined, kueue: values.kueue, models: modelsOf(values.model ?? []) };
}

/** `--model <uri>=<dir>`: each model's profile by its normalized storage URI. */
function modelsOf(specs: readonly string[]): Map<string, ModelProfile> {
  const models = new Map<string, ModelProfile>();
  for (const spec of specs) {
    const i = spec.indexOf('=', spec.indexOf('://') + 3);
    if (!spec.includes('://') || i < 0)
      throw new UsageError(`--model '${spec}' must be <storageUri>=<dir>, e.g. s3://models/mistral-small-24b/=./models/mistral`);
    try {
      models.set(normalizeUri(spec.slice(0, i)), ModelProfile.fromDirectory(spec.slice(i + 1)));
    } catch (e) {
      throw new InputError(`--model ${spec}: ${(e as Error).message}`);
    }
  }
  return models;
}

/** The objects under the paths (built with the real kustomize when asked); no object at all is an input error unless allowed. */
function readInput(positionals: readonly string[], values: CheckValues, io: Io, format: FindingFormat = 'table'): ReturnType<typeof readManifests> {
  const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
  if (values.charts !== undefined && !fs.statSync(values.charts, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--charts names no folder: ${values.charts}`);
  const charts = values.charts ?? projectCharts(positionals);
  const chartFolders = [...(charts ? [charts] : []), helmRepositoryCache()];
  const read = readManifests(positionals, { stdin: (max) => io.stdin(max), chartFolders, ...(build ? { build } : {}) });
  if (!read.manifests.length && !values['allow-empty'] && !judgedWithoutObjects(read.errors)) {
    const refusal = noObjectsRead(positionals, [...valuesFolders(read.checkouts), ...read.errors], read.skipped);
    // a CI that parses stdout gets a JSON document still: the input error, and what the reader found instead
    if (format === 'json') io.out(`${JSON.stringify({ error: refusal.message, findings: inputFindings(read.errors) }, null, 2)}\n`);
    throw refusal;
  }
  return read;
}

/**
 * A checked folder that holds no manifest but the Helm values an Application or ApplicationSet elsewhere in its
 * repository renders its chart with: said as what the folder is, so that the refusal points at the delivery to check.
 */
function valuesFolders(checkouts: readonly GitCheckout[]): { file: string; message: string }[] {
  return checkouts.flatMap((c) => {
    const users = valuesUsers(c);
    if (!users.length) return [];
    const said = users.slice(0, 3).map((u) => `${u.delivery} renders ${u.chart} with ${u.valueFile}`);
    const more = users.length > 3 ? `; and ${users.length - 3} more` : '';
    return [
      {
        file: c.folder,
        message: `holds Helm values, no manifests: ${said.join('; ')}${more}; check that delivery (from the repository's root), which renders the chart with these values`,
      },
    ];
  });
}

/** The chart folder the project file beside the paths names; a broken project file is an input error, as for the platform. */
function projectCharts(positionals: readonly string[]): string | undefined {
  try {
    return projectSettings(positionals)?.charts;
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** The platform the tree is judged for: the flag, the project default, what the tree tells, else the default. */
function judgedPlatform(
  manifests: Parameters<typeof choosePlatform>[0],
  platform: Platform | undefined,
  positionals: readonly string[],
  scripts: Parameters<typeof choosePlatform>[3],
  installed: readonly ListedRemote[],
  repository: Parameters<typeof choosePlatform>[5],
) {
  try {
    return choosePlatform(manifests, platform, positionals, scripts, installed, repository);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/**
 * On upstream KServe, the release the tree shows and where (an image tag, an install script's kserve.yaml URL), said
 * beside the platform: the platform table's release is only the newest known.
 */
function withKserveRelease(
  chosen: ReturnType<typeof choosePlatform>,
  manifests: readonly CheckInput[],
  installed: readonly ListedRemote[],
): ReturnType<typeof choosePlatform> {
  if (chosen.platform !== 'kserve') return chosen;
  const ids = manifests.map((m) => ({ manifest: m.manifest as Loose, id: objectId(m.manifest) }));
  const shown = treeKserveRelease(ids, 0, installed);
  return shown ? { ...chosen, reason: `${chosen.reason}; the tree shows KServe ${shown.release}: ${shown.from}` } : chosen;
}

/** The Kueue release the tree is judged for: the flag, the project file's, what the tree tells, else the platform's. */
function judgedKueue(
  manifests: Parameters<typeof choosePlatform>[0],
  chosen: ReturnType<typeof choosePlatform>,
  flag: string | undefined,
  positionals: readonly string[],
  remotes: readonly ListedRemote[],
  repository: () => readonly RepositoryObject[],
) {
  try {
    const project = flag === undefined ? projectSettings(positionals) : undefined;
    const setting: KueueSetting | undefined =
      flag !== undefined
        ? { version: flag, source: 'flag' }
        : project?.kueue !== undefined
          ? { version: project.kueue, source: 'project', file: project.file }
          : undefined;
    return chooseKueue(manifests, chosen.platform, { setting, platformAssumed: chosen.source === 'default', remotes, repository });
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** What check reports, in every format: the findings, the platform and Kueue and why, and the table's columns and closing lines. */
function checkReport(
  findings: OutputFinding[],
  chosen: ReturnType<typeof choosePlatform>,
  kueue: KueueChoice,
  objects: number,
  verbose: boolean,
  deliveries: readonly string[],
  template?: string,
  terraform?: string,
  nodes?: string,
): FindingReport {
  const assumed = kueue.source === 'default' ? ', assumed: pass --kueue to state it' : '';
  // the Application outside the checked folder taken as its delivery is said as the platform is
  const deliveryLines =
    deliveries.map((d) => `\ndelivery: ${d}`).join('') +
    (template ? `\ntemplate: ${template}` : '') +
    (terraform ? `\nterraform: ${terraform}` : '') +
    (nodes ? `\nnodes: ${nodes}` : '');
  const platformLine = `platform: ${chosen.platform} (${chosen.reason})\nkueue: ${kueue.release}${kueue.redHat ? ` (Red Hat build of Kueue ${kueue.redHat})` : ''} (${kueue.reason}${assumed})${deliveryLines}`;
  return {
    findings,
    platform: { id: chosen.platform, source: chosen.source, reason: chosen.reason, ...(chosen.files ? { files: chosen.files } : {}) },
    kueue: { release: kueue.release, ...(kueue.redHat ? { redHat: kueue.redHat } : {}), source: kueue.source, reason: kueue.reason },
    ...(deliveries.length ? { delivery: deliveries } : {}),
    ...(template ? { template } : {}),
    ...(terraform ? { terraform } : {}),
    ...(nodes ? { nodes } : {}),
    rules: REGISTERED_RULES,
    table: {
      header: ['SEVERITY', 'RULE', 'OBJECT', 'MESSAGE'],
      rows: textRows(findings, verbose),
      footer: `${countsLine(findings, objects)}\n${platformLine}`,
      empty: `no findings in ${objects} object(s)\n${platformLine}`,
    },
  };
}
