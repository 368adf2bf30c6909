import * as fs from 'fs';
import * as path from 'path';
import { Loose, mapping, mappings, strings, text } from './access';
import { parseDocuments } from './yaml-documents';

/** The API group of Open Cluster Management's policy framework (policy-generator-plugin's PolicyGenerator). */
const POLICY_GROUP = 'policy.open-cluster-management.io/';
/** A generator configuration is a few lines: a larger file is no PolicyGenerator's and is not read. */
const MAX_CONFIG_BYTES = 1 << 20;

/**
 * The files and folders the PolicyGenerator configurations a kustomization lists under `generators:` wrap into
 * Policies: each `policies[].manifests[].path`, relative to the kustomization's folder (open-cluster-management-io
 * policy-generator-plugin, docs/policygenerator-reference.yaml: "path … relative to the kustomization.yaml"). What such
 * a path holds is applied by the policy framework's configuration-policy controller on the managed clusters, not by
 * whatever applies the kustomization's own output: Argo CD, syncing that output, applies Policy objects.
 */
export function policyGeneratorPaths(dir: string, k: Loose): string[] {
  const out: string[] = [];
  for (const entry of strings(k.generators)) {
    const file = path.resolve(dir, entry);
    let source: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_CONFIG_BYTES) continue;
      source = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // a generator file that is not there is kustomize's refusal, said where the build is read
    }
    for (const { manifest } of parseDocuments(source).objects) {
      const m = mapping(manifest);
      if (m.kind !== 'PolicyGenerator' || !String(m.apiVersion ?? '').startsWith(POLICY_GROUP)) continue;
      for (const policy of mappings(m.policies))
        for (const item of mappings(policy.manifests)) {
          const p = text(item.path);
          if (p) out.push(path.resolve(dir, p));
        }
    }
  }
  return out;
}
