/**
 * Whether text decodes as Go's encoding/base64 StdEncoding decodes it, as the API server decodes a `format: byte`
 * field ([]byte through encoding/json): the standard alphabet, `=` padding required to a multiple of four and only at
 * the end, carriage returns and newlines ignored anywhere, and no other character (no spaces, no URL-safe `-`/`_`).
 * Ported from go/src/encoding/base64/base64.go (decodeQuantum: "\r and \n are ignored"; CorruptInputError otherwise).
 */
export function isStdBase64(text: string): boolean {
  const compact = text.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact);
}
