import { readManifests, runChecks } from '../../lib';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { cliInProcess, ruleFound, severityMessages, writeTree } from '../util';
import { objectsCreatedByScript } from '../../lib/manifests/script-creations';

/**
 * Cases after prometheus-operator pkg/prometheus/promcfg.go: a ServiceMonitor discovers the Services its selector
 * matches in the namespaces of spec.namespaceSelector (its own by default) and keeps the targets whose Service port
 * name equals an endpoint's `port`; a PodMonitor keeps those whose container port name equals it.
 */
const service = (name: string, namespace: string, labels: Record<string, string>, ports: Record<string, unknown>[] = [{ name: 'http', port: 8000 }]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels },
  spec: { selector: labels, ports },
});
const serviceMonitor = (namespace: string, spec: Record<string, unknown>) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'scrape', namespace },
  spec: { endpoints: [{ port: 'http' }], ...spec },
});
const deployment = (name: string, labels: Record<string, string>, ports: Record<string, unknown>[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ml' },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: 'x', ports }] } } },
});

/** What a monitor that scrapes nothing costs where nothing scales on its metrics. */
const NO_DATA = ' (no pod fails for it: dashboards and alerts on these metrics see no data)';
/** What it costs where the tree holds the target it was written for, without the labels: nothing it meant is scraped. */
const SETTLED = ' (none of the metrics it was written for ever arrive: dashboards and alerts on them see no data)';

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'monitor-selects-nothing',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('monitor-selects-nothing', () => {
  test('a selector close to the labels of a Service of its namespace: an error naming the selector, the Service seen and the fix', () => {
    expect(found([service('vllm', 'ml', { app: 'vllm' }), serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm-server' } } })])).toEqual([
      [
        'error',
        "spec.selector app=vllm-server matches no Service of namespace 'ml'; the tree holds Service/ml/vllm (app=vllm), which lacks app=vllm-server. Prometheus discovers no target and scrapes nothing; label the Service as spec.selector asks, or select the labels it carries" +
          SETTLED,
      ],
    ]);
  });

  test('the Service meant carries a selected key with another value (another instance, which may run elsewhere): a warning', () => {
    const objects = [
      service('vllm', 'ml', { app: 'vllm', tier: 'gpu' }),
      serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm-server', tier: 'web' } } }),
    ];
    expect(found(objects)).toEqual([
      ['warning', expect.stringMatching(/^spec\.selector app=vllm-server, tier=web matches no Service of namespace 'ml'.*see no data\)$/)],
    ]);
    expect(found(objects)[0][1]).toContain(NO_DATA);
  });

  test('a namespace that holds no Service at all, or only unrelated ones: a warning naming what was looked for', () => {
    expect(found([serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } } })])).toEqual([
      [
        'warning',
        "spec.selector app=vllm matches no Service of the tree in namespace 'ml' (it holds no Service there); unless one delivered elsewhere carries these labels, Prometheus scrapes nothing; label the Service as spec.selector asks, or select the labels it carries",
      ],
    ]);
    const unrelated = found([
      service('db', 'ml', { app: 'postgres' }),
      service('ui', 'ml', { app: 'frontend' }),
      serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } } }),
    ]);
    expect(unrelated.map((f) => f[0])).toEqual(['warning']);
    expect(unrelated[0][1]).toContain('it holds only Service/ml/db (app=postgres), Service/ml/ui (app=frontend)');
    // the only Service of the namespace is the one the monitor was meant for, whatever its labels
    expect(found([service('db', 'ml', { app: 'postgres' }), serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } } })]).map((f) => f[0])).toEqual([
      'warning',
    ]);
  });

  test("namespaceSelector: matchNames and any look beyond the monitor's namespace; a Service elsewhere does not count by default", () => {
    const elsewhere = service('vllm', 'serving', { app: 'vllm' });
    expect(found([elsewhere, serviceMonitor('monitoring', { selector: { matchLabels: { app: 'vllm' } } })]).map((f) => f[0])).toEqual(['warning']);
    expect(
      found([elsewhere, serviceMonitor('monitoring', { namespaceSelector: { matchNames: ['serving'] }, selector: { matchLabels: { app: 'vllm' } } })]),
    ).toEqual([]);
    expect(found([elsewhere, serviceMonitor('monitoring', { namespaceSelector: { any: true }, selector: { matchLabels: { app: 'vllm' } } })])).toEqual([]);
    // with any: true no Service is evidently the one meant: a warning at most
    expect(
      found([elsewhere, serviceMonitor('monitoring', { namespaceSelector: { any: true }, selector: { matchLabels: { app: 'vllm-x' } } })]).map((f) => f[0]),
    ).toEqual(['warning']);
  });

  test('matchExpressions are evaluated; a selector that does not compile is not judged', () => {
    const svc = service('vllm', 'ml', { app: 'vllm' });
    expect(found([svc, serviceMonitor('ml', { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['vllm', 'tgi'] }] } })])).toEqual([]);
    expect(
      found([svc, serviceMonitor('ml', { selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['vllm'] }] } })]).map((f) => f[0]),
    ).toEqual(['warning']);
    expect(found([svc, serviceMonitor('ml', { selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } })])).toEqual([]);
  });

  test('a PodMonitor of In expressions only, beside an InferenceService of its namespace: judged, the expression the pods fail named', () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'ml', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' } } } },
    };
    const monitor = (matchExpressions: Record<string, unknown>[]) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'scrape', namespace: 'ml' },
      spec: { selector: { matchExpressions }, podMetricsEndpoints: [{ path: '/metrics' }] },
    });
    expect(found([isvc, monitor([{ key: 'app', operator: 'In', values: ['llama', 'mistral'] }])])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.selector app In \(llama, mistral\) matches no pod template of namespace 'ml'; the tree holds InferenceService\/ml\/granite \(.*app=isvc\.granite-predictor\), which fails app In \(llama, mistral\)/,
        ),
      ],
    ]);
    // near misses: an In value the predictor pods carry; Exists of a label KServe gives them
    expect(found([isvc, monitor([{ key: 'app', operator: 'In', values: ['isvc.granite-predictor', 'x'] }])])).toEqual([]);
    expect(found([isvc, monitor([{ key: 'serving.kserve.io/inferenceservice', operator: 'Exists' }])])).toEqual([]);
  });

  test('an endpoint port that is not the name of a port of the Service of the tree it matches: an error; an unnamed port cannot be selected by name', () => {
    const svc = service('vllm', 'ml', { app: 'vllm' }, [{ port: 8000, targetPort: 8000 }]);
    expect(found([svc, serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } } })])).toEqual([
      [
        'error',
        "spec.endpoints[0].port 'http' is the name of no port of Service/ml/vllm, which the selector matches (ports: an unnamed port 8000); Prometheus keeps only targets whose Service port is named 'http' and scrapes nothing; name the Service port 'http' (an unnamed port cannot be selected by name) or set port to its name (no metrics of this endpoint ever arrive: dashboards and alerts on them see no data)",
      ],
    ]);
    const named = service('router', 'ml', { app: 'router' }, [
      { name: 'http', port: 8080 },
      { name: 'grpc', port: 9090 },
    ]);
    expect(found([named, serviceMonitor('ml', { selector: { matchLabels: { app: 'router' } }, endpoints: [{ port: 'metrics' }] })])).toEqual([
      [
        'error',
        "spec.endpoints[0].port 'metrics' is the name of no port of Service/ml/router, which the selector matches (ports: http (8080), grpc (9090)); Prometheus keeps only targets whose Service port is named 'metrics' and scrapes nothing; name the Service port 'metrics' (an unnamed port cannot be selected by name) or set port to its name (no metrics of this endpoint ever arrive: dashboards and alerts on them see no data)",
      ],
    ]);
    // near miss: a port the Service names
    expect(found([named, serviceMonitor('ml', { selector: { matchLabels: { app: 'router' } }, endpoints: [{ port: 'grpc' }] })])).toEqual([]);
    // a Service the tree does not hold is not judged by its ports: a warning at most, naming no port
    expect(found([serviceMonitor('ml', { selector: { matchLabels: { app: 'router' } }, endpoints: [{ port: 'metrics' }] })]).map((f) => f[0])).toEqual([
      'warning',
    ]);
    // no port given: every port of the Service is scraped
    expect(found([svc, serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, endpoints: [{ path: '/metrics' }] })])).toEqual([]);
  });

  test('a targetPort no container behind the Services declares: a warning (a container may listen undeclared)', () => {
    const objects = (targetPort: unknown) => [
      deployment('vllm', { app: 'vllm' }, [{ name: 'http', containerPort: 8000 }]),
      service('vllm', 'ml', { app: 'vllm' }),
      serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, endpoints: [{ targetPort }] }),
    ];
    expect(found(objects('metrics')).map((f) => f[0])).toEqual(['warning']);
    expect(found(objects(9090)).map((f) => f[0])).toEqual(['warning']);
    expect(found(objects('http'))).toEqual([]);
    expect(found(objects(8000))).toEqual([]);
  });

  test('a PodMonitor port that no matched pod names: a warning; pods an operator of the namespace makes are not judged', () => {
    const podMonitor = (selector: Record<string, string>, port: string) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'scrape', namespace: 'ml' },
      spec: { selector: { matchLabels: selector }, podMetricsEndpoints: [{ port }] },
    });
    const pods = deployment('vllm', { app: 'vllm' }, [{ containerPort: 8000 }]);
    expect(found([pods, podMonitor({ app: 'vllm' }, 'metrics')])).toEqual([
      [
        'warning',
        "spec.podMetricsEndpoints[0].port 'metrics' is the name of no containerPort of the pods of Deployment/ml/vllm, which the selector matches (named ports: none); Prometheus keeps only targets whose container port is named 'metrics' and scrapes nothing; name the containerPort 'metrics' or set port to the name it has" +
          NO_DATA,
      ],
    ]);
    const isvc = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'granite', namespace: 'ml' }, spec: { predictor: {} } };
    expect(found([pods, isvc, podMonitor({ 'serving.kserve.io/inferenceservice': 'granite' }, 'metrics')])).toEqual([]);
    // KServe's label with no InferenceService in the tree: KServe makes those pods outside the folder (a note)
    expect(found([pods, podMonitor({ 'serving.kserve.io/inferenceservice': 'granite' }, 'metrics')]).map((f) => f[0])).toEqual(['info']);
  });

  describe('an endpoint port of digits only (a port name needs a letter: IsValidPortName)', () => {
    const metrics = service('router-service', 'ml', { app: 'router' }, [{ name: 'http', port: 9000, targetPort: 9000 }]);
    const monitor = (endpoint: Record<string, unknown>) => serviceMonitor('ml', { selector: { matchLabels: { app: 'router' } }, endpoints: [endpoint] });

    test("a ServiceMonitor port '9000' with its Service in the tree: one error offering targetPort, not a missing name", () => {
      expect(found([metrics, monitor({ port: '9000', path: '/metrics' })])).toEqual([
        [
          'error',
          "spec.endpoints[0].port '9000' is a number where a port name goes: a port name must contain a letter (IsValidPortName), so no Service port is named '9000' and Prometheus keeps no target: it scrapes nothing; write targetPort: 9000 (the pods' port number) in place of port, or port: the name of the Service port",
        ],
      ]);
    });

    test('with no Service in the tree the number is still an error, and the hedged selector warning joins it on one line', () => {
      const [only, ...rest] = found([monitor({ port: '9000' })]);
      expect(rest).toEqual([]);
      expect(only[0]).toBe('error');
      expect(only[1]).toMatch(
        /^spec\.endpoints\[0\]\.port '9000' is a number where a port name goes: .*\. Also, spec\.selector app=router matches no Service of the tree/,
      );
    });

    test('near misses: targetPort 9000, a name with digits and a letter, the Service port name', () => {
      expect(found([metrics, monitor({ targetPort: 9000 })])).toEqual([]);
      expect(found([metrics, monitor({ port: 'http' })])).toEqual([]);
      const named = found([metrics, monitor({ port: 'p9000' })]);
      expect(named.map(([severity, message]) => [severity, message.slice(0, 58)])).toEqual([
        ['error', "spec.endpoints[0].port 'p9000' is the name of no port of S"],
      ]);
    });
  });

  describe('the predictor pods KServe makes of an InferenceService (labels and ports as predictor.go and the deployment reconciler build them)', () => {
    const podMonitor = (selector: Record<string, string>, endpoint: Record<string, unknown>) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'scrape', namespace: 'ml' },
      spec: { selector: { matchLabels: selector }, podMetricsEndpoints: [endpoint] },
    });
    const runtime = (ports: Record<string, unknown>[]) => ({
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: 'vllm-rt', namespace: 'ml' },
      spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: 'x', ports }] },
    });
    const isvc = (mode: string) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'granite', namespace: 'ml', annotations: { 'serving.kserve.io/deploymentMode': mode } },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm-rt' } } },
    });
    const byService = { 'serving.kserve.io/inferenceservice': 'granite' };

    test('a port written as a number names no port, whatever the pods: an error that offers portNumber', () => {
      expect(found([runtime([{ containerPort: 8080, protocol: 'TCP' }]), isvc('RawDeployment'), podMonitor(byService, { port: '8080' })])).toEqual([
        [
          'error',
          "spec.podMetricsEndpoints[0].port '8080' is a number where a port name goes: a port name must contain a letter (IsValidPortName), so no containerPort is named '8080' and Prometheus keeps no target: it scrapes nothing; write portNumber: 8080 in place of port, or port: the name of the containerPort",
        ],
      ]);
    });

    test("the runtime's port name, portNumber, KServe's component and app labels, and a port pattern are not findings", () => {
      const named = runtime([{ name: 'http', containerPort: 8080 }]);
      expect(found([named, isvc('RawDeployment'), podMonitor(byService, { port: 'http' })])).toEqual([]);
      expect(found([named, isvc('RawDeployment'), podMonitor(byService, { portNumber: 8080 })])).toEqual([]);
      expect(found([named, isvc('RawDeployment'), podMonitor({ component: 'predictor', app: 'isvc.granite-predictor' }, { port: 'http' })])).toEqual([]);
      expect(found([named, isvc('RawDeployment'), podMonitor(byService, { port: 'http|metrics' })])).toEqual([]);
    });

    test("Knative's revision pods (Serverless), whose port Knative renames, and a runtime outside the tree are not judged", () => {
      expect(found([runtime([{ containerPort: 8080 }]), isvc('Serverless'), podMonitor(byService, { port: 'metrics' })])).toEqual([]);
      expect(found([isvc('RawDeployment'), podMonitor(byService, { port: 'metrics' })])).toEqual([]);
      // a number is no port name on any pod, Knative's or not
      expect(found([isvc('RawDeployment'), podMonitor(byService, { port: '8080' })]).map(([severity]) => severity)).toEqual(['error']);
    });
  });
});

