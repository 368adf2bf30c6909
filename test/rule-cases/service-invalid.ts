import { runChecks } from '../../lib';

/** The service-invalid messages for one Service. */
const messages = (spec: Record<string, unknown> | undefined, apiVersion = 'v1') =>
  runChecks([{ manifest: { apiVersion, kind: 'Service', metadata: { name: 'foo', namespace: 'bar' }, ...(spec ? { spec } : {}) } }], { platform: 'kserve' })
    .filter((f) => f.rule === 'service-invalid')
    .map((f) => f.message);

const port = (p: Record<string, unknown>) => ({ name: 'p', port: 80, ...p });

// cases of kubernetes pkg/apis/core/validation validation_test.go TestValidateServiceCreate, written out here
describe('service-invalid: the API server validation cases', () => {
  test.each<[string, Record<string, unknown> | undefined, string | undefined]>([
    ['valid', { selector: { key: 'val' }, ports: [port({ targetPort: 8080 })] }, undefined],
    ['missing ports', { selector: { key: 'val' } }, 'spec.ports: Required value'],
    ['no spec at all', undefined, 'spec.ports: Required value'],
    ['empty ports', { ports: [] }, 'spec.ports: Required value'],
    ['missing ports but headless', { clusterIP: 'None' }, undefined],
    ['missing ports but headless by clusterIPs', { clusterIPs: ['None'] }, undefined],
    ['missing ports but ExternalName', { type: 'ExternalName', externalName: 'foo.bar.example.com' }, undefined],
    ['ExternalName without externalName', { type: 'ExternalName' }, 'spec.externalName: Required value'],
    ['ExternalName of a trailing dot only', { type: 'ExternalName', externalName: '.' }, 'spec.externalName: Required value'],
    ['missing port name beside another', { ports: [port({}), { port: 81 }] }, 'spec.ports[1].name: Required value'],
    ['one unnamed port', { ports: [{ port: 80 }] }, undefined],
    ['invalid port name', { ports: [port({ name: 'INVALID' })] }, 'spec.ports[0].name (INVALID): must be a DNS label'],
    ['port name with underscore', { ports: [port({ name: 'http_metrics' })] }, 'must be a DNS label'],
    ['dup port name', { ports: [port({ name: 'p' }), port({ name: 'p', port: 81 })] }, 'Duplicate value: "p"'],
    ['invalid port', { ports: [port({ port: 65536 })] }, 'must be between 1 and 65535'],
    ['invalid protocol', { ports: [port({ protocol: 'INVALID' })] }, 'Unsupported value: "INVALID"'],
    ['invalid target port number', { ports: [port({ targetPort: 65536 })] }, 'spec.ports[0].targetPort (65536): must be between 1 and 65535'],
    ['target port 0 is defaulted', { ports: [port({ targetPort: 0 })] }, undefined],
    ['valid named target port', { ports: [port({ targetPort: 'http' })] }, undefined],
    ['target port name too long', { ports: [port({ targetPort: 'a-very-long-port-name' })] }, 'must be no more than 15 characters'],
    ['quoted target port number', { ports: [port({ targetPort: '8080' })] }, 'write the number without quotes (targetPort: 8080)'],
    ['dup (port, protocol)', { ports: [port({ name: 'a' }), port({ name: 'b' })] }, 'Duplicate value: TCP/80'],
    ['same port, other protocol', { ports: [port({ name: 'a' }), port({ name: 'b', protocol: 'UDP' })] }, undefined],
    ['nodePort on ClusterIP', { ports: [port({ nodePort: 30080 })] }, "may not be used when `type` is 'ClusterIP'"],
    ['nodePort on NodePort', { type: 'NodePort', ports: [port({ nodePort: 30080 })] }, undefined],
    ['headless LoadBalancer', { type: 'LoadBalancer', clusterIP: 'None', ports: [port({})] }, "may not be set to 'None' for LoadBalancer services"],
  ])('%s', (_name, spec, expected) => {
    const found = messages(spec);
    if (expected === undefined) expect(found).toEqual([]);
    else expect(found).toEqual([expect.stringContaining(expected)]);
  });

  test('a Knative Service (serving.knative.dev/v1) is not judged as a core Service', () => {
    expect(messages({ template: {} }, 'serving.knative.dev/v1')).toEqual([]);
  });

  test('a targetPort holding a placeholder is judged once rendered', () => {
    expect(messages({ ports: [port({ targetPort: '${PORT}' })] })).toEqual([]);
  });
});

// Kubernetes server-side apply: an apply patch of an existing object is merged with its fields before validation;
// argo-cd docs user-guide/sync-options.md "Server-Side Apply" (partial objects, ServerSideApply=true per resource)
describe('service-invalid: a partial Service Argo CD applies server-side', () => {
  const found = (metadata: Record<string, unknown>, spec?: Record<string, unknown>) =>
    runChecks([{ manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'web', ...metadata }, ...(spec ? { spec } : {}) } }], {
      platform: 'kserve',
    })
      .filter((f) => f.rule === 'service-invalid')
      .map((f) => [f.severity, f.message]);
  const ssa = { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false, ServerSideApply=true' } };

  test('metadata alone with ServerSideApply=true: a patch of the existing Service, nothing said', () => {
    expect(found(ssa)).toEqual([]);
  });

  test('a spec without ports: a note that only a create is refused', () => {
    expect(found(ssa, { type: 'ClusterIP' })).toEqual([
      [
        'info',
        "Service edge writes no spec.ports and is applied server-side (argocd.argoproj.io/sync-options: ServerSideApply=true): a patch of the fields it sets on the Service of that name, which the existing Service's ports complete; only where no Service edge exists when Argo CD applies it (the operator that makes it not yet run) is it created and refused (spec.ports: Required value). Make sure what makes the Service runs first (an earlier sync wave or Application), or list its ports",
      ],
    ]);
  });

  test('fires still: no annotation, or another option, or ports that are wrong', () => {
    expect(found({}).map((f) => f[0])).toEqual(['error']);
    expect(found({ annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=false' } }).map((f) => f[0])).toEqual(['error']);
    expect(found(ssa, { ports: [{ port: 80, targetPort: '8080' }] }).map((f) => f[0])).toEqual(['error']);
  });
});
