import { BUILTINS } from './builtins';
import { helmFuncs } from './helm-funcs';
import { SPRIG_COLLECTIONS } from './sprig-collections';
import { SPRIG_MORE } from './sprig-more';
import { NONDETERMINISTIC, SPRIG_MISC } from './sprig-misc';
import { SPRIG_NUMBERS } from './sprig-numbers';
import { SPRIG_STRINGS } from './sprig-strings';
import { Exec, TemplateFunc } from './template-exec';

/**
 * The function map of one render, as Helm builds it (engine.go initFunMap): text/template's builtins, then Sprig's
 * (which replace a builtin of the same name, as slice), then Helm's own. Sprig's must- variants raise what the plain
 * ones raise, so each is the plain one.
 */
export function renderFuncs(exec: Exec): Map<string, TemplateFunc> {
  const m = new Map<string, TemplateFunc>(BUILTINS);
  for (const [k, f] of [...SPRIG_STRINGS, ...SPRIG_COLLECTIONS, ...SPRIG_NUMBERS, ...SPRIG_MISC, ...SPRIG_MORE, ...NONDETERMINISTIC]) m.set(k, f);
  for (const k of [
    'append',
    'prepend',
    'first',
    'last',
    'rest',
    'initial',
    'uniq',
    'without',
    'has',
    'compact',
    'slice',
    'reverse',
    'push',
    'merge',
    'mergeOverwrite',
    'deepCopy',
    'regexMatch',
    'regexFind',
    'regexFindAll',
    'regexReplaceAll',
    'regexReplaceAllLiteral',
    'regexSplit',
    'fromJson',
    'toJson',
    'toPrettyJson',
    'toRawJson',
    'dig',
  ])
    m.set(`must${k[0].toUpperCase()}${k.slice(1)}`, m.get(k)!);
  for (const [k, f] of helmFuncs(exec)) m.set(k, f);
  return m;
}
