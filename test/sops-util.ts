/**
 * SOPS-encrypted manifests as getsops/sops writes them, for the tests of the rules that must leave their ciphertext
 * alone: a value `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` and the top-level `sops` block. The bytes are made up
 * (no key decrypts them): only the form matters.
 */

/** Made-up ciphertext of a value of the given SOPS type (str, int, float, bool). */
export function ciphertext(type = 'str', seed = 'model-serving'): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return `ENC[AES256_GCM,data:${b64(`${seed}-${type}`)},iv:${b64('0123456789abcdef0123456789abcdef')},tag:${b64('tag-of-16-bytes!')},type:${type}]`;
}

/** The `sops` block of an age-encrypted file that encrypted only data and stringData. */
export function sopsBlock(): Record<string, unknown> {
  return {
    age: [
      {
        recipient: 'age1examplerecipient0000000000000000000000000000000000000000',
        enc: '-----BEGIN AGE ENCRYPTED FILE-----\nbm90IGEga2V5\n-----END AGE ENCRYPTED FILE-----\n',
      },
    ],
    lastmodified: '2026-01-15T09:30:00Z',
    mac: ciphertext('str', 'mac'),
    encrypted_regex: '^(data|stringData)$',
    version: '3.9.4',
  };
}
