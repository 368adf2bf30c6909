import { firstLine, htmlTitle, isHtmlPage } from '../private/http-body';
import { boundedRequest, HttpAnswer, TransportError, TransportFailure } from './bounded-request';

/**
 * Why a smoke test failed. The first group means the test could not ask the service as told (exit code 2: fix the
 * URL, the CA or the token); the second that the service answered wrongly or not in time (exit code 1).
 */
export type SmokeFailure =
  | 'unreachable'
  | 'tls'
  | 'auth'
  | 'redirect'
  | 'timeout'
  | 'reset'
  | 'http-error'
  | 'chat-template'
  | 'not-json'
  | 'bad-answer'
  | 'wrong-model'
  | 'empty-answer';

/** Failures that say the test could not be run as asked, not that the service is wrong. */
const CALLER_SIDE: ReadonlySet<SmokeFailure> = new Set<SmokeFailure>(['unreachable', 'tls', 'auth', 'redirect']);

/** What to ask. */
export interface SmokeTestOptions {
  /** The service's base URL (`https://…`, or `…/v1`), as a route or a cluster address gives it. */
  readonly url: string;
  /** The model name the service must serve (vLLM's `--served-model-name`; KServe sets the InferenceService's name). */
  readonly model: string;
  /** A bearer token, when the service has auth enabled. @default - no Authorization header */
  readonly token?: string;
  /** PEM text of CAs to trust besides the system's. @default - the system's CAs */
  readonly caPem?: string;
  /** Seconds the whole test may take, both requests included. @default 30 */
  readonly timeoutSeconds?: number;
  /** Tokens the chat completion may generate. @default 16 */
  readonly maxTokens?: number;
}

/** What the smoke test found. */
export interface SmokeTestResult {
  readonly ok: boolean;
  readonly url: string;
  readonly model: string;
  /** Model ids `GET /v1/models` listed (empty when it was not reached). */
  readonly servedModels: string[];
  /** The chat completion's `choices[0].message.content`, when there was one. */
  readonly answer?: string;
  readonly seconds: number;
  readonly failure?: { readonly kind: SmokeFailure; readonly message: string; readonly status?: number };
}

/** @default seconds of the whole test: a vLLM server that is ready answers 16 tokens in well under a second per request. */
export const SMOKE_DEFAULTS = { timeoutSeconds: 30, maxTokens: 16 } as const;

/** The question: short, with one obvious answer, so that temperature 0 gives a short non-empty reply. */
export const SMOKE_PROMPT = 'Reply with the single word: ready';

/** Answers are small JSON documents; more than this is not an answer to these requests. */
const MAX_ANSWER_BYTES = 4 * 2 ** 20;

class SmokeError extends Error {
  constructor(
    readonly kind: SmokeFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Exit code of a result: 0 passed, 1 the service answered wrongly or not in time, 2 it could not be asked as told. */
export function smokeExitCode(result: SmokeTestResult): 0 | 1 | 2 {
  if (result.ok) return 0;
  return result.failure && CALLER_SIDE.has(result.failure.kind) ? 2 : 1;
}

/**
 * The service's base URL: http(s), no credentials, no query; a trailing `/v1` (as OpenAI clients are configured) is
 * dropped, since the requests add it. Throws an error that says what to write.
 */
export function smokeBaseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`'${firstLine(url, 100)}' is not a URL; write the service's address, e.g. https://mistral-small-private-ai.apps.example.com`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`'${u.href}' is not an http(s) URL; write it with http:// or https://`);
  if (u.username || u.password)
    throw new Error(`the URL carries credentials; remove them and pass a bearer token with --token-env <VAR> or --token-file <file>`);
  if (u.search || u.hash) throw new Error(`the URL '${u.href}' has a query or fragment; give the service's base address`);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return u;
}

/**
 * Asks an OpenAI-compatible server (vLLM) what a deployment must answer: `GET /v1/models` lists the model, and one
 * short `POST /v1/chat/completions` (temperature 0) returns well-formed JSON with a non-empty
 * `choices[0].message.content` — which also proves the chat template works, a failure that shows only on the first
 * request. Every failure is a result with its kind and a message naming the cause; only a URL that `smokeBaseUrl`
 * refuses throws.
 */
