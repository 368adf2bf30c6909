import * as fs from 'fs';
import { runSmokeTest, SMOKE_DEFAULTS, smokeBaseUrl, smokeExitCode } from '../openai/smoke-test';
import { Command, InputError, numberOption, UsageError } from './command';
import { defineCommand } from './options';

/** A token or CA file larger than this is not one (a service-account token is about 1 KiB, a CA bundle some 200 KiB). */
const MAX_SECRET_FILE_BYTES = 1024 * 1024;

export const smokeCommand: Command = defineCommand({
  name: 'smoke',
  synopsis: ['smoke <url> --model <name> [options]'],
  usage: [
    `  Calls GET <url>/v1/models and one short POST <url>/v1/chat/completions (temperature 0) and fails unless the
  service serves <name> and answers well-formed JSON with a non-empty choices[0].message.content. <url> is the
  service's address (a route, or the cluster address from inside the cluster), with or without /v1.`,
    {
      model: { type: 'string', value: '<name>', help: "the model name the service must serve (KServe: the InferenceService's name)" },
      'token-env': { type: 'string', value: '<VAR>', help: 'send the bearer token held by environment variable VAR (services with auth enabled)' },
      'token-file': { type: 'string', value: '<file>', help: 'send the bearer token read from a file (e.g. a mounted ServiceAccount token)' },
      'ca-bundle': {
        type: 'string',
        value: '<pem>',
        help: "trust this CA besides the system's (a route with a self-signed ingress certificate); TLS is always verified",
      },
      timeout: {
        type: 'string',
        value: '<s>',
        help: 'seconds the whole test may take, both requests included',
        default: String(SMOKE_DEFAULTS.timeoutSeconds),
      },
      'max-tokens': {
        type: 'string',
        value: '<n>',
        help: 'tokens the answer may have; raise it for reasoning models',
        default: String(SMOKE_DEFAULTS.maxTokens),
      },
      json: { type: 'boolean', help: 'print {ok, url, model, servedModels, answer, seconds, failure: {kind, message, status}}' },
    },
    `  Exit codes: 0 the model answered; 1 the service answered wrongly or not in time (wrong model, HTTP error, chat
  template error, not JSON, empty answer, timeout, reset); 2 it could not be asked as told (usage, unreachable
  address, TLS verification, 401/403, a redirect).`,
  ],
  positionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError("give exactly one URL, the service's address");
    if (!values.model?.trim()) throw new UsageError('give the model name the service must serve: --model <name>');
    if (values['token-env'] !== undefined && values['token-file'] !== undefined) throw new UsageError('give --token-env or --token-file, not both');
    const timeoutSeconds = numberOption('timeout', values.timeout, { min: 0.1, max: 3600 });
    const maxTokens = numberOption('max-tokens', values['max-tokens'], { integer: true, min: 1, max: 4096 });
    try {
      smokeBaseUrl(positionals[0]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const token = tokenFrom(values['token-env'], values['token-file']);
    const caPem = values['ca-bundle'] !== undefined ? readSmallFile(values['ca-bundle'], '--ca-bundle') : undefined;
    if (caPem !== undefined && !caPem.includes('-----BEGIN CERTIFICATE-----'))
      throw new InputError(`--ca-bundle ${values['ca-bundle']} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);

    const r = await runSmokeTest({ url: positionals[0], model: values.model, token, caPem, timeoutSeconds, maxTokens });
    if (values.json) io.out(`${JSON.stringify(r)}\n`);
    else if (r.ok) io.out(`ok      ${r.url} serves '${r.model}' and answered in ${r.seconds.toFixed(2)} s: ${JSON.stringify(clip(r.answer ?? ''))}\n`);
    else io.err(`FAILED  ${r.url}: ${r.failure!.message}\n`);
    return smokeExitCode(r);
  },
});

/** The bearer token from an environment variable or a file; never echoed. */
function tokenFrom(envName: string | undefined, file: string | undefined): string | undefined {
  let token: string | undefined;
  let source = '';
  if (envName !== undefined) {
    source = `environment variable ${envName}`;
    token = process.env[envName];
    if (token === undefined) throw new InputError(`${source} is not set; export the token there, or pass --token-file <file>`);
  } else if (file !== undefined) {
    source = `--token-file ${file}`;
    token = readSmallFile(file, '--token-file');
  } else {
    return undefined;
  }
  token = token.trim();
  if (!token) throw new InputError(`${source} is empty; it must hold the bearer token`);
  // a header value cannot hold line breaks or control characters (RFC 9110 §5.5)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(token))
    throw new InputError(`${source} holds a line break or control character inside the token; it must hold the token alone`);
  return token;
}

/** A regular file's text, refused when it is missing, not a file (a FIFO, a device) or too large to be a token or a CA. */
function readSmallFile(file: string, option: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new InputError(`${option} ${file} does not exist`);
  }
  if (!st.isFile()) throw new InputError(`${option} ${file} is not a regular file`);
  if (st.size > MAX_SECRET_FILE_BYTES) throw new InputError(`${option} ${file} is ${st.size} bytes, more than a token or CA bundle has (1 MiB)`);
  return fs.readFileSync(file, 'utf8');
}

function clip(s: string, max = 200): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
