import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { promisify } from 'util';
import { Chart, Size } from 'cdk8s';
import { ModelRegistrationJob, ModelUploadJob, runChecks, S3Connection } from '../../lib';
import { keptWarnings, synthApp, tempDir, testApp } from '../util';

function chartWithConnection() {
  const app = testApp();
  const chart = new Chart(app, 'c', { namespace: 'team-a' });
  const connection = new S3Connection(chart, 'S3', {
    secretName: 'models-s3',
    endpoint: 'https://s3.us-east-2.amazonaws.com',
    bucket: 'models',
    region: 'us-east-2',
  });
  return { app, chart, connection, warnings: keptWarnings(app) };
}

describe('ModelUploadJob', () => {
  const { app, chart, connection, warnings } = chartWithConnection();
  new ModelUploadJob(chart, 'Up', {
    connection,
    modelPath: 'llama/',
    huggingFaceRepo: 'meta-llama/Llama-3.1-8B-Instruct',
    revision: '0e9e39f',
    downloadSize: Size.gibibytes(16),
  });
  const m = synthApp(app);
  const job = m.find((x) => x.kind === 'Job');
  const pod = job.spec.template.spec;
  const c = pod.containers[0];
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));

  test('credentials come only from Secrets; the HF token reference is optional for public models', () => {
    // the connection's Secret is made outside the app: synth says the job's reference to it is unresolved in the tree
    expect(warnings).toEqual([expect.stringMatching(/^warning secret-not-in-tree Job\/team-a\/upload-llama: references Secret models-s3 in 'team-a'/)]);
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'models-s3', key: 'AWS_ACCESS_KEY_ID' } } });
    expect(env.AWS_SECRET_ACCESS_KEY.valueFrom.secretKeyRef).toEqual({ name: 'models-s3', key: 'AWS_SECRET_ACCESS_KEY' });
    // the key KServe's storage initializer reads for hf:// sources, so one Secret serves the job and the services
    expect(env.HF_TOKEN.valueFrom.secretKeyRef).toEqual({ name: 'hf-token', key: 'HF_TOKEN', optional: true });
    expect(env.S3_ENDPOINT.value).toBe('https://s3.us-east-2.amazonaws.com');
    expect(env.S3_PREFIX.value).toBe('llama/');
    expect(env.HF_REVISION.value).toBe('0e9e39f');
  });

  test('runs under the restricted SCC: non-root, no escalation, no capabilities, read-only root with a writable HOME', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(env.HOME.value).toBe('/tmp');
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('Argo CD never syncs it, and its volume is sized for the model', () => {
    for (const o of m) expect(o.metadata.annotations['argocd.argoproj.io/hook']).toBe('Skip');
    const pvc = m.find((x) => x.kind === 'PersistentVolumeClaim');
    expect(pvc.spec.resources.requests.storage).toBe('25Gi');
    expect(pod.volumes).toContainEqual({ name: 'models', persistentVolumeClaim: { claimName: pvc.metadata.name } });
  });

  test('ships an idempotent script that compares every file of the snapshot, not a key count', () => {
    const script = m.find((x) => x.kind === 'ConfigMap').data['upload_model.py'];
    expect(script).toContain('files_metadata=True');
    expect(script).toContain('existing.get(f) != size');
    expect(script).not.toMatch(/KeyCount|MaxKeys/);
  });

  test('a connection created outside Git is expected missing on the job too; one in Git is still looked for', () => {
    const external = testApp();
    const c = new Chart(external, 'c', { namespace: 'team-a' });
    const s3 = new S3Connection(c, 'S3', { secretName: 'models-s3', endpoint: 'https://s3.example.com', bucket: 'models', createdOutsideGit: true });
    new ModelUploadJob(c, 'Up', { connection: s3, modelPath: 'llama/', huggingFaceRepo: 'meta-llama/Llama-3.1-8B-Instruct' });
    const manifests = synthApp(external);
    expect(manifests.find((x) => x.kind === 'Job').metadata.annotations['cdk8s-vllm.io/external-secrets']).toBe('models-s3');
    expect(runChecks(manifests.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'secret-not-in-tree')).toEqual([]);
    expect(runChecks(m.map((manifest) => ({ manifest }))).filter((f) => f.rule === 'secret-not-in-tree')).toEqual([
      expect.objectContaining({ object: 'Job/team-a/upload-llama', message: expect.stringMatching(/references Secret models-s3 in 'team-a'/) }),
    ]);
  });

  test('fails on a repository that is not owner/name', () => {
    const f = chartWithConnection();
    expect(() => new ModelUploadJob(f.chart, 'U', { connection: f.connection, modelPath: 'x/', huggingFaceRepo: 'llama' })).toThrow(
      /not of the form <owner>\/<name>/,
    );
  });
});

