import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('hpa-utilization-without-request', docs);

/**
 * Cases after kubernetes pkg/controller/podautoscaler/replica_calculator_test.go (calculatePodRequests): every counted
 * container must request the resource; a ContainerResource metric counts only the container it names.
 */
const deployment = (containers: Doc[], extra: Doc = {}): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { selector: { matchLabels: { app: 'chat' } }, template: { metadata: { labels: { app: 'chat' } }, spec: { containers, ...extra } } },
});
const hpa = (metrics?: Doc[], apiVersion = 'autoscaling/v2'): Doc => ({
  apiVersion,
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'chat', namespace: 'ai' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, minReplicas: 1, maxReplicas: 5, ...(metrics ? { metrics } : {}) },
});
const utilization = (name: string) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: 70 } } });
const server = (resources?: Doc) => ({ name: 'server', image: 'quay.io/acme/chat:2', ...(resources ? { resources } : {}) });
const proxy = (resources?: Doc) => ({ name: 'proxy', image: 'quay.io/acme/proxy:1', ...(resources ? { resources } : {}) });

describe('hpa-utilization-without-request', () => {
  test('one container of two lacks the CPU request: an error naming it, the refusal and the fix', () => {
    expect(found([deployment([server({ requests: { cpu: '1' } }), proxy()]), hpa([utilization('cpu')])])).toEqual([
      `error HorizontalPodAutoscaler/ai/chat: spec.metrics[0] scales Deployment 'chat' on cpu utilization, but container 'proxy' of its pods requests no cpu (nor limits it): utilization is a share of the request, so the HPA controller refuses the pods ("missing request for cpu in container …"), sets ScalingActive False (FailedGetResourceMetric) and the HPA never scales; set resources.requests.cpu on that container, or target an AverageValue instead of Utilization`,
    ]);
  });

  test('memory likewise; autoscaling/v1 and a v2 HPA with no metrics scale on CPU at 80 %', () => {
    expect(found([deployment([server({ requests: { cpu: '1' } })]), hpa([utilization('memory')])])).toEqual([
      expect.stringMatching(
        /^error .*: spec\.metrics\[0\] scales Deployment 'chat' on memory utilization, but container 'server' of its pods requests no memory/,
      ),
    ]);
    expect(found([deployment([server()]), { ...hpa(undefined, 'autoscaling/v1'), spec: { ...hpa().spec, targetCPUUtilizationPercentage: 60 } }])).toEqual([
      expect.stringMatching(/^error .*: spec\.targetCPUUtilizationPercentage \(60\) scales Deployment 'chat' on cpu utilization, but container 'server'/),
    ]);
    expect(found([deployment([server()]), hpa()])).toEqual([
      expect.stringMatching(/^error .*: spec\.metrics \(none: 80 % CPU by default\) scales Deployment 'chat' on cpu utilization/),
    ]);
  });

  test('another metric the HPA can read: a warning, it never scales down', () => {
    const queue = { type: 'Pods', pods: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '5' } } };
    expect(found([deployment([server()]), hpa([utilization('cpu'), queue])])).toEqual([
      expect.stringMatching(
        /^warning .*fails this metric on every sync \(FailedGetResourceMetric\): the HPA scales up on its other metrics but never scales down/,
      ),
    ]);
    // both metrics unreadable: an error on each
    expect(found([deployment([server()]), hpa([utilization('cpu'), utilization('memory')])]).map((f) => f.split(' ')[0])).toEqual(['error', 'error']);
  });

  test('a ContainerResource metric counts the container it names; a container the pods lack is an error', () => {
    const container = (name: string) => ({
      type: 'ContainerResource',
      containerResource: { name: 'cpu', container: name, target: { type: 'Utilization', averageUtilization: 60 } },
    });
    const pods = deployment([server({ requests: { cpu: '1' } }), proxy()]);
    expect(found([pods, hpa([container('server')])])).toEqual([]);
    expect(found([pods, hpa([container('proxy')])])).toEqual([
      expect.stringMatching(/^error .*on cpu utilization, but container 'proxy' of its pods requests no cpu/),
    ]);
    expect(found([pods, hpa([container('sidecar')])])).toEqual([
      expect.stringMatching(
        /^error .*on cpu utilization of container 'sidecar', which its pods do not have \(containers: server, proxy\): the HPA controller finds no such container/,
      ),
    ]);
  });

  test('a restartable init container (a sidecar) is counted; a plain init container is not', () => {
    const sidecar = { name: 'log-shipper', image: 'quay.io/acme/ship:1', restartPolicy: 'Always' };
    const init = { name: 'fetch', image: 'quay.io/acme/fetch:1' };
    expect(found([deployment([server({ requests: { cpu: '1' } })], { initContainers: [sidecar] }), hpa([utilization('cpu')])])).toEqual([
      expect.stringMatching(/but container 'log-shipper' of its pods requests no cpu/),
    ]);
    expect(found([deployment([server({ requests: { cpu: '1' } })], { initContainers: [init] }), hpa([utilization('cpu')])])).toEqual([]);
  });

  test('near misses: a limit (the missing request defaults to it), AverageValue, pod-level requests, a LimitRange default, a target outside the tree, resources a renderer fills', () => {
    expect(found([deployment([server({ limits: { cpu: '2' } })]), hpa([utilization('cpu')])])).toEqual([]);
    const average = { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } };
    expect(found([deployment([server()]), hpa([average])])).toEqual([]);
    expect(found([deployment([server()], { resources: { requests: { cpu: '2' } } }), hpa([utilization('cpu')])])).toEqual([]);
    const limitRange = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'ai' },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m' } }] },
    };
    expect(found([deployment([server()]), limitRange, hpa([utilization('cpu')])])).toEqual([]);
    expect(found([hpa([utilization('cpu')])])).toEqual([]);
    expect(found([deployment([server({ requests: '{{ .Values.resources }}' })]), hpa([utilization('cpu')])])).toEqual([]);
  });
});
