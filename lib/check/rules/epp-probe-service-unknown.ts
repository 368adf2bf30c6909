import { mapping, text } from '../../manifests/access';
import { EppContainer, eppContainers } from '../epp-args';
import { Problem, Rule } from '../rule';

/** The gRPC service name of Envoy's external processor, the one service every picker serves (envoy ext_proc v3). */
const EXT_PROC = 'envoy.service.ext_proc.v3.ExternalProcessor';

/**
 * llm-d's scheduler releases whose health server answered SERVICE_UNKNOWN to any other service name
 * (llm-d/llm-d-inference-scheduler cmd/epp/health.go, 0.0.1 to 0.0.4; 0.0.5 accepts any name, "healthcheck
 * workaround", after the extension reverted the same check in gateway-api-inference-extension#788).
 */
const STRICT_LLMD = new Set(['0.0.1', '0.0.2', '0.0.3', '0.0.4']);

/**
 * The extension's health server from v1.0.0 with leader election on (--ha-enable-leader-election): it answers
 * liveness, readiness, the empty name and the ext_proc service, and SERVICE_UNKNOWN to any other
 * (gateway-api-inference-extension cmd/epp/runner/health.go, LivenessCheckService, ReadinessCheckService); with
 * leader election off it answers every name.
 */
const LEADER_ELECTION_SERVICES = ['', 'liveness', 'readiness', EXT_PROC];

/** The services the container's picker release answers, where it refuses others; undefined where it answers any. */
function answered(c: EppContainer): { services: readonly string[]; why: string } | undefined {
  const image = c.image;
  if (!image || image.moving) return undefined;
  const release = image.release.release;
  if (STRICT_LLMD.has(release)) return { services: [EXT_PROC], why: `${image.release.label} answers only ${EXT_PROC}` };
  const v1 = /^v(\d+)\./.exec(release);
  const leader = c.flags.some((f) => f.name === 'ha-enable-leader-election' && f.value !== 'false');
  if (v1 && Number(v1[1]) >= 1 && leader)
    return {
      services: LEADER_ELECTION_SERVICES,
      why: `${image.release.label} with --ha-enable-leader-election answers only liveness, readiness, the empty name and ${EXT_PROC}`,
    };
  return undefined;
}

function probeProblems(c: EppContainer): Problem[] {
  const known = answered(c);
  if (!known) return [];
  return (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).flatMap((probe): Problem[] => {
    const grpc = mapping(mapping(c.container[probe]).grpc);
    if (!Object.keys(grpc).length) return [];
    const service = text(grpc.service) ?? '';
    if (known.services.includes(service)) return [];
    return [
      {
        message:
          `${c.where}: ${probe} asks the gRPC health service '${service}', and ${known.why}: it replies SERVICE_UNKNOWN, the kubelet counts the probe failed, ` +
          `so the picker ${probe === 'readinessProbe' ? 'never becomes Ready and the gateway gets no endpoint picker' : probe === 'livenessProbe' ? 'is restarted over and over' : 'never finishes starting'}; ` +
          `set grpc.service to ${probe === 'livenessProbe' && known.services.includes('liveness') ? 'liveness' : probe === 'readinessProbe' && known.services.includes('readiness') ? 'readiness' : EXT_PROC}`,
      },
    ];
  });
}

export const eppProbeServiceUnknown: Rule = {
  id: 'epp-probe-service-unknown',
  title:
    "an endpoint picker's gRPC probe asks a health service name its release does not answer: SERVICE_UNKNOWN fails the probe, and the picker is never Ready or is restarted",
  severity: 'error',
  appliesTo: ['Deployment'],
  premise: `a container of a known endpoint picker release (its image tag, not a moving one) has a liveness, readiness or startup probe of type grpc whose service is not one the release's health server answers: llm-d's scheduler 0.0.1 to 0.0.4 answer ${EXT_PROC} only; the extension from v1.0.0 (and llm-d's scheduler built on it) with --ha-enable-leader-election answers liveness, readiness, the empty name and ${EXT_PROC}; other releases answer any name, and are not judged`,
  example: '`service: inference-extension` in the grpc readiness probe of an `llm-d-inference-scheduler:0.0.3` picker',
  fix: `set the probe's grpc.service to a name the release answers (${EXT_PROC}; liveness and readiness with leader election), or move to a release that answers any`,
  source:
    'llm-d/llm-d-inference-scheduler cmd/epp/health.go (0.0.1 to 0.0.4: SERVICE_UNKNOWN for a service other than the ext_proc one; 0.0.5 accepts any); kubernetes-sigs/gateway-api-inference-extension cmd/epp/health.go (the check reverted in #788 before any release) and cmd/epp/runner/health.go from v1.0.0 (LivenessCheckService, ReadinessCheckService with leader election); the kubelet gRPC probe counts any status but SERVING a failure',
  check(o, { graph }) {
    return eppContainers(graph)
      .filter((c) => c.owner === o)
      .flatMap(probeProblems);
  },
};
