/** The weight index of a sharded safetensors checkpoint (Hugging Face `model.safetensors.index.json`). */
export const WEIGHT_INDEX = 'model.safetensors.index.json';

/** What a weight index names, and what is wrong with it. */
export interface WeightIndexReading {
  /** Shard files the index names (valid entries only), sorted, each once. */
  readonly shards: string[];
  /** Problems, each naming the field; empty when the index is usable. */
  readonly problems: string[];
}

/** Entries listed one by one before the rest are counted. */
const SHOWN = 5;

/**
 * Reads a parsed `model.safetensors.index.json` as vLLM's loader does (a JSON object whose `weight_map` maps each
 * tensor name to the shard file holding it; `metadata.total_size` the tensors' bytes): every entry a file name
 * inside the model folder, sizes whole non-negative numbers. Never throws: `null` or a wrong type is a problem
 * that names the field.
 */
export function readWeightIndex(index: unknown): WeightIndexReading {
  const problems: string[] = [];
  if (!isObject(index)) {
    return { shards: [], problems: [`${WEIGHT_INDEX} is ${describe(index)}, not a JSON object with a weight_map`] };
  }
  const metadata = index.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata)) problems.push(`${WEIGHT_INDEX}: metadata is ${describe(metadata)}, not an object`);
    else if (metadata.total_size !== undefined && !isByteCount(metadata.total_size))
      problems.push(`${WEIGHT_INDEX}: metadata.total_size is ${describe(metadata.total_size)}, not a whole non-negative number of bytes`);
  }
  const map = index.weight_map;
  if (map === undefined) return { shards: [], problems: [...problems, `${WEIGHT_INDEX} has no weight_map (tensor name → shard file)`] };
  if (!isObject(map))
    return { shards: [], problems: [...problems, `${WEIGHT_INDEX}: weight_map is ${describe(map)}, not an object of tensor name → shard file`] };
  const shards = new Set<string>();
  const bad: string[] = [];
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string' || !file.trim()) bad.push(`weight_map[${JSON.stringify(clip(tensor))}] is ${describe(file)}, not a file name`);
    else if (file.startsWith('/') || file.split(/[\\/]/).includes('..'))
      bad.push(`weight_map[${JSON.stringify(clip(tensor))}] names ${JSON.stringify(clip(file))}, outside the model folder`);
    else shards.add(file);
  }
  for (const b of bad.slice(0, SHOWN)) problems.push(`${WEIGHT_INDEX}: ${b}`);
  if (bad.length > SHOWN) problems.push(`${WEIGHT_INDEX}: ${bad.length - SHOWN} more weight_map entries like these`);
  if (!Object.keys(map).length) problems.push(`${WEIGHT_INDEX}: weight_map is empty: it names no shard`);
  return { shards: [...shards].sort(), problems };
}

/** A byte count as S3 listings and indexes must give it: a whole, non-negative, exactly representable number. */
export function isByteCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for a message: its JSON, cut short, with its type when that says more. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return `an array (${clip(JSON.stringify(v))})`;
  if (typeof v === 'object') return `an object (${clip(JSON.stringify(v))})`;
  if (typeof v === 'string') return `the string ${JSON.stringify(clip(v))}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return `a ${typeof v}`;
}

function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
