import { runChecks } from '../../lib';

type Spec = Record<string, unknown>;
const route = (spec: Spec | undefined, metadata: Spec = {}) => ({
  manifest: {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'chat', namespace: 'llm', ...metadata },
    ...(spec === undefined ? {} : { spec }),
  },
});
const to = { kind: 'Service', name: 'chat' };
const withTls = (tls: Spec, more: Spec = {}) => route({ to, tls, ...more });

const findings = (objects: Parameters<typeof runChecks>[0], rule = 'route-invalid') =>
  runChecks(objects, { platform: 'rhoai-3.0' }).filter((f) => f.rule === rule);
const messages = (spec: Spec | undefined, metadata?: Spec) => findings([route(spec, metadata)]).map((f) => f.message);

// the cases of openshift/library-go pkg/route/validation TestValidateRoute, TestValidateTLS and the insecure-policy
// tests, written out here as manifests: the API server runs the defaulter (pkg/route/defaulting) before the validation
describe('route-invalid: what ValidateRoute refuses', () => {
  test('the target: a name is required, the kind a Service', () => {
    expect(messages({ to: { kind: 'Service' } })).toEqual([
      'spec.to.name is missing: the API server refuses the Route ("spec.to.name: Required value"); name the Service the Route sends traffic to',
    ]);
    expect(messages({ to: { kind: 'Pod', name: 'chat' } })).toEqual([
      expect.stringMatching(/^spec\.to\.kind 'Pod' is no Service: .*"spec\.to\.kind: must reference a Service"/),
    ]);
  });

  test('near miss: a kind left out is defaulted to Service', () => {
    expect(messages({ to: { name: 'chat' } })).toEqual([]);
  });

  test('weights from 0 to 256, at most 3 alternate backends each naming a Service', () => {
    expect(messages({ to: { ...to, weight: 257 } })).toEqual([expect.stringMatching(/^spec\.to\.weight 257 is no integer from 0 to 256/)]);
    expect(messages({ to: { ...to, weight: -1 } })).toHaveLength(1);
    expect(messages({ to: { ...to, weight: '100' } })).toEqual([expect.stringMatching(/^spec\.to\.weight "100" is no number: .*cannot unmarshal string/)]);
    expect(messages({ to: { ...to, weight: 0 }, alternateBackends: [{ kind: 'Service', name: 'b', weight: 256 }] })).toEqual([]);
    const four = ['a', 'b', 'c', 'd'].map((name) => ({ kind: 'Service', name, weight: 10 }));
    expect(messages({ to, alternateBackends: four })).toEqual([expect.stringMatching(/^spec\.alternateBackends lists 4 backends, more than 3/)]);
    expect(messages({ to, alternateBackends: four.slice(0, 3) })).toEqual([]);
    expect(messages({ to, alternateBackends: [{ kind: 'Service', weight: 5 }] })).toEqual([
      expect.stringMatching(/^spec\.alternateBackends\[0\]\.name is missing/),
    ]);
  });

  test('a port given needs its targetPort: zero or an empty string is none', () => {
    for (const port of [{}, { targetPort: 0 }, { targetPort: '' }]) {
      expect({ port, found: messages({ to, port }) }).toEqual({
        port,
        found: [expect.stringMatching(/^spec\.port has no targetPort: .*"spec\.port\.targetPort: Required value"/)],
      });
    }
    expect(messages({ to, port: { targetPort: 8080 } })).toEqual([]);
    expect(messages({ to, port: { targetPort: 'http' } })).toEqual([]);
  });

  test('the termination: edge, passthrough or reencrypt; capitalised spellings and an empty one are defaulted', () => {
    expect(findings([withTls({ termination: 'edge-terminated' })]).map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        'spec.tls.termination \'edge-terminated\' is none of edge, passthrough, reencrypt: the API server refuses the Route ("spec.tls.termination: Unsupported value"); write one of them in lower case',
      ],
    ]);
    for (const termination of ['edge', 'Edge', 'passthrough', 'Passthrough', 'reencrypt', 'Reencrypt', undefined]) {
      expect({ termination, found: messages({ to, tls: { termination } }) }).toEqual({ termination, found: [] });
    }
    expect(messages({ to, tls: { termination: 'EDGE' } })).toHaveLength(1);
    // an inherited property name is a word like any other, said as written
    for (const termination of ['constructor', 'toString'])
      expect(messages({ to, tls: { termination } })).toEqual([
        expect.stringContaining(`spec.tls.termination '${termination}' is none of edge, passthrough, reencrypt`),
      ]);
    // left empty beside a destination CA, the defaulter does not make it edge
    expect(messages({ to, tls: { destinationCACertificate: 'PEM' } })).toEqual([expect.stringContaining('left empty beside a destinationCACertificate')]);
  });

  test('insecureEdgeTerminationPolicy: passthrough refuses Allow; edge and reencrypt take None, Allow and Redirect; any other word is refused', () => {
    const verdict = (termination: string, insecureEdgeTerminationPolicy: string) =>
      messages({ to, tls: { termination, insecureEdgeTerminationPolicy } }).length;
    expect(['', 'None', 'Allow', 'Redirect', 'support HTTPsec'].map((p) => verdict('passthrough', p))).toEqual([0, 0, 1, 0, 1]);
    for (const termination of ['edge', 'reencrypt']) {
      expect(['', 'None', 'Allow', 'Redirect', 'or maybe HSTS', 'redirect'].map((p) => verdict(termination, p))).toEqual([0, 0, 0, 0, 1, 1]);
    }
    expect(messages({ to, tls: { termination: 'passthrough', insecureEdgeTerminationPolicy: 'Allow' } })[0]).toMatch(
      /^spec\.tls\.insecureEdgeTerminationPolicy 'Allow' is not admitted with passthrough termination \(None, Redirect or empty\).*write Redirect or None$/,
    );
  });

  test('certificates: passthrough takes none, edge no destination CA', () => {
    expect(messages({ to, tls: { termination: 'passthrough', certificate: 'PEM', key: 'PEM' } })).toEqual([
      expect.stringMatching(/^spec\.tls\.certificate is set on a passthrough Route: .*passthrough termination does not support certificates/),
      expect.stringMatching(/^spec\.tls\.key is set on a passthrough Route/),
    ]);
    expect(messages({ to, tls: { termination: 'edge', destinationCACertificate: 'PEM' } })).toEqual([
      expect.stringMatching(/^spec\.tls\.destinationCACertificate is set on an edge Route: .*edge termination does not support destination certificates/),
    ]);
    expect(messages({ to, tls: { termination: 'reencrypt', destinationCACertificate: 'PEM', certificate: 'PEM', key: 'PEM' } })).toEqual([]);
    expect(messages({ to, tls: { termination: 'edge', certificate: 'PEM', key: 'PEM', caCertificate: 'PEM' } })).toEqual([]);
  });

  test('wildcardPolicy None or Subdomain, Subdomain only with a host', () => {
    expect(messages({ to, wildcardPolicy: 'Wildcard' })).toEqual([expect.stringMatching(/^spec\.wildcardPolicy 'Wildcard' is neither None nor Subdomain/)]);
    expect(messages({ to, wildcardPolicy: 'Subdomain' })).toEqual([expect.stringMatching(/^spec\.wildcardPolicy Subdomain without spec\.host/)]);
    expect(messages({ to, wildcardPolicy: 'Subdomain', host: 'wildcard.apps.example.com' })).toEqual([]);
    expect(messages({ to, wildcardPolicy: 'None' })).toEqual([]);
  });

  test('path: beginning with /, no # or space, none on passthrough', () => {
    expect(messages({ to, path: 'v1' })).toEqual([expect.stringMatching(/^spec\.path 'v1' does not begin with '\/'.*write \/v1$/)]);
    expect(messages({ to, path: '/v1#chat' })).toEqual([expect.stringMatching(/cannot contain # or spaces/)]);
    expect(messages({ to, path: '/v1', tls: { termination: 'passthrough' } })).toEqual([
      expect.stringMatching(/passthrough termination does not support paths/),
    ]);
    expect(messages({ to, path: '/v1', tls: { termination: 'edge' } })).toEqual([]);
  });

  test('header actions on passthrough; a subdomain of DNS labels', () => {
    const httpHeaders = { actions: { response: [{ name: 'X-Frame-Options', action: { type: 'Set', set: { value: 'DENY' } } }] } };
    expect(messages({ to, httpHeaders, tls: { termination: 'passthrough' } })).toEqual([
      expect.stringMatching(/^spec\.httpHeaders\.actions on a passthrough Route/),
    ]);
    expect(messages({ to, httpHeaders, tls: { termination: 'edge' } })).toEqual([]);
    expect(messages({ to, subdomain: 'chat_ui' })).toEqual([expect.stringMatching(/^spec\.subdomain 'chat_ui' is no DNS subdomain/)]);
    expect(messages({ to, subdomain: 'chat-ui' })).toEqual([]);
  });

  test('near miss: values another tool fills in are judged once rendered; a Route of another group is not judged', () => {
    expect(messages({ to: { kind: 'Service', name: '{{ .Values.service }}' }, tls: { termination: '${TERMINATION}' }, path: '${PATH}' })).toEqual([]);
    expect(messages({ to, tls: { termination: { '{ .Values.route.termination }': null } }, wildcardPolicy: { '{ .Values.wildcard }': null } })).toEqual([]);
    const knative = { manifest: { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'r', namespace: 'llm' }, spec: { traffic: [] } } };
    expect(findings([knative])).toEqual([]);
  });
});

