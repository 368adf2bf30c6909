import { readJobScript } from './job-pod';

/** What the in-cluster smoke test asks, and how. */
export interface SmokeTestScriptProps {
  /** The service's address as the Job reaches it, e.g. `https://mistral-small-predictor.private-ai.svc:8443` (with or without `/v1`). */
  readonly url: string;
  /** The model name the service must serve (KServe: the InferenceService's name). */
  readonly model: string;
  /**
   * Path of a file holding the bearer token, in the Job's pod (a mounted Secret, or the projected ServiceAccount token).
   * @default - no Authorization header (a service without auth)
   */
  readonly tokenPath?: string;
  /**
   * Path of a PEM file of CAs to trust besides the image's, in the Job's pod (OpenShift's service CA:
   * `/var/run/secrets/kubernetes.io/serviceaccount/service-ca.crt`).
   * @default - the image's CAs
   */
  readonly caPath?: string;
  /**
   * Seconds the whole test may take, both requests included.
   * @default 60
   */
  readonly timeoutSeconds?: number;
  /**
   * Tokens the answer may have.
   * @default 16
   */
  readonly maxTokens?: number;
}

/** The line of smoke_test.py that the settings replace. */
const SETTINGS_LINE = 'SETTINGS = {}  # cdk8s-vllm: settings';

/**
 * The in-cluster smoke test as a Python 3 script (standard library only; the vLLM image has python3): the checks of
 * `cdk8s-vllm smoke`, with the settings written into the script. Run it as `python3 smoke_test.py`; exit codes 0 the
 * model answered, 1 the service answered wrongly or not in time, 2 it could not be asked (address, TLS, token).
 * Throws, naming the field, when a setting cannot work.
 */
export function smokeTestScript(props: SmokeTestScriptProps): string {
  const where = 'smokeTestScript';
  let url: URL;
  try {
    url = new URL(props.url);
  } catch {
    throw new Error(`${where}: url '${props.url}' is not a URL; write the service's address, e.g. http://mistral-small-predictor.private-ai.svc:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${where}: url '${props.url}' is not http(s)`);
  if (url.username || url.password) throw new Error(`${where}: url carries credentials; remove them and give tokenPath, a file holding the token`);
  if (url.search || url.hash) throw new Error(`${where}: url '${props.url}' has a query or fragment; give the service's base address`);
  if (!props.model.trim()) throw new Error(`${where}: model is empty; give the model name the service serves`);
  for (const [field, p] of [
    ['tokenPath', props.tokenPath],
    ['caPath', props.caPath],
  ] as const) {
    if (p !== undefined && !p.startsWith('/')) throw new Error(`${where}: ${field} '${p}' must be an absolute path in the Job's pod`);
  }
  const timeoutSeconds = props.timeoutSeconds ?? 60;
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 && timeoutSeconds <= 3600))
    throw new Error(`${where}: timeoutSeconds must be a number of seconds from 0 to 3600, got ${timeoutSeconds}`);
  const maxTokens = props.maxTokens ?? 16;
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1 && maxTokens <= 4096))
    throw new Error(`${where}: maxTokens must be a whole number from 1 to 4096, got ${maxTokens}`);

  const settings = {
    url: url.href.replace(/\/+$/, ''),
    model: props.model,
    tokenPath: props.tokenPath ?? null,
    caPath: props.caPath ?? null,
    timeoutSeconds,
    maxTokens,
  };
  // JSON in a raw triple-quoted Python string: escape the only character (') that could end it early; json.loads
  // then reads every escape JSON.stringify wrote, astral characters included
  const json = JSON.stringify(settings).replace(/'/g, '\\u0027');
  const script = readJobScript('smoke_test.py');
  if (!script.includes(SETTINGS_LINE)) throw new Error(`smoke_test.py lacks its settings line '${SETTINGS_LINE}'`);
  return script.replace(SETTINGS_LINE, () => `SETTINGS = json.loads(r'''${json}''')`);
}
