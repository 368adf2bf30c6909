import { mapping, text } from '../manifests/access';
import { RepositoryObject, RepositoryValues, repositoryValues } from '../manifests/repository-objects';
import type { ScriptCreated } from '../manifests/script-creations';
import type { InstallerRun } from '../manifests/installer-runs';
import { releaseServiceNames } from './release-services';
import { GraphObject, locationOf } from './graph-object';
import { ObjectGraph } from './graph';
import type { Problem } from './rule';
import { subfolderCheckouts } from './work-trees';
import { chartMakesService, RepositoryChart, repositoryCharts } from '../manifests/repository-charts';

/**
 * What a message about an object missing from a namespace adds about objects of that kind and name elsewhere: in a
 * file no kustomization lists, or in other namespaces (`why` says why those do not count).
 */
export function foundElsewhere(graph: ObjectGraph, kind: string, name: string, ns: string, why: string): string {
  const forgotten = graph.leftOutFile(kind, name, ns);
  if (forgotten) return ` (one is defined in ${forgotten}, which no kustomization lists: the build leaves it out)`;
  const others = graph
    .ofKind(kind)
    .filter((a) => text(mapping(a.manifest.metadata).name) === name)
    .map((a) => `${graph.namespaceOf(a.manifest)}${locationOf(a) ? ` (${locationOf(a)})` : ''}`);
  return others.length ? ` (the tree has one in namespace ${others.join(', ')}: ${why})` : '';
}

/**
 * The note that takes the place of a missing-object finding when a script of the checked folder creates the object
 * (`subject` as the message names it) when it runs: the pods wait (`until` says how) until the script has run. Where
 * a file of the repository outside the folder makes it (a CI workflow, an Ansible task, a guide's command), the note
 * says so, and that check sees the command, not what the object holds.
 */
export function madeByScriptNote(subject: string, kind: string, by: ScriptCreated, until: string): Problem {
  if (by.outside)
    return {
      severity: 'info',
      message:
        `${subject} is not a manifest of the tree: ${by.script} (line ${by.line}), outside the checked folder, creates it (${by.command ?? 'its command'}), ` +
        `so check does not see what it holds; until it has run ${until}: make sure it runs before the sync, or move the ${kind} into the tree`,
      summary: 'objects that a file of the repository outside the checked folder (a CI workflow, an Ansible task, a guide) creates',
    };
  return {
    severity: 'info',
    message: `${subject} is not a manifest of the tree: ${by.script} (line ${by.line}) creates it when it runs, and until then ${until}; run the script before the sync, or move the ${kind} into the tree`,
    summary: 'objects that a script of the checked folder creates when it runs',
  };
}

/** An object of the kind and name a manifest of the repository deploys outside the checked folder, and whether it lands in the namespace looked in. */
export interface RepositoryMade {
  readonly object: RepositoryObject;
  /** It lands in the namespace looked in (or the lookup is cluster-wide): no other namespace, no unknown one. */
  readonly exact: boolean;
}

/**
 * The objects the git repositories holding the checked folders deploy outside them (repositoryObjects), read once per
 * check from the files of the work tree the read walked already (checkoutWorkTree).
 */
export function repositoryObjectsOf(graph: ObjectGraph): RepositoryObject[] {
  return graph.repositoryObjects();
}

/** The values documents (no kind) of the git repositories holding the checked folders, outside them (repositoryValues), read once per check. */
export function repositoryValuesOf(graph: ObjectGraph): RepositoryValues[] {
  return graph.once('repository-values', () => subfolderCheckouts(graph).flatMap((c) => repositoryValues(c.folder, c)));
}

/**
 * The object of that kind and name (in `ns`, or any where undefined: a cluster-scoped kind) that a manifest of the
 * git repository holding the checked folder deploys outside it, one landing in that namespace first: read once per
 * check, and only when a rule is about to call an object missing (repositoryObjects).
 */
export function deployedByRepository(graph: ObjectGraph, kind: string, name: string, ns: string | undefined): RepositoryMade | undefined {
  const all = repositoryObjectsOf(graph);
  const named = all.filter((o) => o.kind === kind && o.name === name);
  const exact = named.find((o) => ns === undefined || o.namespace === ns);
  if (exact) return { object: exact, exact: true };
  return named.length ? { object: named[0], exact: false } : undefined;
}

