import { pinnedMajor } from '../../lib/manifests/app-template-releases';
import { AppTemplateRelease, renderAppTemplate } from '../../lib/manifests/app-template-render';
import { fluxKustomization, fluxWorkTree, GIT_REPOSITORY } from '../setup/flux-work-tree';
import { cliInProcess, writeTree } from '../util';

// Cases written after the common library chart's own unit tests (charts/library/common/test-chart/unittests of
// bjw-s-labs/helm-charts, common 3.7.3 and 4.1.1): the names, labels and mounts they assert, in our words.

type Obj = Record<string, any>;
const release = (values: Obj, major: 3 | 4 = 4, name = 'release-name'): AppTemplateRelease => ({
  release: name,
  namespace: 'apps',
  values,
  version: `${major}.1.0`,
  major,
});
const objects = (r: AppTemplateRelease): Obj[] => {
  const out = renderAppTemplate(r);
  if ('unmodelled' in out) throw new Error(out.unmodelled);
  return out.objects;
};
const names = (r: AppTemplateRelease, kind: string) =>
  objects(r)
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata.name);
const one = (r: AppTemplateRelease, kind: string, name?: string): Obj => {
  const found = objects(r).filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const echo = { image: { repository: 'ghcr.io/example/echo', tag: 31 } };
const main = { controllers: { main: { containers: { main: echo } } } };
const http = { controller: 'main', ports: { http: { port: 8080 } } };

describe('app-template 4.x names', () => {
  test.each([
    ['the fullname (the release name) for the only controller', {}, 'release-name'],
    [
      'the identifier appended when global.alwaysAppendIdentifierToResourceName is set',
      { global: { alwaysAppendIdentifierToResourceName: true } },
      'release-name-main',
    ],
    ['forceRename, lower-cased', { controllers: { main: { ...main.controllers.main, forceRename: 'forceRename' } } }, 'forcerename'],
    ['a prefix', { controllers: { main: { ...main.controllers.main, prefix: 'prefix' } } }, 'prefix-release-name'],
    ['a suffix', { controllers: { main: { ...main.controllers.main, suffix: 'suffix' } } }, 'release-name-suffix'],
    ['fullnameOverride', { fullnameOverride: 'chat' }, 'chat'],
  ])('a Deployment is named %s', (_, extra, expected) => {
    expect(names(release({ ...main, ...extra }), 'Deployment')).toEqual([expected]);
  });

  test('a release named as its only controller: Deployment and Service both take the release name', () => {
    const r = release(
      { controllers: { ollama: { containers: { app: echo } } }, service: { app: { controller: 'ollama', ports: { http: { port: 11434 } } } } },
      4,
      'ollama',
    );
    expect(names(r, 'Deployment')).toEqual(['ollama']);
    expect(names(r, 'Service')).toEqual(['ollama']);
  });

  test('two controllers: each named <release>-<identifier>, its pods labelled with its identifier', () => {
    const r = release({ controllers: { main: main.controllers.main, worker: { type: 'statefulset', containers: { main: echo } } } });
    expect(names(r, 'Deployment')).toEqual(['release-name-main']);
    expect(names(r, 'StatefulSet')).toEqual(['release-name-worker']);
    const worker = one(r, 'StatefulSet');
    expect(worker.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/controller': 'worker',
      'app.kubernetes.io/name': 'release-name',
      'app.kubernetes.io/instance': 'release-name',
    });
    expect(worker.spec.template.metadata.labels).toEqual(worker.spec.selector.matchLabels);
    expect(worker.spec.serviceName).toBe('release-name');
  });

  test("a Service bound to the second controller selects that controller's pods; two Services are named with their identifiers", () => {
    const r = release({
      controllers: { main: main.controllers.main, worker: { containers: { main: echo } } },
      service: { main: http, jobs: { controller: 'worker', ports: { api: { port: 9000, targetPort: 9001 } } } },
    });
    expect(names(r, 'Service').sort()).toEqual(['release-name-jobs', 'release-name-main']);
    const jobs = one(r, 'Service', 'release-name-jobs');
    expect(jobs.spec.selector['app.kubernetes.io/controller']).toBe('worker');
    expect(jobs.spec.ports).toEqual([{ port: 9000, targetPort: 9001, protocol: 'TCP', name: 'api' }]);
  });

  test('a Service that names no controller takes the only one (4.x) ', () => {
    const r = release({ ...main, service: { main: { ports: { http: { port: 80, protocol: 'HTTP' } } } } });
    expect(one(r, 'Service').spec).toEqual({
      type: 'ClusterIP',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP', name: 'http' }],
      selector: { 'app.kubernetes.io/name': 'release-name', 'app.kubernetes.io/instance': 'release-name', 'app.kubernetes.io/controller': 'main' },
    });
  });

  test('the chart defaults: Recreate strategy, one replica, three kept revisions, the container image repository:tag', () => {
    const d = one(release(main), 'Deployment');
    expect([d.spec.strategy, d.spec.replicas, d.spec.revisionHistoryLimit]).toEqual([{ type: 'Recreate' }, 1, 3]);
    expect(d.spec.template.spec.containers).toEqual([{ name: 'main', image: 'ghcr.io/example/echo:31' }]);
    expect(d.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
  });
});

describe('app-template 3.x names and labels', () => {
  test('pods and selectors carry app.kubernetes.io/component; the only controller takes the fullname', () => {
    const d = one(release(main, 3), 'Deployment');
    expect(d.metadata.name).toBe('release-name');
    expect(d.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('main');
    expect(d.spec.selector.matchLabels['app.kubernetes.io/controller']).toBeUndefined();
  });

  test('Services: nameOverride appended; two Services named with their identifiers; a primary one keeps the fullname', () => {
    expect(names(release({ ...main, service: { main: { ...http, nameOverride: 'http' } } }, 3), 'Service')).toEqual(['release-name-http']);
    const two = { ...main, service: { main: http, second: { controller: 'main', ports: { ui: { port: 8082 } } } } };
    expect(names(release(two, 3), 'Service')).toEqual(['release-name-main', 'release-name-second']);
    const primary = { ...two, service: { ...two.service, main: { ...http, primary: true } } };
    expect(names(release(primary, 3), 'Service')).toEqual(['release-name', 'release-name-second']);
  });

  test("PVCs: the identifier always appended, nameOverride '-' keeps the fullname, another nameOverride is appended", () => {
    const claim = (extra: Obj = {}) => ({ ...main, persistence: { config: { accessMode: 'ReadWriteOnce', size: '1Gi', ...extra } } });
    expect(names(release(claim(), 3), 'PersistentVolumeClaim')).toEqual(['release-name-config']);
    expect(names(release(claim({ nameOverride: '-' }), 3), 'PersistentVolumeClaim')).toEqual(['release-name']);
    expect(names(release(claim({ nameOverride: 'custom' }), 3), 'PersistentVolumeClaim')).toEqual(['release-name-custom']);
    // 4.x: one claim takes the fullname, as the controllers do
    expect(names(release(claim(), 4), 'PersistentVolumeClaim')).toEqual(['release-name']);
  });

  test('a 3.x Service that names no controller: the chart fails on it, so the release is not modelled', () => {
    expect(renderAppTemplate(release({ ...main, service: { main: { ports: { http: { port: 80 } } } } }, 3))).toEqual({
      unmodelled: 'service.main names no enabled controller, and the chart fails on it',
    });
  });
});

describe('app-template persistence', () => {
  const values = {
    controllers: { main: { containers: { main: echo, sidecar: echo } }, other: { containers: { main: echo } } },
    persistence: {
      models: { existingClaim: 'models', globalMounts: [{ path: '/root/.ollama' }] },
      scratch: { type: 'emptyDir' },
      config: { type: 'configMap', name: 'settings', advancedMounts: { main: { sidecar: [{ path: '/etc/app', readOnly: true }] } } },
    },
  };

  test('an existingClaim is the volume claimName and no PVC is made; globalMounts at their path; an item with no mounts at /<identifier>', () => {
    const r = release(values);
    expect(names(r, 'PersistentVolumeClaim')).toEqual([]);
    const pod = one(r, 'Deployment', 'release-name-main').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'config', configMap: { name: 'settings' } },
      { name: 'models', persistentVolumeClaim: { claimName: 'models' } },
      { name: 'scratch', emptyDir: {} },
    ]);
    const [mainMounts, sidecarMounts] = pod.containers.map((c: Obj) => c.volumeMounts);
    expect(mainMounts).toEqual([
      { name: 'models', mountPath: '/root/.ollama' },
      { name: 'scratch', mountPath: '/scratch' },
    ]);
    expect(sidecarMounts).toEqual([
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'models', mountPath: '/root/.ollama' },
      { name: 'scratch', mountPath: '/scratch' },
    ]);
  });

  test("advancedMounts of another controller: the item is not a volume of this controller's pod", () => {
    const pod = one(release(values), 'Deployment', 'release-name-other').spec.template.spec;
    expect(pod.volumes.map((v: Obj) => v.name)).toEqual(['models', 'scratch']);
  });

  test('a claim without existingClaim: the PVC the chart makes is the volume', () => {
    const r = release({ ...main, persistence: { data: { accessMode: 'ReadWriteOnce', size: '10Gi', storageClass: 'fast' } } });
    expect(one(r, 'PersistentVolumeClaim').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      storageClassName: 'fast',
    });
    expect(one(r, 'Deployment').spec.template.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'release-name' } }]);
  });
});