describe('monitor-selects-nothing: an error only where a KEDA scaler scales on Prometheus', () => {
  const scaledObject = (namespace: string, type: string) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'vllm-scaler', namespace },
    spec: { scaleTargetRef: { name: 'vllm' }, triggers: [{ type, metadata: { query: 'sum(vllm:num_requests_waiting)', threshold: '5' } }] },
  });
  const monitored = [service('vllm', 'ml', { app: 'vllm' }), serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm-server' } } })];
  // the Service evidently meant, but with another value of a selected key: not settled, a warning without a scaler
  const unsettled = [
    service('vllm', 'ml', { app: 'vllm', tier: 'gpu' }),
    serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm-server', tier: 'web' } } }),
  ];

  test('a ScaledObject of the namespace with a prometheus trigger: an error naming it and what it does without data', () => {
    expect(found([...monitored, scaledObject('ml', 'prometheus')])).toEqual([
      [
        'error',
        "spec.selector app=vllm-server matches no Service of namespace 'ml'; the tree holds Service/ml/vllm (app=vllm), which lacks app=vllm-server. Prometheus discovers no target and scrapes nothing; label the Service as spec.selector asks, or select the labels it carries; ScaledObject 'vllm-scaler' scales on Prometheus queries: KEDA reads the missing series as 0, so the workload never scales up",
      ],
    ]);
  });

  // prometheus-adapter serving vllm_num_requests_waiting from vLLM's vllm:num_requests_waiting series, and an HPA on it
  const adapterConfig = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'adapter-config', namespace: 'monitoring' },
    data: {
      'config.yaml': [
        'rules:',
        '  - seriesQuery: \'vllm:num_requests_waiting{namespace!=""}\'',
        '    resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}',
        `    name: {matches: "^vllm:(.*)$", as: "${name}"}`,
        "    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'",
      ].join('\n'),
    },
  });
  const hpa = (metrics: Record<string, unknown>[], target = 'vllm') => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'vllm-hpa', namespace: 'ml' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 4, metrics },
  });
  const podsMetric = (name: string) => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue: '5' } } });
  const vllmServer = deployment('vllm', { app: 'vllm' }, [{ name: 'http', containerPort: 8000 }]);

  test("an HPA scaling the scraped workload on a metric the tree's prometheus-adapter serves from these series: an error, as for KEDA", () => {
    const f = found([vllmServer, ...monitored, adapterConfig('vllm_$1'), hpa([podsMetric('vllm_num_requests_waiting')])]);
    expect(f).toEqual([
      [
        'error',
        expect.stringContaining(
          "; HorizontalPodAutoscaler 'vllm-hpa' (on vllm_num_requests_waiting) scales its workload on metrics the tree's prometheus-adapter serves from these series: with nothing scraped the adapter has no value, so the HPA cannot read its metrics",
        ),
      ],
    ]);
    // an External metric of an externalRules rule counts the same
    const external = adapterConfig('vllm_$1');
    external.data['config.yaml'] = external.data['config.yaml'].replace('rules:', 'externalRules:');
    const externalMetric = { type: 'External', external: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'Value', value: '5' } } };
    expect(found([vllmServer, ...monitored, external, hpa([externalMetric])]).map((x) => x[0])).toEqual(['error']);
  });

  test('near misses for the HPA: a metric no adapter rule serves, another metric beside it, another workload, no adapter: a warning', () => {
    const waiting = podsMetric('vllm_num_requests_waiting');
    const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
    const other = deployment('router', { app: 'router' }, [{ name: 'http', containerPort: 8080 }]);
    for (const objects of [
      [vllmServer, ...unsettled, adapterConfig('vllm_$1'), hpa([podsMetric('vllm_num_requests_running_total')])],
      [vllmServer, ...unsettled, adapterConfig('vllm_$1'), hpa([waiting, cpu])],
      [vllmServer, other, ...unsettled, adapterConfig('vllm_$1'), hpa([waiting], 'router')],
      [vllmServer, ...unsettled, hpa([waiting])],
      // the External metric needs an externalRules rule; a custom-metrics rule serves Pods and Object metrics only
      [vllmServer, ...unsettled, adapterConfig('vllm_$1'), hpa([{ type: 'External', external: { metric: { name: 'vllm_num_requests_waiting' } } }])],
    ]) {
      expect(found(objects).map((x) => x[0])).toEqual(['warning']);
    }
  });

  test('what keeps the monitor from the Service it was meant for: the label of its pods, where a namespace-less manifest is applied, an unnamed port', () => {
    const files = {
      'install.sh': 'kubectl create namespace serving\nkubectl apply -f app/ -n serving\nkubectl apply -f monitoring/\n',
      'app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\nspec:\n  selector:\n    app: chat-server\n  ports:\n    - port: 8000\n',
      'monitoring/monitor.yaml':
        'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: chat\n  namespace: monitoring\nspec:\n  namespaceSelector:\n    matchNames: [serving]\n  selector:\n    matchLabels:\n      app: chat-server\n  endpoints:\n    - port: http\n',
    };
    const read = readManifests([writeTree('monitor-unplaced-', files)]);
    const messages = runChecks(read.manifests, { platform: 'kserve', rules: ['monitor-selects-nothing'], ...read }).map((f) => f.message);
    // it was "it holds no Service there": the namespace-less Service applied with -n serving was not seen
    expect(messages).toEqual([
      "spec.selector app=chat-server matches no Service of namespace 'serving'; the tree holds Service/chat (no labels), which lacks app=chat-server (app=chat-server is the label of the pods its own selector picks, not of the Service), gives no namespace in its manifest (the tree applies it to 'serving') and has no port named 'http', which spec.endpoints[0].port names (its ports: an unnamed port 8000), so even labelled it would not be scraped: name that port 'http'. Prometheus discovers no target and scrapes nothing; label the Service as spec.selector asks, or select the labels it carries" +
        SETTLED,
    ]);
  });

  test('near misses: a scaler on another trigger, or in another namespace, leaves a warning', () => {
    expect(found([...unsettled, scaledObject('ml', 'cpu')]).map((f) => f[0])).toEqual(['warning']);
    expect(found([...unsettled, scaledObject('other', 'prometheus')]).map((f) => f[0])).toEqual(['warning']);
  });

  test('the workload a ServiceMonitor is for is in the tree, but no Service carries its labels: settled, an error as a Service lacking the labels is', () => {
    const exporter = deployment('dcgm-exporter', { app: 'dcgm-exporter' }, [{ name: 'metrics', containerPort: 9400 }]);
    const f = found([exporter, serviceMonitor('ml', { selector: { matchLabels: { app: 'dcgm-exporter' } } })]);
    expect(f).toEqual([
      [
        'error',
        "spec.selector app=dcgm-exporter matches no Service of namespace 'ml', where the tree holds Deployment/ml/dcgm-exporter, the workload it was written for, but no Service: no Service of the tree carries these labels, so Prometheus scrapes nothing; label a Service that selects Deployment/ml/dcgm-exporter's pods as spec.selector asks (or add one)" +
          SETTLED,
      ],
    ]);
    // the chart's own label on an exporter the tree runs itself: the tree's workload, not the chart, is what is judged
    const named = { 'app.kubernetes.io/name': 'dcgm-exporter' };
    const own = { ...deployment('dcgm-exporter', named, [{ name: 'metrics', containerPort: 9400 }]), kind: 'DaemonSet' };
    expect(found([own, serviceMonitor('ml', { selector: { matchLabels: named } })])).toEqual([
      ['error', expect.stringContaining('where the tree holds DaemonSet/ml/dcgm-exporter, the workload it was written for, but no Service')],
    ]);
    // near miss: the workload's pods carry a selected key with another value (another instance of it): not settled, a warning
    const instance = deployment('dcgm-exporter', { app: 'dcgm-exporter', pool: 'blue' }, [{ name: 'metrics', containerPort: 9400 }]);
    const selector = { matchLabels: { app: 'dcgm-exporter', pool: 'green' } };
    expect(found([instance, serviceMonitor('ml', { selector })]).map(([severity]) => severity)).toEqual(['warning']);
    expect(found([instance, serviceMonitor('ml', { selector })])).toEqual([
      ['warning', expect.stringContaining('the workload it was written for, but no Service')],
    ]);
    // near miss: no workload of the namespace is what the monitor names (it may be delivered elsewhere): hedged
    const other = deployment('router', { app: 'router' }, [{ name: 'http', containerPort: 8080 }]);
    expect(found([other, serviceMonitor('ml', { selector: { matchLabels: { app: 'dcgm-exporter' } } })]).map(([, m]) => m)).toEqual([
      expect.stringContaining('unless one delivered elsewhere carries these labels'),
    ]);
  });

  test("the Service port an endpoint names forwards to a port no container declares: an error pointing at vLLM's API port", () => {
    const vllm = {
      ...deployment('vllm', { app: 'vllm' }, []),
    };
    vllm.spec.template.spec.containers = [
      { name: 'vllm', image: 'vllm/vllm-openai:v0.10.1', ports: [{ name: 'http', containerPort: 8000 }], args: ['--model', 'facebook/opt-125m'] } as never,
    ];
    const ports = [
      { name: 'http', port: 8000, targetPort: 8000 },
      { name: 'metrics', port: 9400, targetPort: 9400 },
    ];
    const monitor = serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, endpoints: [{ port: 'metrics' }] });
    expect(found([vllm, service('vllm', 'ml', { app: 'vllm' }, ports), monitor])).toEqual([
      [
        'error',
        "spec.endpoints[0].port 'metrics' is Service/ml/vllm's port 9400, whose targetPort 9400 no container of Deployment/ml/vllm declares (they declare 8000; names http): every scrape finds the target down; vLLM serves /metrics on its API port, 8000: point the Service port's targetPort there",
      ],
    ]);
    // near misses: the endpoint names the API port; a container that declares no ports may listen anywhere
    const api = serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, endpoints: [{ port: 'http' }] });
    expect(found([vllm, service('vllm', 'ml', { app: 'vllm' }, ports), api])).toEqual([]);
    const undeclared = deployment('vllm', { app: 'vllm' }, []);
    expect(found([undeclared, service('vllm', 'ml', { app: 'vllm' }, ports), monitor])).toEqual([]);
  });

  describe('labels an operator gives what it makes (Kuadrant, the NVIDIA GPU Operator, KServe)', () => {
    const podMonitor = (namespace: string, matchLabels: Record<string, string>) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'gpu', namespace: 'monitoring' },
      spec: { namespaceSelector: { matchNames: [namespace] }, selector: { matchLabels }, podMetricsEndpoints: [{ port: 'gpu-metrics' }] },
    });
    const dcgm = podMonitor('nvidia-gpu-operator', { app: 'nvidia-dcgm-exporter' });
    const subscription = (name: string) => ({
      apiVersion: 'operators.coreos.com/v1alpha1',
      kind: 'Subscription',
      metadata: { name, namespace: 'nvidia-gpu-operator' },
      spec: { name, channel: 'stable', source: 'certified-operators', sourceNamespace: 'openshift-marketplace' },
    });
    const clusterPolicy = { apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy', metadata: { name: 'gpu-cluster-policy' }, spec: {} };

    test('no finding where the tree installs the operator: its Subscription or its ClusterPolicy', () => {
      expect(found([dcgm, subscription('gpu-operator-certified')])).toEqual([]);
      expect(found([dcgm, clusterPolicy])).toEqual([]);
    });

    test("a script's helm install of the operator's chart installs it; another chart of NVIDIA's repository does not", () => {
      const withScript = (script: string) =>
        runChecks([{ manifest: dcgm }], {
          platform: 'kserve',
          rules: ['monitor-selects-nothing'],
          scriptCreated: objectsCreatedByScript(script).map((c) => ({ ...c, script: 'install.sh' })),
        }).map((f) => f.severity);
      expect(
        withScript('helm repo add nvidia https://helm.ngc.nvidia.com/nvidia\nhelm install gpu-operator nvidia/gpu-operator -n gpu-operator --create-namespace'),
      ).toEqual([]);
      expect(withScript('helm repo add nvidia https://helm.ngc.nvidia.com/nvidia\nhelm install device-plugin nvidia/nvidia-device-plugin')).toEqual(['info']);
    });

    test('a Kuadrant resource installs Authorino and Limitador', () => {
      const kuadrant = { apiVersion: 'kuadrant.io/v1beta1', kind: 'Kuadrant', metadata: { name: 'kuadrant', namespace: 'kuadrant-system' }, spec: {} };
      const limitador = serviceMonitor('kuadrant-system', { selector: { matchLabels: { app: 'limitador', 'limitador-resource': 'limitador' } } });
      expect(found([limitador, kuadrant])).toEqual([]);
    });

    test('app: limitador alone selects the Service limitador-<name> the Limitador operator makes of a Limitador', () => {
      const limitadorCr = {
        apiVersion: 'limitador.kuadrant.io/v1alpha1',
        kind: 'Limitador',
        metadata: { name: 'quota', namespace: 'gateway-system' },
        spec: {},
      };
      const monitor = serviceMonitor('gateway-system', { selector: { matchLabels: { app: 'limitador' } } });
      expect(found([monitor, limitadorCr])).toEqual([]);
      const [only, ...rest] = found([monitor]);
      expect(rest).toEqual([]);
      expect(only[0]).toBe('info');
      expect(only[1]).toContain("selects the labels Kuadrant's Limitador operator gives the Limitador Services");
    });

    test('where the tree does not install it, the operator makes the targets outside the folder: a note saying whose labels they are', () => {
      const [only, ...rest] = found([dcgm, subscription('some-other-operator')]);
      expect(rest).toEqual([]);
      expect(only[0]).toBe('info');
      expect(only[1]).toContain(
        'spec.selector app=nvidia-dcgm-exporter selects the labels the NVIDIA GPU Operator gives the DCGM exporter DaemonSet and Service, and the tree does not install it (no ClusterPolicy object, nor a Subscription or chart of it): installed outside the tree, it makes the targets there',
      );
    });

    test('another value of the label is no operator target: the usual judgement', () => {
      const [only] = found([podMonitor('nvidia-gpu-operator', { app: 'my-dcgm-exporter' }), clusterPolicy]);
      expect(only[1]).toContain('unless one delivered elsewhere carries these labels');
    });
  });
});