export async function runSmokeTest(opts: SmokeTestOptions): Promise<SmokeTestResult> {
  const started = Date.now();
  const timeoutSeconds = opts.timeoutSeconds ?? SMOKE_DEFAULTS.timeoutSeconds;
  const maxTokens = opts.maxTokens ?? SMOKE_DEFAULTS.maxTokens;
  const served: string[] = [];
  let answer: string | undefined;
  const base = smokeBaseUrl(opts.url);
  const result = (failure?: SmokeTestResult['failure']): SmokeTestResult => ({
    ok: !failure,
    url: base.href,
    model: opts.model,
    servedModels: served,
    ...(answer !== undefined ? { answer } : {}),
    seconds: (Date.now() - started) / 1000,
    ...(failure ? { failure } : {}),
  });
  const to: Endpoint = { base, token: opts.token, caPem: opts.caPem, deadlineAt: started + timeoutSeconds * 1000, timeoutSeconds };

  try {
    served.push(...listedModels((await callJson(to, 'GET', '/v1/models')).json));
    requireServed(served, opts.model);
    const chat = (
      await callJson(to, 'POST', '/v1/chat/completions', {
        model: opts.model,
        messages: [{ role: 'user', content: SMOKE_PROMPT }],
        max_tokens: maxTokens,
        temperature: 0,
      })
    ).json;
    answer = contentOf(chat, opts.model, maxTokens);
    return result();
  } catch (e) {
    if (e instanceof SmokeError) return result({ kind: e.kind, message: e.message, ...(e.status !== undefined ? { status: e.status } : {}) });
    throw e;
  }
}

/** Where the smoke test asks, and until when. */
interface Endpoint {
  readonly base: URL;
  readonly token?: string;
  readonly caPem?: string;
  readonly deadlineAt: number;
  readonly timeoutSeconds: number;
}

/** One request under the smoke test's deadline; an answer that is not a JSON success is a `SmokeError` naming why. */
async function callJson(to: Endpoint, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ answer: HttpAnswer; json: unknown }> {
  const url = new URL(`${to.base.pathname.replace(/\/$/, '')}${path}`, to.base);
  let a: HttpAnswer;
  try {
    a = await boundedRequest({
      method,
      url,
      headers: to.token ? { authorization: `Bearer ${to.token}` } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
      deadlineAt: to.deadlineAt,
      deadlineName: `--timeout ${to.timeoutSeconds} s (the whole smoke test)`,
      caPem: to.caPem,
      maxBytes: MAX_ANSWER_BYTES,
    });
  } catch (e) {
    if (e instanceof TransportError) throw new SmokeError(e.kind satisfies TransportFailure, e.message);
    throw e;
  }
  const what = `${method} ${url.pathname}`;
  const text = a.body.toString('utf8');
  refuseUnsuccessful(what, a, text, !!to.token);
  if (a.truncated) throw new SmokeError('not-json', `${what} answered more than ${MAX_ANSWER_BYTES / 2 ** 20} MiB, not a short JSON answer`, a.status);
  try {
    return { answer: a, json: JSON.parse(text) as unknown };
  } catch {
    const kind = isHtmlPage(text, a.contentType) ? `an HTML page${htmlTitle(text) ? ` ('${htmlTitle(text)}')` : ''}` : `'${firstLine(text, 80)}'`;
    throw new SmokeError(
      'not-json',
      `${what} answered HTTP ${a.status} with ${text.trim() ? kind : 'an empty body'}${a.contentType ? ` (${a.contentType})` : ''}, not JSON: is the URL the model's OpenAI-compatible endpoint?`,
      a.status,
    );
  }
}

/** An answer that is not a success: refused auth, a redirect, an error (a missing chat template named as such). */
function refuseUnsuccessful(what: string, a: HttpAnswer, text: string, withToken: boolean): void {
  if (a.status === 401 || a.status === 403) throw new SmokeError('auth', authMessage(what, a.status, withToken), a.status);
  if (a.status >= 300 && a.status < 400)
    throw new SmokeError('redirect', `${what} answered HTTP ${a.status} to ${a.location ?? '(no Location)'}: give that address as the URL`, a.status);
  if (a.status < 400) return;
  const message = errorMessageOf(text);
  if (/chat template/i.test(message ?? ''))
    throw new SmokeError(
      'chat-template',
      `${what} failed: the model has no usable chat template (HTTP ${a.status}: ${message}); give vLLM one with --chat-template, or serve a model whose tokenizer has one`,
      a.status,
    );
  throw new SmokeError(
    'http-error',
    `${what} answered HTTP ${a.status}${a.statusText ? ` ${a.statusText}` : ''}: ${message ?? (firstLine(text) || '(empty body)')}`,
    a.status,
  );
}