describe('app-template containers', () => {
  test('env as a map: scalars as strings, a map as valueFrom, dependsOn ordering first', () => {
    const env = { B: 1, A: { secretKeyRef: { name: 'keys', key: 'token' } }, C: { value: 'x', dependsOn: 'D' }, D: 'd' };
    const c = one(release({ controllers: { main: { containers: { main: { ...echo, env } } } } }), 'Deployment').spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'A', valueFrom: { secretKeyRef: { name: 'keys', key: 'token' } } },
      { name: 'B', value: '1' },
      { name: 'D', value: 'd' },
      { name: 'C', value: 'x' },
    ]);
  });

  test("probes default to the primary Service's port; a probe's own port wins; a disabled probe is left out", () => {
    const probes = { liveness: { enabled: true }, readiness: { enabled: true, type: 'HTTP', path: '/health', port: 9000 }, startup: { enabled: false } };
    const r = release({
      controllers: { main: { containers: { main: { ...echo, probes } } } },
      service: { main: { ...http, ports: { http: { port: 80, targetPort: 8080 } } } },
    });
    const c = one(r, 'Deployment').spec.template.spec.containers[0];
    expect(c.livenessProbe).toEqual({ initialDelaySeconds: 0, failureThreshold: 3, timeoutSeconds: 1, periodSeconds: 10, tcpSocket: { port: 8080 } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', scheme: 'HTTP', port: 9000 });
    expect(c.startupProbe).toBeUndefined();
  });

  test('a quoted number the chart prints as text (Service port and targetPort, route backendRef and parentRef port, Ingress backend) is read back as the integer', () => {
    const r = release({
      ...main,
      service: { main: { ...http, ports: { http: { port: '8080', primary: true }, admin: { port: '9090', targetPort: 'admin' } } } },
      route: { main: { hostnames: ['chat.example.org'], parentRefs: [{ name: 'gw', namespace: 'net', port: '443' }] } },
      ingress: { main: { hosts: [{ host: 'chat.example.org', paths: [{ path: '/', service: { identifier: 'main' } }] }] } },
    });
    expect(one(r, 'Service').spec.ports.map((p: Obj) => [p.name, p.port, p.targetPort])).toEqual([
      ['admin', 9090, 'admin'],
      ['http', 8080, 8080],
    ]);
    const route = one(r, 'HTTPRoute').spec;
    expect(route.rules[0].backendRefs[0].port).toBe(8080);
    expect(route.parentRefs[0].port).toBe(443);
    expect(one(r, 'Ingress').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 8080 });
  });

  test("near miss: a probe's own quoted port is copied with toYaml, so it stays a string; a port name stays a name", () => {
    const probes = { readiness: { enabled: true, custom: true, spec: { httpGet: { path: '/health', port: '8080' } } } };
    const r = release({
      controllers: { main: { containers: { main: { ...echo, probes } } } },
      service: { main: { ...http, ports: { http: { port: 'http' } } } },
    });
    expect(one(r, 'Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.port).toBe('8080');
    expect(one(r, 'Service').spec.ports[0].port).toBe('http');
  });
});

describe('app-template values the chart runs through tpl (lib/pod/fields/_volumes.tpl, lib/container/fields/_env.tpl)', () => {
  const at = (values: Obj, version: string, name = 'ollama'): AppTemplateRelease => ({ ...release(values, 4, name), version });
  const volumes = (r: AppTemplateRelease) => one(r, 'Deployment').spec.template.spec.volumes;
  const env = (r: AppTemplateRelease) => one(r, 'Deployment').spec.template.spec.containers[0].env;

  test('an existingClaim naming the release is the claim of that name, from the library that runs it through tpl', () => {
    const r = at({ ...main, persistence: { config: { existingClaim: '{{ .Release.Name }}-config' } } }, '4.6.2');
    expect(volumes(r)).toEqual([{ name: 'config', persistentVolumeClaim: { claimName: 'ollama-config' } }]);
  });

  test('env values: the namespace, a literal value of the values, the fullname include, quote and upper', () => {
    const values = {
      ...main,
      extra: { host: 'models.local' },
      controllers: {
        main: {
          containers: {
            main: {
              ...echo,
              env: {
                NS: '{{ .Release.Namespace }}',
                HOST: '{{ .Values.extra.host | upper }}',
                SELF: '{{ include "bjw-s.common.lib.chart.names.fullname" $ }}',
                Q: '{{ printf "%s-%s" .Chart.Name "x" | quote }}',
              },
            },
          },
        },
      },
    };
    expect(env(at(values, '4.6.2', 'web'))).toEqual([
      { name: 'HOST', value: 'MODELS.LOCAL' },
      { name: 'NS', value: 'apps' },
      { name: 'Q', value: '"app-template-x"' },
      { name: 'SELF', value: 'web' },
    ]);
  });

  test.each([
    ['a lookup of the cluster', '{{ (lookup "v1" "Secret" "apps" "x").data }}'],
    ['a value the values lack', '{{ .Values.missing.key }}'],
    ['a random value', '{{ randAlphaNum 8 }}'],
  ])('%s: the release stays unrendered, naming the value', (_, tpl) => {
    const out = renderAppTemplate(at({ ...main, persistence: { config: { existingClaim: tpl } } }, '4.6.2'));
    expect('unmodelled' in out && out.unmodelled).toMatch(/persistence.config.existingClaim holds a template .* more than the release/);
  });
});

describe('what app-template values the model does not render', () => {
  test.each([
    [
      'a tpl existingClaim of 4.1.x, which the chart prints as written',
      { ...main, persistence: { data: { existingClaim: '{{ .Release.Name }}-data' } } },
      /existingClaim holds a template .* as written/,
    ],
    [
      'a template in a field the chart does not tpl',
      { ...main, controllers: { main: { replicas: '{{ .Values.n }}', containers: { main: echo } } } },
      /controllers.main.replicas holds a template/,
    ],
    ['the chart making its own Secrets', { ...main, secrets: { creds: { stringData: { a: 'b' } } } }, /secrets, whose objects/],
    ['an unknown persistence type', { ...main, persistence: { x: { type: 'bucket' } } }, /type bucket, which the chart refuses/],
  ])('%s: unmodelled, with why', (_, values, why) => {
    const out = renderAppTemplate(release(values));
    expect('unmodelled' in out && out.unmodelled).toMatch(why);
  });

  test.each([
    ['4.1.1', 4],
    ['v3.7.3', 3],
    ['4.x', 4],
    ['^4.0.0', 4],
    ['~3.5', 3],
    ['>=4.0.0 <5.0.0', 4],
    ['>=3.0.0', undefined],
    ['*', undefined],
    [undefined, undefined],
  ])('the version %s pins major %s', (version, major) => {
    expect(pinnedMajor(version)).toBe(major);
  });
});

describe('app-template releases in a tree', () => {
  const source = (tag: string) =>
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: app-template, namespace: ai}\nspec:\n  interval: 1h\n  url: oci://ghcr.io/bjw-s-labs/helm/app-template\n  ref: {tag: ${tag}}\n`;
  const hr =
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: chat, namespace: ai}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: app-template}\n' +
    '  values:\n    controllers:\n      chat:\n        containers:\n          app:\n            image: {repository: ghcr.io/example/chat, tag: 1.0.0}\n';
  const run = async (files: Record<string, string>) => {
    const r = await cliInProcess(['check', writeTree('app-template-tree-', files), '--platform', 'kserve', '--json']);
    return JSON.parse(r.out).findings as { rule: string; severity: string; object: string; message: string }[];
  };

  test('a major the model does not port (6.x): the note on a chart not in the input, as before', async () => {
    const notes = (await run({ 'source.yaml': source('6.0.0'), 'release.yaml': hr })).filter((f) => f.rule === 'input-not-followed');
    expect(notes.map((f) => f.message)).toEqual([
      "HelmRelease/ai/chat installs the chart of OCIRepository ai/app-template (oci://ghcr.io/bjw-s-labs/helm/app-template, tag 6.0.0) as release 'chat' into namespace 'ai', a Helm chart not rendered: the chart is not in the input and check fetches no remote chart, so the objects the release makes are not checked (helm template the chart with the release's values and check the output to judge them)",
    ]);
  });

  test('a valuesFrom ConfigMap not in the input: a note saying the release is not rendered and why', async () => {
    const withFrom = hr.replace('  values:\n', '  valuesFrom:\n    - {kind: ConfigMap, name: chat-values}\n  values:\n');
    const notes = (await run({ 'source.yaml': source('4.1.1'), 'release.yaml': withFrom })).filter((f) => f.rule === 'input-not-followed');
    expect(notes.map((f) => f.message)).toEqual([
      "HelmRelease/ai/chat installs app-template 4.1.1, whose objects check renders from the release's values, but not this release: its valuesFrom ConfigMap ai/chat-values is not in the checked files (helm-controller fails the release if the cluster lacks it too); so the objects it makes are not checked",
    ]);
  });
});

