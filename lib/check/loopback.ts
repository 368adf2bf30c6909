/**
 * Addresses of a container's own network namespace, as commands, probes and URLs write them: the loopback names
 * (localhost, 127.0.0.1, IPv6 ::1, bracketed in a URL or host:port) and, as a destination, the unspecified address
 * 0.0.0.0, which Linux connects to the local host (Kubernetes docs, "Pods: networking inside a pod": the containers
 * of a pod share one network namespace).
 */

/** The loopback names as a URL or host:port writes them. */
const LOOPBACK = String.raw`localhost|127\.0\.0\.1|\[::1\]`;
/** The same, or 0.0.0.0. */
const LOCAL = String.raw`${LOOPBACK}|0\.0\.0\.0`;

/** Whether a bare host (a probe's httpGet host) is a loopback one: localhost, 127.0.0.1 or ::1. */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127\.0\.0\.1|::1)$/.test(host);
}

/** A loopback address with a port, as a URL or host:port, not inside a longer name (`mylocalhost:80`, `1127.0.0.1:80`). */
const LOOPBACK_PORT = new RegExp(String.raw`(?:^|[^A-Za-z0-9.-])(?:${LOOPBACK}):([0-9]{1,5})(?![0-9])`, 'g');

/** The ports a text calls on a loopback address (`http://localhost:8080/v1`, `127.0.0.1:9000`), in order, repeats kept. */
export function loopbackPorts(text: string): number[] {
  return [...text.matchAll(LOOPBACK_PORT)].map((m) => Number(m[1]));
}

/** A local address at a word boundary, with its port when one follows. */
const LOCAL_ADDRESS = new RegExp(String.raw`\b(?:${LOCAL})(?::(\d+))?`, 'g');

/** The local addresses a text names (0.0.0.0 included), each with its port or undefined when none is written. */
export function localAddressPorts(text: string): (number | undefined)[] {
  return [...text.matchAll(LOCAL_ADDRESS)].map((m) => (m[1] === undefined ? undefined : Number(m[1])));
}

/** A word that is a local address, or a URL or user@host whose host is one. */
const LOCAL_HOST_WORD = new RegExp(String.raw`(?:^|\/\/|@)(?:${LOCAL})(?::|\/|$)`);

/** Whether a word (a curl or wget argument) names a local address as its host (`localhost:8000`, `http://127.0.0.1/health`). */
export function namesLocalHost(word: string): boolean {
  return LOCAL_HOST_WORD.test(word);
}
