import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { VllmConstruct } from '../check/app-construct';
import { SERVICE_ACCOUNT_NAME_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../k8s/keys';

/** Name of the ServiceAccount, token Secret, Role, RoleBinding and TriggerAuthentication of a namespace. */
export const PROMETHEUS_READER_NAME = 'vllm-metrics-reader';

/**
 * What KEDA needs to query OpenShift's cluster Prometheus (Thanos querier, tenancy port) for one namespace, as the
 * OpenShift Custom Metrics Autoscaler documentation sets it up: a ServiceAccount, a Secret the control plane fills
 * with that account's token (no token in Git), a Role that lets it read the namespace's metrics, and a KEDA
 * TriggerAuthentication that hands token and CA to the Prometheus trigger. One per namespace of a chart, shared by
 * every service that scales on a vLLM metric; found with `PrometheusReader.of`.
 */
export class PrometheusReader extends VllmConstruct {
  /** The reader of `namespace` in the chart of `scope`, created on first use. */
  public static of(scope: IConstruct, namespace: string, syncWave: number): PrometheusReader {
    const chart = Chart.of(scope);
    const id = `PrometheusReader-${namespace}`;
    return (chart.node.tryFindChild(id) as PrometheusReader | undefined) ?? new PrometheusReader(chart, id, namespace, syncWave);
  }

  /** Name of the KEDA TriggerAuthentication. */
  public readonly triggerAuthenticationName = PROMETHEUS_READER_NAME;

  private constructor(scope: Construct, id: string, namespace: string, syncWave: number) {
    super(scope, id);
    const name = PROMETHEUS_READER_NAME;
    // before the services whose ScaledObjects reference the TriggerAuthentication
    const metadata = (extra: Record<string, unknown> = {}) => ({
      name,
      namespace,
      ...extra,
      annotations: { [SYNC_WAVE_ANNOTATION]: String(syncWave), ...((extra.annotations as Record<string, string>) ?? {}) },
    });
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata() });
    new ApiObject(this, 'Token', {
      apiVersion: 'v1',
      kind: 'Secret',
      // the token controller fills token and ca.crt for the account named here (kubernetes.io/service-account-token)
      metadata: { ...metadata({ annotations: { [SERVICE_ACCOUNT_NAME_ANNOTATION]: name } }), name: `${name}-token` },
      type: 'kubernetes.io/service-account-token',
    });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(),
      // what the Thanos querier's tenancy port checks: the right to read the namespace's pods and their metrics
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    new ApiObject(this, 'TriggerAuthentication', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: metadata(),
      spec: {
        secretTargetRef: [
          { parameter: 'bearerToken', name: `${name}-token`, key: 'token' },
          { parameter: 'ca', name: `${name}-token`, key: 'ca.crt' },
        ],
      },
    });
  }
}
