import { RuleMetadata } from '../rule';

/**
 * Found by the manifest reader in the scripts and READMEs of a checked folder (lib/manifests/script-helm.ts), not on an
 * object: the install step a script or a README performs stops at a flag helm does not have.
 */
export const scriptFlagUnknown: RuleMetadata = {
  id: 'script-flag-unknown',
  title: 'a script or README of the tree runs helm install, upgrade or template with a flag helm does not have: the command fails',
  severity: 'error',
  appliesTo: ['(scripts)'],
  premise:
    "a `helm install`, `helm upgrade` or `helm template` in a shell script, Makefile, CI workflow or a README's fenced block, read as helm's flag parser reads it: a long flag the verb does not define (helm 3.20 and helm 4), or a single-dash word whose first letter is no shorthand of the verb (`-set`: -s is none of install's or upgrade's), or whose run of bool shorthands meets an unknown letter; not judged: words holding a shell variable or substitution (they may expand to anything), words after `--`, other helm verbs and echoed or printed commands",
  example: '`helm upgrade --install --wait -n gpu-operator gpu-operator nvidia/gpu-operator -set devicePlugin.config.name=sharing-config` in an install script',
  fix: 'write the flag as helm defines it (`--set`, two dashes); the finding names the nearest flag of the verb',
  source:
    'helm cmd/helm (pkg/cmd in helm 4) install.go, upgrade.go, template.go and flags.go define the flags; spf13/pflag parses a single-dash word as shorthands and fails with "unknown shorthand flag: \'s\' in -set", an unknown long flag with "unknown flag: --x"; bash `set -e` exits at the first failing command',
};
