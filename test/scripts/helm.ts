import { helmCommandsOf, meantFlag } from '../../lib/manifests/script-helm';
import { readManifests } from '../../lib/manifests/read-manifests';
import { writeTree } from '../util';

/**
 * The helm commands of a tree's scripts, read as helm's flag parser (spf13/pflag over cmd/helm's flag definitions)
 * reads them: what they set, and the first word helm refuses as a flag.
 */
const read = (text: string, script = 'install.sh') => helmCommandsOf([{ script, text }]);

describe('helmCommandsOf', () => {
  test('the sets of install and upgrade, comma lists split, after valued flags that take the next word', () => {
    const [c] = read(
      'helm upgrade --install -n gpu-operator --version v24.9.0 gpu-operator nvidia/gpu-operator --set mig.strategy=mixed,driver.enabled=false -f values.yaml\n',
    );
    expect(c.verb).toBe('upgrade');
    expect(c.positionals).toEqual(['gpu-operator', 'nvidia/gpu-operator']);
    expect(c.sets).toEqual([
      { key: 'mig.strategy', value: 'mixed' },
      { key: 'driver.enabled', value: 'false' },
    ]);
    expect(c.refused).toBeUndefined();
  });

  test('pflag shorthands: -set is -s, unknown to install and upgrade; template has -s (show-only) and takes the rest as its value', () => {
    expect(read('helm install x ./chart -set a=b\n')[0].refused).toEqual({ word: '-set', error: "unknown shorthand flag: 's' in -set" });
    expect(read('helm upgrade x ./chart -set a=b\n')[0].refused?.error).toBe("unknown shorthand flag: 's' in -set");
    expect(read('helm template x ./chart -set a=b\n')[0].refused).toBeUndefined();
    // bool shorthands run together, a valued one ending the run with its value; upgrade has -i but no -g
    expect(read('helm upgrade -i x ./chart -nprod\n')[0].refused).toBeUndefined();
    expect(read('helm upgrade -ig x ./chart\n')[0].refused?.error).toBe("unknown shorthand flag: 'g' in -ig");
    expect(read('helm install -g ./chart -n=prod\n')[0].refused).toBeUndefined();
  });

  test('long flags: unknown ones refused with the nearest named; bool and optional-value flags take no next word', () => {
    const [c] = read('helm install x ./chart --create-namspace --wait --dry-run=server\n');
    expect(c.refused).toEqual({ word: '--create-namspace', error: 'unknown flag: --create-namspace' });
    expect(meantFlag(c)).toBe('--create-namespace');
    expect(meantFlag(read('helm install x ./chart -set a=b\n')[0])).toBe('--set');
    // --wait is bare: the release and chart stay positionals
    expect(read('helm install --wait x ./chart\n')[0].positionals).toEqual(['x', './chart']);
    // helm 3's --recreate-pods (upgrade) and helm 4's --rollback-on-failure are known
    expect(read('helm upgrade x ./chart --recreate-pods --rollback-on-failure\n')[0].refused).toBeUndefined();
  });

  test('not judged: words the shell fills, words after --, other verbs, printed commands, global flags before the verb', () => {
    expect(read('helm install x ./chart $EXTRA_FLAGS\n')[0].refused).toBeUndefined();
    expect(read('helm install x ./chart -- -set\n')[0].refused).toBeUndefined();
    expect(read('helm repo add -set nvidia https://helm.ngc.nvidia.com/nvidia\n')).toEqual([]);
    expect(read('echo "helm install x ./chart -set a=b"\n')).toEqual([]);
    expect(read('helm -n ns --kube-context prod install x ./chart\n')[0].positionals).toEqual(['x', './chart']);
  });
});

describe('script-flag-unknown', () => {
  test("a README's fenced helm command with -set: an error at its line, naming --set", () => {
    const root = writeTree('script-helm-', {
      'README.md': '# GPU sharing\n\n```bash\nhelm upgrade --install op nvidia/gpu-operator \\\n  -set devicePlugin.config.name=cfg\n```\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n',
    });
    const found = readManifests([root]).errors.filter((e) => e.kind === 'script-flag-unknown');
    expect(found.map((e) => [e.severity, e.line])).toEqual([['error', 4]]);
    expect(found[0].message).toMatch(
      /^line 4 runs `helm upgrade --install op nvidia\/gpu-operator -set devicePlugin.config.name=cfg`, but helm upgrade refuses -set .* write --set$/,
    );
  });
});
