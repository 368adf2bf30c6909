import { Finding, runChecks } from '../../lib';

const RULE = 'liveness-kills-loading';

function findings(manifests: any[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0', rules: [RULE] },
  );
}

/** A Deployment `name` in namespace ai whose pod runs the one container given. */
function deploymentOf(name: string, container: Record<string, unknown>): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
}

/** A Deployment of the TGI image (its entrypoint the launcher) serving `model`, probed on `probePort`. */
function tgiDeployment(model: string, probePort: number, extra: Record<string, unknown> = {}): any {
  return deploymentOf('tgi', {
    name: 'server',
    image: 'ghcr.io/huggingface/text-generation-inference:3.0.1',
    env: [{ name: 'MODEL_ID', value: model }],
    livenessProbe: { httpGet: { path: '/health', port: probePort }, initialDelaySeconds: 60 },
    ...extra,
  });
}

describe('liveness-kills-loading on Hugging Face TGI', () => {
  test("the image's own entrypoint on its port 80, the model sized by the MODEL_ID its name spells: an error naming TGI", () => {
    expect(findings([tgiDeployment('meta-llama/Llama-3.1-70B-Instruct', 80)])).toEqual([
      expect.objectContaining({
        rule: RULE,
        severity: 'error',
        object: 'Deployment/ai/tgi',
        message: expect.stringMatching(
          /container 'server' \(TGI\): the liveness probe gives up after 90 s .*shards have loaded meta-llama\/Llama-3\.1-70B-Instruct \(about 140 GB by its name\).*restarts TGI before it ever serves; add a startupProbe/,
        ),
      }),
    ]);
  });

  test('near misses: a start-up probe, a probe on another port, a liveness budget beyond the load, another image', () => {
    const model = 'meta-llama/Llama-3.1-70B-Instruct';
    expect(findings([tgiDeployment(model, 80, { startupProbe: { httpGet: { path: '/health', port: 80 }, failureThreshold: 180 } })])).toEqual([]);
    expect(findings([tgiDeployment(model, 9000)])).toEqual([]);
    expect(findings([tgiDeployment('org/tiny-model', 80, { livenessProbe: { httpGet: { path: '/health', port: 80 }, initialDelaySeconds: 600 } })])).toEqual(
      [],
    );
    const other = tgiDeployment(model, 80);
    other.spec.template.spec.containers[0].image = 'quay.io/lab/chat-ui:1.0';
    expect(findings([other])).toEqual([]);
  });

  test('a --port on the command line is the port the probe must reach', () => {
    expect(findings([tgiDeployment('org/m', 8080, { args: ['--port', '8080'] })])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/org\/m has no size its name spells: a 7B model at 16 bits/) }),
    ]);
    expect(findings([tgiDeployment('org/m', 8080, { args: ['--port', '3000'] })])).toEqual([]);
  });
});

/** A ServingRuntime whose launcher serves /mnt/models, probed by an exec curl as the dashboard's templates do. */
function launcherRuntime(image: string, args: string[], probePort: number, initialDelaySeconds: number): any {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: 'textgen', namespace: 'ai' },
    spec: {
      supportedModelFormats: [{ name: 'pytorch', autoSelect: true }],
      containers: [
        {
          name: 'kserve-container',
          image,
          command: ['text-generation-launcher'],
          args,
          livenessProbe: { exec: { command: ['curl', `localhost:${probePort}/health`] }, initialDelaySeconds },
        },
      ],
    },
  };
}

function serviceOn(runtime: string, storageUri: string, name = 'chat'): any {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'ai' },
    spec: { predictor: { model: { modelFormat: { name: 'pytorch' }, runtime, storageUri } } },
  };
}

const TGI_IMAGE = 'ghcr.io/huggingface/text-generation-inference:1.4.0';
const TGIS_IMAGE = 'quay.io/modh/text-generation-inference:rhoai-2.16';

