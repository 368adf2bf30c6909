/** Name checks shared by the constructs; messages say which object and field is wrong and how to fix it. */

// props may come from JavaScript or JSON config: anything that is not a string is no name
export function isDnsSubdomain(name: string): boolean {
  return typeof name === 'string' && name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
}

export function isDnsLabel(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** Throws unless `value` is a DNS-1123 label (Namespace, Service and InferenceService names). */
export function requireDnsLabel(where: string, field: string, value: string): string {
  if (!isDnsLabel(value)) {
    throw new Error(
      `${where}: ${field} '${value}' is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Throws unless `value` is a DNS-1123 subdomain (most object names). */
export function requireDnsSubdomain(where: string, field: string, value: string): string {
  if (!isDnsSubdomain(value)) {
    throw new Error(`${where}: ${field} '${value}' is not a valid name: use at most 253 lowercase letters, digits, '-' and '.'`);
  }
  return value;
}

/** Throws unless `value` is a positive integer. */
export function requirePositiveInteger(where: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${where}: ${field} must be a positive integer, got ${value}`);
  }
  return value;
}

/** A Secret data key: letters, digits, '-', '_' and '.' (Kubernetes IsConfigMapKey). */
export function isSecretKey(key: string): boolean {
  return typeof key === 'string' && key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key);
}

/** Throws unless a Secret reference names a valid Secret and key. */
export function requireSecretRef(where: string, field: string, ref: { readonly name: string; readonly key: string }): void {
  if (ref === null || typeof ref !== 'object') throw new Error(`${where}: ${field} must be { name, key } of a Secret, got ${JSON.stringify(ref)}`);
  requireDnsSubdomain(where, `${field}.name`, ref.name);
  if (ref.key === undefined) throw new Error(`${where}: ${field}.key is missing: name the key of Secret '${ref.name}' that holds the value`);
  if (!isSecretKey(ref.key)) {
    throw new Error(`${where}: ${field}.key '${ref.key}' is not a valid Secret key: use letters, digits, '-', '_' and '.'`);
  }
}

/**
 * A DNS-1123 label made from free text (a model path such as `Llama-3.1-8B-Instruct`): lowercased, every run of
 * other characters turned into one '-', trimmed to 63 characters without a trailing '-'.
 */
export function dnsLabelFrom(text: string, maxLength = 63): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return label || 'x';
}

/** A label value (Kubernetes IsValidLabelValue): at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends; may be empty. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** A label key (Kubernetes IsQualifiedName): an optional DNS-subdomain prefix and '/', then a non-empty label-value name. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  return name !== '' && isLabelValue(name) && (slash < 0 || isDnsSubdomain(key.slice(0, slash)));
}
