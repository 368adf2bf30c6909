import { readYaml } from './go-yaml';
import { GoMap, isGoMap } from './go-values';
import { parseSet, setFileValue } from './strvals';
import { mergeMaps } from './values';

/** One source of user values, in the order helm reads them: a values file's text, or a --set / --set-string expression. */
export type ValuesSource =
  { readonly yaml: string; readonly name: string } | { readonly set: string; readonly asString: boolean } | { readonly setFile: string; readonly text: string };

/**
 * The user values of a render (helm pkg/cli/values/options.go MergeValues): each values file merged over the ones
 * before it, then each --set and --set-string. A file that is no mapping is an error, as in helm.
 */
export function userValues(sources: readonly ValuesSource[]): GoMap {
  let out: GoMap = {};
  for (const s of sources) {
    if ('yaml' in s) {
      const v = readYaml(s.yaml) ?? {};
      if (!isGoMap(v)) throw new Error(`failed to parse ${s.name}: the values are no mapping`);
      out = mergeMaps(out, v);
    } else if ('set' in s) out = parseSet(s.set, out, s.asString);
    // --set-file: the file's text is the value of the key (helm pkg/cli/values/options.go, strvals ParseFile)
    else out = setFileValue(out, s.setFile, s.text);
  }
  return out;
}
