import { Loose, mapping, mappings, strings, text } from '../../manifests/access';
import { isDnsLabel, isDnsSubdomain } from '../../private/names';
import { GATEWAY_HOSTNAME, gatewayHostnameValid } from '../listener-attachment';
import { holdsTemplate, placeholderWord } from '../template-syntax';
import { ANY_KIND, Problem, Rule } from '../rule';

/** How a field's host names are validated. */
type HostCheck = 'ingress' | 'gateway' | 'route';

interface HostField {
  readonly where: string;
  readonly value: string;
  readonly check: HostCheck;
}

/** OpenShift's annotation that lifts the 63-character bound on each label of a Route's host (openshift/api route/v1 AllowNonDNSCompliantHostAnnotation). */
const NON_DNS_HOST_ANNOTATION = 'route.openshift.io/allow-non-dns-compliant-host';

/** An IPv4 literal (the Ingress validation refuses an IP as a rule's host). */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A label written in capitals, the way a guide marks a value to fill in (`CLUSTER_DOMAIN`, `APPS_DOMAIN`). */
const CAPITAL_LABEL = /(?:^|\.)([A-Z][A-Z0-9_]*[A-Z0-9])(?:\.|$)/;

/**
 * A `${NAME}` variable, with or without a default (`${NAME:=x}`, `${NAME:-x}`), as Flux's post-build substitution
 * (fluxcd/pkg envsubst) and envsubst fill it: the text around it reaches the API server as written.
 */
const SUBSTITUTED_VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=+?][^}]*)?\}/g;

/** What a variable is read as while the rest of the value is judged: one valid DNS label. */
const VARIABLE_LABEL = 'x';

const groupOf = (m: Loose) => String(m.apiVersion ?? '').split('/')[0];

