import { cliInProcess, writeTree } from '../util';

/** A Deployment whose image is `image`, with `comment` on the lines above and beside it as given. */
const deployment = (image: string, { beside = '', above = '' } = {}) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: server, namespace: ai}',
    'spec:',
    '  selector: {matchLabels: {app: server}}',
    '  template:',
    '    metadata: {labels: {app: server}}',
    '    spec:',
    '      containers:',
    '        - name: server',
    ...(above ? [`          # ${above}`] : []),
    `          image: '${image}'${beside ? ` # ${beside}` : ''}`,
    '',
  ].join('\n');

/** The unrendered-placeholder findings of a tree, as [severity, message]. */
async function found(files: Record<string, string>): Promise<[string, string][]> {
  const dir = writeTree('unrendered-placeholder-', files);
  const { out } = await cliInProcess(['check', dir, '--platform', 'kserve', '--json']);
  return (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings
    .filter((f) => f.rule === 'unrendered-placeholder')
    .map((f) => [f.severity, f.message]);
}

const IMAGE = '${REGISTRY}/server:1.0';

describe('unrendered-placeholder: a placeholder the tree tells its reader to set by hand', () => {
  test('a comment beside the value, or on the line above it, that has the reader change it: a warning that the file must be edited before it is applied', async () => {
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { beside: 'Change for your image registry' }) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' image holds '\$\{REGISTRY\}': judged as a template, since its own comment beside the value has the reader set it \('# Change for your image registry'\): the file must be edited before it is applied;/,
        ),
      ],
    ]);
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { above: 'replace with the registry you pushed to' }) })).toEqual([
      ['warning', expect.stringMatching(/\('# replace with the registry you pushed to'\): the file must be edited before it is applied/)],
    ]);
  });

  test('a README step above the file that has the reader edit the object, its block showing the placeholder: a warning naming the step', async () => {
    const readme = [
      '# Deploy',
      '',
      '1. Build and push the image.',
      '2. Edit the Deployment to use your registry:',
      '',
      '```yaml',
      `image: ${IMAGE}`,
      '```',
      '',
    ].join('\n');
    expect(await found({ 'README.md': readme, 'app/deployment.yaml': deployment(IMAGE) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /since README.md \(line 4\) has the reader edit it \('2. Edit the Deployment to use your registry:'\): the file must be edited before it is applied/,
        ),
      ],
    ]);
  });

  test('near misses: a comment that asks for nothing, an edit step whose block shows another value, a "set up" step: the error stands', async () => {
    const error = [['error', expect.stringMatching(/template syntax that nothing renders here, so it is applied literally/)]];
    expect(await found({ 'app/deployment.yaml': deployment(IMAGE, { beside: 'the serving image' }) })).toEqual(error);
    const otherBlock = ['2. Edit the Deployment to use your registry:', '', '```yaml', 'replicas: 2', '```', ''].join('\n');
    expect(await found({ 'README.md': otherBlock, 'app/deployment.yaml': deployment(IMAGE) })).toEqual(error);
    const setUp = ['Set up the cluster first:', '', '```bash', `podman push ${IMAGE}`, '```', ''].join('\n');
    expect(await found({ 'README.md': setUp, 'app/deployment.yaml': deployment(IMAGE) })).toEqual(error);
  });

  test('a `<NAME>` placeholder follows the same reading: a heading that has the reader replace placeholders, its section listing it, or a sentence followed by a list naming it', async () => {
    const angle = '<YOUR-ACR-NAME>.azurecr.io/server:1.0';
    const heading = [
      '# Serving',
      '',
      '## Before you run anything (replace placeholders)',
      '',
      '- `<YOUR-ACR-NAME>`: your registry name',
      '',
      '## Deploy',
      '',
    ].join('\n');
    expect(await found({ 'README.md': heading, 'deployment.yaml': deployment(angle) })).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^container 'server' image holds '<YOUR-ACR-NAME>': judged as a template, since README.md \(line 3\) has the reader edit it \('## Before you run anything \(replace placeholders\)'\)/,
        ),
      ],
    ]);
    const list = ['Replace these values in the manifests:', '- `<YOUR-ACR-NAME>`: your registry name', ''].join('\n');
    expect(await found({ 'README.md': list, 'deployment.yaml': deployment(angle) }).then((f) => f.map((x) => x[0]))).toEqual(['warning']);
  });

  test('near misses for `<NAME>`: no README step names it, the section that names it asks for no edit, or the edit section is another one: the error stands', async () => {
    const angle = '<YOUR-ACR-NAME>.azurecr.io/server:1.0';
    const error = [['error', expect.stringMatching(/holds '<YOUR-ACR-NAME>': a placeholder left to be replaced by hand/)]];
    expect(await found({ 'deployment.yaml': deployment(angle) })).toEqual(error);
    const noVerb = ['## Registry', '', '- `<YOUR-ACR-NAME>` is where the image lives', ''].join('\n');
    expect(await found({ 'README.md': noVerb, 'deployment.yaml': deployment(angle) })).toEqual(error);
    const otherSection = ['## Replace the model', '', '- `<MODEL_ID>`: the model to serve', '', '## Registry', '', '- `<YOUR-ACR-NAME>`', ''].join('\n');
    expect(await found({ 'README.md': otherSection, 'deployment.yaml': deployment(angle) })).toEqual(error);
  });
});
