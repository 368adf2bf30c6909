import { Loose, mapping, shown, stringMap, text } from '../../manifests/access';
import { serviceSpecProblems } from '../../validation/service-spec';
import { Problem, Rule } from '../rule';
import { SYNC_OPTIONS_ANNOTATION } from '../../k8s/keys';
import { holdsTemplate } from '../template-syntax';

/** Argo CD's per-resource sync options annotation (argo-cd docs user-guide/sync-options.md). */
const SYNC_OPTIONS = SYNC_OPTIONS_ANNOTATION;

/**
 * Whether Argo CD applies the Service server-side (ServerSideApply=true in its own sync-options annotation) and the
 * manifest writes no spec.ports: a partial object, the fields its field manager owns. Applied to an existing Service
 * (one an operator makes) it is a patch, which the existing ports complete; only a create is refused for them.
 */
function partialServerSide(m: Loose): boolean {
  const options = (stringMap(mapping(m.metadata).annotations)[SYNC_OPTIONS] ?? '').split(',').map((x) => x.trim());
  return options.includes('ServerSideApply=true') && mapping(m.spec).ports === undefined;
}

/** A partial Service applied server-side: refused only where no Service of the name exists yet (a note, not a verdict). */
function partialNote(name: string): Problem {
  return {
    severity: 'info',
    message:
      `Service ${name} writes no spec.ports and is applied server-side (${SYNC_OPTIONS}: ServerSideApply=true): a patch of the fields it sets on the Service of that name, ` +
      `which the existing Service's ports complete; only where no Service ${name} exists when Argo CD applies it (the operator that makes it not yet run) is it created and refused (spec.ports: Required value). ` +
      `Make sure what makes the Service runs first (an earlier sync wave or Application), or list its ports`,
  };
}

export const serviceInvalid: Rule = {
  id: 'service-invalid',
  title:
    'a Service the API server refuses though the schema admits it: no ports (and not headless), ports without names beside others, a quoted number or an over-long name as targetPort, duplicate port names or numbers, a nodePort on a ClusterIP Service',
  severity: 'error',
  appliesTo: ['Service'],
  premise:
    'a core v1 Service, judged after the v1 defaults (type ClusterIP, protocol TCP, targetPort the port): spec.ports is required unless clusterIP is None (headless) or the type is ExternalName; with more than one port each needs a name; port names are DNS labels, unique in the Service; a string targetPort is a port name (IANA_SVC_NAME: at most 15 lowercase letters, digits and single hyphens, with a letter), so a quoted number such as "8080" is refused; numbers are 1 to 65535; no two ports share number and protocol; a ClusterIP Service takes no nodePort; LoadBalancer and NodePort Services are not headless; ExternalName needs externalName. Values holding a placeholder another tool fills are not judged. A Service without spec.ports that Argo CD applies server-side (its own argocd.argoproj.io/sync-options annotation names ServerSideApply=true) is a partial object: applied to the existing Service of its name (one an operator makes) it is a patch the existing fields complete, and only its create is refused, so a note where it writes a spec, and nothing where it writes metadata alone',
  example: 'a Service with `selector: {app: vllm}` and no ports',
  fix: 'list the ports (port, targetPort where the pods listen on another, a name for each when there are several), write numbers without quotes, or make the Service headless (clusterIP: None) when it only names its pods',
  source:
    'kubernetes pkg/apis/core/validation/validation.go ValidateService (field.Required spec.ports unless isHeadlessService or ExternalName; duplicate (protocol, port); nodePort with type ClusterIP) and validateServicePort (name Required beside others, ValidateDNS1123Label, Duplicate; ValidatePortNumOrName: IsValidPortNum, IsValidPortName); pkg/apis/core/v1/defaults.go SetDefaults_Service; cases from validation_test.go TestValidateServiceCreate; Kubernetes server-side apply (an apply patch of an existing object is merged with its fields before validation; an object that does not exist is created from the patch alone) and argo-cd docs user-guide/sync-options.md "Server-Side Apply" (ServerSideApply=true per resource; partial objects)',
  scope: 'object',
  check(o) {
    const m = o.manifest;
    if (m.apiVersion !== 'v1') return [];
    const name = text(mapping(m.metadata).name) ?? '<no name>';
    // metadata alone (annotations for an operator's Service) is plainly a patch of an existing object: nothing to say
    if (partialServerSide(m)) return m.spec === undefined ? [] : [partialNote(name)];
    return serviceSpecProblems(m)
      .filter((p) => !(typeof p.value === 'string' && holdsTemplate(p.value)))
      .map((p): Problem => ({
        message: `Service ${name} spec.${p.field}${p.value === undefined ? '' : ` (${shown(p.value)})`}: ${p.says}; the API server refuses the Service. Fix: ${p.fix}`,
      }));
  },
};
