import { Loose, mapping, mappings, text } from '../../manifests/access';
import { servedApis } from '../../platform/served-apis';
import { generatedFrom } from '../application-sets';
import { Problem, Rule } from '../rule';

/** The platform whose API table names the groups of Kubernetes and OpenShift (the same groups on every platform id). */
const TABLE_PLATFORM = 'rhoai-3.0' as const;

/** An entry's group or kind with glob characters (argo-cd diff_normalizer.go matches both with glob.Match). */
const GLOB = /[*?[\]{}]/;

/** The ignoreDifferences of an Application, or of the template an ApplicationSet fills, with where they sit. */
function entriesOf(o: { manifest: Loose }): { at: string; entries: Loose[] } {
  if (o.manifest.kind === 'ApplicationSet')
    return { at: 'spec.template.spec.ignoreDifferences', entries: mappings(mapping(mapping(mapping(o.manifest.spec).template).spec).ignoreDifferences) };
  return { at: 'spec.ignoreDifferences', entries: mappings(mapping(o.manifest.spec).ignoreDifferences) };
}

/** The groups that serve a kind, from the platform's API table. */
function groupsServing(kind: string): string[] {
  return [...servedApis(TABLE_PLATFORM)].filter(([, g]) => g.kinds[kind] || g.addOns?.[kind]).map(([group]) => group || 'core ("")');
}

export const argocdIgnoreDifferenceUnmatched: Rule = {
  id: 'argocd-ignore-difference-unmatched',
  title:
    'an Argo CD ignoreDifferences entry names a kind its group does not serve (kind Group under rbac.authorization.k8s.io): it matches no resource, so the difference it was meant to hide stays',
  severity: 'warning',
  appliesTo: ['Application', 'ApplicationSet'],
  premise:
    "an Application's spec.ignoreDifferences entry, or one of an ApplicationSet's template (its generated Applications are not judged again), whose group (empty: the core group) is one the platform's API table knows whole (Kubernetes', OpenShift's, KServe's, Kueue's, OpenShift AI's) and whose kind that group does not serve, neither written with glob characters: Argo CD matches an entry by group and kind (and name and namespace when given), so it never applies and the Application shows the difference as OutOfSync (or selfHeal keeps reverting it). Names and namespaces matching nothing delivered are not judged",
  example: 'ignoreDifferences `kind: Group` with `group: rbac.authorization.k8s.io`',
  fix: 'write the group that serves the kind (user.openshift.io for an OpenShift Group; the message names the groups serving it)',
  source:
    'argo-cd util/argo/normalizers/diff_normalizer.go (ignoreNormalizer.Normalize: glob.Match of the entry\'s group and kind against the resource\'s GroupKind, then name and namespace when set); argo-cd docs user-guide/diffing.md "Application Level Configuration"; the served groups of lib/platform/served-apis.ts',
  check(o, { platform }) {
    if (o.manifest.kind === 'Application' && generatedFrom(o)) return [];
    const apis = servedApis(platform === 'rhoai-2' ? TABLE_PLATFORM : platform);
    const { at, entries } = entriesOf(o);
    return entries.flatMap((d, i): Problem[] => {
      const kind = text(d.kind);
      const group = text(d.group) ?? '';
      if (!kind || GLOB.test(kind) || GLOB.test(group)) return [];
      const served = apis.get(group);
      if (!served?.closed || served.kinds[kind] || served.addOns?.[kind]) return [];
      const elsewhere = groupsServing(kind);
      return [
        {
          message:
            `${at}[${i}] names kind ${kind} in group '${group}', which does not serve it: the entry matches no resource Argo CD compares, so the differences it lists are not ignored` +
            (elsewhere.length ? `; ${kind} is served in ${elsewhere.join(', ')}: write that group` : '; write the group that serves the kind'),
        },
      ];
    });
  },
};
