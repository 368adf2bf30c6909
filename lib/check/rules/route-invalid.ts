import { isMapping, Loose, mapping, mappings, shown, text } from '../../manifests/access';
import { isDnsLabel } from '../../private/names';
import { ROUTE_GROUP, ROUTE_SPEC_FIELDS } from '../../platform/openshift-apis';
import { apiGroupOf } from '../../k8s/api-version';
import { unknownFieldsApply } from '../argocd/unknown-fields-apply';
import { bracedTemplate, holdsTemplate } from '../template-syntax';
import { Problem, Rule } from '../rule';

/** openshift/library-go pkg/route/validation validation.go: at most 3 alternateBackends, each weight 0 to 256. */
const MAX_ALTERNATE_BACKENDS = 3;
const MAX_WEIGHT = 256;

/** openshift/api route/v1 TLSTerminationType and library-go validateTLS: the terminations admitted. */
const TERMINATIONS = ['edge', 'passthrough', 'reencrypt'];

/**
 * library-go pkg/route/defaulting SetDefaults_TLSConfig: the capitalised spellings the defaulter rewrites before
 * validation, so they are admitted.
 */
const CAPITALISED_TERMINATIONS: Readonly<Record<string, string>> = { Edge: 'edge', Passthrough: 'passthrough', Reencrypt: 'reencrypt' };

/** library-go validateInsecureEdgeTerminationPolicy: edge and reencrypt take all three, passthrough no Allow (it serves no HTTP). */
const INSECURE_POLICIES: Readonly<Record<string, readonly string[]>> = {
  edge: ['None', 'Allow', 'Redirect'],
  reencrypt: ['None', 'Allow', 'Redirect'],
  passthrough: ['None', 'Redirect'],
};

/** library-go validateWildcardPolicy (allowedWildcardPolicies). */
const WILDCARD_POLICIES = ['None', 'Subdomain'];

/** The certificate fields of spec.tls that passthrough refuses (validateTLS: "passthrough termination does not support certificates"). */
const PASSTHROUGH_REFUSES = ['certificate', 'key', 'caCertificate', 'destinationCACertificate'];

/** A value given (Go's decoder leaves null and a missing field alike). */
const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** A template another tool fills in: `{{ X }}` in a string, or unquoted (YAML reads it as a mapping). */
const templated = (v: unknown): boolean => (typeof v === 'string' && holdsTemplate(v)) || bracedTemplate(v) !== undefined;

/** A value the check judges: given, and no template another tool fills in. */
const written = (v: unknown): boolean => given(v) && !templated(v);

const refusal = (path: string, what: string) => `the API server refuses the Route ("${path}: ${what}")`;

/** A weight as Go's decoder and validateRoute take it: an integer from 0 to 256. */
function weightProblem(where: string, weight: unknown): Problem[] {
  if (!written(weight)) return [];
  if (typeof weight === 'number' && Number.isInteger(weight) && weight >= 0 && weight <= MAX_WEIGHT) return [];
  if (typeof weight !== 'number') {
    return [
      {
        message: `${where}.weight ${JSON.stringify(weight)} is no number: the API server refuses the Route ("cannot unmarshal ${typeof weight} into Go struct field RouteTargetReference.${where}.weight of type int32"); write an unquoted integer from 0 to ${MAX_WEIGHT}`,
      },
    ];
  }
  return [
    {
      message: `${where}.weight ${shown(weight)} is no integer from 0 to ${MAX_WEIGHT}: ${refusal(`${where}.weight`, 'weight must be an integer between 0 and 256')}; write a number in that range (0 sends it no traffic)`,
    },
  ];
}

/** A RouteTargetReference: a name, a kind Service (empty is defaulted to Service), a weight in range. */
function targetProblems(where: string, target: Loose): Problem[] {
  const out: Problem[] = [];
  if (!given(target.name)) {
    out.push({ message: `${where}.name is missing: ${refusal(`${where}.name`, 'Required value')}; name the Service the Route sends traffic to` });
  }
  if (written(target.kind) && target.kind !== 'Service') {
    out.push({
      message: `${where}.kind '${shown(target.kind)}' is no Service: ${refusal(`${where}.kind`, 'must reference a Service')}; a Route sends traffic to Services only (write kind: Service, or leave it out)`,
    });
  }
  return [...out, ...weightProblem(where, target.weight)];
}

/**
 * spec.to and spec.alternateBackends. A missing spec.to where the Route's spec fields sit under metadata is that
 * mis-indentation, which field-unknown reports, unless the apply drops unknown fields (validation off), when the Route
 * reaches the API server without spec.to.
 */