describe('route-invalid and field-unknown: the spec indented under metadata is one cause', () => {
  const misIndented = (annotations: Record<string, string> = {}) =>
    route(undefined, { annotations, to: { kind: 'Service', name: 'chat', weight: 100 }, port: { targetPort: 8080 }, tls: { termination: 'edge' } });

  test('field-unknown names the mis-indented spec; route-invalid does not add the missing spec.to', () => {
    const all = runChecks([misIndented()], { platform: 'rhoai-3.0' }).filter((f) => f.severity === 'error');
    expect(all.map((f) => [f.rule, f.message])).toEqual([
      [
        'field-unknown',
        "3 unknown fields, 'metadata.to', 'metadata.port', 'metadata.tls': not in the ObjectMeta (every object's metadata) schema, and kubectl apply (strict field validation, its default) and Argo CD's sync refuse the Route; " +
          'they are fields of spec, likely mis-indented under metadata: move them under spec (the Route has no spec: its `spec:` line is missing)',
      ],
    ]);
  });

  test('with validation off the server drops them and refuses the Route for its missing spec.to: route-invalid says so', () => {
    const off = misIndented({ 'argocd.argoproj.io/sync-options': 'Validate=false' });
    expect(findings([off], 'field-unknown')).toEqual([]);
    expect(findings([off]).map((f) => f.message)).toEqual([
      expect.stringMatching(/^spec\.to\.name is missing: .*indented under metadata, and the apply, its validation off, drops them\): move them under spec$/),
    ]);
  });
});
