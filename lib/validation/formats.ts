import { isStdBase64 } from '../private/base64';
import { parseQuantity, QUANTITY_PATTERN } from '../private/quantity';

/**
 * The OpenAPI formats Kubernetes schemas use, as ajv format definitions. Compiled validators cached on disk
 * require this module by path, so it must stay free of other state.
 */
export const formats = {
  quantity: { type: 'string' as const, validate: (s: string) => QUANTITY_PATTERN.test(s) && Number.isFinite(parseQuantity(s)) },
  int32: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'date-time': { type: 'string' as const, validate: (s: string) => !Number.isNaN(Date.parse(s)) },
  byte: { type: 'string' as const, validate: isStdBase64 },
};

/** Formats that Kubernetes does not enforce on manifests (or that ajv cannot check): accepted as they are. */
export const LENIENT_FORMATS = ['double', 'float', 'uri', 'uuid', 'duration', 'int-or-string', 'hostname', 'email', 'ipv4', 'ipv6', 'cidr', 'mac', 'password'];