describe('ModelRegistrationJob', () => {
  test('renders a Sync hook job with the models as registry payloads', () => {
    const { app, chart, connection } = chartWithConnection();
    const job = new ModelRegistrationJob(chart, 'Reg', { registryUrl: 'https://registry.rhoai-model-registries.svc:8443' });
    job.addModel({ name: 'Llama', version: 'v1', connection, modelPath: 'llama/', labels: ['llm'], properties: { precision: 'bf16' } });
    const m = synthApp(app);
    const k8sJob = m.find((x) => x.kind === 'Job');
    expect(k8sJob.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    const models = JSON.parse(m.find((x) => x.kind === 'ConfigMap').data['models.json']);
    expect(models).toEqual([
      {
        name: 'Llama',
        version: 'v1',
        description: '',
        modelFormatName: 'vLLM',
        storageKey: 'models-s3',
        storagePath: 'llama/',
        uri: 's3://models/llama/?endpoint=https%3A%2F%2Fs3.us-east-2.amazonaws.com&defaultRegion=us-east-2',
        modelProperties: { llm: { metadataType: 'MetadataStringValue', string_value: '' } },
        versionProperties: { precision: { metadataType: 'MetadataStringValue', string_value: 'bf16' } },
      },
    ]);
  });

  test('fails synth with no model, and on a registry URL that already has the API path', () => {
    const { app, chart } = chartWithConnection();
    new ModelRegistrationJob(chart, 'Reg', { registryUrl: 'http://r:8080' });
    expect(() => synthApp(app)).toThrow(/no model to register/);
    expect(() => new ModelRegistrationJob(chart, 'R2', { registryUrl: 'http://r:8080/api/model_registry/v1alpha3' })).toThrow(/without \/api\/model_registry/);
  });

  test('the script registers idempotently against a registry: a second run creates nothing, a 409 race is resolved', async () => {
    const { app, chart, connection } = chartWithConnection();
    const reg = new ModelRegistrationJob(chart, 'Reg', { registryUrl: 'http://placeholder:1' });
    reg.addModel({ name: 'Mistral', version: 'v1', connection, modelPath: 'mistral/' });
    reg.addModel({ name: 'Mistral', version: 'v2', connection, modelPath: 'mistral-v2/' });
    const cm = synthApp(app).find((x) => x.kind === 'ConfigMap');
    const dir = tempDir('registry-');
    for (const [k, v] of Object.entries(cm.data)) fs.writeFileSync(path.join(dir, k), v as string);

    const registry = new FakeRegistry();
    const port = await registry.listen();
    const run = () =>
      promisify(execFile)('python3', [path.join(dir, 'register_models.py')], {
        env: { PATH: process.env.PATH, REGISTRY_URL: `http://127.0.0.1:${port}`, MODELS_FILE: path.join(dir, 'models.json'), REGISTRY_TOKEN: 't0k' },
      });
    try {
      registry.raceOnNextCreate = true;
      await run();
      // the registered model was created by the racing writer; the script created the two versions
      expect(registry.counts()).toEqual({ models: 1, versions: 2, artifacts: 2, creates: 2 });
      expect(registry.models[0].id).toBe('other-1');
      await run();
      expect(registry.counts()).toEqual({ models: 1, versions: 2, artifacts: 2, creates: 2 });
      expect(registry.artifacts[0]).toMatchObject({ artifactType: 'model-artifact', uri: expect.stringMatching(/^s3:\/\/models\/mistral\/\?endpoint=/) });
      expect(registry.sawToken).toBe(true);
    } finally {
      registry.close();
    }
  });
});

/** An in-memory Model Registry (v1alpha3 subset): lookups by name, creates with 409 on duplicates, artifact upsert. */
class FakeRegistry {
  public readonly models: any[] = [];
  public readonly versions: any[] = [];
  public readonly artifacts: any[] = [];
  public raceOnNextCreate = false;
  public sawToken = false;
  private creates = 0;
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as any).port)));
  }
  close() {
    this.server.close();
  }
  counts() {
    return { models: this.models.length, versions: this.versions.length, artifacts: this.artifacts.length, creates: this.creates };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      this.sawToken ||= req.headers.authorization === 'Bearer t0k';
      const url = new URL(req.url!, 'http://x');
      const p = url.pathname.replace('/api/model_registry/v1alpha3', '');
      const send = (code: number, obj: any) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const q = (k: string) => url.searchParams.get(k);
      if (req.method === 'GET' && p === '/registered_models') return send(200, { items: this.models });
      if (req.method === 'GET' && p === '/registered_model') {
        const m = this.models.find((x) => x.name === q('name'));
        return m ? send(200, m) : send(404, { message: 'not found' });
      }
      if (req.method === 'GET' && p === '/model_version') {
        const v = this.versions.find((x) => x.name === q('name') && x.registeredModelId === q('parentResourceId'));
        return v ? send(200, v) : send(404, { message: 'not found' });
      }
      const json = body ? JSON.parse(body) : {};
      const create = (list: any[], dup: boolean) => {
        if (this.raceOnNextCreate) {
          // another writer creates it between the script's lookup and its create: the script gets 409
          this.raceOnNextCreate = false;
          list.push({ ...json, id: `other-${list.length + 1}` });
          return send(409, { message: 'already exists' });
        }
        if (dup) return send(409, { message: 'already exists' });
        const obj = { ...json, id: String(list.length + 1 + this.creates * 100) };
        list.push(obj);
        this.creates++;
        return send(201, obj);
      };
      if (req.method === 'POST' && p === '/registered_models')
        return create(
          this.models,
          this.models.some((x) => x.name === json.name),
        );
      if (req.method === 'POST' && p === '/model_versions') {
        return create(
          this.versions,
          this.versions.some((x) => x.name === json.name && x.registeredModelId === json.registeredModelId),
        );
      }
      const art = /^\/model_versions\/([^/]+)\/artifacts$/.exec(p);
      if (req.method === 'POST' && art) {
        const existing = this.artifacts.findIndex((a) => a.versionId === art[1] && a.name === json.name);
        const obj = { ...json, versionId: art[1], id: `a${art[1]}` };
        if (existing >= 0) this.artifacts[existing] = obj;
        else this.artifacts.push(obj);
        return send(200, obj);
      }
      return send(400, { message: `unexpected ${req.method} ${p}` });
    });
  }
}
