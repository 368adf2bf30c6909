import { TreeVerifier } from '../gitops/kustomize-tree';
import { ModelProfile } from '../planning/model-profile';
import { runChecks } from './engine';
import { Finding } from './rule';

/** Formats findings one per line: `error   rule  Kind/ns/name: message`. */
export function formatFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.severity.padEnd(7)} ${f.rule.padEnd(28)} ${f.object}: ${f.message}`);
}

/**
 * A KustomizeTree verifier that runs the checks at synth: error findings stop the write (and are returned);
 * warnings and acknowledged findings are printed through `report` and do not.
 */
export function checkVerifier(models: () => ReadonlyMap<string, ModelProfile>, report: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): TreeVerifier {
  return (objects) => {
    const findings = runChecks(objects, { models: models() });
    const warnings = findings.filter((f) => f.severity === 'warning');
    if (warnings.length) {
      report(`cdk8s-vllm check: ${warnings.length} warning(s)`);
      formatFindings(warnings).forEach((l) => report(`  ${l}`));
    }
    return formatFindings(findings.filter((f) => f.severity === 'error'));
  };
}
