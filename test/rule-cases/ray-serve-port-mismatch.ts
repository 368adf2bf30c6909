import { ruleFound, severityObjectMessages } from '../util';

const service = (serveConfig: string, ports?: object[], containers?: object[]) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayService',
  metadata: { name: 'qa', namespace: 'ray' },
  spec: {
    serveConfigV2: serveConfig,
    rayClusterConfig: {
      headGroupSpec: {
        template: { spec: { containers: containers ?? [{ name: 'ray-head', image: 'rayproject/ray:2.49.1', ...(ports ? { ports } : {}) }] } },
      },
    },
  },
});
const APPS = 'applications:\n  - name: qa\n    import_path: qa.app:deployment\n';
const findings = (m: object) => severityObjectMessages(ruleFound('ray-serve-port-mismatch', [{ manifest: m }], { platform: 'kserve' }));

// kuberay utils/constant.go ServingPortName "serve", DefaultServingPort 8000; rayservice_controller.go updateHeadPodServeLabel
describe('ray-serve-port-mismatch', () => {
  test('http_options.port 9000 and no serve port on the head: an error naming 8000 and the fix', () => {
    expect(findings(service(`http_options:\n  port: 9000\n${APPS}`, [{ name: 'dashboard', containerPort: 8265 }]))).toEqual([
      [
        'error',
        'RayService/ray/qa',
        "spec.serveConfigV2 sets http_options.port: 9000, but the head container 'ray-head' declares no port named `serve`, so KubeRay uses 8000: " +
          "the serve Service (qa-serve-svc) and the operator's proxy health check (/-/healthz) target 8000 while Serve listens on 9000, " +
          'so the head pod is never labelled ready to serve, the Service has no endpoints and the RayService never becomes ready; ' +
          'give the Ray containers the port `- name: serve` with `containerPort: 9000`, or drop http_options.port (Serve then listens on 8000)',
      ],
    ]);
  });

  test('a serve port of another number: an error naming it', () => {
    const [[severity, , message]] = findings(service(`http_options: {port: 8080}\n${APPS}`, [{ name: 'serve', containerPort: 8000 }]));
    expect(severity).toBe('error');
    expect(message).toContain("the head container 'ray-head' names containerPort 8000 `serve`: the serve Service (qa-serve-svc)");
    expect(message).toContain('while Serve listens on 8080');
  });

  test('the Ray container is the first: a sidecar with a serve port does not count', () => {
    const containers = [
      { name: 'ray-head', image: 'rayproject/ray:2.49.1' },
      { name: 'proxy', image: 'nginx:1.27', ports: [{ name: 'serve', containerPort: 9000 }] },
    ];
    expect(findings(service(`http_options:\n  port: 9000\n${APPS}`, undefined, containers)).map(([s]) => s)).toEqual(['error']);
  });

  const withWorkers = (headPorts: object[], workerPorts?: object[], readinessProbe?: object) => {
    const m = service(`http_options:\n  port: 9000\n${APPS}`, headPorts);
    (m.spec.rayClusterConfig as Record<string, unknown>).workerGroupSpecs = [
      {
        groupName: 'gpu',
        template: {
          spec: {
            containers: [
              {
                name: 'ray-worker',
                image: 'rayproject/ray:2.49.1',
                ...(workerPorts ? { ports: workerPorts } : {}),
                ...(readinessProbe ? { readinessProbe } : {}),
              },
            ],
          },
        },
      },
    ];
    return m;
  };

  test('a worker group without the serve port, beside a head without it: the error names the workers too', () => {
    const [[severity, , message]] = findings(withWorkers([]));
    expect(severity).toBe('error');
    expect(message).toContain(
      'the RayService never becomes ready; the readiness probe KubeRay gives the worker pods checks the proxy on their own serve port too, so the workers of gpu (8000) never become Ready;',
    );
  });

  test('only the workers lack it: a warning, the head still serves', () => {
    expect(findings(withWorkers([{ name: 'serve', containerPort: 9000 }]))).toEqual([
      [
        'warning',
        'RayService/ray/qa',
        'spec.serveConfigV2 sets http_options.port: 9000, and the head names it `serve`, but the Ray container of gpu (8000) does not: ' +
          "the readiness probe KubeRay gives RayService workers checks the Serve proxy (/-/healthz) on that container's serve port, so those workers never become Ready and the serve Service sends them no traffic; " +
          'give their Ray containers the port `- name: serve` with `containerPort: 9000`',
      ],
    ]);
  });

  test.each([
    ['head and workers name 9000 serve', withWorkers([{ name: 'serve', containerPort: 9000 }], [{ name: 'serve', containerPort: 9000 }])],
    [
      'the workers write their own readiness probe',
      withWorkers([{ name: 'serve', containerPort: 9000 }], undefined, { httpGet: { path: '/-/healthz', port: 9000 } }),
    ],
    ['the head names 9000 serve', service(`http_options:\n  port: 9000\n${APPS}`, [{ name: 'serve', containerPort: 9000 }])],
    ['http_options.port 8000 and no serve port', service(`http_options:\n  port: 8000\n${APPS}`)],
    ['no http_options.port and the head names 8000 serve', service(`http_options:\n  host: 0.0.0.0\n${APPS}`, [{ name: 'serve', containerPort: 8000 }])],
    ['no http_options and no serve port (KubeRay and Serve both take 8000)', service(APPS)],
    ['a templated config', service(`http_options:\n  port: \${SERVE_PORT}\n${APPS}`)],
  ])('near miss: %s', (_, m) => {
    expect(findings(m)).toEqual([]);
  });
});

