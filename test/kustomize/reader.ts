import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readManifests } from '../../lib';
import type { Loose } from '../../lib/manifests/access';
import { kubectlBinary, kubectlEnv } from '../setup/kubectl';
import { casesAhead } from '../setup/kustomize-build';
import { cliInProcess, tempDir } from '../util';

/**
 * The reader against kustomize v5 (kubectl kustomize): for each tree of the table, the reader refuses exactly when
 * kubectl refuses, with a message that says why. A value `{ link }` makes a symbolic link.
 */

type Files = Record<string, string | { link: string }>;

const CM = (name = 'a') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;
const OUTSIDE = tempDir('kustomize-outside-');
fs.writeFileSync(path.join(OUTSIDE, 'cm.yaml'), CM('outside'));
fs.mkdirSync(path.join(OUTSIDE, 'base'));
fs.writeFileSync(path.join(OUTSIDE, 'base', 'cm.yaml'), CM('shared'));
fs.writeFileSync(path.join(OUTSIDE, 'base', 'kustomization.yaml'), 'resources: [cm.yaml]\n');

/** [case, files, folder built (relative), what the reader says when it refuses (undefined: it accepts)] */
const CASES: [string, Files, string, RegExp | undefined][] = [
  ['a plain kustomization', { 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': CM() }, '.', undefined],
  ['resources: [.]', { 'kustomization.yaml': 'resources: [cm.yaml, .]\n', 'cm.yaml': CM() }, '.', /a cycle/],
  ['an empty entry', { 'kustomization.yaml': 'resources: [cm.yaml, ""]\n', 'cm.yaml': CM() }, '.', /resources\[1\] is empty/],
  ['a null entry', { 'kustomization.yaml': 'resources: [cm.yaml, null]\n', 'cm.yaml': CM() }, '.', /resources\[1\] is null/],
  ['a number entry', { 'kustomization.yaml': 'resources: [1]\n', '1': CM() }, '.', /resources\[0\] is a number, not a path/],
  ['resources as a string', { 'kustomization.yaml': 'resources: cm.yaml\n', 'cm.yaml': CM() }, '.', /'resources' is a string, not a list/],
  ['namespace: 42', { 'kustomization.yaml': 'namespace: 42\nresources: [cm.yaml]\n', 'cm.yaml': CM() }, '.', /'namespace' is a number, not a string/],
  [
    'an unknown field (a typo)',
    { 'kustomization.yaml': 'resource: [cm.yaml]\nresources: [cm.yaml]\n', 'cm.yaml': CM() },
    '.',
    /'resource', which is not a kustomization field/,
  ],
  ['kind: Foo', { 'kustomization.yaml': 'kind: Foo\nresources: [cm.yaml]\n', 'cm.yaml': CM() }, '.', /kind should be Kustomization or Component/],
  [
    'a kustomization with nothing but apiVersion and kind',
    { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix:\n' },
    '.',
    /is empty/,
  ],
  ['an empty kustomization file', { 'kustomization.yaml': '', 'cm.yaml': CM() }, '.', /is empty/],
  // kustomize reads the first document of a kustomization file only (go-yaml stops there): the rest, even unparsable, is ignored
  [
    'comments, then a kustomization after ---, then a document kustomize ignores',
    { 'kustomization.yaml': '# kind: AppProject (commented out)\n---\nresources: [cm.yaml]\n---\nresources: [missing.yaml]\n', 'cm.yaml': CM() },
    '.',
    undefined,
  ],
  ['a second document that does not parse', { 'kustomization.yaml': 'resources: [cm.yaml]\n---\nfoo: [\n', 'cm.yaml': CM() }, '.', undefined],
  ['an empty first document before the kustomization', { 'kustomization.yaml': '---\n---\nresources: [cm.yaml]\n', 'cm.yaml': CM() }, '.', /is empty/],
  ['a → b → a', { 'a/kustomization.yaml': 'resources: [cm.yaml, ../b]\n', 'a/cm.yaml': CM(), 'b/kustomization.yaml': 'resources: [../a]\n' }, 'a', /a cycle/],
  [
    'a base that lists its parent',
    { 'kustomization.yaml': 'resources: [cm.yaml, app]\n', 'cm.yaml': CM(), 'app/kustomization.yaml': 'resources: [..]\n' },
    '.',
    /a cycle/,
  ],
  ['the same file twice', { 'kustomization.yaml': 'resources: [cm.yaml, ./cm.yaml]\n', 'cm.yaml': CM() }, '.', /lists '\.\/cm\.yaml' twice/],
  [
    'one base through two overlays',
    {
      'kustomization.yaml': 'resources: [b1, b2]\n',
      'b1/kustomization.yaml': 'resources: [../common]\n',
      'b2/kustomization.yaml': 'resources: [../common]\n',
      'common/kustomization.yaml': 'resources: [cm.yaml]\n',
      'common/cm.yaml': CM(),
    },
    '.',
    /reached twice in the build/,
  ],
  [
    'a base with a Namespace listed directly and through an overlay that sets namespace: the Namespace keeps its id',
    {
      'kustomization.yaml': 'resources: [base, team]\n',
      'team/kustomization.yaml': 'namespace: team-a\nresources: [../base]\n',
      'base/kustomization.yaml': 'resources: [ns.yaml, cm.yaml]\n',
      'base/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n',
      'base/cm.yaml': CM(),
    },
    '.',
    /base\/ns\.yaml is reached twice in the build of .* \(last through 'team'\), and adds Namespace 'team-a' again/,
  ],
  [
    'the same, the base holding only namespaced objects: the overlay moves each copy to another id',
    {
      'kustomization.yaml': 'resources: [base, team]\n',
      'team/kustomization.yaml': 'namespace: team-a\nresources: [../base]\n',
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': CM(),
    },
    '.',
    undefined,
  ],
  [
    'one base through two overlays in different namespaces',
    {
      'kustomization.yaml': 'resources: [b1, b2]\n',
      'b1/kustomization.yaml': 'namespace: one\nresources: [../common]\n',
      'b2/kustomization.yaml': 'namespace: two\nresources: [../common]\n',
      'common/kustomization.yaml': 'resources: [cm.yaml]\n',
      'common/cm.yaml': CM(),
    },
    '.',
    undefined,
  ],
  [
    'kustomization.yaml and kustomization.yml',
    { 'kustomization.yaml': 'resources: [cm.yaml]\n', 'kustomization.yml': 'resources: [cm.yaml]\n', 'cm.yaml': CM() },
    '.',
    /more than one kustomization file/,
  ],
  [
    'kustomization.yaml and Kustomization',
    { 'kustomization.yaml': 'resources: [cm.yaml]\n', Kustomization: 'resources: [cm.yaml]\n', 'cm.yaml': CM() },
    '.',
    /more than one kustomization file/,
  ],
  [
    'a Component listed under resources',
    {
      'kustomization.yaml': 'resources: [cm.yaml, comp]\n',
      'cm.yaml': CM(),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {team: a}\n',
    },
    '.',
    /Component listed under resources/,
  ],
  [
    'a Component listed under components',
    {
      'kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [comp]\n',
      'cm.yaml': CM(),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {team: a}\n',
    },
    '.',
    undefined,
  ],
  [
    "a Component's patch edits an object of the kustomization that lists it (through its base)",
    {
      'overlay/kustomization.yaml': 'resources: [../base]\ncomponents: [../comp]\n',
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': CM(),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatchesStrategicMerge: [patch.yaml]\n',
      'comp/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: patched\n',
    },
    'overlay',
    undefined,
  ],
  [
    "a Component's patch that edits an object of an earlier Component",
    {
      'kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [one, two]\n',
      'cm.yaml': CM(),
      'one/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n',
      'one/cm.yaml': CM('b'),
      'two/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- target: {kind: ConfigMap, name: b}\n  patch: |-\n    - {op: replace, path: /data/k, value: w}\n',
    },
    '.',
    undefined,
  ],
  [
    "a Component's patch whose target is in no build it is part of",
    {
      'kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [comp]\n',
      'cm.yaml': CM(),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatchesStrategicMerge: [patch.yaml]\n',
      'comp/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\ndata:\n  k: patched\n',
    },
    '.',
    /patches ConfigMap 'gone', which is not in this build/,
  ],
  [
    'a Kustomization listed under components',
    { 'kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [base]\n', 'cm.yaml': CM(), 'base/kustomization.yaml': 'resources: []\n' },
    '.',
    /Kustomization listed under components/,
  ],
  ['a file in ../', { 'app/kustomization.yaml': 'resources: [../cm.yaml]\n', 'cm.yaml': CM() }, 'app', /outside the kustomization's folder/],
  [
    'a base in ../ (a folder with its own kustomization)',
    { 'app/kustomization.yaml': 'resources: [../base]\n', 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'base/cm.yaml': CM() },
    'app',
    undefined,
  ],
  ['a file in a subfolder', { 'kustomization.yaml': 'resources: [sub/cm.yaml]\n', 'sub/cm.yaml': CM() }, '.', undefined],
  [
    'a symlink to a file inside the folder',
    { 'kustomization.yaml': 'resources: [link.yaml]\n', 'sub/cm.yaml': CM(), 'link.yaml': { link: 'sub/cm.yaml' } },
    '.',
    undefined,
  ],
  [
    'a symlink to a file outside the folder',
    { 'kustomization.yaml': 'resources: [link.yaml]\n', 'link.yaml': { link: path.join(OUTSIDE, 'cm.yaml') } },
    '.',
    /outside the kustomization's folder/,
  ],
  ['a symlink to a base outside the folder', { 'kustomization.yaml': 'resources: [base]\n', base: { link: path.join(OUTSIDE, 'base') } }, '.', undefined],
  [
    '/etc/hostname',
    { 'kustomization.yaml': 'resources: [cm.yaml, /etc/hostname]\n', 'cm.yaml': CM() },
    '.',
    /outside the kustomization's folder \(\/etc\/hostname\)/,
  ],
  ['/proc/self/environ', { 'kustomization.yaml': 'resources: [cm.yaml, /proc/self/environ]\n', 'cm.yaml': CM() }, '.', /outside the kustomization's folder/],
  ['a missing file', { 'kustomization.yaml': 'resources: [cm.yaml, gone.yaml]\n', 'cm.yaml': CM() }, '.', /does not exist/],
  [
    'a kustomization that lists itself',
    { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml, kustomization.yaml]\n', 'cm.yaml': CM() },
    '.',
    /document 1 is a Kustomization, not a resource \("missing metadata.name in object \{kustomize.config.k8s.io\/v1beta1 Kustomization\}"\)/,
  ],
  [
    "another folder's kustomization file as a resource",
    {
      'kustomization.yaml': 'resources: [cm.yaml, sub/kustomization.yaml]\n',
      'cm.yaml': CM(),
      'sub/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\n',
      'sub/cm.yaml': CM('b'),
    },
    '.',
    /a kustomization file never goes in resources/,
  ],
  [
    'a kustomization without apiVersion and kind that lists itself',
    { 'kustomization.yaml': 'resources: [cm.yaml, kustomization.yaml]\n', 'cm.yaml': CM() },
    '.',
    /document 1 is no object with a kind \("missing Resource metadata"\).*a kustomization file never goes in resources/,
  ],
  [
    'a resource without metadata.name',
    { 'kustomization.yaml': 'resources: [cm.yaml, unnamed.yaml]\n', 'cm.yaml': CM(), 'unnamed.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {k: v}\n' },
    '.',
    /document 1 \(ConfigMap\) has no metadata.name/,
  ],
  [
    'a List without a name',
    { 'kustomization.yaml': 'resources: [list.yaml]\n', 'list.yaml': `apiVersion: v1\nkind: List\nitems:\n- ${CM().replace(/\n/g, '\n  ').trimEnd()}\n` },
    '.',
    undefined,
  ],
  ['a folder without a kustomization', { 'kustomization.yaml': 'resources: [sub]\n', 'sub/cm.yaml': CM() }, '.', /folder without a kustomization/],
  [
    'no-op fields (nameSuffix: "", patches: [])',
    { 'kustomization.yaml': 'resources: [cm.yaml]\nnameSuffix: ""\npatches: []\nnamePrefix:\n', 'cm.yaml': CM() },
    '.',
    undefined,
  ],
  [
    'a repeated key in a kustomization (the last one counts)',
    { 'kustomization.yaml': 'resources: x.yaml\nresources: [cm.yaml]\n', 'cm.yaml': CM() },
    '.',
    undefined,
  ],
  ['a JSON kustomization', { 'kustomization.yaml': '{"resources": ["cm.yaml"]}\n', 'cm.yaml': CM() }, '.', undefined],
  [
    'a merge key in a kustomization',
    { 'kustomization.yaml': 'x: &r {resources: [cm.yaml]}\n', 'cm.yaml': CM() },
    '.',
    /'x', which is not a kustomization field/,
  ],
  [
    'merge keys in a resource',
    { 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\ndata:\n  <<: *m\n' },
    '.',
    undefined,
  ],
];

function build(files: Files): string {
  const dir = tempDir('kustomize-case-');
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(full, content);
    else fs.symlinkSync(content.link, full);
  }
  return dir;
}

function kubectlRefuses(dir: string): string | undefined {
  try {
    execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e).trim();
  }
}

describe('the reader reads kustomizations as kustomize v5 does', () => {
  // every case's folder written and its kubectl build started by the first case (casesAhead)
  const ahead = casesAhead(CASES, ([, files, folder]) => path.join(build(files), folder));
  test.each(CASES)('%s', async (name, _files, _folder, says) => {
    const { dir: root, run } = ahead(name);
    const { errors } = readManifests([root]);
    const refusals = errors.filter((e) => e.severity === 'error').map((e) => e.message);
    if (says) expect(refusals).toContainEqual(expect.stringMatching(says));
    else expect(refusals).toEqual([]);
    // the differential: kubectl refuses exactly when the reader does
    const ran = await run;
    // what kubectlRefuses says of the folder: its stderr when it fails
    const kubectl = ran.status === 0 ? undefined : (ran.stderr || `kubectl exited ${ran.status}`).trim();
    expect({ kubectlRefuses: kubectl !== undefined, readerRefuses: refusals.length > 0, kubectl }).toEqual(
      expect.objectContaining({ kubectlRefuses: refusals.length > 0 }),
    );
  });

  test.each([
    'https://github.com/example/repo//base?ref=v1',
    'git@github.com:example/repo.git//base',
    'ssh://git@github.com/example/repo.git',
    'github.com/example/repo/base?ref=main',
    'git::https://gitlab.example.com/team/repo.git//deploy',
    'https://raw.githubusercontent.com/example/repo/main/cm.yaml',
    'gitlab.com/team/repo//base',
  ])('the remote base %s is a warning (not followed), never a missing file', (entry) => {
    const root = build({ 'kustomization.yaml': `resources:\n  - cm.yaml\n  - ${entry}\n`, 'cm.yaml': CM() });
    const { manifests, errors } = readManifests([root]);
    expect(manifests).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining(`resource '${entry}' is remote: not followed`) })]);
  });

  test('a file outside the root is never read: its contents reach no object and no message', () => {
    const root = build({ 'kustomization.yaml': 'resources: [link.yaml]\n', 'link.yaml': { link: path.join(OUTSIDE, 'cm.yaml') } });
    const { manifests } = readManifests([root]);
    expect(manifests).toEqual([]);
  });
});

