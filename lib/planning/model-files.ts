import * as fs from 'fs';
import { Loose } from '../manifests/access';
import { openRegularFile, readRegularFile } from '../private/regular-file';

/**
 * Largest config.json or index the planner reads: far above any real one (DeepSeek-V3's index is about 9 MB),
 * small enough that a wrong file is refused instead of filling memory.
 */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

/** A model folder's JSON file, size-capped; an error names the file when it is not JSON. */
export function readJson(file: string): Loose {
  const text = readRegularFile(file, MAX_MODEL_JSON_BYTES, 'the planner').toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

/** safetensors' own cap on the JSON header (safetensors crate, MAX_HEADER_SIZE = 100 MB). */
const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/**
 * Tensor bytes of a safetensors file, read from its JSON header (8-byte little-endian length, then the header)
 * without loading the tensors. The header must parse and every tensor's data must lie inside the file: an empty,
 * truncated or foreign file is an error naming it, never a size of a few bytes.
 */
export function safetensorsTensorBytes(file: string): number {
  const { fd, size } = openRegularFile(file);
  try {
    const bad = (why: string) => new Error(`${file} is not a valid safetensors file: ${why}`);
    if (size < 8) throw bad(`it has ${size} bytes, fewer than the 8-byte header length`);
    const len = Buffer.alloc(8);
    fs.readSync(fd, len, 0, 8, 0);
    const headerLength = Number(len.readBigUInt64LE(0));
    if (headerLength < 2 || headerLength > SAFETENSORS_MAX_HEADER_BYTES || 8 + headerLength > size) {
      throw bad(`its header length ${headerLength} does not fit the file size ${size} (truncated?)`);
    }
    const headerBuf = Buffer.alloc(headerLength);
    fs.readSync(fd, headerBuf, 0, headerLength, 8);
    let header: unknown;
    try {
      header = JSON.parse(headerBuf.toString('utf8'));
    } catch {
      throw bad('its header is not JSON');
    }
    if (!header || typeof header !== 'object' || Array.isArray(header)) throw bad('its header is not a JSON object');
    const dataBytes = size - 8 - headerLength;
    let end = 0;
    for (const [name, t] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') continue;
      const offsets = (t as { data_offsets?: unknown } | null)?.data_offsets;
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((n) => Number.isSafeInteger(n) && n >= 0) || offsets[0] > offsets[1]) {
        throw bad(`tensor '${name}' has no valid data_offsets`);
      }
      end = Math.max(end, offsets[1] as number);
    }
    if (end === 0) throw bad('it holds no tensors');
    if (end > dataBytes) throw bad(`its tensors need ${end} bytes but the file holds ${dataBytes} after the header (truncated?)`);
    return end;
  } finally {
    fs.closeSync(fd);
  }
}
