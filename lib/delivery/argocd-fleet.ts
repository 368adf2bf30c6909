import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { declareClusters } from '../check/app-checks';
import { KustomizeTree } from '../gitops/kustomize-tree';
import { requireDnsLabel, requireDnsSubdomain } from '../private/names';
import { constructPath } from '../private/scope';
import { repoPathPrefix, requireGitSource } from '../private/argocd';
import { lazy } from '../private/lazy';
import { clusterServer, destinationsOf, RETRY, RootShape, shapeWhenRendered, SYNC_OPTIONS } from './argocd-delivery';
import { VllmConstruct } from '../check/app-construct';
import { compareText } from '../private/collate';

/** Adds an environment's ignoreDifferences (a JSON list in its generator element; JSON is YAML) to its Application. */
const IGNORE_DIFFERENCES_PATCH = `{{- if .ignoreDifferences }}
spec:
  ignoreDifferences: {{ .ignoreDifferences }}
{{- end }}
`;

/** One cluster of a fleet and the tree root it syncs. */
export interface FleetEnvironment {
  /** The environment's name, e.g. `dev`, `prod-eu`: it names the generated Applications. */
  readonly name: string;
  /** The cluster's API server as Argo CD knows it. */
  readonly server: string;
  /** The kustomization root of the tree this environment syncs. */
  readonly root: string;
}

/** Properties of `ArgoCdFleet`. */
export interface ArgoCdFleetProps {
  /** The tree holding every environment's root. */
  readonly tree: KustomizeTree;
  /** What the environments' roots are (e.g. `serving`, `cluster`): names the ApplicationSet and its AppProject. */
  readonly name: string;
  readonly environments: FleetEnvironment[];
  /** The Git repository Argo CD syncs from. */
  readonly repoURL: string;
  /** @default 'HEAD' */
  readonly targetRevision?: string;
  /**
   * Where the output folder sits in the repository.
   * @default - `KustomizeTree.DEFAULT_OUTDIR` ('rendered'), where `KustomizeTree.write()` writes
   */
  readonly pathPrefix?: string;
  /** @default 'openshift-gitops' */
  readonly argoCdNamespace?: string;
}

/**
 * One Argo CD `ApplicationSet` (list generator) that points each cluster of a fleet at its own root of the tree, and
 * the `AppProject` its Applications run in: the one repository, each environment's server and namespaces, and
 * exactly the kinds the roots hold. Each element carries its environment's destination namespace (one the project
 * permits). The ApplicationSet controller creates its Applications at once, so nothing orders them against another
 * set's (no sync wave: it would order nothing); they retry without limit until what they need exists.
 */
export class ArgoCdFleet extends VllmConstruct {
  constructor(scope: Construct, id: string, props: ArgoCdFleetProps) {
    super(scope, id);
    const where = constructPath('ArgoCdFleet', this);
    requireGitSource(where, props);
    const name = requireDnsLabel(where, 'name', props.name);
    validateProps(where, props);
    // each environment's charts go to its cluster: their cluster-scoped objects are apart from other environments'
    declareClusters(this, () => new Map(props.environments.flatMap((e) => props.tree.chartsBuiltBy(e.root).map((c) => [c, e.server] as const))));
    const argoNs = requireDnsLabel(where, 'argoCdNamespace', props.argoCdNamespace ?? 'openshift-gitops');
    const project = requireDnsSubdomain(where, 'the AppProject name', `fleet-${name}`);
    const pathPrefix = repoPathPrefix(where, props.pathPrefix, KustomizeTree.DEFAULT_OUTDIR);
    const servers = new Map(props.environments.map((e) => [e.name, clusterServer(where, `environments[${e.name}].server`, e.server)]));
    const shapeOfRoot = new Map(props.environments.map((e) => [e.name, shapeWhenRendered(props.tree, e.root)]));
    const shapes = (): EnvironmentShape[] => props.environments.map((e) => ({ e: { ...e, server: servers.get(e.name)! }, shape: shapeOfRoot.get(e.name)!() }));
    this.renderProject(props, { name, argoNs, project, pathPrefix }, shapes);
    this.renderApplicationSet(props, { name, argoNs, project, pathPrefix }, shapes);
  }