describe('monitor-selects-nothing: a selector a renderer fills', () => {
  test('`app: ${POOL_NAME}`, filled by envsubst before the apply, names no label yet: not judged (it was a warning on the literal)', () => {
    expect(found([service('vllm', 'ml', { app: 'vllm' }), serviceMonitor('ml', { selector: { matchLabels: { app: '${POOL_NAME}' } } })])).toEqual([]);
  });

  test('near miss: the same selector written out, which no Service carries, is judged', () => {
    expect(found([service('vllm', 'ml', { app: 'vllm' }), serviceMonitor('ml', { selector: { matchLabels: { app: 'pool-metrics' } } })])).toEqual([
      ['warning', expect.stringMatching(/spec\.selector app=pool-metrics matches no Service/)],
    ]);
  });
});

describe('monitor-selects-nothing: a namespace left as a placeholder', () => {
  const scaler = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'vllm-scaler', namespace: 'ml' },
    spec: { scaleTargetRef: { name: 'vllm' }, triggers: [{ type: 'prometheus', metadata: { query: 'sum(vllm:num_requests_waiting)', threshold: '5' } }] },
  };

  test('matchNames `<your-namespace>`: the placeholder is the cause, not the labels; a warning naming the KEDA scaler beside the monitor', () => {
    const monitor = serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, namespaceSelector: { matchNames: ['<your-namespace>'] } });
    const [[severity, message], ...rest] = found([service('vllm', 'ml', { app: 'vllm' }), monitor, scaler]);
    expect(rest).toEqual([]);
    expect(severity).toBe('warning');
    expect(message).toContain("spec.namespaceSelector.matchNames holds '<your-namespace>', a placeholder left to be replaced");
    expect(message).toContain("ScaledObject 'vllm-scaler' scales on Prometheus queries");
    expect(message).not.toContain('lacks');
  });

  test('near miss: the namespace written out, where the Service carries the labels, is no finding', () => {
    const monitor = serviceMonitor('ml', { selector: { matchLabels: { app: 'vllm' } }, namespaceSelector: { matchNames: ['ml'] } });
    expect(found([service('vllm', 'ml', { app: 'vllm' }), monitor, scaler])).toEqual([]);
  });
});

