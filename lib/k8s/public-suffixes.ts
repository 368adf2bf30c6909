/**
 * Top-level domains that public hosts commonly end in, a subset of the IANA Root Zone Database
 * (data.iana.org/TLD/tlds-alpha-by-domain.txt): the original generic TLDs, the country codes widely used as generic
 * ones (ai, io, co, me, sh, tv, …) and popular new generic TLDs. A two-label host ending in one of them may be a public
 * name as well as `<service>.<namespace>`: the pod's resolver (ndots 5) tries the name with each search domain first,
 * then as given, so where no such Service exists the public name answers.
 */
export const COMMON_TLDS: ReadonlySet<string> = new Set([
  // generic TLDs of RFC 1591
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'mil',
  'int',
  'info',
  'biz',
  // country codes used as generic names
  'ai',
  'io',
  'co',
  'me',
  'sh',
  'so',
  'tv',
  'cc',
  'ly',
  'gg',
  'fm',
  'to',
  'us',
  'uk',
  'eu',
  'de',
  'fr',
  'nl',
  'ch',
  'ca',
  'in',
  // new generic TLDs in wide use
  'dev',
  'app',
  'page',
  'cloud',
  'tech',
  'xyz',
  'site',
  'online',
  'run',
  'build',
  'chat',
  'zone',
]);

/** Whether a host's last label is a common public TLD (COMMON_TLDS). */
export function endsInPublicSuffix(host: string): boolean {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  return labels.length > 1 && COMMON_TLDS.has(labels[labels.length - 1]);
}