  /** The AppProject: the one repository, each environment's destinations, exactly the kinds the roots hold. */
  private renderProject(props: ArgoCdFleetProps, n: FleetNames, shapes: () => EnvironmentShape[]): void {
    new argo.AppProject(this, 'Project', {
      metadata: { name: n.project, namespace: n.argoNs },
      spec: {
        description: `least privilege for the ${n.name} roots of every environment`,
        sourceRepos: [props.repoURL],
        destinations: lazy<argo.AppProjectSpecDestinations[]>(() => uniq(shapes().flatMap(({ e, shape }) => destinationsOf(e.server, shape)))),
        clusterResourceWhitelist: lazy<argo.AppProjectSpecClusterResourceWhitelist[]>(() => uniq(shapes().flatMap(({ shape }) => shape.clusterKinds))),
        namespaceResourceWhitelist: lazy<argo.AppProjectSpecNamespaceResourceWhitelist[]>(() => uniq(shapes().flatMap(({ shape }) => shape.namespacedKinds))),
      },
    });
  }

  /** The ApplicationSet: one list element per environment, its Applications synced automatically and retried. */
  private renderApplicationSet(props: ArgoCdFleetProps, n: FleetNames, shapes: () => EnvironmentShape[]): void {
    new argo.ApplicationSet(this, 'ApplicationSet', {
      metadata: { name: `fleet-${n.name}`, namespace: n.argoNs },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: lazy<unknown[]>(() => elementsOf(shapes(), n.pathPrefix)) } }],
        // Go templates cannot put a list into a YAML field of the template; templatePatch (Argo CD 2.10+) can, per element
        templatePatch: lazy<string | undefined>(() => (shapes().some(({ shape }) => shape.ignored.length) ? IGNORE_DIFFERENCES_PATCH : undefined)),
        template: {
          metadata: { name: `{{.environment}}-${n.name}` },
          spec: {
            project: n.project,
            source: { repoUrl: props.repoURL, targetRevision: props.targetRevision ?? 'HEAD', path: '{{.path}}' },
            destination: { server: '{{.server}}', namespace: '{{.namespace}}' },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: SYNC_OPTIONS, retry: RETRY },
          },
        },
      },
    });
  }
}

/** The names a fleet renders under. */
interface FleetNames {
  readonly name: string;
  readonly argoNs: string;
  readonly project: string;
  /** The folder the environments' paths start with, without trailing '/'. */
  readonly pathPrefix: string;
}

/** An environment (its server normalized) and what its root holds. */
interface EnvironmentShape {
  readonly e: FleetEnvironment;
  readonly shape: RootShape;
}

/** No sync wave; at least one environment, each named once and syncing a kustomization root of the tree. */
function validateProps(where: string, props: ArgoCdFleetProps): void {
  if ((props as { readonly syncWave?: unknown }).syncWave !== undefined) {
    throw new Error(
      `${where}: syncWave is not supported: the ApplicationSet controller creates its Applications at once, so a wave on them orders nothing; remove it (the Applications retry until what they need exists)`,
    );
  }
  if (!props.environments.length) throw new Error(`${where}: environments is empty; give each cluster's name, server and root`);
  const names = new Set<string>();
  for (const e of props.environments) {
    requireDnsLabel(where, 'environments[].name', e.name);
    if (names.has(e.name)) throw new Error(`${where}: environment '${e.name}' is listed twice`);
    names.add(e.name);
    if (!props.tree.kustomizationRoots.includes(e.root)) {
      throw new Error(
        `${where}: environment '${e.name}' syncs '${e.root}', which is not a kustomization root of the tree; declare it with tree.kustomization()`,
      );
    }
  }
}

/** Each list element once, in a stable order. */
function uniq<T>(list: T[]): T[] {
  return [...new Map(list.map((x) => [JSON.stringify(x), x])).values()].sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
}

/** The generator's elements: an environment whose services name hardware profiles carries its own ignoreDifferences, as JSON the patch inlines. */
function elementsOf(shapes: readonly EnvironmentShape[], prefix: string): Record<string, unknown>[] {
  const anyIgnored = shapes.some(({ shape }) => shape.ignored.length);
  return shapes.map(({ e, shape }) => ({
    environment: e.name,
    server: e.server,
    namespace: shape.destinationNamespace,
    path: prefix ? `${prefix}/${e.root}` : e.root,
    ...(anyIgnored ? { ignoreDifferences: shape.ignored.length ? JSON.stringify(shape.ignored) : '' } : {}),
  }));
}
