import { mapping, shown, text } from '../../manifests/access';
import { serviceSpecProblems } from '../../validation/service-spec';
import { Problem, Rule } from '../rule';
import { holdsTemplate } from '../template-syntax';

export const serviceInvalid: Rule = {
  id: 'service-invalid',
  title:
    'a Service the API server refuses though the schema admits it: no ports (and not headless), ports without names beside others, a quoted number or an over-long name as targetPort, duplicate port names or numbers, a nodePort on a ClusterIP Service',
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'a core v1 Service, judged after the v1 defaults (type ClusterIP, protocol TCP, targetPort the port): spec.ports is required unless clusterIP is None (headless) or the type is ExternalName; with more than one port each needs a name; port names are DNS labels, unique in the Service; a string targetPort is a port name (IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens, with a letter), so a quoted number such as "8080" is refused; numbers are 1 to 65535; no two ports share number and protocol; a ClusterIP Service takes no nodePort; LoadBalancer and NodePort Services are not headless; ExternalName needs externalName. Values holding a placeholder another tool fills are not judged',
  example: 'a Service with `selector: {app: vllm}` and no ports',
  fix: 'list the ports (port, targetPort where the pods listen on another, a name for each when there are several), write numbers without quotes, or make the Service headless (clusterIP: None) when it only names its pods',
  source:
    'kubernetes pkg/apis/core/validation/validation.go ValidateService (field.Required spec.ports unless isHeadlessService or ExternalName; duplicate (protocol, port); nodePort with type ClusterIP) and validateServicePort (name Required beside others, ValidateDNS1123Label, Duplicate; ValidatePortNumOrName: IsValidPortNum, IsValidPortName); pkg/apis/core/v1/defaults.go SetDefaults_Service; cases from validation_test.go TestValidateServiceCreate',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (m.apiVersion !== 'v1') return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    return serviceSpecProblems(m)
      .filter((p) => !(typeof p.value === 'string' && holdsTemplate(p.value)))
      .map((p): Problem => ({
        message: `Service ${name} spec.${p.field}${p.value === undefined ? '' : ` (${shown(p.value)})`}: ${p.says}; the API server refuses the Service. Fix: ${p.fix}`,
      }));
  },
};