describe('app-template releases a Flux Kustomization builds', () => {
  test("the release is rendered as Flux applies it: into the Kustomization's targetNamespace, its variables substituted", async () => {
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: chat}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: app-template}\n' +
      '  values:\n    controllers:\n      chat:\n        containers:\n          app:\n            image: {repository: ghcr.io/example/chat, tag: 1.0.0}\n' +
      '    persistence:\n      data:\n        existingClaim: "${APP}-data"\n';
    const source =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: app-template}\nspec:\n  interval: 1h\n  url: oci://ghcr.io/bjw-s-labs/helm/app-template\n  ref: {tag: 4.1.1}\n';
    const dir = fluxWorkTree({
      'cluster/flux-system/repository.yaml': GIT_REPOSITORY,
      'cluster/apps/chat/ks.yaml': fluxKustomization(
        'chat',
        './cluster/apps/chat/app',
        '  targetNamespace: assistants\n  postBuild:\n    substitute: {APP: chat}\n',
      ),
      'cluster/apps/chat/app/kustomization.yaml': 'resources: [release.yaml, source.yaml, claim.yaml]\n',
      'cluster/apps/chat/app/claim.yaml':
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: chat-models}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 40Gi}}\n',
      'cluster/apps/chat/app/release.yaml': release,
      'cluster/apps/chat/app/source.yaml': source,
    });
    const r = await cliInProcess(['check', `${dir}/cluster`, '--platform', 'kserve', '--json']);
    const found = (JSON.parse(r.out).findings as { rule: string; object: string; message: string }[]).filter((f) => f.rule === 'pod-reference-not-found');
    expect(found.map((f) => [f.object, f.message.slice(0, f.message.indexOf(':'))])).toEqual([
      ['Deployment/assistants/chat', "spec.template.spec.volumes[data].persistentVolumeClaim.claimName 'chat-data'"],
    ]);
  });
});
