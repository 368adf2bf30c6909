import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { normalizeGitUrl } from './git-url';
import { globMatch, isDenyPattern, pathMatch } from './glob';

/**
 * An AppProject's permission checks, ported from Argo CD (`pkg/apis/application/v1alpha1/app_project_types.go`,
 * `types.go`, `util/argo/argo.go` ValidatePermissions, `controller/sync.go` validateSyncPermissions), on the project's
 * manifest as read.
 */

/** Where an Application sends its objects. */
export interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace: string;
}

/**
 * The cluster Argo CD runs in, which it knows without a cluster Secret: server `KubernetesInternalAPIServerAddr`,
 * name `KubernetesInClusterName` (pkg/apis/application/v1alpha1/application_defaults.go, util/db/cluster.go): one cluster.
 */
export const IN_CLUSTER = { server: 'https://kubernetes.default.svc', name: 'in-cluster' };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** `isDestinationMatched`: a deny pattern that does not match refuses at once; else any plain match permits. */
function destinationMatched(destinations: Loose[], dst: Destination): boolean {
  let any = false;
  for (const item of destinations) {
    const itemName = str(item.name);
    const itemServer = str(item.server);
    const itemNamespace = str(item.namespace);
    const nameMatched = !!dst.name && globMatch(itemName, dst.name, true);
    const serverMatched = !!dst.server && globMatch(itemServer, dst.server, true);
    const namespaceMatched = globMatch(itemNamespace, dst.namespace, true);
    if ((serverMatched || nameMatched) && namespaceMatched) any = true;
    // Go's operator precedence: a || (b && c)
    else if ((!nameMatched && isDenyPattern(itemName)) || (!serverMatched && isDenyPattern(itemServer) && namespaceMatched)) return false;
    else if (!namespaceMatched && isDenyPattern(itemNamespace) && serverMatched) return false;
  }
  return any;
}

/**
 * `IsDestinationPermitted` (without `permitOnlyProjectScopedClusters`, which needs the cluster Secrets). Argo CD
 * knows a cluster by its server and its name; `check` knows both only for the in-cluster cluster. When the
 * Application gives one and the project's entries would need the other, the verdict is unknown (undefined).
 */
export function isDestinationPermitted(project: Loose, dst: Destination): boolean | undefined {
  const destinations = mappings(mapping(project.spec).destinations);
  const server = dst.server || (dst.name === IN_CLUSTER.name ? IN_CLUSTER.server : undefined);
  const name = dst.name || (dst.server === IN_CLUSTER.server ? IN_CLUSTER.name : undefined);
  const known: Destination = { namespace: dst.namespace, ...(server ? { server } : {}), ...(name ? { name } : {}) };
  const permitted = destinationMatched(destinations, known);
  if (!permitted && (!server || !name)) {
    // the unknown half of the cluster could decide it either way
    const unknownUsed = destinations.some((d) => (!server ? str(d.server) : str(d.name)) !== '');
    if (unknownUsed) return undefined;
  }
  return permitted;
}

/** `IsSourcePermitted`: source repositories compared after Argo CD's URL normalisation; `!` patterns refuse. */
export function isSourcePermitted(project: Loose, repoURL: string): boolean {
  const src = normalizeGitUrl(repoURL);
  let any = false;
  for (const repo of strings(mapping(project.spec).sourceRepos)) {
    const normalized = isDenyPattern(repo) ? `!${normalizeGitUrl(repo.slice(1))}` : normalizeGitUrl(repo);
    const matched = globMatch(normalized, src, true, '/');
    if (matched) any = true;
    else if (isDenyPattern(normalized)) return false;
  }
  return any;
}

/** `isResourceInList` / `isNamedResourceInList`: group, kind (and for cluster lists, name) by filepath.Match. */
function inList(list: Loose[], group: string, kind: string, name?: string): boolean {
  return list.some(
    (item) =>
      pathMatch(str(item.kind), kind) && pathMatch(str(item.group), group) && (name === undefined || !str(item.name) || pathMatch(str(item.name), name)),
  );
}

/**
 * `IsGroupKindNamePermitted`: a namespaced kind is permitted when the namespace whitelist is absent (nil) or lists
 * it, and the blacklist does not; a cluster-scoped one only when the cluster whitelist lists it (with the object's
 * name, when the entry gives one) and the blacklist does not. An empty list (`[]`) permits nothing.
 */
export function isGroupKindNamePermitted(project: Loose, group: string, kind: string, name: string, namespaced: boolean): boolean {
  const spec = mapping(project.spec);
  if (namespaced) {
    const allow = spec.namespaceResourceWhitelist;
    const whitelisted = allow === undefined || allow === null || (Array.isArray(allow) && allow.length > 0 && inList(mappings(allow), group, kind));
    const deny = mappings(spec.namespaceResourceBlacklist);
    return whitelisted && !(deny.length > 0 && inList(deny, group, kind));
  }
  const allow = mappings(spec.clusterResourceWhitelist);
  const deny = mappings(spec.clusterResourceBlacklist);
  return allow.length > 0 && inList(allow, group, kind, name) && !(deny.length > 0 && inList(deny, group, kind, name));
}

/** The project's name as Argo CD prints it. */
export const projectName = (project: Loose) => text(mapping(project.metadata).name) ?? '';
