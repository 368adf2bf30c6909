import * as path from 'path';
import { PLATFORM_IDS, PLATFORMS } from '../platform/platform';
import { schemaSetFiles } from '../platform/schema-sets';
import { servedApis } from '../platform/served-apis';

/**
 * A kind's resource name as the API server registers it, by Kubernetes' own guess (apimachinery
 * pkg/api/meta/restmapper.go UnsafeGuessKindToResource): lower case, `s` after a final s → `es`, a final y → `ies`,
 * `endpoints` unchanged. Kubernetes' built-in kinds follow it (ingresses, networkpolicies, endpoints).
 */
export function resourceOfKind(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular.endsWith('endpoints')) return singular;
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

let known: ReadonlyMap<string, ReadonlySet<string>> | undefined;

/**
 * The API groups serving each resource the project knows, on any platform: Kubernetes' own groups and the closed
 * groups of servedApis (by their kinds' resource names), and the CRDs of every shipped schema set (a file is named
 * `<plural>.<group>.json`). A resource not in the map may be any other operator's.
 */
export function resourceGroups(): ReadonlyMap<string, ReadonlySet<string>> {
  if (known) return known;
  const out = new Map<string, Set<string>>();
  const add = (resource: string, group: string) => out.set(resource, (out.get(resource) ?? new Set()).add(group));
  for (const id of PLATFORM_IDS) {
    for (const [group, served] of servedApis(id)) if (served.closed) Object.keys(served.kinds).forEach((k) => add(resourceOfKind(k), group));
    for (const file of PLATFORMS[id].schemaSets.flatMap(schemaSetFiles)) {
      const name = path.basename(file, '.json');
      add(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
    }
  }
  known = out;
  return out;
}