function backendProblems(spec: Loose, underMetadata: 'reported' | 'dropped' | undefined): Problem[] {
  const to = targetProblems('spec.to', mapping(spec.to)).flatMap((p) => {
    if (!underMetadata || !p.message.startsWith('spec.to.name is missing')) return [p];
    if (underMetadata === 'reported') return [];
    return [
      { message: `${p.message} (the Route's spec fields are indented under metadata, and the apply, its validation off, drops them): move them under spec` },
    ];
  });
  const alternates = Array.isArray(spec.alternateBackends) ? spec.alternateBackends : [];
  const tooMany: Problem[] =
    alternates.length > MAX_ALTERNATE_BACKENDS
      ? [
          {
            message: `spec.alternateBackends lists ${alternates.length} backends, more than ${MAX_ALTERNATE_BACKENDS}: ${refusal('spec.alternateBackends', 'cannot specify more than 3 alternate backends')}; split the traffic over at most 3 alternates beside spec.to`,
          },
        ]
      : [];
  return [...to, ...tooMany, ...mappings(spec.alternateBackends).flatMap((b, i) => targetProblems(`spec.alternateBackends[${i}]`, b))];
}

/** spec.port given: its targetPort is required (a port number other than 0, or a port name). */
function portProblems(spec: Loose): Problem[] {
  if (!isMapping(spec.port)) return [];
  const target = spec.port.targetPort;
  if (target !== undefined && target !== null && target !== 0 && target !== '') return [];
  return [
    {
      message: `spec.port has no targetPort: ${refusal('spec.port.targetPort', 'Required value')}; give the Service's port name or the target port number (spec.port.targetPort: http), or leave spec.port out to use every port`,
    },
  ];
}

/** The termination after defaulting (empty is edge unless a destination CA is given; capitalised spellings rewritten). */
function termination(tls: Loose): string | undefined {
  const t = tls.termination;
  if (!given(t)) return given(tls.destinationCACertificate) ? '' : 'edge';
  if (typeof t !== 'string') return shown(t);
  // the table's own keys only: an inherited name (`constructor`) is a termination no Route has, said as written
  return Object.hasOwn(CAPITALISED_TERMINATIONS, t) ? CAPITALISED_TERMINATIONS[t] : t;
}

/** The certificates a termination refuses: passthrough any, edge the destination CA (the router does not re-encrypt). */
function certificateProblems(tls: Loose, kind: string): Problem[] {
  const refused = kind === 'passthrough' ? PASSTHROUGH_REFUSES : kind === 'edge' ? ['destinationCACertificate'] : [];
  return refused
    .filter((f) => given(tls[f]))
    .map((f) => ({
      message:
        kind === 'passthrough'
          ? `spec.tls.${f} is set on a passthrough Route: ${refusal(`spec.tls.${f}`, 'passthrough termination does not support certificates')}; the pod terminates TLS itself, so remove it (or use reencrypt)`
          : `spec.tls.destinationCACertificate is set on an edge Route: ${refusal('spec.tls.destinationCACertificate', 'edge termination does not support destination certificates')}; use termination reencrypt to reach the pod over TLS, or remove it`,
    }));
}

/** spec.tls: the termination, the certificates it admits, and the insecure policy it admits. */
function tlsProblems(spec: Loose): Problem[] {
  if (!isMapping(spec.tls)) return [];
  const tls = spec.tls;
  if (templated(tls.termination)) return [];
  const kind = termination(tls);
  if (kind === undefined || !TERMINATIONS.includes(kind)) {
    const why = kind === '' ? ' (left empty beside a destinationCACertificate, so not defaulted to edge)' : '';
    return [
      {
        message: `spec.tls.termination '${kind ?? ''}' is none of edge, passthrough, reencrypt${why}: ${refusal('spec.tls.termination', 'Unsupported value')}; write one of them in lower case`,
      },
    ];
  }
  const insecure = tls.insecureEdgeTerminationPolicy;
  const allowed = INSECURE_POLICIES[kind];
  const policy: Problem[] =
    written(insecure) && !allowed.includes(String(insecure))
      ? [
          {
            message:
              `spec.tls.insecureEdgeTerminationPolicy '${shown(insecure)}' is not admitted with ${kind} termination (${allowed.join(', ')} or empty): ${refusal('spec.tls.insecureEdgeTerminationPolicy', 'invalid value for InsecureEdgeTerminationPolicy option')}; ` +
              (kind === 'passthrough' && insecure === 'Allow'
                ? 'the router cannot serve plain HTTP for a passthrough Route (it routes by the TLS handshake): write Redirect or None'
                : 'write one of them, capitalised as shown'),
          },
        ]
      : [];
  const headers = mapping(mapping(spec.httpHeaders).actions);
  const customHeaders: Problem[] =
    kind === 'passthrough' && (mappings(headers.request).length > 0 || mappings(headers.response).length > 0)
      ? [
          {
            message: `spec.httpHeaders.actions on a passthrough Route: ${refusal('spec.tls.termination', 'only edge and re-encrypt routes are supported for providing customized headers.')}; the router cannot read the encrypted requests: use edge or reencrypt, or remove the header actions`,
          },
        ]
      : [];
  return [...certificateProblems(tls, kind), ...policy, ...customHeaders];
}

