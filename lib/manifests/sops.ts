import { isMapping, Loose, mapping } from './access';

/**
 * Manifests encrypted with SOPS (getsops/sops): each encrypted value is replaced by its ciphertext, and the document
 * gains a top-level `sops` block (the data key per recipient: age, pgp, kms…; lastmodified, mac, version). A decryptor
 * runs before the apply (Flux's kustomize-controller with spec.decryption provider sops, Argo CD's KSOPS or
 * helm-secrets plugins, `sops -d … | kubectl apply -f -`) and hands on the plain document without the block, so
 * neither the block nor a ciphertext is what the cluster gets.
 */

/**
 * An encrypted value: getsops/sops aes/cipher.go `encre`, `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` (type str,
 * int, float, bool, bytes or comment: the type of the plain value). Its content is unknown until decrypted.
 */
const CIPHERTEXT = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]$/;

/** Whether a value is SOPS ciphertext: opaque, since what it decrypts to (JSON, base64, a quantity…) cannot be read. */
export function isSopsCiphertext(v: unknown): boolean {
  return typeof v === 'string' && CIPHERTEXT.test(v.trim());
}

/**
 * Whether a document is SOPS-encrypted: a top-level `sops` mapping with a non-empty `mac`, as Flux's
 * kustomize-controller tells one (internal/decryptor/decryptor.go isSOPSEncryptedResource) before it decrypts it.
 */
export function isSopsDocument(m: unknown): boolean {
  if (!isMapping(m) || !isMapping(m.sops)) return false;
  const mac = mapping(m.sops).mac;
  return mac !== undefined && mac !== null && mac !== '';
}

/** The field of a SOPS document that holds its encryption metadata, which the decryptor removes. */
export const SOPS_METADATA_KEY = 'sops';

/**
 * Whether a SOPS document encrypted what names the object (apiVersion, kind, metadata.name or metadata.namespace: no
 * encrypted_regex or encrypted_suffix kept them plain): nothing of it can be judged before it is decrypted.
 */
export function encryptedIdentity(m: Loose): boolean {
  const meta = mapping(m.metadata);
  return isSopsDocument(m) && [m.apiVersion, m.kind, meta.name, meta.namespace].some(isSopsCiphertext);
}

/** The fields whose values a SOPS-encrypted Secret or ConfigMap holds: ciphertext there is a value, not the object's shape. */
const VALUE_FIELDS = ['data', 'stringData', 'binaryData'];

/** How deep encryptedBeyondData looks: beyond any manifest, and a stop on circular aliases. */
const MAX_DEPTH = 32;

/** The first path under a value at which SOPS ciphertext sits, or undefined. */
function firstCiphertext(v: unknown, at: string, depth: number): string | undefined {
  if (isSopsCiphertext(v)) return at;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = firstCiphertext(v[i], `${at}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isMapping(v)) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const found = firstCiphertext(x, at ? `${at}.${k}` : k, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Per manifest, what encryptedBeyondData found (objects are not changed once read). */
const beyond = new WeakMap<object, string | undefined>();

/**
 * Where a SOPS document keeps ciphertext beyond the values of its data, stringData and binaryData (a spec encrypted by
 * an encrypted_regex or unencrypted_regex that reaches it): the first such field, or undefined. What such an object
 * declares (its containers, references, selectors) is known only once it is decrypted.
 */
export function encryptedBeyondData(m: unknown): string | undefined {
  if (!isMapping(m) || !isSopsDocument(m)) return undefined;
  if (beyond.has(m)) return beyond.get(m);
  const shape = Object.fromEntries(Object.entries(m).filter(([k]) => k !== SOPS_METADATA_KEY && !VALUE_FIELDS.includes(k)));
  const found = firstCiphertext(shape, '', 0);
  beyond.set(m, found);
  return found;
}