/**
 * A missing-object finding where the repository deploys the object outside the checked folder (deployedByRepository):
 * a note where it lands in the namespace looked in, else a warning (it may be applied to that namespace, or be another
 * object of the name); both name the file and say to apply it first, then what happens without it (`problem`).
 */
export function repositoryMadeProblem(problem: Problem, made: RepositoryMade, kind: string, name: string, ns: string | undefined): Problem {
  const o = made.object;
  const where = made.exact
    ? ns === undefined
      ? ''
      : ` in namespace '${ns}'`
    : o.namespace
      ? ` in namespace '${o.namespace}', not '${ns ?? ''}' (unless it is applied there too)`
      : ' without a namespace (it lands in the namespace it is applied to)';
  const message =
    `${kind} '${name}' is made outside the checked folder: ${o.file} (line ${o.line}), a manifest of the same repository, deploys it${where}; ` +
    `apply it first${made.exact ? '' : `${ns ? ` to namespace '${ns}'` : ''}`}. Without it: ${problem.message}`;
  if (made.exact) return { ...problem, severity: 'info', message, summary: 'objects a manifest of the repository outside the checked folder deploys' };
  // a namespace the manifest states itself, where no kustomization places it elsewhere, is the only one it lands in
  // (kubectl refuses `-n` against it, and an Argo CD destination namespace does not override it): the defect stands
  if (pinnedElsewhere(o, ns))
    return {
      ...problem,
      message: `${problem.message} (${o.file}, line ${o.line}, deploys a ${kind} '${name}' in namespace '${o.namespace}', which its manifest states)`,
    };
  return { ...problem, severity: 'warning', message };
}

/** Whether the repository's object lands, by its own metadata.namespace, in a namespace other than the one looked in. */
function pinnedElsewhere(o: RepositoryMade['object'], ns: string | undefined): boolean {
  const own = text(mapping(o.manifest.metadata).namespace);
  return ns !== undefined && own !== undefined && own === o.namespace && own !== ns;
}

/**
 * The object of the kind in the namespace that the kustomize build made from one named `name` and then renamed
 * (namePrefix, nameSuffix, a generator's content hash): kustomize rewrites references to it only in the fields of its
 * nameReference configuration (built-in kinds' fields, and those a `configurations:` file adds), so a reference
 * elsewhere still holds the old name.
 */
export function renamedInBuild(graph: ObjectGraph, kind: string, name: string, ns: string | undefined): GraphObject | undefined {
  return graph.ofKind(kind).find((x) => (x.renamedFrom ?? []).includes(name) && (ns === undefined || graph.namespaceOf(x.manifest) === ns));
}

/** A missing-object finding where the build renamed the object the reference names (renamedInBuild): the reference dangles. */
export function renamedProblem(graph: ObjectGraph, problem: Problem, renamed: GraphObject, kind: string, name: string): Problem {
  const now = text(mapping(renamed.manifest.metadata).name) ?? '';
  return {
    ...problem,
    severity: problem.severity === 'info' ? 'warning' : problem.severity,
    message:
      `${kind} '${name}' is in the build as '${now}' (${graph.id(renamed)}): the kustomization renamed it (namePrefix, nameSuffix or a generator's hash) and kustomize rewrote the references to it only in the fields its nameReference configuration lists, which this one is not, so it still names '${name}', which does not exist; ` +
      `add a \`configurations:\` file with a nameReference entry of ${kind} for this field, or write '${now}' here. Without it: ${problem.message}`,
  };
}

/**
 * The problem as it stands, or as repositoryMadeProblem turns it where the repository deploys the object outside the
 * checked folder; not where a file of the checked folder holds the object and the build leaves that file out.
 */
export function unlessRepositoryMakes(graph: ObjectGraph, problem: Problem, kind: string, name: string, ns: string | undefined): Problem {
  // a file of the checked folder that its build leaves out says where the object was meant to come from: the defect stands
  const renamed = renamedInBuild(graph, kind, name, ns);
  if (renamed) return renamedProblem(graph, problem, renamed, kind, name);
  if (problem.severity === 'info' || graph.leftOutFile(kind, name, ns)) return problem;
  const made = deployedByRepository(graph, kind, name, ns);
  if (made) return repositoryMadeProblem(problem, made, kind, name, ns);
  const installer = kind === 'Service' ? installerMaking(graph, name, ns) : undefined;
  if (installer) return installerMadeProblem(problem, installer, name);
  const chart = kind === 'Service' ? chartMaking(graph, name) : undefined;
  return chart ? chartMadeProblem(problem, chart, name) : problem;
}