describe('monitor-selects-nothing: pods an operator makes', () => {
  const podMonitor = (matchLabels: Record<string, string>) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'ray-head', namespace: 'ray' },
    spec: { selector: { matchLabels }, podMetricsEndpoints: [{ port: 'metrics' }] },
  });
  const rayCluster = (name: string) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: 'ray' },
    spec: {
      headGroupSpec: {
        template: { spec: { containers: [{ name: 'head', image: 'rayproject/ray:2.40.0', ports: [{ name: 'metrics', containerPort: 8080 }] }] } },
      },
    },
  });
  const other = { ...deployment('prometheus', { app: 'prometheus' }, [{ containerPort: 9090 }]), metadata: { name: 'prometheus', namespace: 'ray' } };
  const found = (docs: unknown[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    ).filter((f) => f.rule === 'monitor-selects-nothing');

  test("KubeRay's labels with no Ray object in the tree: a note that KubeRay makes the pods outside the folder, not 'no target'", () => {
    expect(found([podMonitor({ 'ray.io/node-type': 'head' }), other]).map((f) => [f.severity, f.message])).toEqual([
      [
        'info',
        expect.stringMatching(
          /^spec\.selector ray\.io\/node-type=head selects labels KubeRay puts on the pods it makes for a RayCluster, RayService or RayJob, and the tree holds none: its targets are made by KubeRay outside this folder/,
        ),
      ],
    ]);
    expect(found([podMonitor({ 'leaderworkerset.sigs.k8s.io/name': 'big' }), other]).map((f) => f.severity)).toEqual(['info']);
  });

  test('with the Ray object in the tree, its pods are judged as KubeRay labels them', () => {
    expect(found([podMonitor({ 'ray.io/node-type': 'head' }), rayCluster('chat')])).toEqual([]);
    expect(found([podMonitor({ 'ray.io/node-type': 'head', 'ray.io/cluster': 'assistant' }), rayCluster('chat')]).map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.selector ray\.io\/node-type=head, ray\.io\/cluster=assistant matches no pod template of namespace 'ray'.*RayCluster\/ray\/chat/,
        ),
      ],
    ]);
  });
});

