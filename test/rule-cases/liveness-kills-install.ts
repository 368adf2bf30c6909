import { ruleFound, severityObjectMessages } from '../util';
import { startupInstall } from '../../lib/check/startup-installs';

/** liveness-kills-install: a start-up install under a liveness probe no start-up probe holds off. */
const RULE = 'liveness-kills-install';
const liveness = { httpGet: { path: '/healthz', port: 8000 }, periodSeconds: 10, failureThreshold: 3 };
const deployment = (container: Record<string, unknown>, sidecars: Record<string, unknown>[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'embedder', namespace: 'llm' },
  spec: {
    selector: { matchLabels: { app: 'embedder' } },
    template: {
      metadata: { labels: { app: 'embedder' } },
      spec: { containers: [{ name: 'app', image: 'python:3.11-slim', ports: [{ containerPort: 8000 }], livenessProbe: liveness, ...container }, ...sidecars] },
    },
  },
});
const shell = (script: string) => ({ command: ['/bin/sh', '-c'], args: [script] });
const found = (...manifests: Record<string, unknown>[]) =>
  severityObjectMessages(
    ruleFound(
      RULE,
      manifests.map((manifest) => ({ manifest })),
      { platform: 'kserve', alone: true },
    ),
  );

describe(RULE, () => {
  test('pip install before the server, under a 30 s liveness probe: a warning naming the command, the budget and both fixes', () => {
    expect(found(deployment(shell('pip install --no-cache-dir -r /app/requirements.txt && python /app/serve.py')))).toEqual([
      [
        'warning',
        'Deployment/llm/embedder',
        "container 'app': its start-up command runs `pip install --no-cache-dir -r /app/requirements.txt` before its server listens, under a livenessProbe on port 8000 that gives up 30 s after the container starts (initialDelaySeconds 0 + failureThreshold 3 × periodSeconds 10) with no startupProbe: " +
          "the tree does not tell how long the install takes (the package index, the packages' size, a build), and if it and the server's start outlast 30 s the kubelet kills the container, whose next start installs again, so it may never serve (CrashLoopBackOff); " +
          'add a startupProbe on the same port whose failureThreshold × periodSeconds covers the install (the kubelet runs the liveness probe only once it passes), or install the packages into the image at build time',
      ],
    ]);
  });

  test('the installs it knows, at a program place of the line; a clone counts only with a build after it', () => {
    const split = (s: string) => s.split(' ');
    expect(startupInstall(split('apt-get update && apt-get install -y ffmpeg ; exec python app.py'))).toBe('apt-get install -y ffmpeg');
    expect(startupInstall(split('sudo uv pip install --system torch; uvicorn app:app'))).toBe('uv pip install --system torch');
    expect(startupInstall(split('cd /srv && npm ci && node server.js'))).toBe('npm ci');
    expect(startupInstall(split('python3 -m pip install -e . && python3 -m app'))).toBe('python3 -m pip install -e .');
    expect(startupInstall(split('git clone https://github.com/acme/tool /src && cd /src && make && ./tool serve'))).toBe(
      'git clone https://github.com/acme/tool /src, then make',
    );
    expect(startupInstall(split('git clone https://github.com/acme/site /srv && python -m http.server'))).toBeUndefined();
    expect(startupInstall(split('echo pip install later; python app.py'))).toBeUndefined();
    expect(startupInstall(split('pip freeze && python app.py'))).toBeUndefined();
  });

  test('an initial delay counts in the budget', () => {
    const [[, , message]] = found(deployment({ ...shell('apt-get install -y curl && ./serve'), livenessProbe: { ...liveness, initialDelaySeconds: 60 } }));
    expect(message).toMatch(/gives up 90 s after the container starts \(initialDelaySeconds 60 \+ failureThreshold 3 × periodSeconds 10\)/);
  });

  test('near misses: a startupProbe, an exec probe, a port a sidecar serves, no install, a vLLM server (liveness-kills-loading judges it)', () => {
    const script = shell('pip install -r requirements.txt && python serve.py');
    expect(
      found(
        deployment({ ...script, startupProbe: { httpGet: { path: '/healthz', port: 8000 }, periodSeconds: 10, failureThreshold: 60 } }),
        deployment({ ...script, livenessProbe: { exec: { command: ['cat', '/tmp/alive'] } } }),
        deployment({ ...script, ports: [], livenessProbe: { httpGet: { path: '/ready', port: 'proxy' } } }, [
          { name: 'proxy', image: 'envoyproxy/envoy:v1.31.0', ports: [{ name: 'proxy', containerPort: 9901 }] },
        ]),
        deployment(shell('python serve.py')),
        deployment({ image: 'vllm/vllm-openai:v0.8.4', ...shell('pip install flashinfer && vllm serve Qwen/Qwen2.5-0.5B-Instruct --port 8000') }),
      ),
    ).toEqual([]);
  });
});
