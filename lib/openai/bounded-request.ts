import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import { readCapped } from '../private/http-body';

/** An HTTP answer, its body read up to a cap. */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The server sent more than the cap; `body` holds the beginning. */
  readonly truncated: boolean;
  readonly location?: string;
}

/** Why no answer came: the address, TLS, the deadline, or a reset connection. */
export type TransportFailure = 'unreachable' | 'tls' | 'timeout' | 'reset';

/** A request that got no (whole) answer; the message names the URL and the cause. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** One request. */
export interface BoundedRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Epoch milliseconds by which the whole exchange (connection, headers, body) must be over. */
  readonly deadlineAt: number;
  /** What the deadline is, for the message ("--timeout 30 s"). */
  readonly deadlineName: string;
  /** PEM text of CAs trusted besides the system's. */
  readonly caPem?: string;
  /** Bytes of the answer read at most. */
  readonly maxBytes: number;
}

/** Node's codes for a certificate that does not verify (OpenSSL X509_V_ERR names, and Node's own host check). */
const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

/** Codes of an address that cannot be reached (libuv and getaddrinfo). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * Sends one request and reads its answer with a total deadline: a server that trickles its headers or body one byte at
 * a time fails at the deadline, as one that never answers does (an idle timeout alone would wait forever). TLS is
 * always verified, against the system's CAs and `caPem`. Redirects are not followed: the answer says where to.
 */
export function boundedRequest(req: BoundedRequest): Promise<HttpAnswer> {
  const target = req.url.href;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const remaining = req.deadlineAt - Date.now();
    let phase: 'connecting' | 'waiting' | 'reading' = 'connecting';
    let status = 0;
    let settled = false;
    const fail = (e: TransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(e);
    };
    const timer = setTimeout(
      () => {
        fail(new TransportError(phase === 'connecting' ? 'unreachable' : 'timeout', `${target} ${unfinished(phase, status)} within ${req.deadlineName}`));
      },
      Math.max(0, remaining),
    );
    const send = req.url.protocol === 'https:' ? https.request : http.request;
    const request = send(req.url, requestOptions(req), (res) => {
      phase = 'reading';
      status = res.statusCode ?? 0;
      readCapped(res, req.maxBytes).then(
        ({ bytes, truncated }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status,
            statusText: res.statusMessage ?? '',
            contentType: String(res.headers['content-type'] ?? ''),
            body: bytes,
            truncated,
            location: res.headers.location,
          });
        },
        (e) => fail(classify(e, target, phase, status)),
      );
    });
    request.on('socket', (socket) => {
      socket.once(req.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        phase = 'waiting';
      });
    });
    request.on('error', (e) => fail(classify(e, target, phase, status)));
    request.end(req.body);
  });
}

/** The request's options: a fresh connection, JSON accepted (and sent, with a body), the extra CA trusted beside the system's. */
function requestOptions(req: BoundedRequest): https.RequestOptions {
  return {
    method: req.method,
    // a fresh connection per request: the phase the deadline names is then always this request's own
    agent: false,
    headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
    ...(req.url.protocol === 'https:' && req.caPem ? { ca: [...tls.rootCertificates, req.caPem] } : {}),
  };
}

/** What the server had not done when the deadline passed. */
function unfinished(phase: 'connecting' | 'waiting' | 'reading', status: number): string {
  if (phase === 'connecting') return 'could not connect';
  return phase === 'waiting' ? 'accepted the connection but sent no complete answer' : `answered HTTP ${status} but did not finish the body`;
}

function classify(e: unknown, target: string, phase: string, status: number): TransportError {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (UNREACHABLE_CODES.has(code))
    return new TransportError('unreachable', `cannot reach ${target} (${code}): check the URL and that the service is reachable from here`);
  if (CERT_CODES.test(code) || /certificate/i.test(msg))
    return new TransportError(
      'tls',
      `TLS verification of ${target} failed (${code || msg}): pass the CA that signed its certificate with --ca-bundle <pem> ` +
        '(an OpenShift route with the default ingress certificate: the ingress CA)',
    );
  if (/wrong version number|packet length too long|EPROTO|ERR_SSL/i.test(`${code} ${msg}`))
    return new TransportError('tls', `${target} does not speak TLS (${code || msg}): the URL says https:// but the server answers plain HTTP; write http://`);
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new TransportError(
      'reset',
      phase === 'reading'
        ? `${target} reset the connection after HTTP ${status}, before the body was complete (${code})`
        : `${target} reset the connection before answering (${code}: ${msg})${target.startsWith('http://') ? '; if it serves HTTPS, write https://' : ''}`,
    );
  return new TransportError('unreachable', `request to ${target} failed: ${code ? `${code}: ` : ''}${msg}`);
}