/** spec.wildcardPolicy, spec.path and spec.subdomain (spec.host is host-name-invalid's). */
function routingProblems(spec: Loose): Problem[] {
  const out: Problem[] = [];
  const policy = spec.wildcardPolicy;
  if (written(policy) && !WILDCARD_POLICIES.includes(String(policy))) {
    out.push({
      message: `spec.wildcardPolicy '${shown(policy)}' is neither None nor Subdomain: ${refusal('spec.wildcardPolicy', 'Unsupported value')}; write None or Subdomain`,
    });
  } else if (policy === 'Subdomain' && !given(spec.host)) {
    out.push({
      message: `spec.wildcardPolicy Subdomain without spec.host: ${refusal('spec.wildcardPolicy', 'host name not specified for wildcard policy')}; give spec.host (the wildcard Route serves every host of its parent domain)`,
    });
  }
  const path = text(spec.path);
  if (path && !holdsTemplate(path)) {
    if (!path.startsWith('/'))
      out.push({ message: `spec.path '${path}' does not begin with '/': ${refusal('spec.path', 'path must begin with /')}; write /${path}` });
    if (/[# ]/.test(path))
      out.push({ message: `spec.path '${path}' holds '#' or a space: ${refusal('spec.path', 'cannot contain # or spaces')}; remove them` });
    if (isMapping(spec.tls) && termination(spec.tls) === 'passthrough') {
      out.push({
        message: `spec.path '${path}' on a passthrough Route: ${refusal('spec.path', 'passthrough termination does not support paths')}; the router cannot read the path of encrypted requests: remove spec.path, or use edge or reencrypt`,
      });
    }
  }
  const subdomain = text(spec.subdomain);
  if (subdomain && !holdsTemplate(subdomain) && (subdomain.length > 253 || !subdomain.split('.').every(isDnsLabel))) {
    out.push({
      message: `spec.subdomain '${subdomain}' is no DNS subdomain of DNS-1123 labels (lower case letters, digits and '-', each at most 63 characters): ${refusal('spec.subdomain', 'Invalid value')}; write it in lower case, without '_'`,
    });
  }
  return out;
}

export const routeInvalid: Rule = {
  id: 'route-invalid',
  title:
    "an OpenShift Route the API server's validation refuses: no spec.to.name, a backend that is no Service, a weight outside 0-256, more than 3 alternate backends, a port without targetPort, an unknown TLS termination or insecure policy, certificates its termination does not take, an unknown wildcard policy",
  severity: 'error',
  appliesTo: ['Route'],
  premise:
    'a Route of route.openshift.io, as OpenShift (4.18 and later) validates it after defaulting: spec.to.name required; spec.to.kind and each alternate backend kind Service (empty is defaulted to Service); weights integers from 0 to 256; at most 3 spec.alternateBackends, each with a name; spec.port given means spec.port.targetPort given (not 0, not empty); ' +
    'spec.tls.termination one of edge, passthrough, reencrypt (empty is defaulted to edge unless destinationCACertificate is set; Edge, Passthrough and Reencrypt are rewritten to lower case); passthrough takes no certificate, key, caCertificate or destinationCACertificate, no spec.path and no httpHeaders actions; edge no destinationCACertificate; ' +
    'spec.tls.insecureEdgeTerminationPolicy None, Allow or Redirect for edge and reencrypt, None or Redirect for passthrough (Allow refused); spec.wildcardPolicy None or Subdomain, Subdomain only with spec.host; spec.path beginning with / and holding no # or space; spec.subdomain DNS-1123 labels. ' +
    "A missing spec.to where the Route's spec fields are indented under metadata is field-unknown's (one cause), unless the apply turns validation off (Argo CD Validate=false), when the server drops them and refuses the Route for its missing spec.to. " +
    'Not judged: spec.host (host-name-invalid), header actions beyond passthrough, spec.tls.externalCertificate (its feature gate and the Secret it names), values holding a template',
  example: 'a Route with `insecureEdgeTerminationPolicy: Allow` under `termination: passthrough`',
  fix: 'write the Route as OpenShift admits it: spec.to naming a Service, a termination of edge, passthrough or reencrypt and an insecure policy its termination takes (Redirect for passthrough)',
  source:
    'openshift/library-go pkg/route/validation/validation.go ValidateRoute (validateRoute, validatePath, validateTLS, validateInsecureEdgeTerminationPolicy, validateWildcardPolicy), called by openshift/openshift-apiserver pkg/route/apis/route/validation/validation.go ValidateRoute from the route strategy; openshift/library-go pkg/route/defaulting/defaults.go (SetDefaults_RouteTargetReference, SetDefaults_TLSConfig) run before it; openshift/api route/v1 types.go (RouteSpec, RouteTargetReference, TLSConfig)',
  check(o, ctx) {
    const m = o.manifest;
    if (apiGroupOf(m.apiVersion) !== ROUTE_GROUP) return [];
    const spec = mapping(m.spec);
    const meta = mapping(m.metadata);
    const underMetadata = ROUTE_SPEC_FIELDS.some((f) => f in meta)
      ? unknownFieldsApply(o, ctx.graph).apply === 'dropped'
        ? 'dropped'
        : 'reported'
      : undefined;
    return [...backendProblems(spec, underMetadata), ...portProblems(spec), ...tlsProblems(spec), ...routingProblems(spec)];
  },
};
