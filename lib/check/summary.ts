import { Finding } from './rule';

/**
 * Rows of the text output (severity, rule, object, message). Findings that say the same thing (a limitation of the
 * check such as "model unknown, GPU fit not checked", or a note) of two or more objects collapse into one row with their count, so they do
 * not bury the problems; `verbose` lists each. The JSON and SARIF outputs keep every finding.
 */
export function textRows(findings: readonly Finding[], verbose: boolean): string[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.summary || verbose) continue;
    const key = `${f.severity}\u0000${f.rule}\u0000${f.summary}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const rows: string[][] = [];
  const done = new Set<string>();
  for (const f of findings) {
    const key = `${f.severity}\u0000${f.rule}\u0000${f.summary ?? ''}`;
    const group = f.summary ? groups.get(key) : undefined;
    if (!group || group.length < 2) {
      rows.push([f.severity, f.rule, f.object, f.message]);
    } else if (!done.has(key)) {
      done.add(key);
      rows.push([f.severity, f.rule, `${group.length} objects`, `${f.summary} (${group.length} objects; --verbose lists each)`]);
    }
  }
  return rows;
}

/** The closing line of the text output: counts by severity. */
export function countsLine(findings: readonly Finding[], objects: number): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const info = count('info');
  return `${count('error')} error(s), ${count('warning')} warning(s)${info ? `, ${info} note(s)` : ''} in ${objects} object(s)`;
}