/** The run of a well-known installer whose Helm release makes a Service of the name in the namespace (the chart's Services, named from the release). */
function installerMaking(graph: ObjectGraph, name: string, ns: string | undefined): InstallerRun | undefined {
  return graph.installerRuns.find(
    (r) => (ns === undefined || r.namespace === ns) && releaseServiceNames({ ...r, values: {}, valuesElsewhere: false, origin: r.file })?.includes(name),
  );
}

/**
 * A missing-Service finding where the tree runs an installer the check does not follow whose release makes the
 * Service: a note naming the installer; what happens without it follows.
 */
function installerMadeProblem(problem: Problem, run: InstallerRun, name: string): Problem {
  return {
    ...problem,
    severity: 'info',
    message: `Service '${name}' is made by an installer the check does not follow: ${run.file}:${run.line} runs ${run.installer}, which installs chart ${run.chart} as release '${run.release}' in namespace '${run.namespace}', and that release makes it. Without it: ${problem.message}`,
  };
}

/** The local Helm charts of the git repositories holding the checked folders (repositoryCharts), read once per check. */
function chartsOf(graph: ObjectGraph): RepositoryChart[] {
  return graph.once('repository-charts', () => subfolderCheckouts(graph).flatMap((c) => repositoryCharts(c)));
}

/** The local chart of the repository that would make a Service of the name (chartMakesService). */
function chartMaking(graph: ObjectGraph, name: string): RepositoryChart | undefined {
  return chartsOf(graph).find((c) => chartMakesService(c, name));
}

/**
 * A missing-Service finding where a local Helm chart of the repository would make the Service: a note naming the
 * chart and the release it is installed as, to install first; what happens without it follows.
 */
function chartMadeProblem(problem: Problem, chart: RepositoryChart, name: string): Problem {
  const release = chart.releases.length ? `installed as release ${chart.releases.map((r) => `'${r}'`).join(', ')}` : `installed as release '${chart.name}'`;
  return {
    ...problem,
    severity: 'info',
    message: `Service '${name}' is made outside the checked folder: the Helm chart ${chart.folder} (${chart.name}) of the same repository makes it when ${release}; install it first. Without it: ${problem.message}`,
    summary: 'Services a local Helm chart of the repository outside the checked folder makes',
  };
}

/** unlessRepositoryMakes for a problem that may be none. */
export function repositoryOr(graph: ObjectGraph, problem: Problem | undefined, kind: string, name: string, ns: string | undefined): Problem | undefined {
  return problem && unlessRepositoryMakes(graph, problem, kind, name, ns);
}

/** What the premise of a rule judging missing objects says of those the repository deploys outside the checked folder. */
export const REPOSITORY_PREMISE =
  '; where the git repository holding the checked folder deploys the object in another of its folders (a manifest there, or a manifest heredoc its Terraform configuration applies: kubectl_manifest yaml_body, kubernetes_manifest yamldecode; in its own namespace or that of the kustomization and overlays that list it; test data, vendored charts and Helm templates not read), the finding names that file and says to apply it first: a note where it lands in the namespace looked in, else a warning; a Service a local Helm chart of the repository (a folder with Chart.yaml) would make is a note naming the chart: one its templates name literally, or `{{ .Release.Name }}` or the `<chart>.fullname` helper (the release name where it holds the chart name, else `<release>-<chart>`: the _helpers.tpl of the helm create scaffold), with a suffix, for a release a script or guide of the repository installs the chart as (`helm install <release> <chart folder>`), else the chart name; not where a file of the checked folder that its build leaves out holds the object (the defect stands); where the build holds an object of the kind in that namespace renamed from the name referenced (namePrefix, nameSuffix, a generator content hash: kustomize api/filters/nameref rewrites references only in the fields of its nameReference configuration, builtinpluginconsts/namereference.go, and of the configurations: files of the build), the finding says the reference dangles because kustomize did not rewrite it, with the fix (a configurations: nameReference entry, or the built name), at the severity of the rule';