describe('monitor-selects-nothing: the ports of the pods KubeRay makes', () => {
  const workers = (rayStartParams: Record<string, unknown>, ports: Record<string, unknown>[] = []) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'serve', namespace: 'ray' },
    spec: {
      headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.41.0' }] } } },
      workerGroupSpecs: [
        {
          groupName: 'gpu',
          replicas: 1,
          rayStartParams,
          template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.41.0', ...(ports.length ? { ports } : {}) }] } },
        },
      ],
    },
  });
  const monitor = (port: string) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'ray-workers', namespace: 'ray' },
    spec: { selector: { matchLabels: { 'ray.io/node-type': 'worker', 'ray.io/cluster': 'serve' } }, podMetricsEndpoints: [{ port }] },
  });
  const judged = (docs: unknown[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    )
      .filter((f) => f.rule === 'monitor-selects-nothing')
      .map((f) => [f.severity, f.message]);

  test("metrics-export-port moves Ray's exporter while KubeRay's `metrics` port stays 8080: an error, nothing listens on the port scraped", () => {
    expect(judged([workers({ 'metrics-export-port': '9100' }), monitor('metrics')])).toEqual([
      [
        'error',
        "spec.podMetricsEndpoints[0].port 'metrics' is container port 8080 of the Ray pods of RayCluster/ray/serve (group gpu), while their rayStartParams metrics-export-port has Ray export its metrics on 9100: " +
          "nothing listens on 8080, so every scrape finds the target down and no Ray or vLLM metrics arrive; declare a container port named 'metrics' with containerPort 9100 in the Ray container, or drop metrics-export-port",
      ],
    ]);
    // a `metrics` port the template declares at another number than the exporter's
    expect(judged([workers({ 'metrics-export-port': 9100 }, [{ name: 'metrics', containerPort: 8080 }]), monitor('metrics')]).map(([s]) => s)).toEqual([
      'error',
    ]);
  });

  test("a port neither the group template declares nor KubeRay adds: the warning other pods get; KubeRay's own `metrics` port is found", () => {
    expect(judged([workers({}), monitor('vllm-metrics')])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^spec\.podMetricsEndpoints\[0\]\.port 'vllm-metrics' is the name of no containerPort of the pods of RayCluster\/ray\/serve, which the selector matches \(named ports: metrics\)/,
        ),
      ],
    ]);
  });

  test.each([
    ['no metrics-export-port (KubeRay exports on 8080, its metrics port)', workers({})],
    ['metrics-export-port 8080', workers({ 'metrics-export-port': '8080' })],
    ['the metrics port declared at the exported number', workers({ 'metrics-export-port': '9100' }, [{ name: 'metrics', containerPort: 9100 }])],
    ['a variable for the port', workers({ 'metrics-export-port': '${METRICS_PORT}' })],
  ])('near miss, %s: silent', (_, cluster) => {
    expect(judged([cluster, monitor('metrics')])).toEqual([]);
  });
});

describe('monitor-selects-nothing: Services KServe makes for the resources of the tree', () => {
  const llm = (name: string, namespace: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'serving.kserve.io/v1alpha2',
    kind: 'LLMInferenceService',
    metadata: { name, namespace },
    spec: { model: { uri: 'hf://Qwen/Qwen2.5-0.5B-Instruct', name: 'qwen' }, ...spec },
  });
  const isvc = (name: string, namespace: string, labels: Record<string, string> = {}) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace, labels },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://bucket/model' } } },
  });
  const selecting = (namespace: string, matchLabels: Record<string, string>) =>
    serviceMonitor(namespace, { selector: { matchLabels }, endpoints: [{ port: 'https' }] });

  test("near misses: the LLMInferenceService's workload Service (part-of llminferenceservice, its name, its spec.labels), the scheduler's Service it asks for, an InferenceService's predictor Service", () => {
    expect(found([llm('chat', 'llm'), selecting('llm', { 'app.kubernetes.io/part-of': 'llminferenceservice' })])).toEqual([]);
    expect(found([llm('chat', 'llm', { labels: { team: 'search' } }), selecting('llm', { 'app.kubernetes.io/name': 'chat', team: 'search' })])).toEqual([]);
    const scheduler = { router: { scheduler: {} } };
    expect(found([llm('chat', 'llm', scheduler), selecting('llm', { 'app.kubernetes.io/component': 'llminferenceservice-router-scheduler' })])).toEqual([]);
    expect(found([isvc('iris', 'ml', { team: 'vision' }), selecting('ml', { 'serving.kserve.io/inferenceservice': 'iris', team: 'vision' })])).toEqual([]);
  });

  test('still judged: the resource in another namespace, another name, a scheduler the resource does not ask for', () => {
    const severities = (objects: unknown[]) => found(objects).map(([s]) => s);
    expect(severities([llm('chat', 'other'), selecting('llm', { 'app.kubernetes.io/part-of': 'llminferenceservice' })])).toEqual(['warning']);
    expect(
      severities([llm('chat', 'llm'), selecting('llm', { 'app.kubernetes.io/part-of': 'llminferenceservice', 'app.kubernetes.io/name': 'summary' })]),
    ).toEqual(['warning']);
    expect(severities([llm('chat', 'llm'), selecting('llm', { 'app.kubernetes.io/component': 'llminferenceservice-router-scheduler' })])).toEqual(['warning']);
  });

  test('no LLMInferenceService in the tree: the Services are made outside this folder, a note', () => {
    const f = found([selecting('llm', { 'app.kubernetes.io/part-of': 'llminferenceservice' })]);
    expect(f.map(([s]) => s)).toEqual(['info']);
    expect(f[0][1]).toMatch(/KServe's LLMInferenceService controller puts on the pods it makes for a LLMInferenceService, and the tree holds none/);
  });
});

