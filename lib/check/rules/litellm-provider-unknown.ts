import { mapping, stringMap, text } from '../../manifests/access';
import { LitellmDeployment, litellmConfigOf, litellmField } from '../litellm-config';
import { LITELLM_PROVIDERS } from '../litellm-providers';
import { Problem, Rule } from '../rule';

/** A value filled in later (a template, LiteLLM's os.environ/NAME): not judged. */
const FILLED = /\{\{|\$\{|^os\.environ\//;

/**
 * A host inside the cluster or the local network, not a public endpoint: a Service name, `.svc`, `.cluster.local`, an
 * IP or localhost. Only a public api_base can give LiteLLM the provider (get_llm_provider matches it against the
 * endpoints of the OpenAI-compatible providers it knows).
 */
function internalBase(url: string | undefined): boolean {
  if (url === undefined) return true;
  const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([^/:\s]+)/i.exec(url)?.[1]?.toLowerCase();
  if (host === undefined) return false;
  return !host.includes('.') || /\.svc(\.|$)|\.cluster\.local$|\.internal$|\.local$/.test(host) || /^\d+(\.\d+){3}$/.test(host);
}

function deploymentProblem(key: string, d: LitellmDeployment): Problem[] {
  const model = text(d.params.model);
  if (!model || FILLED.test(model) || !model.includes('/') || text(d.params.custom_llm_provider)) return [];
  const prefix = model.split('/')[0];
  if (LITELLM_PROVIDERS.has(prefix)) return [];
  const base = text(d.params.api_base);
  const internal = internalBase(base);
  const served = d.modelName ? `model_name ${d.modelName}` : 'this deployment';
  const head = `data.${key} ${litellmField(d, 'model')} '${model}' starts with '${prefix}/', which is not a LiteLLM provider, and no custom_llm_provider is set`;
  const fix = `write the provider first (hosted_vllm/${model} or openai/${model} for vLLM or another OpenAI-compatible server at api_base), or set litellm_params.custom_llm_provider`;
  return [
    internal
      ? {
          message: `${head}: LiteLLM takes the text before the first '/' as the provider, finds none, so every call to ${served} fails ("LLM Provider NOT provided"); ${fix}`,
        }
      : {
          severity: 'warning',
          message: `${head}: LiteLLM takes the text before the first '/' as the provider and finds none; only an api_base of a provider it knows (${base}) can name it, else every call to ${served} fails ("LLM Provider NOT provided"); ${fix}`,
        },
  ];
}

export const litellmProviderUnknown: Rule = {
  id: 'litellm-provider-unknown',
  title:
    "a LiteLLM model_list entry's litellm_params.model starts with a prefix that is no LiteLLM provider: every call to it fails (LLM Provider NOT provided)",
  severity: 'error',
  appliesTo: ['ConfigMap'],
  scope: 'object',
  premise:
    "a LiteLLM proxy config in a ConfigMap key (a YAML key whose text has a model_list) whose model_list[].litellm_params.model holds a '/' and the text before the first '/' is not a value of LiteLLM's LlmProviders enum, with no litellm_params.custom_llm_provider; an error where api_base is unset or a cluster-internal host (a Service name, .svc, .cluster.local, an IP), a warning for a public api_base, which LiteLLM may match to a provider's endpoint; not judged: a model without '/' (a name LiteLLM maps to its provider itself, gpt-4o), a template or os.environ/ value; a provider added to LiteLLM after the enum recorded here would be reported wrongly",
  example: '`model: ibm-granite/granite-3.3-8b-instruct` with `api_base: http://granite-server.chat.svc.cluster.local:8000/v1`',
  fix: 'prefix the model with its provider (hosted_vllm/<model> or openai/<model> for vLLM or another OpenAI-compatible server), or set litellm_params.custom_llm_provider',
  source:
    'BerriAI/litellm litellm/litellm_core_utils/get_llm_provider_logic.py get_llm_provider (the text before the first / is the provider when litellm.provider_list holds it; else api_base and the model lists decide, and failing those it raises BadRequestError "LLM Provider NOT provided. Pass in the LLM provider you are trying to call"); litellm/types/utils.py LlmProviders (the provider names, recorded in lib/check/litellm-providers.ts); docs.litellm.ai/docs/proxy/configs (litellm_params model, api_base, custom_llm_provider)',
  check(o) {
    const data = stringMap(mapping(o.manifest).data);
    return Object.entries(data).flatMap(([key, value]) => litellmConfigOf(key, value).flatMap((d) => deploymentProblem(key, d)));
  },
};
