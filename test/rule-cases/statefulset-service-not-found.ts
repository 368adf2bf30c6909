import { ruleFindings } from '../util';

type Doc = Record<string, any>;
const found = (docs: Doc[]) => ruleFindings('statefulset-service-not-found', docs);

const service = (name: string, namespace = 'serving'): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: 'engine' }, ports: [{ port: 8000 }] },
});
const statefulSet = (serviceName: string, namespace = 'serving'): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'engine', namespace },
  spec: {
    serviceName,
    selector: { matchLabels: { app: 'engine' } },
    template: {
      metadata: { labels: { app: 'engine' } },
      spec: { containers: [{ name: 'engine', image: 'ghcr.io/acme-ai/engine:1.4.0', ports: [{ containerPort: 8000 }] }] },
    },
  },
});
const hosts: Doc = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hosts', namespace: 'serving' },
  data: { peers: 'engine-0.engine-headless:29500' },
};

describe('statefulset-service-not-found', () => {
  test('serviceName names no Service of a namespace whose Services the tree defines: a warning naming what it holds', () => {
    expect(found([service('engine'), statefulSet('engine-headless')])).toEqual([
      expect.stringMatching(
        /^warning StatefulSet\/serving\/engine: spec\.serviceName 'engine-headless' names no Service of the tree in namespace 'serving' \(it holds engine\): the pods get no DNS names/,
      ),
    ]);
  });

  test('another object addresses a pod by that name: an error naming it', () => {
    expect(found([service('engine'), statefulSet('engine-headless'), hosts])).toEqual([
      expect.stringMatching(/^error StatefulSet\/serving\/engine: .*ConfigMap\/serving\/hosts addresses the pods as engine-<ordinal>\.engine-headless/),
    ]);
  });

  test('near misses: the Service defined, in another namespace the tree does not own, a tree with no Service there', () => {
    expect(found([service('engine-headless'), statefulSet('engine-headless'), hosts])).toEqual([]);
    expect(found([service('engine', 'other'), statefulSet('engine-headless')])).toEqual([]);
    expect(found([statefulSet('engine-headless')])).toEqual([]);
    const portless = statefulSet('engine-headless');
    portless.spec.template.spec.containers[0].ports = [];
    expect(found([service('engine'), portless])).toEqual([]);
  });
});