describe('a root kustomize cannot build is a finding, and the other roots are still checked', () => {
  const SERVICE = (name: string) =>
    `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: ${name}, namespace: ai}\nspec:\n  predictor:\n    model:\n      modelFormat: {name: vLLM}\n      runtime: gone-runtime\n      storageUri: s3://models/${name}/\n`;
  const tree = () =>
    build({
      'good/base/kustomization.yaml': 'resources: [isvc.yaml]\n',
      'good/base/isvc.yaml': SERVICE('good'),
      'good/overlay/kustomization.yaml': 'resources: [../base]\n',
      'broken/base/isvc.yaml': SERVICE('broken'),
      'broken/overlay/kustomization.yaml': 'resources: [../base]\n',
    });

  test('check names the kustomization, the base without a kustomization file and the fix; exit 1, not 2', async () => {
    const dir = tree();
    const overlay = path.join(dir, 'broken', 'overlay');
    expect(kubectlRefuses(overlay)).toMatch(/unable to find one of 'kustomization.yaml'/);
    const alone = await cliInProcess(['check', overlay, '--json', '--platform', 'rhoai-3.0']);
    expect({ code: alone.code, err: alone.err }).toEqual({ code: 1, err: '' });
    expect(JSON.parse(alone.out).findings).toEqual([
      expect.objectContaining({
        rule: 'kustomize-build-fails',
        severity: 'error',
        file: path.join(overlay, 'kustomization.yaml'),
        message: expect.stringMatching(
          /^resources entry '\.\.\/base' is a folder without a kustomization file .*add a kustomization\.yaml to \.\.\/base that lists its manifests$/,
        ),
      }),
    ]);
    // the whole tree: the good root's service is checked (its runtime is missing), the broken root is one finding
    const whole = await cliInProcess(['check', dir, '--json', '--platform', 'rhoai-3.0']);
    expect(whole.code).toBe(1);
    const findings = JSON.parse(whole.out).findings as { rule: string; object: string }[];
    expect(findings.filter((f) => f.rule === 'kustomize-build-fails').map((f) => f.object)).toEqual([path.join(overlay, 'kustomization.yaml')]);
    expect(findings.filter((f) => f.rule === 'runtime-not-found').map((f) => f.object)).toContain('InferenceService/ai/good');
  });

  test('validate says the same, exit 1; an empty folder is still an input error (exit 2)', async () => {
    const overlay = path.join(tree(), 'broken', 'overlay');
    const r = await cliInProcess(['validate', overlay, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings).toEqual([expect.objectContaining({ rule: 'kustomize-build-fails' })]);
    const empty = await cliInProcess(['check', tempDir('kustomize-empty-')]);
    expect(empty.code).toBe(2);
  });
});

describe('kustomization keys match their field in any case, as encoding/json matches struct fields', () => {
  const objects = (yaml: string) => YAML.parseAllDocuments(yaml).map((d) => d.toJS()) as Loose[];
  const sorted = (o: unknown) => JSON.stringify(Object.fromEntries(Object.entries((o ?? {}) as Loose).sort()));
  const summary = (ms: readonly Loose[]) =>
    ms
      .map((m) => {
        const meta = (m.metadata ?? {}) as Loose;
        return `${String(m.kind)}/${String(meta.namespace ?? '')}/${String(meta.name)} ${sorted(meta.labels)} ${sorted(meta.annotations)}`;
      })
      .sort();
  const FILES = { 'a.yaml': CM('a'), 'b.yaml': CM('b') };
  // [case, kustomization, the objects kubectl kustomize builds, written down from its output]
  test.each([
    [
      'capitalised fields: Resources, NamePrefix, ConfigMapGenerator',
      'Resources: [a.yaml]\nNamePrefix: x-\nConfigMapGenerator:\n- name: gen\n  literals: [k=v]\n',
      ['ConfigMap//x-a {} {}', 'ConfigMap//x-gen-bdg947hgcc {} {}'],
    ],
    ['an upper-case field: NAMESPACE', 'resources: [a.yaml]\nNAMESPACE: team\n', ['ConfigMap/team/a {} {}']],
    ['the long s folds to s: nameſuffix', 'resources: [a.yaml]\nnameſuffix: -s\n', ['ConfigMap//a-s {} {}']],
    // json.Marshal writes the keys in byte order: the lower-case key decodes last and its list replaces the other
    ['Resources and resources: the lower-case list replaces', 'Resources: [a.yaml]\nresources: [b.yaml]\n', ['ConfigMap//b {} {}']],
    ['resources and RESOURCES: the lower-case list replaces', 'resources: [a.yaml]\nRESOURCES: [b.yaml]\n', ['ConfigMap//a {} {}']],
    ['namePrefix and NamePrefix: the lower-case one is kept', 'resources: [a.yaml]\nnamePrefix: p-\nNamePrefix: q-\n', ['ConfigMap//p-a {} {}']],
    // a mapping decodes into the map already there: both keys' entries are kept
    [
      'commonAnnotations and CommonAnnotations merge',
      'resources: [a.yaml]\ncommonAnnotations: {x: "1"}\nCommonAnnotations: {z: "2"}\n',
      ['ConfigMap//a {} {"x":"1","z":"2"}'],
    ],
  ])('%s', (_, kustomization, built) => {
    const root = build({ ...FILES, 'kustomization.yaml': kustomization });
    const { manifests, errors } = readManifests([root]);
    expect(errors.filter((e) => e.severity === 'error')).toEqual([]);
    expect(summary(manifests.map((m) => m.manifest as Loose))).toEqual(built);
    // the differential: kubectl builds the same objects
    expect(summary(objects(execFileSync(kubectlBinary(), ['kustomize', root], { encoding: 'utf8', stdio: 'pipe', env: kubectlEnv() })))).toEqual(built);
  });

  test.each([
    ['namePrefx', 'resources: [a.yaml]\nnamePrefx: z-\n'],
    ['name_prefix', 'resources: [a.yaml]\nname_prefix: z-\n'],
    ['Resource', 'Resource: [a.yaml]\n'],
  ])('%s matches no field in any case: refused, as kubectl refuses it', (key, kustomization) => {
    const root = build({ ...FILES, 'kustomization.yaml': kustomization });
    const refusals = readManifests([root]).errors.filter((e) => e.severity === 'error');
    expect(refusals).toEqual([expect.objectContaining({ message: expect.stringContaining(`'${key}', which is not a kustomization field`) })]);
    expect(kubectlRefuses(root)).toContain(`json: unknown field "${key}"`);
  });
});