/** The models `/v1/models` lists. */
function listedModels(models: unknown): string[] {
  const data = isObject(models) ? models.data : undefined;
  if (!Array.isArray(data)) throw new SmokeError('bad-answer', `GET /v1/models answered JSON without a 'data' list of models: ${clip(JSON.stringify(models))}`);
  return data.flatMap((m: unknown) => (isObject(m) && typeof m.id === 'string' ? [m.id] : []));
}

/** The service must serve the model the smoke test asks for. */
function requireServed(served: readonly string[], model: string): void {
  if (served.includes(model)) return;
  throw new SmokeError(
    'wrong-model',
    served.length
      ? `the service serves ${served.map((s) => `'${clip(s)}'`).join(', ')}, not '${model}': check the InferenceService's name or vLLM's --served-model-name, or pass --model ${served[0]}`
      : `the service lists no model, not '${model}'`,
  );
}

/** The chat completion's answer: `choices[0].message.content`, a non-empty string, from `model`. */
function contentOf(chat: unknown, model: string, maxTokens: number): string {
  const choice = isObject(chat) && Array.isArray(chat.choices) ? (chat.choices[0] as unknown) : undefined;
  const message = isObject(choice) ? choice.message : undefined;
  if (!isObject(message))
    throw new SmokeError('bad-answer', `POST /v1/chat/completions answered JSON without choices[0].message: ${clip(JSON.stringify(chat))}`);
  if (isObject(chat) && typeof chat.model === 'string' && chat.model !== model)
    throw new SmokeError('wrong-model', `POST /v1/chat/completions answered as model '${clip(chat.model)}', not '${model}'`);
  const content = message.content;
  if (content !== null && content !== undefined && typeof content !== 'string')
    throw new SmokeError('bad-answer', `choices[0].message.content is ${clip(JSON.stringify(content))}, not a string`);
  if (!content?.trim()) {
    const reasoning = message.reasoning_content ?? message.reasoning;
    throw new SmokeError(
      'empty-answer',
      `the chat completion's choices[0].message.content is ${content === '' ? 'empty' : 'missing'}` +
        (typeof reasoning === 'string' && reasoning.trim()
          ? `; the answer is all reasoning (reasoning_content): raise --max-tokens (${maxTokens})`
          : `${isObject(choice) && typeof choice.finish_reason === 'string' ? ` (finish_reason ${clip(choice.finish_reason)})` : ''}: the model generated nothing`),
    );
  }
  return content;
}

function authMessage(what: string, status: number, withToken: boolean): string {
  if (status === 403)
    return `${what} answered HTTP 403: the token is valid but may not use this service; grant its ServiceAccount 'get' on the InferenceService (OpenShift AI's kube-rbac-proxy checks that)`;
  return withToken
    ? `${what} answered HTTP 401: the token was refused (expired, or not a token of this cluster); pass a fresh one with --token-env <VAR> or --token-file <file>`
    : `${what} answered HTTP 401: the service requires a token; pass one with --token-env <VAR> or --token-file <file> (OpenShift AI: a ServiceAccount's token, e.g. from 'oc create token <sa>')`;
}

/**
 * The message of an error answer: vLLM's current shape `{"error": {"message", "type", "code"}}`
 * (vllm/entrypoints/openai/protocol.py ErrorResponse), its older flat `{"object": "error", "message", …}`, or
 * FastAPI's `{"detail": …}`.
 */
function errorMessageOf(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json)) return undefined;
  const nested = isObject(json.error) ? json.error : undefined;
  const message = nested?.message ?? json.message ?? json.detail;
  const type = nested?.type ?? json.type;
  if (typeof message !== 'string') return message === undefined ? undefined : clip(JSON.stringify(message), 300);
  return `${typeof type === 'string' ? `${type}: ` : ''}${firstLine(message, 300)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
