import { mapping, text } from '../../manifests/access';
import { chartCrdGroups } from '../../catalog/chart-crds';
import { FluxApplySet, fluxApplySets } from '../flux-kustomizations';
import { GraphObject } from '../graph-object';
import { ANY_KIND, Rule } from '../rule';

/** The API group of an object (none for the core group). */
const groupOf = (o: GraphObject) => (text(o.manifest.apiVersion) ?? '').split('/').slice(0, -1).join('/');

/** The chart a Flux HelmRelease installs (spec.chart.spec.chart), when its CRDs are installed: not install.crds Skip, nor the chart's switch set false in spec.values. */
function crdGroupsInstalled(h: GraphObject): readonly string[] {
  const spec = mapping(h.manifest.spec);
  const chart = chartCrdGroups(text(mapping(mapping(spec.chart).spec).chart) ?? '');
  if (!chart || text(mapping(spec.install).crds) === 'Skip') return [];
  let value: unknown = spec.values;
  for (const key of chart.switch ?? []) value = mapping(value)[key];
  return chart.switch && value === false ? [] : chart.groups;
}

const isHelmRelease = (o: GraphObject) => o.manifest.kind === 'HelmRelease' && /^helm\.toolkit\.fluxcd\.io\//.test(text(o.manifest.apiVersion) ?? '');
const shown = (o: GraphObject) => `${String(o.manifest.kind)}/${text(mapping(o.manifest.metadata).name) ?? ''}`;

/** The HelmReleases of an apply set that bring a group's CRDs, when every HelmRelease of the input that does so is in that set. */
function installersIn(set: FluxApplySet, group: string, all: readonly GraphObject[]): GraphObject[] {
  const bringing = all.filter((h) => isHelmRelease(h) && crdGroupsInstalled(h).includes(group));
  return bringing.length && bringing.every((h) => set.objects.includes(h)) ? bringing : [];
}

export const fluxCrBeforeChartCrd: Rule = {
  id: 'flux-cr-before-chart-crd',
  title:
    'custom resources applied by the same Flux Kustomization as the HelmRelease whose chart installs their CRDs: the dry-run fails on a new cluster and nothing is applied',
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "a kustomize.toolkit.fluxcd.io Kustomization of the repository the input shows (not suspended) applies, in one kustomize build (its path's, as flux-object-namespace-missing reads it, or the bootstrap folder that holds the Kustomization itself), a custom resource of an API group whose CRDs a Flux HelmRelease of that same build installs (charts known to install them by default: metallb's metallb.io, kube-prometheus-stack's and prometheus-operator-crds' monitoring.coreos.com, keda's keda.sh, kuberay-operator's ray.io; not when the HelmRelease sets install.crds Skip or the chart's CRD switch false in spec.values); " +
    'the input declares no CustomResourceDefinition of that group, and no HelmRelease of the chart sits outside that build (another Kustomization, reached by dependsOn, may have installed it first); said once, on the first such resource of the build, naming the others',
  example:
    'a kustomization listing `infrastructure/metallb` (a HelmRelease of the metallb chart) and `infrastructure-config/metallb-config` (an IPAddressPool), applied by the Flux Kustomization flux-system',
  fix: 'move the custom resources into their own Flux Kustomization with `dependsOn` naming the one that holds the HelmRelease (and `wait: true` there, or a healthCheck of the HelmRelease), so they are applied once the chart has installed their CRDs',
  source:
    "fluxcd/kustomize-controller applies a Kustomization's build with fluxcd/pkg ssa ResourceManager.ApplyAllStaged: CustomResourceDefinitions and Namespaces of the build first, then the rest with ApplyAll, which dry-runs every object before applying any, so one object whose kind the API server does not serve yet (`no matches for kind`) fails the whole stage; the HelmRelease is in that stage, so helm-controller never installs the chart that would serve the kind; the catalogue: lib/catalog/chart-crds.ts CHART_CRD_GROUPS",
  check(o, { graph }) {
    const group = groupOf(o);
    if (!group.includes('.') || isHelmRelease(o)) return [];
    if (graph.ofKind('CustomResourceDefinition').some((c) => text(mapping(c.manifest.spec).group) === group)) return [];
    for (const set of fluxApplySets(graph)) {
      if (!set.objects.includes(o)) continue;
      const installers = installersIn(set, group, graph.objects);
      if (!installers.length) continue;
      const resources = set.objects.filter((x) => groupOf(x) === group && !isHelmRelease(x));
      if (resources[0] !== o) return [];
      const others = resources.slice(1).map(shown);
      const k = `Flux Kustomization '${text(mapping(set.kustomization.manifest.metadata).name) ?? ''}'`;
      return [
        {
          message:
            `${k} applies this ${group} resource${others.length ? ` (and ${others.join(', ')})` : ''} together with ${installers.map(shown).join(', ')}, whose chart installs the ${group} CRDs: ` +
            `on a cluster without them kustomize-controller's dry-run fails "no matches for kind ${String(o.manifest.kind)}" and applies nothing of the stage, the HelmRelease included, so the CRDs never come; ` +
            'put the custom resources in their own Flux Kustomization with `dependsOn` naming the one that holds the HelmRelease',
        },
      ];
    }
    return [];
  },
};
