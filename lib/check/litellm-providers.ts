/**
 * The provider names LiteLLM takes as the prefix of a model (`<provider>/<model>`): the values of the LlmProviders enum
 * of BerriAI/litellm litellm/types/utils.py (as of commit 001c64f2), which litellm.provider_list holds and
 * litellm_core_utils/get_llm_provider_logic.py get_llm_provider matches the text before the first `/` against.
 */
export const LITELLM_PROVIDERS: ReadonlySet<string> = new Set(
  (
    'openai chatgpt openai_like jina_ai xai zai custom_openai text-completion-openai cohere cohere_chat clarifai anthropic ' +
    'anthropic_text bytez replicate reducto runwayml aws_polly huggingface together_ai openrouter datarobot vertex_ai ' +
    'vertex_ai_beta gemini ai21 baseten black_forest_labs azure azure_text azure_ai sagemaker sagemaker_chat sagemaker_nova ' +
    'bedrock vllm nlp_cloud petals oobabooga ollama ollama_chat deepinfra perplexity mistral milvus groq a2a gigachat ' +
    'nvidia_nim nvidia_riva soniox cerebras ai21_chat volcengine codestral text-completion-codestral dashscope modelscope ' +
    'moonshot publicai v0 morph lambda_ai inception text-completion-inception deepseek sambanova maritalk voyage cloudflare ' +
    'xinference fireworks_ai friendliai featherless_ai watsonx watsonx_text triton predibase databricks empower github ragflow ' +
    'compactifai docker_model_runner custom litellm_proxy hosted_vllm tencent llamafile lm_studio galadriel nebius infinity ' +
    'deepgram elevenlabs novita aiohttp_openai langfuse humanloop topaz sap assemblyai charity_engine github_copilot snowflake ' +
    'gradient_ai meta_llama nscale pg_vector s3_vectors helicone hyperbolic recraft fal_ai stability heroku aiml cometapi oci ' +
    'auto_router vercel_ai_gateway dotprompt manus wandb ovhcloud scaleway lemonade amazon_nova a2a_agent langgraph langflow ' +
    'minimax synthetic apertis nano-gpt poe chutes neosantara parasail xiaomi_mimo tensormesh libertai pinstripes darkbloom ' +
    'meta litellm_agent cursor bedrock_mantle gdc'
  ).split(' '),
);

/**
 * The separator LiteLLM puts between an MCP server's name and its tools' names, which a server name may therefore not
 * hold (litellm/proxy/_experimental/mcp_server/utils.py MCP_TOOL_PREFIX_SEPARATOR: the env of that name, default `-`).
 */
export const LITELLM_MCP_SEPARATOR_ENV = 'MCP_TOOL_PREFIX_SEPARATOR';
export const LITELLM_MCP_SEPARATOR_DEFAULT = '-';
