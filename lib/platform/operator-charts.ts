/**
 * Helm charts that install an operator together with its CustomResourceDefinitions: once such a chart is installed the
 * operator's kinds are served; before, no custom resource of them can be applied or dry-run. Charts not listed are
 * never judged.
 */
export interface OperatorChart {
  readonly chart: string;
  /** The repositories it is published from, without scheme or trailing slash (`helm.ngc.nvidia.com/nvidia`). */
  readonly repositories: readonly string[];
  readonly operator: string;
  /** API groups every kind of which the chart's CRDs declare. */
  readonly groups: readonly string[];
  /**
   * Where the CRDs are: a crds/ folder (Argo CD renders it with `helm template --include-crds` unless the source sets
   * helm.skipCrds: argo-cd util/helm/cmd.go) or templates (rendered like any template; `switch` turns them off).
   */
  readonly placed: 'crds-folder' | 'templates';
  /** The values field that, false, leaves the CRDs out. */
  readonly switch?: readonly string[];
  readonly source: string;
}

export const OPERATOR_CHARTS: readonly OperatorChart[] = [
  {
    chart: 'gpu-operator',
    repositories: ['helm.ngc.nvidia.com/nvidia'],
    operator: 'the NVIDIA GPU operator',
    groups: ['nvidia.com'],
    placed: 'crds-folder',
    source: 'NVIDIA/gpu-operator deployments/gpu-operator/crds (nvidia.com_clusterpolicies.yaml, nvidia.com_nvidiadrivers.yaml)',
  },
  {
    chart: 'kuberay-operator',
    repositories: ['ray-project.github.io/kuberay-helm'],
    operator: 'the KubeRay operator',
    groups: ['ray.io'],
    placed: 'crds-folder',
    source: 'ray-project/kuberay helm-chart/kuberay-operator/crds (ray.io_rayclusters.yaml, ray.io_rayjobs.yaml, ray.io_rayservices.yaml)',
  },
  {
    chart: 'kueue',
    repositories: ['registry.k8s.io/kueue/charts'],
    operator: 'Kueue',
    groups: ['kueue.x-k8s.io'],
    placed: 'templates',
    source: 'kubernetes-sigs/kueue charts/kueue/templates/crd (kueue.x-k8s.io_clusterqueues.yaml and the other kinds, rendered unconditionally)',
  },
  {
    chart: 'keda',
    repositories: ['kedacore.github.io/charts', 'ghcr.io/kedacore/charts'],
    operator: 'KEDA',
    groups: ['keda.sh'],
    placed: 'templates',
    switch: ['crds', 'install'],
    source: 'kedacore/charts keda/templates/crds (crd-scaledobjects.yaml and the other keda.sh kinds, if .Values.crds.install)',
  },
  {
    chart: 'cloudnative-pg',
    repositories: ['cloudnative-pg.github.io/charts'],
    operator: 'the CloudNativePG operator',
    groups: ['postgresql.cnpg.io'],
    placed: 'templates',
    switch: ['crds', 'create'],
    source:
      'cloudnative-pg/charts charts/cloudnative-pg/templates/crds/crds.yaml (Cluster, Pooler, Backup and the other postgresql.cnpg.io kinds, if .Values.crds.create, true by default)',
  },
];

/** A chart repository as the catalog writes it: no scheme (https://, oci://), no trailing slash. */
export const bareRepository = (url: string) => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');

/** The catalogued chart of that name and repository whose CRDs declare the group. */
export function chartInstalling(chart: string, repository: string, group: string): OperatorChart | undefined {
  return OPERATOR_CHARTS.find((c) => c.chart === chart && c.repositories.includes(bareRepository(repository)) && c.groups.includes(group));
}
