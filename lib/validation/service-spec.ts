import { Loose, mapping, mappings, text } from '../manifests/access';
import { isDnsLabel } from '../private/names';
import { portNameProblem } from './pod-spec';

/** A Service value the API server refuses, in its words, with the fix. */
export interface ServiceProblem {
  /** Dotted path under spec: `ports[1].targetPort`. */
  readonly field: string;
  readonly value?: unknown;
  /** What validation.go says. */
  readonly says: string;
  readonly fix: string;
}

/** The protocols of a Service port (validation.go supportedPortProtocols). */
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

const isPortNumber = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/**
 * Whether the Service is headless: clusterIP None, which the registry copies into clusterIPs before validation
 * (pkg/registry/core/service/strategy.go normalizeClusterIPs), or clusterIPs [None] (validation.go isHeadlessService).
 */
function isHeadless(spec: Loose): boolean {
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return spec.clusterIP === 'None' || (ips.length === 1 && ips[0] === 'None');
}

/** ValidateService's checks of the Service as a whole: ports required, the type's constraints. */
function typeProblems(spec: Loose): ServiceProblem[] {
  // type defaults to ClusterIP (core/v1 SetDefaults_Service)
  const type = text(spec.type) ?? 'ClusterIP';
  const out: ServiceProblem[] = [];
  if (mappings(spec.ports).length === 0 && !isHeadless(spec) && type !== 'ExternalName')
    out.push({
      field: 'ports',
      says: 'Required value',
      fix: 'list the ports the Service serves (port, and targetPort where the pods listen on another), or make it headless (clusterIP: None) if it only names its pods',
    });
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec))
    out.push({
      field: 'clusterIP',
      value: 'None',
      says: `may not be set to 'None' for ${type} services`,
      fix: 'remove clusterIP: None, or use type ClusterIP for a headless Service',
    });
  if (type === 'ExternalName' && (text(spec.externalName) ?? '').replace(/\.$/, '') === '')
    out.push({ field: 'externalName', says: 'Required value', fix: 'set externalName to the DNS name the Service stands for' });
  if (type === 'ClusterIP')
    mappings(spec.ports).forEach((p, i) => {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0)
        out.push({
          field: `ports[${i}].nodePort`,
          value: p.nodePort,
          says: "may not be used when `type` is 'ClusterIP'",
          fix: 'remove nodePort, or set type: NodePort',
        });
    });
  return out;
}

/** ValidatePortNumOrName on a targetPort after SetDefaults_Service (0 and "" become the port). */
function targetPortProblem(target: unknown, at: string): ServiceProblem | undefined {
  if (typeof target === 'number')
    return target === 0 || isPortNumber(target)
      ? undefined
      : { field: at, value: target, says: 'must be between 1 and 65535, inclusive', fix: 'write the port number the pods listen on' };
  if (typeof target !== 'string' || target === '') return undefined;
  const bad = portNameProblem(target);
  if (!bad) return undefined;
  const numeric = /^\d+$/.test(target);
  return {
    field: at,
    value: target,
    says: bad,
    fix: numeric
      ? `write the number without quotes (targetPort: ${target}): a quoted number is read as a port name`
      : "name a container port of the pods (at most 15 lowercase letters, digits and single hyphens), or write the port's number",
  };
}

/** validateServicePort for each port: names (required beside others, DNS labels, unique), numbers, protocols, targetPorts. */
function portProblems(spec: Loose): ServiceProblem[] {
  const ports = mappings(spec.ports);
  const names = new Set<string>();
  return ports.flatMap((p, i): ServiceProblem[] => {
    const at = `ports[${i}]`;
    const out: ServiceProblem[] = [];
    const name = typeof p.name === 'string' ? p.name : '';
    if (name === '' && ports.length > 1)
      out.push({ field: `${at}.name`, says: 'Required value', fix: 'name every port of a Service with more than one port (http, metrics)' });
    else if (name !== '' && !isDnsLabel(name))
      out.push({
        field: `${at}.name`,
        value: name,
        says: 'must be a DNS label (lowercase letters, digits and -)',
        fix: `rename the port (${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')})`,
      });
    else if (name !== '' && names.has(name))
      out.push({ field: `${at}.name`, value: name, says: `Duplicate value: "${name}"`, fix: 'give each port of the Service its own name' });
    names.add(name);
    if (typeof p.port === 'number' && !isPortNumber(p.port))
      out.push({ field: `${at}.port`, value: p.port, says: 'must be between 1 and 65535, inclusive', fix: 'write a port number from 1 to 65535' });
    if (typeof p.protocol === 'string' && !PROTOCOLS.includes(p.protocol))
      out.push({
        field: `${at}.protocol`,
        value: p.protocol,
        says: `Unsupported value: "${p.protocol}"`,
        fix: 'write TCP (HTTP and gRPC run over TCP), or leave protocol out',
      });
    const target = targetPortProblem(p.targetPort, `${at}.targetPort`);
    return target ? [...out, target] : out;
  });
}

/** Two ports with the same number and protocol (protocol defaults to TCP): ValidateService's duplicate (protocol, port) check. */
function duplicatePorts(spec: Loose): ServiceProblem[] {
  const seen = new Set<string>();
  return mappings(spec.ports).flatMap((p, i): ServiceProblem[] => {
    if (typeof p.port !== 'number') return [];
    const key = `${text(p.protocol) ?? 'TCP'}/${p.port}`;
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [
      {
        field: `ports[${i}]`,
        value: key,
        says: `Duplicate value: ${key}`,
        fix: 'serve each port number once per protocol; remove the repeated port or give it another number',
      },
    ];
  });
}

/**
 * The values of a v1 Service's spec that the API server refuses though its OpenAPI schema admits them, after the
 * v1 defaults (type ClusterIP, protocol TCP, targetPort the port): ported from kubernetes pkg/apis/core/validation/
 * validation.go ValidateService and validateServicePort.
 */
export function serviceSpecProblems(service: Loose): ServiceProblem[] {
  const spec = mapping(service.spec);
  return [...typeProblems(spec), ...portProblems(spec), ...duplicatePorts(spec)];
}
