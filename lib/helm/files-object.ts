import * as path from 'path';
import { writeYaml } from './go-yaml';
import { GoMap, GoMethod } from './go-values';

/** A glob as gobwas/glob reads it with '/' as separator (helm files.go Glob): `*` within a segment, `**` across. */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && re.includes('(?:')) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** .Files of a chart (helm pkg/engine/files.go): Get, GetBytes, Glob, Lines, AsConfig, AsSecrets. */
export function filesObject(files: ReadonlyMap<string, Buffer>): GoMap {
  const text = (name: unknown) => files.get(String(name))?.toString('utf8') ?? '';
  const asMap = (encode: (b: Buffer) => string) => {
    const m: GoMap = {};
    for (const [rel, b] of files) m[path.posix.basename(rel)] = encode(b);
    return m;
  };
  // a map of path to bytes (range visits the paths in order) with methods, as helm's `files` type is
  const o: GoMap = Object.fromEntries([...files].map(([rel, b]) => [rel, new Uint8Array(b)]));
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    Get: text,
    GetBytes: (name) => new Uint8Array(files.get(String(name)) ?? []),
    Glob: (pattern) => {
      const re = globRegExp(String(pattern));
      return filesObject(new Map([...files].filter(([rel]) => re.test(rel))));
    },
    Lines: (name) => {
      const b = files.get(String(name));
      return b ? b.toString('utf8').replace(/\n$/, '').split('\n') : [];
    },
    AsConfig: () => (files.size ? writeYaml(asMap((b) => b.toString('utf8'))) : ''),
    AsSecrets: () => (files.size ? writeYaml(asMap((b) => b.toString('base64'))) : ''),
  };
  for (const [k, f] of Object.entries(methods)) Object.defineProperty(o, k, { value: new GoMethod(k, f), enumerable: false });
  return o;
}