// ray python/ray/serve/config.py HTTPOptions (port 8000 by default); kuberay utils/constant.go DefaultServingPort 8000
describe('ray-serve-port-mismatch: Serve on its default port, the tree aiming elsewhere', () => {
  test('no http_options.port and the head names 9000 serve: an error that says Serve listens on 8000', () => {
    expect(findings(service(`http_options:\n  host: 0.0.0.0\n${APPS}`, [{ name: 'serve', containerPort: 9000 }]))).toEqual([
      [
        'error',
        'RayService/ray/qa',
        "spec.serveConfigV2 sets no http_options.port, so Ray Serve listens on its default 8000, but the head container 'ray-head' names containerPort 9000 `serve`: " +
          "the serve Service (qa-serve-svc) and the operator's proxy health check (/-/healthz) target 9000, so the head pod is never labelled ready to serve, " +
          'the Service has no endpoints and the RayService never becomes ready; set `http_options: {port: 9000}` in serveConfigV2, or aim at 8000 (containerPort 8000 named `serve`)',
      ],
    ]);
  });

  test('a probe of the Serve proxy on 9000: an error naming the probe', () => {
    const containers = [{ name: 'ray-head', image: 'rayproject/ray:2.49.1', readinessProbe: { httpGet: { path: '/-/healthz', port: 9000 } } }];
    expect(findings(service(APPS, undefined, containers))).toEqual([
      [
        'error',
        'RayService/ray/qa',
        "spec.serveConfigV2 sets no http_options.port, so Ray Serve listens on its default 8000, but the head container 'ray-head''s readinessProbe asks the Serve proxy (/-/healthz) on port 9000: " +
          'nothing answers there, so the probe fails and the head pod never becomes Ready; set `http_options: {port: 9000}` in serveConfigV2, or aim at 8000',
      ],
    ]);
  });

  const withService = (targetPort: number | string, selector: Record<string, string> = { 'ray.io/node-type': 'head' }, ports?: object[]) => [
    service(APPS, ports),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'qa-http', namespace: 'ray' }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] } },
  ];
  const serviceFindings = (objects: object[]) =>
    severityObjectMessages(
      ruleFound(
        'ray-serve-port-mismatch',
        objects.map((manifest) => ({ manifest })),
        { platform: 'kserve' },
      ),
    );

  test('a Service of the tree on the head pods at 9000, which nothing declares: a warning', () => {
    expect(serviceFindings(withService(9000))).toEqual([
      [
        'warning',
        'RayService/ray/qa',
        'spec.serveConfigV2 sets no http_options.port, so Ray Serve listens on its default 8000, but Service qa-http selects the head pods on port 9000, which no container of the head pod declares: ' +
          'its connections are refused; set `http_options: {port: 9000}` in serveConfigV2, or aim at 8000',
      ],
    ]);
  });

  test.each([
    ['the Service targets 8000', withService(8000)],
    ["the Service targets Ray's dashboard", withService(8265)],
    ['the Service selects other pods', withService(9000, { app: 'frontend' })],
    ['a container of the head pod declares 9000', withService(9000, { 'ray.io/node-type': 'head' }, [{ name: 'metrics', containerPort: 9000 }])],
  ])('near miss, %s: silent', (_, objects) => {
    expect(serviceFindings(objects)).toEqual([]);
  });
});
