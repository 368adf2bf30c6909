import { ruleFound, severityMessages } from '../util';

const deployment = (resources: Record<string, unknown>, init = false) => {
  const container = { name: 'server', image: 'x', resources };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chat', namespace: 'ml' },
    spec: {
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: init ? { initContainers: [container], containers: [{ name: 'c', image: 'x' }] } : { containers: [container] },
      },
    },
  };
};

function found(objects: unknown[]): [string, string][] {
  return severityMessages(
    ruleFound(
      'memory-quantity-too-small',
      objects.map((manifest) => ({ manifest: manifest as Record<string, unknown> })),
      { platform: 'kserve', alone: true },
    ),
  );
}

describe('memory-quantity-too-small', () => {
  test('a limit of a bare number: an error with the bytes, the runtimes that refuse it and the unit meant', () => {
    const [[severity, message]] = found([deployment({ limits: { memory: '64' } })]);
    expect(severity).toBe('error');
    expect(message).toContain(`container 'server' resources.limits.memory "64" is 64 bytes (a quantity without a suffix counts bytes)`);
    expect(message).toContain('should be at least 12582912 bytes');
    expect(message).toContain('container init was OOM-killed (memory limit too low?)');
    expect(message).toMatch(/did you mean 64Gi \(or 64Mi\)\?$/);
    // a YAML number is the same quantity; an init container is judged too
    expect(found([deployment({ limits: { memory: 32 } }, true)]).map((f) => f[0])).toEqual(['error']);
  });

  test('a limit with a unit below 512 KiB is an error without a guess at the unit; at 512 KiB and above it is not judged', () => {
    const under = found([deployment({ limits: { memory: '100Ki' } })]);
    expect(under.map((f) => f[1].split(': ')[0])).toEqual([`container 'server' resources.limits.memory "100Ki" is 102400 bytes`]);
    expect(under[0][1]).not.toContain('did you mean');
    expect(found([deployment({ limits: { memory: '512Ki' } })])).toEqual([]);
    expect(found([deployment({ limits: { memory: '16Mi' } })])).toEqual([]);
    // 2e9 bytes is a plain decimal quantity of 2 GB
    expect(found([deployment({ limits: { memory: '2e9' } })])).toEqual([]);
  });

  test('a request of a bare number under 1 MiB: a warning naming the unit; with a unit, or of a million bytes or more, silent', () => {
    expect(found([deployment({ requests: { memory: '32' } })])).toEqual([
      [
        'warning',
        `container 'server' resources.requests.memory "32" is 32 bytes (a quantity without a suffix counts bytes): the scheduler reserves almost no memory for it, so the node can be filled past what the container needs and it is evicted or OOM-killed under pressure; did you mean 32Gi (or 32Mi)?`,
      ],
    ]);
    expect(found([deployment({ requests: { memory: '32Ki' } })])).toEqual([]);
    expect(found([deployment({ requests: { memory: '2000000' } })])).toEqual([]);
  });

  test('placeholders, zero and other resources are not judged', () => {
    expect(found([deployment({ limits: { memory: '${MEMORY}' }, requests: { memory: '{{ .Values.mem }}' } })])).toEqual([]);
    expect(found([deployment({ limits: { memory: '0' } })])).toEqual([]);
    expect(found([deployment({ limits: { cpu: '2', 'nvidia.com/gpu': 1 }, requests: { cpu: '1' } })])).toEqual([]);
  });
});
