import { isMapping } from '../manifests/access';
import { isStdBase64 } from '../private/base64';
import { isSopsCiphertext } from '../manifests/sops';
import { Definitions, resolve } from './unknown-fields';

/**
 * The custom resource kinds (`group/Kind`) of the shipped CRD schema sets (schemas/crds) with a `format: byte` field:
 * Envoy Gateway's and the Envoy AI Gateway's (the binary payloads of active health checks, healthCheck.active.*.binary).
 * Only these have their CRD schema read for bytes, so a check of other custom resources loads no CRD schema for it (test/rule-cases/value-not-base64.ts derives the list from schemas/crds and fails when a set adds one).
 */
export const CRD_KINDS_WITH_BYTES: readonly string[] = [
  'aigateway.envoyproxy.io/BackendSecurityPolicy',
  'aigateway.envoyproxy.io/MCPRoute',
  'gateway.envoyproxy.io/BackendTrafficPolicy',
  'gateway.envoyproxy.io/EnvoyExtensionPolicy',
  'gateway.envoyproxy.io/EnvoyProxy',
  'gateway.envoyproxy.io/SecurityPolicy',
];

/** A value of a `format: byte` field that is no base64, at its dotted path (`data.token`). */
export interface NotBase64 {
  readonly field: string;
  readonly value: string;
}

/**
 * The string values of an object whose schema field is `format: byte` (Go []byte: Secret data, ConfigMap binaryData,
 * caBundle fields, a CRD's byte fields) and which standard base64 does not decode: the API server's JSON decoder
 * refuses them before any validation (encoding/json literalStore: base64.StdEncoding.Decode of a []byte field). SOPS
 * ciphertext (lib/manifests/sops.ts) is not judged.
 */
export function notBase64Values(object: unknown, schema: unknown, definitions: Definitions, at = ''): NotBase64[] {
  const s = resolve(schema, definitions);
  // SOPS ciphertext is replaced by what it decrypts to before the apply: its form says nothing of that value
  if (typeof object === 'string') return s.format === 'byte' && !isStdBase64(object) && !isSopsCiphertext(object) ? [{ field: at, value: object }] : [];
  if (Array.isArray(object)) return isMapping(s.items) ? object.flatMap((x, i) => notBase64Values(x, s.items, definitions, `${at}[${i}]`)) : [];
  if (!isMapping(object)) return [];
  const properties = isMapping(s.properties) ? s.properties : {};
  const additional = isMapping(s.additionalProperties) ? s.additionalProperties : undefined;
  return Object.entries(object).flatMap(([key, v]) => {
    const child: unknown = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : additional;
    return child === undefined ? [] : notBase64Values(v, child, definitions, at ? `${at}.${key}` : key);
  });
}
