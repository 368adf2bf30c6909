import { parse } from 'yaml';
import { ruleFound, severityMessages } from '../util';

const service = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: model-host, namespace: chat}\nspec: {${spec}}\n`;
const findings = (yaml: string) =>
  severityMessages(ruleFound('service-external-name-address', [{ manifest: parse(yaml) as Record<string, unknown> }], { platform: 'kserve' }));

// Kubernetes docs (Services, "type: ExternalName": an IPv4 string is read as a DNS name of digits); the API server's
// DNS-1123 subdomain check admits a dotted quad; coredns plugin/kubernetes findServices answers no record for it
describe('service-external-name-address', () => {
  test('an IPv4 literal as externalName: an error that names the address and both fixes', () => {
    expect(findings(service('type: ExternalName, externalName: 192.168.65.3'))).toEqual([
      [
        'error',
        "spec.externalName is the IPv4 address 192.168.65.3: the API server admits it, but an ExternalName Service is only a DNS CNAME to a host name, and cluster DNS does not resolve the Service's name to that address (CoreDNS answers no record for it), so clients cannot connect; put a DNS name of the host in externalName, or, to reach that address, drop type ExternalName and the selector and list the address in an EndpointSlice labelled kubernetes.io/service-name with the Service's name",
      ],
    ]);
  });

  test('a trailing dot is read away, and a selector beside it is named as unused', () => {
    const [[, message]] = findings(service('type: ExternalName, externalName: "10.0.0.7.", selector: {app: ollama}'));
    expect(message).toContain('the IPv4 address 10.0.0.7:');
    expect(message).toContain('its selector is not used either');
  });

  test.each([
    ['a DNS name', 'type: ExternalName, externalName: models.lab.example'],
    ['a name that starts with digits', 'type: ExternalName, externalName: 192.168.65.3.nip.io'],
    ['a part over 255 is no address', 'type: ExternalName, externalName: 300.1.1.1'],
    ['three parts are no address', 'type: ExternalName, externalName: 10.0.7'],
    ['an address on a ClusterIP Service is not judged here', 'externalName: 192.168.65.3, ports: [{port: 80}]'],
  ])('near miss: %s', (_, spec) => {
    expect(findings(service(spec))).toEqual([]);
  });
});
