import { Found, treeRuleFound } from '../util';

const SERVICE = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {${extra}selector: {app: ms}, ports: [{port: 9000}]}`;

const DEPLOYMENT = (image: string, pod = '', env = '') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: ms}',
    'spec:',
    '  selector: {matchLabels: {app: ms}}',
    '  template:',
    '    metadata: {labels: {app: ms}}',
    '    spec:',
    ...(pod ? [`      ${pod}`] : []),
    '      containers:',
    `      - name: server`,
    `        image: ${image}`,
    ...(env ? ['        env:', `        - {name: ${env}, value: "9000"}`] : []),
  ].join('\n');

const found = (files: Record<string, string>): Promise<Found[]> => treeRuleFound('service-link-setting-collides', 'service-link.', files);

describe('service-link-setting-collides', () => {
  test("a Service named model-server beside Onyx's backend: an error naming the variable", async () => {
    const fs = await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1') });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['error', 'Service/model-server']]);
    expect(fs[0].message).toContain('the kubelet sets MODEL_SERVER_PORT=tcp://<cluster IP>:<port> in the pods of Deployment/ms');
    expect(fs[0].message).toContain('ValueError');
  });

  test('a Deployment delivered with replicas: 0 that nothing scales: a latent warning naming it; an HPA that scales it keeps the error', async () => {
    const idle = DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1').replace('\nspec:\n', '\nspec:\n  replicas: 0\n');
    const fs = await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': idle });
    expect(fs.map((f) => [f.severity, f.object])).toEqual([['warning', 'Service/model-server']]);
    expect(fs[0].message).toMatch(
      / \(latent: Deployment\/ms, whose pods fail, is delivered with replicas: 0 and no HorizontalPodAutoscaler or KEDA ScaledObject or HTTPScaledObject of the tree scales it, so no pod runs until it is scaled up\)$/,
    );
    const hpa =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ms}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ms}, minReplicas: 1, maxReplicas: 3}';
    expect((await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': idle, 'hpa.yaml': hpa })).map((f) => f.severity)).toEqual(['error']);
  });

  test('a Service applied apart from the workload (another folder): a warning', async () => {
    const fs = await found({ 'a/svc.yaml': SERVICE('indexing-model-server'), 'b/ms.yaml': DEPLOYMENT('docker.io/onyxdotapp/onyx-model-server:v0.29.1') });
    expect(fs.map((f) => f.severity)).toEqual(['warning']);
  });

  test('near misses: service links off, the variable set in env, a headless Service, another name, another image', async () => {
    expect(
      await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1', 'enableServiceLinks: false') }),
    ).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1', '', 'MODEL_SERVER_PORT') })).toEqual(
      [],
    );
    expect(await found({ 'svc.yaml': SERVICE('model-server', 'clusterIP: None, '), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1') })).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('embedding-server'), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-backend:v0.29.1') })).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('model-server'), 'api.yaml': DEPLOYMENT('onyxdotapp/onyx-web-server:v0.29.1') })).toEqual([]);
  });
});

describe('service-link-setting-collides: text-generation-inference reads MASTER_PORT', () => {
  test('a Service named master beside a TGI (or TGIS) container: an error that the launcher exits', async () => {
    const tgi = await found({ 'svc.yaml': SERVICE('master'), 'tgi.yaml': DEPLOYMENT('ghcr.io/huggingface/text-generation-inference:3.3.4') });
    expect(tgi.map((f) => [f.severity, f.object])).toEqual([['error', 'Service/master']]);
    expect(tgi[0].message).toMatch(/MASTER_PORT=tcp:\/\/<cluster IP>:<port>.*text-generation-launcher parses its master_port argument/);
    const tgis = await found({ 'svc.yaml': SERVICE('master'), 'tgis.yaml': DEPLOYMENT('quay.io/modh/text-generation-inference:rhoai-2.16') });
    expect(tgis.map((f) => f.severity)).toEqual(['error']);
  });

  test('near misses: MASTER_PORT set in the env, service links off, another Service name, another image', async () => {
    const image = 'ghcr.io/huggingface/text-generation-inference:3.3.4';
    expect(await found({ 'svc.yaml': SERVICE('master'), 'tgi.yaml': DEPLOYMENT(image, '', 'MASTER_PORT') })).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('master'), 'tgi.yaml': DEPLOYMENT(image, 'enableServiceLinks: false') })).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('prometheus'), 'tgi.yaml': DEPLOYMENT(image) })).toEqual([]);
    expect(await found({ 'svc.yaml': SERVICE('master'), 'app.yaml': DEPLOYMENT('nginx:1.27') })).toEqual([]);
  });
});