describe("monitor-selects-nothing: KServe's InferenceService label selected by a value that names no InferenceService", () => {
  const monitor = (kind: string, selector: Record<string, unknown>) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: { name: 'models', namespace: 'ml' },
    spec: { selector, ...(kind === 'ServiceMonitor' ? { endpoints: [{ port: 'http' }] } : { podMetricsEndpoints: [{ port: 'http' }] }) },
  });
  const isvc = (name: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'ml' },
    spec: { predictor: {} },
  });
  const switched = { matchLabels: { 'serving.kserve.io/inferenceservice': 'true' } };

  test('a switch word, the tree holding no InferenceService or one of another name: a warning, not a note', () => {
    for (const objects of [[monitor('ServiceMonitor', switched)], [isvc('granite'), monitor('PodMonitor', switched)]]) {
      expect(found(objects)).toEqual([
        [
          'warning',
          expect.stringMatching(
            /^spec\.selector serving\.kserve\.io\/inferenceservice=true matches no (Service|pod) KServe makes: KServe sets .* to the InferenceService's name, never to 'true'.*scrapes nothing; select serving\.kserve\.io\/inferenceservice Exists/,
          ),
        ],
      ]);
    }
  });

  test('a value no name can be, given by an In expression', () => {
    const selector = { matchExpressions: [{ key: 'serving.kserve.io/inferenceservice', operator: 'In', values: ['Granite_7B'] }] };
    expect(found([monitor('ServiceMonitor', selector)]).map(([s]) => s)).toEqual(['warning']);
  });

  test('near misses: an InferenceService named so, a Service of the tree carrying the pair, a name-like value outside the tree (a note)', () => {
    expect(found([isvc('true'), monitor('PodMonitor', switched)])).toEqual([]);
    const labelled = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'm', namespace: 'ml', labels: { 'serving.kserve.io/inferenceservice': 'true' } },
      spec: { ports: [{ name: 'http', port: 80 }] },
    };
    expect(found([labelled, monitor('ServiceMonitor', switched)])).toEqual([]);
    expect(found([monitor('ServiceMonitor', { matchLabels: { 'serving.kserve.io/inferenceservice': 'granite' } })]).map(([s]) => s)).toEqual(['info']);
  });
});

describe("monitor-selects-nothing: KubeRay's head Service, and more operators' own labels", () => {
  const rayService = (namespace: string) => ({
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'speech', namespace },
    spec: { rayClusterConfig: { headGroupSpec: { template: { spec: { containers: [{ name: 'head', image: 'rayproject/ray:2.40.0' }] } } } } },
  });
  const headMonitor = (namespace: string, extra: Record<string, string> = {}) =>
    serviceMonitor('monitoring', {
      namespaceSelector: { matchNames: [namespace] },
      selector: { matchLabels: { 'ray.io/node-type': 'head', ...extra } },
      endpoints: [{ port: 'metrics' }],
    });

  test('near miss: a ServiceMonitor on ray.io/node-type=head beside a RayService of that namespace selects the head Service KubeRay makes', () => {
    expect(found([rayService('speech'), headMonitor('speech')])).toEqual([]);
    expect(found([rayService('speech'), headMonitor('speech', { 'app.kubernetes.io/created-by': 'kuberay-operator' })])).toEqual([]);
  });

  test('still judged: the Ray object in another namespace, or a label KubeRay does not give its head Service', () => {
    expect(found([rayService('other'), headMonitor('speech')]).map(([s]) => s)).toEqual(['warning']);
    expect(found([rayService('speech'), headMonitor('speech', { tier: 'gold' })]).map(([s]) => s)).toEqual(['warning']);
  });

  test('the same monitor declared alike in two files is judged once', () => {
    const docs = [headMonitor('speech', { tier: 'gold' }), headMonitor('speech', { tier: 'gold' })];
    const f = runChecks(
      docs.map((manifest, i) => ({ manifest, file: `copy-${i}.yaml` })),
      { platform: 'kserve', rules: ['monitor-selects-nothing'] },
    );
    expect(f.map((x) => [x.object, x.file])).toEqual([['ServiceMonitor/monitoring/scrape', 'copy-0.yaml']]);
  });

  const podMonitor = (spec: Record<string, unknown>) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'mesh', namespace: 'istio-system' },
    spec: { podMetricsEndpoints: [{ path: '/stats/prometheus' }], ...spec },
  });

  test("Istio's, Seldon Core's, Knative's, Kueue's labels with no install of them in the tree: a note naming whose they are", () => {
    const cases: [unknown, RegExp][] = [
      [serviceMonitor('istio-system', { selector: { matchLabels: { istio: 'pilot' } } }), /the labels Istio gives istiod's Deployment and Service/],
      [serviceMonitor('istio-system', { selector: { matchLabels: { app: 'istiod' } } }), /the labels Istio gives istiod's Deployment and Service/],
      [
        podMonitor({ selector: { matchExpressions: [{ key: 'istio-prometheus-ignore', operator: 'DoesNotExist' }] } }),
        /the labels Istio gives the sidecar proxies it injects/,
      ],
      [
        podMonitor({ namespaceSelector: { any: true }, selector: { matchLabels: { 'app.kubernetes.io/managed-by': 'seldon-core' } } }),
        /the labels the Seldon Core operator gives the pods and Services of a SeldonDeployment/,
      ],
      [
        serviceMonitor('knative-serving', { selector: { matchLabels: { 'app.kubernetes.io/name': 'knative-serving' } } }),
        /the labels Knative Serving gives its control-plane/,
      ],
      [
        serviceMonitor('kueue-system', { selector: { matchLabels: { 'app.kubernetes.io/name': 'kueue' } } }),
        /the labels Kueue gives the controller manager's Deployment and metrics Service, and the tree does not install it \(no Subscription or chart of it\)/,
      ],
    ];
    for (const [monitor, said] of cases) {
      const f = found([monitor]);
      expect(f.map(([s]) => s)).toEqual(['info']);
      expect(f[0][1]).toMatch(said);
    }
  });

  test('near miss: the tree installs Istio (an IstioOperator) or holds the SeldonDeployment: nothing said', () => {
    const istio = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'mesh', namespace: 'istio-system' }, spec: {} };
    expect(found([serviceMonitor('istio-system', { selector: { matchLabels: { istio: 'pilot' } } }), istio])).toEqual([]);
    const seldon = { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'iris', namespace: 'models' }, spec: {} };
    expect(
      found([podMonitor({ namespaceSelector: { any: true }, selector: { matchLabels: { 'app.kubernetes.io/managed-by': 'seldon-core' } } }), seldon]),
    ).toEqual([]);
  });
});

describe('monitor-selects-nothing: targets the tree says run outside it', () => {
  const podMonitor = (namespace: string, matchLabels: Record<string, string>) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'engine', namespace },
    spec: { selector: { matchLabels }, podMetricsEndpoints: [{ port: 'http' }] },
  });
  const application = (name: string, namespace: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://charts.example.org/serving', chart: 'serving-stack', targetRevision: '2.1.0', helm: { values: 'replicas: 1\n' } },
      destination: { server: 'https://kubernetes.default.svc', namespace },
    },
  });

  test("a selector on the release name of a chart an Application installs into the namespace: a note naming the Application, not 'scrapes nothing'", () => {
    expect(found([application('engine-release', 'serve'), podMonitor('serve', { 'release-name': 'engine-release' })])).toEqual([
      [
        'info',
        expect.stringMatching(
          /^spec\.selector release-name=engine-release names the release of chart serving-stack that Application\/argocd\/engine-release installs into namespace 'serve' as 'engine-release': .*not checked here/,
        ),
      ],
    ]);
  });

  test('near misses: a value that is not the release, or the chart installed into another namespace, stays a warning', () => {
    expect(found([application('engine-release', 'serve'), podMonitor('serve', { app: 'engine' })])).toEqual([
      ['warning', expect.stringMatching(/matches no pod template/)],
    ]);
    expect(found([application('engine-release', 'other'), podMonitor('serve', { 'release-name': 'engine-release' })])).toEqual([
      ['warning', expect.stringMatching(/matches no pod template/)],
    ]);
  });

  test("a PodMonitor beside a Service of the tree that selects the same pods, none of the tree's: a note, as its twin ServiceMonitor is judged", () => {
    const proxy = service('proxy', 'ml', { app: 'proxy' });
    expect(found([proxy, podMonitor('ml', { app: 'proxy' }), serviceMonitor('ml', { selector: { matchLabels: { app: 'proxy' } } })])).toEqual([
      ['info', expect.stringMatching(/^spec\.selector app=proxy selects the pods Service\/ml\/proxy selects, and no pod template of the tree makes them/)],
    ]);
    // near miss: the Service's pods are the tree's, with other labels than the PodMonitor asks for
    const backed = found([proxy, deployment('proxy', { app: 'proxy' }, [{ name: 'http', containerPort: 80 }]), podMonitor('ml', { app: 'proxy-x' })]);
    // the tree's own Deployment evidently meant, without the labels: settled, an error
    expect(backed.map(([severity]) => severity)).toEqual(['error']);
  });
});

