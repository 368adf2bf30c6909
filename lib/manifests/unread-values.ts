import { gitIgnoredBy } from './git-ignored';
import { isSopsDocument } from './sops';
import { yamlLib } from './yaml-documents';

/**
 * helm-secrets' schemes for a values file it decrypts before helm reads it (jkroepke/helm-secrets: `secrets://`, and
 * the Argo CD integration's `secrets+gpg-import://`, `secrets+age-import://`, `secrets+…-kubernetes://`): the file is
 * SOPS-encrypted and its key is not in the files.
 */
const HELM_SECRETS_URL = /^secrets(\+[a-z0-9-]+)?:\/\//i;

/** Why a values file cannot be read by this check (helm-secrets' URL; a SOPS-encrypted file), or undefined when it can. */
export function unreadableValues(raw: string, content?: string): string | undefined {
  if (HELM_SECRETS_URL.test(raw)) return `${raw} (a helm-secrets values file, decrypted at render time with a key the files do not hold)`;
  if (content === undefined) return undefined;
  let doc: unknown;
  try {
    doc = yamlLib().parse(content);
  } catch {
    return undefined;
  }
  return isSopsDocument(doc) ? `${raw} (SOPS-encrypted: its values are ciphertext until decrypted)` : undefined;
}

/**
 * How a render without the values files this check cannot read is worded on its findings. Such a file may set any
 * key, enable or disable a subchart, or supply what a template requires: no object of that render is certain, so every
 * finding of it is a warning at most, and a failure of helm template on it too (never an error on a guess).
 */
export function withoutUnread(unread: readonly string[]): string {
  return `rendered without ${unread.length > 1 ? 'the values files' : 'the values file'} ${unread.join(', ')}, which this check cannot read`;
}

/**
 * Why a values file missing from the input is left out rather than failing the render: a .gitignore excludes it, so it
 * is generated where the install runs (its values unknown here), said with the file and the .gitignore line; undefined
 * when no .gitignore from its folder up to `root` (or its work tree's root) excludes it.
 */
export function gitIgnoredValues(raw: string, file: string, root: string | undefined): string | undefined {
  const ignoredBy = gitIgnoredBy(file, root);
  return ignoredBy ? `${raw} (missing: .gitignore excludes it, ${ignoredBy}, so it is generated outside the repository)` : undefined;
}
