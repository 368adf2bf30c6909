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

/**
 * The first release whose JSON options refuse `key=value` pairs: through 0.9, parse_type fell back to nullable_kvs for a
 * dict option's value not written as `{...}`, with a deprecation ("Passing a JSON argument as a string containing comma
 * separated key=value pairs is deprecated. This will be removed in v0.10.0"); 0.10.0 dropped the fallback
 * (vllm/engine/arg_utils.py parse_type), so json.loads reads `image=1` and argparse exits (vllm-project/vllm#21615).
 */
export const KEY_VALUE_REFUSED_SINCE = '0.10.0';

/** A value written as comma-separated `key=value` pairs (`image=1,video=2`), as nullable_kvs read it; undefined otherwise. */
export function keyValuePairs(value: string): readonly (readonly [string, string])[] | undefined {
  const items = value.trim().split(',');
  const pairs = items.map((item) => /^\s*([A-Za-z_][\w.-]*)\s*=\s*([^=]*?)\s*$/.exec(item));
  if (pairs.some((m) => !m || m[2] === '')) return undefined;
  return pairs.map((m) => [m![1], m![2]] as const);
}

/** The JSON object that says what `key=value` pairs meant: integers as numbers (nullable_kvs read them so), else strings. */
export function pairsAsJson(pairs: readonly (readonly [string, string])[]): string {
  const body = pairs.map(([k, v]) => `${JSON.stringify(k.toLowerCase())}: ${/^-?\d+$/.test(v) ? v : JSON.stringify(v)}`);
  return `{${body.join(', ')}}`;
}