/** The host names an object gives, with the validation the API server runs on each. */
function hostFields(m: Loose): HostField[] {
  const spec = mapping(m.spec);
  const group = groupOf(m);
  const out: HostField[] = [];
  const add = (where: string, v: unknown, check: HostCheck) => {
    const value = text(v);
    if (value !== undefined && value !== '') out.push({ where, value, check });
  };
  if (m.kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) {
    mappings(spec.rules).forEach((r, i) => add(`spec.rules[${i}].host`, r.host, 'ingress'));
    mappings(spec.tls).forEach((t, i) => strings(t.hosts).forEach((h, j) => add(`spec.tls[${i}].hosts[${j}]`, h, 'ingress')));
  }
  if (m.kind === 'Route' && group === 'route.openshift.io') add('spec.host', spec.host, 'route');
  if (group === 'gateway.networking.k8s.io') {
    if (m.kind === 'Gateway') mappings(spec.listeners).forEach((l, i) => add(`spec.listeners[${i}].hostname`, l.hostname, 'gateway'));
    if (['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(String(m.kind))) strings(spec.hostnames).forEach((h, i) => add(`spec.hostnames[${i}]`, h, 'gateway'));
  }
  return out;
}

/**
 * Why the API server refuses a host name, or undefined: an Ingress host is a DNS-1123 subdomain, or with a `*` a
 * wildcard one (`*.` then a subdomain), and a rule's host no IP; a Route's host a DNS-1123 subdomain, no wildcard
 * (a wildcard Route writes a plain host with wildcardPolicy Subdomain), each label at most 63 characters; a Gateway
 * API hostname its CRD's pattern.
 */
function refusal(f: HostField, m: Loose): string | undefined {
  const v = f.value;
  if (f.check === 'gateway') return gatewayHostnameValid(v) ? undefined : `it does not match the Hostname pattern ${GATEWAY_HOSTNAME.source}`;
  if (f.check === 'ingress') {
    if (f.where.startsWith('spec.rules') && IPV4.test(v)) return 'it must be a DNS name, not an IP address';
    if (v.includes('*'))
      return v.startsWith('*.') && isDnsSubdomain(v.slice(2)) && v.length <= 253
        ? undefined
        : "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain";
    return isDnsSubdomain(v)
      ? undefined
      : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  if (!isDnsSubdomain(v))
    return `host must conform to DNS 952 subdomain conventions${v.includes('*') ? ' (a wildcard Route writes a plain host, such as wildcard.apps.example.com, with spec.wildcardPolicy: Subdomain)' : ''}`;
  const annotations = mapping(mapping(m.metadata).annotations);
  const long = v.split('.').find((label) => !isDnsLabel(label));
  return long && text(annotations[NON_DNS_HOST_ANNOTATION]) !== 'true' ? `its label '${long}' is longer than 63 characters` : undefined;
}

/** The finding for one refused host name: a placeholder left in it is said as such (a warning: a reader is to fill it in). */
function problemOf(m: Loose, f: HostField, why: string, variables: boolean): Problem {
  const placeholder = CAPITAL_LABEL.exec(f.value.replace(SUBSTITUTED_VARIABLE, VARIABLE_LABEL))?.[1];
  const whatever = variables ? ', whatever its ${…} variables are filled with' : '';
  const refused = `${f.where} '${f.value}' is no host name the API server admits (${why}${whatever}), so it refuses the ${String(m.kind)} at apply`;
  if (placeholder && /[A-Z]{2}/.test(placeholder))
    return {
      severity: 'warning',
      message:
        `${refused}: '${placeholder}' is a placeholder left in the value, which nothing of the tree fills in; ` +
        `write the real domain (the cluster's apps domain for a Route or an Ingress: oc get ingresses.config/cluster -o jsonpath='{.spec.domain}'), or render the file before it is applied`,
    };
  return {
    message: `${refused}; write it in lower case, with letters, digits, '-' and '.' only (no '_', port or scheme)${f.check === 'route' ? '' : ", one leading '*.' at most"}`,
  };
}

export const hostNameInvalid: Rule = {
  id: 'host-name-invalid',
  title:
    "an Ingress host, an OpenShift Route's spec.host, a Gateway listener's hostname or a route's spec.hostnames[] that is no lower-case RFC 1123 host name: the API server refuses the object",
  severity: 'error',
  appliesTo: [ANY_KIND],
  premise:
    "an Ingress of networking.k8s.io (or extensions) whose spec.rules[].host or spec.tls[].hosts[] is no DNS-1123 subdomain (lower case letters, digits, '-' and '.', each label starting and ending with a letter or digit, at most 253 characters) or, holding a `*`, no wildcard one (`*.` then a subdomain), or whose rule host is an IPv4 address; " +
    'an OpenShift Route (route.openshift.io) whose spec.host is no DNS-1123 subdomain (a `*` included: a wildcard Route writes a plain host with wildcardPolicy Subdomain) or has a label over 63 characters without the annotation route.openshift.io/allow-non-dns-compliant-host: "true"; ' +
    "a Gateway's spec.listeners[].hostname or an HTTPRoute's, GRPCRoute's or TLSRoute's spec.hostnames[] (gateway.networking.k8s.io) that does not match Gateway API's Hostname pattern (a leading `*.` allowed); " +
    'a warning where the value holds a label in capitals (`maas.CLUSTER_DOMAIN`: a placeholder left in the value, for a reader to fill in); a `${NAME}` variable (Flux\'s post-build substitution, envsubst; a default such as `${NAME:=x}` too) is read as one valid label and the rest of the value judged, so `chat.${DOMAIN}"` (a stray quote) is refused whatever the variable gives; not judged: values holding other template syntax or a placeholder word (`{{ .Values.host }}`, `<HOST>`, `api.YOUR_DOMAIN`), which unrendered-placeholder reports',
  example: 'an OpenShift Route with `host: api_gateway.apps.example.com`',
  fix: "write the host name in lower case, with letters, digits, '-' and '.' only (one leading '*.' for an Ingress or Gateway API wildcard); fill a placeholder with the real domain before applying",
  source:
    "k8s.io/apimachinery pkg/util/validation validation.go (IsDNS1123Subdomain, IsWildcardDNS1123Subdomain, IsDNS1123Label: \"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'\"); " +
    'kubernetes pkg/apis/networking/validation validation.go (validateIngressRules: a host that is an IP is refused, a host with * must be a wildcard subdomain, others a subdomain; validateIngressTLS: the same for tls hosts); ' +
    'openshift/openshift-apiserver pkg/route/apis/route/validation validation.go ValidateRoute ("host must conform to DNS 952 subdomain conventions"; each label a DNS-1123 label unless annotated route.openshift.io/allow-non-dns-compliant-host); ' +
    'gateway-api apis/v1 shared_types.go Hostname (kubebuilder MaxLength 253 and Pattern `^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    return hostFields(m).flatMap((f) => {
      // a variable Flux's post-build substitution (or envsubst) fills is read as a valid label: the rest must be valid whatever it gives
      const filled = f.value.replace(SUBSTITUTED_VARIABLE, VARIABLE_LABEL);
      // other template syntax and placeholder words are unrendered-placeholder's: one finding per cause
      if (holdsTemplate(filled) || placeholderWord(filled) !== undefined) return [];
      const why = refusal({ ...f, value: filled }, m);
      if (!why) return [];
      return [problemOf(m, f, why, filled !== f.value)];
    });
  },
};
