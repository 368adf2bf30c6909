import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';

/**
 * An OpenAI-compatible stub of a vLLM server on 127.0.0.1. The first path segment picks how it behaves, so one server
 * serves every variant: `<base>/good/v1/models`, `<base>/slow/v1/models`, …
 */
export interface OpenAiStub {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** The URL of a variant, as a user would give it. */
  url(variant: StubVariant): string;
  /**
   * Requests received, in order; `heldSeconds`, once the client has gone, is how long the answer was held open from the
   * request's arrival: what a deadline bounds, measured where a loaded machine's slow process start does not count.
   */
  readonly requests: { variant: string; method: string; path: string; authorization?: string; body: string; heldSeconds?: number }[];
  close(): Promise<void>;
}

export type StubVariant =
  | 'good'
  | 'slow'
  | 'trickle'
  | 'wrong-model'
  | 'error-500'
  | 'non-json'
  | 'auth'
  | 'empty-content'
  | 'reasoning-only'
  | 'chat-template'
  | 'legacy-error'
  | 'no-choices'
  | 'reset'
  | 'redirect';

/** The served model name of every variant but wrong-model. */
export const STUB_MODEL = 'mistral-small-24b';
/** The one token the auth variant accepts; 'not-allowed' gets 403. */
export const STUB_TOKEN = 'stub-token-for-tests';

/** vLLM's answer to a chat request on a model without a chat template (transformers ≥ 4.44), in its ErrorResponse shape. */
const CHAT_TEMPLATE_ERROR = {
  error: {
    message: 'As of transformers v4.44, default chat template is no longer allowed, so you must provide a chat template if the tokenizer does not define one.',
    type: 'BadRequestError',
    param: null,
    code: 400,
  },
};

function models(ids: string[]) {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1764633600, owned_by: 'vllm', root: `/mnt/models`, max_model_len: 32768 })) };
}

function completion(content: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 1764633600,
    model: STUB_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content, ...extra }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
  };
}

/** Starts the stub; with `tls`, it serves HTTPS with that key and certificate. */
export async function startOpenAiStub(opts: { tls?: { key: Buffer; cert: Buffer } } = {}): Promise<OpenAiStub> {
  const requests: OpenAiStub['requests'] = [];
  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      const [, variant = '', ...rest] = (req.url ?? '').split('/');
      const path = `/${rest.join('/')}`;
      const record: OpenAiStub['requests'][number] = { variant, method: req.method ?? '', path, authorization: req.headers.authorization, body };
      const arrived = Date.now();
      res.on('close', () => (record.heldSeconds = (Date.now() - arrived) / 1000));
      requests.push(record);
      const json = (status: number, doc: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(doc));
      };
      const isModels = req.method === 'GET' && path === '/v1/models';
      const isChat = req.method === 'POST' && path === '/v1/chat/completions';
      if (!isModels && !isChat) return json(404, { detail: 'Not Found' });
      switch (variant) {
        case 'good':
          return json(200, isModels ? models([STUB_MODEL]) : completion('ready'));
        case 'slow':
          return void setTimeout(() => json(200, models([STUB_MODEL])), 15_000).unref();
        case 'trickle': {
          // headers at once, then one byte every 500 ms: an idle timeout never trips
          res.writeHead(200, { 'content-type': 'application/json' });
          const text = JSON.stringify(models([STUB_MODEL]));
          let i = 0;
          const t = setInterval(() => (i < text.length ? res.write(text[i++]) : (clearInterval(t), res.end())), 500);
          res.on('close', () => clearInterval(t));
          return;
        }
        case 'wrong-model':
          return json(200, isModels ? models(['llama-3.1-8b', 'granite-3.3-8b']) : completion('ready'));
        case 'error-500':
          if (isModels) return json(200, models([STUB_MODEL]));
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end('EngineCore died: CUDA error: an illegal memory access was encountered\nTraceback (most recent call last):\n  ...');
        case 'non-json':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end(
            '<!DOCTYPE html>\n<html><head><title>Application is not available</title></head><body>The application is currently not serving requests.</body></html>',
          );
        case 'auth':
          if (req.headers.authorization === 'Bearer not-allowed') return json(403, { detail: 'Forbidden' });
          if (req.headers.authorization !== `Bearer ${STUB_TOKEN}`) {
            res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
            return res.end('Unauthorized\n');
          }
          return json(200, isModels ? models([STUB_MODEL]) : completion('ready'));
        case 'empty-content':
          return json(200, isModels ? models([STUB_MODEL]) : completion(''));
        case 'reasoning-only':
          return json(200, isModels ? models([STUB_MODEL]) : completion(null, { reasoning_content: 'The user wants a single word. I should' }));
        case 'chat-template':
          return json(isModels ? 200 : 400, isModels ? models([STUB_MODEL]) : CHAT_TEMPLATE_ERROR);
        case 'legacy-error':
          // vLLM before ErrorResponse nested its fields under "error"
          return json(
            isModels ? 200 : 400,
            isModels
              ? models([STUB_MODEL])
              : { object: 'error', message: 'max_tokens must be at least 1, got 0.', type: 'BadRequestError', param: null, code: 400 },
          );
        case 'no-choices':
          return json(200, isModels ? models([STUB_MODEL]) : { id: 'x', object: 'chat.completion', model: STUB_MODEL, choices: [] });
        case 'reset':
          return req.socket.destroy();
        case 'redirect':
          res.writeHead(302, { location: `https://127.0.0.1/${variant}${path}` });
          return res.end();
        default:
          return json(404, { detail: 'Not Found' });
      }
    });
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (variant) => `${base}/${variant}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
