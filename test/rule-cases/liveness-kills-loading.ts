import { Finding, runChecks } from '../../lib';

const RULE = 'liveness-kills-loading';

function findings(manifests: any[]): Finding[] {
  return runChecks(
    manifests.map((manifest) => ({ manifest })),
    { platform: 'rhoai-3.0', rules: [RULE] },
  );
}

/** A Deployment of the TGI image (its entrypoint the launcher) serving `model`, probed on `probePort`. */
function tgiDeployment(model: string, probePort: number, extra: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'tgi', namespace: 'ai' },
    spec: {
      selector: { matchLabels: { app: 'tgi' } },
      template: {
        metadata: { labels: { app: 'tgi' } },
        spec: {
          containers: [
            {
              name: 'server',
              image: 'ghcr.io/huggingface/text-generation-inference:3.0.1',
              env: [{ name: 'MODEL_ID', value: model }],
              livenessProbe: { httpGet: { path: '/health', port: probePort }, initialDelaySeconds: 60 },
              ...extra,
            },
          ],
        },
      },
    },
  };
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
      expect.objectContaining({ message: expect.stringMatching(/warm-up alone/) }),
    ]);
    expect(findings([tgiDeployment('org/m', 8080, { args: ['--port', '3000'] })])).toEqual([]);
  });
});