describe('liveness-kills-loading on a serving runtime: the model is what its InferenceServices mount', () => {
  test('a runtime no service uses: the model is unknown, so a warning naming the size assumed, never an error', () => {
    expect(findings([launcherRuntime(TGI_IMAGE, ['--model-id=/mnt/models/', '--port=8080'], 8080, 30)])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'ServingRuntime/ai/textgen',
        message: expect.stringMatching(
          /\(TGI\): the liveness probe gives up after 60 s .*no InferenceService of the tree uses this runtime.*a 7B model at 16 bits \(about 14 GB\).*if the model is that large/,
        ),
      }),
    ]);
  });

  test("a service mounting a 70B model: the read alone, even at a fast node's 1000 MiB/s (134 s), outlasts TGI's 60 s probe: an error", () => {
    const runtime = launcherRuntime(TGI_IMAGE, ['--model-id=/mnt/models/', '--port=8080'], 8080, 30);
    expect(findings([runtime, serviceOn('textgen', 's3://models/llama-3.1-70b-instruct/')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /loaded s3:\/\/models\/llama-3\.1-70b-instruct\/ \(about 140 GB by its name\).*, and about 134 s even on a fast node \(the weights read at 1000 MiB\/s and no warm-up counted\)/,
        ),
      }),
    ]);
  });

  test('the same model under a 200 s probe: short at 250 MiB/s (565 s with the warm-up) but not at a fast read (134 s): a warning naming the rates', () => {
    const runtime = launcherRuntime(TGI_IMAGE, ['--model-id=/mnt/models/', '--port=8080'], 8080, 170);
    expect(findings([runtime, serviceOn('textgen', 's3://models/llama-3.1-70b-instruct/')])).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /gives up after 200 s .*about 565 s at 250 MiB\/s.*; on a fast node \(the weights read at 1000 MiB\/s and no warm-up counted\) about 134 s, which fits/,
        ),
      }),
    ]);
  });

  test('near misses: a small model loads within the probe; one service of unknown size makes the smallest unknown', () => {
    const runtime = launcherRuntime(TGI_IMAGE, ['--model-id=/mnt/models/', '--port=8080'], 8080, 30);
    expect(findings([runtime, serviceOn('textgen', 's3://models/qwen2.5-0.5b-instruct/')])).toEqual([]);
    const mixed = findings([runtime, serviceOn('textgen', 's3://models/llama-3.1-70b-instruct/'), serviceOn('textgen', 's3://models/flan-t5-small/', 'small')]);
    expect(mixed).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/InferenceService small names its model by s3:\/\/models\/flan-t5-small\/, which spells no size/),
      }),
    ]);
  });

  test("IBM's TGIS is judged as itself: its --model-name, its HTTP port 3000 and no warm-up", () => {
    const tgis = launcherRuntime(TGIS_IMAGE, ['--model-name=/mnt/models/', '--port=3000', '--grpc-port=8033'], 3000, 5);
    const [finding] = findings([tgis, serviceOn('textgen', 's3://models/flan-t5-small/')]);
    expect(finding).toEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/\(TGIS\): .*TGIS opens its port only once its shards have loaded the model;/),
      }),
    );
    expect(finding.message).not.toMatch(/warm/);
    // the launcher's own default HTTP port, 3000, when --port is not given; a probe of the gRPC port does not ask the router's /health
    expect(findings([launcherRuntime(TGIS_IMAGE, ['--model-name=/mnt/models/'], 3000, 5)])).toHaveLength(1);
    expect(findings([launcherRuntime(TGIS_IMAGE, ['--model-name=/mnt/models/'], 8033, 5)])).toEqual([]);
    expect(findings([tgis, serviceOn('textgen', 's3://models/granite-3b-code-instruct/')])).toEqual([]);
    expect(findings([tgis, serviceOn('textgen', 's3://models/llama-3.1-70b-instruct/')])).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /TGIS opens its port only once its shards have loaded s3:\/\/models\/llama-3\.1-70b-instruct\/ \(about 140 GB by its name\): about \d+ s at 250 MiB\/s/,
        ),
      }),
    ]);
  });
});

/** A Deployment whose vLLM downloads `model` from the hub at every start (no volume holds its cache), its liveness probe `probe`. */
function hubDeployment(model: string, probe: { initialDelaySeconds: number; failureThreshold: number }): any {
  return deploymentOf('vllm', {
    name: 'vllm',
    image: 'vllm/vllm-openai:v0.11.0',
    args: ['--model', model, '--enforce-eager'],
    livenessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 10, ...probe },
  });
}

describe('liveness-kills-loading: an error only where the fastest plausible start misses the probe', () => {
  test("a 125M model downloaded at every start under a 60 s probe: vLLM's estimated 120 s warm-up misses it by more than the estimate's 50 s spread, its least (30 s) does not: a warning", () => {
    const [finding, ...rest] = findings([hubDeployment('facebook/opt-125m', { initialDelaySeconds: 30, failureThreshold: 3 })]);
    expect(rest).toEqual([]);
    expect(finding).toEqual(expect.objectContaining({ severity: 'warning', object: 'Deployment/ai/vllm' }));
    // 238 MiB: 6 s at 40 MiB/s, 1 s read at 250 MiB/s, 120 s warm-up; 2 s at 200 MiB/s, 1 s read at 1000 MiB/s, 30 s warm-up
    expect(finding.message).toMatch(
      /gives up after 60 s .*about 127 s in all \(the download at 40 MiB\/s\); on a fast node \(the download at 200 MiB\/s, a fast cloud link's to the hub's CDN, the weights read at 1000 MiB\/s and 30 s of warm-up\) about 33 s, which fits/,
    );
  });

  // the warm-up the estimate counts is logged as 20–40 s of graph capture and 30–60 s of torch.compile: 50 s of spread
  test.each([
    ['1 s short (126 s against the estimated 127 s)', 96],
    ['37 s short (90 s)', 60],
    ['50 s short, the spread itself (77 s)', 47],
  ])('near miss: a probe the estimate outlasts by no more than its spread, %s: silent', (_, initialDelaySeconds) => {
    expect(findings([hubDeployment('facebook/opt-125m', { initialDelaySeconds, failureThreshold: 3 })])).toEqual([]);
  });

  test('51 s short (76 s): beyond the spread, a warning', () => {
    expect(findings([hubDeployment('facebook/opt-125m', { initialDelaySeconds: 46, failureThreshold: 3 })])).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/gives up after 76 s .*about 127 s in all/) }),
    ]);
  });

  test('the same model under a 20 s probe: short even for the fastest start, an error', () => {
    expect(findings([hubDeployment('facebook/opt-125m', { initialDelaySeconds: 0, failureThreshold: 2 })])).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/gives up after 20 s .*, and about 33 s even on a fast node/) }),
    ]);
  });
});
