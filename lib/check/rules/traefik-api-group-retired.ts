import { Problem, Rule } from '../rule';
import { traefikInstalls } from '../traefik-installs';

/** The API group Traefik v2 read its resources in, which Traefik v3's kubernetesCRD provider no longer reads. */
const RETIRED_GROUP = 'traefik.containo.us';

/** The kinds Traefik v2 served in traefik.containo.us (traefik v2.11 docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml). */
const TRAEFIK_KINDS: readonly string[] = [
  'IngressRoute',
  'IngressRouteTCP',
  'IngressRouteUDP',
  'Middleware',
  'MiddlewareTCP',
  'TraefikService',
  'TLSOption',
  'TLSStore',
  'ServersTransport',
];

/** What an unread object of a kind leaves undone. */
function harmOf(kind: string): string {
  if (kind.startsWith('IngressRoute')) return 'its routes are never made, so requests for its hosts and paths get 404';
  if (kind.startsWith('Middleware')) return 'a route of traefik.io naming it is refused as a whole ("middleware … does not exist")';
  return 'what it configures is never applied';
}

export const traefikApiGroupRetired: Rule = {
  id: 'traefik-api-group-retired',
  title: 'a Traefik resource of the traefik.containo.us group where the tree installs Traefik v3, which reads only traefik.io: it is ignored',
  severity: 'error',
  appliesTo: TRAEFIK_KINDS,
  premise:
    "an object of API group traefik.containo.us (IngressRoute, IngressRouteTCP, IngressRouteUDP, Middleware, MiddlewareTCP, TraefikService, TLSOption, TLSStore, ServersTransport) in a tree that installs Traefik, every install it shows being of the v3 line: a traefik chart release (a Flux HelmRelease, an Argo CD Application chart source, a script's helm install or upgrade) of chart version 28 or later, or whose values set image.tag to a v3 Traefik; a workload running the traefik image (or k3s's rancher/mirrored-library-traefik) tagged v3. " +
    'An error where a version is written; a warning where the v3 line is inferred (a chart release with no version or `*`, an image with no tag or latest: the latest is v3 today). Where the tree shows no install, those of the repository around it count (a HelmRelease, with its OCIRepository, or an Argo CD Application of chart traefik in a manifest outside the checked folder, as the Kueue release is read). Not judged where any install of the tree runs Traefik v2 (a chart before 28, an image tagged v2), nor where the tree installs no Traefik',
  example: '`apiVersion: traefik.containo.us/v1alpha1`, `kind: IngressRoute` beside a HelmRelease of chart traefik, version 34.4.1',
  fix: 'write apiVersion traefik.io/v1alpha1 (the same kinds and fields; Traefik v2.10 and later read it too)',
  source:
    'Traefik v3 migration guide (doc.traefik.io/traefik/migration/v2-to-v3, "Kubernetes CRDs API Group traefik.containo.us": removed in v3, use traefik.io), traefik/traefik v3 pkg/provider/kubernetes/crd (its informers and generated clients are for traefik.io/v1alpha1 only); traefik/traefik-helm-chart v28.0.0 (the first chart of Traefik v3, appVersion v3.0.0) and its CRDs of group traefik.io; a router naming a middleware Traefik does not know is refused with "middleware … does not exist" (traefik pkg/server/middleware/middlewares.go)',
  check(o, { graph }) {
    const apiVersion = String(o.manifest.apiVersion ?? '');
    if (!apiVersion.startsWith(`${RETIRED_GROUP}/`)) return [];
    const installs = traefikInstalls(graph);
    if (!installs.length || installs.some((i) => i.major < 3)) return [];
    const stated = installs.filter((i) => i.stated);
    const shown = (stated.length ? stated : installs).map((i) => i.origin).join(', ');
    const kind = String(o.manifest.kind);
    return [
      {
        ...(stated.length ? {} : { severity: 'warning' as const }),
        message:
          `apiVersion is ${apiVersion}, but ${installs.some((i) => i.repository) ? 'the repository around the tree' : 'the tree'} installs Traefik v3 (${shown}), whose kubernetesCRD provider reads ${kind} only in group traefik.io: ` +
          `Traefik never sees this ${kind}: ${harmOf(kind)}${stated.length ? '' : ' (the v3 line is inferred: no version is written, and the latest is v3)'}; ` +
          `write apiVersion traefik.io/${apiVersion.split('/')[1] ?? 'v1alpha1'}`,
      } satisfies Problem,
    ];
  },
};
