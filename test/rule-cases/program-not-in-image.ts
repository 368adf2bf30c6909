import * as YAML from 'yaml';
import { cliInProcess, podWorkload, writeTree } from '../util';

interface Finding {
  readonly severity: string;
  readonly message: string;
}

/** A Deployment of one container of the image, with the command and the container fields given. */
const server = (image: string, command: string[], extra: object = {}) =>
  podWorkload('ollama', 'chat', { containers: [{ name: 'ollama', image, command, ...extra }] });

async function findings(objects: unknown[]): Promise<Finding[]> {
  const dir = writeTree('program-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'program-not-in-image');
}

const SERVE_THEN_PULL = 'ollama serve & sleep 5 && curl -sf http://localhost:11434/api/pull -d \'{"name":"llama3.2"}\'; wait';

describe('program-not-in-image', () => {
  test('curl after && in a shell script of ollama/ollama: a warning citing the source', async () => {
    const [f, ...rest] = await findings([server('docker.io/ollama/ollama:0.5.4', ['/bin/sh', '-c', SERVE_THEN_PULL])]);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.message).toBe(
      "container 'ollama' runs curl in its command, but ollama/ollama has no curl (ollama/ollama#9781): it is not found, so the command fails: use a program the image has, or an image that holds curl",
    );
  });

  test('an exec probe running curl always fails', async () => {
    const probe = { livenessProbe: { exec: { command: ['curl', '-f', 'http://localhost:11434/'] } } };
    const [f] = await findings([server('ollama/ollama', ['/bin/ollama', 'serve'], probe)]);
    expect(f.message).toContain('runs curl in its livenessProbe');
    expect(f.message).toContain('the probe always fails');
  });

  test("near misses: curl installed first, another image, the ROCm build, curl only as a word in an echo, the image's own client", async () => {
    expect(await findings([server('ollama/ollama:0.5.4', ['/bin/sh', '-c', `apt-get update && apt-get install -y curl && ${SERVE_THEN_PULL}`])])).toEqual([]);
    expect(await findings([server('registry.example.com/tools/ollama-curl:1.0', ['/bin/sh', '-c', SERVE_THEN_PULL])])).toEqual([]);
    expect(await findings([server('ollama/ollama:0.5.4-rocm', ['/bin/sh', '-c', SERVE_THEN_PULL])])).toEqual([]);
    expect(await findings([server('ollama/ollama:0.5.4', ['/bin/sh', '-c', 'echo "no curl here"; ollama serve'])])).toEqual([]);
    expect(await findings([server('ollama/ollama:0.5.4', ['/bin/sh', '-c', 'until ollama list; do sleep 2; done'])])).toEqual([]);
  });
});
