import * as fs from 'fs';
import * as path from 'path';
import { packagePath, packageVersion } from '../private/package-root';
import { Command, fileSystemProblem, InputError, UsageError } from './command';
import { TemplateName, TEMPLATES, templateFiles, TREE_DIR } from './init-templates';
import { defineCommand } from './options';

/** The bundled profile the app starts with (Llama-3.1-8B-Instruct fits one 24 GB L4 at 8192 tokens). */
const MODEL = 'llama-3.1-8b-instruct';

/** The library's peer dependencies, which the app installs beside it (one copy of each). */
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-33'];

export const initCommand: Command = defineCommand({
  name: 'init',
  synopsis: ['init [dir] --template <template> [options]'],
  usage: [
    `  Writes a cdk8s app into dir (default: the current folder), which must be empty or not exist: package.json with
  cdk8s-vllm and its peer dependencies, a strict tsconfig.json, cdk8s.yaml, main.ts, settings.ts, a model profile and a
  README. After npm install, npm run synth renders ${TREE_DIR}/, which validates and checks clean.`,
    {
      template: {
        type: 'string',
        value: '<t>',
        help: Object.entries(TEMPLATES)
          .map(([n, d]) => `${n}: ${d}`)
          .join('\n'),
      },
      package: {
        type: 'string',
        value: '<spec>',
        help: `how the app depends on cdk8s-vllm: a version range, a tarball (file:../cdk8s-vllm-${packageVersion()}.tgz) or a git URL`,
        default: `^${packageVersion()}`,
      },
      name: { type: 'string', value: '<name>', help: "the app's npm name", default: "the folder's name" },
    },
    '  Exit code 0 when written, 2 on a usage error or a folder that is not empty (nothing is written then).',
  ],
  positionals: true,
  run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(`give one folder, got ${positionals.length}: ${positionals.join(' ')}`);
    const template = values.template;
    if (template === undefined) throw new UsageError(`--template is required: ${Object.keys(TEMPLATES).join(' or ')}`);
    if (!(template in TEMPLATES)) throw new UsageError(`--template must be ${Object.keys(TEMPLATES).join(' or ')}, got '${template}'`);
    const dir = path.resolve(positionals[0] ?? '.');
    const name = values.name ?? npmName(path.basename(dir));
    if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name) || name.length > 214)
      throw new UsageError(`--name '${name}' is not an npm package name (lowercase letters, digits, '-', '.', '_')`);
    if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length))
      throw new InputError(`${dir} is not an empty folder; give a new or empty one (nothing was written)`);

    const own = JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    const files = templateFiles({
      template: template as TemplateName,
      name,
      packageSpec: values.package ?? `^${packageVersion()}`,
      peers: Object.fromEntries(PEERS.map((p) => [p, own.peerDependencies[p]])),
      model: MODEL,
    });
    const modelDir = packagePath('models', MODEL);
    for (const f of fs.readdirSync(modelDir).sort()) files.set(`models/${MODEL}/${f}`, fs.readFileSync(modelDir + path.sep + f, 'utf8'));

    writeAll(dir, files);
    io.out(
      `wrote a ${template} app to ${dir}:\n${[...files.keys()].map((f) => `  ${f}`).join('\n')}\n\nNext:\n` +
        `  cd ${path.relative(process.cwd(), dir) || '.'}\n  npm install\n  npm run synth && npm run validate && npm run check\n`,
    );
    return 0;
  },
});

/** A folder name as an npm name: lowercase, other characters as '-'. */
function npmName(folder: string): string {
  return (
    folder
      .toLowerCase()
      .replace(/[^a-z0-9-._~]+/g, '-')
      .replace(/^[-._]+/, '') || 'llm-app'
  );
}

/** Writes the files into a staging folder beside dir, then renames it into place: a failure leaves nothing half-written. */
function writeAll(dir: string, files: ReadonlyMap<string, string>): void {
  const parent = path.dirname(dir);
  let staging: string;
  try {
    fs.mkdirSync(parent, { recursive: true });
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(dir)}.init-`));
  } catch (e) {
    // the staging folder's random name means nothing to the user: name the folder they gave
    throw new InputError(`cannot create ${dir}: ${fileSystemProblem((e as NodeJS.ErrnoException).code)} in ${parent} (nothing was written)`);
  }
  try {
    for (const [file, content] of files) {
      const target = path.join(staging, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    if (fs.existsSync(dir)) fs.rmdirSync(dir); // empty, checked above
    fs.renameSync(staging, dir);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
