import { text } from '../../manifests/access';
import { PLATFORMS as PLATFORM_TABLE } from '../../platform/platform';
import { servedApis } from '../../platform/served-apis';
import { ANY_KIND, Problem, Rule } from '../rule';

/** The kind a misspelt one most likely meant: the served kind that differs only in case. */
function sameButCase(kind: string, kinds: readonly string[]): string | undefined {
  return kinds.find((k) => k.toLowerCase() === kind.toLowerCase());
}

export const kindNotServed: Rule = {
  id: 'kind-not-served',
  title: "an apiVersion and kind the platform's API server does not serve (a kind unknown in its group, a version no longer served): the apply fails",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "the object's API group is one the platform data knows: Kubernetes' own groups, Kueue, KServe and OpenShift AI's operator groups are judged whole (an unknown kind is an error); the other groups of the platform's shipped CRDs (Argo CD, MachineSet, KEDA, prometheus-operator) only by the versions of their known kinds; groups the tool knows nothing of (other operators' CRDs) are not judged",
  example: '`apiVersion: datasciencecluster.opendatahub.io/v1` with `kind: DataScienceProject`',
  fix: 'write a kind and version the platform serves (a data science project is a Namespace labelled opendatahub.io/dashboard: "true"), or install the operator that serves it before sync',
  source:
    'the API server serves only the kinds of its groups and CRDs (kubectl: "no matches for kind … in version …"; Argo CD: "the server could not find the requested resource"); Kueue and KServe CRDs at the releases of the platform table',
  check(o, { platform }) {
    if (platform === 'rhoai-2') return [];
    const m = o.manifest;
    const apiVersion = text(m.apiVersion);
    const kind = text(m.kind);
    if (!apiVersion || !kind) return [];
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const served = servedApis(platform).get(group);
    if (!served) return [];
    const label = PLATFORM_TABLE[platform].label;
    const failure = `the apply fails with "no matches for kind \\"${kind}\\" in version \\"${apiVersion}\\""`;
    const versions = served.kinds[kind];
    if (!versions) {
      if (!served.closed) return [];
      const kinds = Object.keys(served.kinds).sort();
      const meant = sameButCase(kind, kinds);
      return [
        {
          message:
            `kind ${kind} is not served in ${group || 'the core group'} on ${label}: ${failure}; ` +
            (meant ? `write kind: ${meant}` : `it serves ${kinds.join(', ')}`),
        } satisfies Problem,
      ];
    }
    if (versions.includes(version)) return [];
    const write = versions.map((v) => (group ? `${group}/${v}` : v));
    return [{ message: `${apiVersion} is not served for ${kind} on ${label}: ${failure}; write ${write.join(' or ')}` }];
  },
};
