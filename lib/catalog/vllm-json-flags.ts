/**
 * vLLM's options whose value is parsed as JSON: the dict-typed ones (vllm/engine/arg_utils.py get_kwargs:
 * `parse_type(json.loads)`; before the config dataclasses, `type=json.loads` in EngineArgs.add_cli_args) and the
 * config-dataclass-typed ones (get_kwargs: `parse_dataclass`, TypeAdapter(cls).validate_json, or the class's
 * from_cli, which reads a digit or JSON). A value the JSON parser refuses raises argparse.ArgumentTypeError, and
 * argparse exits ("argument --x: invalid ... value"). --limit-mm-per-prompt took `image=2` pairs in releases
 * before 0.9 (nullable_kvs), which refuses a JSON object in quotes as well.
 */
export const VLLM_JSON_FLAGS: ReadonlySet<string> = new Set([
  '--additional-config',
  '--attention-config',
  '--compilation-config',
  '--default-chat-template-kwargs',
  '--ec-transfer-config',
  '--eplb-config',
  '--hf-overrides',
  '--kv-events-config',
  '--kv-transfer-config',
  '--limit-mm-per-prompt',
  '--media-io-kwargs',
  '--mm-processor-kwargs',
  '--model-loader-extra-config',
  '--override-generation-config',
  '--override-neuron-config',
  '--override-pooler-config',
  '--pooler-config',
  '--rope-scaling',
  '--speculative-config',
  '--structured-outputs-config',
]);

/**
 * A JSON value wrapped in quote characters that reached the program (`'{"a": 1}'` written in an exec-form args
 * element, where no shell removes them): no JSON parser reads it as an object. A double-quoted wrapping counts where
 * the inside holds a double quote of its own (json.loads then stops at it, "Extra data"); `"{}"` would parse as a
 * string and is left alone.
 */
export function quotedJson(value: string): { quote: string; inner: string } | undefined {
  const m = /^(['"])\s*([{[][\s\S]*[}\]])\s*\1$/.exec(value.trim());
  if (!m) return undefined;
  if (m[1] === '"' && !m[2].includes('"')) return undefined;
  return { quote: m[1], inner: m[2] };
}
