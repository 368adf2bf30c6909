import { mapping, text } from '../../manifests/access';
import { Rule } from '../rule';

/** A dotted-quad IPv4 literal, each part 0 to 255 (an IPv6 literal holds ':', which the API server's DNS-1123 check already refuses). */
function isIpv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export const serviceExternalNameAddress: Rule = {
  id: 'service-external-name-address',
  title: 'an ExternalName Service whose externalName is an IPv4 address: cluster DNS gives its name no record, so it does not resolve',
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'a core v1 Service of type ExternalName whose spec.externalName (a trailing dot aside) is an IPv4 literal such as 192.168.65.3; the API server admits it (its digits and dots pass the DNS-1123 subdomain check), ' +
    'and the Service is only a DNS record (a CNAME to externalName), never an address: CoreDNS publishes nothing for an externalName that is an IP address, other DNS servers a CNAME to a name of digits that resolves nowhere',
  example: 'a Service with `type: ExternalName` and `externalName: 192.168.65.3`',
  fix: 'put a DNS name of the host in externalName; or, to reach an address, make it a Service without a selector (type ClusterIP, with its ports) and an EndpointSlice (label kubernetes.io/service-name: <the Service>) that lists the address',
  source:
    'Kubernetes docs, Concepts > Services > "type: ExternalName": externalName takes an IPv4 address string but treats it as a DNS name made of digits, not an IP address, and DNS servers do not resolve such names; ' +
    'kubernetes pkg/apis/core/validation/validation.go ValidateService (ServiceTypeExternalName: ValidateDNS1123Subdomain on externalName without its trailing dot, which a dotted quad passes); ' +
    'coredns plugin/kubernetes/kubernetes.go findServices (an ExternalName Service is answered only when msg.Service HostType of externalName is a CNAME, not an IP: otherwise no record, NXDOMAIN)',
  scope: 'object',
  check(o) {
    const spec = mapping(o.manifest.spec);
    const name = (text(spec.externalName) ?? '').replace(/\.$/, '');
    if (o.manifest.apiVersion !== 'v1' || spec.type !== 'ExternalName' || !isIpv4(name)) return [];
    const selector = Object.keys(mapping(spec.selector)).length ? ' (its selector is not used either: an ExternalName Service has no endpoints)' : '';
    return [
      {
        message:
          `spec.externalName is the IPv4 address ${name}: the API server admits it, but an ExternalName Service is only a DNS CNAME to a host name, and cluster DNS does not resolve the Service's name to that address (CoreDNS answers no record for it), so clients cannot connect${selector}; ` +
          "put a DNS name of the host in externalName, or, to reach that address, drop type ExternalName and the selector and list the address in an EndpointSlice labelled kubernetes.io/service-name with the Service's name",
      },
    ];
  },
};
