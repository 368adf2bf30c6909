import { Loose } from './access';

/**
 * Whether a Kubernetes label selector written as text (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`), as a kustomize
 * target's labelSelector and annotationSelector are, selects a string map (apimachinery pkg/labels selector.go Parse:
 * `!=` and `notin` select a map without the key too).
 */
export function matchesSelector(selector: string | undefined, values: Loose): boolean {
  if (!selector) return true;
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const t = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
    if (set) {
      const has = set[3]
        .split(',')
        .map((x) => x.trim())
        .includes(String(values[set[1]]));
      return set[2] === 'in' ? set[1] in values && has : !has;
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
    if (eq) return eq[2] === '!=' ? values[eq[1]] !== eq[3] : values[eq[1]] === eq[3];
    return t.startsWith('!') ? !(t.slice(1) in values) : t in values;
  });
}
