import { parseFirstDocument } from '../manifests/yaml-documents';
import { SetAside, setAsideActions } from '../private/template-actions';

/** The format a ConfigMap key's name gives its text, by its extension. */
export type ConfigFormat = 'YAML' | 'JSON';

/** The format of a key named as a configuration file (`config.yaml`, `prometheus.yml`, `dashboard.json`); undefined for any other. */
export function configFormatOf(key: string): ConfigFormat | undefined {
  if (/\.ya?ml$/i.test(key)) return 'YAML';
  return /\.json$/i.test(key) ? 'JSON' : undefined;
}

/** Where a configuration text fails to parse: the line within the text (1-based), that line, and the parser's words. */
export interface ConfigTextError {
  readonly format: ConfigFormat;
  readonly line: number;
  readonly text: string;
  readonly reason: string;
  /**
   * The text holds a template (`{{ … }}`, `{% … %}`) and parses once its template actions are left out: the failure is
   * the template's, which a program that renders the text first (Helm, a Jinja or Go template step) never meets.
   */
  readonly templated: boolean;
}

/** Go templates' (Helm's) and Jinja's actions set aside: a line of actions alone left blank, an action within a line read as `0`. */
const SET_ASIDE: SetAside = { syntaxes: ['go', 'jinja'], replacement: '0', wholeLines: 'blank' };

/** The line a parser's position points at, or the next line holding content when that one is blank or a comment (go-yaml's line). */
function contentLine(lines: readonly string[], line: number): number {
  let at = Math.min(Math.max(line, 1), lines.length || 1);
  while (at < lines.length && /^\s*(#.*)?$/.test(lines[at - 1])) at++;
  return at;
}

/**
 * Where a YAML text fails as a Go program reads a configuration file (gopkg.in/yaml v2 and v3 Unmarshal, and
 * sigs.k8s.io/yaml over them: the first document only, a repeated key no syntax error, go-yaml's indentation
 * leniencies kept: parseFirstDocument). Undefined when it parses.
 */
function yamlError(text: string): { line: number; reason: string } | undefined {
  const parsed = parseFirstDocument(text);
  if (!('error' in parsed)) return undefined;
  const at = / at line (\d+), column \d+:?$/.exec(parsed.error);
  return { line: at ? Number(at[1]) : 1, reason: (at ? parsed.error.slice(0, at.index) : parsed.error).replace(/:$/, '') };
}

/** Where a JSON text fails as a JSON reader (Go's encoding/json, Grafana's dashboard loader) reads it. Undefined when it parses. */
function jsonError(text: string): { line: number; reason: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    const at = / in JSON at position (\d+)/.exec(message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : 1;
    return { line, reason: at ? message.slice(0, at.index) : message };
  }
}

/**
 * Where the text of a ConfigMap key named as a configuration file fails to parse as its extension says; undefined
 * when it parses, is empty, or is JSON only to a lenient reader: a .json key whose text does not start as JSON does
 * (a YAML reader may be what reads it), or one whose only fault is Python's NaN and Infinity.
 */
export function configTextError(key: string, text: string): ConfigTextError | undefined {
  const format = configFormatOf(key);
  if (!format || !text.trim()) return undefined;
  if (format === 'JSON' && !/^\s*[[{]/.test(text)) return undefined;
  const parse = format === 'JSON' ? jsonError : yamlError;
  const failed = parse(text);
  if (!failed) return undefined;
  if (format === 'JSON' && !parse(text.replace(/\b(-?Infinity|NaN)\b/g, '0'))) return undefined;
  const lines = text.split('\n');
  const line = contentLine(lines, failed.line);
  const templated = /\{\{|\{%/.test(text) && !parse(setAsideActions(text, SET_ASIDE));
  const reason = failed.reason.charAt(0).toLowerCase() + failed.reason.slice(1);
  return { format, line, text: (lines[line - 1] ?? '').trim(), reason, templated };
}
