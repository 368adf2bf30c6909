import { Readable, Transform } from 'stream';
import { NodeHttpHandler, NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { firstLine, htmlTitle, isHtmlPage, readCapped } from '../private/http-body';

type HandlerRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;
type HandlerOutput = Awaited<ReturnType<NodeHttpHandler['handle']>>;
type HandlerResponse = HandlerOutput['response'];

/**
 * An error built from what the server sent (or did not send in time); its message is meant for the user as it is.
 * A 5xx status is kept in `$metadata`, so the SDK retries it as it retries any server error; the others are final.
 */
export class S3EndpointError extends Error {
  readonly $metadata: { httpStatusCode?: number; attempts?: number };
  readonly code?: string;
  constructor(message: string, opts: { status?: number; code?: string } = {}) {
    super(message);
    this.name = 'S3EndpointError';
    this.$metadata = opts.status !== undefined && opts.status >= 500 ? { httpStatusCode: opts.status } : {};
    if (opts.code) this.code = opts.code;
  }
}

/** Limits of `BoundedHttpHandler`. */
export interface HttpBounds {
  /** Milliseconds a request may take, all its attempts and the reading of its answer included. */
  readonly deadlineMs: number;
  /** Milliseconds added to the deadline per MiB the request sends (an upload part). */
  readonly uploadMsPerMiB: number;
  /** Bytes of a successful answer (a listing, a JSON file) read at most. */
  readonly maxResponseBytes: number;
  /** Bytes of an error answer read at most (S3 error documents are a few hundred bytes). */
  readonly maxErrorBodyBytes: number;
  /** Redirects followed per request. */
  readonly maxRedirects: number;
  /** Told about each redirect that was followed, to suggest the address to use instead. */
  readonly onRedirect?: (from: string, to: string, status: number) => void;
}

/** The header the SDK's retry middleware sets once per request and keeps across attempts (@smithy/core retry: INVOCATION_ID_HEADER). */
const INVOCATION_ID = 'amz-sdk-invocation-id';

/** Redirect statuses (RFC 9110 §15.4; 304 is not a redirect to follow). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What the handler knows of one request across its attempts. */
interface Budget {
  readonly at: number;
  readonly ms: number;
  attempts: number;
}

/**
 * NodeHttpHandler with the bounds its own options lack. Its `requestTimeout` is an idle timeout: a server that sends
 * one byte every two seconds never trips it. This handler gives every request a total deadline (headers and body,
 * every attempt: attempts share the SDK's invocation id), reads answers only up to a cap (error documents to a small
 * one), follows a redirect only where the signed request stays valid (same host and path: an http → https
 * upgrade), and turns an HTML page or a non-S3 answer into a message that says what the server sent.
 */
export class BoundedHttpHandler extends NodeHttpHandler {
  private readonly budgets = new Map<string, Budget>();

  constructor(
    options: NodeHttpHandlerOptions,
    private readonly bounds: HttpBounds,
  ) {
    super(options);
  }

  override async handle(request: HandlerRequest, options: HandlerOptions = {}): Promise<HandlerOutput> {
    const budget = this.budgetOf(request);
    budget.attempts++;
    const visited = [urlOf(request)];
    let current = request;
    for (;;) {
      const out = await this.attempt(current, options, budget);
      if (!REDIRECTS.has(out.response.statusCode)) return out;
      current = this.redirect(current, out.response, visited);
    }
  }

  private budgetOf(request: HandlerRequest): Budget {
    const now = Date.now();
    for (const [id, b] of this.budgets) if (b.at < now) this.budgets.delete(id);
    const id = request.headers[INVOCATION_ID];
    const known = id ? this.budgets.get(id) : undefined;
    if (known) return known;
    const sent = Number(request.headers['content-length'] ?? request.headers['Content-Length'] ?? bodyLength(request.body));
    const ms = this.bounds.deadlineMs + (Number.isFinite(sent) && sent > 0 ? (sent / 2 ** 20) * this.bounds.uploadMsPerMiB : 0);
    const budget: Budget = { at: now + ms, ms, attempts: 0 };
    if (id) this.budgets.set(id, budget);
    return budget;
  }

  /** One exchange: headers and the body (buffered and checked, or guarded while the caller streams it) within the budget. */
  private async attempt(request: HandlerRequest, options: HandlerOptions, budget: Budget): Promise<HandlerOutput> {
    const origin = originOf(request);
    const remaining = budget.at - Date.now();
    if (remaining <= 0) throw this.deadlineError(origin, budget);
    const controller = new AbortController();
    const outer = options.abortSignal as AbortSignal | undefined;
    const onOuterAbort = () => controller.abort((outer as { reason?: unknown } | undefined)?.reason);
    outer?.addEventListener?.('abort', onOuterAbort, { once: true });
    let fired = false;
    let body: Readable | undefined;
    // what arrived so far, for the message if the deadline strikes
    const seen: { status?: number; received: number } = { received: 0 };
    const timer = setTimeout(() => {
      fired = true;
      body?.destroy(this.deadlineError(origin, budget, seen.status, seen.received));
      controller.abort();
    }, remaining);
    const done = () => {
      clearTimeout(timer);
      outer?.removeEventListener?.('abort', onOuterAbort);
    };
    let out: HandlerOutput;
    try {
      out = await super.handle(request, { ...options, abortSignal: controller.signal });
    } catch (e) {
      done();
      throw fired ? this.deadlineError(origin, budget) : e;
    }
    const res = out.response;
    const status = res.statusCode;
    seen.status = status;
    body = res.body as Readable;
    body.on('data', (chunk: Buffer) => {
      seen.received += chunk.length;
    });
    const failure = (e: unknown) => (fired ? this.deadlineError(origin, budget, status, seen.received) : this.resetError(origin, status, seen.received, e));

    if (REDIRECTS.has(res.statusCode)) {
      done();
      body.destroy();
      return out;
    }
    if (res.statusCode < 300 && request.method === 'GET' && request.query?.['list-type'] === undefined) {
      // an object read: the caller streams the object, the guard keeps the deadline and the cap running while it reads
      body = this.guardStream(res, body, origin, done, failure);
      return out;
    }
    const error = res.statusCode >= 300;
    let read;
    try {
      read = await readCapped(body, error ? this.bounds.maxErrorBodyBytes : this.bounds.maxResponseBytes);
    } catch (e) {
      throw failure(e);
    } finally {
      done();
    }
    this.checkAnswer(request, res, read, origin);
    res.body = Readable.from([read.bytes], { objectMode: false });
    return out;
  }

  /** Wraps a streamed object's body: the cap and the deadline keep running while the caller reads it. */
  private guardStream(res: HandlerResponse, body: Readable, origin: string, done: () => void, failure: (e: unknown) => Error): Transform {
    let n = 0;
    const cap = this.bounds.maxResponseBytes;
    const guard = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        n += chunk.length;
        if (n > cap) cb(new S3EndpointError(`${origin} sent more than ${formatBytes(cap)} for one object; the answer was not read further`));
        else cb(null, chunk);
      },
    });
    // the error stays on the stream for a reader that comes later; without a listener it would end the process
    guard.on('error', () => undefined);
    res.body = guard;
    body.on('error', (e) => guard.destroy(failure(e)));
    guard.on('close', () => {
      done();
      if (!(body as { complete?: boolean }).complete) body.destroy();
    });
    body.pipe(guard);
    return guard;
  }

  /** A buffered answer as S3 sends it: no HTML page, an error document of bounded size, a listing that is one. */
  private checkAnswer(request: HandlerRequest, res: HandlerResponse, read: { bytes: Buffer; truncated: boolean }, origin: string): void {
    const error = res.statusCode >= 300;
    const text = read.bytes.toString('utf8');
    const contentType = header(res, 'content-type');
    if (text.trim() && isHtmlPage(text, contentType)) {
      const title = htmlTitle(text);
      const page = `HTTP ${res.statusCode}${title ? `, page '${title}'` : ''}`;
      throw new S3EndpointError(
        res.statusCode >= 500
          ? `the endpoint ${origin} answered with an HTML page, not S3 (${page}): a proxy in front of S3 failed, or the URL is not the S3 API`
          : `the endpoint ${origin} answered with an HTML page, not S3 (is it the console URL?): ${page}; ` +
              'point --endpoint at the S3 API (MinIO serves it on port 9000, its console on 9001)',
        { status: res.statusCode },
      );
    }
    if (error) {
      const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
      if (read.truncated) {
        throw new S3EndpointError(
          `${origin} answered HTTP ${res.statusCode}${code ? ` (${code})` : ''} with an error document over ${formatBytes(this.bounds.maxErrorBodyBytes)}, ` +
            `which no S3 server sends; not read further (it begins '${firstLine(text, 80)}')`,
          { status: res.statusCode },
        );
      }
      // an S3 error document goes to the SDK, which names the error by its code; anything else is described here
      if (!code && text.trim()) {
        throw new S3EndpointError(
          `${origin} answered HTTP ${res.statusCode}${res.reason ? ` ${res.reason}` : ''}, not an S3 error document: '${firstLine(text)}'`,
          {
            status: res.statusCode,
          },
        );
      }
    } else {
      if (read.truncated) {
        throw new S3EndpointError(
          `${origin} sent more than ${formatBytes(this.bounds.maxResponseBytes)} in one answer (HTTP ${res.statusCode}); not read further`,
        );
      }
      if (request.query?.['list-type'] !== undefined && !/<ListBucketResult[\s>]/.test(text)) {
        throw new S3EndpointError(
          `${origin} answered a listing with HTTP ${res.statusCode} and ${text.trim() ? `'${firstLine(text, 80)}'` : 'an empty body'}, not an S3 listing (ListBucketResult): is --endpoint the S3 API?`,
        );
      }
    }
  }

  /** The request to send next for a redirect, or an error that names where the server pointed and why it is not followed. */
  private redirect(request: HandlerRequest, res: HandlerResponse, visited: string[]): HandlerRequest {
    const origin = originOf(request);
    const what = `HTTP ${res.statusCode}${res.reason ? ` ${res.reason}` : ''}`;
    const region = header(res, 'x-amz-bucket-region');
    const regionHint = region ? ` (the bucket is in region ${region}: pass --region ${region})` : '';
    const location = header(res, 'location');
    if (!location) throw new S3EndpointError(`${origin} answered ${what} without a Location to go to${regionHint}`);
    let target: URL;
    try {
      target = new URL(location, visited[visited.length - 1]);
    } catch {
      throw new S3EndpointError(`${origin} answered ${what} with a Location that is not a URL: '${firstLine(location, 200)}'`);
    }
    const chain = [...visited, target.href].join(' → ');
    if (visited.includes(target.href)) throw new S3EndpointError(`${origin} redirects in a loop (${what}): ${chain}`);
    if (visited.length > this.bounds.maxRedirects)
      throw new S3EndpointError(`${origin} redirected more than ${this.bounds.maxRedirects} times (${what}): ${chain}; point --endpoint at the final address`);
    const from = new URL(visited[visited.length - 1]);
    const sameResource = target.hostname === from.hostname && samePathAndQuery(from, target);
    const bodiless = request.method === 'GET' || request.method === 'HEAD';
    if ((target.protocol !== 'http:' && target.protocol !== 'https:') || !sameResource || !bodiless) {
      const why = !bodiless ? 'an upload is not sent twice' : 'a request is signed for its host and path, so a redirect elsewhere is not followed';
      throw new S3EndpointError(
        `${origin} redirected (${what}) to ${target.href}${regionHint}; ${why}: point --endpoint at ${target.protocol}//${target.host}`,
      );
    }
    this.bounds.onRedirect?.(from.href, target.href, res.statusCode);
    visited.push(target.href);
    return {
      ...request,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port ? Number(target.port) : undefined,
    } as HandlerRequest;
  }

  private deadlineError(origin: string, budget: Budget, status?: number, received = 0): S3EndpointError {
    const limit = `within ${formatSeconds(budget.ms)}, the deadline of one request (--deadline${budget.attempts > 1 ? `; ${budget.attempts} attempts` : ''})`;
    return new S3EndpointError(
      status === undefined
        ? `${origin} sent no complete answer (status line and headers) ${limit}: a server that accepts connections and never answers, or trickles its answer ` +
            '(a load balancer in front of a stopped MinIO); check the endpoint, or raise --deadline for a slow link'
        : `${origin} answered HTTP ${status} but sent only ${received} bytes of the body ${limit}: it trickles its answer; check the endpoint, or raise --deadline for a slow link`,
    );
  }

  private resetError(origin: string, status: number, received: number, e: unknown): S3EndpointError {
    const err = e as { code?: string; message?: string };
    return new S3EndpointError(
      `${origin} reset the connection after HTTP ${status} and ${received} bytes of the body (${err.code ?? err.message ?? String(e)}): the server or a proxy in between closed it mid-answer`,
      { code: 'ECONNRESET' },
    );
  }
}

function header(res: HandlerResponse, name: string): string | undefined {
  const key = Object.keys(res.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : res.headers[key];
}

function originOf(request: HandlerRequest): string {
  return `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
}

/** The request's URL, for redirects (resolved against it) and messages. */
function urlOf(request: HandlerRequest): string {
  const u = new URL(`${originOf(request)}${request.path}`);
  for (const [k, v] of Object.entries(request.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) u.searchParams.append(k, one ?? '');
  }
  return u.href;
}

function samePathAndQuery(a: URL, b: URL): boolean {
  const decode = (p: string) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  const query = (u: URL) => JSON.stringify([...u.searchParams.entries()].sort());
  return decode(a.pathname) === decode(b.pathname) && query(a) === query(b);
}

function bodyLength(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return 0;
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(0)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
