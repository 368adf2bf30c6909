import { spawnSync } from 'child_process';
import { writeTree } from '../util';

/**
 * A git work tree laid out as Flux repositories are (a GitRepository of its own, Flux Kustomizations beside each app,
 * a shared template folder): `git init` with `origin` set to `remote` unless none is given.
 */
export function fluxWorkTree(files: Record<string, string>, remote: string | undefined = REMOTE): string {
  const dir = writeTree('flux-work-tree-', files);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (git('init', '-q').status !== 0) throw new Error('git init failed');
  if (remote && git('remote', 'add', 'origin', remote).status !== 0) throw new Error('git remote add failed');
  return dir;
}

/** The remote of the work trees. */
export const REMOTE = 'https://git.example.com/lab/home-cluster.git';

/** The repository's own GitRepository, named otherwise than flux bootstrap names it. */
export const GIT_REPOSITORY = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: home-cluster, namespace: flux-system}
spec: {interval: 30m, url: '${REMOTE}', ref: {branch: main}}
`;

/** A Flux Kustomization named `name` building `path`, its source `source` (a GitRepository unless `kind` says), with more spec lines. */
export const fluxKustomization = (name: string, path: string, more = '', source = 'home-cluster', kind = 'GitRepository') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: flux-system}
spec:
  interval: 30m
  path: ${path}
  prune: true
  sourceRef: {kind: ${kind}, name: ${source}}
${more}`;

/** A claim template shared by apps, named by the app's variable and sized by a variable with a default. */
export const CLAIM_TEMPLATE = {
  'cluster/templates/volume/kustomization.yaml': 'resources: [claim.yaml]\n',
  'cluster/templates/volume/claim.yaml':
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: "${APP}"\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: "${VOLUME_SIZE:=5Gi}"\n',
};

/** An app folder of the layout: its Flux Kustomization (ks.yaml, with `more` spec lines) and app/ building a Deployment and the shared claim. */
export const fluxApp = (app: string, more: string) => ({
  [`cluster/apps/${app}/ks.yaml`]: fluxKustomization(app, `./cluster/apps/${app}/app`, more),
  [`cluster/apps/${app}/app/kustomization.yaml`]: 'resources: [deployment.yaml, ../../../templates/volume]\n',
  [`cluster/apps/${app}/app/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${app}}\nspec:\n  strategy: {type: Recreate}\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers:\n        - name: ${app}\n          image: registry.k8s.io/pause:3.10\n          volumeMounts: [{name: data, mountPath: /data}]\n      volumes:\n        - name: data\n          persistentVolumeClaim: {claimName: ${app}}\n`,
});
