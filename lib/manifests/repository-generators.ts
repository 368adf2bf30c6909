import * as fs from 'fs';
import * as path from 'path';
import { isMapping, mappings, strings, text } from './access';
import { GitCheckout, gitCheckoutOf } from './git-checkout';
import { KUSTOMIZATION_FILES } from './kustomization';
import { isWithin } from './repository-scripts';
import { inSkippedFolder, workTreeOf } from './work-tree';
import { parsePatchDocuments } from './yaml-documents';

/** The largest env file of a generator read: a generator's env file is a few lines. */
const MAX_ENV_BYTES = 64 * 1024;

/**
 * A ConfigMap a kustomization of the repository generates outside the checked folder (its configMapGenerator): the
 * name, the namespace it lands in where the kustomization or the entry says one, the behavior (create, merge into a
 * ConfigMap of a base, replace) and the keys its literals and env files give.
 */
export interface RepositoryGeneratedConfigMap {
  readonly name: string;
  readonly namespace?: string;
  readonly behavior: string;
  readonly data: Readonly<Record<string, string>>;
  /** The kustomization file, named as the checked folder is, '/'-separated. */
  readonly file: string;
}

/**
 * A literal source as kustomize reads it (api/kv/kv.go parseLiteralSource): KEY=VALUE split at the first `=`, the
 * value's surrounding quotes removed; undefined where there is no key.
 */
function literalPair(source: string): [string, string] | undefined {
  const eq = source.indexOf('=');
  if (eq <= 0) return undefined;
  return [source.slice(0, eq), source.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2')];
}

/** The KEY=VALUE lines of an env file next to the kustomization (comments and blank lines left out); none where it cannot be read. */
function envPairs(dir: string, file: string): [string, string][] {
  const full = path.resolve(dir, file);
  const st = fs.statSync(full, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > MAX_ENV_BYTES) return [];
  return fs
    .readFileSync(full, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => {
      const pair = literalPair(l);
      return pair ? [pair] : [];
    });
}

/** The configMapGenerator entries of one kustomization file. */
function generatorsOf(file: string, source: string, named: string): RepositoryGeneratedConfigMap[] {
  const parsed = parsePatchDocuments(source);
  const doc = 'values' in parsed ? parsed.values[0] : undefined;
  if (!isMapping(doc)) return [];
  const dir = path.dirname(file);
  // kustomize's namespace transformer sets the kustomization's namespace on what it generates too
  const own = text(doc.namespace);
  return mappings(doc.configMapGenerator).flatMap((g) => {
    const name = text(g.name);
    if (!name) return [];
    const pairs = [...strings(g.envs), ...(text(g.env) ? [text(g.env)!] : [])].flatMap((e) => envPairs(dir, e));
    for (const l of strings(g.literals)) {
      const pair = literalPair(l);
      if (pair) pairs.push(pair);
    }
    const namespace = own ?? text(g.namespace);
    return [{ name, ...(namespace ? { namespace } : {}), behavior: text(g.behavior) ?? 'create', data: Object.fromEntries(pairs), file: named }];
  });
}

/**
 * The ConfigMaps the kustomizations of the git work tree a checked folder lies in generate outside that folder
 * (configMapGenerator: literals and env files), as the work tree's read holds its files; none where the folder is no
 * subfolder of a work tree, or lies in its test data. Read, never judged: a rule asks what the repository's
 * configuration sets (a `behavior: merge` generator adding flags to a ConfigMap a remote base installs).
 */
export function repositoryConfigMapGenerators(folder: string, checkout: GitCheckout | undefined = gitCheckoutOf(folder)): RepositoryGeneratedConfigMap[] {
  const tree = checkout && !inSkippedFolder(checkout.within) ? workTreeOf(checkout) : undefined;
  if (!tree) return [];
  const checked = fs.realpathSync(folder);
  return tree.manifestFiles().flatMap(({ file, text: source }) => {
    if (isWithin(file, checked) || !KUSTOMIZATION_FILES.includes(path.basename(file))) return [];
    const named = path.join(folder, path.relative(checked, file)).split(path.sep).join('/');
    return generatorsOf(file, source, named);
  });
}
