import { isMapping, Loose, mapping, mappings, text } from '../manifests/access';
import { parseOne } from '../manifests/yaml-documents';

/**
 * One deployment of a LiteLLM proxy's config.yaml (docs.litellm.ai/docs/proxy/configs: `model_list`, each entry a
 * `model_name` clients ask for and the `litellm_params` the proxy calls the backend with: `model` as
 * `<provider>/<backend model>`, `api_base`, the backend's URL, and `api_key`).
 */
export interface LitellmDeployment {
  readonly index: number;
  readonly modelName: string | undefined;
  readonly params: Loose;
}

/** The deployments of a parsed LiteLLM config (a mapping whose model_list entries carry litellm_params); none for any other document. */
export function litellmDeployments(doc: unknown): LitellmDeployment[] {
  if (!isMapping(doc) || !Array.isArray(doc.model_list)) return [];
  return mappings(doc.model_list).flatMap((m, index) =>
    isMapping(m.litellm_params) ? [{ index, modelName: text(m.model_name), params: m.litellm_params }] : [],
  );
}

/** The LiteLLM config a ConfigMap key holds (`config.yaml`, or any YAML key whose text has a model_list), parsed; undefined otherwise. */
export function litellmConfigOf(key: string, value: string): LitellmDeployment[] {
  return litellmDeployments(litellmConfigText(key, value, 'model_list'));
}

/** The parsed LiteLLM config a ConfigMap key holds where its text has the top-level section named; undefined otherwise. */
export function litellmConfigText(key: string, value: string, section: 'model_list' | 'mcp_servers'): unknown {
  if (!/\.ya?ml$/i.test(key) || !new RegExp(`^${section}\\s*:`, 'm').test(value)) return undefined;
  const parsed = parseOne(value);
  return 'value' in parsed ? parsed.value : undefined;
}

/** The field of a deployment's parameter, as a finding names it: `model_list[0].litellm_params.api_base`. */
export const litellmField = (d: LitellmDeployment, param: string) => `model_list[${d.index}].litellm_params.${param}`;

/** The api_base URLs of a LiteLLM config a ConfigMap key holds, each with its field. */
export function litellmApiBases(key: string, value: string): { field: string; url: string }[] {
  return litellmConfigOf(key, value).flatMap((d) => {
    const url = text(mapping(d.params).api_base);
    return url ? [{ field: litellmField(d, 'api_base'), url }] : [];
  });
}

/**
 * The providers whose `<provider>/<name>` model LiteLLM sends to api_base as the request's `model: <name>` on the
 * OpenAI API (litellm/llms/openai, litellm/llms/hosted_vllm: the prefix picks the provider and is dropped from the request).
 */
const OPENAI_PROVIDERS = ['openai', 'hosted_vllm'];

/** A request a LiteLLM deployment sends its backend: the model named in it, the api_base host and the fields. */
export interface LitellmBackendRequest {
  readonly field: string;
  readonly written: string;
  readonly model: string;
  readonly host: string;
}

/** The backend requests of a LiteLLM config a ConfigMap key holds: deployments of an OpenAI-compatible provider with a literal api_base URL. */
export function litellmBackendRequests(key: string, value: string): LitellmBackendRequest[] {
  return litellmConfigOf(key, value).flatMap((d) => {
    const written = text(d.params.model);
    const url = text(d.params.api_base);
    const slash = written?.indexOf('/') ?? -1;
    if (!written || !url || slash < 0 || !OPENAI_PROVIDERS.includes(written.slice(0, slash))) return [];
    const model = written.slice(slash + 1);
    const host = /^https?:\/\/(?:[^@/\s]*@)?([A-Za-z0-9.-]+)(?::\d+)?(?:\/|$)/i.exec(url)?.[1]?.toLowerCase();
    if (!host || !model || /[$<{]/.test(model)) return [];
    return [{ field: litellmField(d, 'model'), written, model, host }];
  });
}
