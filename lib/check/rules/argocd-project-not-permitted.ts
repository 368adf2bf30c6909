import { mapping, mappings, text } from '../../manifests/access';
import { isClusterScoped } from '../../manifests/scope';
import { applicationPaths, objectsAt } from '../argocd-paths';
import { GraphObject } from '../graph';
import { Rule } from '../rule';

type GroupKind = { group?: unknown; kind?: unknown };

/** Argo CD's glob match of one group/kind pattern ('*' matches anything). */
function matches(list: GroupKind[], group: string, kind: string): boolean {
  const glob = (pattern: unknown, value: string) => {
    const p = typeof pattern === 'string' ? pattern : '';
    return (
      p === '*' ||
      p === value ||
      (p.includes('*') &&
        new RegExp(
          `^${p
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(value))
    );
  };
  return list.some((e) => glob(e.group, group) && glob(e.kind, kind));
}

export const argocdProjectNotPermitted: Rule = {
  id: 'argocd-project-not-permitted',
  title: 'an object an Application delivers is of a kind, or in a namespace, that its AppProject does not permit',
  severity: 'error',
  appliesTo: ['Application'],
  premise: "the Application's AppProject is in the tree, and the objects its path builds are in the checked input",
  example: 'a MachineSet moved into the serving folder, whose project permits no cluster-admin kinds',
  fix: "move the object to the app whose project permits it, or widen the project's whitelist deliberately",
  source: 'Argo CD refuses the sync: "resource <group>:<kind> is not permitted in project <name>"',
  check(o, { graph }) {
    const projectName = text(mapping(o.manifest.spec).project);
    const project = projectName ? graph.find('AppProject', projectName) : undefined;
    if (!project) return [];
    const spec = mapping(project.manifest.spec);
    const clusterAllow = mappings(spec.clusterResourceWhitelist);
    const clusterDeny = mappings(spec.clusterResourceBlacklist);
    const nsAllow = 'namespaceResourceWhitelist' in spec ? mappings(spec.namespaceResourceWhitelist) : [{ group: '*', kind: '*' }];
    const nsDeny = mappings(spec.namespaceResourceBlacklist);
    const destinations = mappings(spec.destinations).map((d) => text(d.namespace) ?? '');
    const appNs = text(mapping(mapping(o.manifest.spec).destination).namespace);
    const refused = new Map<string, string>();
    const seen = new Set<GraphObject>();
    for (const path of applicationPaths(o)) {
      for (const x of objectsAt(graph, path)) {
        if (seen.has(x)) continue;
        seen.add(x);
        const kind = String(x.manifest.kind);
        const apiVersion = String(x.manifest.apiVersion ?? '');
        const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
        const id = graph.id(x);
        if (isClusterScoped(kind)) {
          if (!matches(clusterAllow, group, kind) || matches(clusterDeny, group, kind)) refused.set(id, `${group || 'core'}/${kind} (cluster-scoped)`);
          continue;
        }
        if (!matches(nsAllow, group, kind) || matches(nsDeny, group, kind)) {
          refused.set(id, `${group || 'core'}/${kind}`);
          continue;
        }
        const ns = graph.namespaceOf(x) ?? appNs;
        if (
          ns &&
          destinations.length &&
          !destinations.some((d) => d === ns || d === '*' || (d.includes('*') && new RegExp(`^${d.split('*').join('.*')}$`).test(ns)))
        ) {
          refused.set(id, `namespace '${ns}'`);
        }
      }
    }
    return [...refused].map(([id, what]) => ({
      message: `delivers ${id}, but AppProject '${projectName}' does not permit ${what}; Argo CD refuses the sync ("… is not permitted in project ${projectName}"): move the object to an app whose project permits it, or widen the project deliberately`,
    }));
  },
};
