import { mapping, stringMap, text } from '../manifests/access';
import { CONNECTIONS_ANNOTATION } from '../k8s/keys';
import { isCustomResource } from './credentials/object-fields';
import { ObjectGraph } from './graph';
import type { GraphObject } from './graph-object';
import { Platform } from './platform';

/**
 * ServiceAccounts OpenShift makes in every namespace: openshift-controller-manager's serviceaccount controller makes
 * the managed names of its config, builder and deployer (pkg/cmd/controller/serviceaccount.go
 * RunServiceAccountController; `default` it leaves to Kubernetes); OpenShift Pipelines' namespace sync makes
 * `pipeline` (tektoncd/operator pkg/reconciler/openshift/namespacesync).
 */
const OPENSHIFT_ACCOUNTS = ['builder', 'deployer', 'pipeline'];

/** odh-model-controller's account for ModelMesh services, made in their namespace (internal/controller/constants ModelMeshServiceAccountName). */
const MODELMESH_ACCOUNT = 'modelmesh-serving-sa';

/**
 * The accounts data-science-pipelines-operator makes for each DataSciencePipelinesApplication <dspa>
 * (config/internal/apiserver/default sa_pipeline-runner.yaml.tmpl and sa_ds-pipeline.yaml.tmpl); the dashboard
 * creates pipeline servers outside Git, so the prefix alone passes.
 */
const PIPELINE_ACCOUNT_PREFIXES = ['pipeline-runner-', 'ds-pipeline-'];

/**
 * Why a controller makes the account of that name in the namespace, when one does: Kubernetes' `default`
 * (kube-controller-manager serviceaccounts controller); on OpenShift AI also OpenShift's, the pipelines', ModelMesh's,
 * the Notebook's own (odh-notebook-controller notebook_oauth.go NewNotebookServiceAccount: the Notebook's name) and
 * `<connection>-sa` for a service annotated opendatahub.io/connections (opendatahub-operator's connection webhook,
 * CreateServiceAccount: `<secret>-sa`, for S3 connections). KubeRay makes only the account of a head pod that names
 * none (raycluster_controller.go reconcileAutoscalerServiceAccount), which is never judged here.
 */
export function madeByController(graph: ObjectGraph, name: string, ns: string, platform: Platform): boolean {
  if (name === 'default') return true;
  if (platform === 'kserve') return false;
  if (OPENSHIFT_ACCOUNTS.includes(name) || name === MODELMESH_ACCOUNT || PIPELINE_ACCOUNT_PREFIXES.some((p) => name.startsWith(p))) return true;
  // a namespace either side does not say (the delivery gives it) matches
  const sameNamespace = (n: GraphObject) => !ns || graph.namespaceOf(n.manifest) === undefined || graph.namespaceOf(n.manifest) === ns;
  if (graph.ofKind('Notebook').some((n) => text(mapping(n.manifest.metadata).name) === name && sameNamespace(n))) return true;
  return ['InferenceService', 'LLMInferenceService']
    .flatMap((k) => graph.ofKind(k))
    .some((s) => graph.namespaceOf(s.manifest) === ns && `${stringMap(mapping(s.manifest.metadata).annotations)[CONNECTIONS_ANNOTATION]}-sa` === name);
}

/**
 * ServiceAccounts operators make for their custom resources, by API group and kind: the Grafana operator's
 * `<Grafana name>-sa` (grafana/grafana-operator controllers/model grafanaResources.go GetGrafanaServiceAccount).
 */
const OPERATOR_ACCOUNTS: readonly { group: string; kind: string; suffix: string; operator: string }[] = [
  { group: 'grafana.integreatly.org', kind: 'Grafana', suffix: '-sa', operator: 'the Grafana operator' },
];

/**
 * The custom resource of the namespace whose operator makes the account, by the operator's known naming; undefined
 * when the namespace holds none. An account merely named after a resource (`<isvc>-sa`) is not one: KServe makes none.
 */
export function operatorAccountOwner(graph: ObjectGraph, account: string, ns: string | undefined): { object: GraphObject; operator: string } | undefined {
  for (const o of graph.objects) {
    if (!isCustomResource(String(o.manifest.apiVersion ?? '')) || graph.namespaceOf(o.manifest) !== ns) continue;
    const group = String(o.manifest.apiVersion).split('/')[0];
    const name = text(mapping(o.manifest.metadata).name) ?? '';
    const known = OPERATOR_ACCOUNTS.find((k) => k.group === group && k.kind === o.manifest.kind && `${name}${k.suffix}` === account);
    if (known) return { object: o, operator: known.operator };
  }
  return undefined;
}
