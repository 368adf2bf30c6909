import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ExistingGpuNodes, GpuInstanceType, ModelProfile, ModelSmokeTest, ModelSource, SchemaValidator, VllmInferenceService, VllmRuntime } from '../../lib';
import { OpenAiStub, startOpenAiStub, STUB_MODEL } from '../setup/openai-stub';
import { tempDir, testApp } from '../util';

let stub: OpenAiStub;
beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(() => stub.close());

function rendered(serviceProps: Record<string, unknown> = {}, smoke: (svc: VllmInferenceService) => Record<string, unknown> = () => ({}), name = 'llama') {
  const app = testApp();
  const chart = new Chart(app, 'c', { namespace: 'team' });
  const svc = new VllmInferenceService(chart, name, {
    runtime: new VllmRuntime(chart, 'R'),
    source: ModelSource.pvc('models', 'llama'),
    model: ModelProfile.bundled('llama-3.1-8b-instruct'),
    placement: new ExistingGpuNodes(chart, 'N', { shape: GpuInstanceType.G6E_XLARGE }),
    maxModelLen: 8192,
    ...serviceProps,
  });
  new ModelSmokeTest(chart, 'Smoke', { service: svc, ...smoke(svc) });
  return Testing.synth(chart);
}

const job = (objects: any[]) => objects.find((o) => o.kind === 'Job');
const scriptOf = (objects: any[]) => objects.find((o) => o.kind === 'ConfigMap' && o.data?.['smoke_test.py']).data['smoke_test.py'] as string;

describe('ModelSmokeTest: a PostSync hook Job that asks the model', () => {
  test('a service without auth: plain http to the predictor Service, no token, no Role; every object a PostSync hook', () => {
    const objects = rendered();
    for (const o of objects.filter((x) => !['InferenceService', 'ServingRuntime'].includes(x.kind))) {
      expect([o.kind, o.metadata.annotations['argocd.argoproj.io/hook']]).toEqual([o.kind, 'PostSync']);
    }
    expect(scriptOf(objects)).toContain('"url":"http://llama-predictor.team.svc.cluster.local","model":"llama","tokenPath":null');
    expect(objects.some((o) => o.kind === 'Role')).toBe(false);
    expect(job(objects).spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(new SchemaValidator({ cacheDir: null }).validate(job(objects))).toEqual([]);
  });

  test("with token auth: https through kube-rbac-proxy with OpenShift's service CA, the Job's own token and a Role to get the service", () => {
    const objects = rendered({ enableAuth: true });
    expect(scriptOf(objects)).toContain(
      '"url":"https://llama-predictor.team.svc.cluster.local:8443","model":"llama","tokenPath":"/var/run/secrets/kubernetes.io/serviceaccount/token","caPath":"/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt"',
    );
    expect(objects.find((o) => o.kind === 'Role').rules).toEqual([
      { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'], resourceNames: ['llama'], verbs: ['get'] },
    ]);
    expect(job(objects).spec.template.spec.automountServiceAccountToken).toBe(true);
    // a token from a Secret instead: mounted as a file, declared as created outside Git, no Role
    const fromSecret = rendered({ enableAuth: true }, () => ({ tokenSecret: { name: 'llama-token', key: 'token' } }));
    expect(fromSecret.some((o) => o.kind === 'Role')).toBe(false);
    expect(job(fromSecret).metadata.annotations['cdk8s-vllm.io/external-secrets']).toBe('llama-token');
    expect(job(fromSecret).spec.template.spec.volumes).toContainEqual({
      name: 'token',
      secret: { secretName: 'llama-token', items: [{ key: 'token', path: 'token' }] },
    });
  });

  test('bad settings are refused, naming the field', () => {
    expect(() => rendered({}, () => ({ url: 'ftp://x' }))).toThrow(/ModelSmokeTest .*url 'ftp:\/\/x' is not http\(s\)/);
    expect(() => rendered({}, () => ({ url: 'http://user:pw@x' }))).toThrow(/url carries credentials/);
    expect(() => rendered({}, () => ({ timeoutSeconds: -1 }))).toThrow(/timeoutSeconds must be a number of seconds/);
    expect(() => rendered({}, () => ({ tokenSecret: { name: 'Bad_Name', key: 'token' } }))).toThrow(/tokenSecret/);
  });

  test('the rendered script, run with python3, passes against a good server and fails against a wrong model', async () => {
    const run = async (variant: 'good' | 'wrong-model') => {
      // the same construct, pointed at the stub: what the Job would run in the cluster
      const script = scriptOf(rendered({}, () => ({ url: stub.url(variant) }), STUB_MODEL));
      const file = path.join(tempDir('smoke-job-'), 'smoke_test.py');
      fs.writeFileSync(file, script);
      return new Promise<{ code: number; out: string }>((resolve) =>
        execFile('python3', [file], { env: { PATH: process.env.PATH! } }, (e, out, err) =>
          resolve({ code: e ? ((e as { code?: number }).code ?? -1) : 0, out: `${out}${err}` }),
        ),
      );
    };
    expect((await run('good')).code).toBe(0);
    const wrong = await run('wrong-model');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(new RegExp(`${STUB_MODEL}`));
  });
});
