import { parseArgs } from 'util';
import { ALL_RULES, runChecks } from '../check/engine';
import { normalizeUri } from '../check/graph';
import { readManifests } from '../manifests/read-manifests';
import { ModelProfile } from '../planning/model-profile';
import { Command, UsageError } from './command';
import { table } from './table';

export const checkCommand: Command = {
  name: 'check',
  summary: 'find the cross-object mistakes that break LLM deployments, in any manifest tree',
  usage: `cdk8s-vllm check <path>... [--model <storageUri>=<dir>]... [--json] [--rules]

  Reads every *.yaml/*.yml below the paths (multi-document files included; kustomization.yaml and other files
  ignored), resolves references across all of them, and runs the rules (--rules lists them).

  --model <uri>=<dir>   the model stored at <uri> (e.g. s3://models/mistral-small-24b/) is described by the
                        config.json (and model.safetensors.index.json) in <dir>; enables the GPU-memory rules
  --json                print exactly {"findings":[{"rule","severity","object","message"}]}
  --rules               list the rules and exit

  Findings acknowledged on an object (annotation checks.cdk8s-vllm.io/<rule>: <reason>) print as warnings.
  Exit code 1 when any error remains, 0 otherwise.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { model: { type: 'string', multiple: true }, json: { type: 'boolean' }, rules: { type: 'boolean' } },
    });
    if (values.rules) {
      process.stdout.write(`${table(['RULE', 'CATCHES'], ALL_RULES.map((r) => [r.id, r.title]))}\n`);
      return 0;
    }
    if (!positionals.length) throw new UsageError('give at least one file or folder to check');
    const models = new Map<string, ModelProfile>();
    for (const spec of values.model ?? []) {
      const i = spec.indexOf('=', spec.indexOf('://') + 3);
      if (!spec.includes('://') || i < 0) throw new UsageError(`--model '${spec}' must be <storageUri>=<dir>, e.g. s3://models/mistral-small-24b/=./models/mistral`);
      models.set(normalizeUri(spec.slice(0, i)), ModelProfile.fromDirectory(spec.slice(i + 1)));
    }
    const { manifests, errors } = readManifests(positionals);
    if (errors.length) throw new Error(errors.map((e) => `${e.file}: ${e.message}`).join('; '));
    const findings = runChecks(manifests.map((m) => ({ manifest: m.manifest, file: m.file })), { models });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, object: f.object, message: f.message })) })}\n`);
    } else if (findings.length) {
      process.stdout.write(`${table(['SEVERITY', 'RULE', 'OBJECT', 'MESSAGE'], findings.map((f) => [f.severity, f.rule, f.object, f.message]))}\n`);
      const n = (s: string) => findings.filter((f) => f.severity === s).length;
      process.stdout.write(`\n${n('error')} error(s), ${n('warning')} warning(s) in ${manifests.length} object(s)\n`);
    } else {
      process.stdout.write(`no findings in ${manifests.length} object(s)\n`);
    }
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