describe('monitor-selects-nothing: a release into the namespace whose chart check does not render', () => {
  const release = (namespace: string) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'api', namespace: 'flux-system' },
    spec: {
      interval: '1h',
      targetNamespace: namespace,
      releaseName: 'api',
      chartRef: { kind: 'OCIRepository', name: 'app-template', namespace: 'flux-system' },
    },
  });
  const oci = {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kind: 'OCIRepository',
    metadata: { name: 'app-template', namespace: 'flux-system' },
    spec: { interval: '1h', url: 'oci://registry.example.org/charts/app-template', ref: { tag: '3.5.1' } },
  };
  const monitor = (instance: string) => serviceMonitor('llm', { selector: { matchLabels: { 'app.kubernetes.io/instance': instance } } });
  const web = service('web', 'llm', { app: 'web' });
  const found = (objects: object[]) =>
    severityMessages(
      ruleFound(
        'monitor-selects-nothing',
        objects.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
    );

  test("a chartRef release named as the selected instance: a note naming the release and the chart (the OCI artifact's name)", () => {
    expect(found([release('llm'), oci, web, monitor('api')])).toEqual([
      [
        'info',
        "spec.selector app.kubernetes.io/instance=api names the release of chart app-template that HelmRelease/flux-system/api installs into namespace 'llm' as 'api': its pods and Services are rendered from that chart, outside the files, so whether they carry these labels and ports is not checked here (render it with helm template and check the output to judge them)",
      ],
    ]);
  });

  test('another instance selected: a warning that names the release which may make the Service', () => {
    expect(found([release('llm'), oci, web, monitor('worker')])).toEqual([
      [
        'warning',
        "spec.selector app.kubernetes.io/instance=worker matches no Service of namespace 'llm'; the tree holds Service/llm/web (app=web), which lacks app.kubernetes.io/instance=worker. Prometheus discovers no target and scrapes nothing; label the Service as spec.selector asks, or select the labels it carries" +
          NO_DATA +
          "; but HelmRelease/flux-system/api (the chart of OCIRepository flux-system/app-template, release 'api') installs into namespace 'llm' what check does not render, which may make it",
      ],
    ]);
  });

  test('near miss: the release installs into another namespace, so the finding is not hedged', () => {
    expect(found([release('other'), oci, web, monitor('worker')])).toEqual([
      [
        'warning',
        "spec.selector app.kubernetes.io/instance=worker matches no Service of namespace 'llm'; the tree holds Service/llm/web (app=web), which lacks app.kubernetes.io/instance=worker. Prometheus discovers no target and scrapes nothing; label the Service as spec.selector asks, or select the labels it carries" +
          NO_DATA,
      ],
    ]);
  });
});

describe('monitor-selects-nothing: monitors of the namespaces where the platform runs its own components', () => {
  const coredns = { matchLabels: { 'k8s-app': 'kube-dns' } };
  test.each(['kube-system', 'openshift-monitoring', 'openshift-ingress', 'gke-managed-system', 'gmp-system'])(
    'a monitor of %s: not judged against the tree',
    (ns) => {
      expect(found([serviceMonitor(ns, { selector: coredns })])).toEqual([]);
    },
  );

  test("near misses: a monitor of another namespace, or one looking in a platform namespace and the tree's, is judged", () => {
    expect(found([serviceMonitor('ml', { selector: coredns })]).map(([s]) => s)).toEqual(['warning']);
    const both = serviceMonitor('ml', { selector: coredns, namespaceSelector: { matchNames: ['kube-system', 'ml'] } });
    expect(found([both]).map(([s]) => s)).toEqual(['warning']);
  });
});

describe('monitor-selects-nothing: targets another folder of the repository defines', () => {
  /** The rule's findings on `monitoring/` of a git work tree that also holds the files given. */
  async function inRepository(monitor: object, files: Record<string, string>): Promise<string[]> {
    const root = writeTree('monitor-repo-', { 'monitoring/monitor.yaml': YAML.stringify(monitor), ...files });
    fs.mkdirSync(path.join(root, '.git'));
    const report = JSON.parse((await cliInProcess(['check', path.join(root, 'monitoring'), '--platform', 'kserve', '--json'])).out);
    return report.findings.filter((f: { rule: string }) => f.rule === 'monitor-selects-nothing').map((f: { severity: string }) => f.severity);
  }
  const selector = { matchLabels: { app: 'reranker' } };
  const podMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'reranker', namespace: 'ml' },
    spec: { selector, podMetricsEndpoints: [{ port: 'http' }] },
  };
  const workload = (labels: Record<string, string>) => ({ ...deployment('reranker', labels, [{ name: 'http', containerPort: 8000 }]) });

  test('a sibling folder defines the Service or the pods the monitor selects: no finding', async () => {
    expect(
      await inRepository(serviceMonitor('ml', { selector }), { 'apps/reranker/service.yaml': YAML.stringify(service('reranker', 'ml', { app: 'reranker' })) }),
    ).toEqual([]);
    expect(await inRepository(podMonitor, { 'apps/reranker/deploy.yaml': YAML.stringify(workload({ app: 'reranker' })) })).toEqual([]);
  });

  test("near misses: the sibling folder's object in another namespace, or with other labels, leaves the warning", async () => {
    expect(
      await inRepository(serviceMonitor('ml', { selector }), {
        'apps/reranker/service.yaml': YAML.stringify(service('reranker', 'batch', { app: 'reranker' })),
      }),
    ).toEqual(['warning']);
    expect(await inRepository(podMonitor, { 'apps/reranker/deploy.yaml': YAML.stringify(workload({ app: 'embedder' })) })).toEqual(['warning']);
  });

  test("the Service LLMKube's controller makes of its InferenceService is a target; a selector matching nothing it makes still is not", () => {
    const llm = {
      apiVersion: 'inference.llmkube.dev/v1alpha1',
      kind: 'InferenceService',
      metadata: { name: 'helpdesk', namespace: 'ml' },
      spec: { modelRef: 'qwen' },
    };
    expect(found([llm, serviceMonitor('ml', { selector: { matchLabels: { 'inference.llmkube.dev/service': 'helpdesk' } } })])).toEqual([]);
    expect(found([llm, serviceMonitor('ml', { selector: { matchLabels: { app: 'helpdesk' } } })])).toEqual([]);
    expect(found([llm, serviceMonitor('ml', { selector: { matchLabels: { app: 'help-desk' } } })]).map(([severity]) => severity)).toEqual(['warning']);
  });
});

describe('monitor-selects-nothing: pods an operator of the namespace makes of its custom resources', () => {
  const podMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'engine-metrics', namespace: 'serving' },
    spec: { selector: { matchLabels: { 'modelserve.example.io/role': 'engine' } }, podMetricsEndpoints: [{ port: 'metrics' }] },
  };
  const gateway = { ...deployment('gateway', { app: 'gateway' }, [{ containerPort: 8080 }]), metadata: { name: 'gateway', namespace: 'serving' } };
  const modelDeployment = {
    apiVersion: 'modelserve.example.io/v1alpha1',
    kind: 'ModelDeployment',
    metadata: { name: 'summarizer', namespace: 'serving' },
    spec: {
      model: 'example/summarizer-7b',
      engine: { image: 'registry.example.com/engine:1.4.0', replicas: 2, resources: { limits: { 'nvidia.com/gpu': 1 } } },
    },
  };
  const routing = {
    apiVersion: 'routing.example.io/v1',
    kind: 'RoutingPolicy',
    metadata: { name: 'split', namespace: 'serving' },
    spec: { weights: { summarizer: 100 } },
  };
  const found = (docs: unknown[]) =>
    runChecks(
      docs.map((manifest) => ({ manifest })),
      { platform: 'kserve' },
    )
      .filter((f) => f.rule === 'monitor-selects-nothing')
      .map((f) => [f.severity, f.message]);

  test('labels no workload of the tree carries, beside a custom resource whose operator makes pods (an image, replicas): a note that its pods are not in the tree', () => {
    expect(found([podMonitor, gateway, modelDeployment])).toEqual([
      [
        'info',
        "spec.selector modelserve.example.io/role=engine matches no pod template of the tree in namespace 'serving', which holds ModelDeployment/serving/summarizer, custom resources whose operator makes pods: " +
          'those pods are not in the tree, and the operator labels them as it does, so whether they carry these labels and ports is not checked here',
      ],
    ]);
  });

  test('near misses: no such custom resource, or one that runs no containers (a routing policy): the finding stays', () => {
    expect(found([podMonitor, gateway]).map(([severity]) => severity)).toEqual(['warning']);
    expect(found([podMonitor, gateway, routing]).map(([severity]) => severity)).toEqual(['warning']);
    // the custom resource in another namespace than the monitor looks in
    expect(found([podMonitor, gateway, { ...modelDeployment, metadata: { name: 'summarizer', namespace: 'batch' } }]).map(([severity]) => severity)).toEqual([
      'warning',
    ]);
  });
});

