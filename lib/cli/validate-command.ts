import { parseArgs } from 'util';
import { readManifests } from '../manifests/read-manifests';
import { SchemaValidator } from '../validation/schema-validator';
import { Command, noObjectsRead, UsageError } from './command';
import { kustomizeBuilder } from './kustomize-build';
import { table } from './table';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check every manifest under the paths strictly against its schema (Kubernetes 1.33 and the CRDs)',
  usage: `cdk8s-vllm validate <path>... [--crds <dir>] [--kustomize <tool>] [--json] [--allow-empty]

  Reads the paths as check does (folders with a kustomization.yaml as kustomize builds them, - for standard input) and checks
  each object against the schema of its kind: built-in kinds against Kubernetes 1.33, custom resources against their
  CRD. Unknown fields, wrong types, bad quantities, missing required fields and wrong namespace scope are errors.

  --crds <dir>        read CustomResourceDefinitions from this folder instead of the schemas shipped with cdk8s-vllm
  --kustomize <tool>  build each kustomization root with the real kustomize (kubectl, oc or kustomize) and validate
                      its output, patches and generators applied
  --json              print {"findings":[{"object","file","field","message"}]}
  --allow-empty       an input with no Kubernetes object passes (by default it is an input error, exit 2)

  Exit code 1 when any object does not conform, 2 when the input holds no object.`,
  run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { crds: { type: 'string' }, json: { type: 'boolean' }, kustomize: { type: 'string' }, 'allow-empty': { type: 'boolean' } },
    });
    if (!positionals.length) throw new UsageError('give at least one file or folder to validate');
    const build = values.kustomize === undefined ? undefined : kustomizeBuilder(values.kustomize);
    const { manifests, errors } = readManifests(positionals, { stdin: (max) => io.stdin(max), ...(build ? { build } : {}) });
    if (!manifests.length && !values['allow-empty']) throw noObjectsRead(positionals, errors);
    const validator = new SchemaValidator({ crdDir: values.crds });
    const findings = [
      ...errors
        .filter((e) => e.severity === 'error')
        .map((e) => ({ object: '-', file: e.line ? `${e.file}:${e.line}` : e.file, field: '', message: e.message })),
      ...manifests.flatMap((m) => validator.validate(m.manifest, m.file)),
    ];
    if (values.json) {
      io.out(JSON.stringify({ findings }) + '\n');
    } else if (findings.length) {
      io.out(
        table(
          ['OBJECT', 'FILE', 'FIELD', 'PROBLEM'],
          findings.map((f) => [f.object, f.file ?? '', f.field, f.message]),
        ) + '\n',
      );
      io.out(`\n${findings.length} problem(s) in ${manifests.length} object(s)\n`);
    } else {
      io.out(`${manifests.length} object(s) conform\n`);
    }
    return findings.length ? 1 : 0;
  },
};
