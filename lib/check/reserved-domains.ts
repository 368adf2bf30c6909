/**
 * Domain names reserved for examples and tests, which no registry or server answers for: RFC 2606 (the `example`,
 * `test` and `invalid` top-level domains; example.com, example.net, example.org, which IANA keeps for documentation)
 * and RFC 6761 (their special use). A `.local` name is mDNS (RFC 6762), which a cluster's DNS does not resolve: one
 * naming `example` (`registry.example.local`) is an example too.
 */
const RESERVED_TLDS = new Set(['example', 'test', 'invalid']);
const EXAMPLE_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** Whether a host name (a port aside) is one reserved for examples. */
export function isExampleDomain(host: string): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const labels = name.split('.');
  if (labels.length > 1 && RESERVED_TLDS.has(labels[labels.length - 1])) return true;
  if (EXAMPLE_DOMAINS.some((d) => name === d || name.endsWith(`.${d}`))) return true;
  return labels[labels.length - 1] === 'local' && labels.includes('example');
}
