import * as fs from 'fs';
import * as path from 'path';
import { codeUnitOrder, walkTree } from './files';

/** The bound on the Terraform files read for identities. */
const MAX_FILES = 200;
const MAX_BYTES = 512 * 1024;

/**
 * GKE Workload Identity members (`PROJECT.svc.id.goog[NAMESPACE/NAME]`, the IAM member a Kubernetes ServiceAccount
 * acts as: cloud.google.com/kubernetes-engine/docs/how-to/workload-identity) and EKS IRSA trust subjects
 * (`system:serviceaccount:NAMESPACE:NAME`, the token's sub an IAM role trusts: docs.aws.amazon.com/eks IAM roles for
 * service accounts).
 */
const IDENTITY = /\.svc\.id\.goog\[([a-z0-9-]+)\/([a-z0-9.-]+)\]|system:serviceaccount:([a-z0-9-]+):([a-z0-9.-]+)/g;

/**
 * The Kubernetes ServiceAccounts the Terraform files under the folders grant a cloud identity to, as `namespace/name`:
 * evidence that the account is meant to exist in that namespace (the grant does not make it).
 */
export function cloudIdentityAccounts(folders: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const root of folders) {
    const files = walkTree(root, {
      skipFolder: (name) => name.startsWith('.') || name === 'node_modules',
      keep: (name) => name.endsWith('.tf'),
      order: codeUnitOrder,
      maxFiles: MAX_FILES,
    });
    for (const file of files.map((f) => path.join(root, f))) {
      let text: string;
      try {
        if (fs.statSync(file).size > MAX_BYTES) continue;
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const m of text.matchAll(IDENTITY)) out.add(`${m[1] ?? m[3]}/${m[2] ?? m[4]}`);
    }
  }
  return out;
}