/**
 * Cases after ray-project/kuberay ray-operator/controllers/ray/common/pod.go: each group's pods carry
 * ray.io/node-type and ray.io/group, and the Ray container (the first) gets a port `metrics` 8080 where it names none.
 */
describe('monitor-selects-nothing: PodMonitors on the pods of a Ray cluster', () => {
  const rayService = {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'assistant', namespace: 'ml' },
    spec: {
      rayClusterConfig: {
        headGroupSpec: {
          rayStartParams: {},
          template: { spec: { containers: [{ name: 'head', image: 'rayproject/ray:2.46.0', ports: [{ name: 'dashboard', containerPort: 8265 }] }] } },
        },
        workerGroupSpecs: [
          {
            groupName: 'gpu',
            rayStartParams: {},
            template: { spec: { containers: [{ name: 'worker', image: 'rayproject/ray:2.46.0', ports: [{ name: 'engine-stats', containerPort: 8001 }] }] } },
          },
        ],
      },
    },
  };
  const podMonitor = (nodeType: string, port: string) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `ray-${nodeType}`, namespace: 'ml' },
    spec: { selector: { matchLabels: { 'ray.io/node-type': nodeType } }, podMetricsEndpoints: [{ port }] },
  });

  test("a port the selected group's pods do not have: a warning naming the ports KubeRay's pods of that group have", () => {
    expect(found([rayService, podMonitor('head', 'engine-stats')])).toEqual([
      [
        'warning',
        "spec.podMetricsEndpoints[0].port 'engine-stats' is the name of no containerPort of the pods of RayService/ml/assistant, which the selector matches (named ports: dashboard, metrics); Prometheus keeps only targets whose container port is named 'engine-stats' and scrapes nothing; name the containerPort 'engine-stats' or set port to the name it has" +
          NO_DATA,
      ],
    ]);
  });

  test('near misses: the metrics port KubeRay adds to every group, and a port the selected group declares', () => {
    expect(found([rayService, podMonitor('worker', 'metrics')])).toEqual([]);
    expect(found([rayService, podMonitor('head', 'metrics')])).toEqual([]);
    expect(found([rayService, podMonitor('worker', 'engine-stats')])).toEqual([]);
  });
});

// stacklok/toolhive cmd/thv-operator/controllers: the Service of each MCPServer, MCPRemoteProxy and VirtualMCPServer
// carries labelsFor<Kind> (app, app.kubernetes.io/name, app.kubernetes.io/instance, toolhive, toolhive-name), with
// spec.resourceOverrides.proxyService.labels under them
describe("monitor-selects-nothing: the ToolHive operator's Services", () => {
  const toolhive = (kind: string, name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'toolhive.stacklok.dev/v1beta1',
    kind,
    metadata: { name, namespace: 'mcp' },
    spec,
  });
  const monitor = (matchLabels: Record<string, string>, namespace = 'mcp') =>
    serviceMonitor(namespace, { selector: { matchLabels }, endpoints: [{ port: 'http' }] });

  test.each([
    ['a VirtualMCPServer, by its kind', toolhive('VirtualMCPServer', 'tools'), { 'app.kubernetes.io/name': 'virtualmcpserver' }],
    ['a VirtualMCPServer, by its name', toolhive('VirtualMCPServer', 'tools'), { 'toolhive-name': 'tools', toolhive: 'true' }],
    [
      'an MCPServer',
      toolhive('MCPServer', 'fetch', { image: 'ghcr.io/stackloklabs/gofetch/server:1.0.1' }),
      { app: 'mcpserver', 'app.kubernetes.io/instance': 'fetch' },
    ],
    [
      "an MCPServer's proxyService label override",
      toolhive('MCPServer', 'fetch', { resourceOverrides: { proxyService: { labels: { team: 'search' } } } }),
      { team: 'search', 'toolhive-name': 'fetch' },
    ],
    ['an MCPRemoteProxy', toolhive('MCPRemoteProxy', 'notion', { remoteUrl: 'https://mcp.notion.com/mcp' }), { app: 'mcpremoteproxy' }],
  ])('near miss: a ServiceMonitor on the labels ToolHive puts on the Service of %s', (_, resource, labels) => {
    expect(found([resource, monitor(labels)])).toEqual([]);
  });

  test("still judged: another resource's name, an override ToolHive's own label wins, the resource in another namespace", () => {
    const vmcp = toolhive('VirtualMCPServer', 'tools');
    expect(found([vmcp, monitor({ 'toolhive-name': 'tool' })]).map(([s]) => s)).toEqual(['warning']);
    // MergeLabels: the operator's own app label is kept over an override of it
    const overridden = toolhive('MCPServer', 'fetch', { resourceOverrides: { proxyService: { labels: { app: 'search' } } } });
    expect(found([overridden, monitor({ app: 'search' })]).map(([s]) => s)).toEqual(['warning']);
    expect(found([vmcp, monitor({ 'app.kubernetes.io/name': 'virtualmcpserver' }, 'other')]).map(([s]) => s)).toEqual(['warning']);
  });
});

describe('monitor-selects-nothing: the Service the litellm-operator makes of a LiteLLMProxy (internal/controller/resources.go buildService)', () => {
  /** A LiteLLMProxy of the litellm-operator, in the namespace given (none: where the apply puts it). */
  const proxy = (name: string, namespace?: string) => ({
    apiVersion: 'litellm.home-operations.com/v1alpha1',
    kind: 'LiteLLMProxy',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { image: 'ghcr.io/berriai/litellm:main-v1.74.0-stable', service: { port: 4000 } },
  });
  /** A ServiceMonitor of the labels the operator puts on its Service, as home-ops trees write it. */
  const monitor = (instance: string, namespace?: string, matchNames?: string[]) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'litellm', ...(namespace ? { namespace } : {}) },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'litellm', 'app.kubernetes.io/instance': instance } },
      ...(matchNames ? { namespaceSelector: { matchNames } } : {}),
      endpoints: [{ port: 'http', path: '/metrics' }],
    },
  });

  test('selecting the proxy Service by the labels the operator stamps (name litellm, instance <proxy>): made by the operator, no finding (was a warning)', () => {
    expect(found([proxy('gateway', 'llm'), monitor('gateway', 'llm')])).toEqual([]);
  });

  test('neither the proxy nor the monitor names a namespace, the monitor looking in `llm`: they land together where the apply puts them, no finding', () => {
    expect(found([proxy('litellm'), monitor('litellm', undefined, ['llm'])])).toEqual([]);
  });

  test('near misses: another instance, a proxy of another namespace, a monitor that names its own: a warning as before', () => {
    for (const objects of [
      [proxy('gateway', 'llm'), monitor('other', 'llm')],
      [proxy('gateway', 'apps'), monitor('gateway', 'llm')],
      // the monitor names its namespace: a namespace-less proxy lands in default, which it does not look in
      [proxy('gateway'), monitor('gateway', 'monitoring', ['llm'])],
    ])
      expect(found(objects).map(([severity, message]) => [severity, message.slice(0, 60)])).toEqual([
        ['warning', expect.stringMatching(/^spec\.selector app\.kubernetes\.io\/name=litellm/)],
      ]);
  });
});
